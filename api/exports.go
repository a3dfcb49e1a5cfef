package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// tasksCSVInput is GET /tasks's filters without its paging: the export is
// the whole list.
type tasksCSVInput struct {
	Agency      string      `query:"agency" maxLength:"40" doc:"An agency code"`
	Role        string      `query:"role" enum:"lead,coordinator"`
	Status      string      `query:"status" maxLength:"100" doc:"One status or several separated by commas (assigned, in_progress, reported, completed, cancelled), or open"`
	Overdue     string      `query:"overdue" enum:"true,false" doc:"true: only tasks past their effective due date while assigned or in progress"`
	DueBefore   models.Date `query:"due_before" format:"date" doc:"Due strictly before this day"`
	DueAfter    models.Date `query:"due_after" format:"date" doc:"Due strictly after this day"`
	DirectiveID int64       `query:"directive_id" minimum:"1"`
	DocumentID  int64       `query:"document_id" minimum:"1"`
	Q           string      `query:"q" maxLength:"200" doc:"Words of the directive, with or without diacritics"`
	Sort        string      `query:"sort" enum:"id,-id,due_on,-due_on,-days_overdue" default:"id"`
}

func (in tasksCSVInput) filter() (workflow.TaskFilter, error) {
	return tasksInput{Agency: in.Agency, Role: in.Role, Status: in.Status, Overdue: in.Overdue, DueBefore: in.DueBefore,
		DueAfter: in.DueAfter, DirectiveID: in.DirectiveID, DocumentID: in.DocumentID, Q: in.Q, Sort: in.Sort}.filter()
}

func (s *Server) registerExports() {
	op := s.op("tasks-csv", http.MethodGet, "/tasks.csv", "The task list as CSV, in Vietnamese", "Tasks")
	op.Description = "The same filters as GET /tasks, every page, streamed. UTF-8 with a byte order mark (for Excel), " +
		"Vietnamese headers, dates as dd/mm/yyyy; a cell that begins with =, +, -, @, a tab or a carriage return is prefixed with ' so that it cannot be read as a formula. " +
		"An agency exports its own tasks only, as in the list."
	op.Responses = map[string]*huma.Response{"200": {Description: "The tasks, one a line", Content: map[string]*huma.MediaType{"text/csv": {}}}}
	huma.Register(s.api, op, func(ctx context.Context, in *tasksCSVInput) (*huma.StreamResponse, error) {
		f, err := in.filter()
		if err != nil {
			return nil, err
		}
		actor := actorFrom(ctx)
		// A bad filter must answer as a problem, before the stream begins.
		probe := f
		probe.Page = workflow.Page{Limit: 1}
		if _, _, err := s.svc.Tasks(ctx, actor, probe); err != nil {
			return nil, fail(s.log, fieldIn(err, "query"))
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", "text/csv; charset=utf-8")
			hc.SetHeader("Content-Disposition", attachment("nhiem-vu.csv"))
			hc.SetStatus(http.StatusOK)
			if err := s.svc.WriteTasksCSV(hc.Context(), hc.BodyWriter(), actor, f); err != nil {
				s.log.Error("tasks.csv stopped part way", "err", err)
			}
		}}, nil
	})
}
