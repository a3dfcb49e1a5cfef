package doctext_test

import (
	"strings"
	"testing"

	"github.com/dondoc/dondoc/workflow/doctext"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

func head(b []byte) []byte { return b[:min(len(b), doctext.SniffLen)] }

func TestSniff(t *testing.T) {
	t.Parallel()
	docx := doctexttest.Doc{Blocks: []doctexttest.Block{doctexttest.P("Kết luận")}}.DOCX(t)
	pdf := doctexttest.Notice{Paragraphs: []string{"Thông báo"}}.PDF(t)
	png := doctexttest.PNG(t, 20, 20)
	xlsx := doctexttest.XLSX(t)
	odt := doctexttest.ODT(t, "Báo cáo")
	txt := []byte("Thủ tướng Chính phủ yêu cầu các bộ, ngành…\n")
	ok := []struct {
		name string
		data []byte
		use  doctext.Use
		want doctext.Kind
	}{
		{"Kết luận.docx", docx, doctext.Source, doctext.DOCX},
		{"KẾT LUẬN.DOCX", docx, doctext.Source, doctext.DOCX},
		{"kl.pdf", pdf, doctext.Source, doctext.PDF},
		{"kl.txt", txt, doctext.Source, doctext.TXT},
		{"bc.pdf", pdf, doctext.Attachment, doctext.PDF},
		{"bc.docx", docx, doctext.Attachment, doctext.DOCX},
		{"phu-luc.xlsx", xlsx, doctext.Attachment, doctext.XLSX},
		{"bc.odt", odt, doctext.Attachment, doctext.ODT},
		{"anh.png", png, doctext.Attachment, doctext.PNG},
	}
	for _, c := range ok {
		got, err := doctext.Sniff(head(c.data), c.name, c.use)
		if err != nil || got != c.want {
			t.Errorf("Sniff(%s) = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	refused := []struct {
		name  string
		data  []byte
		use   doctext.Use
		code  doctext.Code
		class doctext.Class
		says  string // a word the message must hold
	}{
		{"cu.doc", doctexttest.OLE(), doctext.Source, doctext.CodeLegacyOffice, doctext.Unsupported, ".docx"},
		{"cu.docx", doctexttest.OLE(), doctext.Source, doctext.CodeLegacyOffice, doctext.Unsupported, "PDF"},
		{"cu.xls", doctexttest.OLE(), doctext.Attachment, doctext.CodeLegacyOffice, doctext.Unsupported, ".xlsx"},
		{"kl.docx", png, doctext.Source, doctext.CodeTypeMismatch, doctext.Invalid, ".png"},
		{"kl.pdf", docx, doctext.Source, doctext.CodeTypeMismatch, doctext.Invalid, ".docx"},
		{"anh.jpg", png, doctext.Attachment, doctext.CodeTypeMismatch, doctext.Invalid, ".png"},
		{"kl.txt", png, doctext.Source, doctext.CodeTypeMismatch, doctext.Invalid, ".png"},
		{"phu-luc.xlsx", xlsx, doctext.Source, doctext.CodeTypeUnsupported, doctext.Unsupported, ".docx"},
		{"anh.png", png, doctext.Source, doctext.CodeTypeUnsupported, doctext.Unsupported, ".pdf"},
		{"kl.txt", txt, doctext.Attachment, doctext.CodeTypeUnsupported, doctext.Unsupported, ".xlsx"},
		{"virus.exe", []byte("MZ\x90\x00"), doctext.Attachment, doctext.CodeTypeUnsupported, doctext.Unsupported, ".exe"},
		{"khongduoi", pdf, doctext.Source, doctext.CodeTypeUnsupported, doctext.Unsupported, "no extension"},
		{"rong.pdf", nil, doctext.Source, doctext.CodeCorrupt, doctext.Invalid, "empty"},
		{"../kl.pdf", pdf, doctext.Source, doctext.CodeNameInvalid, doctext.Invalid, "/"},
	}
	for _, c := range refused {
		_, err := doctext.Sniff(head(c.data), c.name, c.use)
		e := doctext.AsError(err)
		if e == nil || e.Code != c.code || e.Class != c.class || !strings.Contains(e.Message, c.says) {
			t.Errorf("Sniff(%s) = %v; want %s (%d) saying %q", c.name, err, c.code, c.class, c.says)
		}
	}
}

// The refusal of a .doc tells the secretariat what to do, in Vietnamese,
// and integrators in English.
func TestSniffDocMessage(t *testing.T) {
	t.Parallel()
	_, err := doctext.Sniff(doctexttest.OLE(), "Thông báo.doc", doctext.Source)
	msg := err.Error()
	for _, want := range []string{"không được nhận", "lưu lại thành .docx", "are not accepted", "save it as .docx"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
