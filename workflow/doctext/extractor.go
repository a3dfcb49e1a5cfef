package doctext

import (
	"context"
	"fmt"
	"io"
)

// Result is the text of a document's source file.
type Result struct {
	// Text is the document's body: paragraphs in reading order, NFC,
	// separated by a blank line. Empty when TextExtracted is false.
	Text string
	// TextExtracted is false when the file holds no text to read (a scanned
	// PDF, or one whose fonts do not map to Unicode): the file is kept and
	// its text must be pasted. It is never an error.
	TextExtracted bool
	// Note says, in Vietnamese then English, what the user must do about
	// text that could not be read; empty when all was read.
	Note string
	// Pages is the number of pages of a PDF; 0 for other kinds.
	Pages int
}

// Config sets up an Extractor.
type Config struct {
	Limits Limits // the zero value means DefaultLimits
	// PDFWorkers is how many PDFs are read at once, each in its own PDFium
	// sandbox of up to Limits.PDFMemory; more wait their turn. Default 1.
	PDFWorkers int
	// PDFCacheDir keeps PDFium's compiled machine code between starts
	// (about 22 MB). Empty compiles it at every start: 5–20 s of CPU and
	// about 300 MB at its peak.
	PDFCacheDir string
}

// Extractor reads the text of source files. It holds PDFium, started on
// the first PDF or by Warm; one Extractor serves the whole process.
type Extractor struct {
	lim Limits
	pdf *pdfEngine
}

// New returns an Extractor; nothing is started until a PDF needs it.
func New(cfg Config) *Extractor {
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits()
	}
	if cfg.PDFWorkers <= 0 {
		cfg.PDFWorkers = 1
	}
	return &Extractor{lim: cfg.Limits, pdf: &pdfEngine{
		workers:  cfg.PDFWorkers,
		cacheDir: cfg.PDFCacheDir,
		memPages: uint32(cfg.Limits.PDFMemory >> 16),
	}}
}

// Limits returns the limits the Extractor applies.
func (x *Extractor) Limits() Limits { return x.lim }

// Warm starts PDFium now rather than on the first PDF, so that the first
// upload does not wait for the compilation.
func (x *Extractor) Warm(ctx context.Context) error {
	_, err := x.pdf.get(ctx)
	return err
}

// Close stops PDFium, waiting for a start in progress.
func (x *Extractor) Close() error { return x.pdf.close() }

// Text reads the text of a source file of the kind Sniff found, checking
// its structure on the way (Check need not be called as well). A file
// that cannot be read is refused with an *Error; an error of another type
// is dondoc's own failure (reading r, ctx ending, PDFium not starting).
func (x *Extractor) Text(ctx context.Context, r io.ReaderAt, size int64, kind Kind) (Result, error) {
	switch kind {
	case DOCX:
		text, err := docxFile(r, size, x.lim)
		if err != nil {
			return Result{}, err
		}
		return textResult(text), nil
	case TXT:
		text, err := txtFile(r, size, x.lim.MaxText)
		if err != nil {
			return Result{}, err
		}
		return textResult(text), nil
	case PDF:
		return x.pdfText(ctx, r, size)
	}
	return Result{}, fmt.Errorf("doctext: no text is read from %s files", kind)
}

func textResult(text string) Result {
	if text == "" {
		return Result{Note: "Tệp không có chữ nào: hãy dán nội dung văn bản. — The file holds no text: paste the document's text."}
	}
	return Result{Text: text, TextExtracted: true}
}

func docxFile(r io.ReaderAt, size int64, lim Limits) (string, error) {
	z, err := openZip(r, size, lim)
	if err != nil {
		return "", err
	}
	main, err := z.mainPart(DOCX)
	if err != nil {
		return "", err
	}
	rc, err := z.open(main)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	text, err := docxText(rc, lim.MaxText)
	if err != nil {
		return "", err
	}
	return text, z.drain()
}

func (x *Extractor) pdfText(ctx context.Context, r io.ReaderAt, size int64) (Result, error) {
	if err := checkPDF(r, size); err != nil {
		return Result{}, err
	}
	pages, err := x.pdf.pages(ctx, r, size, x.lim.PDFTime, x.lim.MaxText)
	if err != nil {
		return Result{}, err
	}
	lay, err := layoutPDF(pages, x.lim.MaxText)
	if err != nil {
		return Result{}, err
	}
	res := Result{Pages: len(pages), Note: lay.note(len(pages))}
	if !lay.garbled && len(lay.textless) < len(pages) {
		res.Text, res.TextExtracted = lay.text, true
	}
	return res, nil
}
