package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/exports"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestOverdueReview checks GET /tasks?overdue=true&sort=-days_overdue: the
// order, the days overdue in calendar and working days, the document, the
// last report and the reminders sent.
func TestOverdueReview(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newStatsWorld(t, tg)
		type reminders struct {
			Count     int     `json:"count"`
			LastRule  string  `json:"last_rule"`
			LastOn    *string `json:"last_on"`
			Escalated bool    `json:"escalated"`
			Urges     int     `json:"urges"`
		}
		var list struct {
			Items []struct {
				ID                 int64  `json:"id"`
				AgencyCode         string `json:"agency_code"`
				AgencyName         string `json:"agency_name"`
				DocumentNumber     string `json:"document_number"`
				DocumentIssuedOn   string `json:"document_issued_on"`
				DirectiveContent   string `json:"directive_content"`
				DaysOverdue        int    `json:"days_overdue"`
				DaysOverdueWorking *int   `json:"days_overdue_working"`
				LastReport         *struct {
					Percent int    `json:"percent"`
					Excerpt string `json:"excerpt"`
				} `json:"last_report"`
				RemindersSent *reminders `json:"reminders_sent"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		w.leader.Do("GET", "/api/v1/tasks?overdue=true&sort=-days_overdue", nil).Want(200).JSON(&list)
		// j due 14/03, l due 10/04 (a Friday), q due 17/04 (a Friday), d due 19/04 (a Sunday); today Monday 20/04.
		want := []struct {
			letter          string
			days, workdays  int
			agency, docDate string
		}{{"j", 37, 26, "BYT", "2026-02-15"}, {"l", 10, 6, "HANOI", "2026-03-31"}, {"q", 3, 1, "HANOI", "2026-04-15"}, {"d", 1, 1, "HANOI", "2026-03-14"}}
		if len(list.Items) != len(want) {
			t.Fatalf("overdue list has %d tasks, want %d: %+v", len(list.Items), len(want), list.Items)
		}
		for i, wt := range want {
			it := list.Items[i]
			if it.ID != w.tasks[wt.letter] || it.DaysOverdue != wt.days || it.DaysOverdueWorking == nil || *it.DaysOverdueWorking != wt.workdays ||
				it.AgencyCode != wt.agency || it.AgencyName == "" || it.DocumentIssuedOn != wt.docDate || it.DocumentNumber == "" || it.RemindersSent == nil {
				t.Errorf("overdue #%d = %+v, want task %s (%d) %d days, %d working days, %s, document of %s", i, it, wt.letter, w.tasks[wt.letter], wt.days, wt.workdays, wt.agency, wt.docDate)
			}
		}
		j := list.Items[0]
		if j.LastReport == nil || j.LastReport.Percent != 40 || !strings.Contains(j.LastReport.Excerpt, "40 tỉnh") {
			t.Errorf("j's last report = %+v", j.LastReport)
		}
		if r := j.RemindersSent; r.Count != 2 || r.LastRule != "escalate" || r.LastOn == nil || *r.LastOn != "2026-03-22" || !r.Escalated || r.Urges != 1 {
			t.Errorf("j's reminders = %+v", r)
		}
		if r := list.Items[1].RemindersSent; r.Count != 0 || r.Urges != 0 || list.Items[1].LastReport != nil {
			t.Errorf("l's reminders = %+v", r)
		}
		// Paging keeps the order; an agency sees its own overdue tasks only.
		w.leader.Do("GET", "/api/v1/tasks?overdue=true&sort=-days_overdue&limit=3", nil).Want(200).JSON(&list)
		next := list.NextCursor
		w.leader.Do("GET", "/api/v1/tasks?overdue=true&sort=-days_overdue&limit=3&cursor="+next, nil).Want(200).JSON(&list)
		if len(list.Items) != 1 || list.Items[0].ID != w.tasks["d"] {
			t.Errorf("second page = %+v", list.Items)
		}
		w.byt.Do("GET", "/api/v1/tasks?overdue=true&sort=-days_overdue", nil).Want(200).JSON(&list)
		if len(list.Items) != 1 || list.Items[0].ID != w.tasks["j"] {
			t.Errorf("BYT's overdue list = %+v", list.Items)
		}
		var one struct {
			DaysOverdueWorking *int       `json:"days_overdue_working"`
			RemindersSent      *reminders `json:"reminders_sent"`
		}
		w.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", w.tasks["j"]), nil).Want(200).JSON(&one)
		if one.DaysOverdueWorking == nil || *one.DaysOverdueWorking != 26 || one.RemindersSent == nil || one.RemindersSent.Count != 2 {
			t.Errorf("GET /tasks/{id}: %+v", one)
		}
	})
}

func TestTasksCSV(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newStatsWorld(t, tg)
		resp := w.leader.Do("GET", "/api/v1/tasks.csv?overdue=true&sort=-days_overdue", nil).Want(200)
		if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("content type %q, disposition %q", ct, resp.Header.Get("Content-Disposition"))
		}
		rows := apptest.ReadTasksCSV(t, resp.Body)
		col := func(name string) int { return slices.Index(exports.TasksCSVHeader, name) }
		want := [][]string{ // letter, agency, due, document date, days, working days, content
			{"j", "BYT", "14/03/2026", "15/02/2026", "37", "26", "Báo cáo tình hình dịch bệnh"},
			{"l", "HANOI", "10/04/2026", "31/03/2026", "10", "6", "'- Rà soát quy hoạch đô thị"},
			{"q", "HANOI", "17/04/2026", "15/04/2026", "3", "1", `'=HYPERLINK("http://x.example","bấm")`},
			{"d", "HANOI", "19/04/2026", "14/03/2026", "1", "1", "Chống ùn tắc giao thông"},
		}
		if len(rows) != len(want) {
			t.Fatalf("CSV has %d rows, want %d", len(rows), len(want))
		}
		for i, wr := range want {
			r := rows[i]
			got := []string{r[col("Mã nhiệm vụ")], r[col("Mã cơ quan")], r[col("Hạn xử lý")], r[col("Ngày văn bản")],
				r[col("Số ngày quá hạn")], r[col("Số ngày làm việc quá hạn")], r[col("Nội dung nhiệm vụ")]}
			wr[0] = strconv.FormatInt(w.tasks[wr[0]], 10)
			if !slices.Equal(got, wr) {
				t.Errorf("CSV row %d = %q, want %q", i, got, wr)
			}
		}
		if rows[1][col("Lĩnh vực")] != "'@Xây dựng" || rows[0][col("Trạng thái")] != "Mới giao" || rows[0][col("Vai trò")] != "Chủ trì" {
			t.Errorf("CSV row l = %q", rows[1])
		}

		// Everything, as the list: 17 lead tasks and one coordinator task.
		all := apptest.ReadTasksCSV(t, w.leader.Do("GET", "/api/v1/tasks.csv", nil).Want(200).Body)
		if len(all) != 18 {
			t.Errorf("the full CSV has %d rows, want 18", len(all))
		}
		// Its category column adds up to the statistics, agency by agency.
		byCategory := map[string]statsCounts{}
		for _, r := range all {
			if r[col("Vai trò")] != "Chủ trì" {
				continue
			}
			code, cnt := r[col("Mã cơ quan")], byCategory[r[col("Mã cơ quan")]]
			switch r[col("Phân loại")] {
			case workflow.CategoryLabels[workflow.CategoryCompletedOnTime]:
				cnt.CompletedOnTime++
			case workflow.CategoryLabels[workflow.CategoryCompletedLate]:
				cnt.CompletedLate++
			case workflow.CategoryLabels[workflow.CategoryInProgressOnTime]:
				cnt.InProgressOnTime++
			case workflow.CategoryLabels[workflow.CategoryInProgressOverdue]:
				cnt.InProgressOverdue++
			case workflow.CategoryLabels[workflow.CategoryNoDeadline]:
				cnt.NoDeadline++
			case "":
				if r[col("Trạng thái")] != workflow.StatusLabels[workflow.StatusCancelled] {
					t.Errorf("CSV row without a category: %q", r)
				}
				continue // cancelled tasks count nowhere
			default:
				t.Errorf("CSV category %q", r[col("Phân loại")])
			}
			cnt.Total++
			byCategory[code] = cnt
		}
		checkCounts(t, "CSV categories", byCategory, liveAllTime)
		// An agency exports its own tasks only.
		own := apptest.ReadTasksCSV(t, w.byt.Do("GET", "/api/v1/tasks.csv", nil).Want(200).Body)
		if len(own) != 8 {
			t.Errorf("BYT's CSV has %d rows, want 8", len(own))
		}
		for _, r := range own {
			if r[col("Mã cơ quan")] != "BYT" {
				t.Errorf("BYT's CSV holds another agency's task: %q", r)
			}
		}
		w.leader.Do("GET", "/api/v1/tasks.csv?status=nope", nil).Want(422)
	})
}

