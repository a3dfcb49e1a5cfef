package doctext_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/workflow/doctext"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

const title = "THÔNG BÁO KẾT LUẬN CỦA THỦ TƯỚNG CHÍNH PHỦ"

// A sample conclusion printed as a one-column notice, with a running head
// and page numbers, reads back paragraph for paragraph, the head and the
// numbers left out, paragraphs that cross a page joined again.
func TestPDFSamples(t *testing.T) {
	t.Parallel()
	for _, name := range sampleFiles {
		paras := doctexttest.SampleParagraphs(t, samples+name)
		pdf := doctexttest.Notice{Title: title, RunningHead: "VĂN PHÒNG CHÍNH PHỦ", Paragraphs: paras}.PDF(t)
		res, err := text(t, pdfx, pdf, doctext.PDF)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := append([]string{title}, paras...)
		if got := strings.Split(res.Text, "\n\n"); !equalParagraphs(got, want) {
			t.Errorf("%s: text differs:\n%s", name, diffParagraphs(got, want))
		}
		if !res.TextExtracted || res.Note != "" || res.Pages < 1 {
			t.Errorf("%s: result %+v", name, res)
		}
		if strings.Contains(res.Text, "VĂN PHÒNG CHÍNH PHỦ") {
			t.Errorf("%s: the running head was read into the body", name)
		}
	}
}

// The three samples in one long notice read back whole: the page numbers
// of every page are left out and paragraphs cut by a page are joined.
func TestPDFLong(t *testing.T) {
	t.Parallel()
	var paras []string
	for _, name := range sampleFiles {
		paras = append(paras, doctexttest.SampleParagraphs(t, samples+name)...)
	}
	pdf := doctexttest.Notice{Paragraphs: paras, RunningHead: "VĂN PHÒNG CHÍNH PHỦ"}.PDF(t)
	res, err := text(t, pdfx, pdf, doctext.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(res.Text, "\n\n"); !equalParagraphs(got, paras) {
		t.Errorf("text differs over %d pages:\n%s", res.Pages, diffParagraphs(got, paras))
	}
	if res.Pages < 6 {
		t.Errorf("only %d pages: the test proves little about page breaks", res.Pages)
	}
}

// The two columns are read one after the other although the page draws
// them line by line across the gutter.
func TestPDFTwoColumns(t *testing.T) {
	t.Parallel()
	paras := doctexttest.SampleParagraphs(t, samples+sampleFiles[2])
	left, right := paras[1:4], paras[4:6]
	pdf := doctexttest.TwoColumns(t, "BẢN TIN CHUYỂN ĐỔI SỐ", left, right)
	res, err := text(t, pdfx, pdf, doctext.PDF)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]string{"BẢN TIN CHUYỂN ĐỔI SỐ"}, left...), right...)
	if got := strings.Split(res.Text, "\n\n"); !equalParagraphs(got, want) {
		t.Errorf("columns not read in order:\n%s", diffParagraphs(got, want))
	}
}

// A PDF that writes base letters and combining marks reads back as the
// same composed text.
func TestPDFDecomposed(t *testing.T) {
	t.Parallel()
	paras := doctexttest.SampleParagraphs(t, samples+sampleFiles[0])
	composed, err := text(t, pdfx, doctexttest.Notice{Paragraphs: paras}.PDF(t), doctext.PDF)
	if err != nil {
		t.Fatal(err)
	}
	decomposed, err := text(t, pdfx, doctexttest.Notice{Paragraphs: paras, Decomposed: true}.PDF(t), doctext.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if normalised(decomposed.Text) != normalised(composed.Text) {
		t.Errorf("decomposed PDF reads\n%q\nnot\n%q", firstDiff(decomposed.Text, composed.Text), firstDiff(composed.Text, decomposed.Text))
	}
	if !strings.Contains(decomposed.Text, "Thủ tướng Chính phủ") {
		t.Errorf("decomposed text not composed: %q", decomposed.Text[:200])
	}
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-40):min(len(a), i+40)]
}

// A scan is kept: no text, no error, a note asking for the text.
func TestPDFScan(t *testing.T) {
	t.Parallel()
	res, err := text(t, pdfx, doctexttest.Scan(t, 2), doctext.PDF)
	if err != nil {
		t.Fatalf("a scan is not an error: %v", err)
	}
	if res.TextExtracted || res.Text != "" || res.Pages != 2 || !strings.Contains(res.Note, "dán nội dung") || !strings.Contains(res.Note, "paste") {
		t.Errorf("scan = %+v", res)
	}
}

