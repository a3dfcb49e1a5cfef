package api

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// The API's own shapes: requests are never bound into models, and models are
// never serialised; each response type has one converter from the domain.

// List is the envelope of every list: a page of items and the cursor of the
// next page ("" on the last).
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor" doc:"Pass as ?cursor= to get the next page; empty on the last page"`
}

// listOut is a list handler's answer: rows converted by conv, and the next
// page's cursor ("" on the last page, and for lists that are not paged).
func listOut[M, T any](rows []M, next string, conv func(M) T) *struct{ Body List[T] } {
	out := &struct{ Body List[T] }{}
	out.Body.Items, out.Body.NextCursor = make([]T, len(rows)), next
	for i, r := range rows {
		out.Body.Items[i] = conv(r)
	}
	return out
}

// PageParams are the paging query parameters of every list.
type PageParams struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page"`
	Cursor string `query:"cursor" maxLength:"512" doc:"next_cursor of the previous page"`
}

func (p PageParams) page() workflow.Page { return workflow.Page{Limit: p.Limit, Cursor: p.Cursor} }

// Agency in responses.
type Agency struct {
	Code          string      `json:"code" example:"BYT"`
	Name          string      `json:"name" example:"Bộ Y tế"`
	ShortName     string      `json:"short_name"`
	Kind          string      `json:"kind" enum:"ministry,ministerial_agency,government_agency,province,committee,other"`
	ValidFrom     *civil.Date `json:"valid_from" format:"date" nullable:"true"`
	ValidTo       *civil.Date `json:"valid_to" format:"date" nullable:"true" doc:"The last day the agency existed; null while it exists"`
	SuccessorCode string      `json:"successor_code,omitempty" doc:"The agency that took over its work"`
	Aliases       []string    `json:"aliases"`
}

func agencyOut(a catalog.Agency) Agency {
	aliases := a.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return Agency{Code: a.Code, Name: a.Name, ShortName: a.ShortName, Kind: string(a.Kind),
		ValidFrom: a.ValidFrom.Ptr(), ValidTo: a.ValidTo.Ptr(), SuccessorCode: a.SuccessorCode, Aliases: aliases}
}

