package api_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/web"
)

// notInOpenAPI are the routes that are not API operations: the document
// itself, the reference page, probes and metrics.
var notInOpenAPI = map[string]bool{
	"GET /api/v1/openapi.json": true, "GET /api/v1/openapi.yaml": true,
	"GET /api/v1/openapi-3.0.json": true, "GET /api/v1/openapi-3.0.yaml": true,
	"GET /api/docs": true, "GET /healthz": true, "GET /readyz": true, "GET /metrics": true,
}

var echoParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestEveryRouteIsInOpenAPI keeps the OpenAPI document true: a route that
// echo serves but the document does not describe fails the test.
func TestEveryRouteIsInOpenAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	in.Anonymous().Do("GET", "/api/v1/openapi.json", nil).Want(200).JSON(&doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	// The dashboard's pages are HTML, not API operations: they are listed
	// by name, each must be registered, and none may hide under /api.
	pages := map[string]bool{}
	for _, key := range web.Routes() {
		if strings.Contains(key, " /api") {
			t.Errorf("dashboard route %s is under /api", key)
		}
		pages[key] = true
	}
	n := 0
	for _, r := range in.App.API.Echo().Routes() {
		key := r.Method + " " + r.Path
		if pages[key] {
			delete(pages, key)
			continue
		}
		if notInOpenAPI[key] || r.Method == "echo_route_not_found" || strings.HasSuffix(r.Name, "glob..func1") && r.Path == "/*" {
			continue
		}
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			t.Errorf("route %s is outside the API and not listed as such", key)
			continue
		}
		p := echoParam.ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "{$1}")
		op, ok := doc.Paths[p][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("route %s is not in the OpenAPI document", key)
			continue
		}
		var o struct {
			Responses map[string]json.RawMessage `json:"responses"`
		}
		json.Unmarshal(op, &o)
		if len(o.Responses) == 0 {
			t.Errorf("%s documents no responses", key)
		}
		n++
	}
	if n < 20 {
		t.Errorf("only %d routes checked", n)
	}
	for key := range pages {
		t.Errorf("dashboard route %s is listed but not registered", key)
	}
	page := in.Anonymous().Do("GET", "/api/docs", nil).Want(200)
	if !strings.Contains(string(page.Body), "/api/v1/tasks/{id}/transitions") || strings.Contains(string(page.Body), "<script") {
		t.Error("the reference page does not list the routes, or loads scripts")
	}
	in.Anonymous().Do("GET", "/healthz", nil).Want(200)
	in.Anonymous().Do("GET", "/readyz", nil).Want(200)
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		body := map[string]any{"document_id": f.docID, "content": "Rà soát thủ tục hành chính", "lead": "BCA", "due_period": "2026-Q2"}
		first := f.secretariat.Do("POST", "/api/v1/directives", body, "Idempotency-Key", "k-123").Want(201)
		again := f.secretariat.Do("POST", "/api/v1/directives", body, "Idempotency-Key", "k-123").Want(201)
		if string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retry did not return the first answer:\n%s\n%s", first.Body, again.Body)
		}
		var list struct{ Items []task }
		f.secretariat.Do("GET", "/api/v1/tasks?agency=BCA", nil).Want(200).JSON(&list)
		if len(list.Items) != 1 {
			t.Errorf("%d tasks after a retried create, want 1", len(list.Items))
		}
		if *list.Items[0].DueOn != "2026-06-30" {
			t.Errorf("due_period 2026-Q2 resolved to %s", *list.Items[0].DueOn)
		}
		body["content"] = "Another"
		f.secretariat.Do("POST", "/api/v1/directives", body, "Idempotency-Key", "k-123").Want(422)
		// Keys are per user: another user's same key is a new request.
		other := f.in.User("vpcp.tk2", "secretariat", "")
		other.Do("POST", "/api/v1/directives", body, "Idempotency-Key", "k-123").Want(201)
		// A refused request leaves its key unused.
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{"document_id": f.docID, "content": "x", "lead": "NOPE"}, "Idempotency-Key", "k-9").Want(422)
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{"document_id": f.docID, "content": "x", "lead": "BCA"}, "Idempotency-Key", "k-9").Want(201)
		// A request that runs several commands (the scan: its batches, then
		// the digest) records its key once, and its retry is answered from it.
		scan := f.in.Admin.Do("POST", "/api/v1/admin/reminders/scan", map[string]any{"as_of": "2026-03-02"}, "Idempotency-Key", "scan-1").Want(200)
		rescan := f.in.Admin.Do("POST", "/api/v1/admin/reminders/scan", map[string]any{"as_of": "2026-03-02"}, "Idempotency-Key", "scan-1").Want(200)
		if string(scan.Body) != string(rescan.Body) || rescan.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retried scan did not return the first answer:\n%s\n%s", scan.Body, rescan.Body)
		}
	})
}

