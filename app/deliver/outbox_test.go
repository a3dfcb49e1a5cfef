package deliver_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// An SMTP server in the test process: it records each message it accepts.
type mailbox struct {
	mu      sync.Mutex
	msgs    []received
	logouts int // sessions that ended, by QUIT or by a dropped connection
}

type received struct {
	from string
	to   []string
	data []byte
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: m}, nil }

type session struct {
	box *mailbox
	cur received
}

func (s *session) Reset() { s.cur = received{} }
func (s *session) Logout() error {
	s.box.mu.Lock()
	s.box.logouts++
	s.box.mu.Unlock()
	return nil
}
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, s.cur)
	s.box.mu.Unlock()
	return nil
}

func startSMTP(t testing.TB) (*mailbox, string) {
	box, srv := startSMTPAt(t, "127.0.0.1:0")
	return box, srv.Addr
}

// startSMTPAt starts an SMTP server at addr; its Addr is where it listens.
func startSMTPAt(t testing.TB, addr string) (*mailbox, *smtp.Server) {
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.EnableSMTPUTF8 = true
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return box, srv
}

// TestEmailOverSMTP: an urge and a reminder reach the agency's officers by
// e-mail through a real SMTP exchange, in Vietnamese, with a Message-ID
// that a retry would repeat.
func TestEmailOverSMTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		box, addr := startSMTP(t)
		in := apptest.Start(t, tg, civil.MustDate("2026-03-02"), func(c *config.Config) {
			c.SMTPURL = "smtp://" + addr + "?tls=none&from=dondoc@vpcp.gov.vn"
			c.PublicURL = "https://dondoc.vpcp.gov.vn"
		})
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		leader := in.User("lanhdao", workflow.RoleLeader, "")
		in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "byt1", "password": apptest.Password, "role": "agency",
			"agency_code": "BYT", "email": "vanphong@moh.gov.vn", "display_name": "Văn phòng Bộ Y tế"}).Want(201)
		in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "byt2", "password": apptest.Password, "role": "agency",
			"agency_code": "BYT", "email": "kehoach@moh.gov.vn"}).Want(201)
		in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "bca1", "password": apptest.Password, "role": "agency",
			"agency_code": "BCA", "email": "vp@bca.gov.vn"}).Want(201)
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
		var d struct{ Tasks []struct{ ID int64 } }
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Hoàn thiện quy chế quản lý hồ sơ sức khỏe điện tử",
			"lead": "BYT", "due_on": "2026-03-05"}).Want(201).JSON(&d)
		leader.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", d.Tasks[0].ID), map[string]any{"message": "Đề nghị Bộ Y tế khẩn trương hoàn thành."}).Want(201)
		// 2/3 is 3 working days before 5/3: the before-3 reminder.
		if _, err := in.App.Service.Scan(context.Background(), civil.MustDate("2026-03-02")); err != nil {
			t.Fatal(err)
		}
		for {
			n, err := in.App.Outbox.DispatchOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		box.mu.Lock()
		defer box.mu.Unlock()
		// assign, urge and reminder, to each of BYT's two officers; none to BCA.
		if len(box.msgs) != 6 {
			t.Fatalf("%d messages, want 6", len(box.msgs))
		}
		subjects := map[string][]string{}
		dec := new(mime.WordDecoder)
		for _, m := range box.msgs {
			msg, err := mail.ReadMessage(strings.NewReader(string(m.data)))
			if err != nil {
				t.Fatal(err)
			}
			subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
			if len(m.to) != 1 || m.from != "dondoc@vpcp.gov.vn" {
				t.Errorf("envelope from %s to %v", m.from, m.to)
			}
			subjects[m.to[0]] = append(subjects[m.to[0]], subj)
			if id := msg.Header.Get("Message-Id"); !strings.HasPrefix(id, "<msg_dondoc_") || !strings.HasSuffix(id, "@dondoc.vpcp.gov.vn>") {
				t.Errorf("Message-ID %q", id)
			}
			body := decodeBody(t, msg)
			if strings.Contains(subj, "Đôn đốc") && (!strings.Contains(body, "Đề nghị Bộ Y tế khẩn trương hoàn thành.") || !strings.Contains(body, "45/TB-VPCP")) {
				t.Errorf("urge body:\n%s", body)
			}
			if strings.Contains(subj, "Nhắc việc") && (!strings.Contains(body, "còn 3 ngày làm việc") || !strings.Contains(body, "https://dondoc.vpcp.gov.vn/tasks/")) {
				t.Errorf("reminder body:\n%s", body)
			}
		}
		for _, to := range []string{"vanphong@moh.gov.vn", "kehoach@moh.gov.vn"} {
			got := strings.Join(subjects[to], " | ")
			for _, want := range []string{"[dondoc] Nhiệm vụ mới theo văn bản số 45/TB-VPCP", "[dondoc] Đôn đốc thực hiện nhiệm vụ", "[dondoc] Nhắc việc: nhiệm vụ #1 còn 3 ngày làm việc đến hạn"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s did not get %q; got %s", to, want, got)
				}
			}
		}
	})
}

