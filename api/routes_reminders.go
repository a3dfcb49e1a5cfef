package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/workflow"
)

type scanInput struct {
	Body struct {
		AsOf *civil.Date `json:"as_of,omitempty" format:"date" doc:"The day to scan for; default today (Asia/Ho_Chi_Minh)"`
	}
}

type scanOutput struct {
	Body struct {
		AsOf        civil.Date     `json:"as_of" format:"date"`
		Tasks       int            `json:"tasks" doc:"Tasks looked at"`
		Reminders   int            `json:"reminders" doc:"Reminders created for agencies"`
		Escalations int            `json:"escalations" doc:"Tasks escalated to leaders"`
		Digests     int            `json:"digests" doc:"Digests queued for leaders"`
		ByRule      map[string]int `json:"by_rule"`
		DurationMS  int64          `json:"duration_ms"`
	}
}

type adminNotification struct {
	ID            int64      `json:"id"`
	Channel       string     `json:"channel" enum:"inapp,email,webhook"`
	Kind          string     `json:"kind"`
	Recipient     string     `json:"recipient" doc:"Username, e-mail address or webhook id"`
	TaskID        *int64     `json:"task_id"`
	Title         string     `json:"title"`
	Status        string     `json:"status" enum:"pending,sent,dead"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

func adminNotificationOut(n models.Notification) adminNotification {
	return adminNotification{ID: n.ID, Channel: n.Channel, Kind: n.Kind, Recipient: n.Recipient, TaskID: n.TaskID, Title: n.Title,
		Status: n.Status, Attempts: n.Attempts, NextAttemptAt: n.NextAttemptAt, LastError: n.LastError, CreatedAt: n.CreatedAt, SentAt: n.SentAt}
}

type adminNotificationsInput struct {
	Status  string `query:"status" enum:"pending,sent,dead"`
	Channel string `query:"channel" enum:"inapp,email,webhook"`
	PageParams
}

type webhookInput struct {
	Body struct {
		URL        string   `json:"url" minLength:"1" maxLength:"2000" format:"uri"`
		Events     []string `json:"events,omitempty" maxItems:"20" enum:"task.assign,task.urge,task.reminder,task.escalation,task.reported,task.returned,task.confirmed,task.cancelled,task.reopened,task.progress,task.handed_over,task.due_changed,extension.requested,extension.decided" doc:"Event types to receive; none: all. task.assign (new task), task.urge, task.reminder, task.escalation (leaders' digest), task.reported (report_done, to the secretariat), task.returned, task.confirmed, task.cancelled, task.reopened (with the comment), task.progress (only with DONDOC_NOTIFY_PROGRESS), task.handed_over (a dissolved agency's task to its successor), task.due_changed (from_due_on, to_due_on, reason), extension.requested, extension.decided (status and requested_due_on; to_due_on, the granted date, or comment). Each delivery is POSTed as {type, timestamp, data: {task: {...}, ...}}, signed as Standard Webhooks specifies"`
		AgencyCode string   `json:"agency_code,omitempty" maxLength:"40" doc:"Only this agency's tasks"`
	}
}

// Webhook in responses. The secret is in the answer to its creation only.
type Webhook struct {
	ID         int64     `json:"id"`
	URL        string    `json:"url"`
	Events     []string  `json:"events"`
	AgencyCode string    `json:"agency_code,omitempty"`
	Active     bool      `json:"active"`
	Secret     string    `json:"secret,omitempty" doc:"The signing secret (whsec_…): shown once, at creation"`
	CreatedAt  time.Time `json:"created_at"`
}

func webhookOut(h models.Webhook) Webhook {
	out := Webhook{ID: h.ID, URL: h.URL, Active: h.Active, CreatedAt: h.CreatedAt, Events: []string{}}
	_ = jsonUnmarshal(h.Events, &out.Events)
	if h.AgencyCode != nil {
		out.AgencyCode = *h.AgencyCode
	}
	return out
}

// registerReminders registers the admin's reminder scan (issue 4).
func (s *Server) registerReminders() {
	huma.Register(s.api, s.only(s.op("run-reminder-scan", http.MethodPost, "/admin/reminders/scan", "Run the reminder scan for a day (admins)", "Reminders"), workflow.RoleAdmin),
		func(ctx context.Context, in *scanInput) (*scanOutput, error) {
			asOf := s.svc.Today()
			if in.Body.AsOf != nil {
				asOf = *in.Body.AsOf
			}
			res, err := s.svc.ScanAs(ctx, actorFrom(ctx), asOf)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &scanOutput{}
			b := &out.Body
			b.AsOf, b.Tasks, b.Reminders, b.Escalations, b.Digests, b.ByRule, b.DurationMS =
				res.AsOf, res.Tasks, res.Reminders, res.Escalations, res.Digests, res.ByRule, res.Duration.Milliseconds()
			return out, nil
		})

}

// registerOutbox registers the admin's view of the outbox: deliveries by
// status, and the retry of a dead one.
func (s *Server) registerOutbox() {
	huma.Register(s.api, s.op("list-notifications", http.MethodGet, "/admin/notifications", "The outbox: deliveries by status, dead letters with status=dead (admins)", "Reminders"),
		func(ctx context.Context, in *adminNotificationsInput) (*struct{ Body List[adminNotification] }, error) {
			ns, next, err := s.svc.Notifications(ctx, actorFrom(ctx), in.Status, in.Channel, in.page())
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			return listOut(ns, next, adminNotificationOut), nil
		})

	huma.Register(s.api, s.op("retry-notification", http.MethodPost, "/admin/notifications/{id}/retry", "Put a dead delivery back in the queue (admins)", "Reminders"),
		func(ctx context.Context, in *idInput) (*struct{ Body adminNotification }, error) {
			n, err := s.svc.RetryNotification(ctx, actorFrom(ctx), in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &struct{ Body adminNotification }{Body: adminNotificationOut(n)}, nil
		})

}

// registerWebhooks registers the webhooks admins manage.
func (s *Server) registerWebhooks() {
	huma.Register(s.api, s.only(s.op("create-webhook", http.MethodPost, "/webhooks", "Register a webhook (admins); its secret is shown once", "Webhooks", http.StatusCreated), workflow.RoleAdmin),
		func(ctx context.Context, in *webhookInput) (*struct{ Body Webhook }, error) {
			secret := notify.NewSecret()
			h, err := s.svc.CreateWebhook(ctx, actorFrom(ctx), workflow.NewWebhook{URL: in.Body.URL, Events: in.Body.Events, AgencyCode: in.Body.AgencyCode, Secret: secret})
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := webhookOut(h)
			out.Secret = secret
			return &struct{ Body Webhook }{Body: out}, nil
		})

	huma.Register(s.api, s.op("list-webhooks", http.MethodGet, "/webhooks", "The registered webhooks (admins)", "Webhooks"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body List[Webhook] }, error) {
			hs, err := s.svc.Webhooks(ctx, actorFrom(ctx))
			if err != nil {
				return nil, fail(s.log, err)
			}
			return listOut(hs, "", webhookOut), nil
		})

	huma.Register(s.api, s.op("delete-webhook", http.MethodDelete, "/webhooks/{id}", "Deactivate a webhook (admins)", "Webhooks", http.StatusNoContent),
		func(ctx context.Context, in *idInput) (*struct{}, error) {
			return nil, fail(s.log, s.svc.DeleteWebhook(ctx, actorFrom(ctx), in.ID))
		})
}
