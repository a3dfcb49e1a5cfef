// Package doctexttest writes real files for the tests of uploads: .docx
// packages of WordprocessingML, PDFs from fpdf with Vietnamese text in an
// embedded TTF, images, and hostile files (zip bombs, looping and truncated
// PDFs, files whose bytes lie about their type).
package doctexttest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Doc is a Word document: body blocks in order, and a header and a footer
// that live in their own parts, as Word writes them.
type Doc struct {
	Header, Footer string
	Blocks         []Block
}

// A Block is a body element: a paragraph or a table.
type Block struct{ xml string }

// P is a paragraph of plain runs; a tab in text becomes w:tab and a newline
// w:br.
func P(text string) Block { return Block{"<w:p>" + runs(text) + "</w:p>"} }

// RawP is a paragraph whose inner XML is given as is: revisions, fields,
// hidden runs, text boxes.
func RawP(inner string) Block { return Block{"<w:p>" + inner + "</w:p>"} }

// Table is a table of one paragraph per cell.
func Table(rows ...[]string) Block {
	var b strings.Builder
	b.WriteString("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid/>")
	for _, row := range rows {
		b.WriteString("<w:tr>")
		for _, cell := range row {
			b.WriteString("<w:tc><w:tcPr><w:tcW w:w=\"4500\" w:type=\"dxa\"/></w:tcPr>")
			b.WriteString(P(cell).xml)
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return Block{b.String()}
}

// Paragraphs returns one plain paragraph per string.
func Paragraphs(texts []string) []Block {
	out := make([]Block, len(texts))
	for i, t := range texts {
		out[i] = P(t)
	}
	return out
}

// runs writes text as runs, NFC first: Word stores what was typed, and a
// Vietnamese keyboard types composed letters.
func runs(text string) string {
	var b strings.Builder
	for i, line := range strings.Split(norm.NFC.String(text), "\n") {
		if i > 0 {
			b.WriteString("<w:r><w:br/></w:r>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:r><w:tab/></w:r>")
			}
			if part != "" {
				b.WriteString(`<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">`)
				b.WriteString(escape(part))
				b.WriteString("</w:t></w:r>")
			}
		}
	}
	return b.String()
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const (
	wNS   = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"`
	xmlPI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// DOCX writes the document as a .docx package, parts in the order Word
// writes them ([Content_Types].xml first, which type sniffers look for).
func (d Doc) DOCX(tb testing.TB) []byte {
	tb.Helper()
	var body strings.Builder
	for _, bl := range d.Blocks {
		body.WriteString(bl.xml)
	}
	body.WriteString(`<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`)
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", xmlPI + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
			`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
			`</Types>`},
		{"_rels/.rels", xmlPI + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`</Relationships>`},
		{"word/_rels/document.xml.rels", xmlPI + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
			`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
			`</Relationships>`},
		{"word/document.xml", xmlPI + `<w:document ` + wNS + `><w:body>` + body.String() + `</w:body></w:document>`},
		{"word/header1.xml", xmlPI + `<w:hdr ` + wNS + `>` + P(d.Header).xml + `</w:hdr>`},
		{"word/footer1.xml", xmlPI + `<w:ftr ` + wNS + `>` + RawP(runs(d.Footer)+
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`).xml + `</w:ftr>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatalf("docx %s: %v", p.name, err)
		}
		if _, err := w.Write([]byte(p.content)); err != nil {
			tb.Fatalf("docx %s: %v", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatalf("docx: %v", err)
	}
	return buf.Bytes()
}

// SampleParagraphs reads a sample text, one paragraph per block of lines
// between blank lines, whitespace within each paragraph collapsed.
func SampleParagraphs(tb testing.TB, path string) []string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("sample: %v", err)
	}
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}
