package deliver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage/testdb"
)

// hookRecorder is a webhook receiver that checks each delivery's signature
// and counts the event types it received.
type hookRecorder struct {
	mu     sync.Mutex
	secret string
	types  []string
	bodies []map[string]any
}

func (h *hookRecorder) serve(t *testing.T, now func() time.Time) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("webhook body: %v", err)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := notify.Verify(h.secret, r.Header, body, now(), 5*time.Minute); err != nil {
			t.Errorf("signature: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var ev map[string]any
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("webhook body %s: %v", body, err)
		}
		h.types = append(h.types, fmt.Sprint(ev["type"]))
		h.bodies = append(h.bodies, ev)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// drain delivers every due notification.
func drain(t *testing.T, in *apptest.Instance) {
	t.Helper()
	for {
		n, err := in.App.Outbox.DispatchOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// TestEveryHandOverNotifies plays report_done, return, report_done again,
// confirm, reopen, cancel, an extension request and its approval, and the
// hand-over of a dissolved agency's task; and finds one in-app notice per
// event for exactly the users who must act (the secretariat officer who
// gave the tasks, or the agency that holds the task; not the other
// secretariat officer, not another agency), one e-mail each through a real
// SMTP server, and one signed webhook delivery of the right type each. The
// deliveries wait in the outbox when the process stops after the change
// (nothing ran the dispatcher): a new process delivers each once.
func TestEveryHandOverNotifies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		box, addr := startSMTP(t)
		setup := func(c *config.Config) {
			c.SMTPURL = "smtp://" + addr + "?tls=none&from=dondoc@vpcp.gov.vn"
			c.PublicURL = "https://dondoc.vpcp.gov.vn"
		}
		in := apptest.Start(t, tg, civil.MustDate("2025-02-20"), setup)
		hooks := &hookRecorder{}
		recv := hooks.serve(t, in.Clock.Now)
		user := func(name, role, agency string) *apptest.Client {
			body := map[string]any{"username": name, "password": apptest.Password, "role": role, "email": name + "@example.gov.vn", "display_name": name}
			if agency != "" {
				body["agency_code"] = agency
			}
			in.Admin.Do("POST", "/api/v1/users", body).Want(201)
			return in.Login(name, apptest.Password)
		}
		sec := user("thuky", "secretariat", "")
		user("thuky2", "secretariat", "") // gave no task of the document
		byt := user("byt1", "agency", "BYT")
		user("byt2", "agency", "BYT")
		user("bca1", "agency", "BCA")
		user("bkhcn1", "agency", "BKHCN")
		user("btttt1", "agency", "BTTTT")
		var hook struct {
			Secret string `json:"secret"`
		}
		events := []string{"task.reported", "task.returned", "task.confirmed", "task.cancelled", "task.reopened",
			"extension.requested", "extension.decided", "task.handed_over", "task.due_changed"}
		in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": recv.URL, "events": events}).Want(201).JSON(&hook)
		hooks.mu.Lock()
		hooks.secret = hook.Secret
		hooks.mu.Unlock()

		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "12/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2025-02-18"}).Want(201).JSON(&doc)
		directive := func(lead, due string) int64 {
			var d struct{ Tasks []struct{ ID int64 } }
			sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Xây dựng cơ sở dữ liệu " + lead,
				"lead": lead, "due_on": due}).Want(201).JSON(&d)
			return d.Tasks[0].ID
		}
		moved := directive("BTTTT", "2026-06-30") // before the ministry is merged
		in.Clock.SetDay(civil.MustDate("2026-03-02"), 9)
		if n, err := in.App.Service.HandOverDissolved(context.Background()); err != nil || n != 1 {
			t.Fatalf("HandOverDissolved moved %d (%v), want 1", n, err)
		}
		a, b := directive("BYT", "2026-03-31"), directive("BYT", "2026-04-30")
		path := func(id int64) string { return fmt.Sprintf("/api/v1/tasks/%d/transitions", id) }
		byt.Do("POST", path(a), map[string]any{"action": "report_done", "report": "Đã hoàn thành."}).Want(200)
		sec.Do("POST", path(a), map[string]any{"action": "return", "comment": "Bổ sung số liệu."}).Want(200)
		byt.Do("POST", path(a), map[string]any{"action": "report_done", "report": "Đã bổ sung."}).Want(200)
		sec.Do("POST", path(a), map[string]any{"action": "confirm"}).Want(200)
		sec.Do("POST", path(a), map[string]any{"action": "reopen", "comment": "Cần làm lại phần 2."}).Want(200)
		sec.Do("POST", path(a), map[string]any{"action": "cancel", "comment": "Không còn cần thiết."}).Want(200)
		byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", b), map[string]any{"body": "Đạt 50%", "percent": 50}).Want(201)
		var ext struct{ ID int64 }
		byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", b), map[string]any{"requested_due_on": "2026-06-30", "reason": "Chờ ý kiến các bộ."}).Want(201).JSON(&ext)
		sec.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext.ID), map[string]any{"approve": true, "comment": "Đồng ý."}).Want(200)

		// In the app: one per event, to exactly those who must act.
		var rows []models.Notification
		if err := in.App.DB.R.Where("channel = ? AND kind <> ?", notify.ChannelInApp, notify.KindAssign).Order("id").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, n := range rows {
			got[n.Recipient] = append(got[n.Recipient], n.Kind)
			if n.TaskID == nil || !strings.Contains(n.Body, fmt.Sprintf("https://dondoc.vpcp.gov.vn/tasks/%d", *n.TaskID)) {
				t.Errorf("%s's %s notice does not link to its task:\n%s", n.Recipient, n.Kind, n.Body)
			}
			if strings.Contains(n.Title+n.Body, "%!") {
				t.Errorf("%s's %s notice shows a formatting error:\n%s\n%s", n.Recipient, n.Kind, n.Title, n.Body)
			}
		}
		agency := []string{"returned", "confirmed", "reopened", "cancelled", "extension_decided"}
		want := map[string][]string{
			"thuky":  {"reported", "reported", "extension_requested"},
			"byt1":   agency,
			"byt2":   agency,
			"bkhcn1": {"handed_over"},
		}
		for u, w := range want {
			if !slices.Equal(got[u], w) {
				t.Errorf("%s got %v, want %v", u, got[u], w)
			}
		}
		for u := range got {
			if _, ok := want[u]; !ok {
				t.Errorf("%s, who has nothing to do, got %v", u, got[u])
			}
		}
		var returned models.Notification
		for _, n := range rows {
			if n.Kind == notify.KindReturned {
				returned = n
			}
		}
		if !strings.Contains(returned.Body, "Bổ sung số liệu.") || !strings.Contains(returned.Title, "trả lại") {
			t.Errorf("the return's notice lacks its comment: %s\n%s", returned.Title, returned.Body)
		}

		// The process stops before any delivery; the next one delivers
		// each once, and again nothing.
		if err := in.App.Close(); err != nil {
			t.Fatal(err)
		}
		in2 := apptest.Start(t, tg, civil.MustDate("2026-03-02"), setup)
		drain(t, in2)
		drain(t, in2)

		box.mu.Lock()
		mails := map[string]int{}
		dec := new(mime.WordDecoder)
		for _, m := range box.msgs {
			msg, err := mail.ReadMessage(strings.NewReader(string(m.data)))
			if err != nil {
				t.Fatal(err)
			}
			subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(subj, "Nhiệm vụ mới") {
				mails[m.to[0]]++
			}
		}
		box.mu.Unlock()
		for u, w := range want {
			if mails[u+"@example.gov.vn"] != len(w) {
				t.Errorf("%s got %d e-mails, want %d", u, mails[u+"@example.gov.vn"], len(w))
			}
		}
		if len(mails) != len(want) {
			t.Errorf("e-mails went to %v", mails)
		}

		hooks.mu.Lock()
		defer hooks.mu.Unlock()
		slices.Sort(hooks.types)
		wantTypes := []string{"extension.decided", "extension.requested", "task.cancelled", "task.confirmed", "task.due_changed",
			"task.handed_over", "task.reopened", "task.reported", "task.reported", "task.returned"}
		if !slices.Equal(hooks.types, wantTypes) {
			t.Errorf("webhook events %v, want %v", hooks.types, wantTypes)
		}
		for _, ev := range hooks.bodies {
			data, _ := ev["data"].(map[string]any)
			task, _ := data["task"].(map[string]any)
			if task["id"] == nil || ev["timestamp"] == nil {
				t.Errorf("webhook body %v lacks the task or the timestamp", ev)
			}
			if ev["type"] == "task.due_changed" && (data["to_due_on"] != "2026-06-30" || data["from_due_on"] != "2026-04-30") {
				t.Errorf("due change %v", data)
			}
		}
		_ = moved
	})
}
