package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

// The extensions queue grants the date typed beside a request's approve
// button (dd/mm/yyyy), offered as the requested one: a wrong date comes back
// beside the field with what was typed and changes nothing; the field as
// offered, or left empty, grants the requested date; the task page then
// shows the granted deadline with the original.
func TestQueueExtensionGrantsTypedDate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newSecWorld(t, tg)
		doc := w.document("2/TB-VPCP")
		ask := func(content string) (task, ext int64) {
			task = w.bytTask(doc, content).ID
			var e struct{ ID int64 }
			w.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", task), map[string]any{"requested_due_on": "2022-09-30", "reason": "Chờ số liệu"}).Want(201).JSON(&e)
			return task, e.ID
		}
		due := func(task int64) string {
			var tk apiTask
			w.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", task), nil).Want(200).JSON(&tk)
			if tk.DueOn == nil {
				return ""
			}
			return *tk.DueOn
		}
		granted := func(task int64) (status string, on *string) {
			var es struct {
				Items []struct {
					Status       string  `json:"status"`
					GrantedDueOn *string `json:"granted_due_on"`
				}
			}
			w.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/extensions", task), nil).Want(200).JSON(&es)
			if len(es.Items) != 1 {
				t.Fatalf("task %d has %d extension requests, want 1", task, len(es.Items))
			}
			return es.Items[0].Status, es.Items[0].GrantedDueOn
		}
		a, ea := ask("Nhiệm vụ A")
		b, eb := ask("Nhiệm vụ B")
		c, ec := ask("Nhiệm vụ C")
		s := w.thuky
		decide := func(ext int64) string { return fmt.Sprintf("/queue/extensions/%d/decide", ext) }

		q := s.get("/queue/extensions").want(t, "the extensions queue", 200)
		page(q).has(t, "the extensions queue", fmt.Sprintf(`<label for="due-%d">Gia hạn đến`, ea),
			fmt.Sprintf(`id="due-%d" name="due_on" value="30/09/2022"`, ea))
		form := formValues(t, q, fmt.Sprintf("decide-%d", ea))
		if form.Get("due_on") != "30/09/2022" {
			t.Fatalf("the approve form offers %q, want the requested 30/09/2022", form.Get("due_on"))
		}

		for _, bad := range []struct{ typed, says string }{
			{"31/02/2022", "Ngày không hợp lệ"},
			{"hôm nay", "Ngày không hợp lệ"},
			{"20/08/2022", "phải sau hạn hiện tại"},
			{"31/08/2022", "phải sau hạn hiện tại"},
			{"01/01/2030", "quá 5 năm"},
		} {
			form.Set("decision", "approve")
			form.Set("due_on", bad.typed)
			form.Set("comment", "Đồng ý một phần")
			p := s.post(decide(ea), form).want(t, "approve with "+bad.typed, 422)
			page(p).has(t, "a wrong date "+bad.typed,
				fmt.Sprintf(`id="due-%d" name="due_on" value="%s"`, ea, bad.typed),
				fmt.Sprintf(`<p class="field-error" id="due-%d-err">`, ea), bad.says,
				fmt.Sprintf(`aria-describedby="due-%d-hint due-%d-err" aria-invalid="true"`, ea, ea),
				">Đồng ý một phần</textarea>")
			if strings.Count(p.Body, `class="field-error"`) != 1 {
				t.Errorf("a wrong date on one request marks %d fields, want 1", strings.Count(p.Body, `class="field-error"`))
			}
			if got := due(a); got != "2022-08-31" {
				t.Fatalf("a refused date (%s) moved the task to %s", bad.typed, got)
			}
			if st, on := granted(a); st != "pending" || on != nil {
				t.Fatalf("a refused date (%s) left the request %s, granted %v", bad.typed, st, on)
			}
		}

		form.Set("due_on", "15/10/2022")
		s.post(decide(ea), form).want(t, "approve with a typed date", 303)
		if got := due(a); got != "2022-10-15" {
			t.Errorf("approved with 15/10/2022, the task is due %s", got)
		}
		if st, on := granted(a); st != "approved" || on == nil || *on != "2022-10-15" {
			t.Errorf("approved with 15/10/2022, the request is %s, granted %v", st, on)
		}
		page(s.get(fmt.Sprintf("/tasks/%d", a)).want(t, "the task page", 200)).
			has(t, "the extended task's page", "15/10/2022 (hạn ban đầu 31/08/2022)", "Đã đồng ý gia hạn đến 15/10/2022")

		// The form as offered, and the field emptied: the requested date.
		q = s.get("/queue/extensions").want(t, "the extensions queue again", 200)
		offered := formValues(t, q, fmt.Sprintf("decide-%d", eb))
		offered.Set("decision", "approve")
		s.post(decide(eb), offered).want(t, "approve as offered", 303)
		emptied := formValues(t, q, fmt.Sprintf("decide-%d", ec))
		emptied.Set("decision", "approve")
		emptied.Set("due_on", " ")
		s.post(decide(ec), emptied).want(t, "approve with the date emptied", 303)
		for _, task := range []int64{b, c} {
			if got := due(task); got != "2022-09-30" {
				t.Errorf("task %d approved without another date is due %s, want the requested 2022-09-30", task, got)
			}
			if _, on := granted(task); on == nil || *on != "2022-09-30" {
				t.Errorf("task %d approved without another date granted %v, want 2022-09-30", task, on)
			}
		}
	})
}

