package doctext

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of JPEG
	_ "image/png"  // and of PNG
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// MaxImagePixels bounds an attached image: past it a viewer would need
// gigabytes to show it (an image bomb). 100 megapixels is a scan of an A3
// page at 1200 dpi.
const MaxImagePixels = 100_000_000

// Check proves that a file is the kind Sniff found, through all its bytes:
// a zip's every entry against the limits, an OOXML or ODF package's main
// part, an image's dimensions, a PDF's header and end. It is what an
// attachment gets; a source file gets it through Text.
func Check(r io.ReaderAt, size int64, kind Kind, lim Limits) error {
	switch kind {
	case DOCX, XLSX:
		z, err := openZip(r, size, lim)
		if err != nil {
			return err
		}
		if _, err := z.mainPart(kind); err != nil {
			return err
		}
		return z.drain()
	case ODT, ODS:
		z, err := openZip(r, size, lim)
		if err != nil {
			return err
		}
		if err := z.checkODF(kind); err != nil {
			return err
		}
		return z.drain()
	case PDF:
		return checkPDF(r, size)
	case PNG, JPEG:
		return checkImage(r, size)
	case TXT:
		_, err := txtFile(r, size, int(2*size)) // UTF-16 grows up to 1.5 times as UTF-8
		return err
	}
	return fmt.Errorf("doctext: no check for %q", kind)
}

// checkPDF looks for the header at the start and the end-of-file marker
// near the end: a file cut short in transfer has no marker, and PDFium
// would otherwise rebuild what it can and pass part of a document off as
// the whole.
func checkPDF(r io.ReaderAt, size int64) error {
	head := make([]byte, min(size, 1024))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read file: %w", err)
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return corrupt("no PDF header")
	}
	tail := make([]byte, min(size, 1024))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read file: %w", err)
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return corrupt("the PDF is cut short: no %%EOF at its end")
	}
	return nil
}

func checkImage(r io.ReaderAt, size int64) error {
	cfg, _, err := image.DecodeConfig(io.NewSectionReader(r, 0, size))
	if err != nil {
		return corrupt("image: " + err.Error())
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return refuse(Invalid, CodeTooLarge,
			fmt.Sprintf("Ảnh %d×%d điểm ảnh quá lớn (tối đa %d triệu điểm ảnh).", cfg.Width, cfg.Height, MaxImagePixels/1_000_000),
			fmt.Sprintf("The image of %d×%d pixels is too large (at most %d megapixels).", cfg.Width, cfg.Height, MaxImagePixels/1_000_000))
	}
	return nil
}

// txtFile reads a text file: UTF-8, with or without a BOM, or UTF-16 with
// a BOM (what Notepad calls Unicode). Line ends become \n; the text NFC.
func txtFile(r io.ReaderAt, size int64, maxText int) (string, error) {
	var src io.Reader = io.NewSectionReader(r, 0, size)
	head := make([]byte, min(size, 2))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read file: %w", err)
	}
	utf16 := bytes.Equal(head, []byte{0xFF, 0xFE}) || bytes.Equal(head, []byte{0xFE, 0xFF})
	if utf16 {
		src = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(src)
	}
	// One byte more than the limit tells an over-long text from one at it.
	b, err := io.ReadAll(io.LimitReader(src, int64(maxText)+1))
	if err != nil {
		return "", fmt.Errorf("read text: %w", err)
	}
	if len(b) > maxText {
		return "", textTooLong(maxText)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if !utf8.Valid(b) || (utf16 && bytes.ContainsRune(b, utf8.RuneError)) {
		return "", refuse(Invalid, CodeTextEncoding,
			"Tệp văn bản không ở mã UTF-8 (có thể là TCVN3, VNI hoặc Windows-1258): hãy lưu lại với mã UTF-8 rồi tải lên lại.",
			"The text file is not UTF-8 (perhaps TCVN3, VNI or Windows-1258): save it as UTF-8 and upload it again.")
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.TrimSpace(norm.NFC.String(text)), nil
}
