package workflow

import (
	"context"
	"time"

	"github.com/dondoc/dondoc/civil"
)

// TaskExtras is what the overdue review shows beside a task: how late it is
// in working days, the agency's last report, and the reminders and urgings
// it has had. The task row keeps the counts; the last report's summary
// comes from memory or one query for the page.
type TaskExtras struct {
	DaysOverdueWorking int // working days past the due date while overdue, else 0
	LastReport         *ReportSummary
	Reminders          ReminderSummary
}

// ReminderSummary counts the reminders a task has had.
type ReminderSummary struct {
	Count      int        // automatic reminders recorded for the task (every rule, every due date)
	LastRule   string     // the rule of the latest one
	LastOn     civil.Date // the day the latest one went out (the scan's day)
	Escalated  bool       // the task was escalated to leaders
	Urges      int        // urgings by hand (đôn đốc)
	LastUrgeAt *time.Time
}

// DaysOverdueWorking is how many working days the task is overdue on today
// (0 if it is not): the working days after its due date up to today.
func (s *Service) DaysOverdueWorking(t TaskView, today civil.Date) int {
	if !t.Overdue(today) {
		return 0
	}
	return s.cal.Current().WorkingDaysBetween(t.DueOn, today)
}

// TaskExtrasFor gives the extras of a page of tasks, by task id. The caller
// has already checked that the actor may see those tasks.
func (s *Service) TaskExtrasFor(ctx context.Context, tasks []TaskView) (map[int64]*TaskExtras, error) {
	out := make(map[int64]*TaskExtras, len(tasks))
	today := s.Today()
	var reports []int64
	for _, t := range tasks {
		x := &TaskExtras{DaysOverdueWorking: s.DaysOverdueWorking(t, today), Reminders: ReminderSummary{
			Count: t.RemindersSent, LastRule: t.LastReminderRule, LastOn: t.LastReminderOn, Escalated: t.Escalations > 0,
			Urges: t.Urges, LastUrgeAt: t.LastUrgeAt,
		}}
		if x.Reminders.LastUrgeAt != nil {
			at := x.Reminders.LastUrgeAt.UTC()
			x.Reminders.LastUrgeAt = &at
		}
		out[t.ID] = x
		if t.LastReportID != nil {
			reports = append(reports, *t.LastReportID)
		}
	}
	if len(reports) == 0 {
		return out, nil
	}
	summaries, err := s.reportSummaries(ctx, reports)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.LastReportID != nil {
			if r, ok := summaries[*t.LastReportID]; ok {
				out[t.ID].LastReport = &r
			}
		}
	}
	return out, nil
}
