package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
)

type proposedAgency struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	AsWritten        string `json:"as_written"`
	ValidOnDocDate   bool   `json:"valid_on_doc_date"`
	CurrentSuccessor *struct {
		Code string `json:"code"`
	} `json:"current_successor"`
}

type proposal struct {
	DocumentID   int64            `json:"document_id"`
	Action       string           `json:"action"`
	Lead         *proposedAgency  `json:"lead"`
	Coordinators []proposedAgency `json:"coordinators"`
	Group        *string          `json:"group"`
	DueOn        *string          `json:"due_on"`
	DueKind      string           `json:"due_kind"`
	DueText      string           `json:"due_text"`
	Span         struct{ Start, End int }
}

func (p proposal) key() string {
	k := "group:" + ptr(p.Group)
	if p.Lead != nil {
		k = "lead:" + p.Lead.Code
	}
	var cs []string
	for _, c := range p.Coordinators {
		cs = append(cs, c.Code)
	}
	return fmt.Sprintf("%s coord:%s due:%s", k, strings.Join(cs, ","), ptr(p.DueOn))
}

func ptr(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// The three sample texts, stored as documents, extracted through the API;
// every proposal posted back to /directives as it came creates the tasks
// that a secretary reading the samples would create.
func TestExtractSamplesEndToEnd(t *testing.T) {
	t.Parallel()
	samples := []struct {
		file, date string
		want       []string // proposal keys, in order
		tasks      []string // agency/role/due of lead tasks and coordinator tasks of named agencies
		other      int      // proposals for a group the catalog cannot expand, which /directives refuses until mapped
	}{
		{
			file: "2021-11-30-ubqg-cds-phien-1.txt", date: "2021-11-30",
			want: []string{
				"group:all_ministries_and_provinces coord: due:-",
				"lead:BTTTT coord: due:2022-12-31", // "trong năm 2022": the year's last day; the task rolls to 3/1, 31/12 being a Saturday and 1-2/1 off
				"group:other coord: due:-",         // "các bộ, ngành thành viên liên quan và địa phương": some of them
			},
			// Bộ Thông tin và Truyền thông existed in 2021; its task goes
			// at once to Bộ Khoa học và Công nghệ, which does its work today.
			tasks: []string{"BKHCN/lead/2023-01-03"},
			other: 1,
		},
		{
			file: "2022-04-27-ubqg-cds-phien-2.txt", date: "2022-04-27",
			want: []string{
				"group:all_ministries_and_provinces coord: due:-",
				"group:all_ministries_and_provinces coord: due:-",
				"group:all_ministries coord: due:-",
				"group:all_provinces coord: due:-",
				"lead:BCA coord: due:-",
				"lead:BYT coord:BTTTT due:-",
				"lead:BKHDT coord: due:-",
			},
			tasks: []string{"BCA/lead/-", "BYT/lead/-", "BKHCN/coordinator/-", "BTC/lead/-"},
		},
		{
			file: "2022-08-08-ubqg-cds-phien-3.txt", date: "2022-08-08",
			want: []string{
				"lead:BTTTT coord: due:-",
				"group:other coord: due:2022-12-31", // "các đơn vị, địa phương": units and localities, not every ministry
			},
			other: 1,
			tasks: []string{"BKHCN/lead/-"},
		},
	}
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		for _, s := range samples {
			text, err := os.ReadFile(filepath.Join("..", "workflow", "extract", "testdata", "samples", s.file))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct{ ID int64 }
			f.secretariat.Do("POST", "/api/v1/documents", map[string]any{
				"number": "TB-" + s.date, "kind": "conclusion_notice", "title": s.file, "issued_on": s.date, "body": string(text),
			}).Want(201).JSON(&doc)

			var out struct {
				Directives []json.RawMessage `json:"directives"`
			}
			f.secretariat.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", doc.ID), nil).Want(200).JSON(&out)
			var byText struct {
				Directives []json.RawMessage `json:"directives"`
			}
			f.leader.Do("POST", "/api/v1/extract", map[string]any{"text": string(text), "doc_date": s.date}).Want(200).JSON(&byText)
			if len(byText.Directives) != len(out.Directives) {
				t.Errorf("%s: /extract gives %d proposals, /documents/{id}/extract %d", s.file, len(byText.Directives), len(out.Directives))
			}

			var keys []string
			runes := []rune(string(text))
			for _, raw := range out.Directives {
				var p proposal
				if err := json.Unmarshal(raw, &p); err != nil {
					t.Fatal(err)
				}
				keys = append(keys, p.key())
				if p.DocumentID != doc.ID || p.Action == "" || p.Span.Start < 0 || p.Span.End > len(runes) || p.Span.Start >= p.Span.End {
					t.Errorf("%s: proposal %s", s.file, raw)
				}
				if p.Lead != nil && !strings.Contains(string(runes[p.Span.Start:p.Span.End]), p.Lead.AsWritten) {
					t.Errorf("%s: the span %v does not hold %q", s.file, p.Span, p.Lead.AsWritten)
				}
			}
			if !slices.Equal(keys, s.want) {
				t.Errorf("%s: proposals\n got %q\nwant %q", s.file, keys, s.want)
			}

			// Post every proposal back as it came.
			var tasks []string
			other := 0
			for _, raw := range out.Directives {
				var p proposal
				_ = json.Unmarshal(raw, &p)
				if ptr(p.Group) == "other" {
					other++
					wantProblem(t, f.secretariat.Do("POST", "/api/v1/directives", postable(t, raw)).Want(422))
					continue
				}
				var d directive
				f.secretariat.Do("POST", "/api/v1/directives", postable(t, raw)).Want(201).JSON(&d)
				if len(d.Tasks) == 0 {
					t.Errorf("%s: %s created no task", s.file, raw)
				}
				if p.Group != nil && p.Lead == nil && len(d.Tasks) < 20 {
					t.Errorf("%s: group %s gave only %d tasks", s.file, *p.Group, len(d.Tasks))
				}
				for _, tk := range d.Tasks {
					if p.Group == nil || tk.Role == "lead" && p.Lead != nil {
						tasks = append(tasks, fmt.Sprintf("%s/%s/%s", tk.AgencyCode, tk.Role, ptr(tk.DueOn)))
					}
					if tk.Status != "assigned" {
						t.Errorf("%s: task %+v", s.file, tk)
					}
				}
			}
			if !slices.Equal(tasks, s.tasks) {
				t.Errorf("%s: tasks\n got %q\nwant %q", s.file, tasks, s.tasks)
			}
			if other != s.other {
				t.Errorf("%s: %d proposals for other groups, want %d", s.file, other, s.other)
			}
		}
		// Groups expand on the document's date: "Các Bộ, ngành" (sample 2)
		// gives Hà Nội nothing; each group naming provinces gives it one task.
		var list struct {
			Items []task `json:"items"`
		}
		f.secretariat.Do("GET", "/api/v1/tasks?agency=HANOI&limit=500", nil).Want(200).JSON(&list)
		wantHanoi := 1 + 3 // groups naming provinces: sample 1 (1), sample 2 (3); other groups give no task until mapped
		if len(list.Items) != wantHanoi {
			t.Errorf("Hà Nội has %d tasks, want %d (one per group directive that names provinces)", len(list.Items), wantHanoi)
		}
	})
}

