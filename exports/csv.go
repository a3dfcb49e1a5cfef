// Package exports writes what people open in Excel: the task list as CSV
// and the statistics as a workbook, with Vietnamese headers, dates as
// dd/mm/yyyy, and no cell that a spreadsheet could take for a formula. It
// reads through workflow's exported services, as any client would.
package exports

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// The exports as browsers save them.
const (
	TasksCSVName     = "nhiem-vu.csv"
	AgenciesXLSXName = "bao-cao-nhiem-vu.xlsx"
	CSVType          = "text/csv; charset=utf-8"
	XLSXType         = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Attachment is the Content-Disposition that saves a download as name.
func Attachment(name string) string { return `attachment; filename="` + name + `"` }

// Neutralise makes text safe to put in a spreadsheet cell: text that begins
// with =, +, -, @, a tab or a carriage return would be read as a formula
// (CSV injection), so it gets a leading single quote, which spreadsheets
// show as text.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// LateDays is how many calendar days past its due date a task was handed in
// or, while it is still owed, is on asOf; 0 when it is not late.
func LateDays(t models.Task, asOf civil.Date) int {
	if t.DueOn.IsZero() || t.Status == string(workflow.StatusCancelled) {
		return 0
	}
	end := asOf
	if (t.Status == string(workflow.StatusReported) || t.Status == string(workflow.StatusCompleted)) && !t.ReportedOn.IsZero() && !t.ReportedOn.After(asOf) {
		end = t.ReportedOn
	}
	if n := t.DueOn.DaysUntil(end); n > 0 {
		return n
	}
	return 0
}

// TasksCSVHeader is the header row of GET /tasks.csv.
var TasksCSVHeader = []string{
	"Mã nhiệm vụ", "Mã cơ quan", "Cơ quan", "Vai trò", "Số ký hiệu văn bản", "Ngày văn bản", "Nội dung nhiệm vụ",
	"Lĩnh vực", "Trạng thái", "Phân loại", "Hạn xử lý", "Hạn ban đầu", "Ngày báo cáo hoàn thành", "Ngày hoàn thành",
	"Tiến độ (%)", "Số ngày quá hạn", "Số ngày làm việc quá hạn", "Ngày báo cáo gần nhất",
}

// WriteTasksCSV writes the tasks of a list filter as CSV (UTF-8 with a byte
// order mark, which Excel needs to read Vietnamese), page by page, flushing
// w after each page when it can: an export of any size streams in constant
// memory.
func WriteTasksCSV(ctx context.Context, w io.Writer, s *workflow.Service, actor workflow.Actor, f workflow.TaskFilter) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(TasksCSVHeader); err != nil {
		return err
	}
	today := s.Today()
	f.Page = workflow.Page{Limit: workflow.MaxLimit}
	for {
		views, next, err := s.Tasks(ctx, actor, f)
		if err != nil {
			return err
		}
		for _, t := range views {
			lastReport := ""
			if t.LastReportAt != nil {
				lastReport = workflow.FormatDate(civil.DateOf(t.LastReportAt.In(workflow.Location)))
			}
			// The category as the statistics judge it today, so that the
			// list adds up to the figures; a cancelled task has none.
			category := ""
			if c, ok := workflow.CategoryOf(t.Task, today); ok {
				category = workflow.CategoryLabels[c]
			}
			row := []string{
				strconv.FormatInt(t.ID, 10), t.AgencyCode, t.AgencyName, workflow.RoleLabels[t.Role], t.DocumentNumber,
				workflow.FormatDate(t.DocumentIssuedOn), t.DirectiveContent, t.DirectiveField, workflow.StatusLabels[workflow.Status(t.Status)], category,
				workflow.FormatDate(t.DueOn), workflow.FormatDate(t.OriginalDueOn), workflow.FormatDate(t.ReportedOn), workflow.FormatDate(t.CompletedOn),
				strconv.Itoa(t.Percent), strconv.Itoa(t.DaysOverdue(today)), strconv.Itoa(s.DaysOverdueWorking(t, today)), lastReport,
			}
			for i := range row {
				row[i] = Neutralise(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if fl, ok := w.(interface{ Flush() }); ok {
			fl.Flush()
		}
		if next == "" {
			return nil
		}
		f.Page.Cursor = next
	}
}
