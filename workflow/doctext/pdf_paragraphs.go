package doctext

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pdfLayout is a PDF's text, laid out: paragraphs, and which pages had a
// text layer once running heads and page numbers were left out.
type pdfLayout struct {
	text     string
	textless []int // 1-based numbers of pages without text
	garbled  bool
}

// minPageLetters is how many letters make a page one with text: a scan
// stamped with a line of text (a signature's note, a file number) is still a
// scan.
const minPageLetters = 20

// layoutPDF turns each page's frags into the document's paragraphs.
func layoutPDF(pages [][]*frag, maxText int) (pdfLayout, error) {
	dropRunning(pages)
	var lay pdfLayout
	var all []placed
	for i, fs := range pages {
		letters := 0
		for _, f := range fs {
			for _, r := range f.text {
				if unicode.IsLetter(r) {
					letters++
				}
			}
		}
		if letters < minPageLetters {
			lay.textless = append(lay.textless, i+1)
		}
		for _, f := range readingOrder(fs) {
			all = append(all, placed{f, i})
		}
	}
	out := newParagraphs(maxText)
	pitch := medianPitch(all)
	var cur strings.Builder
	for i, p := range all {
		if i > 0 && breaksBefore(all[i-1], p, pitch) {
			if err := out.add(cur.String()); err != nil {
				return lay, err
			}
			cur.Reset()
		}
		joinLine(&cur, p.text)
	}
	if err := out.add(cur.String()); err != nil {
		return lay, err
	}
	lay.text = out.String()
	lay.garbled = garbled(lay.text)
	return lay, nil
}

type placed struct {
	*frag
	page int
}

var pageNumber = regexp.MustCompile(`(?i)^[-–—(\[]?\s*(trang|page)?\s*\d{1,4}\s*((/|của|of|trên)\s*\d{1,4})?\s*[-–—)\]]?$`)

// dropRunning removes, from the top and bottom two lines of each page, bare
// page numbers and lines that repeat there on at least half the pages (a
// running head or foot; digits are ignored so that "Trang 3/20" repeats).
func dropRunning(pages [][]*frag) {
	edges := make([][]*frag, len(pages))
	seen := map[string]int{}
	for i, fs := range pages {
		edges[i] = edgeLines(fs)
		onPage := map[string]bool{}
		for _, f := range edges[i] {
			onPage[runningKey(f.text)] = true
		}
		for k := range onPage {
			seen[k]++
		}
	}
	need := max(2, int(math.Ceil(float64(len(pages))/2)))
	for i, fs := range pages {
		drop := map[*frag]bool{}
		for _, f := range edges[i] {
			if pageNumber.MatchString(f.text) || (len(pages) > 1 && seen[runningKey(f.text)] >= need) {
				drop[f] = true
			}
		}
		kept := fs[:0]
		for _, f := range fs {
			if !drop[f] {
				kept = append(kept, f)
			}
		}
		pages[i] = kept
	}
}

// edgeLines returns the frags of the two highest and the two lowest
// baselines of a page.
func edgeLines(fs []*frag) []*frag {
	var bases []float64
	for _, f := range fs {
		bases = append(bases, f.base)
	}
	slices.Sort(bases)
	bases = slices.Compact(bases)
	var out []*frag
	for _, f := range fs {
		i, _ := slices.BinarySearch(bases, f.base)
		if i < 2 || i >= len(bases)-2 {
			out = append(out, f)
		}
	}
	return out
}

func runningKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '#'
		}
		return unicode.ToLower(r)
	}, strings.Join(strings.Fields(s), " "))
}

// medianPitch is the usual distance between the baselines of a column's
// consecutive lines.
func medianPitch(all []placed) float64 {
	var ps []float64
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.page == b.page && a.col == b.col && a.base > b.base {
			ps = append(ps, a.base-b.base)
		}
	}
	return median(ps)
}

// breaksBefore says whether b begins a paragraph after a: a new column or
// page that does not continue a's line, a wider space between lines, a
// first-line indent, or a short line before it (one that the next line's
// first word would have fitted on, so the author broke it).
func breaksBefore(a, b placed, pitch float64) bool {
	h := max(a.height(), b.height())
	indented := func(p placed) float64 { return p.x0 - p.col.x0 }
	full := a.col.x1-a.x1 < b.firstWord+0.5*h
	if a.page != b.page {
		return !full || indented(b) > 0.8*h || endsSentence(a.text)
	}
	if a.col != b.col || b.base >= a.base {
		return true
	}
	if pitch > 0 && a.base-b.base > 1.25*pitch {
		return true
	}
	if ind := indented(b); ind > 0.8*h && ind < 6*h && indented(a) < ind-0.5*h {
		return true
	}
	return !full
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, `"”’)»`))
	return strings.ContainsRune(".:;!?…", r)
}

// joinLine adds a line to a paragraph: after a space, or straight after a
// hyphen that joins two words or numbers ("30-" and "11").
func joinLine(b *strings.Builder, line string) {
	if b.Len() == 0 {
		b.WriteString(line)
		return
	}
	prev := b.String()
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(line)
	beforeHyphen, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(prev, "-"))
	if last == '-' && isWordRune(beforeHyphen) && isWordRune(first) {
		b.WriteString(line)
		return
	}
	b.WriteByte(' ')
	b.WriteString(line)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// garbled says whether text extracted from a PDF is not the words on the
// page: glyphs that map to no Unicode (U+FFFD, private use, controls), or
// Vietnamese in a pre-Unicode font (TCVN3, VNI), which comes out as Latin-1
// signs and letters that Vietnamese never uses.
func garbled(text string) bool {
	letters, bad := 0, 0
	for _, r := range text {
		switch {
		case r == utf8.RuneError || unicode.Is(unicode.Co, r) || (unicode.IsControl(r) && r != '\n' && r != '\t'):
			bad++
		case r >= 0xA1 && r <= 0xBF && r != 0xAB && r != 0xBB && r != 0xB0 && r != 0xA7:
			bad++ // ¡…¿ but « » ° §, which Vietnamese text does use
		case r >= 0xC0 && r <= 0xFF && !strings.ContainsRune(vietnameseLatin1, r):
			bad++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return bad > 0 && float64(bad) > 0.03*float64(letters+bad)
}

// vietnameseLatin1 are the Latin-1 letters Vietnamese writes.
const vietnameseLatin1 = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý"

func (l pdfLayout) note(pages int) string {
	switch {
	case l.garbled:
		return "Chữ trong tệp PDF dùng phông chữ không theo Unicode (ví dụ TCVN3, VNI) nên không đọc được: hãy dán nội dung văn bản. — The PDF's fonts do not map to Unicode (e.g. TCVN3 or VNI), so its text cannot be read: paste the document's text."
	case len(l.textless) == pages:
		return "Tệp PDF không có lớp chữ (có thể là bản quét): hãy dán nội dung văn bản. — The PDF has no text layer (it is probably a scan): paste the document's text."
	case len(l.textless) > 0:
		list := fmt.Sprint(l.textless)
		list = strings.ReplaceAll(strings.Trim(list, "[]"), " ", ", ")
		return fmt.Sprintf("Các trang %s không có lớp chữ (có thể là bản quét); nội dung các trang đó cần được nhập thêm. — Pages %s have no text layer (probably scanned); their text must be added by hand.", list, list)
	}
	return ""
}