func TestExtractInput(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		ok := map[string]any{"text": "Kết luận: Bộ Y tế khẩn trương hoàn thiện đề án, báo cáo trước ngày 15/3/2026.", "doc_date": "2026-02-25"}
		var out struct {
			Directives []proposal `json:"directives"`
		}
		f.secretariat.Do("POST", "/api/v1/extract", ok).Want(200).JSON(&out)
		if len(out.Directives) != 1 || out.Directives[0].Lead == nil || out.Directives[0].Lead.Code != "BYT" || ptr(out.Directives[0].DueOn) != "2026-03-15" {
			t.Fatalf("proposals: %+v", out.Directives)
		}
		f.in.Admin.Do("POST", "/api/v1/extract", ok).Want(200)
		wantProblem(t, f.byt.Do("POST", "/api/v1/extract", ok).Want(403))
		f.in.Anonymous().Do("POST", "/api/v1/extract", ok).Want(401)
		wantProblem(t, f.byt.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", f.docID), nil).Want(403))
		wantProblem(t, f.secretariat.Do("POST", "/api/v1/documents/999999/extract", nil).Want(404))

		// A document without text proposes nothing.
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", f.docID), nil).Want(200).JSON(&out)
		if len(out.Directives) != 0 {
			t.Errorf("an empty document: %+v", out.Directives)
		}

		for name, body := range map[string]any{
			"no date":       map[string]any{"text": "Bộ Y tế khẩn trương hoàn thiện đề án."},
			"bad date":      map[string]any{"text": "Bộ Y tế khẩn trương hoàn thiện đề án.", "doc_date": "2026-02-30"},
			"far date":      map[string]any{"text": "Bộ Y tế khẩn trương hoàn thiện đề án.", "doc_date": "1800-01-01"},
			"no text":       map[string]any{"doc_date": "2026-02-25"},
			"empty text":    map[string]any{"text": "", "doc_date": "2026-02-25"},
			"text a number": map[string]any{"text": 42, "doc_date": "2026-02-25"},
			"not JSON":      "{text:",
		} {
			r := f.secretariat.Do("POST", "/api/v1/extract", body)
			if r.Status != 400 && r.Status != 422 {
				t.Errorf("%s: status %d: %s", name, r.Status, r.Body)
			}
			wantProblem(t, r)
		}
		huge := map[string]any{"text": strings.Repeat("Bộ Y tế khẩn trương hoàn thiện đề án. ", 40_000), "doc_date": "2026-02-25"}
		if r := f.secretariat.Do("POST", "/api/v1/extract", huge); r.Status != http.StatusRequestEntityTooLarge && r.Status != 422 {
			t.Errorf("a text of %d bytes: status %d", len(huge["text"].(string)), r.Status)
		} else {
			wantProblem(t, r)
		}

		// Invalid UTF-8 in the text is refused (issue 17, item 6).
		f.secretariat.Do("POST", "/api/v1/extract", []byte("{\"text\": \"B\xff\xfe\u1ed9 Y t\u1ebf kh\u1ea9n tr\u01b0\u01a1ng\", \"doc_date\": \"2026-02-25\"}")).Want(422)

		// A proposal naming an agency that did not exist on the document's
		// date is refused when posted: the secretariat must choose.
		var doc struct{ ID int64 }
		f.secretariat.Do("POST", "/api/v1/documents", map[string]any{
			"number": "99/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25",
			"body": "Kết luận như sau: Bộ Thông tin và Truyền thông khẩn trương hoàn thiện đề án chuyển đổi số trong quý II/2026.",
		}).Want(201).JSON(&doc)
		var raw struct {
			Directives []json.RawMessage `json:"directives"`
		}
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", doc.ID), nil).Want(200).JSON(&raw)
		if len(raw.Directives) != 1 || !strings.Contains(string(raw.Directives[0]), `"valid_on_doc_date":false`) ||
			!strings.Contains(string(raw.Directives[0]), `"current_successor":{"code":"BKHCN"`) {
			t.Fatalf("proposals: %s", raw.Directives)
		}
		wantProblem(t, f.secretariat.Do("POST", "/api/v1/directives", postable(t, raw.Directives[0])).Want(422))
		// Edited to the successor, the same proposal goes through.
		p := postable(t, raw.Directives[0])
		p["lead"] = "BKHCN"
		var d directive
		f.secretariat.Do("POST", "/api/v1/directives", p).Want(201).JSON(&d)
		if len(d.Tasks) != 1 || d.Tasks[0].AgencyCode != "BKHCN" || ptr(d.Tasks[0].DueOn) != "2026-06-30" {
			t.Errorf("tasks: %+v", d.Tasks)
		}
		if !utf8.ValidString(string(raw.Directives[0])) {
			t.Error("invalid UTF-8 in the answer")
		}
	})
}