func decodeBody(t *testing.T, msg *mail.Message) string {
	b, _ := io.ReadAll(msg.Body)
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r := io.NopCloser(strings.NewReader(string(b)))
		b, _ = io.ReadAll(qpReader(r))
	}
	return string(b)
}

// TestSignedWebhooksRetriedThenDead: a receiver checks the Standard
// Webhooks signature; a failing one is retried with growing waits and ends
// in the dead letters, which an admin sees and can retry.
func TestSignedWebhooksRetriedThenDead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		in := apptest.Start(t, tg, civil.MustDate("2026-03-02"), func(c *config.Config) {
			c.NotifyAttempts, c.NotifyBackoff = 4, 10*time.Second
		})
		var (
			mu   sync.Mutex
			good []http.Header
			bad  int
		)
		var secret string
		okRecv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if err := notify.Verify(secret, r.Header, body, in.Clock.Now(), 5*time.Minute); err != nil {
				t.Errorf("signature: %v", err)
				w.WriteHeader(400)
				return
			}
			if !strings.Contains(string(body), `"type":"task.urge"`) || !strings.Contains(string(body), `"timestamp"`) {
				t.Errorf("body %s", body)
			}
			mu.Lock()
			good = append(good, r.Header.Clone())
			mu.Unlock()
		}))
		defer okRecv.Close()
		failRecv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			bad++
			mu.Unlock()
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		defer failRecv.Close()

		var hook struct {
			ID     int64  `json:"id"`
			Secret string `json:"secret"`
		}
		in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": okRecv.URL, "events": []string{"task.urge"}}).Want(201).JSON(&hook)
		secret = hook.Secret
		if !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("secret %q", secret)
		}
		var list struct{ Items []map[string]any }
		in.Admin.Do("GET", "/api/v1/webhooks", nil).Want(200).JSON(&list)
		if _, shown := list.Items[0]["secret"]; shown {
			t.Error("the secret is shown again")
		}
		in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": failRecv.URL, "agency_code": "BYT"}).Want(201)
		in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": "ftp://x", "events": []string{"task.nope"}}).Want(422)
		in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": failRecv.URL, "agency_code": "BCA"}).Want(201) // another agency: gets nothing

		sec := in.User("thuky", workflow.RoleSecretariat, "")
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
		var d struct{ Tasks []struct{ ID int64 } }
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "x", "lead": "BYT", "due_on": "2026-06-30"}).Want(201).JSON(&d)
		sec.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", d.Tasks[0].ID), map[string]any{"message": "Khẩn trương"}).Want(201)

		ctx := context.Background()
		var waits []time.Duration
		for attempt := 0; attempt < 10; attempt++ {
			if _, err := in.App.Outbox.DispatchOnce(ctx); err != nil {
				t.Fatal(err)
			}
			var pending []models.Notification
			in.App.DB.R.Where("channel = 'webhook' AND status = 'pending'").Order("id").Find(&pending)
			if len(pending) == 0 {
				break
			}
			// Follow the first notification; move the clock past every
			// pending retry so that all of them are attempted each round.
			waits = append(waits, pending[0].NextAttemptAt.Sub(in.Clock.Now()))
			var longest time.Duration
			for _, p := range pending {
				longest = max(longest, p.NextAttemptAt.Sub(in.Clock.Now()))
			}
			in.Clock.Advance(longest + time.Second)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(good) != 1 {
			t.Fatalf("the good receiver got %d deliveries, want 1", len(good))
		}
		// The failing receiver follows BYT: the assignment and the urge, 4 attempts each.
		if bad != 8 {
			t.Errorf("the failing receiver was called %d times, want 8 (two notifications, four attempts)", bad)
		}
		// Waits grow: 10 s, 20 s, 40 s, each within ±50%.
		if len(waits) < 3 {
			t.Fatalf("waits %v", waits)
		}
		for i, base := range []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second} {
			if waits[i] < base/2 || waits[i] > base*3/2 {
				t.Errorf("wait %d = %s, want %s ±50%%", i+1, waits[i], base)
			}
		}
		var dead struct {
			Items []struct {
				ID        int64  `json:"id"`
				Attempts  int    `json:"attempts"`
				LastError string `json:"last_error"`
			}
		}
		in.Admin.Do("GET", "/api/v1/admin/notifications?status=dead", nil).Want(200).JSON(&dead)
		if len(dead.Items) != 2 || dead.Items[0].Attempts != 4 || !strings.Contains(dead.Items[0].LastError, "503") {
			t.Fatalf("dead letters %+v", dead.Items)
		}
		sec.Do("GET", "/api/v1/admin/notifications?status=dead", nil).Want(403)
		in.Admin.Do("POST", fmt.Sprintf("/api/v1/admin/notifications/%d/retry", dead.Items[0].ID), nil).Want(200)
		in.Admin.Do("POST", fmt.Sprintf("/api/v1/admin/notifications/%d/retry", dead.Items[0].ID), nil).Want(409)
		var n models.Notification
		in.App.DB.R.First(&n, dead.Items[0].ID)
		if n.Status != "pending" || n.Attempts != 0 {
			t.Errorf("after retry: %+v", n)
		}
	})
}
