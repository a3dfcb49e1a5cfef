package doctext

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// Kind is the type of a file as its bytes show it.
type Kind string

const (
	DOCX Kind = "docx"
	PDF  Kind = "pdf"
	TXT  Kind = "txt"
	XLSX Kind = "xlsx"
	ODT  Kind = "odt"
	ODS  Kind = "ods"
	PNG  Kind = "png"
	JPEG Kind = "jpeg"
)

var contentTypes = map[Kind]string{
	DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	PDF:  "application/pdf",
	TXT:  "text/plain; charset=utf-8",
	XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	ODT:  "application/vnd.oasis.opendocument.text",
	ODS:  "application/vnd.oasis.opendocument.spreadsheet",
	PNG:  "image/png",
	JPEG: "image/jpeg",
}

// ContentType is the media type to store and serve the file with: the one
// its bytes proved, never the one the client sent.
func (k Kind) ContentType() string { return contentTypes[k] }

// zipped kinds are OOXML or ODF packages: their structure is checked inside
// the zip, and a head that shows only a generic zip is judged there.
func (k Kind) zipped() bool { return k == DOCX || k == XLSX || k == ODT || k == ODS }

// Use says what a file is uploaded for; each use has its own list of types.
type Use int

const (
	// Source is the file of a conclusion notice: its text becomes the
	// document's body, so only types whose text dondoc reads.
	Source Use = iota + 1
	// Attachment is a file of a report or an extension request: an official
	// letter (PDF, DOCX, or ODT from LibreOffice, which state bodies also
	// use), annexes (XLSX, ODS) and photographs or scans (PNG, JPEG).
	Attachment
)

var allowed = map[Use][]Kind{
	Source:     {DOCX, PDF, TXT},
	Attachment: {PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG},
}

func (u Use) allows(k Kind) bool {
	for _, a := range allowed[u] {
		if a == k {
			return true
		}
	}
	return false
}

// Kinds lists the types a use takes, for messages and documentation.
func (u Use) Kinds() []Kind { return append([]Kind(nil), allowed[u]...) }

var byExtension = map[string]Kind{
	".docx": DOCX, ".pdf": PDF, ".txt": TXT, ".xlsx": XLSX, ".odt": ODT, ".ods": ODS,
	".png": PNG, ".jpg": JPEG, ".jpeg": JPEG,
}

// legacy names the binary Office formats (OLE compound files) and what to
// save them as instead.
var legacy = map[string]string{".doc": ".docx", ".dot": ".docx", ".xls": ".xlsx", ".xlt": ".xlsx", ".ppt": "PDF", ".pps": "PDF"}

var byMIME = map[string]Kind{
	contentTypes[DOCX]: DOCX, contentTypes[PDF]: PDF, contentTypes[XLSX]: XLSX,
	contentTypes[ODT]: ODT, contentTypes[ODS]: ODS, contentTypes[PNG]: PNG, contentTypes[JPEG]: JPEG,
}

// SniffLen is how many leading bytes Sniff looks at; give it at least these
// (or the whole file if shorter).
const SniffLen = 4096

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sniff decides the type of an upload from its first bytes and checks that
// it agrees with the name's extension and that the use takes it. The
// client's Content-Type is never asked. A zipped type that the head shows
// only as a zip, and any text, are confirmed later by Check or Text, which
// read the whole file.
func Sniff(head []byte, name string, use Use) (Kind, error) {
	name, err := CleanName(name)
	if err != nil {
		return "", err
	}
	ext := extension(name)
	if bytes.HasPrefix(head, oleMagic) {
		return "", legacyOffice(ext)
	}
	if _, ok := legacy[ext]; ok {
		return "", legacyOffice(ext)
	}
	want, ok := byExtension[ext]
	if !ok || !use.allows(want) {
		return "", unsupported(ext, use)
	}
	if len(head) == 0 {
		return "", corrupt("empty file")
	}
	got := mimetype.Detect(head)
	switch {
	case byMIME[mimeOf(got)] == want:
	case want.zipped() && got.Is("application/zip"):
	case want == TXT && isText(got):
	default:
		return "", mismatch(ext, got)
	}
	return want, nil
}

func mimeOf(m *mimetype.MIME) string {
	s, _, _ := strings.Cut(m.String(), ";")
	return s
}

func isText(m *mimetype.MIME) bool {
	for ; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return true
		}
	}
	return false
}

func extension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i:])
}

func legacyOffice(ext string) *Error {
	instead := legacy[ext]
	if instead == "" {
		instead = ".docx hoặc PDF"
	}
	insteadEN := strings.Replace(instead, "hoặc", "or", 1)
	return refuse(Unsupported, CodeLegacyOffice,
		fmt.Sprintf("Tệp Office 97–2003 (.doc, .xls, .ppt) hoặc tệp Office có đặt mật khẩu không được nhận. Hãy mở tệp, bỏ mật khẩu nếu có, lưu lại thành %s rồi tải lên lại.", instead),
		fmt.Sprintf("Office 97–2003 files (.doc, .xls, .ppt) and password-protected Office files are not accepted. Open the file, remove any password, save it as %s and upload it again.", insteadEN))
}

func unsupported(ext string, use Use) *Error {
	var list []string
	for _, k := range allowed[use] {
		list = append(list, "."+string(k))
	}
	accepted := strings.Join(list, ", ")
	if ext == "" {
		ext = "(không có đuôi)"
	}
	return refuse(Unsupported, CodeTypeUnsupported,
		fmt.Sprintf("Không nhận tệp %s. Chỉ nhận: %s.", ext, accepted),
		fmt.Sprintf("Files of type %s are not accepted here. Accepted: %s.", strings.Replace(ext, "(không có đuôi)", "(no extension)", 1), accepted))
}

func mismatch(ext string, got *mimetype.MIME) *Error {
	what := got.Extension()
	if what == "" {
		what = mimeOf(got)
	}
	return refuse(Invalid, CodeTypeMismatch,
		fmt.Sprintf("Tên tệp có đuôi %s nhưng nội dung là %s. Hãy kiểm tra đúng tệp rồi tải lên lại.", ext, what),
		fmt.Sprintf("The name ends in %s but the content is %s. Check that this is the right file and upload it again.", ext, what))
}