// Document in responses.
type Document struct {
	ID        int64      `json:"id"`
	Number    string     `json:"number" example:"123/TB-VPCP"`
	Kind      string     `json:"kind"`
	KindLabel string     `json:"kind_label" example:"Thông báo kết luận"`
	Title     string     `json:"title"`
	IssuedOn  civil.Date `json:"issued_on" format:"date"`
	Signer    string     `json:"signer"`
	Body      string     `json:"body,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

func documentOut(d models.Document, withBody bool) Document {
	out := Document{ID: d.ID, Number: d.Number, Kind: d.Kind, KindLabel: workflow.DocumentKindLabels[workflow.DocumentKind(d.Kind)],
		Title: d.Title, IssuedOn: d.IssuedOn, Signer: d.Signer, CreatedAt: d.CreatedAt}
	if withBody {
		out.Body = d.Body
	}
	return out
}

// Task in responses.
type Task struct {
	ID               int64       `json:"id"`
	DirectiveID      int64       `json:"directive_id"`
	DirectiveContent string      `json:"directive_content"`
	Field            string      `json:"field"`
	DocumentID       int64       `json:"document_id"`
	DocumentNumber   string      `json:"document_number"`
	DocumentIssuedOn civil.Date  `json:"document_issued_on" format:"date"`
	AgencyCode       string      `json:"agency_code"`
	AgencyName       string      `json:"agency_name"`
	Role             string      `json:"role" enum:"lead,coordinator"`
	Status           string      `json:"status" enum:"assigned,in_progress,reported,completed,cancelled"`
	StatusLabel      string      `json:"status_label" example:"Đang thực hiện"`
	DueOn            *civil.Date `json:"due_on" format:"date" nullable:"true" doc:"The effective due date; moved by approved extensions"`
	OriginalDueOn    *civil.Date `json:"original_due_on" format:"date" nullable:"true"`
	AssignedOn       civil.Date  `json:"assigned_on" format:"date"`
	ReportedOn       *civil.Date `json:"reported_on" format:"date" nullable:"true"`
	CompletedOn      *civil.Date `json:"completed_on" format:"date" nullable:"true"`
	Overdue          bool        `json:"overdue"`
	DaysOverdue      int         `json:"days_overdue" doc:"Calendar days past the due date while overdue, else 0"`
	Percent          int         `json:"percent"`
	Version          int         `json:"version" doc:"Also sent as the ETag; send it back as If-Match to change the task"`
	AllowedActions   []string    `json:"allowed_actions" doc:"The transitions the caller may make now"`
	CreatedAt        time.Time   `json:"created_at"`
	UpdatedAt        time.Time   `json:"updated_at"`
	// The overdue review's columns, filled by GET /tasks and GET /tasks/{id}
	// (see api/stats_overdue.go).
	DaysOverdueWorking *int           `json:"days_overdue_working,omitempty" doc:"Working days past the due date while overdue, else 0 (GET /tasks and GET /tasks/{id})"`
	LastReport         *TaskReportRef `json:"last_report,omitempty" doc:"The agency's latest report (GET /tasks and GET /tasks/{id})"`
	RemindersSent      *RemindersSent `json:"reminders_sent,omitempty" doc:"The reminders and urgings the task has had (GET /tasks and GET /tasks/{id})"`
}

func taskOut(t workflow.TaskView, actor workflow.Actor, today civil.Date) Task {
	actions := workflow.AllowedActions(actor, workflow.Status(t.Status), t.AgencyCode)
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = string(a)
	}
	return Task{
		ID: t.ID, DirectiveID: t.DirectiveID, DirectiveContent: t.DirectiveContent, Field: t.DirectiveField,
		DocumentID: t.DocumentID, DocumentNumber: t.DocumentNumber, DocumentIssuedOn: t.DocumentIssuedOn,
		AgencyCode: t.AgencyCode, AgencyName: t.AgencyName, Role: t.Role, Status: t.Status,
		StatusLabel: workflow.StatusLabels[workflow.Status(t.Status)],
		DueOn:       t.DueOn.Ptr(), OriginalDueOn: t.OriginalDueOn.Ptr(), AssignedOn: t.AssignedOn,
		ReportedOn: t.ReportedOn.Ptr(), CompletedOn: t.CompletedOn.Ptr(),
		Overdue: t.Overdue(today), DaysOverdue: t.DaysOverdue(today), Percent: t.Percent, Version: t.Version,
		AllowedActions: names, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
}

func tasksOut(ts []workflow.TaskView, actor workflow.Actor, today civil.Date) []Task {
	out := make([]Task, len(ts))
	for i, t := range ts {
		out[i] = taskOut(t, actor, today)
	}
	return out
}

// Directive in responses.
type Directive struct {
	ID               int64       `json:"id"`
	DocumentID       int64       `json:"document_id"`
	DocumentNumber   string      `json:"document_number"`
	Content          string      `json:"content"`
	Field            string      `json:"field"`
	Priority         string      `json:"priority" enum:"normal,urgent,very_urgent,flash"`
	DueKind          string      `json:"due_kind" enum:"date,working_days,period,urgent,ongoing,none"`
	DueOn            *civil.Date `json:"due_on" format:"date" nullable:"true"`
	DueInWorkingDays *int        `json:"due_in_working_days"`
	DuePeriod        string      `json:"due_period,omitempty"`
	ReportingPeriod  string      `json:"reporting_period,omitempty"`
	Group            string      `json:"group,omitempty"`
	CreatedAt        time.Time   `json:"created_at"`
	Tasks            []Task      `json:"tasks"`
}

func directiveOut(d workflow.DirectiveView, actor workflow.Actor, today civil.Date) Directive {
	return Directive{
		ID: d.ID, DocumentID: d.DocumentID, DocumentNumber: d.DocumentNumber, Content: d.Content, Field: d.Field,
		Priority: d.Priority, DueKind: d.DueKind, DueOn: d.DueOn.Ptr(), DueInWorkingDays: d.DueInWorkingDays,
		DuePeriod: d.DuePeriod, ReportingPeriod: d.ReportingPeriod, Group: d.AgencyGroup, CreatedAt: d.CreatedAt,
		Tasks: tasksOut(d.Tasks, actor, today),
	}
}

// Event in responses: one entry of a task's history.
type Event struct {
	ID        int64          `json:"id"`
	TaskID    int64          `json:"task_id"`
	Seq       int            `json:"seq"`
	Action    string         `json:"action"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Actor     string         `json:"actor"`
	ActorRole string         `json:"actor_role"`
	At        time.Time      `json:"at"`
	Comment   string         `json:"comment"`
	Data      map[string]any `json:"data,omitempty"`
	PrevHash  string         `json:"prev_hash"`
	Hash      string         `json:"hash"`
}

