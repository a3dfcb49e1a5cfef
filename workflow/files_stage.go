package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dondoc/dondoc/workflow/doctext"
)

// Default limits of uploads.
const (
	DefaultMaxFileSize = 25 << 20  // bytes of one file
	DefaultChunkSize   = 256 << 10 // bytes of one stored chunk
)

// FileOptions set how files are taken and kept.
type FileOptions struct {
	// Extractor reads the text of documents' source files; nil builds one
	// with the default limits that compiles PDFium at its first PDF.
	Extractor *doctext.Extractor
	// MaxFileSize is the most bytes one file may have (default 25 MB).
	MaxFileSize int64
	// TempDir is where uploads are spooled while they are checked; empty
	// is the system's temporary directory.
	TempDir string
	// ChunkSize is the size of the rows a file's content is stored in.
	ChunkSize int
	// BeforeChunk, if set, runs before each chunk is written, inside the
	// command's transaction: the tests use it to break a write half way.
	BeforeChunk func(ctx context.Context, sha256 string, seq int) error
}

func (o FileOptions) withDefaults() FileOptions {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = DefaultChunkSize
	}
	if o.Extractor == nil {
		o.Extractor = doctext.New(doctext.Config{})
	}
	return o
}

// StagedFile is an upload spooled to a temporary file, hashed and checked
// against its type, waiting for the command that keeps it. Remove it once
// the command is done, whatever its outcome.
type StagedFile struct {
	Name   string // as kept: NFC, checked by doctext.CleanName
	Kind   doctext.Kind
	Size   int64
	SHA256 string // hex
	f      *os.File
}

// ContentType is the media type the file's bytes proved.
func (f *StagedFile) ContentType() string { return f.Kind.ContentType() }

// ReadAt reads the spooled bytes.
func (f *StagedFile) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }

// Remove deletes the temporary file. It may be called more than once.
func (f *StagedFile) Remove() error {
	if f == nil || f.f == nil {
		return nil
	}
	name := f.f.Name()
	f.f.Close()
	f.f = nil
	return os.Remove(name)
}

// RemoveAll removes staged files, for a caller's defer.
func RemoveAll(files []*StagedFile) {
	for _, f := range files {
		f.Remove()
	}
}

// StageSource spools the source file of a document (.docx, .pdf, .txt)
// from r: the name is checked, the size limited, the bytes hashed and
// their type decided from them. Its text is read when the document is
// recorded. Errors: a *doctext.Error (415, 422), a too-large file (413).
func (s *Service) StageSource(ctx context.Context, name string, r io.Reader) (*StagedFile, error) {
	return s.stage(ctx, name, r, doctext.Source)
}

// StageAttachment spools a report's or an extension request's file (PDF,
// DOCX, XLSX, ODT, ODS, PNG, JPEG) from r and checks it through all its
// bytes: zip bombs, lying types and broken files are refused here.
func (s *Service) StageAttachment(ctx context.Context, name string, r io.Reader) (*StagedFile, error) {
	f, err := s.stage(ctx, name, r, doctext.Attachment)
	if err != nil {
		return nil, err
	}
	if err := doctext.Check(f.f, f.Size, f.Kind, s.files.Extractor.Limits()); err != nil {
		f.Remove()
		return nil, err
	}
	return f, nil
}

// FileTooLarge is the error of a file past the limit.
func FileTooLarge(limit int64) *Error {
	size := fmt.Sprintf("%d KB", limit>>10)
	if limit >= 10<<20 {
		size = fmt.Sprintf("%d MB", limit>>20)
	}
	return E(KindTooLarge, "file_too_large", "Tệp vượt quá %s. — The file is larger than %s.", size, size)
}

func (s *Service) stage(ctx context.Context, name string, r io.Reader, use doctext.Use) (_ *StagedFile, err error) {
	name, err = doctext.CleanName(name)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(s.files.TempDir, "dondoc-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	f := &StagedFile{Name: name, f: tmp}
	defer func() {
		if err != nil {
			f.Remove()
		}
	}()
	h := sha256.New()
	limit := s.files.MaxFileSize
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err != nil {
		// The request's own limit (http.MaxBytesError) stays visible to
		// the API through %w, which answers it with a 413.
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	if n > limit {
		return nil, FileTooLarge(limit)
	}
	f.Size, f.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	head := make([]byte, min(n, doctext.SniffLen))
	if _, err := tmp.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	if f.Kind, err = doctext.Sniff(head, name, use); err != nil {
		return nil, err
	}
	return f, nil
}

// ctxReader stops a copy when the request's context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// MaxFileSize is the most bytes one uploaded file may have.
func (s *Service) MaxFileSize() int64 { return s.files.MaxFileSize }

// SetBeforeChunk sets FileOptions.BeforeChunk on a running service, for
// tests that break a write half way; set it before the requests it is for.
func (s *Service) SetBeforeChunk(fn func(ctx context.Context, sha256 string, seq int) error) {
	s.files.BeforeChunk = fn
}
