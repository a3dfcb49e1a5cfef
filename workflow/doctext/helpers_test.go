package doctext_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// normalised collapses whitespace.
func normalised(s string) string { return strings.Join(strings.Fields(s), " ") }

// equalParagraphs compares byte for byte. The files are written from the
// samples with whitespace collapsed (the samples hold no-break spaces and
// line breaks inside paragraphs, which a page does not keep), so the text
// read back must be exactly what was written.
func equalParagraphs(got, want []string) bool {
	return strings.Join(got, "\x00") == strings.Join(want, "\x00")
}

// diffParagraphs names the first paragraphs that differ.
func diffParagraphs(got, want []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d paragraphs, want %d\n", len(got), len(want))
	shown := 0
	for i := 0; i < max(len(got), len(want)) && shown < 3; i++ {
		var g, w string
		if i < len(got) {
			g = normalised(got[i])
		}
		if i < len(want) {
			w = normalised(want[i])
		}
		if g != w {
			fmt.Fprintf(&b, "#%d got  %q\n#%d want %q\n", i, g, i, w)
			shown++
		}
	}
	return b.String()
}

// rewriteDocument replaces old by new in word/document.xml of a .docx.
func rewriteDocument(t *testing.T, docx []byte, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "word/document.xml" {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("document.xml has no %q", old)
			}
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
