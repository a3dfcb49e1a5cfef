package doctexttest

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// Liberation Serif has the metrics of Times New Roman, the face of
// Vietnamese official documents, and every Vietnamese letter; OFL 1.1
// (testdata/OFL-LiberationSerif.txt).
//
//go:embed testdata/LiberationSerif-Regular.ttf
var serif []byte

// Notice is a one-column conclusion notice.
type Notice struct {
	Title      string
	Paragraphs []string
	// RunningHead is printed at the top of every page; page numbers are
	// printed at the bottom, centred, as bare numbers.
	RunningHead string
	// Repeat prints the paragraphs that many times (default once), to make
	// long documents.
	Repeat int
	// Decomposed writes the text in NFD: base letters followed by
	// combining marks, as some producers do, which draws the tone marks
	// apart but must read back the same once composed.
	Decomposed bool
	// Password, if set, encrypts the PDF so that it opens only with it.
	Password string
}

func newPDF() *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(time.Date(2026, 2, 25, 8, 0, 0, 0, time.UTC))
	f.SetCatalogSort(true)
	f.AddUTF8FontFromBytes("serif", "", serif)
	f.SetFont("serif", "", 13)
	f.SetMargins(30, 20, 20)
	return f
}

func output(tb testing.TB, f *fpdf.Fpdf) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		tb.Fatalf("pdf: %v", err)
	}
	return buf.Bytes()
}

// PDF writes the notice.
func (n Notice) PDF(tb testing.TB) []byte {
	tb.Helper()
	form := norm.NFC
	if n.Decomposed {
		form = norm.NFD
	}
	f := newPDF()
	if n.Password != "" {
		f.SetProtection(fpdf.CnProtectPrint, n.Password, n.Password+"-owner")
	}
	if n.RunningHead != "" {
		f.SetHeaderFunc(func() {
			f.SetFont("serif", "", 10)
			f.CellFormat(0, 6, form.String(n.RunningHead), "", 1, "C", false, 0, "")
			f.Ln(4)
			f.SetFont("serif", "", 13)
		})
	}
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont("serif", "", 11)
		f.CellFormat(0, 10, fmt.Sprint(f.PageNo()), "", 0, "C", false, 0, "")
		f.SetFont("serif", "", 13)
	})
	f.AddPage()
	if n.Title != "" {
		f.MultiCell(0, 7, form.String(n.Title), "", "C", false)
		f.Ln(4)
	}
	for range max(n.Repeat, 1) {
		for _, p := range n.Paragraphs {
			f.MultiCell(0, 6.5, form.String(p), "", "J", false)
			f.Ln(3)
		}
	}
	return output(tb, f)
}

// TwoColumns writes one page: a title across the page, then two columns
// with a 1 cm gutter. The lines are drawn row by row, left then right,
// so that only their positions tell the columns apart: a reader that
// follows the drawing order reads across the gutter.
func TwoColumns(tb testing.TB, title string, left, right []string) []byte {
	tb.Helper()
	f := newPDF()
	f.SetAutoPageBreak(false, 0)
	f.AddPage()
	f.SetFont("serif", "", 15)
	f.MultiCell(0, 8, norm.NFC.String(title), "", "C", false)
	top := f.GetY() + 6
	f.SetFont("serif", "", 12)
	const lineH, gap, colW = 6.0, 3.0, 75.0
	x := [2]float64{30, 30 + colW + 10}
	type line struct {
		text string
		y    float64
	}
	var cols [2][]line
	for c, paras := range [2][]string{left, right} {
		y := top
		for _, p := range paras {
			for _, l := range f.SplitText(norm.NFC.String(p), colW) {
				cols[c] = append(cols[c], line{l, y})
				y += lineH
			}
			y += gap
		}
	}
	for i := 0; i < max(len(cols[0]), len(cols[1])); i++ {
		for c := range cols {
			if i < len(cols[c]) {
				f.SetXY(x[c], cols[c][i].y)
				f.CellFormat(colW, lineH, cols[c][i].text, "", 0, "L", false, 0, "")
			}
		}
	}
	return output(tb, f)
}

// Scan writes pages that are only images, as a scanner makes them: no
// text layer at all.
func Scan(tb testing.TB, pages int) []byte {
	tb.Helper()
	f := newPDF()
	img := PNG(tb, 620, 877)
	f.RegisterImageOptionsReader("page", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
	for range pages {
		f.AddPage()
		f.ImageOptions("page", 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	return output(tb, f)
}

// PNG draws a grey page with dark bars where lines of text would be.
func PNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := uint8(245)
			if y%24 < 9 && x > w/8 && x < w*7/8 && y > h/10 && y < h*9/10 {
				c = 40
			}
			m.SetGray(x, y, color.Gray{Y: c})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		tb.Fatalf("png: %v", err)
	}
	return buf.Bytes()
}
