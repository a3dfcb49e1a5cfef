package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// world is a running dondoc with a secretariat officer, two agencies'
// officers, a leader, and one directive for each agency.
type world struct {
	in               *apptest.Instance
	sec              *apptest.Client
	bytTask, bcaTask int64
	bytTask2         int64
}

func newWorld(t *testing.T, tg testdb.Target) *world {
	in := apptest.Start(t, tg, civil.Date{Year: 2026, Month: 3, Day: 2})
	w := &world{in: in, sec: in.User("thuky", workflow.RoleSecretariat, "")}
	in.User("byt.cb", workflow.RoleAgency, "BYT")
	in.User("bca.cb", workflow.RoleAgency, "BCA")
	in.User("lanhdao", workflow.RoleLeader, "")
	var doc struct{ ID int64 }
	w.sec.Do("POST", "/api/v1/documents", map[string]any{"number": "12/TB-VPCP", "kind": "conclusion_notice",
		"title": "Kết luận của Thủ tướng", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
	task := func(lead, content, due string) int64 {
		var d struct{ Tasks []struct{ ID int64 } }
		w.sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": content, "lead": lead,
			"due_on": due, "field": "Y tế"}).Want(201).JSON(&d)
		return d.Tasks[0].ID
	}
	w.bytTask = task("BYT", "Rà soát danh mục thuốc thiết yếu", "2026-03-31")
	w.bcaTask = task("BCA", "Bảo đảm an ninh trật tự", "2026-03-20")
	w.bytTask2 = task("BYT", "Báo cáo tình hình dịch bệnh", "2026-02-27") // overdue already
	return w
}

func taskPath(id int64) string { return fmt.Sprintf("/tasks/%d", id) }

func actionPath(id int64, action string) string {
	return fmt.Sprintf("/tasks/%d/actions/%s", id, action)
}

