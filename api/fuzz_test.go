package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// fuzzTarget is a dondoc on SQLite, started once per fuzz target, with a
// secretariat user, a document and a task to aim at. The fuzz function
// may not use the *testing.F (nor apptest's client, which reports to it):
// it sends with net/http.
type fuzzTarget struct {
	url    string
	tokens map[string]string // by role
	docID  int64
	taskID int64
}

func startFuzz(f *testing.F) *fuzzTarget {
	in := apptest.Start(f, testdb.SQLite(f), today)
	sec := in.User("vpcp.tk", workflow.RoleSecretariat, "")
	byt := in.User("byt.cb", workflow.RoleAgency, "BYT")
	var doc struct{ ID int64 }
	sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận",
		"issued_on": "2026-02-25", "body": "Giao Bộ Y tế chủ trì, hoàn thành trong tháng 6 năm 2026."}).Want(201).JSON(&doc)
	var d directive
	sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Hồ sơ sức khỏe điện tử", "lead": "BYT", "due_on": "2026-03-31"}).Want(201).JSON(&d)
	return &fuzzTarget{url: in.Server.URL, docID: doc.ID, taskID: d.Tasks[0].ID,
		tokens: map[string]string{"secretariat": sec.Token, "admin": in.Admin.Token, "agency": byt.Token}}
}

// check sends one request and holds the properties every answer has: no
// 5xx, and a 4xx is a problem+json.
func (ft *fuzzTarget) check(t *testing.T, role, method, path string, rawQuery *string, body []byte) {
	req, err := http.NewRequest(method, ft.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if rawQuery != nil {
		req.URL.RawQuery = *rawQuery
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+ft.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		t.Fatalf("%s %s?%v %q: %d %s", method, path, rawQuery, body, resp.StatusCode, b)
	}
	if resp.StatusCode >= 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("%s %s %q: %d as %q", method, path, body, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// FuzzDirectiveBody posts arbitrary bytes to POST /directives.
func FuzzDirectiveBody(f *testing.F) {
	ft := startFuzz(f)
	for _, s := range []string{
		fmt.Sprintf(`{"document_id": %d, "content": "Rà soát", "lead": "BYT", "due_on": "2026-03-31"}`, ft.docID),
		fmt.Sprintf(`{"document_id": %d, "content": "x", "lead": {"code": "BYT"}, "coordinators": ["BCA", {"code": "BKHCN"}], "due_period": "2026-Q2"}`, ft.docID),
		fmt.Sprintf(`{"document_id": %d, "action": "x", "group": "all_ministries", "due_in_working_days": 10}`, ft.docID),
		fmt.Sprintf(`{"document_id": %d, "content": "x", "lead": "BYT", "due_kind": "ongoing", "reporting_period": "monthly"}`, ft.docID),
		fmt.Sprintf(`{"document_id": %d, "content": "=HYPERLINK(\"x\")", "lead": "BYT", "due_on": "0000-01-01"}`, ft.docID),
		`{"document_id": 1e400, "content": "x", "lead": "BYT"}`,
		`{"document_id": 9223372036854775808}`,
		`{"lead": [], "coordinators": {}}`,
		`{"document_id": 1, "due_period": "tet-9999"}`,
		"{\"content\": \"\xff\xfe\"}",
		`{"content": "a\u0000b", "lead": "BYT"}`, `{"content": "a\ud800b"}`, `{"content": "\udc00\ud800"}`,
		`{"content": "x", "content": "y"}`, `{"Lead": "BYT", "content": "x"}`, `{"field": "a\tb"}`,
		fmt.Sprintf(`{"document_id": %d, "content": "x", "lead": "BYT", "due_on": "9999-12-31"}`, ft.docID),
		fmt.Sprintf(`{"document_id": %d, "content": "x", "lead": "BYT", "due_on": "1944-12-31"}`, ft.docID),
		`[[[[[[[[]]]]]]]]`, `null`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.check(t, "secretariat", "POST", "/api/v1/directives", nil, body)
	})
}

// FuzzTaskFilters sends arbitrary query strings to GET /tasks and to its
// CSV export, which shares the filters.
func FuzzTaskFilters(f *testing.F) {
	ft := startFuzz(f)
	for _, s := range []string{
		"agency=BYT&status=open&sort=-due_on&limit=5",
		"status=assigned,in_progress&overdue=true&due_before=2026-04-01&due_after=2026-01-01",
		"q=h%E1%BB%93+s%C6%A1&role=lead&directive_id=1&document_id=1",
		"cursor=eyJpZCI6MX0&limit=500",
		"q=' OR 1=1 --", "q=%25", "agency=%FF%FE", "due_before=0000-01-01", "due_after=9999-12-31",
		"limit=9223372036854775808", "directive_id=-1", "q=a%00b", "q=%ED%A0%80", "due_before=2101-01-01", "status=,,,open,", "sort=due_on&sort=-id", "a=b=c&&=", "%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, c := range []byte(q) {
			if c <= ' ' || c == 0x7f || c == '#' || c >= 0x80 {
				t.Skip("not sendable in a request line as it is; percent-encoded forms are")
			}
		}
		ft.check(t, "secretariat", "GET", "/api/v1/tasks", &q, nil)
		ft.check(t, "agency", "GET", "/api/v1/tasks.csv", &q, nil)
	})
}

