package deliver_test

import (
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestEmailDigestAndSettings: with DONDOC_EMAIL_DIGEST=1h, three reports
// in one hour reach the secretariat officer as three in-app notices and,
// once the hour is over, one e-mail that lists them; with progress reports
// turned on (DONDOC_NOTIFY_PROGRESS) and their e-mail turned off
// (DONDOC_NOTIFY_OFF=email:task.progress), a progress report shows in the
// app only.
func TestEmailDigestAndSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		box, addr := startSMTP(t)
		in := apptest.Start(t, tg, civil.MustDate("2026-03-02"), func(c *config.Config) {
			c.SMTPURL = "smtp://" + addr + "?tls=none&from=dondoc@vpcp.gov.vn"
			c.EmailDigest = time.Hour
			c.NotifyProgress = true
			c.NotifyOff = "email:task.progress,email:task.assign"
		})
		in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "thuky", "password": apptest.Password, "role": "secretariat",
			"email": "thuky@vpcp.gov.vn"}).Want(201)
		in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "byt1", "password": apptest.Password, "role": "agency",
			"agency_code": "BYT", "email": "byt1@moh.gov.vn"}).Want(201)
		sec, byt := in.Login("thuky", apptest.Password), in.Login("byt1", apptest.Password)
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "7/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
		var ids []int64
		for i := range 3 {
			var d struct{ Tasks []struct{ ID int64 } }
			sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": fmt.Sprintf("Việc số %d", i+1),
				"lead": "BYT", "due_on": "2026-03-31"}).Want(201).JSON(&d)
			ids = append(ids, d.Tasks[0].ID)
		}
		byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", ids[0]), map[string]any{"body": "Đạt 40%", "percent": 40}).Want(201)
		for _, id := range ids {
			byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", id), map[string]any{"action": "report_done", "report": "Xong."}).Want(200)
		}
		var inApp []models.Notification
		if err := in.App.DB.R.Where("channel = ? AND recipient = ?", notify.ChannelInApp, "thuky").Order("id").Find(&inApp).Error; err != nil {
			t.Fatal(err)
		}
		if len(inApp) != 4 || inApp[0].Kind != notify.KindProgress || inApp[3].Kind != notify.KindReported {
			t.Fatalf("in-app notices of the secretariat: %d, want the progress report and three reports", len(inApp))
		}

		drain(t, in)
		box.mu.Lock()
		early := len(box.msgs)
		box.mu.Unlock()
		if early != 0 {
			t.Fatalf("%d e-mails went before the hour was over", early)
		}
		in.Clock.Advance(time.Hour)
		drain(t, in)
		drain(t, in)
		box.mu.Lock()
		defer box.mu.Unlock()
		if len(box.msgs) != 1 || box.msgs[0].to[0] != "thuky@vpcp.gov.vn" {
			t.Fatalf("%d e-mails, want one digest to the secretariat", len(box.msgs))
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(box.msgs[0].data)))
		if err != nil {
			t.Fatal(err)
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		body := decodeBody(t, msg)
		if !strings.Contains(subj, "3 thông báo mới") || strings.Count(body, "báo cáo hoàn thành nhiệm vụ #") < 3 || strings.Contains(body, "tiến độ nhiệm vụ") {
			t.Errorf("digest %q:\n%s", subj, body)
		}
		var pending int64
		if err := in.App.DB.R.Model(&models.Notification{}).Where("status = ?", notify.StatusPending).Count(&pending).Error; err != nil {
			t.Fatal(err)
		}
		if pending != 0 {
			t.Errorf("%d deliveries still pending", pending)
		}
	})
}