// xlsxCounts reads the summary sheet's agency rows and its total row.
func xlsxCounts(t *testing.T, x *excelize.File) (map[string]statsCounts, statsCounts, []string) {
	t.Helper()
	rows, err := x.GetRows(exports.XLSXSummarySheet)
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}
	// D: the tasks with a deadline; E-H: the four categories; I: the
	// completion rate; J empty; K: the tasks without a deadline, apart.
	counts := func(r []string) statsCounts {
		if len(r) != 11 || r[9] != "" {
			t.Fatalf("summary row %q: want 11 cells, the 10th empty", r)
		}
		c := statsCounts{CompletedOnTime: num(r[4]), CompletedLate: num(r[5]), InProgressOnTime: num(r[6]),
			InProgressOverdue: num(r[7]), NoDeadline: num(r[10])}
		if with := num(r[3]); with != c.CompletedOnTime+c.CompletedLate+c.InProgressOnTime+c.InProgressOverdue {
			t.Errorf("summary row %q: %d tasks with a deadline is not the sum of the four categories", r, with)
		}
		c.Total = c.CompletedOnTime + c.CompletedLate + c.InProgressOnTime + c.InProgressOverdue + c.NoDeadline
		return c
	}
	out := map[string]statsCounts{}
	var order []string
	for i := exports.XLSXFirstDataRow - 1; i < len(rows); i++ {
		r := rows[i]
		if r[0] == "Tổng cộng" {
			return out, counts(r), order
		}
		if r[0] != strconv.Itoa(len(order)+1) {
			t.Errorf("row %d numbered %q", i+1, r[0])
		}
		out[r[2]] = counts(r)
		order = append(order, r[2])
	}
	t.Fatal("no total row")
	return nil, statsCounts{}, nil
}

