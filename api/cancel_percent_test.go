package api_test

import (
	"fmt"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

// TestCancelledTaskKeepsItsPercent: cancelling a task, or cancelling it
// after a reopening, does not show it as 100% done; it keeps the last
// percent its agency reported (issue 17, item 10).
func TestCancelledTaskKeepsItsPercent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.SQLite(t))
	percent := func(id int64) int {
		var tk struct{ Percent int }
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil).Want(200).JSON(&tk)
		return tk.Percent
	}
	move := func(id int64, action string) {
		var tk struct{ Version int }
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil).Want(200).JSON(&tk)
		c := f.secretariat
		body := map[string]any{"action": action, "comment": "lý do"}
		switch action {
		case "acknowledge", "report_done":
			c = f.byt
			body = map[string]any{"action": action, "report": "Đã xong"}
		}
		c.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", id), body, "If-Match", fmt.Sprintf(`"%d"`, tk.Version)).Want(200)
	}

	a := f.leadTask(t, nil)
	move(a.ID, "acknowledge")
	f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", a.ID), map[string]any{"body": "Đang làm", "percent": 40}).Want(201)
	move(a.ID, "report_done")
	move(a.ID, "cancel")
	if p := percent(a.ID); p != 40 {
		t.Errorf("cancelled after a report of 40%% and a completion report: percent %d, want 40", p)
	}

	b := f.leadTask(t, nil)
	move(b.ID, "acknowledge")
	f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", b.ID), map[string]any{"body": "Đang làm", "percent": 70}).Want(201)
	move(b.ID, "report_done")
	move(b.ID, "confirm")
	if p := percent(b.ID); p != 100 {
		t.Errorf("completed: percent %d, want 100", p)
	}
	move(b.ID, "reopen")
	move(b.ID, "cancel")
	if p := percent(b.ID); p != 70 {
		t.Errorf("reopened then cancelled: percent %d, want the 70 last reported", p)
	}
}
