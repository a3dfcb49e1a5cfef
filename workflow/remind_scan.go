package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage"
)

// scanBatch is how many tasks one scan transaction takes: small enough to
// hold locks briefly and to stay far below SQLite's bound-variable limit.
const scanBatch = 500

// ScanResult is what one reminder scan did.
type ScanResult struct {
	AsOf        civil.Date
	Tasks       int // tasks looked at
	Batches     int // transactions of at most scanBatch tasks
	Reminders   int // reminders created for agencies
	Escalations int // tasks escalated to leaders
	Digests     int // digests queued for leaders
	ByRule      map[string]int
	Duration    time.Duration
}

// Scan runs the reminder scan for day asOf (docs/DESIGN.md §7). It reads
// only the open tasks whose next reminder day has come (an index range),
// records each due reminder under its once-only key (task, rule, due date),
// and queues its notifications in the same transaction; a reminder whose
// key exists already (another replica, an earlier run) is skipped, so
// running the scan again, or on several replicas at once, sends nothing
// twice. Escalations are then gathered into one digest per leader.
func (s *Service) Scan(ctx context.Context, asOf civil.Date) (ScanResult, error) {
	start := time.Now()
	res := ScanResult{AsOf: asOf, ByRule: map[string]int{}}
	run := models.ScanRun{AsOf: asOf, Replica: s.replica, StartedAt: s.clock.Now()}
	if err := s.db.W.WithContext(ctx).Create(&run).Error; err != nil {
		return res, err
	}
	cal := s.cal.Current()
	if !cal.IsWorkingDay(asOf) {
		// Nothing goes out on a day off; the next working day's scan sends
		// what came due meanwhile (the latest rule of each task).
		return res, s.finishRun(ctx, run, res, nil)
	}
	err := s.scanTasks(ctx, asOf, &res, true)
	if err == nil && s.db.Dialect == storage.Postgres {
		// A last pass that waits for rows other replicas hold: if one died
		// mid-scan its rows come free, and this replica takes them over.
		err = s.scanTasks(ctx, asOf, &res, false)
	}
	if err == nil {
		err = s.digestEscalations(ctx, asOf, &res)
	}
	res.Duration = time.Since(start)
	if err == nil && (res.Reminders > 0 || res.Digests > 0) {
		s.outbox.Wake()
	}
	return res, s.finishRun(ctx, run, res, err)
}

func (s *Service) finishRun(ctx context.Context, run models.ScanRun, res ScanResult, scanErr error) error {
	now := s.clock.Now()
	upd := map[string]any{"finished_at": now, "tasks": res.Tasks, "reminders": res.Reminders, "escalations": res.Escalations}
	if scanErr != nil {
		upd["finished_at"], upd["error"] = nil, truncate(scanErr.Error(), 500)
	}
	err := s.db.W.WithContext(context.WithoutCancel(ctx)).Model(&models.ScanRun{}).Where("id = ?", run.ID).Updates(upd).Error
	return errors.Join(scanErr, err)
}

// scanTasks takes the due tasks batch by batch until none is left. With
// skipLocked, rows that another replica holds are passed over.
func (s *Service) scanTasks(ctx context.Context, asOf civil.Date, res *ScanResult, skipLocked bool) error {
	for {
		n := 0
		err := s.inTx(ctx, func(tx *gorm.DB) error {
			var ids []int64
			q := tx.Model(&models.Task{}).Select("id").
				// Only open tasks have a next day (saveTask keeps it so),
				// and the range alone is what the partial index serves.
				Where("next_remind_on <= ?", asOf).
				Order("next_remind_on, id").Limit(scanBatch)
			lock := clause.Locking{Strength: "UPDATE"}
			if skipLocked {
				lock.Options = "SKIP LOCKED"
			}
			if err := q.Clauses(lock).Pluck("id", &ids).Error; err != nil {
				return err
			}
			n = len(ids)
			if n == 0 {
				return nil
			}
			views, err := s.taskViewsByID(tx.Statement.Context, tx, ids)
			if err != nil {
				return err
			}
			if err := s.remindBatch(tx, views, asOf, res); err != nil {
				return err
			}
			res.Tasks += n
			res.Batches++
			return nil
		})
		if err != nil || n < scanBatch {
			return err
		}
	}
}