// postable is a proposal as POST /directives takes it today: without the
// fields it does not know yet (the proposal's id, the group as written, the
// coordinating groups), and with a period deadline as its due_period alone
// (due_on is then the period's last day, which /directives recomputes on
// the working calendar).
func postable(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "group_as_written", "coordinator_groups"} {
		if _, ok := p[k]; !ok {
			t.Fatalf("proposal without %q: %s", k, raw)
		}
		delete(p, k)
	}
	if p["due_period"] != nil {
		delete(p, "due_on")
	} else {
		delete(p, "due_period")
	}
	return p
}

func wantProblem(t *testing.T, r *apptest.Response) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("status %d answered %q, not problem+json: %s", r.Status, ct, r.Body)
	}
}

// TestExtractSeesCatalogEdits: the extractor is kept between requests, and
// an admin's change to the catalog reaches the next extraction.
func TestExtractSeesCatalogEdits(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	sec := in.User("thuky.x", "secretariat", "")
	text := "Giao Ban Chỉ đạo chuyển đổi số quốc gia chủ trì, hoàn thành đề án trước ngày 30 tháng 6 năm 2026."
	leads := func() []string {
		var out struct {
			Directives []struct {
				Lead *struct{ Code string } `json:"lead"`
			} `json:"directives"`
		}
		sec.Do("POST", "/api/v1/extract", map[string]any{"text": text, "doc_date": "2026-02-25"}).Want(200).JSON(&out)
		var codes []string
		for _, d := range out.Directives {
			if d.Lead != nil {
				codes = append(codes, d.Lead.Code)
			}
		}
		return codes
	}
	if got := leads(); slices.Contains(got, "BCDCDS") {
		t.Fatalf("an agency not yet in the catalog was found: %v", got)
	}
	in.Admin.Do("PUT", "/api/v1/agencies/BCDCDS", map[string]any{"name": "Ban Chỉ đạo chuyển đổi số", "short_name": "BCĐ CĐS",
		"kind": "committee", "valid_from": "2026-01-01", "aliases": []string{"Ban Chỉ đạo chuyển đổi số quốc gia"}}).Want(201)
	if got := leads(); !slices.Contains(got, "BCDCDS") {
		t.Errorf("after the admin added it, the lead is %v, want BCDCDS", got)
	}
}
