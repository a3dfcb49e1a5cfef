package api_test

import (
	"fmt"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestReportingPeriodsAtTheirCutOffs: one lead task, each for its own
// agency, from a document of each cut-off day (the 14th and the 15th of
// December 2025, March, June, September and December 2026), counted by
// reporting quarter, half-year and year. The periods that closed while
// statistics were read (June's and December's) are frozen then, with the
// month they end with; a task cancelled afterwards stays in them and leaves
// the live figures.
func TestReportingPeriodsAtTheirCutOffs(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		in := apptest.Start(t, tg, civil.MustDate("2025-12-14"))
		sec := in.User("vpcp.tk", workflow.RoleSecretariat, "")
		leader := in.User("lanhdao", workflow.RoleLeader, "")
		stats := func(query string) statsAnswer {
			t.Helper()
			var a statsAnswer
			leader.Do("GET", "/api/v1/stats/agencies?"+query, nil).Want(200).JSON(&a)
			return a
		}
		tasks := map[string]int64{}
		give := func(issued, agency string) {
			var doc struct{ ID int64 }
			sec.Do("POST", "/api/v1/documents", map[string]any{"number": agency + "/TB-VPCP", "kind": "conclusion_notice",
				"title": "Kết luận", "issued_on": issued}).Want(201).JSON(&doc)
			var d directive
			sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Nhiệm vụ của " + agency,
				"lead": agency, "due_on": "2027-06-30"}).Want(201).JSON(&d)
			tasks[agency] = d.Tasks[0].ID
		}
		cancel := func(agency string) {
			sec.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", tasks[agency]),
				map[string]any{"action": "cancel", "comment": "Giao lại theo văn bản khác."}).Want(200)
		}
		var frozenInJune, frozenInDecember statsAnswer
		steps := []struct {
			on string
			do func()
		}{
			{"2025-12-14", func() { give("2025-12-14", "BYT") }},
			{"2025-12-15", func() { give("2025-12-15", "BCA") }},
			{"2026-03-14", func() { give("2026-03-14", "BTC") }},
			{"2026-03-15", func() { give("2026-03-15", "BNV") }},
			{"2026-06-14", func() { give("2026-06-14", "BQP") }},
			{"2026-06-15", func() { give("2026-06-15", "BXD") }},
			// The first read after 14/06 freezes reporting month 6, quarter II
			// and the first half-year, whatever period it asks for.
			{"2026-06-15", func() { frozenInJune = stats("period=reporting-2026-06") }},
			{"2026-06-16", func() { cancel("BQP") }},
			{"2026-09-14", func() { give("2026-09-14", "BTP") }},
			{"2026-09-15", func() { give("2026-09-15", "BCT") }},
			{"2026-12-14", func() { give("2026-12-14", "BNG") }},
			{"2026-12-15", func() { give("2026-12-15", "BGDDT") }},
			{"2026-12-15", func() { frozenInDecember = stats("period=reporting-current") }},
			{"2026-12-16", func() { cancel("BNG") }},
		}
		for _, st := range steps {
			in.Clock.SetDay(civil.MustDate(st.on), 9)
			st.do()
		}

		one := c(0, 0, 1, 0, 0) // each task: open, within its deadline
		agencies := func(codes ...string) map[string]statsCounts {
			out := map[string]statsCounts{}
			for _, code := range codes {
				out[code] = one
			}
			return out
		}
		cases := []struct {
			query, key, from, to, source string
			want                         map[string]statsCounts
		}{
			{"period=reporting-2025", "2025", "2024-12-15", "2025-12-14", "snapshot", agencies("BYT")},
			{"period=reporting-2026-Q1", "2026-Q1", "2025-12-15", "2026-03-14", "snapshot", agencies("BCA", "BTC")},
			// BQP's task was cancelled after quarter II was frozen: still in it.
			{"period=reporting-2026-Q2", "2026-Q2", "2026-03-15", "2026-06-14", "snapshot", agencies("BNV", "BQP")},
			{"from=2026-03-15&to=2026-06-14", "2026-Q2", "2026-03-15", "2026-06-14", "snapshot", agencies("BNV", "BQP")},
			{"period=reporting-2026-Q3", "2026-Q3", "2026-06-15", "2026-09-14", "snapshot", agencies("BXD", "BTP")},
			{"period=reporting-2026-Q4", "2026-Q4", "2026-09-15", "2026-12-14", "snapshot", agencies("BCT", "BNG")},
			{"period=reporting-2026-H1", "2026-H1", "2025-12-15", "2026-06-14", "snapshot", agencies("BCA", "BTC", "BNV", "BQP")},
			{"period=reporting-2026-H2", "2026-H2", "2026-06-15", "2026-12-14", "snapshot", agencies("BXD", "BTP", "BCT", "BNG")},
			// The year was frozen on 15/12, after BQP's task was cancelled:
			// not in it, though quarter II and the first half keep it.
			{"period=reporting-2026", "2026", "2025-12-15", "2026-12-14", "snapshot",
				agencies("BCA", "BTC", "BNV", "BXD", "BTP", "BCT", "BNG")},
			{"from=2025-12-15&to=2026-12-14", "2026", "2025-12-15", "2026-12-14", "snapshot",
				agencies("BCA", "BTC", "BNV", "BXD", "BTP", "BCT", "BNG")},
			{"period=reporting-2027", "2027", "2026-12-15", "2027-12-14", "live", agencies("BGDDT")},
			// Live figures no longer count the cancelled tasks.
			{"period=2026", "", "2026-01-01", "2026-12-31", "live", agencies("BTC", "BNV", "BXD", "BTP", "BCT", "BGDDT")},
			{"from=2026-03-15&to=2026-06-13", "", "2026-03-15", "2026-06-13", "live", agencies("BNV")},
			{"period=all", "", "", "", "live", agencies("BYT", "BCA", "BTC", "BNV", "BXD", "BTP", "BCT", "BGDDT")},
		}
		for _, c := range cases {
			a := stats(c.query)
			var from, to string
			if a.Period.From != nil {
				from = *a.Period.From
			}
			if a.Period.To != nil {
				to = *a.Period.To
			}
			if a.Period.ReportingPeriod != c.key || from != c.from || to != c.to || a.Source != c.source {
				t.Errorf("%s: period %s %s..%s, source %s; want %q %s..%s, %s", c.query, a.Period.ReportingPeriod, from, to, a.Source, c.key, c.from, c.to, c.source)
			}
			if want := c.to; c.source == "snapshot" && a.AsOf != want {
				t.Errorf("%s: judged on %s, want its last day %s", c.query, a.AsOf, want)
			}
			checkCounts(t, c.query, a.byAgency(), c.want)
		}

		// A quarter, half-year or year is frozen with the month it ends with.
		for month, periods := range map[string][]string{"2026-06": {"2026-Q2", "2026-H1"}, "2026-12": {"2026-Q4", "2026-H2", "2026"}} {
			m := stats("period=reporting-" + month)
			if m.SnapshotTakenAt == nil {
				t.Fatalf("reporting month %s has no snapshot", month)
			}
			for _, p := range periods {
				if a := stats("period=reporting-" + p); a.SnapshotTakenAt == nil || !a.SnapshotTakenAt.Equal(*m.SnapshotTakenAt) {
					t.Errorf("%s frozen at %v, want with month %s at %v", p, a.SnapshotTakenAt, month, *m.SnapshotTakenAt)
				}
			}
		}
		if frozenInJune.Source != "snapshot" || frozenInDecember.Source != "live" || frozenInDecember.Period.ReportingPeriod != "2027-01" {
			t.Errorf("reads that froze: June %s %s, December %s %s", frozenInJune.Source, frozenInJune.Period.ReportingPeriod,
				frozenInDecember.Source, frozenInDecember.Period.ReportingPeriod)
		}

		leader.Do("GET", "/api/v1/stats/agencies?period=reporting-2026-Q5", nil).Want(422)
		leader.Do("GET", "/api/v1/stats/agencies?period=reporting-2026-H3", nil).Want(422)
		leader.Do("GET", "/api/v1/stats/agencies?period=all&from=2026-01-01", nil).Want(422)
	})
}

// The completion rate is null when nothing is completed or late: the
// OpenAPI document says so wherever the counts appear.
func TestCompletionRateIsNullableInOpenAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type any `json:"type"`
				} `json:"properties"`
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	in.Anonymous().Do("GET", "/api/v1/openapi.json", nil).Want(200).JSON(&doc)
	for _, name := range []string{"StatsCounts", "AgencyStatsItem", "TrendPoint"} {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		if got := fmt.Sprint(s.Properties["completion_rate"].Type); got != "[number null]" {
			t.Errorf("%s.completion_rate has type %s, want [number null]", name, got)
		}
	}
}
