package doctext

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// paragraphs gathers a document's text, one paragraph at a time, as
// dondoc stores a body: NFC, no empty paragraphs, a blank line between
// paragraphs, and no more than max bytes.
type paragraphs struct {
	b   strings.Builder
	max int
}

func newParagraphs(max int) *paragraphs { return &paragraphs{max: max} }

func (p *paragraphs) add(text string) error {
	text = strings.TrimSpace(norm.NFC.String(text))
	if text == "" {
		return nil
	}
	if p.b.Len() > 0 {
		p.b.WriteString("\n\n")
	}
	p.b.WriteString(text)
	if p.b.Len() > p.max {
		return textTooLong(p.max)
	}
	return nil
}

func (p *paragraphs) String() string { return p.b.String() }

func textTooLong(max int) *Error {
	return refuse(Invalid, CodeTextTooLong,
		fmt.Sprintf("Văn bản trong tệp dài quá %d byte, vượt giới hạn nội dung của một văn bản.", max),
		fmt.Sprintf("The file holds more than %d bytes of text, past what a document's body may hold.", max))
}
