package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestPasswordPage: "Đổi mật khẩu" keeps errors beside their fields, in
// Vietnamese, refuses a form without its CSRF token, and on success keeps
// this browser signed in while the user's other sessions end.
func TestPasswordPage(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), civil.MustDate("2026-03-02"))
	api := in.User("lanhdao", workflow.RoleLeader, "")
	w := newBrowser(t, in)
	w.login("lanhdao", apptest.Password).want(t, "login", 303)
	p := w.get("/password").want(t, "the page", 200)
	if !strings.Contains(p.Body, "<h1>Đổi mật khẩu</h1>") || !strings.Contains(p.Body, `name="current_password"`) {
		t.Fatalf("the page:\n%s", p.Body)
	}
	csrf := p.csrf(t)
	form := func(cur, next, confirm string) url.Values {
		return url.Values{"csrf": {csrf}, "current_password": {cur}, "new_password": {next}, "confirm_password": {confirm}}
	}
	beside := func(p page, field, msg string) {
		t.Helper()
		re := regexp.MustCompile(`(?s)id="` + field + `"[^>]*aria-invalid="true".*?<p class="alert" id="` + field + `-loi">` + regexp.QuoteMeta(msg))
		if !re.MatchString(p.Body) {
			t.Errorf("no %q beside %s:\n%s", msg, field, p.Body)
		}
	}
	beside(w.post("/password", form("Sai-mat-khau-1", "Mat-khau-moi-2026", "Mat-khau-moi-2026")).want(t, "wrong current", 422),
		"current_password", "Mật khẩu hiện tại không đúng.")
	beside(w.post("/password", form(apptest.Password, "Mat-khau-moi-2026", "Mat-khau-khac-2026")).want(t, "mismatch", 422),
		"confirm_password", "Hai lần nhập mật khẩu mới không khớp nhau.")
	beside(w.post("/password", form(apptest.Password, "ngan", "ngan")).want(t, "weak", 422),
		"new_password", "Mật khẩu mới chưa đạt yêu cầu")
	bad := form(apptest.Password, "Mat-khau-moi-2026", "Mat-khau-moi-2026")
	bad.Set("csrf", "x")
	w.post("/password", bad).want(t, "without CSRF", 403)
	api.Do("GET", "/api/v1/me", nil).Want(200)

	done := w.post("/password", form(apptest.Password, "Mat-khau-moi-2026", "Mat-khau-moi-2026")).want(t, "change", 303)
	apptest.Secret("Mat-khau-moi-2026")
	if done.Location != "/password?xong=1" {
		t.Errorf("after the change: to %q", done.Location)
	}
	if p := w.get("/password?xong=1").want(t, "still signed in", 200); !strings.Contains(p.Body, "Đã đổi mật khẩu") {
		t.Errorf("no confirmation:\n%s", p.Body)
	}
	api.Do("GET", "/api/v1/me", nil).Want(401)
	in.Login("lanhdao", "Mat-khau-moi-2026")
}