func TestAgenciesXLSX(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newStatsWorld(t, tg)
		resp := w.leader.Do("GET", "/api/v1/reports/agencies.xlsx", nil).Want(200)
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Errorf("content type %q", ct)
		}
		x, err := excelize.OpenReader(bytes.NewReader(resp.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		wantSheets := []string{exports.XLSXSummarySheet}
		for _, c := range workflow.Categories {
			wantSheets = append(wantSheets, exports.XLSXCategorySheets[c])
		}
		if got := x.GetSheetList(); !slices.Equal(got, wantSheets) {
			t.Errorf("sheets = %v, want %v", got, wantSheets)
		}
		cellOf := func(sheet, ref string) string {
			v, err := x.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		sh := exports.XLSXSummarySheet
		if !strings.HasPrefix(cellOf(sh, "A1"), "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ") || !strings.Contains(cellOf(sh, "A2"), "Toàn bộ thời gian") ||
			!strings.Contains(cellOf(sh, "A3"), "số liệu tính đến ngày 20/04/2026") {
			t.Errorf("title rows: %q / %q / %q", cellOf(sh, "A1"), cellOf(sh, "A2"), cellOf(sh, "A3"))
		}
		// The Government Office's words (issue 18.3), the tasks without a
		// deadline apart, after an empty column.
		for ref, want := range map[string]string{"D5": "Tổng số nhiệm vụ có thời hạn", "E5": "Đã hoàn thành", "E6": "Đúng hạn", "F6": "Quá hạn",
			"G5": "Chưa hoàn thành", "G6": "Trong hạn", "H6": "Quá hạn", "I5": "Tỷ lệ hoàn thành", "J5": "",
			"K5": "Nhiệm vụ không có thời hạn (theo dõi riêng)"} {
			if got := cellOf(sh, ref); got != want {
				t.Errorf("header %s = %q, want %q", ref, got, want)
			}
		}
		// The completion rate per agency and in total: completed ÷
		// (completed + unfinished overdue), cut to two decimals.
		rows, err := x.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		rates := map[string]string{}
		for _, r := range rows[exports.XLSXFirstDataRow-1:] {
			if r[0] == "Tổng cộng" {
				rates["total"] = r[8]
				break
			}
			rates[r[2]] = r[8]
		}
		wantRates := map[string]string{"BYT": "75.00%", "BCA": "100.00%", "NHNN": "", "HANOI": "0.00%", "TANDTC": "", "TTXVN": "0.00%", "total": "44.44%"}
		if fmt.Sprint(rates) != fmt.Sprint(wantRates) {
			t.Errorf("completion rates = %v, want %v", rates, wantRates)
		}
		got, totals, order := xlsxCounts(t, x)
		checkCounts(t, "xlsx", got, liveAllTime)
		if totals != sumCounts(liveAllTime) {
			t.Errorf("xlsx totals = %+v", totals)
		}
		if !slices.Equal(order, []string{"BCA", "BYT", "NHNN", "TTXVN", "HANOI", "TANDTC"}) {
			t.Errorf("xlsx order = %v", order)
		}
		last := exports.XLSXFirstDataRow + len(order) - 1
		formats, err := x.GetConditionalFormats(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"F", "H"} {
			ref := fmt.Sprintf("%s%d:%s%d", col, exports.XLSXFirstDataRow, col, last)
			if f := formats[ref]; len(f) != 1 || f[0].Type != "cell" || f[0].Criteria != "greater than" || f[0].Value != "0" || f[0].Format == nil {
				t.Errorf("conditional format of %s = %+v (all: %+v)", ref, f, formats)
			}
		}

		// One sheet per category, one row per task from row 5, as many as the summary counts.
		for _, cat := range workflow.Categories {
			rows, err := x.GetRows(exports.XLSXCategorySheets[cat])
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) < 4 || rows[3][0] != "STT" {
				t.Fatalf("%s: no header row: %q", cat, rows)
			}
			tasks := rows[4:]
			if want := sumCounts(liveAllTime); len(tasks) != (map[workflow.Category]int{
				workflow.CategoryCompletedOnTime: want.CompletedOnTime, workflow.CategoryCompletedLate: want.CompletedLate,
				workflow.CategoryInProgressOnTime: want.InProgressOnTime, workflow.CategoryInProgressOverdue: want.InProgressOverdue,
				workflow.CategoryNoDeadline: want.NoDeadline})[cat] {
				t.Errorf("%s lists %d tasks", cat, len(tasks))
			}
			for _, r := range tasks {
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s: a cell could be read as a formula: %q", cat, cell)
					}
				}
			}
			if cat == workflow.CategoryInProgressOnTime {
				var m []string
				for _, r := range tasks {
					if r[1] == strconv.FormatInt(w.tasks["m"], 10) {
						m = r
					}
				}
				if len(m) < 6 || m[5] != "'+Cấp căn cước cho người cao tuổi" {
					t.Errorf("task m in the in-progress sheet: %q", m)
				}
			}
			if cat == workflow.CategoryInProgressOverdue {
				byID := map[string][]string{}
				for _, r := range tasks {
					byID[r[1]] = r
				}
				j := byID[strconv.FormatInt(w.tasks["j"], 10)]
				if len(j) < 13 || j[4] != "15/02/2026" || j[8] != "14/03/2026" || j[12] != "37" || j[2] != "Bộ Y tế" {
					t.Errorf("task j in the overdue sheet: %q", j)
				}
				q := byID[strconv.FormatInt(w.tasks["q"], 10)]
				if len(q) < 7 || q[5] != `'=HYPERLINK("http://x.example","bấm")` {
					t.Errorf("task q in the overdue sheet: %q", q)
				}
				l := byID[strconv.FormatInt(w.tasks["l"], 10)]
				if len(l) < 7 || l[5] != "'- Rà soát quy hoạch đô thị" || l[6] != "'@Xây dựng" {
					t.Errorf("task l in the overdue sheet: %q", l)
				}
				i := byID[strconv.FormatInt(w.tasks["i"], 10)]
				if len(i) < 13 || i[9] != "16/03/2026" || i[12] != "6" {
					t.Errorf("task i (reported 6 days late) in the overdue sheet: %q", i)
				}
			}
		}

		// A closed reporting month: the frozen figures.
		x2, err := excelize.OpenReader(bytes.NewReader(w.leader.Do("GET", "/api/v1/reports/agencies.xlsx?period=reporting-2026-04", nil).Want(200).Body))
		if err != nil {
			t.Fatal(err)
		}
		defer x2.Close()
		got2, totals2, _ := xlsxCounts(t, x2)
		checkCounts(t, "xlsx month 4", got2, map[string]statsCounts{"BYT": c(0, 0, 1, 1, 0), "HANOI": c(0, 0, 0, 1, 0), "BCA": c(0, 0, 1, 0, 0), "NHNN": c(0, 0, 0, 0, 1)})
		if totals2 != c(0, 0, 2, 2, 1) {
			t.Errorf("xlsx month 4 totals = %+v", totals2)
		}
		if a3, _ := x2.GetCellValue(sh, "A3"); !strings.Contains(a3, "chốt ngày 14/04/2026") {
			t.Errorf("month 4 A3 = %q", a3)
		}
		if a2, _ := x2.GetCellValue(sh, "A2"); !strings.Contains(a2, "15/03/2026") || !strings.Contains(a2, "14/04/2026") {
			t.Errorf("month 4 A2 = %q", a2)
		}
	})
}

