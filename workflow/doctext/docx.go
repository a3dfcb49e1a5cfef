package doctext

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// WordprocessingML in its transitional and strict namespaces, and markup
// compatibility, whose Fallback repeats a Choice (a text box drawn twice).
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// Elements whose whole content is left out: revisions that were deleted or
// moved away, field codes (their shown results stay), properties, and the
// section's settings. Headers, footers, notes and comments are other parts
// and never read.
var skipped = map[string]bool{
	"del": true, "moveFrom": true, "instrText": true, "delText": true, "delInstrText": true,
	"pPr": true, "sectPr": true, "sdtPr": true, "tblPr": true, "trPr": true, "tcPr": true, "tblGrid": true,
	"fldData": true,
}

// docxText reads the paragraphs of a WordprocessingML main part in reading
// order: body paragraphs and tables cell by cell, runs joined, tabs and
// breaks kept, hidden runs and field codes and deleted text left out.
// Paragraphs come out NFC, separated by a blank line.
func docxText(r io.Reader, maxText int) (string, error) {
	w := &docxWalker{d: xml.NewDecoder(r), out: newParagraphs(maxText)}
	if err := w.walk(); err != nil {
		if e := AsError(err); e != nil {
			return "", e
		}
		return "", corrupt("word/document.xml: " + err.Error())
	}
	return w.out.String(), nil
}

type docxWalker struct {
	d   *xml.Decoder
	out *paragraphs
	// paras holds the paragraphs being read: more than one when a text box
	// inside a paragraph holds paragraphs of its own. The box's come out
	// after the paragraph that anchors them.
	paras  []*strings.Builder
	boxed  []string
	hidden bool // the current run is hidden (w:vanish)
	inText bool // inside w:t
	// fields stacks the complex fields open around the current run: true
	// once past the separator, where the field's shown result begins.
	fields []bool
}

func isW(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == nsW || n.Space == nsWStrict)
}

func (w *docxWalker) walk() error {
	for {
		tok, err := w.d.Token()
		if errors.Is(err, io.EOF) {
			if len(w.paras) != 0 {
				return errors.New("unexpected end inside a paragraph")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := w.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			if err := w.end(t); err != nil {
				return err
			}
		case xml.CharData:
			if w.inText && w.visible() {
				w.write(string(t))
			}
		}
	}
}

func (w *docxWalker) start(t xml.StartElement) error {
	if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
		return w.d.Skip()
	}
	if t.Name.Space != nsW && t.Name.Space != nsWStrict {
		return nil
	}
	switch name := t.Name.Local; {
	case skipped[name]:
		return w.d.Skip()
	case name == "p":
		w.paras = append(w.paras, &strings.Builder{})
	case name == "r":
		w.hidden = false
	case name == "rPr":
		return w.runProperties(t)
	case name == "t":
		w.inText = true
	case name == "tab" || name == "ptab":
		w.write("\t")
	case name == "br" || name == "cr":
		w.write("\n")
	case name == "noBreakHyphen":
		w.write("-")
	case name == "fldChar":
		w.fieldChar(t)
	}
	return nil
}

func (w *docxWalker) end(t xml.EndElement) error {
	switch {
	case isW(t.Name, "t"):
		w.inText = false
	case isW(t.Name, "p"):
		n := len(w.paras)
		if n == 0 {
			return errors.New("paragraph closed twice")
		}
		text := w.paras[n-1].String()
		w.paras = w.paras[:n-1]
		if n > 1 {
			w.boxed = append(w.boxed, text)
			return nil
		}
		if err := w.out.add(text); err != nil {
			return err
		}
		for _, b := range w.boxed {
			if err := w.out.add(b); err != nil {
				return err
			}
		}
		w.boxed = w.boxed[:0]
	}
	return nil
}

// runProperties reads a run's properties for the one that matters to the
// text: w:vanish hides it.
func (w *docxWalker) runProperties(t xml.StartElement) error {
	var p struct {
		Vanish *struct {
			Val string `xml:"val,attr"`
		} `xml:"vanish"`
	}
	if err := w.d.DecodeElement(&p, &t); err != nil {
		return err
	}
	if p.Vanish != nil {
		switch p.Vanish.Val {
		case "0", "false", "off":
		default:
			w.hidden = true
		}
	}
	return nil
}

func (w *docxWalker) fieldChar(t xml.StartElement) {
	var typ string
	for _, a := range t.Attr {
		if a.Name.Local == "fldCharType" {
			typ = a.Value
		}
	}
	switch typ {
	case "begin":
		w.fields = append(w.fields, false)
	case "separate":
		if n := len(w.fields); n > 0 {
			w.fields[n-1] = true
		}
	case "end":
		if n := len(w.fields); n > 0 {
			w.fields = w.fields[:n-1]
		}
	}
}

// visible says whether text here is shown: not in a hidden run, not in the
// code of any open field.
func (w *docxWalker) visible() bool {
	if w.hidden {
		return false
	}
	for _, shown := range w.fields {
		if !shown {
			return false
		}
	}
	return true
}

func (w *docxWalker) write(s string) {
	if n := len(w.paras); n > 0 && w.visible() {
		w.paras[n-1].WriteString(s)
	}
}
