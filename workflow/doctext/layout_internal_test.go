package doctext

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// line makes a frag of one line: x from x0 to x1, baseline y, 10 pt high,
// its first word 20 pt wide.
func line(text string, x0, x1, y float64) *frag {
	return &frag{text: text, x0: x0, x1: x1, y0: y - 2, y1: y + 8, base: y, firstWord: 20}
}

func texts(fs []*frag) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.text)
	}
	return strings.Join(out, "|")
}

// The usual head of a Vietnamese official document is a two-cell table:
// the issuer and the number on the left, the national motto and the date
// on the right. Each cell reads whole before the next, then the body.
func TestReadingOrderHeadTable(t *testing.T) {
	t.Parallel()
	fs := []*frag{
		line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 540, 800),
		line("VĂN PHÒNG CHÍNH PHỦ", 80, 230, 800),
		line("Độc lập - Tự do - Hạnh phúc", 340, 500, 786),
		line("Số: 45/TB-VPCP", 100, 200, 786),
		line("Hà Nội, ngày 25 tháng 02 năm 2026", 330, 530, 765),
		line("THÔNG BÁO", 260, 340, 730),
		line("Kết luận của Thủ tướng Chính phủ tại phiên họp", 80, 540, 716),
		line("thứ hai của Ủy ban quốc gia về chuyển đổi số", 80, 400, 702),
	}
	want := "VĂN PHÒNG CHÍNH PHỦ|Số: 45/TB-VPCP|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc|Hà Nội, ngày 25 tháng 02 năm 2026|THÔNG BÁO|Kết luận của Thủ tướng Chính phủ tại phiên họp|thứ hai của Ủy ban quốc gia về chuyển đổi số"
	if got := texts(readingOrder(fs)); got != want {
		t.Errorf("order\n got %s\nwant %s", got, want)
	}
}

// Paragraphs: a wider gap, a first-line indent or a short line ends one;
// a full line does not, nor does a page break in mid-sentence.
func TestParagraphBreaks(t *testing.T) {
	t.Parallel()
	pages := [][]*frag{{
		line("Một dòng đầy đủ của đoạn thứ nhất chạy tới lề phải", 80, 540, 700),
		line("và dòng cuối ngắn.", 80, 200, 686),
		line("Đoạn thứ hai sau khoảng cách rộng hơn, chạy tới lề", 80, 540, 660),
		line("phải và tiếp tục tới cuối trang mà chưa hết câu", 80, 540, 646),
	}, {
		line("thì sang trang sau vẫn là đoạn ấy.", 80, 300, 700),
		line("Đoạn thứ ba thụt đầu dòng, chạy tới tận lề phải", 110, 540, 686),
		line("của trang.", 80, 150, 672),
		line("Đoạn thứ tư thụt đầu dòng.", 110, 300, 658),
	}}
	lay, err := layoutPDF(pages, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Một dòng đầy đủ của đoạn thứ nhất chạy tới lề phải và dòng cuối ngắn.",
		"Đoạn thứ hai sau khoảng cách rộng hơn, chạy tới lề phải và tiếp tục tới cuối trang mà chưa hết câu thì sang trang sau vẫn là đoạn ấy.",
		"Đoạn thứ ba thụt đầu dòng, chạy tới tận lề phải của trang.",
		"Đoạn thứ tư thụt đầu dòng.",
	}
	if got := strings.Split(lay.text, "\n\n"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs\n got %q\nwant %q", got, want)
	}
}

func TestRunningLines(t *testing.T) {
	t.Parallel()
	var pages [][]*frag
	for i, body := range []string{"Thân trang một", "Thân trang hai", "Thân trang ba"} {
		pages = append(pages, []*frag{
			line("VĂN PHÒNG CHÍNH PHỦ", 250, 350, 800),
			line(body+" có đủ chữ để là một trang văn bản thật sự", 80, 540, 700),
			line("Trang "+string(rune('1'+i))+"/3", 280, 320, 40),
		})
	}
	// A single page's first line is kept: nothing repeats it.
	pages = append(pages, []*frag{line("Phụ lục: danh sách các bộ, ngành và địa phương", 80, 540, 800)})
	dropRunning(pages)
	var got []string
	for _, p := range pages {
		got = append(got, texts(p))
	}
	want := "Thân trang một có đủ chữ để là một trang văn bản thật sự|Thân trang hai có đủ chữ để là một trang văn bản thật sự|Thân trang ba có đủ chữ để là một trang văn bản thật sự|Phụ lục: danh sách các bộ, ngành và địa phương"
	if strings.Join(got, "|") != want {
		t.Errorf("kept %q", got)
	}
}

