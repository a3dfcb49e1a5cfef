package api_test

import (
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

// POST /directives takes a deadline as a period from the document's date,
// counted as Civil Code Arts. 147-148 say (issue 18.5).
func TestDirectiveDueIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		docOn := func(number, day string) int64 {
			var doc struct{ ID int64 }
			f.secretariat.Do("POST", "/api/v1/documents", map[string]any{"number": number, "kind": "conclusion_notice", "title": "Kết luận", "issued_on": day}).Want(201).JSON(&doc)
			return doc.ID
		}
		march := docOn("50/TB-VPCP", "2026-03-02") // a Monday
		jan := docOn("51/TB-VPCP", "2024-01-31")
		for _, c := range []struct {
			name  string
			doc   int64
			value int
			unit  string
			want  string
		}{
			{"trong 2 tuần: the same weekday two weeks on", march, 2, "week", "2026-03-16"},
			{"trong 03 tháng kể từ ngày ký: the corresponding day", march, 3, "month", "2026-06-02"},
			{"31 January + 1 month: February's last day (2024 is a leap year)", jan, 1, "month", "2024-02-29"},
			{"trong 10 ngày: the day after counts first", march, 10, "day", "2026-03-12"},
			{"5 working days", march, 5, "working_day", "2026-03-09"},
			{"1 month from 31 Jan 2026: Saturday 28 Feb moves to Monday", docOn("52/TB-VPCP", "2026-01-31"), 1, "month", "2026-03-02"},
		} {
			var d directive
			f.secretariat.Do("POST", "/api/v1/directives", map[string]any{"document_id": c.doc, "content": c.name, "lead": "BYT",
				"due_in": map[string]any{"value": c.value, "unit": c.unit}}).Want(201).JSON(&d)
			if len(d.Tasks) != 1 || ptr(d.Tasks[0].DueOn) != c.want {
				t.Errorf("%s: due %v, want %s", c.name, d.Tasks, c.want)
			}
		}
		for name, body := range map[string]map[string]any{
			"bad unit":      {"due_in": map[string]any{"value": 2, "unit": "fortnight"}},
			"zero":          {"due_in": map[string]any{"value": 0, "unit": "week"}},
			"two deadlines": {"due_in": map[string]any{"value": 2, "unit": "week"}, "due_on": "2026-04-01"},
		} {
			body["document_id"], body["content"], body["lead"] = march, "x", "BYT"
			r := f.secretariat.Do("POST", "/api/v1/directives", body)
			if r.Status != 422 {
				t.Errorf("%s: status %d: %s", name, r.Status, r.Body)
			}
			wantProblem(t, r)
		}
	})
}