func TestListsPageStablyWithFilters(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		// 23 tasks: BYT leads with due dates spread out, some undated.
		for i := 0; i < 23; i++ {
			extra := map[string]any{"content": fmt.Sprintf("Nhiệm vụ số %d về y tế cơ sở", i), "due_on": fmt.Sprintf("2026-03-%02d", 2+i%9)}
			if i%5 == 0 {
				extra["due_on"] = nil
				extra["due_kind"] = "urgent"
			}
			if i%7 == 0 {
				extra["lead"] = "BCA"
			}
			f.leadTask(t, extra)
		}
		for _, sort := range []string{"id", "-id", "due_on", "-due_on", "-days_overdue"} {
			seen := map[int64]bool{}
			var order []task
			cursor := ""
			for page := 0; page < 20; page++ {
				var list struct {
					Items      []task `json:"items"`
					NextCursor string `json:"next_cursor"`
				}
				f.secretariat.Do("GET", "/api/v1/tasks?limit=4&sort="+sort+"&cursor="+cursor, nil).Want(200).JSON(&list)
				for _, it := range list.Items {
					if seen[it.ID] {
						t.Fatalf("sort %s: task %d on two pages", sort, it.ID)
					}
					seen[it.ID] = true
					order = append(order, it)
				}
				if list.NextCursor == "" {
					break
				}
				cursor = list.NextCursor
			}
			if len(order) != 23 {
				t.Errorf("sort %s: paged through %d tasks, want 23", sort, len(order))
			}
			if strings.Contains(sort, "due") {
				for i := 1; i < len(order); i++ {
					a, b := order[i-1].DueOn, order[i].DueOn
					if a == nil && b != nil {
						t.Errorf("sort %s: an undated task before a dated one", sort)
					}
					if a != nil && b != nil && ((sort == "-due_on" && *a < *b) || (sort != "-due_on" && *a > *b)) {
						t.Errorf("sort %s: %s then %s", sort, *a, *b)
					}
				}
			}
		}
		// Today is 2026-03-02: tasks due 2026-03-02 are not overdue yet; move the clock.
		f.in.Clock.Advance(24 * 3600 * 1e9 * 3) // to 2026-03-05
		var over struct{ Items []task }
		f.secretariat.Do("GET", "/api/v1/tasks?overdue=true&agency=BYT&limit=500", nil).Want(200).JSON(&over)
		for _, it := range over.Items {
			if !it.Overdue || *it.DueOn >= "2026-03-05" || it.AgencyCode != "BYT" {
				t.Errorf("overdue list holds %+v", it)
			}
		}
		if len(over.Items) == 0 {
			t.Error("no overdue tasks listed")
		}
		var found struct{ Items []task }
		f.secretariat.Do("GET", "/api/v1/tasks?q=Y+TE+CO+SO&limit=500", nil).Want(200).JSON(&found)
		if len(found.Items) != 23 {
			t.Errorf("search without diacritics found %d, want 23", len(found.Items))
		}
		f.secretariat.Do("GET", "/api/v1/tasks?q=nhi%E1%BB%87m+v%E1%BB%A5+s%E1%BB%91+7+&limit=500", nil).Want(200).JSON(&found)
		if len(found.Items) != 1 {
			t.Errorf("search with diacritics found %d, want 1", len(found.Items))
		}
	})
}

func TestReportsExtensionsAndUrging(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		id := tk.ID
		f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", id), map[string]any{"body": "Đã xây dựng dự thảo", "percent": 40}).Want(201)
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", id), map[string]any{"body": "x"}).Want(403)
		f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", id), map[string]any{"body": "x", "percent": 140}).Want(422)

		var ext struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		}
		f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", id), map[string]any{"requested_due_on": "2026-03-15", "reason": "x"}).Want(422) // not later
		f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", id), map[string]any{"requested_due_on": "2026-04-30", "reason": "Chờ ý kiến các bộ"}).Want(201).JSON(&ext)
		f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", id), map[string]any{"requested_due_on": "2026-05-30", "reason": "again"}).Want(409)
		f.byt.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext.ID), map[string]any{"approve": true}).Want(403)
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext.ID), map[string]any{"approve": true, "comment": "Đồng ý"}).Want(200)
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext.ID), map[string]any{"approve": false, "comment": "x"}).Want(409)
		got := f.task(f.byt, id)
		if *got.DueOn != "2026-04-30" || *got.OriginalDueOn != "2026-03-31" {
			t.Errorf("after approval due %v original %v", *got.DueOn, *got.OriginalDueOn)
		}

		f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", id), map[string]any{"message": "x"}).Want(403)
		f.leader.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", id), map[string]any{"message": "Đề nghị khẩn trương hoàn thành"}).Want(201)
		var notes struct {
			Items []struct {
				ID     int64  `json:"id"`
				Kind   string `json:"kind"`
				TaskID *int64 `json:"task_id"`
			} `json:"items"`
		}
		f.byt.Do("GET", "/api/v1/me/notifications", nil).Want(200).JSON(&notes)
		kinds := map[string]int{}
		for _, n := range notes.Items {
			kinds[n.Kind]++
		}
		if kinds["urge"] != 1 || kinds["assign"] != 1 || kinds["extension_decided"] != 1 || len(notes.Items) != 3 {
			t.Errorf("BYT's notifications = %v, want one assign, one extension decided and one urge", kinds)
		}
		f.byt.Do("POST", fmt.Sprintf("/api/v1/me/notifications/%d/read", notes.Items[0].ID), nil).Want(204)
		f.bca.Do("POST", fmt.Sprintf("/api/v1/me/notifications/%d/read", notes.Items[0].ID), nil).Want(404)
		f.byt.Do("GET", "/api/v1/me/notifications?unread=true", nil).Want(200).JSON(&notes)
		if len(notes.Items) != 2 {
			t.Errorf("%d unread after reading one of three", len(notes.Items))
		}

		var actions []string
		for _, e := range f.events(f.secretariat, id) {
			actions = append(actions, e["action"].(string))
		}
		want := "assign report_progress request_extension approve_extension urge"
		if strings.Join(actions, " ") != want {
			t.Errorf("history %v, want %s", actions, want)
		}
	})
}
