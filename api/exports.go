package api

import (
	"bytes"
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/exports"
	"github.com/dondoc/dondoc/workflow"
)

// tasksCSVInput is GET /tasks's filters without its paging: the export is
// the whole list.
type tasksCSVInput struct {
	TaskFilters
}

type xlsxOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// registerExports registers the task list as CSV and the statistics as a
// workbook.
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
			hc.SetHeader("Content-Type", exports.CSVType)
			hc.SetHeader("Content-Disposition", exports.Attachment(exports.TasksCSVName))
			hc.SetStatus(http.StatusOK)
			if err := exports.WriteTasksCSV(hc.Context(), hc.BodyWriter(), s.svc, actor, f); err != nil {
				s.log.Error("tasks.csv stopped part way", "err", err)
			}
		}}, nil
	})

	xlsx := s.op("agency-stats-xlsx", http.MethodGet, "/reports/agencies.xlsx", "The statistics as an Excel workbook, in Vietnamese", "Statistics")
	xlsx.Description = "The same filters as GET /stats/agencies. One sheet of the statistics (title, period, headers, totals, overdue counts highlighted) and one sheet per category listing its tasks. Dates are dd/mm/yyyy; no cell carries a formula."
	xlsx.Errors = append(xlsx.Errors, http.StatusForbidden)
	xlsx.Responses = map[string]*huma.Response{"200": {Description: "The workbook", Content: map[string]*huma.MediaType{exports.XLSXType: {}}}}
	huma.Register(s.api, xlsx, func(ctx context.Context, in *statsInput) (*xlsxOutput, error) {
		f, err := in.filter(s.svc.Today())
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := exports.WriteAgenciesXLSX(ctx, &buf, s.svc, actorFrom(ctx), f); err != nil {
			return nil, fail(s.log, fieldIn(err, "query"))
		}
		return &xlsxOutput{ContentType: exports.XLSXType, ContentDisposition: exports.Attachment(exports.AgenciesXLSXName), Body: buf.Bytes()}, nil
	})

	statsCSV := s.op("agency-stats-csv", http.MethodGet, "/reports/agencies.csv", "The statistics as CSV, in Vietnamese", "Statistics")
	statsCSV.Description = "The same filters as GET /stats/agencies. One row per agency and a last row of totals: the tasks with a deadline, the Government Office's four categories (Đã hoàn thành — Đúng hạn / Quá hạn; Chưa hoàn thành — Trong hạn / Quá hạn), the completion rate (98,62%) and, apart, the tasks without a deadline. UTF-8 with a byte order mark."
	statsCSV.Errors = append(statsCSV.Errors, http.StatusForbidden)
	statsCSV.Responses = map[string]*huma.Response{"200": {Description: "The statistics", Content: map[string]*huma.MediaType{"text/csv": {}}}}
	huma.Register(s.api, statsCSV, func(ctx context.Context, in *statsInput) (*xlsxOutput, error) {
		f, err := in.filter(s.svc.Today())
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := exports.WriteAgenciesCSV(ctx, &buf, s.svc, actorFrom(ctx), f); err != nil {
			return nil, fail(s.log, fieldIn(err, "query"))
		}
		return &xlsxOutput{ContentType: exports.CSVType, ContentDisposition: exports.Attachment(exports.AgenciesCSVName), Body: buf.Bytes()}, nil
	})
}