func eventOut(e models.Event) Event {
	var data map[string]any
	if e.Data != "" {
		_ = json.Unmarshal([]byte(e.Data), &data)
	}
	return Event{ID: e.ID, TaskID: e.TaskID, Seq: e.Seq, Action: e.Action, From: e.FromStatus, To: e.ToStatus,
		Actor: e.Actor, ActorRole: e.ActorRole, At: e.At, Comment: e.Comment, Data: data, PrevHash: e.PrevHash, Hash: e.Hash}
}

// Report in responses.
type Report struct {
	ID      int64     `json:"id"`
	TaskID  int64     `json:"task_id"`
	Kind    string    `json:"kind" enum:"progress,completion"`
	Body    string    `json:"body"`
	Percent int       `json:"percent"`
	Author  string    `json:"author"`
	At      time.Time `json:"at"`
	// Attachments are the report's files (multipart uploads).
	Attachments []Attachment `json:"attachments"`
}

func reportOut(r models.Report) Report {
	return Report{ID: r.ID, TaskID: r.TaskID, Kind: r.Kind, Body: r.Body, Percent: r.Percent, Author: r.Author, At: r.At,
		Attachments: []Attachment{}}
}

// Extension in responses.
type Extension struct {
	ID              int64       `json:"id"`
	TaskID          int64       `json:"task_id"`
	RequestedDueOn  civil.Date  `json:"requested_due_on" format:"date"`
	CurrentDueOn    *civil.Date `json:"current_due_on" format:"date" nullable:"true" doc:"The due date when the request was made"`
	GrantedDueOn    *civil.Date `json:"granted_due_on" format:"date" nullable:"true" doc:"The due date the approval set, which may differ from the requested one; null until approved"`
	Reason          string      `json:"reason"`
	Status          string      `json:"status" enum:"pending,approved,rejected"`
	RequestedBy     string      `json:"requested_by"`
	RequestedAt     time.Time   `json:"requested_at"`
	DecidedBy       string      `json:"decided_by,omitempty"`
	DecidedAt       *time.Time  `json:"decided_at"`
	DecisionComment string      `json:"decision_comment,omitempty"`
	// Attachments are the request's files (multipart uploads).
	Attachments []Attachment `json:"attachments"`
}

func extensionOut(e models.ExtensionRequest) Extension {
	return Extension{ID: e.ID, TaskID: e.TaskID, RequestedDueOn: e.RequestedDueOn, CurrentDueOn: e.CurrentDueOn.Ptr(),
		GrantedDueOn: e.GrantedDueOn.Ptr(), Reason: e.Reason, Status: e.Status, RequestedBy: e.RequestedBy, RequestedAt: e.RequestedAt,
		DecidedBy: e.DecidedBy, DecidedAt: e.DecidedAt, DecisionComment: e.DecisionComment, Attachments: []Attachment{}}
}

// Attachment is a stored file, in responses.
type Attachment struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name" example:"Báo cáo số 123-BC-BYT.pdf"`
	Size        int64     `json:"size" doc:"In bytes"`
	ContentType string    `json:"content_type" example:"application/pdf" doc:"As the file's bytes show it, not as the client said"`
	SHA256      string    `json:"sha256" doc:"Hex SHA-256 of the content; the task's event records it"`
	URL         string    `json:"url" example:"/api/v1/attachments/7"`
	CreatedAt   time.Time `json:"created_at"`
}

func attachmentOut(a models.Attachment) Attachment {
	return Attachment{ID: a.ID, Name: a.Name, Size: a.Size, ContentType: a.ContentType, SHA256: a.SHA256,
		URL: fmt.Sprintf("%s/attachments/%d", BasePath, a.ID), CreatedAt: a.CreatedAt}
}

func attachmentsOut(as []models.Attachment) []Attachment {
	out := make([]Attachment, len(as))
	for i, a := range as {
		out[i] = attachmentOut(a)
	}
	return out
}

// User in responses.
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	Role        string    `json:"role" enum:"admin,secretariat,agency,leader"`
	AgencyCode  string    `json:"agency_code,omitempty"`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email,omitempty"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
}

func userOut(u models.User) User {
	out := User{ID: u.ID, Username: u.Username, Role: u.Role, DisplayName: u.DisplayName, Email: u.Email, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
	if u.AgencyCode != nil {
		out.AgencyCode = *u.AgencyCode
	}
	return out
}

// Notification in responses (in-app).
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	TaskID    *int64     `json:"task_id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func notificationOut(n models.Notification) Notification {
	return Notification{ID: n.ID, Kind: n.Kind, TaskID: n.TaskID, Title: n.Title, Body: n.Body, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}
