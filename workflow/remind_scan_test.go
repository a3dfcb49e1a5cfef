package workflow_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestRemindersOverTwoMonths simulates every day from 26/1 to 10/3/2026,
// scanning twice each morning, and checks that each rule fires on its
// working day and only then: across weekends, across the Tết break
// (14-22/2/2026), through an extension that re-plans and a completion that
// stops the series.
func TestRemindersOverTwoMonths(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		start := civil.MustDate("2026-01-26")   // a Monday
		w := newWorld(t, tg, start.AddDays(-1)) // the tasks are assigned on Sunday
		sec := w.user("thuky", workflow.RoleSecretariat, "")
		byt := w.user("byt", workflow.RoleAgency, "BYT")
		w.user("lanhdao", workflow.RoleLeader, "")
		doc := w.document(sec, "12/TB-VPCP", civil.MustDate("2026-01-23"))
		task := func(content string, d workflow.NewDirective) int64 {
			d.DocumentID, d.Content, d.Lead = doc, content, "BYT"
			return w.directive(sec, d)
		}
		due := civil.MustDate
		ids := map[string]int64{
			"A": task("A", workflow.NewDirective{DueOn: due("2026-02-06")}),
			"B": task("B", workflow.NewDirective{DueOn: due("2026-02-13")}),
			"C": task("C", workflow.NewDirective{DueOn: due("2026-02-24")}),
			"D": task("D", workflow.NewDirective{DueOn: due("2026-02-04")}),
			"E": task("E", workflow.NewDirective{DueOn: due("2026-02-10")}),
			"F": task("F", workflow.NewDirective{DueKind: workflow.DueOngoing, ReportingPeriod: "monthly"}),
			"G": task("G", workflow.NewDirective{DueKind: workflow.DueUrgent}),
		}
		name := map[int64]string{}
		for n, id := range ids {
			name[id] = n
		}
		var extID int64

		// What happens during the day, after the morning's scans.
		ctx := context.Background()
		events := map[string]func(){
			"2026-01-27": func() { // E is reported done: nothing more for it
				w.move(byt, ids["E"], workflow.TransitionInput{Action: workflow.ActionReportDone, Report: "Xong"})
			},
			"2026-02-02": func() { // D is completed two days early
				w.move(byt, ids["D"], workflow.TransitionInput{Action: workflow.ActionReportDone, Report: "Xong"})
				w.move(sec, ids["D"], workflow.TransitionInput{Action: workflow.ActionConfirm})
			},
			"2026-02-10": func() { // F reports progress in February: no reminder for February
				if _, err := w.svc.AddReport(ctx, byt, ids["F"], workflow.NewReport{Body: "Tiến độ tháng 2"}); err != nil {
					t.Fatal(err)
				}
			},
			"2026-02-11": func() {
				e, err := w.svc.RequestExtension(ctx, byt, ids["C"], workflow.NewExtension{RequestedDueOn: due("2026-03-06"), Reason: "Chờ ý kiến"})
				if err != nil {
					t.Fatal(err)
				}
				extID = e.ID
			},
			"2026-02-23": func() { // C's extension is approved after the morning's before-1
				if _, err := w.svc.DecideExtension(ctx, sec, extID, workflow.Decision{Approve: true}); err != nil {
					t.Fatal(err)
				}
			},
		}

		for d := start; !d.After(civil.MustDate("2026-03-10")); d = d.AddDays(1) {
			w.clock.SetDay(d, 7)
			_, err := w.svc.Scan(ctx, d)
			if err != nil {
				t.Fatalf("scan %s: %v", d, err)
			}
			again, err := w.svc.Scan(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if again.Reminders != 0 || again.Escalations != 0 || again.Digests != 0 {
				t.Errorf("%s: the second scan of the day created %+v", d, again)
			}
			if ev := events[d.String()]; ev != nil {
				w.clock.SetDay(d, 10)
				ev()
			}
		}

		var rows []models.Reminder
		if err := w.db.R.Order("as_of, task_id, rule").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%s %s %s due %s", r.AsOf, name[r.TaskID], r.Rule, r.DueOn))
			if r.FireOn != r.AsOf {
				t.Errorf("reminder %+v went out on %s, not its day %s", r, r.AsOf, r.FireOn)
			}
		}
		want := []string{
			"2026-01-26 D before-7 due 2026-02-04",
			"2026-01-28 A before-7 due 2026-02-06",
			"2026-01-30 D before-3 due 2026-02-04",
			"2026-02-02 F report due 2026-01-31", // January passed without a report
			"2026-02-03 A before-3 due 2026-02-06",
			"2026-02-04 B before-7 due 2026-02-13",
			"2026-02-05 A before-1 due 2026-02-06",
			"2026-02-06 A due due 2026-02-06",
			"2026-02-06 C before-7 due 2026-02-24",
			"2026-02-09 A overdue-1 due 2026-02-06", // Saturday 7/2 rolls to Monday
			"2026-02-10 B before-3 due 2026-02-13",
			"2026-02-12 B before-1 due 2026-02-13",
			"2026-02-12 C before-3 due 2026-02-24",
			"2026-02-13 A escalate due 2026-02-06",
			"2026-02-13 B due due 2026-02-13",
			// After Tết (14-22/2) only the latest rule of each task goes out.
			"2026-02-23 A overdue-15 due 2026-02-06",
			"2026-02-23 B escalate due 2026-02-13",
			"2026-02-23 B overdue-8 due 2026-02-13",
			"2026-02-23 C before-1 due 2026-02-24",
			// C's extension to 6/3 starts a new series.
			"2026-02-25 C before-7 due 2026-03-06",
			"2026-03-02 A overdue-22 due 2026-02-06",
			"2026-03-02 B overdue-15 due 2026-02-13",
			"2026-03-03 C before-3 due 2026-03-06",
			"2026-03-05 C before-1 due 2026-03-06",
			"2026-03-06 C due due 2026-03-06",
			"2026-03-09 A overdue-29 due 2026-02-06",
			"2026-03-09 B overdue-22 due 2026-02-13",
			"2026-03-09 C overdue-1 due 2026-03-06",
		}
		if !slices.Equal(got, want) {
			t.Errorf("reminders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Each task's counts, which lists show, add up to what was recorded.
		if n := w.checkTaskSummaries(); n == 0 {
			t.Error("no tasks to check")
		}

		// Each reminder reached the agency in the app; each escalation day
		// made one digest for the leader, not one message per task.
		var n struct{ Reminders, Digests int64 }
		for _, err := range []error{
			w.db.R.Raw("SELECT COUNT(*) FROM notifications WHERE kind = 'reminder' AND channel = 'inapp'").Scan(&n.Reminders).Error,
			w.db.R.Raw("SELECT COUNT(*) FROM notifications WHERE kind = 'escalation' AND channel = 'inapp'").Scan(&n.Digests).Error,
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n.Reminders != int64(len(want)-2) || n.Digests != 2 {
			t.Errorf("in-app notifications: %d reminders (want %d), %d digests (want 2)", n.Reminders, len(want)-2, n.Digests)
		}
		var digest models.Notification
		if err := w.db.R.Where("kind = 'escalation'").Order("id DESC").First(&digest).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(digest.Body, "Bộ Y tế") || !strings.Contains(digest.Title, "23/02/2026") {
			t.Errorf("digest: %s\n%s", digest.Title, digest.Body)
		}
	})
}

// TestDigestNamesTheMostOverdue: a leader's digest counts every escalated
// task of each agency but names only the ten most overdue of it, oldest
// deadline first, and points to the list for the rest.
func TestDigestNamesTheMostOverdue(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		start := civil.MustDate("2026-03-02") // a Monday
		w := newWorld(t, tg, start)
		sec := w.user("thuky", workflow.RoleSecretariat, "")
		w.user("lanhdao", workflow.RoleLeader, "")
		doc := w.document(sec, "30/TB-VPCP", civil.MustDate("2026-02-27"))
		task := func(lead string, due civil.Date) int64 {
			return w.directive(sec, workflow.NewDirective{DocumentID: doc, Lead: lead, Content: "Nhiệm vụ hạn " + due.String(), DueOn: due})
		}
		// BYT: 13 tasks, created latest deadline first, so that ids and
		// deadlines run in opposite orders; BCA: 2.
		var byt []int64
		for i := 12; i >= 0; i-- {
			byt = append(byt, task("BYT", start.AddDays(7+i)))
		}
		slices.Reverse(byt) // byt[0] is the most overdue
		bca := []int64{task("BCA", start.AddDays(10)), task("BCA", start.AddDays(11))}

		asOf := civil.MustDate("2026-04-20") // a Monday, weeks past every deadline
		w.clock.SetDay(asOf, 7)
		res, err := w.svc.Scan(context.Background(), asOf)
		if err != nil {
			t.Fatal(err)
		}
		if res.Escalations != 15 || res.Digests != 1 {
			t.Fatalf("scan: %+v, want 15 escalations in 1 digest", res)
		}
		var digest models.Notification
		if err := w.db.R.Where("kind = 'escalation' AND channel = 'inapp'").First(&digest).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(digest.Title, ": 15 nhiệm vụ") {
			t.Errorf("title %q does not count 15 tasks", digest.Title)
		}
		for _, want := range []string{"Bộ Y tế (13 nhiệm vụ)", "Bộ Công an (2 nhiệm vụ)",
			"… và 3 nhiệm vụ khác: ", "/tasks?overdue=true&agency=BYT"} {
			if !strings.Contains(digest.Body, want) {
				t.Errorf("digest body lacks %q:\n%s", want, digest.Body)
			}
		}
		if strings.Contains(digest.Body, "agency=BCA") {
			t.Errorf("BCA has only 2 tasks, all named, but the digest points to more:\n%s", digest.Body)
		}
		var named []int64
		for _, line := range strings.Split(digest.Body, "\n") {
			var id int64
			if _, err := fmt.Sscanf(line, "  - #%d,", &id); err == nil {
				named = append(named, id)
			}
		}
		// Agencies by name: Bộ Công an before Bộ Y tế.
		if want := append(slices.Clone(bca), byt[:10]...); !slices.Equal(named, want) {
			t.Errorf("named %v, want BCA's two then BYT's ten oldest deadlines: %v", named, want)
		}
	})
}
