package apptest

import (
	"fmt"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// Scenario is a dondoc whose tasks cover every category, the agency kinds
// of the catalog and the boundaries of reporting and calendar months, built
// by moving the clock from 14/02/2026 to 20/04/2026 (a Monday). The api
// tests read its statistics and exports, the web tests its pages.
//
// Documents: D1 14/02 (reporting month 2, the day before reporting month 3
// begins), D2 15/02 and D3 14/03 (first and last day of reporting month 3),
// D4 15/03 and D5 31/03 (reporting month 4; D5 the last day of March), D6
// 01/04 (reporting month 4, calendar April), D7 15/04 (reporting month 5,
// still open on 20/04).
type Scenario struct {
	In                            *Instance
	Secretariat, Leader, BYT, BCA *Client
	Hanoi, TTXVN                  *Client
	Docs                          map[string]int64
	Tasks                         map[string]int64 // the scenario's letter → task id (lead tasks)
	CoordinatorTask               int64            // BYT's coordinator task on directive g
	// The leader's statistics (GET /api/v1/stats/agencies) as read on
	// 15/03 (reporting month 3, its first read after it closed) and on
	// 15/04 (from=2026-03-15&to=2026-04-14), as JSON.
	SnapshotAt0315, SnapshotAt0415 []byte
}

// Counts are a statistics row's figures by category, named as the API
// names them.
type Counts struct {
	CompletedOnTime   int `json:"completed_on_time"`
	CompletedLate     int `json:"completed_late"`
	InProgressOnTime  int `json:"in_progress_on_time"`
	InProgressOverdue int `json:"in_progress_overdue"`
	NoDeadline        int `json:"no_deadline"`
	Total             int `json:"total"`
}

// counts builds Counts in the categories' order: on time, late, in progress
// on time, overdue, no deadline; the total is their sum.
func counts(ct, cl, pt, po, nd int) Counts {
	return Counts{ct, cl, pt, po, nd, ct + cl + pt + po + nd}
}

// ScenarioLiveAllTime is every lead task of the Scenario on 20/04/2026, by
// agency.
var ScenarioLiveAllTime = map[string]Counts{
	"BYT":    counts(2, 1, 2, 1, 0), // p, a on time; k late; h reported on time, o extended; j overdue
	"BCA":    counts(0, 1, 2, 0, 0), // b late; g, m within
	"NHNN":   counts(0, 0, 1, 0, 1), // c within; n no deadline
	"HANOI":  counts(0, 0, 0, 3, 0), // d, l, q overdue
	"TANDTC": counts(0, 0, 0, 0, 1), // e no deadline
	"TTXVN":  counts(0, 0, 0, 1, 0), // i reported after its due date, not yet confirmed
}

// SumCounts adds the figures of every agency.
func SumCounts(m map[string]Counts) Counts {
	var s Counts
	for _, c := range m {
		s.CompletedOnTime += c.CompletedOnTime
		s.CompletedLate += c.CompletedLate
		s.InProgressOnTime += c.InProgressOnTime
		s.InProgressOverdue += c.InProgressOverdue
		s.NoDeadline += c.NoDeadline
		s.Total += c.Total
	}
	return s
}

// NewScenario builds the Scenario on target; the clock is left at 09:00 on
// 20/04/2026.
func NewScenario(t testing.TB, target testdb.Target) *Scenario {
	t.Helper()
	in := Start(t, target, civil.MustDate("2026-02-14"))
	w := &Scenario{In: in, Docs: map[string]int64{}, Tasks: map[string]int64{},
		Secretariat: in.User("vpcp.tk", workflow.RoleSecretariat, ""),
		Leader:      in.User("lanhdao", workflow.RoleLeader, ""),
		BYT:         in.User("byt.cb", workflow.RoleAgency, "BYT"),
		BCA:         in.User("bca.cb", workflow.RoleAgency, "BCA"),
		Hanoi:       in.User("hanoi.cb", workflow.RoleAgency, "HANOI"),
		TTXVN:       in.User("ttxvn.cb", workflow.RoleAgency, "TTXVN"),
	}
	agencyUser := map[string]*Client{"BYT": w.BYT, "BCA": w.BCA, "HANOI": w.Hanoi, "TTXVN": w.TTXVN}

	doc := func(name, issued string) func() {
		return func() {
			var d struct{ ID int64 }
			w.Secretariat.Do("POST", "/api/v1/documents", map[string]any{"number": name + "/TB-VPCP", "kind": "conclusion_notice",
				"title": "Kết luận " + name, "issued_on": issued}).Want(201).JSON(&d)
			w.Docs[name] = d.ID
		}
	}
	// newDirective creates a directive whose lead task is named letter.
	newDirective := func(letter, docName, lead, due, content, field string, coordinators ...string) func() {
		return func() {
			body := map[string]any{"document_id": w.Docs[docName], "content": content, "field": field, "lead": lead}
			if due == "" {
				body["due_kind"] = "urgent"
			} else {
				body["due_on"] = due
			}
			if len(coordinators) > 0 {
				body["coordinators"] = coordinators
			}
			var d struct {
				Tasks []struct {
					ID   int64  `json:"id"`
					Role string `json:"role"`
				} `json:"tasks"`
			}
			w.Secretariat.Do("POST", "/api/v1/directives", body).Want(201).JSON(&d)
			for _, tk := range d.Tasks {
				if tk.Role == "lead" {
					w.Tasks[letter] = tk.ID
				} else {
					w.CoordinatorTask = tk.ID
				}
			}
		}
	}
	act := func(letter, who, action string) func() {
		return func() {
			c := w.Secretariat
			if who != "secretariat" {
				c = agencyUser[who]
			}
			c.Transition(w.Tasks[letter], action).Want(200)
		}
	}
	stats := func(query string) []byte {
		return w.Leader.Do("GET", "/api/v1/stats/agencies?"+query, nil).Want(200).Body
	}
	steps := []struct {
		on string
		do func()
	}{
		{"2026-02-14", doc("D1", "2026-02-14")},
		{"2026-02-14", newDirective("p", "D1", "BYT", "2026-02-28", "Hoàn thiện đề án y tế cơ sở", "Y tế")},
		{"2026-02-15", doc("D2", "2026-02-15")},
		{"2026-02-15", newDirective("a", "D2", "BYT", "2026-03-10", "Ban hành hướng dẫn khám chữa bệnh", "Y tế")},
		{"2026-02-15", newDirective("b", "D2", "BCA", "2026-03-05", "Rà soát cơ sở dữ liệu dân cư", "An ninh")},
		{"2026-02-15", newDirective("e", "D2", "TANDTC", "", "Tổng kết thi hành luật", "Tư pháp")},
		{"2026-02-15", newDirective("f", "D2", "BYT", "2026-03-01", "Nhiệm vụ sau đó bị hủy", "Y tế")},
		{"2026-02-15", newDirective("g", "D2", "BCA", "2026-06-30", "Phối hợp định danh điện tử", "An ninh", "BYT")},
		{"2026-02-15", newDirective("j", "D2", "BYT", "2026-03-14", "Báo cáo tình hình dịch bệnh", "Y tế")},
		{"2026-02-15", newDirective("i", "D2", "TTXVN", "2026-03-10", "Tuyên truyền chính sách", "Thông tin")},
		{"2026-02-27", act("p", "BYT", "report_done")},
		{"2026-03-01", act("p", "secretariat", "confirm")},
		{"2026-03-02", act("f", "secretariat", "cancel")},
		{"2026-03-06", act("b", "BCA", "report_done")},
		{"2026-03-07", act("b", "secretariat", "confirm")},
		{"2026-03-10", act("a", "BYT", "report_done")},
		{"2026-03-12", act("a", "secretariat", "confirm")},
		{"2026-03-14", doc("D3", "2026-03-14")},
		{"2026-03-14", newDirective("c", "D3", "NHNN", "2026-05-30", "Điều hành lãi suất", "Tài chính")},
		{"2026-03-14", newDirective("d", "D3", "HANOI", "2026-04-19", "Chống ùn tắc giao thông", "Giao thông")},
		{"2026-03-14", newDirective("h", "D3", "BYT", "2026-03-14", "Cấp thuốc cho vùng lũ", "Y tế")},
		{"2026-03-14", act("d", "HANOI", "acknowledge")},
		{"2026-03-14", act("h", "BYT", "report_done")},
		{"2026-03-15", func() {
			// The first read after reporting month 3 closed freezes it.
			w.SnapshotAt0315 = stats("period=reporting-2026-03")
		}},
		{"2026-03-15", doc("D4", "2026-03-15")},
		{"2026-03-15", newDirective("k", "D4", "BYT", "2026-04-14", "Sắp xếp bệnh viện tuyến huyện", "Y tế")},
		{"2026-03-15", newDirective("o", "D4", "BYT", "2026-04-10", "Đề án nhân lực y tế", "Y tế")},
		{"2026-03-16", act("i", "TTXVN", "report_done")},
		{"2026-03-31", doc("D5", "2026-03-31")},
		{"2026-03-31", newDirective("l", "D5", "HANOI", "2026-04-10", "- Rà soát quy hoạch đô thị", "@Xây dựng")},
		{"2026-03-31", newDirective("n", "D5", "NHNN", "", "Theo dõi thị trường vàng", "Tài chính")},
		{"2026-04-01", doc("D6", "2026-04-01")},
		{"2026-04-01", newDirective("m", "D6", "BCA", "2026-04-30", "+Cấp căn cước cho người cao tuổi", "An ninh")},
		{"2026-04-15", func() {
			w.SnapshotAt0415 = stats("from=2026-03-15&to=2026-04-14")
		}},
		{"2026-04-15", doc("D7", "2026-04-15")},
		{"2026-04-15", newDirective("q", "D7", "HANOI", "2026-04-17", `=HYPERLINK("http://x.example","bấm")`, "Giao thông")},
		{"2026-04-16", act("k", "BYT", "report_done")},
		{"2026-04-17", act("k", "secretariat", "confirm")},
		{"2026-04-18", func() {
			var ext struct{ ID int64 }
			w.BYT.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", w.Tasks["o"]), map[string]any{
				"requested_due_on": "2026-04-30", "reason": "Chờ ý kiến các bộ"}).Want(201).JSON(&ext)
			w.Secretariat.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext.ID), map[string]any{"approve": true}).Want(200)
		}},
		{"2026-04-18", func() {
			w.BYT.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", w.Tasks["j"]), map[string]any{"body": "Đã thu thập số liệu 40 tỉnh", "percent": 40}).Want(201)
		}},
		{"2026-04-19", func() {
			w.Leader.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/urge", w.Tasks["j"]), map[string]any{"message": "Đề nghị khẩn trương báo cáo"}).Want(201)
		}},
		{"2026-04-20", func() {}},
	}
	for _, st := range steps {
		in.Clock.SetDay(civil.MustDate(st.on), 9)
		st.do()
	}
	// Two reminders of task j, as the reminder scan records them, with the
	// counts it keeps on the task.
	for i, rule := range []string{"overdue_1", "escalate"} {
		asOf := civil.MustDate("2026-03-15").AddDays(7 * i)
		err := in.App.DB.W.Exec(`INSERT INTO reminders (task_id, rule, due_on, fire_on, as_of, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			w.Tasks["j"], rule, civil.MustDate("2026-03-14"), asOf, asOf, in.Clock.Now()).Error
		if err != nil {
			t.Fatal(err)
		}
		err = in.App.DB.W.Exec(`UPDATE tasks SET reminders_sent = reminders_sent + 1, escalations = escalations + ?,
			last_reminder_rule = ?, last_reminder_on = ? WHERE id = ?`, i, rule, asOf, w.Tasks["j"]).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	in.CheckTaskSummaries()
	return w
}
