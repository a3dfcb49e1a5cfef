package doctext_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/workflow/doctext"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

const samples = "../extract/testdata/samples/"

var sampleFiles = []string{
	"2021-11-30-ubqg-cds-phien-1.txt",
	"2022-04-27-ubqg-cds-phien-2.txt",
	"2022-08-08-ubqg-cds-phien-3.txt",
}

func text(t *testing.T, x *doctext.Extractor, data []byte, kind doctext.Kind) (doctext.Result, error) {
	t.Helper()
	return x.Text(context.Background(), bytes.NewReader(data), int64(len(data)), kind)
}

// A sample conclusion typed into Word reads back paragraph for paragraph,
// the header table first, cell by cell, and nothing of the page header or
// footer.
func TestDOCXSamples(t *testing.T) {
	t.Parallel()
	for _, name := range sampleFiles {
		paras := doctexttest.SampleParagraphs(t, samples+name)
		doc := doctexttest.Doc{
			Header: "VĂN PHÒNG CHÍNH PHỦ — đầu trang",
			Footer: "Trang ",
			Blocks: append([]doctexttest.Block{doctexttest.Table(
				[]string{"VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
				[]string{"Số: 45/TB-VPCP", "Hà Nội, ngày 25 tháng 02 năm 2026"},
			)}, doctexttest.Paragraphs(paras)...),
		}
		res, err := text(t, pdfx, doc.DOCX(t), doctext.DOCX)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := append([]string{"VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 45/TB-VPCP", "Hà Nội, ngày 25 tháng 02 năm 2026"}, paras...)
		if got := strings.Split(res.Text, "\n\n"); !equalParagraphs(got, want) {
			t.Errorf("%s: text differs:\n%s", name, diffParagraphs(got, want))
		}
		if !res.TextExtracted || res.Note != "" || res.Pages != 0 {
			t.Errorf("%s: result = %+v", name, res)
		}
		if strings.Contains(res.Text, "đầu trang") || strings.Contains(res.Text, "Trang") {
			t.Errorf("%s: header or footer read into the body", name)
		}
	}
}

// What Word stores besides plain runs: revisions, fields, tabs and
// breaks, hidden text, a text box drawn twice (DrawingML and its VML
// fallback), decomposed letters, content controls.
func TestDOCXMarkup(t *testing.T) {
	t.Parallel()
	doc := doctexttest.Doc{Blocks: []doctexttest.Block{
		doctexttest.RawP(`<w:r><w:t>Giao </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>Bộ Tài chính </w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>Bộ Y tế </w:t></w:r></w:ins><w:r><w:t>chủ trì.</w:t></w:r>`),
		doctexttest.RawP(`<w:moveFrom w:id="3" w:author="A"><w:r><w:t>Câu đã chuyển đi.</w:t></w:r></w:moveFrom>`),
		doctexttest.RawP(`<w:r><w:t xml:space="preserve">Xem trang </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r>`),
		doctexttest.P("Cột 1\tCột 2\nDòng mới"),
		doctexttest.RawP(`<w:r><w:t xml:space="preserve">Thấy </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn </w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>hiện</w:t></w:r>`),
		doctexttest.RawP(`<w:r><w:t>Đoạn có hộp chữ.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Chữ trong hộp.</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Chữ trong hộp.</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>`),
		doctexttest.RawP("<w:r><w:t>Thu\u0309 tu\u031bo\u031b\u0301ng</w:t></w:r>"),
		doctexttest.RawP(""),
		doctexttest.Block{},
	}}
	data := doc.DOCX(t)
	// Content controls wrap paragraphs at body level.
	data = rewriteDocument(t, data, "</w:body>", `<w:sdt><w:sdtPr><w:alias w:val="Nơi nhận"/><w:placeholder><w:docPart w:val="X"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Nơi nhận: Bộ Y tế.</w:t></w:r></w:p></w:sdtContent></w:sdt></w:body>`)
	res, err := text(t, pdfx, data, doctext.DOCX)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Giao Bộ Y tế chủ trì.",
		"Xem trang 3.",
		"Cột 1\tCột 2\nDòng mới",
		"Thấy hiện",
		"Đoạn có hộp chữ.",
		"Chữ trong hộp.",
		"Thủ tướng",
		"Nơi nhận: Bộ Y tế.",
	}
	if got := strings.Split(res.Text, "\n\n"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("text = %q\nwant   %q", got, want)
	}
}

func TestDOCXEmpty(t *testing.T) {
	t.Parallel()
	res, err := text(t, pdfx, doctexttest.Doc{}.DOCX(t), doctext.DOCX)
	if err != nil || res.TextExtracted || res.Text != "" || res.Note == "" {
		t.Errorf("empty docx = %+v, %v; want no text and a note", res, err)
	}
}

func TestTXT(t *testing.T) {
	t.Parallel()
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range "Kết luận\r\nThủ tướng" {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	cases := map[string][]byte{
		"utf-8":     []byte("Kết luận\r\nThu\u0309 tu\u031bo\u031b\u0301ng\n"),
		"utf-8 bom": []byte("\uFEFFKết luận\nThủ tướng"),
		"utf-16":    utf16le,
	}
	for name, data := range cases {
		res, err := text(t, pdfx, data, doctext.TXT)
		if err != nil || res.Text != "Kết luận\nThủ tướng" || !res.TextExtracted {
			t.Errorf("%s: %+v, %v", name, res, err)
		}
	}
	// TCVN3, the pre-Unicode Vietnamese encoding: "Kết luận" is not UTF-8.
	_, err := text(t, pdfx, []byte("K\xd5t lu\xb6n"), doctext.TXT)
	if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeTextEncoding {
		t.Errorf("TCVN3 text: %v, want file_text_encoding", err)
	}
	lim := doctext.DefaultLimits()
	lim.MaxText = 10
	_, err = doctext.New(doctext.Config{Limits: lim}).Text(context.Background(), strings.NewReader("0123456789A"), 11, doctext.TXT)
	if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeTextTooLong {
		t.Errorf("long text: %v, want file_text_too_long", err)
	}
}
