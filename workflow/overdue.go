package workflow

import (
	"context"
	"time"

	"github.com/dondoc/dondoc/models"
)

// ruleEscalate is the reminders' rule of an escalation to leaders.
const ruleEscalate = "escalate"

// TaskExtras is what the overdue review shows beside a task: how late it is
// in working days, the agency's last report, and the reminders and urgings
// it has had. TaskExtrasFor loads them for a whole page in three queries.
type TaskExtras struct {
	DaysOverdueWorking int // working days past the due date while overdue, else 0
	LastReport         *models.Report
	Reminders          ReminderSummary
}

// ReminderSummary counts the reminders a task has had.
type ReminderSummary struct {
	Count      int         // automatic reminders recorded for the task (every rule, every due date)
	LastRule   string      // the rule of the latest one
	LastOn     models.Date // the day the latest one went out (the scan's day)
	Escalated  bool        // the task was escalated to leaders
	Urges      int         // urgings by hand (đôn đốc)
	LastUrgeAt *time.Time
}

// DaysOverdueWorking is how many working days the task is overdue on today
// (0 if it is not): the working days after its due date up to today.
func (s *Service) DaysOverdueWorking(t TaskView, today models.Date) int {
	if !t.Overdue(today) {
		return 0
	}
	return s.cal.Current().WorkingDaysBetween(t.DueOn, today)
}

// TaskExtrasFor loads the extras of a page of tasks, by task id. The caller
// has already checked that the actor may see those tasks.
func (s *Service) TaskExtrasFor(ctx context.Context, tasks []TaskView) (map[int64]*TaskExtras, error) {
	out := make(map[int64]*TaskExtras, len(tasks))
	if len(tasks) == 0 {
		return out, nil
	}
	today := s.Today()
	ids := make([]int64, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
		out[t.ID] = &TaskExtras{DaysOverdueWorking: s.DaysOverdueWorking(t, today)}
	}
	db := s.reader(ctx)

	var reports []models.Report
	err := db.Raw(`SELECT r.* FROM reports r
		JOIN (SELECT task_id, MAX(id) AS id FROM reports WHERE task_id IN ? GROUP BY task_id) m ON m.id = r.id`, ids).
		Scan(&reports).Error
	if err != nil {
		return nil, err
	}
	for i := range reports {
		out[reports[i].TaskID].LastReport = &reports[i]
	}

	var reminders []struct {
		TaskID    int64
		N         int
		Escalated int
		Rule      string
		AsOf      models.Date
	}
	err = db.Raw(`SELECT r.task_id, m.n, m.escalated, r.rule, r.as_of FROM reminders r
		JOIN (SELECT task_id, COUNT(*) AS n, MAX(id) AS id, SUM(CASE WHEN rule = ? THEN 1 ELSE 0 END) AS escalated
			FROM reminders WHERE task_id IN ? GROUP BY task_id) m ON m.id = r.id`, ruleEscalate, ids).
		Scan(&reminders).Error
	if err != nil {
		return nil, err
	}
	for _, r := range reminders {
		x := &out[r.TaskID].Reminders
		x.Count, x.Escalated, x.LastRule, x.LastOn = r.N, r.Escalated > 0, r.Rule, r.AsOf
	}

	var urges []struct {
		TaskID int64
		N      int
		At     time.Time
	}
	err = db.Raw(`SELECT e.task_id, m.n, e.at FROM events e
		JOIN (SELECT task_id, COUNT(*) AS n, MAX(id) AS id FROM events WHERE task_id IN ? AND action = ? GROUP BY task_id) m ON m.id = e.id`,
		ids, EventUrge).Scan(&urges).Error
	if err != nil {
		return nil, err
	}
	for _, u := range urges {
		x := &out[u.TaskID].Reminders
		last := u.At.UTC()
		x.Urges, x.LastUrgeAt = u.N, &last
	}
	return out, nil
}
