package api_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

const qualityText = `1. Giao Bộ Y tế chủ trì, phối hợp với Bộ Tài chính xây dựng đề án phát triển y tế cơ sở, báo cáo Thủ tướng Chính phủ trước ngày 30 tháng 6 năm 2026.
2. Bộ Công an khẩn trương hoàn thiện cơ sở dữ liệu quốc gia về dân cư, hoàn thành trong tháng 9 năm 2026.
3. Giao Bộ Xây dựng nghiên cứu, đề xuất cơ chế đặc thù phát triển nhà ở xã hội.`

type extractQuality struct {
	Used, Dropped, Pending int
	KeptWhole              int `json:"kept_whole"`
	HandAdded              int `json:"hand_added"`
	Recall                 float64
	Fields                 map[string]struct{ Kept, Edited, Dropped int }
}

// A document's proposals are recorded when it is extracted; directives made
// from them (proposal_id) record what the secretariat changed; one not made
// into a directive is dropped once its document has directives; one added
// by hand counts against recall.
func TestExtractQuality(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		var doc struct{ ID int64 }
		f.secretariat.Do("POST", "/api/v1/documents", map[string]any{
			"number": "46/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-03-02", "body": qualityText,
		}).Want(201).JSON(&doc)
		var out struct {
			Directives []json.RawMessage `json:"directives"`
		}
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", doc.ID), nil).Want(200).JSON(&out)
		if len(out.Directives) != 3 {
			t.Fatalf("%d proposals, want 3: %s", len(out.Directives), out.Directives)
		}
		ids := make([]string, 3)
		for i, raw := range out.Directives {
			var p struct{ ID string }
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatal(err)
			}
			ids[i] = p.ID
		}
		// Extracting again records nothing twice.
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", doc.ID), nil).Want(200)

		quality := func() extractQuality {
			var q extractQuality
			f.leader.Do("GET", "/api/v1/extract/quality?from=2026-03-01&to=2026-03-31", nil).Want(200).JSON(&q)
			return q
		}
		if q := quality(); q.Pending != 3 || q.Used != 0 || q.Dropped != 0 || q.HandAdded != 0 {
			t.Errorf("before any directive: %+v", q)
		}

		// The first proposal as it came.
		p0 := postable(t, out.Directives[0])
		p0["proposal_id"] = ids[0]
		f.secretariat.Do("POST", "/api/v1/directives", p0).Want(201)
		// The second with its lead and deadline changed.
		p1 := postable(t, out.Directives[1])
		p1["proposal_id"], p1["lead"] = ids[1], "BQP"
		delete(p1, "due_period")
		p1["due_on"] = "2026-08-31"
		f.secretariat.Do("POST", "/api/v1/directives", p1).Want(201)
		// A directive by hand.
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{
			"document_id": doc.ID, "content": "Rà soát quy hoạch", "lead": "BTC",
		}).Want(201)

		// A proposal once used, of another document, or unknown: 422.
		wantProblem(t, f.secretariat.Do("POST", "/api/v1/directives", p0).Want(422))
		other := map[string]any{"document_id": f.docID, "content": "x", "lead": "BYT", "proposal_id": ids[2]}
		wantProblem(t, f.secretariat.Do("POST", "/api/v1/directives", other).Want(422))
		other["document_id"], other["proposal_id"] = doc.ID, "p_0000000000000000"
		wantProblem(t, f.secretariat.Do("POST", "/api/v1/directives", other).Want(422))

		q := quality()
		if q.Used != 2 || q.KeptWhole != 1 || q.Dropped != 1 || q.Pending != 0 || q.HandAdded != 1 {
			t.Errorf("counts: %+v", q)
		}
		if q.Recall < 0.66 || q.Recall > 0.67 {
			t.Errorf("recall %v, want 2/3", q.Recall)
		}
		for field, want := range map[string][3]int{
			"lead": {1, 1, 1}, "due": {1, 1, 1}, "coordinators": {2, 0, 1}, "group": {2, 0, 1}, "action": {2, 0, 1},
		} {
			got := q.Fields[field]
			if [3]int{got.Kept, got.Edited, got.Dropped} != want {
				t.Errorf("%s: kept/edited/dropped %+v, want %v", field, got, want)
			}
		}

		// Out of range, nothing; agencies may not read it; a bad range is 422.
		var none extractQuality
		f.secretariat.Do("GET", "/api/v1/extract/quality?from=2026-04-01&to=2026-04-30", nil).Want(200).JSON(&none)
		if none.Used+none.Dropped+none.HandAdded+none.Pending != 0 {
			t.Errorf("April: %+v", none)
		}
		wantProblem(t, f.byt.Do("GET", "/api/v1/extract/quality?from=2026-03-01&to=2026-03-31", nil).Want(403))
		wantProblem(t, f.leader.Do("GET", "/api/v1/extract/quality?from=2026-03-31&to=2026-03-01", nil).Want(422))
	})
}
