package workflow

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage"
	"gorm.io/gorm"
)

// digestEscalations gathers the escalations not yet sent into one digest
// per leader, in one transaction: the escalations are claimed (marked
// digested, an UPDATE … RETURNING, so two replicas never claim the same
// one) with the digests queued, so a crash leaves them for the next run
// rather than losing or doubling them. However many tasks are escalated, a
// leader gets one message a day: counts by agency and the most overdue
// tasks of each, with a link to the whole list.
func (s *Service) digestEscalations(ctx context.Context, asOf civil.Date, res *ScanResult) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.clock.Now()
		// The rule is a literal, as the partial index reminders_undigested states it.
		rows, err := s.db.Query(tx.Statement.Context, tx,
			"UPDATE reminders SET digested_at = ? WHERE rule = 'escalate' AND digested_at IS NULL RETURNING id, task_id", now)
		if err != nil {
			return err
		}
		var firstID int64
		var taskIDs []int64
		err = storage.EachRow(rows, func() error {
			var id, taskID int64
			if err := rows.Scan(&id, &taskID); err != nil {
				return err
			}
			if firstID == 0 || id < firstID {
				firstID = id
			}
			taskIDs = append(taskIDs, taskID)
			return nil
		})
		if err != nil || len(taskIDs) == 0 {
			return err
		}
		slices.Sort(taskIDs) // a task escalated on two days without a digest between is listed once
		taskIDs = slices.Compact(taskIDs)
		named, counts, err := s.mostOverdue(tx, taskIDs)
		if err != nil {
			return err
		}
		views, err := s.taskViewsByID(tx.Statement.Context, tx, named)
		if err != nil {
			return err
		}
		var leaders []models.User
		if err := tx.Where("role = ? AND NOT disabled", string(RoleLeader)).Order("id").Find(&leaders).Error; err != nil {
			return err
		}
		n := digestNotice(views, counts, len(taskIDs), asOf, firstID, s.base)
		q := s.outbox.Queue(tx, now)
		q.Users(leaders, n)
		if err := q.Webhooks("", n); err != nil {
			return err
		}
		if err := q.Flush(); err != nil {
			return err
		}
		res.Digests += len(leaders)
		return nil
	})
}

// digestDetail is how many tasks of each agency a digest lists by name,
// the most overdue first; the rest are counted.
const digestDetail = 10

// mostOverdue chooses, of the tasks ids (sorted), the digestDetail of each
// agency that a digest names, and counts each agency's tasks. It reads only
// the id, agency and due date of each: a long backlog escalated at once is
// 100,000 tasks, of which a digest names a few hundred.
func (s *Service) mostOverdue(tx *gorm.DB, ids []int64) (named []int64, counts map[string]int, err error) {
	type escalated struct {
		id    int64
		dueOn civil.Date
	}
	byAgency := map[string][]escalated{}
	for chunk := range slices.Chunk(ids, 500) {
		rows, err := s.db.Query(tx.Statement.Context, tx, "SELECT id, agency_code, "+s.db.DateText("due_on")+" FROM tasks WHERE id IN ("+storage.Placeholders(len(chunk))+")", storage.Anys(chunk)...)
		if err != nil {
			return nil, nil, err
		}
		err = storage.EachRow(rows, func() error {
			var e escalated
			var code string
			if err := rows.Scan(&e.id, &code, &e.dueOn); err != nil {
				return err
			}
			byAgency[code] = append(byAgency[code], e)
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	counts = make(map[string]int, len(byAgency))
	for code, list := range byAgency {
		counts[code] = len(list)
		slices.SortFunc(list, func(a, b escalated) int {
			return cmp.Or(a.dueOn.Compare(b.dueOn), cmp.Compare(a.id, b.id))
		})
		for _, e := range list[:min(len(list), digestDetail)] {
			named = append(named, e.id)
		}
	}
	slices.Sort(named)
	return named, counts, nil
}

// digestNotice is the digest of total escalated tasks, counts of them by
// agency, naming views (the most overdue of each agency, mostOverdue).
func digestNotice(views []TaskView, counts map[string]int, total int, asOf civil.Date, firstID int64, base string) notify.Notice {
	byAgency := map[string][]TaskView{}
	var names []string
	for _, v := range views {
		if _, ok := byAgency[v.AgencyName]; !ok {
			names = append(names, v.AgencyName)
		}
		byAgency[v.AgencyName] = append(byAgency[v.AgencyName], v)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "Ngày %s có %d nhiệm vụ quá hạn cần lãnh đạo đôn đốc, của %d cơ quan:\n", asOf.Time().Format("02/01/2006"), total, len(names))
	var tasks []map[string]any
	for _, name := range names {
		list := byAgency[name]
		slices.SortFunc(list, func(a, b TaskView) int { return cmp.Or(a.DueOn.Compare(b.DueOn), cmp.Compare(a.ID, b.ID)) })
		code := list[0].AgencyCode
		fmt.Fprintf(&b, "\n%s (%d nhiệm vụ)\n", name, counts[code])
		for _, v := range list {
			fmt.Fprintf(&b, "  - #%d, hạn %s, quá hạn %d ngày, văn bản %s: %s\n", v.ID, v.DueOn.Time().Format("02/01/2006"),
				v.DueOn.DaysUntil(asOf), v.DocumentNumber, truncate(v.DirectiveContent, 160))
			tasks = append(tasks, taskData(v))
		}
		if rest := counts[code] - len(list); rest > 0 {
			fmt.Fprintf(&b, "  … và %d nhiệm vụ khác: %s/tasks?overdue=true&agency=%s\n", rest, base, code)
		}
	}
	fmt.Fprintf(&b, "\nDanh sách nhiệm vụ quá hạn: %s/tasks?overdue=true\n", base)
	return notify.Notice{
		Kind: notify.KindEscalation, Key: fmt.Sprintf("digest-%s-%d", asOf, firstID),
		Title: fmt.Sprintf("Tổng hợp nhiệm vụ quá hạn ngày %s: %d nhiệm vụ", asOf.Time().Format("02/01/2006"), total),
		Body:  b.String(), Data: map[string]any{"as_of": asOf.String(), "total": total, "by_agency": counts, "tasks": tasks},
	}
}
