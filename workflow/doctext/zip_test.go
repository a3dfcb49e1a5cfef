package doctext_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/dondoc/dondoc/workflow/doctext"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

// Zip bombs dressed as .docx and .xlsx are refused, whether their headers
// tell the truth (refused before a byte is inflated) or lie (refused while
// inflating), and reading them costs little.
func TestZipBombs(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	cases := []struct {
		name string
		bomb doctexttest.Bomb
		code doctext.Code
	}{
		{"docx past the total", doctexttest.Bomb{Kind: "docx", Expand: 300 << 20}, doctext.CodeTooLarge},
		{"docx past the ratio", doctexttest.Bomb{Kind: "docx", Expand: 50 << 20}, doctext.CodeTooLarge},
		{"docx that lies", doctexttest.Bomb{Kind: "docx", Expand: 300 << 20, LieAbout: 4 << 10}, doctext.CodeCorrupt},
		{"xlsx past the total", doctexttest.Bomb{Kind: "xlsx", Expand: 300 << 20}, doctext.CodeTooLarge},
		{"xlsx that lies", doctexttest.Bomb{Kind: "xlsx", Expand: 300 << 20, LieAbout: 2 << 20}, doctext.CodeCorrupt},
	}
	for _, c := range cases {
		data := c.bomb.Zip(t)
		if len(data) > 1<<20 {
			t.Fatalf("%s: the bomb is %d bytes, not small", c.name, len(data))
		}
		name := "bom." + c.bomb.Kind
		kind, err := doctext.Sniff(head(data), name, doctext.Attachment)
		if err != nil {
			t.Fatalf("%s: a bomb must pass the sniff and be caught inside: %v", c.name, err)
		}
		err = doctext.Check(bytes.NewReader(data), int64(len(data)), kind, lim)
		if e := doctext.AsError(err); e == nil || e.Code != c.code || e.Class != doctext.Invalid {
			t.Errorf("%s: Check = %v, want %s", c.name, err, c.code)
		}
		if kind == doctext.DOCX {
			_, err := text(t, pdfx, data, kind)
			if e := doctext.AsError(err); e == nil || e.Code != c.code {
				t.Errorf("%s: Text = %v, want %s", c.name, err, c.code)
			}
		}
	}
}

// The guard while inflating, alone: with the header's sizes within the
// limits, it is the count of bytes that stops the entry.
func TestZipStreamingLimit(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	lim.MaxEntrySize = 1 << 20
	lim.MaxRatio = 1 << 40
	data := doctexttest.Bomb{Kind: "docx", Expand: 8 << 20, LieAbout: 1 << 20}.Zip(t)
	err := doctext.Check(bytes.NewReader(data), int64(len(data)), doctext.DOCX, lim)
	if e := doctext.AsError(err); e == nil || (e.Code != doctext.CodeTooLarge && e.Code != doctext.CodeCorrupt) {
		t.Errorf("Check = %v, want a refusal", err)
	}
}

func TestZipTooManyEntries(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	data := doctexttest.ManyEntries(t, lim.MaxEntries+1)
	err := doctext.Check(bytes.NewReader(data), int64(len(data)), doctext.DOCX, lim)
	if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeTooLarge {
		t.Errorf("Check = %v, want file_expands_too_much", err)
	}
	// Under the count, the same zip is refused for what it is: no package.
	data = doctexttest.ManyEntries(t, 10)
	err = doctext.Check(bytes.NewReader(data), int64(len(data)), doctext.DOCX, lim)
	if e := doctext.AsError(err); e == nil || e.Code != doctext.CodeCorrupt {
		t.Errorf("Check = %v, want file_corrupt", err)
	}
}

// Real files of every attachment type pass; broken ones are refused, each
// with a refusal and not a failure of dondoc's own.
func TestCheck(t *testing.T) {
	t.Parallel()
	lim := doctext.DefaultLimits()
	docx := doctexttest.Doc{Blocks: []doctexttest.Block{doctexttest.P("Báo cáo")}}.DOCX(t)
	pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo"}}.PDF(t)
	good := map[doctext.Kind][]byte{
		doctext.DOCX: docx,
		doctext.XLSX: doctexttest.XLSX(t),
		doctext.ODT:  doctexttest.ODT(t, "Báo cáo"),
		doctext.PDF:  pdf,
		doctext.PNG:  doctexttest.PNG(t, 40, 30),
	}
	for kind, data := range good {
		if err := doctext.Check(bytes.NewReader(data), int64(len(data)), kind, lim); err != nil {
			t.Errorf("Check(%s) = %v", kind, err)
		}
	}
	bad := []struct {
		name string
		kind doctext.Kind
		data []byte
		code doctext.Code
	}{
		{"half a docx", doctext.DOCX, doctexttest.Truncated(docx), doctext.CodeCorrupt},
		{"half a pdf", doctext.PDF, doctexttest.Truncated(pdf), doctext.CodeCorrupt},
		{"docx as xlsx", doctext.XLSX, docx, doctext.CodeTypeMismatch},
		{"xlsx as docx", doctext.DOCX, doctexttest.XLSX(t), doctext.CodeTypeMismatch},
		{"odt as ods", doctext.ODS, doctexttest.ODT(t, "x"), doctext.CodeTypeMismatch},
		{"half a png", doctext.PNG, doctexttest.Truncated(doctexttest.PNG(t, 40, 30))[:20], doctext.CodeCorrupt},
		{"huge png", doctext.PNG, hugePNGHeader(t), doctext.CodeTooLarge},
	}
	for _, c := range bad {
		err := doctext.Check(bytes.NewReader(c.data), int64(len(c.data)), c.kind, lim)
		if e := doctext.AsError(err); e == nil || e.Code != c.code {
			t.Errorf("%s: Check = %v, want %s", c.name, err, c.code)
		}
	}
}

// hugePNGHeader is the start of a PNG that claims 50000×50000 pixels.
func hugePNGHeader(t *testing.T) []byte {
	b := doctexttest.PNG(t, 1, 1)
	// IHDR follows the 8-byte signature: length, type, width, height…,
	// then its CRC over type and data.
	copy(b[16:], []byte{0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50})
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// Reading hostile files leaves nothing behind in the temporary directory.
func TestNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	data := doctexttest.Bomb{Kind: "docx", Expand: 300 << 20, LieAbout: 4 << 10}.Zip(t)
	if _, err := text(t, pdfx, data, doctext.DOCX); err == nil {
		t.Fatal("a bomb was read")
	}
	loop := doctexttest.LoopingPDF(t, "pages")
	if _, err := text(t, pdfx, loop, doctext.PDF); err == nil {
		t.Fatal("a looping PDF was read")
	}
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left behind: %s", filepath.Join(dir, e.Name()))
	}
}
