package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/catalog"
)

func TestSpanIsCharactersOfTheOriginal(t *testing.T) {
	x := newTestExtractor(t)
	// Decomposed accents, the old tone placement (Uỷ) and a non-breaking
	// space change the text's length in normalisation; the span must still
	// point into what was given.
	lead := ""
	sent := "Uỷ\u00a0ban nhân dân các tỉnh, thành phố trực thuộc Trung ương khẩn trương rà soát, báo cáo trước ngày 15/5/2023."
	decomposed := "Bo\u0302\u0323 Y te\u0302\u0301 chủ trì, phối hợp với Bộ Tài chính hoàn thiện đề án trong quý III/2023."
	text := "Tiêu đề 🇻🇳 — kết luận như sau:\n\n" + lead + sent + "\n\n" + decomposed
	ps := x.Extract(text, civil.MustDate("2023-04-20"))
	if len(ps) != 2 {
		t.Fatalf("got %d proposals, want 2: %+v", len(ps), ps)
	}
	runes := []rune(text)
	for _, p := range ps {
		got := string(runes[p.Span.Start:p.Span.End])
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") {
			t.Errorf("span %v is not trimmed: %q", p.Span, got)
		}
		b0, b1 := p.SentenceBytes()
		if text[b0:b1] != got {
			t.Errorf("byte span %q differs from character span %q", text[b0:b1], got)
		}
	}
	if got := string(runes[ps[0].Span.Start:ps[0].Span.End]); !strings.HasSuffix(got, sent) {
		t.Errorf("first span is %q, want it to end with the sentence", got)
	}
	if got := string(runes[ps[1].Span.Start:ps[1].Span.End]); got != decomposed {
		t.Errorf("second span is %q, want %q", got, decomposed)
	}
	if ps[0].Group == nil || *ps[0].Group != "all_provinces" || ps[0].DueOn != civil.MustDate("2023-05-15") {
		t.Errorf("first proposal: %s", describe(ps[0]))
	}
	if ps[1].Lead == nil || ps[1].Lead.Code != "BYT" || len(ps[1].Coordinators) != 1 || ps[1].Coordinators[0].Code != "BTC" ||
		ps[1].DueOn != civil.MustDate("2023-09-30") || ps[1].DuePeriod != "2023-Q3" || ps[1].DueText != "trong quý III/2023" {
		t.Errorf("second proposal: %s (%q)", describe(ps[1]), ps[1].DueText)
	}
	if ps[1].Lead.AsWritten != "Bo\u0302\u0323 Y te\u0302\u0301" {
		t.Errorf("as_written is %q, want the name as the input writes it", ps[1].Lead.AsWritten)
	}
}

// A 2022 text names Bộ Thông tin và Truyền thông: that ministry, valid on
// the document's date, with the one that took over its work today; a 2025
// text naming it gets it flagged as gone.
func TestAgenciesAsOfDocumentDate(t *testing.T) {
	x := newTestExtractor(t)
	text := "Kết luận như sau: Bộ TT&TT chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư xây dựng đề án, trình Thủ tướng Chính phủ trong tháng 10/2022."
	ps := x.Extract(text, civil.MustDate("2022-08-08"))
	if len(ps) != 1 || ps[0].Lead == nil {
		t.Fatalf("proposals: %+v", ps)
	}
	l := ps[0].Lead
	if l.Code != "BTTTT" || l.AsWritten != "Bộ TT&TT" || !l.ValidOnDocDate || l.CurrentSuccessor == nil || l.CurrentSuccessor.Code != "BKHCN" {
		t.Errorf("lead = %+v (successor %+v)", l, l.CurrentSuccessor)
	}
	if c := ps[0].Coordinators; len(c) != 1 || c[0].Code != "BKHDT" || c[0].CurrentSuccessor == nil || c[0].CurrentSuccessor.Code != "BTC" {
		t.Errorf("coordinators = %+v", c)
	}
	if ps[0].DueOn != civil.MustDate("2022-10-31") {
		t.Errorf("due_on = %s", ps[0].DueOn)
	}

	ps = x.Extract(text, civil.MustDate("2025-09-01"))
	if len(ps) != 1 || ps[0].Lead == nil || ps[0].Lead.ValidOnDocDate || ps[0].Confidence >= 0.85 {
		t.Fatalf("a 2025 text naming a dissolved ministry: %+v", ps)
	}
	current := x.Extract("Kết luận như sau: Bộ Y tế khẩn trương hoàn thiện đề án.", civil.MustDate("2025-09-01"))
	if len(current) != 1 || current[0].Lead.CurrentSuccessor != nil || !current[0].Lead.ValidOnDocDate {
		t.Fatalf("an agency that exists: %+v", current)
	}
}