// TestAgenciesCSV reads GET /reports/agencies.csv: the Government Office's
// four categories under its words, the completion rate per agency and in
// total as its reports write it, and the tasks without a deadline apart.
func TestAgenciesCSV(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newStatsWorld(t, tg)
		resp := w.leader.Do("GET", "/api/v1/reports/agencies.csv", nil).Want(200)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		body, ok := bytes.CutPrefix(resp.Body, []byte("\ufeff"))
		if !ok {
			t.Error("no byte order mark: Excel would misread the Vietnamese")
		}
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		wantHeader := []string{"STT", "Mã cơ quan", "Cơ quan", "Tổng số nhiệm vụ có thời hạn",
			"Đã hoàn thành — Đúng hạn", "Đã hoàn thành — Quá hạn", "Chưa hoàn thành — Trong hạn", "Chưa hoàn thành — Quá hạn",
			"Tỷ lệ hoàn thành", "Nhiệm vụ không có thời hạn (theo dõi riêng)"}
		if len(rows) == 0 || !slices.Equal(rows[0], wantHeader) {
			t.Fatalf("header = %q, want %q", rows[0], wantHeader)
		}
		num := func(s string) int {
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("not a number: %q", s)
			}
			return n
		}
		got, rates := map[string]statsCounts{}, map[string]string{}
		var totals statsCounts
		for i, r := range rows[1:] {
			c := statsCounts{CompletedOnTime: num(r[4]), CompletedLate: num(r[5]), InProgressOnTime: num(r[6]), InProgressOverdue: num(r[7]), NoDeadline: num(r[9])}
			if num(r[3]) != c.CompletedOnTime+c.CompletedLate+c.InProgressOnTime+c.InProgressOverdue {
				t.Errorf("row %q: the tasks with a deadline are not the four categories' sum", r)
			}
			c.Total = c.CompletedOnTime + c.CompletedLate + c.InProgressOnTime + c.InProgressOverdue + c.NoDeadline
			if r[0] == "Tổng cộng" {
				if i != len(rows)-2 {
					t.Error("the totals are not the last row")
				}
				totals, rates["total"] = c, r[8]
				continue
			}
			if r[0] != strconv.Itoa(i+1) {
				t.Errorf("row %d numbered %q", i+1, r[0])
			}
			got[r[1]], rates[r[1]] = c, r[8]
		}
		checkCounts(t, "csv", got, liveAllTime)
		if totals != sumCounts(liveAllTime) {
			t.Errorf("csv totals = %+v, want %+v", totals, sumCounts(liveAllTime))
		}
		// BYT: 3 completed, 1 overdue; HANOI: 3 overdue, none completed;
		// NHNN: nothing completed or overdue, so no rate; in all 4 ÷ 9.
		wantRates := map[string]string{"BYT": "75,00%", "BCA": "100,00%", "NHNN": "", "HANOI": "0,00%", "TANDTC": "", "TTXVN": "0,00%", "total": "44,44%"}
		if fmt.Sprint(rates) != fmt.Sprint(wantRates) {
			t.Errorf("completion rates = %v, want %v", rates, wantRates)
		}
		w.leader.Do("GET", "/api/v1/reports/agencies.csv?role=nobody", nil).Want(422)
	})
}
