package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// TaskFilters are the filters of GET /tasks, which GET /tasks.csv takes too
// (exported: huma reads the parameters of exported embedded structs only).
type TaskFilters struct {
	Agency      string     `query:"agency" maxLength:"40" doc:"An agency code"`
	Role        string     `query:"role" enum:"lead,coordinator"`
	Status      string     `query:"status" maxLength:"100" doc:"One status or several separated by commas (assigned, in_progress, reported, completed, cancelled), or open"`
	Overdue     string     `query:"overdue" enum:"true,false" doc:"true: only tasks past their effective due date while assigned or in progress"`
	DueBefore   civil.Date `query:"due_before" format:"date" doc:"Due strictly before this day"`
	DueAfter    civil.Date `query:"due_after" format:"date" doc:"Due strictly after this day"`
	DirectiveID int64      `query:"directive_id" minimum:"1"`
	DocumentID  int64      `query:"document_id" minimum:"1"`
	Q           string     `query:"q" maxLength:"200" doc:"Words of the directive, with or without diacritics"`
	Sort        string     `query:"sort" enum:"id,-id,due_on,-due_on,-days_overdue" default:"id" doc:"Tasks without a due date come last in the due-date orders"`
}

type tasksInput struct {
	TaskFilters
	PageParams
}

type taskInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type taskOutput struct {
	ETag string `header:"ETag"`
	Body Task
}

type transitionInput struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" doc:"The task's ETag as read; a stale one answers 412"`
	Body    struct {
		Action  string `json:"action" enum:"acknowledge,report_done,confirm,return,cancel,reopen"`
		Comment string `json:"comment,omitempty" maxLength:"4000" doc:"Required to return, cancel or reopen"`
		Report  string `json:"report,omitempty" maxLength:"100000" doc:"The completion report, required for report_done"`
	}
}

type reportInput struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match"`
	Body    struct {
		Body    string `json:"body" minLength:"1" maxLength:"100000"`
		Percent *int   `json:"percent,omitempty" minimum:"0" maximum:"100" doc:"How far along; omitted: unchanged"`
	}
}

type extensionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		RequestedDueOn civil.Date `json:"requested_due_on" format:"date"`
		Reason         string     `json:"reason" minLength:"1" maxLength:"4000"`
	}
}

type decisionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Approve bool        `json:"approve"`
		DueOn   *civil.Date `json:"due_on,omitempty" format:"date" doc:"The due date an approval grants, earlier or later than the requested one (after the task's current due date, within five years); omitted: the requested date. Ignored on a rejection"`
		Comment string      `json:"comment,omitempty" maxLength:"4000" doc:"Required to reject"`
	}
}

type urgeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Message string `json:"message" minLength:"1" maxLength:"4000"`
	}
}

type pendingExtensionsInput struct {
	Status string `query:"status" enum:"pending,approved,rejected" default:"pending"`
	PageParams
}

func (in tasksInput) filter() (workflow.TaskFilter, error) {
	f, err := in.TaskFilters.filter()
	f.Page = in.page()
	return f, err
}

func (in TaskFilters) filter() (workflow.TaskFilter, error) {
	f := workflow.TaskFilter{Agency: in.Agency, Role: workflow.TaskRole(in.Role), DueBefore: in.DueBefore, DueAfter: in.DueAfter,
		DirectiveID: in.DirectiveID, DocumentID: in.DocumentID, Q: in.Q, Sort: in.Sort}
	if in.Overdue != "" {
		v := in.Overdue == "true"
		f.Overdue = &v
	}
	var bad string
	if f.Statuses, bad = workflow.ParseStatuses(in.Status); bad != "" {
		return f, newProblem(http.StatusUnprocessableEntity, "invalid_input", "the request has invalid fields",
			&ProblemItem{Location: "query.status", Message: "must be statuses separated by commas: assigned, in_progress, reported, completed, cancelled or open", Value: bad})
	}
	return f, nil
}

