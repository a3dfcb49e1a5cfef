package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestInputGuard: every input is checked at one place, on both databases
// (issue 17, items 4 and 6): NUL and other control characters, invalid
// UTF-8, lone surrogates, duplicate names and wrongly cased names are 422;
// dates out of 1945–2100 are 422; a form or plain text body is 415 with a
// problem; stored text is NFC, the field included.
func TestInputGuard(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		in := apptest.Start(t, tg, today)
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "7/TB-VPCP", "kind": "conclusion_notice",
			"title": "Kết luận", "issued_on": "2026-02-25", "body": "Nội dung"}).Want(201).JSON(&doc)
		directive := func(extra string) string {
			return fmt.Sprintf(`{"document_id": %d, "lead": "BYT", "due_on": "2026-03-31"%s}`, doc.ID, extra)
		}
		problem := func(r *apptest.Response, status int, code string) {
			t.Helper()
			r.Want(status)
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%d as %q", r.Status, r.Header.Get("Content-Type"))
			}
			if m := r.Map(); code != "" && m["code"] != code {
				t.Errorf("code %v, want %s: %s", m["code"], code, r.Body)
			}
		}
		for what, body := range map[string]string{
			"NUL in content":        directive(`, "content": "a\u0000b"`),
			"bell in content":       directive(`, "content": "a\u0007b"`),
			"C1 control in content": directive(`, "content": "a\u0085b"`),
			"tab in field":          directive(`, "content": "x", "field": "Y\tTế"`),
			"newline in field":      directive(`, "content": "x", "field": "Y\nTế"`),
			"invalid UTF-8":         directive(", \"content\": \"a\xff\xfeb\""),
			"lone surrogate":        directive(`, "content": "a\ud800b"`),
			"lone low surrogate":    directive(`, "content": "a\udc00b"`),
			"duplicate name":        directive(`, "content": "x", "content": "y"`),
			"wrongly cased name":    fmt.Sprintf(`{"document_id": %d, "content": "x", "Lead": "BYT", "due_on": "2026-03-31"}`, doc.ID),
			"due_on 9999-12-31":     fmt.Sprintf(`{"document_id": %d, "content": "x", "lead": "BYT", "due_on": "9999-12-31"}`, doc.ID),
			"due_on 1900-01-01":     fmt.Sprintf(`{"document_id": %d, "content": "x", "lead": "BYT", "due_on": "1900-01-01"}`, doc.ID),
			"NUL in a name":         directive(`, "content": "x", "a\u0000": 1`),
			"NUL in a nested value": directive(`, "content": "x", "coordinators": ["BCA\u0000"]`),
		} {
			r := sec.Do("POST", "/api/v1/directives", body)
			if r.Status != 422 {
				t.Errorf("%s: %d %s", what, r.Status, r.Body)
				continue
			}
			problem(r, 422, "")
		}
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "8/TB-VPCP", "kind": "conclusion_notice",
			"title": "Kết luận", "issued_on": "2101-01-01", "body": "x"}).Want(422)
		problem(in.Anonymous().Do("POST", "/api/v1/auth/login", `{"username": "thu\u0000ky", "password": "x"}`), 422, "control_character")
		for _, q := range []string{"/api/v1/tasks?q=a%00b", "/api/v1/documents?number=7%00", "/api/v1/tasks?q=%FF%FE",
			"/api/v1/tasks?due_before=9999-12-31", "/api/v1/tasks?due_after=1900-01-01",
			"/api/v1/calendar/add-working-days?from=9999-01-01&days=1", "/api/v1/documents?issued_from=0001-01-01"} {
			r := sec.Do("GET", q, nil)
			if r.Status != 422 {
				t.Errorf("GET %s: %d %s", q, r.Status, r.Body)
			}
		}
		problem(sec.Do("POST", "/api/v1/directives", "content=x", "Content-Type", "text/plain"), 415, "unsupported_media_type")
		problem(sec.Do("POST", "/api/v1/directives", "content=x", "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type")

		// Tabs and line breaks belong in long text; every text is stored in NFC.
		nfd := "Y te\u0302\u0301" // "Y tế" decomposed
		var d struct {
			Content, Field string
			Tasks          []struct{ Field string }
		}
		sec.Do("POST", "/api/v1/directives", directive(`, "content": "Dòng 1\r\n\tDòng 2 `+nfd+`", "field": "`+nfd+`"`)).Want(201).JSON(&d)
		if d.Field != "Y tế" || !strings.HasSuffix(d.Content, "Dòng 2 Y tế") || !strings.Contains(d.Content, "\n") {
			t.Errorf("stored field %q, content %q: want NFC", d.Field, d.Content)
		}
		var list struct{ Items []struct{ Field string } }
		sec.Do("GET", "/api/v1/tasks?q=Y+t%E1%BA%BF", nil).Want(200).JSON(&list)
		if len(list.Items) != 1 || list.Items[0].Field != "Y tế" {
			t.Errorf("tasks found by the NFC text: %+v", list.Items)
		}
	})
}
