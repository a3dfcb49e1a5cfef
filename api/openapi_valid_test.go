package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// validateResponses makes in check every answer its clients receive
// against the API's own OpenAPI document (its 3.0 form, which kin-openapi
// reads), and report each mismatch as a test error (issue 17, item 11).
func validateResponses(t *testing.T, in *apptest.Instance) *int {
	t.Helper()
	resp := in.Anonymous().Do("GET", "/api/v1/openapi-3.0.json", nil).Want(200)
	doc, err := openapi3.NewLoader().LoadFromData(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Info == nil || doc.Info.License == nil || doc.Info.License.Name == "" {
		t.Error("the OpenAPI document has no info.license")
	}
	doc.Servers = openapi3.Servers{{URL: in.Server.URL + "/api/v1"}}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	checked := new(int)
	in.CheckResponse = func(req *http.Request, status int, header http.Header, body []byte) {
		if !strings.HasPrefix(req.URL.Path, "/api/v1/") || strings.HasPrefix(req.URL.Path, "/api/v1/openapi") {
			return
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			if err == routers.ErrPathNotFound || err == routers.ErrMethodNotAllowed {
				return // the routes' own tests check these answers
			}
			t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
			return
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		})
		mu.Lock()
		*checked++
		mu.Unlock()
		if err != nil {
			t.Errorf("%s %s → %d does not match the OpenAPI document: %.2000v\nbody: %.500s", req.Method, req.URL.Path, status, err, body)
		}
	}
	return checked
}

// TestResponsesMatchOpenAPI replays a whole session, every role and most
// routes, and validates each answer against /api/v1/openapi.json.
func TestResponsesMatchOpenAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		in := apptest.Start(t, tg, today)
		checked := validateResponses(t, in)
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		leader := in.User("lanhdao", workflow.RoleLeader, "")
		byt := in.User("byt.cb", workflow.RoleAgency, "BYT")
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice",
			"title": "Kết luận", "issued_on": "2026-02-25", "body": "Bộ Y tế khẩn trương hoàn thiện đề án trong quý II/2026."}).Want(201).JSON(&doc)
		var d struct {
			Tasks []struct {
				ID      int64
				Version int
			}
		}
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Hoàn thiện đề án", "field": "Y tế",
			"lead": "BYT", "coordinators": []string{"BCA"}, "due_on": "2026-03-31"}).Want(201).JSON(&d)
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Theo dõi thường xuyên",
			"lead": "BYT", "due_kind": "ongoing", "reporting_period": "monthly"}).Want(201)
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Tất cả các bộ rà soát",
			"group": "all_ministries", "due_period": "2026-Q2"}).Want(201)
		id := d.Tasks[0].ID
		task := fmt.Sprintf("/api/v1/tasks/%d", id)
		move := func(c *apptest.Client, body map[string]any) {
			var tk struct{ Version int }
			c.Do("GET", task, nil).Want(200).JSON(&tk)
			c.Do("POST", task+"/transitions", body, "If-Match", fmt.Sprintf(`"%d"`, tk.Version)).Want(200)
		}
		move(byt, map[string]any{"action": "acknowledge"})
		byt.Do("POST", task+"/reports", map[string]any{"body": "Đang làm", "percent": 40}).Want(201)
		if r := byt.Do("POST", task+"/extensions", map[string]any{"requested_due_on": "2026-04-30", "reason": "Cần thêm thời gian"}).Want(201, 422); r.Status == 201 {
			var ext struct{ ID int64 }
			r.JSON(&ext)
			sec.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext.ID), map[string]any{"approve": true, "due_on": "2026-04-15"}).Want(200)
		}
		sec.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", d.Tasks[len(d.Tasks)-1].ID), map[string]any{"message": "Đề nghị khẩn trương"}).Want(200, 201, 204, 422, 429)
		move(byt, map[string]any{"action": "report_done", "report": "Đã xong"})
		move(sec, map[string]any{"action": "confirm"})
		in.Clock.Advance(24 * 60 * 60 * 1e9 * 40)
		for _, c := range []*apptest.Client{sec, leader, byt} {
			for _, p := range []string{"/api/v1/me", "/api/v1/tasks", "/api/v1/tasks?overdue=true&sort=-days_overdue", "/api/v1/tasks?status=open&limit=2",
				task, task + "/events", task + "/reports", task + "/extensions", "/api/v1/extensions", "/api/v1/documents",
				fmt.Sprintf("/api/v1/documents/%d", doc.ID), "/api/v1/agencies?limit=5", "/api/v1/agencies/BYT", "/api/v1/agencies?active_on=2026-01-01",
				"/api/v1/calendar/holidays?year=2026", "/api/v1/calendar/add-working-days?from=2026-03-02&days=10",
				"/api/v1/stats/agencies", "/api/v1/stats/agencies?period=all", "/api/v1/stats/agencies?period=reporting-2026-Q1",
				"/api/v1/stats/agencies/BYT/trend", "/api/v1/me/notifications", "/api/v1/stats/overdue"} {
				c.Do("GET", p, nil)
			}
		}
		in.Admin.Do("GET", "/api/v1/users", nil).Want(200)
		in.Admin.Do("GET", "/api/v1/admin/notifications", nil).Want(200)
		in.Admin.Do("GET", "/api/v1/admin/audit/verify", nil).Want(200)
		in.Admin.Do("POST", "/api/v1/admin/reminders/scan", map[string]any{}).Want(200)
		in.Admin.Do("PUT", "/api/v1/agencies/BTEST", map[string]any{"name": "Bộ Thử", "short_name": "Thử", "kind": "ministry"}).Want(201)
		in.Admin.Do("PUT", "/api/v1/agencies/BTEST", map[string]any{"name": "Bộ Thử", "short_name": "Thử", "kind": "ministry",
			"valid_to": "2026-06-30", "successor_code": "BYT"}).Want(200)
		in.Admin.Do("GET", "/api/v1/agencies/BTEST", nil).Want(200)
		sec.Do("POST", "/api/v1/extract", map[string]any{"text": "Bộ Y tế chủ trì, phối hợp với các bộ, khẩn trương hoàn thiện đề án, báo cáo Thủ tướng trong tháng 4 năm 2026. Các bộ, ngành rà soát thường xuyên.", "doc_date": "2026-02-25"}).Want(200)
		byt.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "ci"}).Want(201, 422)
		byt.Do("POST", "/api/v1/me/feed-token", nil).Want(200, 201)
		// Problems too.
		byt.Do("GET", "/api/v1/tasks/999999", nil).Want(404)
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID}).Want(422)
		in.Anonymous().Do("GET", "/api/v1/me", nil).Want(401)
		if *checked < 60 {
			t.Errorf("only %d answers checked", *checked)
		}
		t.Logf("%d answers checked against the OpenAPI document", *checked)
	})
}

