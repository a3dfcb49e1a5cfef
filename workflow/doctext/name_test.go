package doctext_test

import (
	"strings"
	"testing"

	"github.com/dondoc/dondoc/workflow/doctext"
)

func TestCleanName(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"Thông báo kết luận.docx":               "Thông báo kết luận.docx",
		"  báo cáo.pdf ":                        "báo cáo.pdf",
		"Thu\u0309 tu\u031bo\u031b\u0301ng.pdf": "Thủ tướng.pdf", // NFD in, NFC out
		"a.b.c.xlsx":                            "a.b.c.xlsx",
	}
	for in, want := range good {
		got, err := doctext.CleanName(in)
		if err != nil || got != want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "   ", "../etc/passwd", "a/b.pdf", `C:\x\y.docx`, "..", "báo cáo..pdf",
		"bad\x00.pdf", "tab\there.pdf", "new\nline.pdf", "gpj\u202Eexe.pdf", "bom\uFEFF.pdf",
		strings.Repeat("ư", 128) + ".pdf", "\xff\xfe.pdf",
	}
	for _, in := range bad {
		_, err := doctext.CleanName(in)
		e := doctext.AsError(err)
		if e == nil || e.Code != doctext.CodeNameInvalid || e.Class != doctext.Invalid {
			t.Errorf("CleanName(%q) = %v, want a file_name_invalid refusal", in, err)
		}
	}
}
