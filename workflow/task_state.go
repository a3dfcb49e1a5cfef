package workflow

import (
	"slices"
	"strings"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
)

// Status is where a task stands.
type Status string

const (
	StatusAssigned   Status = "assigned"
	StatusInProgress Status = "in_progress"
	StatusReported   Status = "reported"
	StatusCompleted  Status = "completed"
	StatusCancelled  Status = "cancelled"
)

// Statuses lists every status, in the order a task moves through them.
var Statuses = []Status{StatusAssigned, StatusInProgress, StatusReported, StatusCompleted, StatusCancelled}

// OpenStatuses are the statuses of a task that is not finished.
var OpenStatuses = []Status{StatusAssigned, StatusInProgress, StatusReported}

// ParseStatuses reads statuses separated by commas, where "open" stands
// for OpenStatuses, sorted and each once; bad is the first word that is
// not a status ("" when every one is).
func ParseStatuses(list string) (ss []Status, bad string) {
	for _, st := range strings.Split(list, ",") {
		st = strings.TrimSpace(st)
		switch {
		case st == "":
		case st == "open":
			ss = append(ss, OpenStatuses...)
		case Status(st).Valid():
			ss = append(ss, Status(st))
		default:
			return ss, st
		}
	}
	slices.Sort(ss)
	return slices.Compact(ss), ""
}

// StatusLabels are the Vietnamese names users read.
var StatusLabels = map[Status]string{
	StatusAssigned:   "Mới giao",
	StatusInProgress: "Đang thực hiện",
	StatusReported:   "Đã báo cáo hoàn thành",
	StatusCompleted:  "Đã hoàn thành",
	StatusCancelled:  "Đã hủy",
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Open reports whether a task in s is not finished.
func (s Status) Open() bool { return slices.Contains(OpenStatuses, s) }

// CanBeOverdue reports whether a task in s counts as overdue once its due
// date has passed: the agency still owes its work. A reported task has been
// handed in and waits on the secretariat.
func (s Status) CanBeOverdue() bool { return s == StatusAssigned || s == StatusInProgress }

// Action is a change of a task's status.
type Action string

const (
	ActionAcknowledge Action = "acknowledge"
	ActionReportDone  Action = "report_done"
	ActionConfirm     Action = "confirm"
	ActionReturn      Action = "return"
	ActionCancel      Action = "cancel"
	ActionReopen      Action = "reopen"
)

// Transition is one row of the state table.
type Transition struct {
	Action Action
	From   []Status
	To     Status
	Roles  []Role
	// OwnAgency: only users of the task's own agency may act.
	OwnAgency    bool
	NeedsComment bool
	NeedsReport  bool
	Label        string // Vietnamese, for people
	// Apply sets the dates the action fixes, given today in Asia/Ho_Chi_Minh.
	Apply func(t *models.Task, today civil.Date)
}

// Transitions is THE state table (docs/DESIGN.md §3): the only place that
// decides which action may move a task from which status, and who may take
// it. The API, allowed_actions and the documentation all read it.
var Transitions = []Transition{
	{
		Action: ActionAcknowledge, From: []Status{StatusAssigned}, To: StatusInProgress,
		Roles: []Role{RoleAgency}, OwnAgency: true, Label: "Tiếp nhận",
	},
	{
		Action: ActionReportDone, From: []Status{StatusAssigned, StatusInProgress}, To: StatusReported,
		Roles: []Role{RoleAgency}, OwnAgency: true, NeedsReport: true, Label: "Báo cáo hoàn thành",
		Apply: func(t *models.Task, today civil.Date) { t.ReportedOn = today },
	},
	{
		Action: ActionConfirm, From: []Status{StatusReported}, To: StatusCompleted,
		Roles: []Role{RoleSecretariat}, Label: "Xác nhận hoàn thành",
		Apply: func(t *models.Task, today civil.Date) { t.CompletedOn = today; t.Percent = 100 },
	},
	{
		Action: ActionReturn, From: []Status{StatusReported}, To: StatusInProgress,
		Roles: []Role{RoleSecretariat}, NeedsComment: true, Label: "Trả lại",
		// The report did not finish the task: it will be judged by the next.
		Apply: func(t *models.Task, _ civil.Date) { t.ReportedOn = civil.Date{} },
	},
	{
		Action: ActionCancel, From: []Status{StatusAssigned, StatusInProgress, StatusReported}, To: StatusCancelled,
		Roles: []Role{RoleSecretariat}, NeedsComment: true, Label: "Hủy",
	},
	{
		Action: ActionReopen, From: []Status{StatusCompleted, StatusCancelled}, To: StatusInProgress,
		Roles: []Role{RoleSecretariat}, NeedsComment: true, Label: "Mở lại",
		// A reopened task is open again: its completion no longer stands.
		Apply: func(t *models.Task, _ civil.Date) { t.ReportedOn = civil.Date{}; t.CompletedOn = civil.Date{} },
	},
}

// Actions lists every action, in table order.
func Actions() []Action {
	out := make([]Action, len(Transitions))
	for i, tr := range Transitions {
		out[i] = tr.Action
	}
	return out
}

// TransitionFor returns the table row of action a.
func TransitionFor(a Action) (Transition, bool) {
	for _, tr := range Transitions {
		if tr.Action == a {
			return tr, true
		}
	}
	return Transition{}, false
}

// permits reports whether the actor's role and agency allow tr on a task of
// agency agencyCode, whatever its status.
func (tr Transition) permits(actor Actor, agencyCode string) bool {
	if !slices.Contains(tr.Roles, actor.Role) {
		return false
	}
	return !tr.OwnAgency || actor.AgencyCode == agencyCode
}

// Decide checks an action against the table: ErrInvalid for an unknown
// action, ErrForbidden when the actor's role or agency may not take it,
// ErrConflict when the task's status does not allow it.
func Decide(actor Actor, status Status, agencyCode string, a Action) (Transition, error) {
	tr, ok := TransitionFor(a)
	if !ok {
		return tr, &Error{Kind: KindInvalid, Code: "unknown_action", Message: "unknown action",
			Fields: []FieldError{{Field: "action", Message: "must be one of the actions of the state table", Value: string(a)}}}
	}
	if !tr.permits(actor, agencyCode) {
		if slices.Contains(tr.Roles, actor.Role) {
			return tr, E(KindForbidden, "not_your_agency", "only the task's own agency may %s it", a)
		}
		return tr, E(KindForbidden, "role_not_allowed", "role %q may not %s a task", actor.Role, a)
	}
	if !slices.Contains(tr.From, status) {
		return tr, E(KindConflict, "transition_not_allowed", "a task that is %s cannot be %s: the action needs a task that is %v", status, a, tr.From)
	}
	return tr, nil
}

// AllowedActions lists the actions the actor may take now on a task in
// status of agency agencyCode: what a client shows as buttons.
func AllowedActions(actor Actor, status Status, agencyCode string) []Action {
	out := []Action{}
	for _, tr := range Transitions {
		if tr.permits(actor, agencyCode) && slices.Contains(tr.From, status) {
			out = append(out, tr.Action)
		}
	}
	return out
}
