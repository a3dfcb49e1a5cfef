package doctexttest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash"
	"hash/adler32"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Bomb describes a zip bomb dressed as an Office package: a small file
// whose main part expands to Expand bytes of spaces inside valid XML.
type Bomb struct {
	Kind   string // "docx" or "xlsx"
	Expand int64  // bytes the main part really expands to
	// LieAbout makes the headers claim the part is this small, so that
	// only counting the bytes as they stream catches it; 0 tells the truth.
	LieAbout int64
}

// deflated compresses data as a byte-aligned segment that later segments
// can follow: a fresh compressor refers to nothing before it.
func deflated(tb testing.TB, data []byte, final bool) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if final {
		err = w.Close()
	} else {
		err = w.Flush()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// Zip writes the bomb.
func (b Bomb) Zip(tb testing.TB) []byte {
	tb.Helper()
	var mainName, mainType, open, close string
	switch b.Kind {
	case "docx":
		mainName, mainType = "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
		open = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">`
		close = `</w:t></w:r></w:p></w:body></w:document>`
	case "xlsx":
		mainName, mainType = "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
		open = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/><!--`
		close = `--></workbook>`
	default:
		tb.Fatalf("bomb of kind %q", b.Kind)
	}
	crc := crc32.NewIEEE()
	stream := inflating(tb, open, b.Expand-int64(len(open)+len(close)), close, crc)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			tb.Fatal(err)
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/`+mainName+`" ContentType="`+mainType+`"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="`+mainName+`"/></Relationships>`)
	size := uint64(b.Expand)
	if b.LieAbout > 0 {
		size = uint64(b.LieAbout)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: mainName, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(len(stream)), UncompressedSize64: size,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(stream); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// inflating returns a deflate stream of head, fill spaces and tail, and
// writes what it inflates to into sum (a CRC-32 for zip, an Adler-32 for
// zlib). The spaces are one compressed megabyte
// repeated, so that a stream of hundreds of megabytes costs milliseconds
// to make and a few hundred kilobytes to hold.
func inflating(tb testing.TB, head string, fill int64, tail string, sum hash.Hash32) []byte {
	tb.Helper()
	const mib = 1 << 20
	chunk := bytes.Repeat([]byte(" "), mib)
	one := deflated(tb, chunk, false)
	var stream bytes.Buffer
	write := func(data, compressed []byte) {
		stream.Write(compressed)
		sum.Write(data)
	}
	write([]byte(head), deflated(tb, []byte(head), false))
	for ; fill >= mib; fill -= mib {
		write(chunk, one)
	}
	write(chunk[:fill], deflated(tb, chunk[:fill], false))
	write([]byte(tail), deflated(tb, []byte(tail), true))
	return stream.Bytes()
}

// ManyEntries writes a .docx-looking zip with n tiny entries besides its
// parts: a bomb by count rather than by size.
func ManyEntries(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("word/media/x%d", i), Method: zip.Store})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte("x")); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// XLSX writes a real workbook with excelize, a few Vietnamese rows on it.
func XLSX(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Cơ quan", "Nhiệm vụ", "Tiến độ (%)"}, {"Bộ Y tế", "Hồ sơ sức khỏe điện tử", 80}, {"Bộ Công an", "Định danh điện tử", 95}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// ODT writes a minimal OpenDocument text: its media type stored first,
// a manifest and the content.
func ODT(tb testing.TB, text string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write([]byte("application/vnd.oasis.opendocument.text")); err != nil {
		tb.Fatal(err)
	}
	for name, content := range map[string]string{
		"META-INF/manifest.xml": `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
		"content.xml":           `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>` + escape(text) + `</text:p></office:text></office:body></office:document-content>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// OLE writes the start of an OLE compound file, what Word 97–2003 saves a
// .doc as (and what an encrypted .docx is wrapped in): the signature, the
// header that follows, and empty sectors.
func OLE() []byte {
	b := make([]byte, 1536)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	copy(b[0x18:], []byte{0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00, 0x06, 0x00})
	return b
}

// Truncated returns the first half of a file, as a transfer cut short
// leaves it.
func Truncated(b []byte) []byte { return bytes.Clone(b[:len(b)/2]) }

// rawPDF writes objects 1…n with a correct cross-reference table; with
// selfPrev the trailer's /Prev points back at that same table.
func rawPDF(objs []string, selfPrev bool) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	prev := ""
	if selfPrev {
		prev = fmt.Sprintf(" /Prev %d", xref)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, prev, xref)
	return b.Bytes()
}

const helloPage = "BT /F1 24 Tf 72 720 Td (Conclusion of the Prime Minister) Tj ET"

var helloObjs = []string{
	"<< /Type /Catalog /Pages 2 0 R >>",
	"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
	fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(helloPage), helloPage),
	"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
}

// LoopingPDF writes a PDF that loops on itself, in one of four ways:
// "pages" (a page tree whose kid is its own parent), "parent" (a page's
// /Parent chain that cycles), "xref" (a trailer whose /Prev is its own
// cross-reference table) or "ref" (objects that refer to each other for a
// stream's /Length).
func LoopingPDF(tb testing.TB, how string) []byte {
	tb.Helper()
	objs := append([]string(nil), helloObjs...)
	switch how {
	case "pages":
		objs[1] = "<< /Type /Pages /Kids [6 0 R] /Count 5 >>"
		objs = append(objs, "<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 5 >>")
	case "parent":
		objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>"
	case "xref":
		return rawPDF(objs, true)
	case "ref":
		objs[3] = fmt.Sprintf("<< /Length 6 0 R >>\nstream\n%s\nendstream", helloPage)
		objs = append(objs, "7 0 R", "6 0 R")
	default:
		tb.Fatalf("no looping PDF %q", how)
	}
	return rawPDF(objs, false)
}

// HelloPDF is the same small PDF without any loop: one page saying "Conclusion of the Prime Minister".
func HelloPDF() []byte { return rawPDF(helloObjs, false) }

// LegacyFontPDF writes a page of Vietnamese in a pre-Unicode font
// encoding (TCVN3, as .VnTime fonts use): the bytes are TCVN3, the font
// claims WinAnsi, and the text read back is Latin-1 gibberish such as
// "KÕt luËn".
func LegacyFontPDF() []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for range 20 {
		// "Kết luận của Thủ tướng Chính phủ" in TCVN3.
		content.WriteString(`(K\325t lu\313n c\363a Th\361 t\255\355ng Ch\335nh ph\361) '` + "\n")
	}
	content.WriteString("ET")
	objs := append([]string(nil), helloObjs...)
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String())
	objs[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	return rawPDF(objs, false)
}

// PDFBomb writes a one-page PDF whose content stream, a few hundred
// kilobytes of Flate, inflates to expand bytes: reading its text makes
// PDFium hold the whole stream.
func PDFBomb(tb testing.TB, expand int64) []byte {
	tb.Helper()
	const text = "BT /F1 24 Tf 72 720 Td (Conclusion of the Prime Minister) Tj ET\n"
	adler := adler32.New()
	stream := inflating(tb, text, expand-int64(len(text)), "\n", adler)
	// FlateDecode is zlib: a header, the deflate stream, its Adler-32.
	var z bytes.Buffer
	z.Write([]byte{0x78, 0xDA})
	z.Write(stream)
	z.Write(adler.Sum(nil))
	objs := append([]string(nil), helloObjs...)
	objs[3] = fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String())
	return rawPDF(objs, false)
}