// remindBatch records and queues what is due for a batch of tasks on asOf,
// and plans each task's next reminder day. The statements are per batch,
// not per task: one INSERT of the reminders (the once-only keys decide
// which are new), one lookup of each agency's users, multi-row INSERTs of
// the outbox rows, one UPDATE per next day.
func (s *Service) remindBatch(tx *gorm.DB, tasks []TaskView, asOf civil.Date, res *ScanResult) error {
	cal := s.cal.Current()
	now := s.clock.Now()
	type candidate struct {
		task *TaskView
		rule Reminder
		row  models.Reminder
	}
	var cands []candidate
	next := map[civil.Date][]int64{}
	for i := range tasks {
		t := &tasks[i]
		if !Status(t.Status).CanBeOverdue() {
			next[civil.Date{}] = append(next[civil.Date{}], t.ID) // finished: nothing more
			continue
		}
		since := civil.DateOf(t.CreatedAt.In(Location))
		due := s.policy.Due(t.DueOn, since, asOf, cal)
		nx := s.policy.Next(t.DueOn, asOf, cal)
		if t.DueOn.IsZero() && t.DirectiveReportingPeriod != "" {
			due = periodReminders(*t, asOf, cal)
			nx = nextPeriodCheck(t.DirectiveReportingPeriod, asOf, cal)
		}
		for _, r := range due {
			key := t.DueOn
			if key.IsZero() {
				key = r.Nominal // a reporting period's end
			}
			cands = append(cands, candidate{t, r, models.Reminder{TaskID: t.ID, Rule: r.Rule, DueOn: key, FireOn: r.FireOn, AsOf: asOf, CreatedAt: now}})
		}
		next[nx] = append(next[nx], t.ID)
	}
	rows := make([]models.Reminder, len(cands))
	for i, c := range cands {
		rows[i] = c.row
	}
	created, err := s.insertReminders(tx, rows)
	if err != nil {
		return err
	}
	q := s.outbox.Queue(tx, now)
	sent := map[int64]*sentSummary{}
	for _, c := range cands {
		id, ok := created[reminderKey{c.row.TaskID, c.row.Rule, c.row.DueOn}]
		if !ok {
			continue // already reminded: by an earlier scan or another replica
		}
		c.row.ID = id
		sent[c.row.TaskID] = sent[c.row.TaskID].add(c.row)
		res.ByRule[ruleFamily(c.rule.Rule)]++
		if c.rule.Escalation() {
			res.Escalations++ // the digest step gathers it
			continue
		}
		res.Reminders++
		left := 0
		if !c.task.DueOn.IsZero() {
			left = cal.WorkingDaysBetween(asOf, c.task.DueOn)
		}
		if err := q.Agency(c.task.AgencyCode, reminderNotice(*c.task, c.rule, c.row, asOf, left, s.base)); err != nil {
			return err
		}
	}
	if err := q.Flush(); err != nil {
		return err
	}
	if err := s.addSentSummaries(tx, sent, asOf); err != nil {
		return err
	}
	for day, ids := range next {
		if err := tx.Model(&models.Task{}).Where("id IN ?", ids).Update("next_remind_on", day).Error; err != nil {
			return err
		}
	}
	return nil
}

// sentSummary is what one scan recorded for a task: the counts to add to
// the task's and the rule of the latest reminder.
type sentSummary struct {
	n, escalations int
	lastID         int64
	lastRule       string
}

func (x *sentSummary) add(r models.Reminder) *sentSummary {
	if x == nil {
		x = &sentSummary{}
	}
	x.n++
	if r.Rule == RuleEscalate {
		x.escalations++
	}
	if r.ID > x.lastID {
		x.lastID, x.lastRule = r.ID, r.Rule
	}
	return x
}