// The decision form on the task page grants a date as the queue's does: it
// offers the requested date, a wrong one comes back beside the field with
// the comment kept and nothing changed, and a typed one is granted.
func TestTaskPageExtensionGrantsTypedDate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newSecWorld(t, tg)
		task := w.bytTask(w.document("3/TB-VPCP"), "Nhiệm vụ D").ID
		var e struct{ ID int64 }
		w.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", task), map[string]any{"requested_due_on": "2022-09-30", "reason": "Chờ số liệu"}).Want(201).JSON(&e)
		due := func() string {
			var tk apiTask
			w.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", task), nil).Want(200).JSON(&tk)
			if tk.DueOn == nil {
				return ""
			}
			return *tk.DueOn
		}
		s := w.thuky
		name := fmt.Sprintf("decide-%d", e.ID)
		action := fmt.Sprintf("/tasks/%d/extensions/%d/decide", task, e.ID)
		p := s.get(fmt.Sprintf("/tasks/%d", task)).want(t, "the task page", 200)
		page(p).has(t, "the task page's decision form", fmt.Sprintf(`<label for="%s-due">Gia hạn đến`, name),
			fmt.Sprintf(`id="%s-due" name="due_on" value="30/09/2022"`, name))
		form := url.Values{"decision": {"approve"}, "comment": {"Đồng ý một phần"}}
		for _, bad := range []struct{ typed, says string }{
			{"32/09/2022", "Ngày không hợp lệ"},
			{"15/08/2022", "phải sau hạn hiện tại"},
		} {
			form.Set("due_on", bad.typed)
			r := s.submit(p, action, form).want(t, "approve with "+bad.typed, 422)
			page(r).has(t, "a wrong date "+bad.typed, fmt.Sprintf(`id="%s-due" name="due_on" value="%s"`, name, bad.typed),
				fmt.Sprintf(`<p class="field-error" id="%s-due-err">`, name), bad.says, ">Đồng ý một phần</textarea>")
			if got := due(); got != "2022-08-31" {
				t.Fatalf("a refused date (%s) moved the task to %s", bad.typed, got)
			}
		}
		form.Set("due_on", "14/10/2022")
		s.submit(p, action, form).want(t, "approve with a typed date", 303)
		if got := due(); got != "2022-10-14" {
			t.Errorf("approved with 14/10/2022 on the task page, the task is due %s", got)
		}
		page(s.get(fmt.Sprintf("/tasks/%d", task)).want(t, "the task page after", 200)).
			has(t, "the extended task's page", "14/10/2022 (hạn ban đầu 31/08/2022)", "Đã đồng ý gia hạn đến 14/10/2022")
	})
}