// TestTaskWorkInPages plays the agency's and the secretariat's work on a
// task as plain form posts: the new-task count, acknowledge, a progress
// report whose wrong field keeps what was typed, a stale page that gets the
// fresh task instead of overwriting it, report done, a return that needs a
// comment, a confirmation, an extension request approved, and the
// notifications.
func TestTaskWorkInPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newWorld(t, tg)
		byt := newBrowser(t, w.in)
		if p := byt.login("byt.cb", apptest.Password); p.Status != http.StatusSeeOther || p.Location != "/my/tasks" {
			t.Fatalf("agency login: %d to %q", p.Status, p.Location)
		}
		mine := byt.get("/my/tasks").want(t, "my tasks", 200)
		if got := mine.count(t, "new"); got != "2" {
			t.Errorf("new-task count %q, want 2", got)
		}
		// Overdue first, then by due date; nothing of BCA.
		if i, j := strings.Index(mine.Body, taskPath(w.bytTask2)), strings.Index(mine.Body, taskPath(w.bytTask)); i < 0 || j < 0 || i > j {
			t.Errorf("my tasks: the overdue task (at %d) should come before the other (at %d)", i, j)
		}
		mine.has(t, "my tasks", "quá hạn 3 ngày", "còn ").lacks(t, "my tasks", taskPath(w.bcaTask))
		byt.get("/my/tasks?month=2026-03").want(t, "by due month", 200).has(t, "by month", taskPath(w.bytTask)).lacks(t, "by month", taskPath(w.bytTask2)+`"`)
		byt.get("/my/tasks?field=Kinh+t%E1%BA%BF").want(t, "by field", 200).lacks(t, "by field", taskPath(w.bytTask)+`"`)
		byt.get("/my/tasks?month=nope").want(t, "a bad month", 422)

		tp := byt.get(taskPath(w.bytTask)).want(t, "task page", 200)
		tp.has(t, "task page", `data-form="acknowledge"`, "Rà soát danh mục thuốc thiết yếu", "31/03/2026", "còn 21 ngày làm việc").
			lacks(t, "task page", `data-form="confirm"`, `data-form="return"`)
		stale := tp // kept to post later with its old version
		p := byt.submit(tp, actionPath(w.bytTask, "acknowledge"), url.Values{}).want(t, "acknowledge", 303)
		tp = byt.get(p.Location).want(t, "after acknowledge", 200).has(t, "after acknowledge", "Đã tiếp nhận nhiệm vụ.", "Đang thực hiện")
		if got := tp.count(t, "new"); got != "1" {
			t.Errorf("new-task count after acknowledging %q, want 1", got)
		}

		// A wrong field: the text typed stays, the error is beside the field.
		bad := byt.submit(tp, actionPath(w.bytTask, "progress"), url.Values{"body": {"Đã họp với các vụ"}, "percent": {"140"}}).want(t, "bad percent", 422)
		bad.has(t, "bad percent", "Đã họp với các vụ</textarea>", `id="progress-percent-err"`, "từ 0 đến 100", `value="140"`)

		// A stale page: the post with the old version changes nothing, and
		// the fresh task comes back with a message and what was typed.
		st := byt.submit(stale, actionPath(w.bytTask, "report_done"), url.Values{"report": {"Xong rồi"}}).want(t, "stale page", 409)
		st.has(t, "stale page", `data-stale="1"`, "Xong rồi</textarea>", "Đang thực hiện")
		var api struct{ Status string }
		w.sec.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", w.bytTask), nil).Want(200).JSON(&api)
		if api.Status != "in_progress" {
			t.Fatalf("the stale post changed the task to %s", api.Status)
		}

		p = byt.submit(tp, actionPath(w.bytTask, "progress"), url.Values{"body": {"Đã họp với các vụ"}, "percent": {"40"}}).want(t, "progress", 303)
		tp = byt.get(p.Location).has(t, "after progress", "Đã gửi báo cáo tiến độ.", "Đã họp với các vụ", "40%")
		p = byt.submit(tp, actionPath(w.bytTask, "report_done"), url.Values{"report": {"Đã ban hành danh mục"}}).want(t, "report done", 303)
		byt.get(p.Location).has(t, "after report done", "Đã báo cáo hoàn thành")

		// The secretariat returns it: the comment is required.
		sec := newBrowser(t, w.in)
		sec.login("thuky", apptest.Password)
		sp := sec.get(taskPath(w.bytTask)).want(t, "secretariat's task page", 200)
		if got := sp.count(t, "reports"); got != "1" {
			t.Errorf("reports waiting %q, want 1", got)
		}
		sp.has(t, "secretariat", `data-form="confirm"`, `data-form="return"`, `href="/documents"`, `href="/queue/overdue"`)
		if got := sp.count(t, "overdue"); got != "1" {
			t.Errorf("overdue count %q, want 1", got)
		}
		sec.submit(sp, actionPath(w.bytTask, "return"), url.Values{"comment": {"  "}}).want(t, "return without comment", 422).
			has(t, "return without comment", `id="return-comment-err"`, "Vui lòng nhập ý kiến.")
		p = sec.submit(sp, actionPath(w.bytTask, "return"), url.Values{"comment": {"Bổ sung số liệu"}}).want(t, "return", 303)
		sec.get(p.Location).has(t, "after return", "Bổ sung số liệu", "Đang thực hiện")

		tp = byt.get(taskPath(w.bytTask))
		p = byt.submit(tp, actionPath(w.bytTask, "report_done"), url.Values{"report": {"Đã bổ sung số liệu"}}).want(t, "report again", 303)
		sp = sec.get(taskPath(w.bytTask))
		p = sec.submit(sp, actionPath(w.bytTask, "confirm"), url.Values{}).want(t, "confirm", 303)
		sec.get(p.Location).has(t, "after confirm", "Đã xác nhận hoàn thành.", "Đã hoàn thành")

		// An extension request on the overdue task, approved.
		tp = byt.get(taskPath(w.bytTask2)).has(t, "overdue task", `data-form="extension"`)
		byt.submit(tp, fmt.Sprintf("/tasks/%d/extensions", w.bytTask2), url.Values{"requested_due_on": {"2026-02-01"}, "reason": {"Chờ số liệu"}}).
			want(t, "extension before the due date", 422).has(t, "bad extension", "Ngày đề nghị phải sau hạn hiện tại.", "Chờ số liệu</textarea>")
		p = byt.submit(tp, fmt.Sprintf("/tasks/%d/extensions", w.bytTask2), url.Values{"requested_due_on": {"15/04/2026"}, "reason": {"Chờ số liệu"}}).want(t, "extension", 303)
		byt.get(p.Location).has(t, "after extension", "Đã gửi đề nghị gia hạn.", "15/04/2026").lacks(t, "after extension", `data-form="extension"`)
		sp = sec.get(taskPath(w.bytTask2))
		if got := sp.count(t, "extensions"); got != "1" {
			t.Errorf("extension requests waiting %q, want 1", got)
		}
		var ext struct{ ID int64 }
		if m := strings.Index(sp.Body, `data-extension="`); m < 0 {
			t.Fatal("no extension request on the secretariat's page")
		} else if _, err := fmt.Sscanf(sp.Body[m+len(`data-extension="`):], "%d", &ext.ID); err != nil {
			t.Fatal(err)
		}
		p = sec.submit(sp, fmt.Sprintf("/tasks/%d/extensions/%d/decide", w.bytTask2, ext.ID), url.Values{"decision": {"approve"}}).want(t, "approve", 303)
		after := sec.get(p.Location).has(t, "after approval", "Đã đồng ý gia hạn.", "15/04/2026", "hạn ban đầu 27/02/2026")
		if got := after.count(t, "extensions"); got != "0" {
			t.Errorf("extension requests waiting after the decision %q, want 0", got)
		}

		// The agency's notifications: each links to its task; mark all read.
		np := byt.get("/notifications").want(t, "notifications", 200)
		unread := np.count(t, "unread")
		if unread == "0" {
			t.Fatalf("no unread notification after a return and a confirmation:\n%s", np.Body)
		}
		np.has(t, "notifications", fmt.Sprintf(`value="/tasks/%d"`, w.bytTask), "Ý kiến: Bổ sung số liệu").lacks(t, "notifications", "%!")
		byt.submit(np, "/notifications/read-all", url.Values{}).want(t, "mark all read", 303)
		if got := byt.get("/notifications").count(t, "unread"); got != "0" {
			t.Errorf("unread after marking all read: %s", got)
		}
	})
}

