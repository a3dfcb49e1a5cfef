package exports

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

// The workbook of GET /reports/agencies.xlsx, laid out as the Government
// Office's monthly report: a summary sheet of the statistics (title, period,
// two-level headers, one row per agency, totals, overdue counts highlighted)
// and one sheet per category listing its tasks.

// XLSXSummarySheet is the name of the statistics sheet.
const XLSXSummarySheet = "Tổng hợp"

// XLSXCategorySheets name the sheets listing each category's tasks (at most
// 31 characters, as Excel requires).
var XLSXCategorySheets = map[workflow.Category]string{
	workflow.CategoryCompletedOnTime:   "Đã hoàn thành đúng hạn",
	workflow.CategoryCompletedLate:     "Đã hoàn thành quá hạn",
	workflow.CategoryInProgressOnTime:  "Chưa hoàn thành trong hạn",
	workflow.CategoryInProgressOverdue: "Chưa hoàn thành quá hạn",
	workflow.CategoryNoDeadline:        "Không có thời hạn",
}

// The summary sheet's columns beside the four categories: the tasks with a
// deadline (the four together) and, apart, those without one.
const (
	XLSXWithDeadline = "Tổng số nhiệm vụ có thời hạn"
	XLSXNoDeadline   = "Nhiệm vụ không có thời hạn (theo dõi riêng)"
)

// XLSXFirstDataRow is the summary sheet's first agency row (1-based).
const XLSXFirstDataRow = 7

// xlsxMaxTaskRows keeps a category sheet inside Excel's 1,048,576 rows.
const xlsxMaxTaskRows = 1_000_000

// XLSXTaskHeader is the header row of each category sheet.
var XLSXTaskHeader = []string{"STT", "Mã nhiệm vụ", "Cơ quan", "Số ký hiệu văn bản", "Ngày văn bản", "Nội dung nhiệm vụ",
	"Lĩnh vực", "Vai trò", "Hạn xử lý", "Ngày báo cáo hoàn thành", "Ngày hoàn thành", "Trạng thái", "Số ngày quá hạn"}

type xlsxStyles struct {
	title, subtitle, header, text, number, date, total, totalNumber, rate, totalRate, highlight int
}