// Vietnamese in a pre-Unicode font reads as gibberish: it is not passed off
// as the document's text.
func TestPDFLegacyFont(t *testing.T) {
	t.Parallel()
	res, err := text(t, pdfx, doctexttest.LegacyFontPDF(), doctext.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if res.TextExtracted || res.Text != "" || !strings.Contains(res.Note, "TCVN3") {
		t.Errorf("legacy font = %+v", res)
	}
}

// Hostile and broken PDFs end quickly in a refusal, never a panic, a hang
// or a 500. PDFium repairs some loops (an xref that is its own /Prev, a
// /Parent chain, a /Length that refers round in a circle): those read as
// the one page they hold.
func TestPDFHostile(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	lim.PDFTime = 10 * time.Second
	x := doctext.New(doctext.Config{Limits: lim, PDFCacheDir: testCacheDir()})
	t.Cleanup(func() {
		if err := x.Close(); err != nil {
			t.Error(err)
		}
	})
	notice := doctexttest.Notice{Paragraphs: []string{"Kết luận"}}.PDF(t)
	cases := []struct {
		name     string
		data     []byte
		code     doctext.Code // "" when PDFium repairs it
		repaired string
	}{
		{"page tree loop", doctexttest.LoopingPDF(t, "pages"), doctext.CodeCorrupt, ""},
		{"parent loop", doctexttest.LoopingPDF(t, "parent"), "", "Conclusion of the Prime Minister"},
		{"xref loop", doctexttest.LoopingPDF(t, "xref"), "", "Conclusion of the Prime Minister"},
		{"reference loop", doctexttest.LoopingPDF(t, "ref"), "", "Conclusion of the Prime Minister"},
		{"truncated", doctexttest.Truncated(notice), doctext.CodeCorrupt, ""},
		{"no header", []byte("hello %%EOF"), doctext.CodeCorrupt, ""},
		{"garbage body", append([]byte("%PDF-1.7\n"), append(bytes.Repeat([]byte{0x8F, 'x'}, 5000), "\n%%EOF"...)...), doctext.CodeCorrupt, ""},
		{"encrypted", doctexttest.Notice{Paragraphs: []string{"Mật"}, Password: "secret"}.PDF(t), doctext.CodeEncrypted, ""},
	}
	for _, c := range cases {
		res, err := text(t, x, c.data, doctext.PDF)
		if c.code == "" {
			if err != nil || strings.TrimSpace(res.Text) != c.repaired {
				t.Errorf("%s: %+v, %v; want it repaired to %q", c.name, res, err, c.repaired)
			}
			continue
		}
		if e := doctext.AsError(err); e == nil || e.Code != c.code || e.Class != doctext.Invalid {
			t.Errorf("%s: %+v, %v; want %s", c.name, res, err, c.code)
		}
	}
}

// The time budget stops PDFium where it is and refuses the file; the
// worker is replaced and the next file reads as usual.
func TestPDFBudget(t *testing.T) {
	t.Parallel()
	paras := doctexttest.SampleParagraphs(t, samples+sampleFiles[1])
	long := doctexttest.Notice{Paragraphs: paras, Repeat: 8}.PDF(t)
	lim := doctext.DefaultLimits()
	lim.PDFTime = time.Millisecond
	x := doctext.New(doctext.Config{Limits: lim, PDFCacheDir: testCacheDir()})
	t.Cleanup(func() {
		if err := x.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := x.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := text(t, x, long, doctext.PDF)
	if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeTooComplex {
		t.Fatalf("over the budget: %v, want file_too_complex", err)
	}
	// A request that goes away stops its PDF too, and is not the file's
	// fault. The file's reader cancels once PDFium is reading it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &cancelAfter{r: bytes.NewReader(long), reads: 3, cancel: cancel}
	_, err = pdfx.Text(ctx, r, int64(len(long)), doctext.PDF)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	res, err := text(t, pdfx, doctexttest.HelloPDF(), doctext.PDF)
	if err != nil || res.Text != "Conclusion of the Prime Minister" {
		t.Errorf("after a kill: %+v, %v", res, err)
	}
}

// PDFium's sandbox cannot grow past its memory: a PDF whose content
// inflates to more is refused, not read by taking the server's memory. With
// the default limits too.
func TestPDFMemory(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	lim.PDFMemory = 32 << 20
	x := doctext.New(doctext.Config{Limits: lim, PDFCacheDir: testCacheDir()})
	t.Cleanup(func() {
		if err := x.Close(); err != nil {
			t.Error(err)
		}
	})
	for _, c := range []struct {
		x      *doctext.Extractor
		expand int64
	}{{x, 64 << 20}, {pdfx, 200 << 20}} {
		bomb := doctexttest.PDFBomb(t, c.expand)
		if len(bomb) > 1<<20 {
			t.Fatalf("the bomb is %d bytes, not small", len(bomb))
		}
		_, err := text(t, c.x, bomb, doctext.PDF)
		if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeTooComplex {
			t.Errorf("%d MiB inflated under %d MiB: %v, want file_too_complex", c.expand>>20, c.x.Limits().PDFMemory>>20, err)
		}
	}
	// The same PDF, small, reads: the refusal is the memory's.
	res, err := text(t, x, doctexttest.PDFBomb(t, 1<<20), doctext.PDF)
	if err != nil || res.Text != "Conclusion of the Prime Minister" {
		t.Errorf("small: %+v, %v", res, err)
	}
}

// cancelAfter cancels a context on its reads-th read: the first two are
// the header and end checks, the third is PDFium's.
type cancelAfter struct {
	r      *bytes.Reader
	reads  int
	cancel context.CancelFunc
	mu     sync.Mutex
}

func (c *cancelAfter) ReadAt(p []byte, off int64) (int, error) {
	c.mu.Lock()
	c.reads--
	if c.reads == 0 {
		c.cancel()
	}
	c.mu.Unlock()
	return c.r.ReadAt(p, off)
}

// A PDF with more text than a body may hold is refused, not cut.
func TestPDFTextTooLong(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	lim.MaxText = 2000
	x := doctext.New(doctext.Config{Limits: lim, PDFCacheDir: testCacheDir()})
	t.Cleanup(func() {
		if err := x.Close(); err != nil {
			t.Error(err)
		}
	})
	paras := doctexttest.SampleParagraphs(t, samples+sampleFiles[1])
	_, err := text(t, x, doctexttest.Notice{Paragraphs: paras}.PDF(t), doctext.PDF)
	if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeTextTooLong {
		t.Errorf("%v, want file_text_too_long", err)
	}
}
