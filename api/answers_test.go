package api_test

import (
	"net/url"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestClearerAnswers (issue 17, item 8): the role is checked before the
// body, so a leader learns 403 whatever it sends; the agency list pages
// with ?limit=; the statistics take period=all.
func TestClearerAnswers(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	leader := in.User("lanhdao", workflow.RoleLeader, "")
	good := map[string]any{"name": "Bộ Y tế", "short_name": "Y tế", "kind": "ministry"}
	for what, body := range map[string]any{"a good body": good, "a bad body": map[string]any{"name": 1}, "an empty object": map[string]any{}} {
		r := leader.Do("PUT", "/api/v1/agencies/BYT", body)
		if r.Status != 403 || r.Map()["code"] != "role_not_allowed" {
			t.Errorf("a leader's PUT /agencies/BYT with %s: %d %s", what, r.Status, r.Body)
		}
	}
	r := leader.Do("POST", "/api/v1/users", map[string]any{"username": 5})
	if r.Status != 403 {
		t.Errorf("a leader's POST /users with a bad body: %d %s", r.Status, r.Body)
	}

	var all, page struct {
		Items      []struct{ Code string }
		NextCursor string `json:"next_cursor"`
	}
	leader.Do("GET", "/api/v1/agencies", nil).Want(200).JSON(&all)
	if len(all.Items) < 10 || all.NextCursor != "" {
		t.Fatalf("the whole catalog: %d agencies, next %q", len(all.Items), all.NextCursor)
	}
	var codes []string
	next := ""
	for range 100 {
		q := url.Values{"limit": {"7"}}
		if next != "" {
			q.Set("cursor", next)
		}
		leader.Do("GET", "/api/v1/agencies?"+q.Encode(), nil).Want(200).JSON(&page)
		if len(page.Items) > 7 {
			t.Fatalf("limit=7 gave %d", len(page.Items))
		}
		for _, a := range page.Items {
			codes = append(codes, a.Code)
		}
		if next = page.NextCursor; next == "" {
			break
		}
	}
	if len(codes) != len(all.Items) {
		t.Errorf("pages of 7 gave %d agencies, the whole list %d", len(codes), len(all.Items))
	}
	for i := range min(len(codes), len(all.Items)) {
		if codes[i] != all.Items[i].Code {
			t.Fatalf("agency %d: %s by pages, %s in the whole list", i, codes[i], all.Items[i].Code)
		}
	}
	leader.Do("GET", "/api/v1/agencies?cursor=bm9wZQ", nil).Want(422)
	leader.Do("GET", "/api/v1/stats/agencies?period=all", nil).Want(200)
}