// addSentSummaries adds what the scan recorded to each task's counts
// (GET /tasks shows them), in one UPDATE per kind of summary: a day's
// reminders are mostly of a few rules, one each.
func (s *Service) addSentSummaries(tx *gorm.DB, sent map[int64]*sentSummary, asOf civil.Date) error {
	type kind struct {
		n, escalations int
		rule           string
	}
	byKind := map[kind][]int64{}
	for id, x := range sent {
		k := kind{x.n, x.escalations, x.lastRule}
		byKind[k] = append(byKind[k], id)
	}
	for k, ids := range byKind {
		slices.Sort(ids)
		for chunk := range slices.Chunk(ids, 500) {
			_, err := s.db.Exec(tx, `UPDATE tasks SET reminders_sent = reminders_sent + ?, escalations = escalations + ?,
				last_reminder_rule = ?, last_reminder_on = ? WHERE id IN (`+storage.Placeholders(len(chunk))+`)`,
				append([]any{k.n, k.escalations, k.rule, asOf}, storage.Anys(chunk)...)...)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

type reminderKey struct {
	taskID int64
	rule   string
	due    civil.Date
}

// insertReminders writes the reminders that are not recorded yet and
// returns the ids of those it wrote, by key: the unique key (task, rule,
// due date) skips those another scan or replica recorded first.
func (s *Service) insertReminders(tx *gorm.DB, rows []models.Reminder) (map[reminderKey]int64, error) {
	created := make(map[reminderKey]int64, len(rows))
	for chunk := range slices.Chunk(rows, 500) { // 6 variables a row, far below SQLite's limit
		args := make([]any, 0, 6*len(chunk))
		for _, r := range chunk {
			args = append(args, r.TaskID, r.Rule, r.DueOn, r.FireOn, r.AsOf, r.CreatedAt)
		}
		q := "INSERT INTO reminders (task_id, rule, due_on, fire_on, as_of, created_at) VALUES " + storage.RowValues(len(chunk), 6) +
			" ON CONFLICT DO NOTHING RETURNING id, task_id, rule, due_on"
		rows, err := s.db.Query(tx.Statement.Context, tx, q, args...)
		if err != nil {
			return nil, err
		}
		err = storage.EachRow(rows, func() error {
			var id int64
			var k reminderKey
			if err := rows.Scan(&id, &k.taskID, &k.rule, &k.due); err != nil {
				return err
			}
			created[k] = id
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return created, nil
}

func ruleFamily(rule string) string {
	if i := strings.IndexByte(rule, '-'); i > 0 {
		return rule[:i]
	}
	return rule
}

// taskData is a task as webhooks receive it.
func taskData(t TaskView) map[string]any {
	return map[string]any{"id": t.ID, "directive_id": t.DirectiveID, "agency_code": t.AgencyCode, "role": t.Role,
		"status": t.Status, "due_on": t.DueOn.Ptr(), "directive": t.DirectiveContent, "document_number": t.DocumentNumber}
}

func reminderNotice(t TaskView, r Reminder, row models.Reminder, asOf civil.Date, left int, base string) notify.Notice {
	due := t.DueOn.Time().Format("02/01/2006")
	var title, lead string
	switch {
	case r.Rule == RuleReport:
		title = fmt.Sprintf("Nhắc báo cáo định kỳ: nhiệm vụ #%d", t.ID)
		lead = fmt.Sprintf("Kỳ báo cáo kết thúc ngày %s đã qua mà cơ quan chưa báo cáo tiến độ nhiệm vụ.", r.Nominal.Time().Format("02/01/2006"))
	case t.DueOn.Before(asOf):
		days := t.DueOn.DaysUntil(asOf)
		title = fmt.Sprintf("Nhiệm vụ #%d đã quá hạn %d ngày", t.ID, days)
		lead = fmt.Sprintf("Nhiệm vụ có thời hạn ngày %s đã quá hạn %d ngày mà chưa được báo cáo hoàn thành.", due, days)
	case t.DueOn == asOf:
		title = fmt.Sprintf("Nhiệm vụ #%d đến hạn hôm nay", t.ID)
		lead = fmt.Sprintf("Hôm nay (%s) là hạn hoàn thành nhiệm vụ.", due)
	default:
		title = fmt.Sprintf("Nhắc việc: nhiệm vụ #%d còn %d ngày làm việc đến hạn", t.ID, left)
		lead = fmt.Sprintf("Nhiệm vụ có thời hạn ngày %s, còn %d ngày làm việc.", due, left)
	}
	body := fmt.Sprintf("%s\n\nCơ quan: %s\nVăn bản: %s\nNội dung: %s\n\nXem và cập nhật tiến độ: %s/tasks/%d",
		lead, t.AgencyName, t.DocumentNumber, truncate(t.DirectiveContent, 600), base, t.ID)
	return notify.Notice{
		Kind: notify.KindReminder, TaskID: t.ID, Key: fmt.Sprintf("reminder-%d", row.ID), Title: title, Body: body,
		Data: map[string]any{"rule": r.Rule, "as_of": asOf.String(), "days_overdue": max(0, t.DueOn.DaysUntil(asOf)),
			"task": map[string]any{"id": t.ID, "agency_code": t.AgencyCode, "status": t.Status, "due_on": t.DueOn.Ptr(),
				"directive": t.DirectiveContent, "document_number": t.DocumentNumber}},
	}
}

// ScanAs runs the reminder scan for a given day on an admin's request: to
// catch up after an outage or to check a policy. It obeys the same
// once-only keys as the scheduled scan.
func (s *Service) ScanAs(ctx context.Context, actor Actor, asOf civil.Date) (ScanResult, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return ScanResult{}, err
	}
	if asOf.After(s.Today()) {
		return ScanResult{}, Invalid{{Field: "as_of", Message: "is in the future: reminders go out on their day, not before", Value: asOf.String()}}.Err()
	}
	return s.Scan(ctx, asOf)
}

// ScanRuns lists the latest scan runs, newest first.
func (s *Service) ScanRuns(ctx context.Context, limit int) ([]models.ScanRun, error) {
	var runs []models.ScanRun
	err := s.reader(ctx).Order("id DESC").Limit(limit).Find(&runs).Error
	return runs, err
}

// ScannedOn reports whether a scan for day d has finished.
func (s *Service) ScannedOn(ctx context.Context, d civil.Date) (bool, error) {
	var n int64
	err := s.reader(ctx).Model(&models.ScanRun{}).Where("as_of = ? AND finished_at IS NOT NULL", d).Count(&n).Error
	return n > 0, err
}
