package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// TestBadInputIsAClear4xx sends the mistakes a client makes and checks that
// each gets a problem+json 4xx naming what is wrong, and changes nothing.
func TestBadInputIsAClear4xx(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		dir := func(extra map[string]any) map[string]any {
			b := map[string]any{"document_id": f.docID, "content": "Nội dung", "lead": "BYT", "due_on": "2026-03-31"}
			for k, v := range extra {
				if v == nil {
					delete(b, k)
				} else {
					b[k] = v
				}
			}
			return b
		}
		cases := []struct {
			name     string
			method   string
			path     string
			body     any
			status   int
			location string // a field the answer must name
		}{
			{"bad JSON", "POST", "/api/v1/directives", `{"document_id": 1,`, 400, ""},
			{"not an object", "POST", "/api/v1/directives", `[1,2]`, 422, ""},
			{"unknown field", "POST", "/api/v1/directives", dir(map[string]any{"deadline": "2026-03-31"}), 422, "deadline"},
			{"wrong type", "POST", "/api/v1/directives", dir(map[string]any{"document_id": "one"}), 422, "document_id"},
			{"missing field", "POST", "/api/v1/directives", dir(map[string]any{"document_id": nil}), 422, "document_id"},
			{"impossible date", "POST", "/api/v1/directives", dir(map[string]any{"due_on": "2023-02-30"}), 422, "due_on"},
			{"date before the document", "POST", "/api/v1/directives", dir(map[string]any{"due_on": "2020-01-01"}), 422, "due_on"},
			{"unknown agency", "POST", "/api/v1/directives", dir(map[string]any{"lead": "XYZ"}), 422, "lead"},
			{"agency no longer existing", "POST", "/api/v1/directives", dir(map[string]any{"coordinators": []string{"BCA", "QUANGBINH"}}), 422, "coordinators[1]"},
			{"same agency twice", "POST", "/api/v1/directives", dir(map[string]any{"coordinators": []string{"BYT"}}), 422, "coordinators[0]"},
			{"no agency", "POST", "/api/v1/directives", dir(map[string]any{"lead": nil}), 422, "lead"},
			{"two deadlines", "POST", "/api/v1/directives", dir(map[string]any{"due_period": "2026-Q2"}), 422, "due_on"},
			{"bad period", "POST", "/api/v1/directives", dir(map[string]any{"due_on": nil, "due_period": "2026-Q5"}), 422, "due_period"},
			{"unknown document", "POST", "/api/v1/directives", dir(map[string]any{"document_id": 999999}), 422, "document_id"},
			{"unknown group", "POST", "/api/v1/directives", dir(map[string]any{"group": "everyone"}), 422, "group"},
			{"huge number", "POST", "/api/v1/directives", `{"document_id": 1e400, "content": "x", "lead": "BYT"}`, 400, ""},
			{"unknown action", "POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", tk.ID), map[string]any{"action": "approve"}, 422, "action"},
			{"report_done without report", "POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", tk.ID), map[string]any{"action": "report_done"}, 422, "report"},
			{"bad If-Match", "POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", tk.ID), map[string]any{"action": "acknowledge"}, 400, "If-Match"},
			{"bad id", "GET", "/api/v1/tasks/abc", nil, 422, "id"},
			{"bad filter", "GET", "/api/v1/tasks?status=lost", nil, 422, "status"},
			{"unknown filter", "GET", "/api/v1/tasks?agncy=BYT", nil, 422, "agncy"},
			{"bad date filter", "GET", "/api/v1/tasks?due_before=2026-13-01", nil, 422, "due_before"},
			{"bad cursor", "GET", "/api/v1/tasks?cursor=garbage!", nil, 422, "cursor"},
			{"limit too big", "GET", "/api/v1/tasks?limit=501", nil, 422, "limit"},
			{"bad document date", "POST", "/api/v1/documents", map[string]any{"number": "1/TB", "kind": "conclusion_notice", "title": "x", "issued_on": "2026-02-29"}, 422, "issued_on"},
			{"future document", "POST", "/api/v1/documents", map[string]any{"number": "1/TB", "kind": "conclusion_notice", "title": "x", "issued_on": "2027-01-05"}, 422, "issued_on"},
			{"no such route", "GET", "/api/v1/nothing", nil, 404, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var headers []string
				if c.name == "bad If-Match" {
					headers = []string{"If-Match", "yesterday"}
				}
				resp := f.secretariat.Do(c.method, c.path, c.body, headers...)
				if c.name == "report_done without report" || c.name == "bad If-Match" {
					resp = f.byt.Do(c.method, c.path, c.body, headers...)
				}
				resp.Want(c.status)
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("content type %q", ct)
				}
				var p problem
				resp.JSON(&p)
				if p.Status != c.status || p.Title == "" || p.Type == "" {
					t.Errorf("problem = %+v", p)
				}
				if c.location != "" {
					found := false
					for _, e := range p.Errors {
						found = found || strings.HasSuffix(e.Location, "."+c.location) || strings.Contains(e.Location, c.location)
					}
					if !found {
						t.Errorf("the answer does not name %q: %s", c.location, resp.Body)
					}
				}
			})
		}
		// Nothing above changed anything.
		var list struct{ Items []task }
		f.secretariat.Do("GET", "/api/v1/tasks", nil).Want(200).JSON(&list)
		if len(list.Items) != 1 || list.Items[0].Status != "assigned" {
			t.Errorf("bad input changed the tasks: %+v", list.Items)
		}
	})
}

func TestOversizedBodyAnd401(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		big := `{"document_id": 1, "content": "` + strings.Repeat("x", 2<<20) + `", "lead": "BYT"}`
		var p problem
		f.secretariat.Do("POST", "/api/v1/directives", big).Want(http.StatusRequestEntityTooLarge).JSON(&p)
		if p.Status != 413 {
			t.Errorf("problem = %+v", p)
		}
		f.in.Anonymous().Do("GET", "/api/v1/tasks", nil).Want(401).JSON(&p)
		resp := f.in.Anonymous().Do("GET", "/api/v1/tasks", nil, "Authorization", "Bearer not-a-token").Want(401)
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		f.in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "wrong"}).Want(401)
		f.in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "wrong"}).Want(401)
	})
}

// TestAgencyScope: an agency's officer sees and acts on its own agency's
// tasks only; another agency's task is "not found", never "forbidden".
func TestAgencyScope(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		for _, req := range []struct{ method, path string }{
			{"GET", fmt.Sprintf("/api/v1/tasks/%d", tk.ID)},
			{"GET", fmt.Sprintf("/api/v1/tasks/%d/events", tk.ID)},
			{"GET", fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID)},
			{"GET", fmt.Sprintf("/api/v1/directives/%d", tk.DirectiveID)},
		} {
			f.bca.Do(req.method, req.path, nil).Want(404)
			f.byt.Do(req.method, req.path, nil).Want(200)
		}
		f.bca.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), map[string]any{"body": "x"}).Want(404)
		f.bca.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", tk.ID), map[string]any{"requested_due_on": "2026-05-01", "reason": "x"}).Want(404)
		var list struct{ Items []task }
		f.bca.Do("GET", "/api/v1/tasks?agency=BYT", nil).Want(200).JSON(&list)
		if len(list.Items) != 0 {
			t.Errorf("BCA listed BYT's tasks: %+v", list.Items)
		}
	})
}