func newXLSXStyles(x *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold}
	}
	dateFmt := "dd/mm/yyyy"
	// The rate is stored as a fraction already cut to two decimals of a
	// per cent (CompletionPercent), so the format shows it exactly.
	rateFmt := "0.00%"
	defs := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: font(true, 14), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.subtitle, &excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12, Italic: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.header, &excelize.Style{Font: font(true, 12), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.text, &excelize.Style{Font: font(false, 12), Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.number, &excelize.Style{Font: font(false, 12), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&st.date, &excelize.Style{Font: font(false, 12), Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&st.total, &excelize.Style{Font: font(true, 12), Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.totalNumber, &excelize.Style{Font: font(true, 12), Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.rate, &excelize.Style{Font: font(false, 12), Border: border, CustomNumFmt: &rateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&st.totalRate, &excelize.Style{Font: font(true, 12), Border: border, CustomNumFmt: &rateFmt, Alignment: &excelize.Alignment{Horizontal: "center"}}},
	}
	for _, d := range defs {
		id, err := x.NewStyle(d.s)
		if err != nil {
			return st, err
		}
		*d.dst = id
	}
	var err error
	st.highlight, err = x.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}})
	return st, err
}

// WriteAgenciesXLSX writes the statistics of a filter as a workbook.
func WriteAgenciesXLSX(ctx context.Context, w io.Writer, s *workflow.Service, actor workflow.Actor, f workflow.StatsFilter) error {
	st, err := s.AgencyStats(ctx, actor, f)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	styles, err := newXLSXStyles(x)
	if err != nil {
		return err
	}
	_ = x.SetDocProps(&excelize.DocProperties{Title: "Báo cáo tình hình thực hiện nhiệm vụ", Creator: "dondoc", Language: "vi-VN"})
	if err := x.SetSheetName("Sheet1", XLSXSummarySheet); err != nil {
		return err
	}
	if err := writeSummarySheet(x, styles, st); err != nil {
		return err
	}
	for _, cat := range workflow.Categories {
		if err := writeCategorySheet(ctx, s, x, styles, actor, st, cat); err != nil {
			return err
		}
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func writeSummarySheet(x *excelize.File, styles xlsxStyles, st workflow.Stats) error {
	sh := XLSXSummarySheet
	var errs []error
	set := func(c string, v any, style int) {
		errs = append(errs, x.SetCellValue(sh, c, v), x.SetCellStyle(sh, c, c, style))
	}
	merge := func(a, b string, v any, style int) {
		errs = append(errs, x.MergeCell(sh, a, b))
		errs = append(errs, x.SetCellValue(sh, a, v), x.SetCellStyle(sh, a, b, style))
	}
	merge("A1", "K1", "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ DO CHÍNH PHỦ, THỦ TƯỚNG CHÍNH PHỦ GIAO", styles.title)
	errs = append(errs, x.SetRowHeight(sh, 1, 36))
	merge("A2", "K2", Neutralise("Kỳ báo cáo: "+st.Filter.Period.Label), styles.subtitle)
	merge("A3", "K3", Neutralise(statsScope(st)), styles.subtitle)

	// The Office's table: the tasks with a deadline in four categories
	// under two headings, and the completion rate. Tasks without a
	// deadline are no category of it: their count stands apart, after an
	// empty column.
	merge("A5", "A6", "STT", styles.header)
	merge("B5", "B6", "Cơ quan", styles.header)
	merge("C5", "C6", "Mã cơ quan", styles.header)
	merge("D5", "D6", XLSXWithDeadline, styles.header)
	for i, cat := range workflow.DeadlineCategories {
		if i%2 == 0 {
			merge(cell(5+i, 5), cell(6+i, 5), workflow.CategoryHeadings[cat], styles.header)
		}
		set(cell(5+i, 6), workflow.CategoryColumns[cat], styles.header)
	}
	merge("I5", "I6", workflow.LabelCompletionRate, styles.header)
	merge("K5", "K6", XLSXNoDeadline, styles.header)

	counts := func(row int, c workflow.Counts, style, rateStyle int) {
		for i, v := range []int{c.Completed() + c.Unfinished(), c.CompletedOnTime, c.CompletedLate, c.InProgressOnTime, c.InProgressOverdue} {
			set(cell(4+i, row), v, style)
		}
		if pct, ok := c.CompletionPercent(); ok {
			set(cell(9, row), pct/100, rateStyle)
		} else {
			set(cell(9, row), "", rateStyle)
		}
		set(cell(11, row), c.NoDeadline, style)
	}
	row := XLSXFirstDataRow
	for i, it := range st.Items {
		set(cell(1, row), i+1, styles.number)
		set(cell(2, row), Neutralise(it.AgencyName), styles.text)
		set(cell(3, row), Neutralise(it.AgencyCode), styles.number)
		counts(row, it.Counts, styles.number, styles.rate)
		row++
	}
	merge(cell(1, row), cell(3, row), "Tổng cộng", styles.total)
	counts(row, st.Totals, styles.totalNumber, styles.totalRate)
	if len(st.Items) > 0 {
		// Late and overdue counts above zero stand out, as leaders read them first.
		last := row - 1
		for _, col := range []string{"F", "H"} {
			errs = append(errs, x.SetConditionalFormat(sh, fmt.Sprintf("%s%d:%s%d", col, XLSXFirstDataRow, col, last),
				[]excelize.ConditionalFormatOptions{{Type: "cell", Criteria: ">", Value: "0", Format: &styles.highlight}}))
		}
	}
	landscape := "landscape"
	widths := []float64{6, 42, 12, 14, 12, 12, 12, 12, 14, 3, 16}
	for i, wd := range widths {
		c := cell(i+1, 1)
		col := strings.TrimRight(c, "0123456789")
		errs = append(errs, x.SetColWidth(sh, col, col, wd))
	}
	errs = append(errs, x.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: XLSXFirstDataRow - 1, TopLeftCell: cell(1, XLSXFirstDataRow), ActivePane: "bottomLeft"}))
	errs = append(errs, x.SetPageLayout(sh, &excelize.PageLayoutOptions{Orientation: &landscape}))
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// statsScope says in Vietnamese what the figures count and on which day.
func statsScope(st workflow.Stats) string {
	var parts []string
	switch st.Filter.Role {
	case "coordinator":
		parts = append(parts, "Nhiệm vụ phối hợp")
	case "all":
		parts = append(parts, "Nhiệm vụ chủ trì và phối hợp")
	default:
		parts = append(parts, "Nhiệm vụ chủ trì")
	}
	if st.Filter.Field != "" {
		parts = append(parts, "lĩnh vực "+st.Filter.Field)
	}
	if st.Snapshot != nil {
		parts = append(parts, "số liệu chốt ngày "+workflow.FormatDate(st.AsOf))
	} else {
		parts = append(parts, "số liệu tính đến ngày "+workflow.FormatDate(st.AsOf))
	}
	return strings.Join(parts, "; ")
}

func writeCategorySheet(ctx context.Context, s *workflow.Service, x *excelize.File, styles xlsxStyles, actor workflow.Actor, st workflow.Stats, cat workflow.Category) error {
	sh := XLSXCategorySheets[cat]
	if _, err := x.NewSheet(sh); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	for i, wd := range []float64{6, 10, 30, 16, 12, 60, 16, 10, 12, 14, 12, 18, 10} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	lastCol := len(XLSXTaskHeader)
	title := fmt.Sprintf("DANH SÁCH NHIỆM VỤ %s (%d nhiệm vụ)", strings.ToUpper(workflow.CategoryLabels[cat]), st.Totals.Of(cat))
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: styles.title, Value: title}}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: styles.subtitle, Value: Neutralise("Kỳ báo cáo: " + st.Filter.Period.Label + "; " + statsScope(st))}}); err != nil {
		return err
	}
	header := make([]any, len(XLSXTaskHeader))
	for i, h := range XLSXTaskHeader {
		header[i] = excelize.Cell{StyleID: styles.header, Value: h}
	}
	if err := sw.SetRow("A4", header); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", cell(lastCol, 1)); err != nil {
		return err
	}
	if err := sw.MergeCell("A2", cell(lastCol, 2)); err != nil {
		return err
	}
	row, n := 5, 0
	date := func(d civil.Date) excelize.Cell {
		if d.IsZero() {
			return excelize.Cell{StyleID: styles.date}
		}
		return excelize.Cell{StyleID: styles.date, Value: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)}
	}
	text := func(v string) excelize.Cell { return excelize.Cell{StyleID: styles.text, Value: Neutralise(v)} }
	num := func(v any) excelize.Cell { return excelize.Cell{StyleID: styles.number, Value: v} }
	errStop := fmt.Errorf("stop")
	err = s.StatsTasks(ctx, actor, st.Filter, st.AsOf, cat, func(t workflow.TaskView) error {
		if n == xlsxMaxTaskRows {
			return errStop
		}
		n++
		values := []any{num(n), num(t.ID), text(t.AgencyName), text(t.DocumentNumber), date(t.DocumentIssuedOn), text(t.DirectiveContent),
			text(t.DirectiveField), text(workflow.RoleLabels[t.Role]), date(t.DueOn), date(t.ReportedOn), date(t.CompletedOn),
			text(workflow.StatusLabels[workflow.Status(t.Status)]), num(LateDays(t.Task, st.AsOf))}
		err := sw.SetRow(cell(1, row), values)
		row++
		return err
	})
	if err != nil && err != errStop {
		return err
	}
	if err == errStop {
		_ = sw.SetRow(cell(1, row), []any{excelize.Cell{StyleID: styles.subtitle,
			Value: fmt.Sprintf("Danh sách chỉ ghi %d nhiệm vụ đầu tiên; xem đủ bằng tệp CSV.", xlsxMaxTaskRows)}})
	}
	return sw.Flush()
}
