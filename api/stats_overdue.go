package api

import (
	"context"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

// The overdue review is GET /tasks?overdue=true&sort=-days_overdue: each
// task of the page also carries how late it is in working days, the
// agency's last report and the reminders already sent, loaded for the whole
// page at once.

// TaskReportRef is a task's latest report, in the task list.
type TaskReportRef struct {
	ID      int64     `json:"id"`
	Kind    string    `json:"kind" enum:"progress,completion"`
	At      time.Time `json:"at"`
	Percent int       `json:"percent"`
	Author  string    `json:"author"`
	Excerpt string    `json:"excerpt" doc:"The report's first 200 characters"`
}

// RemindersSent are the reminders a task has had.
type RemindersSent struct {
	Count      int         `json:"count" doc:"Automatic reminders recorded for the task"`
	LastRule   string      `json:"last_rule,omitempty" doc:"The rule of the latest one"`
	LastOn     *civil.Date `json:"last_on" format:"date" nullable:"true" doc:"The day the latest one went out"`
	Escalated  bool        `json:"escalated" doc:"The task was escalated to leaders"`
	Urges      int         `json:"urges" doc:"Urgings by hand (đôn đốc) by leaders or the secretariat"`
	LastUrgeAt *time.Time  `json:"last_urge_at"`
}

// addTaskExtras fills the overdue review's columns of items, the API shapes
// of views, in three queries for the page.
func (s *Server) addTaskExtras(ctx context.Context, views []workflow.TaskView, items []Task) error {
	extras, err := s.svc.TaskExtrasFor(ctx, views)
	if err != nil {
		return err
	}
	for i := range items {
		x := extras[items[i].ID]
		if x == nil {
			continue
		}
		days := x.DaysOverdueWorking
		items[i].DaysOverdueWorking = &days
		r := x.Reminders
		items[i].RemindersSent = &RemindersSent{Count: r.Count, LastRule: r.LastRule, LastOn: r.LastOn.Ptr(), Escalated: r.Escalated,
			Urges: r.Urges, LastUrgeAt: r.LastUrgeAt}
		if rep := x.LastReport; rep != nil {
			items[i].LastReport = &TaskReportRef{ID: rep.ID, Kind: rep.Kind, At: rep.At, Percent: rep.Percent, Author: rep.Author,
				Excerpt: rep.Excerpt}
		}
	}
	return nil
}