func TestPageNumber(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"1", "12", "- 2 -", "— 3 —", "(4)", "Trang 3", "trang 3/20", "Trang 3 của 20", "Page 4 of 9", "3/20"} {
		if !pageNumber.MatchString(s) {
			t.Errorf("%q is a page number", s)
		}
	}
	for _, s := range []string{"Điều 3.", "1. Bộ Y tế", "Số: 45/TB-VPCP", "Trang web", "12 tỉnh"} {
		if pageNumber.MatchString(s) {
			t.Errorf("%q is not a page number", s)
		}
	}
}

func TestJoinLine(t *testing.T) {
	t.Parallel()
	cases := [][3]string{
		{"Chiều 30-", "11, Thủ tướng", "Chiều 30-11, Thủ tướng"},
		{"kinh tế -", "xã hội", "kinh tế - xã hội"},
		{"Bộ Thông tin và", "Truyền thông", "Bộ Thông tin và Truyền thông"},
		{"", "Đầu", "Đầu"},
	}
	for _, c := range cases {
		var b strings.Builder
		b.WriteString(c[0])
		joinLine(&b, c[1])
		if b.String() != c[2] {
			t.Errorf("join %q + %q = %q, want %q", c[0], c[1], b.String(), c[2])
		}
	}
}

func TestGarbled(t *testing.T) {
	t.Parallel()
	sample, err := os.ReadFile("../extract/testdata/samples/2022-04-27-ubqg-cds-phien-2.txt")
	if err != nil {
		t.Fatal(err)
	}
	if garbled(string(sample)) {
		t.Error("a Vietnamese sample reads as garbled")
	}
	for _, s := range []string{
		"KÕt luËn cña Thñ t\u00adíng ChÝnh phñ vÒ chuyÓn ®æi sè", // TCVN3 read as Latin-1
		"\uFFFD\uFFFD\uFFFD \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD\uFFFD abc",
		"\uE001\uE002\uE003\uE004 text",
	} {
		if !garbled(s) {
			t.Errorf("%q is garbled", s)
		}
	}
}

// No byte sequence panics the .docx reader, and what it returns is NFC.
func FuzzDOCXText(f *testing.F) {
	f.Add(`<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:r><w:t>Kết luận</w:t></w:r></w:p></w:body></w:document>`)
	f.Add(`<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:p><w:r><w:t>x</w:t></w:r></w:p></w:p><w:p/></w:body></w:document>`)
	f.Add(`<w:p xmlns:w="` + nsW + `"><w:r><w:fldChar w:fldCharType="end"/><w:fldChar w:fldCharType="separate"/><w:tab/></w:r></w:p></w:p>`)
	f.Add(`<w:r xmlns:w="` + nsW + `"><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>`)
	f.Fuzz(func(t *testing.T, doc string) {
		text, err := docxText(strings.NewReader(doc), 1<<16)
		if err != nil && AsError(err) == nil {
			t.Fatalf("not a refusal: %v", err)
		}
		if !utf8.ValidString(text) || !norm.NFC.IsNormalString(text) {
			t.Fatalf("text not NFC UTF-8: %q", text)
		}
	})
}

// No arrangement of glyphs panics the layout.
func FuzzLayout(f *testing.F) {
	f.Add([]byte("Kết luận\x10\x20\x30\x40 của Thủ tướng\x00\x00\xff\xff"), uint8(3))
	f.Add([]byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, pagesN uint8) {
		var pages [][]glyph
		for p := 0; p <= int(pagesN%4); p++ {
			var gs []glyph
			for i := 0; i+3 < len(data); i += 4 {
				x, y, w, h := float64(data[i]), float64(data[i+1]), float64(data[i+2]%16), float64(data[i+3]%16)
				gs = append(gs, glyph{s: string(rune('a' + data[i]%40)), x0: x, y0: y, x1: x + w, y1: y + h})
			}
			pages = append(pages, gs)
		}
		frags := make([][]*frag, len(pages))
		for i, gs := range pages {
			frags[i] = pageFrags(gs)
		}
		if _, err := layoutPDF(frags, 1<<20); err != nil && AsError(err) == nil {
			t.Fatal(err)
		}
	})
}
