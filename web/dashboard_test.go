package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
)

// link is the unescaped href of the first link on p that re matches.
func link(t *testing.T, p page, re string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(` + re + `[^"]*)"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no link %s on the page:\n%s", re, p.Body)
	}
	return html.UnescapeString(m[1])
}

// TestDashboardExportsMatchThePage (issue 17.5): the download links carry
// the page's filter as a real query string, so that the CSV of an agency's
// overdue list holds that list, and the workbook of the provinces only
// provinces; the dashboard shows the tasks due in the next 5 working days
// beside the overdue ones, by field.
func TestDashboardExportsMatchThePage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newWorld(t, tg)
		leader := newBrowser(t, w.in)
		leader.login("lanhdao", apptest.Password)

		list := leader.get("/tasks?f=1&agency=BYT&overdue=true").want(t, "BYT's overdue list", 200)
		href := link(t, list, `/export/tasks\.csv\?`)
		if strings.Contains(href, "%3D") || strings.Contains(href, "%3d") || !strings.Contains(href, "agency=BYT") || !strings.Contains(href, "overdue=true") {
			t.Fatalf("the CSV link does not carry the filter: %q", href)
		}
		dl := leader.get(href).want(t, "the CSV", 200)
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(dl.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		onPage := regexp.MustCompile(`href="/tasks/(\d+)"`).FindAllStringSubmatch(list.Body, -1)
		if len(rows)-1 != len(onPage) || len(onPage) != 1 {
			t.Errorf("the CSV holds %d tasks, the page lists %d (want 1)", len(rows)-1, len(onPage))
		}
		if strings.Contains(dl.Body, "Bảo đảm an ninh") || strings.Contains(dl.Body, "Rà soát danh mục") {
			t.Errorf("the CSV holds tasks outside the page's filter:\n%s", dl.Body)
		}
		// The workbook of one kind of agency holds only that kind.
		dash := leader.get("/?kind=province&period=2026").want(t, "dashboard of provinces", 200)
		xl := link(t, dash, `/export/agencies\.xlsx\?`)
		if !strings.Contains(xl, "kind=province") || !strings.Contains(xl, "period=2026") {
			t.Fatalf("the workbook link does not carry the filter: %q", xl)
		}
		cells := func(path string) string {
			b := leader.get(path).want(t, "workbook", 200)
			f, err := excelize.OpenReader(bytes.NewReader([]byte(b.Body)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetName(0))
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(rows)
		}
		if got := cells(xl); strings.Contains(got, "Bộ Y tế") {
			t.Errorf("the provinces' workbook lists Bộ Y tế")
		}
		if got := cells("/export/agencies.xlsx?kind=ministry&period=2026"); !strings.Contains(got, "Bộ Y tế") {
			t.Errorf("the ministries' workbook lacks Bộ Y tế")
		}

		// Each agency's month-by-month trend, drawn on the server.
		ap := leader.get("/agencies/BYT").want(t, "BYT's page", 200)
		if !strings.Contains(ap.Body, `<svg class="trend"`) || !strings.Contains(ap.Body, `data-month="2026-03"`) || strings.Contains(ap.Body, "<script") {
			t.Errorf("BYT's page lacks its server-drawn trend chart")
		}

		// Due soon beside overdue, by field.
		var d struct{ Tasks []struct{ ID int64 } }
		var docs struct {
			Items []struct{ ID int64 }
		}
		w.sec.Do("GET", "/api/v1/documents", nil).Want(200).JSON(&docs)
		w.sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": docs.Items[0].ID, "content": "Tổng kết năm học",
			"lead": "BGDDT", "due_on": "2026-03-05", "field": "Giáo dục"}).Want(201).JSON(&d)
		dash = leader.get("/").want(t, "dashboard", 200)
		soon := dash.Body[strings.Index(dash.Body, `data-list="due-soon"`):strings.Index(dash.Body, `data-list="overdue"`)]
		if !strings.Contains(soon, fmt.Sprintf(`data-task="%d"`, d.Tasks[0].ID)) || strings.Contains(soon, fmt.Sprintf(`data-task="%d"`, w.bcaTask)) {
			t.Errorf("due soon: want the task due 05/03 and not the one due 20/03:\n%s", soon)
		}
		if !strings.Contains(soon, "còn 3 ngày làm việc") {
			t.Errorf("due soon lacks the working days left:\n%s", soon)
		}
		over := dash.Body[strings.Index(dash.Body, `data-list="overdue"`):]
		if !strings.Contains(over, fmt.Sprintf(`data-task="%d"`, w.bytTask2)) {
			t.Errorf("overdue list lacks the overdue task")
		}
		byField := leader.get("/?field=Y+t%E1%BA%BF").want(t, "dashboard by field", 200)
		if strings.Contains(byField.Body, fmt.Sprintf(`data-task="%d"`, d.Tasks[0].ID)) || !strings.Contains(byField.Body, fmt.Sprintf(`data-task="%d"`, w.bytTask2)) {
			t.Errorf("the field filter does not hold on the lists")
		}
		if !strings.Contains(link(t, byField, `/export/agencies\.xlsx\?`), "field=Y+t%E1%BA%BF") {
			t.Errorf("the workbook link lacks the field")
		}
	})
}
