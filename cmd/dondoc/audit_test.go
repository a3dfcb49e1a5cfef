package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestAuditVerifyNamesTheAlteredEvent: a history written through the API
// verifies; the database refuses to change or delete an event; someone who
// gets past that (drops the trigger) and rewrites one event's comment is
// caught by both `dondoc audit verify` and GET /admin/audit/verify, which
// name that event.
func TestAuditVerifyNamesTheAlteredEvent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		in := apptest.Start(t, tg, civil.MustDate("2026-03-02"))
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		byt := in.User("byt.cb", workflow.RoleAgency, "BYT")
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
		var d struct{ Tasks []struct{ ID int64 } }
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Hoàn thiện hồ sơ sức khỏe điện tử", "lead": "BYT", "coordinators": []string{"BCA"}, "due_on": "2026-06-30"}).Want(201).JSON(&d)
		id := d.Tasks[0].ID
		byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", id), map[string]any{"action": "acknowledge"}).Want(200)
		byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", id), map[string]any{"percent": 40, "body": "Đã hoàn thành dự thảo."}).Want(201)
		sec.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", id), map[string]any{"message": "Khẩn trương"}).Want(201)

		verify := func() (workflow.AuditResult, string, error) {
			var out, errb bytes.Buffer
			env := map[string]string{"DONDOC_DATA_DIR": tg.DataDir, "DONDOC_DATABASE_URL": in.Target.URL, "DONDOC_LOG_LEVEL": "error"}
			err := run([]string{"audit", "verify"}, func(k string) string { return env[k] }, &out, &errb)
			var res struct {
				OK            bool                 `json:"ok"`
				Events        int64                `json:"events"`
				Tasks         int64                `json:"tasks"`
				FirstMismatch *workflow.AuditBreak `json:"first_mismatch"`
			}
			if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
				t.Fatalf("audit verify printed %q (%v); stderr %s", out.String(), jerr, errb.String())
			}
			return workflow.AuditResult{OK: res.OK, Events: res.Events, Tasks: res.Tasks, Mismatch: res.FirstMismatch}, out.String(), err
		}
		res, _, err := verify()
		if err != nil || !res.OK || res.Tasks != 2 || res.Events < 5 {
			t.Fatalf("an untouched trail: %+v, %v", res, err)
		}
		var api struct {
			OK     bool  `json:"ok"`
			Events int64 `json:"events"`
		}
		in.Admin.Do("GET", "/api/v1/admin/audit/verify", nil).Want(200).JSON(&api)
		if !api.OK || api.Events != res.Events {
			t.Fatalf("the API says %+v, the command %+v", api, res)
		}
		sec.Do("GET", "/api/v1/admin/audit/verify", nil).Want(403)

		// The event to tamper with: the lead task's progress report.
		var target models.Event
		in.App.DB.R.Where("task_id = ? AND action = ?", id, workflow.EventProgress).First(&target)
		if target.ID == 0 {
			t.Fatal("no progress event")
		}
		db := in.App.DB.W
		if err := db.Exec("UPDATE events SET comment = 'Đã hoàn thành toàn bộ.' WHERE id = ?", target.ID).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("updating an event: %v, want the append-only refusal", err)
		}
		if err := db.Exec("DELETE FROM events WHERE id = ?", target.ID).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("deleting an event: %v, want the append-only refusal", err)
		}
		// Past the trigger, as someone with the database owner's rights.
		drop := "DROP TRIGGER events_no_update"
		if in.Target.URL != "" {
			drop = "ALTER TABLE events DISABLE TRIGGER events_no_update"
		}
		if err := db.Exec(drop).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE events SET comment = 'Đã hoàn thành toàn bộ.' WHERE id = ?", target.ID).Error; err != nil {
			t.Fatal(err)
		}

		res, printed, err := verify()
		if err == nil || res.OK || res.Mismatch == nil {
			t.Fatalf("a tampered trail verified: %s", printed)
		}
		if m := res.Mismatch; m.EventID != target.ID || m.TaskID != id || !strings.Contains(m.Reason, "altered") {
			t.Errorf("first mismatch %+v, want event %d of task %d, altered", m, target.ID, id)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("event %d", target.ID)) {
			t.Errorf("the command's error %q does not name event %d", err, target.ID)
		}
		t.Logf("audit verify: %s", strings.TrimSpace(printed))
		var after struct {
			OK            bool                `json:"ok"`
			FirstMismatch workflow.AuditBreak `json:"first_mismatch"`
		}
		in.Admin.Do("GET", "/api/v1/admin/audit/verify", nil).Want(200).JSON(&after)
		if after.OK || after.FirstMismatch.EventID != target.ID {
			t.Errorf("the API says %+v, want event %d named", after, target.ID)
		}
	})
}