func TestProposalJSON(t *testing.T) {
	x := newTestExtractor(t)
	ps := x.Extract("Kết luận: Bộ Công an khẩn trương hoàn thiện quy chế. Các bộ, ngành, địa phương thường xuyên rà soát, báo cáo hằng quý.", civil.MustDate("2022-04-27"))
	if len(ps) != 2 {
		t.Fatalf("proposals: %+v", ps)
	}
	b, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"action", "lead", "coordinators", "group", "due_on", "due_text", "recurring", "span", "confidence"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("proposal JSON lacks %q: %s", k, b)
		}
	}
	if got[0]["group"] != nil || got[0]["due_on"] != nil || got[0]["due_kind"] != "urgent" || got[0]["action"] != "Khẩn trương hoàn thiện quy chế" {
		t.Errorf("first proposal: %s", b)
	}
	if got[1]["lead"] != nil || got[1]["group"] != "all_ministries_and_provinces" || got[1]["recurring"] != true ||
		got[1]["due_kind"] != "ongoing" || got[1]["reporting_period"] != "quarterly" {
		t.Errorf("second proposal: %s", b)
	}
	if c, ok := got[1]["coordinators"].([]any); !ok || len(c) != 0 {
		t.Errorf("coordinators must be an empty list, not null: %s", b)
	}
}

