package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/storage/testdb"
)

// TestStrangersAndForgedFormsInBrowser: in Chromium, an agency officer who
// opens another agency's task by its URL gets the Vietnamese 404 page and
// learns nothing of the task, an unknown address gets the same page, and
// a form whose CSRF token was taken out is refused with the Vietnamese 403
// page and changes nothing, while the same form with its token works.
func TestStrangersAndForgedFormsInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	w := newWorld(t, testdb.SQLite(t))
	browser := startChromium(t, exe, 2*time.Minute)
	dir := artifactsDir(t)
	bca := newChromeTab(t, browser, w.in, dir, "bca.cb")
	byt := newChromeTab(t, browser, w.in, dir, "byt.cb")

	// BCA at BYT's task: not found, in Vietnamese, and nothing of the task.
	bca.login("bca.cb")
	if resp := bca.open(taskPath(w.bytTask)); resp.Status != 404 {
		t.Fatalf("BCA opened BYT's task: status %d", resp.Status)
	}
	notFound := func(b *chromeTab, what string) {
		t.Helper()
		if lang := jsEval[string](b, `document.documentElement.lang`); lang != "vi" {
			t.Errorf("%s: lang = %q", what, lang)
		}
		if title := jsEval[string](b, `document.title`); title != "Không tìm thấy trang – dondoc" {
			t.Errorf("%s: title %q", what, title)
		}
		b.has(what, "main h1", "404 – Không tìm thấy trang")
		b.has(what, "main", "Không tìm thấy trang hoặc bạn không có quyền xem.")
		b.has(what+", signed in", "header .who", b.who)
	}
	notFound(bca, "another agency's task")
	if text := bca.text("body"); strings.Contains(text, "Rà soát danh mục thuốc") || strings.Contains(text, "Bộ Y tế") || strings.Contains(text, "31/03/2026") {
		t.Errorf("the 404 page tells BCA of BYT's task:\n%s", text)
	}
	bca.screenshot("strangers-01-another-agencys-task.png")
	// The way out leads to the officer's own list.
	bca.click("leave the 404 page", `main a[href="/my/tasks"]`, 200)
	bca.has("back to my tasks", "main h1", "Nhiệm vụ của tôi")
	// Its own task opens: the 404 is about whose task it is.
	if resp := bca.open(taskPath(w.bcaTask)); resp.Status != 200 {
		t.Fatalf("BCA's own task: status %d", resp.Status)
	}
	bca.has("BCA's own task", "main", "Bảo đảm an ninh trật tự")
	if resp := bca.open("/khong-co-trang-nay"); resp.Status != 404 {
		t.Errorf("an unknown address: status %d", resp.Status)
	}
	notFound(bca, "an unknown address")
	bca.screenshot("strangers-02-unknown-address.png")

	// BYT's acknowledge form without its token: refused, nothing changed.
	byt.login("byt.cb")
	byt.open(taskPath(w.bytTask))
	ack := `form[data-form="acknowledge"]`
	if !jsEval[bool](byt, `(f => { const i = f && f.querySelector("input[name=csrf]"); if (!i) return false; i.remove(); return true })(document.querySelector(`+jsString(ack)+`))`) {
		t.Fatalf("no acknowledge form with a CSRF token on BYT's task:\n%s", byt.text("main"))
	}
	byt.click("acknowledge without the token", ack+" button", 403)
	if title := jsEval[string](byt, `document.title`); title != "Không có quyền truy cập – dondoc" {
		t.Errorf("the refusal's title %q", title)
	}
	byt.has("the refusal", "main", "403 – Không có quyền truy cập", "Biểu mẫu không hợp lệ hoặc đã hết hạn")
	byt.screenshot("strangers-03-form-without-token.png")
	var api struct{ Status string }
	w.sec.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", w.bytTask), nil).Want(200).JSON(&api)
	if api.Status != "assigned" {
		t.Fatalf("the form without its token changed the task to %s", api.Status)
	}
	byt.open(taskPath(w.bytTask))
	byt.has("the task after the refusal", "main", "Mới giao")
	// The same form, untouched, is accepted: the token was what was missing.
	byt.click("acknowledge", ack+" button", 200)
	byt.has("after acknowledging", "main", "Đã tiếp nhận nhiệm vụ.", "Đang thực hiện")
	w.sec.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", w.bytTask), nil).Want(200).JSON(&api)
	if api.Status != "in_progress" {
		t.Errorf("the form with its token left the task %s", api.Status)
	}
}