// FuzzRequestBodies posts arbitrary bytes to every route that reads a
// body, each as a caller its role checks let through.
func FuzzRequestBodies(f *testing.F) {
	ft := startFuzz(f)
	routes := []struct{ role, method, path, seed string }{
		{"secretariat", "POST", "/api/v1/documents", `{"number": "1/TB", "kind": "conclusion_notice", "title": "x", "issued_on": "2026-02-25", "body": "y"}`},
		{"secretariat", "POST", "/api/v1/extract", `{"text": "Giao Bộ Y tế chủ trì, hoàn thành trước ngày 30/6/2026.", "doc_date": "2026-02-25"}`},
		{"secretariat", "POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", ft.taskID), `{"action": "cancel", "comment": "x"}`},
		{"agency", "POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", ft.taskID), `{"action": "report_done", "report": "x"}`},
		{"agency", "POST", fmt.Sprintf("/api/v1/tasks/%d/reports", ft.taskID), `{"body": "x", "percent": 40}`},
		{"agency", "POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", ft.taskID), `{"requested_due_on": "2026-04-30", "reason": "x"}`},
		{"secretariat", "POST", "/api/v1/extensions/1/decision", `{"approve": false, "comment": "x"}`},
		{"secretariat", "POST", fmt.Sprintf("/api/v1/tasks/%d/urge", ft.taskID), `{"message": "x"}`},
		{"admin", "POST", "/api/v1/users", `{"username": "u1", "password": "Str0ng-Passw0rd", "role": "agency", "agency_code": "BYT"}`},
		{"admin", "PATCH", "/api/v1/users/2", `{"display_name": "x", "email": "a@b.vn"}`},
		{"admin", "PUT", "/api/v1/agencies/ZZ", `{"name": "x", "short_name": "x", "kind": "other", "valid_from": "2026-01-01", "aliases": ["y"]}`},
		{"admin", "PUT", "/api/v1/calendar/days/2027-03-01", `{"kind": "holiday", "name": "x"}`},
		{"admin", "POST", "/api/v1/webhooks", `{"url": "https://hooks.example.org/x", "events": ["task.assign"], "agency_code": "BYT"}`},
		{"admin", "POST", "/api/v1/admin/reminders/scan", `{"as_of": "2026-03-02"}`},
		{"admin", "POST", "/api/v1/me/tokens", `{"name": "x", "expires_at": "2027-01-01T00:00:00Z"}`},
		{"admin", "POST", "/api/v1/auth/login", `{"username": "nobody", "password": "x"}`},
	}
	for i, r := range routes {
		f.Add(uint8(i), []byte(r.seed))
		f.Add(uint8(i), []byte(strings.Replace(r.seed, `"x"`, `1e400`, 1)))
		f.Add(uint8(i), []byte(strings.Replace(r.seed, `2026`, `0000`, 1)))
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := routes[int(route)%len(routes)]
		ft.check(t, r.role, r.method, r.path, nil, body)
	})
}