// The fields the secretariat reviews: a body outside the catalog with no
// code, a coordinating group, the other group, a period deadline, and ids
// that stay the same for the same text.
func TestProposalFieldsForReview(t *testing.T) {
	x := newTestExtractor(t)
	text := "Kết luận như sau: Bộ Công Thương chủ trì, phối hợp với Tổng công ty Truyền tải điện quốc gia và các cơ quan liên quan " +
		"hoàn thành đề án trong quý III/2026. Các đơn vị thi công tiếp tục huy động tối đa nhân lực, hoàn thành trong 2 tuần."
	date := civil.MustDate("2026-03-10")
	ps := x.Extract(text, date)
	if len(ps) != 2 {
		t.Fatalf("proposals: %+v", ps)
	}
	b, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	coords, _ := got[0]["coordinators"].([]any)
	if len(coords) != 1 || coords[0].(map[string]any)["code"] != nil || coords[0].(map[string]any)["needs_mapping"] != true ||
		coords[0].(map[string]any)["as_written"] != "Tổng công ty Truyền tải điện quốc gia" {
		t.Errorf("a coordinator outside the catalog: %s", b)
	}
	groups, _ := got[0]["coordinator_groups"].([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["group"] != "other" || groups[0].(map[string]any)["as_written"] != "các cơ quan liên quan" {
		t.Errorf("coordinator groups: %s", b)
	}
	if got[0]["due_on"] != "2026-09-30" || got[0]["due_period"] != "2026-Q3" || got[0]["action"] != "Hoàn thành đề án" {
		t.Errorf("a period deadline: %s", b)
	}
	if got[1]["group"] != "other" || got[1]["group_as_written"] != "Các đơn vị thi công" || got[1]["due_on"] != "2026-03-24" {
		t.Errorf("an other group: %s", b)
	}
	again := x.Extract(text, date)
	if ps[0].ID == "" || ps[0].ID == ps[1].ID || again[0].ID != ps[0].ID || again[1].ID != ps[1].ID {
		t.Errorf("ids %q %q, then %q %q", ps[0].ID, ps[1].ID, again[0].ID, again[1].ID)
	}
	if other := x.Extract(text+" ", date); other[0].ID == ps[0].ID {
		t.Errorf("another text gave the same id %q", ps[0].ID)
	}
}

// Sentences before the conclusion report what agencies did: only the Prime
// Minister's own words there give work.
func TestReportsBeforeConclusionProposeNothing(t *testing.T) {
	x := newTestExtractor(t)
	text := "Trong quý I/2022, Bộ Tài chính tiếp tục triển khai hóa đơn điện tử. Thủ tướng Chính phủ yêu cầu Bộ Y tế khẩn trương hoàn thiện đề án.\n\nPhát biểu kết luận, Thủ tướng Chính phủ đánh giá cao các bộ, ngành."
	ps := x.Extract(text, civil.MustDate("2022-04-27"))
	if len(ps) != 1 || ps[0].Lead == nil || ps[0].Lead.Code != "BYT" {
		t.Fatalf("want one proposal for BYT, got %+v", ps)
	}
}

func TestSamplesNeverPanicAndStayInside(t *testing.T) {
	x := newTestExtractor(t)
	files, err := filepath.Glob("testdata/samples/*.txt")
	if err != nil || len(files) != 3 {
		t.Fatalf("samples: %v %v", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ps := x.Extract(string(data), civil.MustDate(filepath.Base(f)[:10]))
		if len(ps) == 0 {
			t.Errorf("%s: no proposals", f)
		}
		checkSpans(t, string(data), ps)
	}
}

func checkSpans(t *testing.T, text string, ps []Proposal) {
	t.Helper()
	n := utf8.RuneCountInString(text)
	for _, p := range ps {
		if p.Span.Start < 0 || p.Span.Start > p.Span.End || p.Span.End > n {
			t.Fatalf("span %v outside [0,%d] of %q", p.Span, n, text)
		}
		b0, b1 := p.SentenceBytes()
		if b0 < 0 || b0 > b1 || b1 > len(text) {
			t.Fatalf("byte span [%d,%d) outside the input of %d bytes", b0, b1, len(text))
		}
		if s, e := utf8.RuneCountInString(text[:b0]), utf8.RuneCountInString(text[:b1]); s != p.Span.Start || e != p.Span.End {
			t.Fatalf("span %v, but the bytes [%d,%d) are characters [%d,%d)", p.Span, b0, b1, s, e)
		}
		if p.Lead == nil && p.Group == nil {
			t.Fatalf("a proposal with neither lead nor group: %+v", p)
		}
		if p.Confidence <= 0 || p.Confidence > 1 {
			t.Fatalf("confidence %v", p.Confidence)
		}
	}
}

func FuzzExtract(f *testing.F) {
	x := newTestExtractor(f)
	files, _ := filepath.Glob("testdata/samples/*.txt")
	for _, fn := range files {
		if data, err := os.ReadFile(fn); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"", "\xff\xfe", "Kết luận: Bộ Y tế\xc3 chủ trì", "Giao Bộ Tài chính:\n- a) Khẩn trương\n- ", "1.\n(",
		"Uỷ\u00a0ban nhân dân các tỉnh: Hà Nội, TP.HCM khẩn trương rà soát trước ngày 31/2/2023.",
		"Bo\u0302\u0323 Y te\u0302\u0301 phối hợp với các Bộ: Tài chính, Công Thương trong 10 ngày làm việc",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps := x.Extract(s, civil.MustDate("2023-06-15"))
		checkSpans(t, s, ps)
	})
}

// BenchmarkExtract10k extracts a conclusion of 10,000 characters: the
// samples joined and cut there.
func BenchmarkExtract10k(b *testing.B) {
	x := newTestExtractor(b)
	text := tenThousand(b)
	date := civil.MustDate("2022-04-27")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		x.Extract(text, date)
	}
}

func tenThousand(tb testing.TB) string {
	files, _ := filepath.Glob("testdata/samples/*.txt")
	var all []rune
	for len(all) < 10000 {
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			all = append(all, []rune(string(data))...)
		}
	}
	return string(all[:10000])
}

// BenchmarkNew builds the gazetteer, as each API request does from the
// stored catalog.
func BenchmarkNew(b *testing.B) {
	list, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	c := catalog.New(list)
	cal := calendar.New(nil)
	b.ResetTimer()
	for range b.N {
		New(c, cal)
	}
}

// BenchmarkExtract20Pages extracts a notice of about 20 pages (70 KB): the
// samples, then the texts of dev.jsonl page by page, each page's sentences
// as one paragraph, as a long conclusion notice reads.
func BenchmarkExtract20Pages(b *testing.B) {
	x := newTestExtractor(b)
	text := twentyPages(b)
	date := civil.MustDate("2024-06-01")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		x.Extract(text, date)
	}
}

func twentyPages(tb testing.TB) string {
	var b strings.Builder
	files, _ := filepath.Glob("testdata/samples/*.txt")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n\n")
	}
	source := ""
	for _, c := range loadDevCases(tb) {
		if b.Len() >= 70_000 {
			break
		}
		if c.Source != source {
			b.WriteString("\n\n")
			source = c.Source
		} else {
			b.WriteString(" ")
		}
		b.WriteString(c.Text)
	}
	return b.String()
}