// TestOpenAPI30YAMLSaysBinaryAs30Does: the YAML form of the 3.0 document is
// the JSON form's twin, with the files' strings said as format: binary, not
// 3.1's contentMediaType, and kin-openapi reads it as valid 3.0.
func TestOpenAPI30YAMLSaysBinaryAs30Does(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	resp := in.Anonymous().Do("GET", "/api/v1/openapi-3.0.yaml", nil).Want(200)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openapi+yaml") {
		t.Errorf("Content-Type %q", ct)
	}
	body := string(resp.Body)
	if strings.Contains(body, "contentMediaType") {
		t.Error("the 3.0 YAML document still says contentMediaType")
	}
	if !strings.Contains(body, "format: binary") {
		t.Error("the 3.0 YAML document says no file is format: binary")
	}
	doc, err := openapi3.NewLoader().LoadFromData(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("the 3.0 YAML document is not valid: %v", err)
	}
	asJSON := in.Anonymous().Do("GET", "/api/v1/openapi-3.0.json", nil).Want(200)
	fromJSON, err := openapi3.NewLoader().LoadFromData(asJSON.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths.Map()) != len(fromJSON.Paths.Map()) || len(doc.Components.Schemas) != len(fromJSON.Components.Schemas) {
		t.Errorf("YAML has %d paths and %d schemas, JSON %d and %d", len(doc.Paths.Map()), len(doc.Components.Schemas),
			len(fromJSON.Paths.Map()), len(fromJSON.Components.Schemas))
	}
}
