package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
)

type agency struct {
	Code          string  `json:"code"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	ValidTo       *string `json:"valid_to"`
	SuccessorCode string  `json:"successor_code"`
}

func TestAgencySearch(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		cases := []struct{ q, extra, first string }{
			{"bo y te", "", "BYT"},
			{"Bộ Y tế", "", "BYT"},
			{"Bộ TT&TT", "", "BTTTT"},
			{"ubnd tinh ha nam", "&active_on=2022-04-27", "HANAM"},
			{"da nang", "&kind=province", "DANANG"},
			{"BCA", "", "BCA"},
		}
		for _, c := range cases {
			var res struct{ Items []agency }
			f.byt.Do("GET", "/api/v1/agencies?q="+urlQuery(c.q)+c.extra, nil).Want(200).JSON(&res)
			if len(res.Items) == 0 || res.Items[0].Code != c.first {
				t.Errorf("q=%q%s: first result %+v, want %s", c.q, c.extra, res.Items, c.first)
			}
		}
		var res struct{ Items []agency }
		f.byt.Do("GET", "/api/v1/agencies?kind=province&active_on=2026-01-01", nil).Want(200).JSON(&res)
		if len(res.Items) != 34 {
			t.Errorf("%d provinces on 2026-01-01, want 34", len(res.Items))
		}
		f.byt.Do("GET", "/api/v1/agencies?kind=province&active_on=2025-06-30", nil).Want(200).JSON(&res)
		if len(res.Items) != 63 {
			t.Errorf("%d provinces on 2025-06-30, want 63", len(res.Items))
		}
		var a agency
		f.byt.Do("GET", "/api/v1/agencies/BTTTT", nil).Want(200).JSON(&a)
		if a.SuccessorCode != "BKHCN" || a.ValidTo == nil || *a.ValidTo != "2025-02-28" {
			t.Errorf("BTTTT = %+v", a)
		}
		f.byt.Do("GET", "/api/v1/agencies/NOPE", nil).Want(404)
	})
}

func urlQuery(s string) string {
	out := ""
	for _, b := range []byte(s) {
		switch {
		case b == ' ':
			out += "+"
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9':
			out += string(b)
		default:
			out += fmt.Sprintf("%%%02X", b)
		}
	}
	return out
}

// TestGroupsExpandAsOfTheDocumentDate: a 2022 directive to "các bộ, ngành,
// địa phương" makes one task per agency of that day, and those dissolved
// since pass to their successors, each with a transfer event.
func TestGroupsExpandAsOfTheDocumentDate(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		var doc struct{ ID int64 }
		f.secretariat.Do("POST", "/api/v1/documents", map[string]any{
			"number": "124/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận phiên họp thứ hai của Ủy ban Quốc gia về chuyển đổi số",
			"issued_on": "2022-04-27"}).Want(201).JSON(&doc)

		var d directive
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{
			"document_id": doc.ID, "content": "Các bộ, ngành, địa phương triển khai mô hình tổ công nghệ số cộng đồng",
			"group": "all_ministries_and_provinces", "due_kind": "ongoing", "reporting_period": "quarterly"}).Want(201).JSON(&d)
		// 30 ministry-level bodies and 63 provinces existed on 2022-04-27.
		if len(d.Tasks) != 93 {
			t.Fatalf("%d tasks, want 93", len(d.Tasks))
		}
		agencies := map[string]int{}
		for _, tk := range d.Tasks {
			agencies[tk.AgencyCode]++
			if tk.Role != "lead" || tk.DueOn != nil {
				t.Errorf("group task %+v", tk)
			}
		}
		// Hà Nam and Nam Định merged into Ninh Bình: three tasks now held by
		// Ninh Bình; BTTTT's went to BKHCN, which had its own already.
		if agencies["NINHBINH"] != 3 || agencies["HANAM"] != 0 || agencies["BKHCN"] != 2 || agencies["BTTTT"] != 0 {
			t.Errorf("holders: NINHBINH %d HANAM %d BKHCN %d BTTTT %d", agencies["NINHBINH"], agencies["HANAM"], agencies["BKHCN"], agencies["BTTTT"])
		}
		for _, tk := range d.Tasks {
			evs := f.events(f.secretariat, tk.ID)
			transfers := 0
			for _, e := range evs {
				if e["action"] == "transfer" {
					transfers++
				}
			}
			want := 0
			if len(evs) > 0 && tk.AgencyCode != evs[0]["data"].(map[string]any)["agency_code"] {
				want = 1
			}
			if transfers != want {
				t.Errorf("task %d (%s): %d transfer events, want %d", tk.ID, tk.AgencyCode, transfers, want)
			}
		}

		// With a named lead, the group's members coordinate.
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{
			"document_id": doc.ID, "content": "Bộ Thông tin và Truyền thông chủ trì, phối hợp với các địa phương",
			"lead": "BTTTT", "group": "all_provinces", "due_period": "2022"}).Want(201).JSON(&d)
		roles := map[string]int{}
		for _, tk := range d.Tasks {
			roles[tk.Role]++
			if *tk.DueOn != "2022-12-31" && *tk.DueOn != "2023-01-03" {
				t.Errorf("due %s for the end of 2022", *tk.DueOn)
			}
		}
		if roles["lead"] != 1 || roles["coordinator"] != 63 {
			t.Errorf("roles %v, want 1 lead and 63 coordinators", roles)
		}
	})
}

// TestDissolvingAnAgencyHandsOverItsOpenTasks: an admin records that an
// agency ceased to exist; its open tasks pass to the successor, one event
// each, and finished ones stay as history.
func TestDissolvingAnAgencyHandsOverItsOpenTasks(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		open := f.leadTask(t, map[string]any{"lead": "VTV"})
		done := f.leadTask(t, map[string]any{"lead": "VTV", "content": "Đã xong"})
		vtv := f.in.User("vtv.cb", "agency", "VTV")
		f.move(vtv, done.ID, "report_done", 200)
		f.move(f.secretariat, done.ID, "confirm", 200)

		body := map[string]any{"name": "Đài Truyền hình Việt Nam", "short_name": "VTV", "kind": "government_agency",
			"valid_to": "2026-02-28", "successor_code": "BVHTTDL", "source": "test"}
		f.secretariat.Do("PUT", "/api/v1/agencies/VTV", body).Want(403)
		f.in.Admin.Do("PUT", "/api/v1/agencies/VTV", map[string]any{"name": "x", "short_name": "x", "kind": "government_agency",
			"valid_to": "2026-02-28", "successor_code": "NOPE"}).Want(422)
		f.in.Admin.Do("PUT", "/api/v1/agencies/VTV", body).Want(200)

		if got := f.task(f.secretariat, open.ID); got.AgencyCode != "BVHTTDL" || got.Status != "assigned" {
			t.Errorf("open task after dissolution: %+v", got)
		}
		if got := f.task(f.secretariat, done.ID); got.AgencyCode != "VTV" {
			t.Errorf("a completed task moved: %+v", got)
		}
		evs := f.events(f.secretariat, open.ID)
		if last := evs[len(evs)-1]; last["action"] != "transfer" || last["data"].(map[string]any)["to_agency"] != "BVHTTDL" {
			t.Errorf("last event %v", last)
		}
		// Running the handover again moves nothing twice.
		f.in.Admin.Do("PUT", "/api/v1/agencies/VTV", body).Want(200)
		if n := len(f.events(f.secretariat, open.ID)); n != len(evs) {
			t.Errorf("a second save wrote %d more events", n-len(evs))
		}
		// A new agency.
		f.in.Admin.Do("PUT", "/api/v1/agencies/BCDCDS", map[string]any{"name": "Ban Chỉ đạo chuyển đổi số", "short_name": "BCĐ CĐS",
			"kind": "committee", "valid_from": "2026-01-01", "aliases": []string{"Ban Chỉ đạo chuyển đổi số quốc gia"}}).Want(201)
	})
}

// TestAgencyChangedElsewhereReachesNewDirectives: directives read the
// catalog from memory, but an agency changed through another replica (here,
// straight in the database, as that replica would write it) holds for the
// next directive: VTV, dissolved into BVHTTDL, no longer receives tasks.
func TestAgencyChangedElsewhereReachesNewDirectives(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		if first := f.leadTask(t, map[string]any{"lead": "VTV"}); first.AgencyCode != "VTV" {
			t.Fatalf("before the change the task went to %s", first.AgencyCode)
		}
		err := f.in.App.DB.W.Exec("UPDATE agencies SET valid_to = ?, successor_code = 'BVHTTDL', updated_at = ? WHERE code = 'VTV'",
			civil.MustDate("2026-02-28"), f.in.Clock.Now().Add(time.Second)).Error
		if err != nil {
			t.Fatal(err)
		}
		if next := f.leadTask(t, map[string]any{"lead": "VTV", "content": "Sau khi hợp nhất"}); next.AgencyCode != "BVHTTDL" {
			t.Errorf("after VTV was dissolved elsewhere its new task went to %s, want its successor BVHTTDL", next.AgencyCode)
		}
	})
}