// TestPagesRefuseStrangersAndForgedForms: an agency officer who opens
// another agency's task by its URL gets the Vietnamese 404 page, and a form
// posted without its CSRF token is refused and changes nothing.
func TestPagesRefuseStrangersAndForgedForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newWorld(t, tg)
		byt := newBrowser(t, w.in)
		byt.login("byt.cb", apptest.Password)
		nf := byt.get(taskPath(w.bcaTask)).want(t, "another agency's task", 404)
		nf.has(t, "404 page", `lang="vi"`, "Không tìm thấy trang").lacks(t, "404 page", "Bảo đảm an ninh", "goroutine", ".go:")
		own := byt.get(taskPath(w.bytTask)).want(t, "own task", 200)
		byt.submit(own, actionPath(w.bcaTask, "acknowledge"), url.Values{}).want(t, "acting on another agency's task", 404)

		form := url.Values{"version": {versionRE.FindStringSubmatch(own.Body)[1]}}
		byt.post(actionPath(w.bytTask, "acknowledge"), form).want(t, "no CSRF token", 403).has(t, "forged", "Biểu mẫu không hợp lệ")
		form.Set("csrf", "forged")
		byt.post(actionPath(w.bytTask, "acknowledge"), form).want(t, "a wrong CSRF token", 403)
		var api struct{ Status string }
		w.sec.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", w.bytTask), nil).Want(200).JSON(&api)
		if api.Status != "assigned" {
			t.Fatalf("a forged form changed the task to %s", api.Status)
		}
		byt.get("/no-such-page").want(t, "unknown page", 404)
		// A browser asking for an address that does not exist gets the
		// Vietnamese page, signed in; the API keeps its problem+json.
		req, err := http.NewRequest(http.MethodGet, w.in.Server.URL+"/no-such-page", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		byt.do(req).want(t, "unknown page as HTML", 404).has(t, "unknown page as HTML", `lang="vi"`,
			"<title>Không tìm thấy trang – dondoc</title>", "404 – Không tìm thấy trang", `data-count="new"`).lacks(t, "unknown page as HTML", "no_such_route")
		req, err = http.NewRequest(http.MethodGet, w.in.Server.URL+"/api/v1/no-such-route", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/html")
		byt.do(req).want(t, "unknown API route", 404).has(t, "unknown API route", "no_such_route")
		nf.has(t, "404 title", "<title>Không tìm thấy trang – dondoc</title>", `href="/my/tasks">Về nhiệm vụ của tôi`).lacks(t, "404 title", "Not Found")
		// A form's address opened as a page: the method it does not take,
		// said in Vietnamese too.
		req, err = http.NewRequest(http.MethodGet, w.in.Server.URL+"/logout", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/html")
		byt.do(req).want(t, "GET /logout", 405).has(t, "GET /logout", "405 – Không hỗ trợ thao tác này", "<title>Không hỗ trợ thao tác này – dondoc</title>")
	})
}