func (s *Server) registerTasks() {
	huma.Register(s.api, s.op("list-tasks", http.MethodGet, "/tasks", "List the tasks the caller may see", "Tasks"),
		func(ctx context.Context, in *tasksInput) (*struct{ Body List[Task] }, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			actor := actorFrom(ctx)
			ts, next, err := s.svc.Tasks(ctx, actor, f)
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			out := &struct{ Body List[Task] }{}
			out.Body.Items, out.Body.NextCursor = tasksOut(ts, actor, s.svc.Today()), next
			if err := s.addTaskExtras(ctx, ts, out.Body.Items); err != nil {
				return nil, fail(s.log, err)
			}
			return out, nil
		})

	huma.Register(s.api, s.op("get-task", http.MethodGet, "/tasks/{id}", "One task; its version is the ETag", "Tasks"),
		func(ctx context.Context, in *taskInput) (*taskOutput, error) {
			actor := actorFrom(ctx)
			t, err := s.svc.Task(ctx, actor, in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			items := []Task{taskOut(t, actor, s.svc.Today())}
			if err := s.addTaskExtras(ctx, []workflow.TaskView{t}, items); err != nil {
				return nil, fail(s.log, err)
			}
			return &taskOutput{ETag: etag(t.Version), Body: items[0]}, nil
		})

	huma.Register(s.api, s.op("task-events", http.MethodGet, "/tasks/{id}/events", "A task's history, oldest first", "Tasks"),
		func(ctx context.Context, in *taskInput) (*struct{ Body List[Event] }, error) {
			evs, err := s.svc.Events(ctx, actorFrom(ctx), in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return listOut(evs, "", eventOut), nil
		})

	transition := s.op("transition-task", http.MethodPost, "/tasks/{id}/transitions", "Move a task through the state table", "Tasks")
	transition.Description = stateTableDoc()
	transition.Errors = append(transition.Errors, http.StatusPreconditionFailed)
	huma.Register(s.api, transition, func(ctx context.Context, in *transitionInput) (*taskOutput, error) {
		ifMatch, err := parseIfMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		actor := actorFrom(ctx)
		t, err := s.svc.Transition(ctx, actor, in.ID, workflow.TransitionInput{
			Action: workflow.Action(in.Body.Action), Comment: in.Body.Comment, Report: in.Body.Report, IfMatch: ifMatch})
		if err != nil {
			return nil, fail(s.log, err)
		}
		return &taskOutput{ETag: etag(t.Version), Body: taskOut(t, actor, s.svc.Today())}, nil
	})

	addReport := s.op("add-report", http.MethodPost, "/tasks/{id}/reports", "Report progress on a task", "Tasks", http.StatusCreated)
	addReport.Errors = append(addReport.Errors, http.StatusPreconditionFailed)
	huma.Register(s.api, addReport, func(ctx context.Context, in *reportInput) (*struct{ Body Report }, error) {
		ifMatch, err := parseIfMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		r, err := s.svc.AddReport(ctx, actorFrom(ctx), in.ID, workflow.NewReport{Body: in.Body.Body, Percent: in.Body.Percent, IfMatch: ifMatch})
		if err != nil {
			return nil, fail(s.log, err)
		}
		return &struct{ Body Report }{Body: reportOut(r)}, nil
	})

	huma.Register(s.api, s.op("list-reports", http.MethodGet, "/tasks/{id}/reports", "A task's reports, oldest first", "Tasks"),
		func(ctx context.Context, in *taskInput) (*struct{ Body List[Report] }, error) {
			rs, files, err := s.svc.ReportsWithFiles(ctx, actorFrom(ctx), in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return listOut(rs, "", func(r models.Report) Report {
				out := reportOut(r)
				out.Attachments = attachmentsOut(files[r.ID])
				return out
			}), nil
		})

	huma.Register(s.api, s.op("request-extension", http.MethodPost, "/tasks/{id}/extensions", "Ask for more time", "Extensions", http.StatusCreated),
		func(ctx context.Context, in *extensionInput) (*struct{ Body Extension }, error) {
			e, err := s.svc.RequestExtension(ctx, actorFrom(ctx), in.ID, workflow.NewExtension{RequestedDueOn: in.Body.RequestedDueOn, Reason: in.Body.Reason})
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &struct{ Body Extension }{Body: extensionOut(e)}, nil
		})

	huma.Register(s.api, s.op("list-task-extensions", http.MethodGet, "/tasks/{id}/extensions", "A task's extension requests", "Extensions"),
		func(ctx context.Context, in *taskInput) (*struct{ Body List[Extension] }, error) {
			es, err := s.svc.Extensions(ctx, actorFrom(ctx), in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			files, err := s.svc.ExtensionFiles(ctx, es)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return listOut(es, "", func(e models.ExtensionRequest) Extension {
				out := extensionOut(e)
				out.Attachments = attachmentsOut(files[e.ID])
				return out
			}), nil
		})

	huma.Register(s.api, s.op("list-extensions", http.MethodGet, "/extensions", "Extension requests across tasks (the secretariat's queue)", "Extensions"),
		func(ctx context.Context, in *pendingExtensionsInput) (*struct{ Body List[Extension] }, error) {
			es, next, err := s.svc.ExtensionQueue(ctx, actorFrom(ctx), in.Status, in.page())
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			return listOut(es, next, extensionOut), nil
		})

	huma.Register(s.api, s.op("decide-extension", http.MethodPost, "/extensions/{id}/decision", "Approve or reject an extension request", "Extensions"),
		func(ctx context.Context, in *decisionInput) (*struct{ Body Extension }, error) {
			e, err := s.svc.DecideExtension(ctx, actorFrom(ctx), in.ID, workflow.Decision{Approve: in.Body.Approve, DueOn: in.Body.DueOn, Comment: in.Body.Comment})
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &struct{ Body Extension }{Body: extensionOut(e)}, nil
		})

	huma.Register(s.api, s.op("urge-task", http.MethodPost, "/tasks/{id}/urge", "Urge the agency on a task (đôn đốc)", "Tasks", http.StatusCreated),
		func(ctx context.Context, in *urgeInput) (*struct{ Body Event }, error) {
			ev, err := s.svc.Urge(ctx, actorFrom(ctx), in.ID, in.Body.Message)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &struct{ Body Event }{Body: eventOut(ev)}, nil
		})
}

// stateTableDoc renders the state table for the OpenAPI description, from
// the table itself.
func stateTableDoc() string {
	var b strings.Builder
	b.WriteString("Send `If-Match` with the task's ETag to be sure nobody changed it meanwhile (412 if they did). An action the state does not allow answers 409; one your role or agency may not take answers 403.\n\nThe body is JSON, or multipart/form-data with the same fields and, for report_done only, the completion report's files as repeated `files` parts (the signed report as a PDF; other actions with files answer 422); the task's event records each file's name, size and SHA-256, and GET /tasks/{id}/reports lists them under the completion report.\n\n| action | from | to | who | needs |\n|---|---|---|---|---|\n")
	for _, tr := range workflow.Transitions {
		from := make([]string, len(tr.From))
		for i, f := range tr.From {
			from[i] = string(f)
		}
		who := make([]string, len(tr.Roles))
		for i, r := range tr.Roles {
			who[i] = string(r)
		}
		whoS := strings.Join(who, ", ")
		if tr.OwnAgency {
			whoS += " (the task's own agency)"
		}
		var needs []string
		if tr.NeedsComment {
			needs = append(needs, "comment")
		}
		if tr.NeedsReport {
			needs = append(needs, "report")
		}
		b.WriteString("| " + string(tr.Action) + " | " + strings.Join(from, ", ") + " | " + string(tr.To) + " | " + whoS + " | " + strings.Join(needs, ", ") + " |\n")
	}
	return b.String()
}
