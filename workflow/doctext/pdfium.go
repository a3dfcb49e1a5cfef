package doctext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfEngine runs PDFium compiled to WebAssembly on wazero: no cgo, no
// system library, and each file is read in a fresh sandbox whose memory is
// capped and which is killed when its time is up. Compiling PDFium takes
// seconds and about 300 MB while it runs, so it happens once, on first use
// or Warm, and its machine code is kept in CacheDir when one is given.
type pdfEngine struct {
	workers  int
	cacheDir string
	memPages uint32

	mu    sync.Mutex
	ready chan struct{} // closed once start has finished
	pool  pdfium.Pool
	cache wazero.CompilationCache
	err   error
}

func (e *pdfEngine) get(ctx context.Context) (pdfium.Pool, error) {
	e.mu.Lock()
	if e.ready == nil {
		e.ready = make(chan struct{})
		go e.start()
	}
	ready := e.ready
	e.mu.Unlock()
	select {
	case <-ready:
		return e.pool, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *pdfEngine) start() {
	defer close(e.ready)
	defer func() {
		if p := recover(); p != nil {
			e.err = fmt.Errorf("start PDFium: panic: %v", p)
		}
	}()
	rc := wazero.NewRuntimeConfig().
		// The bundled module needs exception handling (setjmp/longjmp).
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// Without this a looping PDF cannot be stopped: cancelling the
		// worker's context ends the running call.
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(e.memPages)
	if e.cacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(e.cacheDir)
		if err != nil {
			e.err = fmt.Errorf("PDFium compilation cache %s: %w", e.cacheDir, err)
			return
		}
		e.cache = c
		rc = rc.WithCompilationCache(c)
	}
	e.pool, e.err = webassembly.Init(webassembly.Config{
		MinIdle:  0,
		MaxIdle:  e.workers,
		MaxTotal: e.workers,
		// No file system: PDFium reads only what it is handed.
		FSConfig:      wazero.NewFSConfig(),
		RuntimeConfig: rc,
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if e.err != nil {
		e.err = fmt.Errorf("start PDFium: %w", e.err)
	}
}

func (e *pdfEngine) close() error {
	e.mu.Lock()
	ready := e.ready
	e.mu.Unlock()
	if ready == nil {
		return nil
	}
	<-ready
	var errs []error
	if e.pool != nil {
		errs = append(errs, e.pool.Close())
	}
	if e.cache != nil {
		errs = append(errs, e.cache.Close(context.Background()))
	}
	return errors.Join(errs...)
}

// pages reads the lines of every page of a PDF, within the time budget.
// The file is read through r as PDFium asks for it, never copied whole;
// each page's glyphs become lines before the next page is read, and more
// than maxText bytes of lines stop the reading.
func (e *pdfEngine) pages(ctx context.Context, r io.ReaderAt, size int64, budget time.Duration, maxText int) ([][]*frag, error) {
	pool, err := e.get(ctx)
	if err != nil {
		return nil, err
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("wait for a PDFium worker: %w", err)
	}
	type answer struct {
		pages [][]*frag
		err   error
	}
	done := make(chan answer, 1)
	go func() {
		var a answer
		defer func() {
			if p := recover(); p != nil {
				a = answer{err: corrupt(fmt.Sprintf("PDFium failed: %v", p))}
			}
			done <- a
		}()
		a.pages, a.err = readPages(inst, io.NewSectionReader(r, 0, size), size, maxText)
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case a := <-done:
		// Each file gets a fresh sandbox: closing returns none of this one's
		// memory to the next.
		_ = inst.Close()
		if a.err != nil && !isRefusal(a.err) {
			return nil, pdfFailure(a.err)
		}
		return a.pages, a.err
	case <-timer.C:
		_ = inst.Kill()
		<-done
		return nil, refuse(Invalid, CodeTooComplex,
			fmt.Sprintf("Đọc tệp PDF quá %s mà chưa xong; tệp có thể bị hỏng hoặc có cấu trúc lặp vô hạn.", budget),
			fmt.Sprintf("Reading the PDF took longer than %s; it may be broken or loop on itself.", budget))
	case <-ctx.Done():
		_ = inst.Kill()
		<-done
		return nil, ctx.Err()
	}
}

func isRefusal(err error) bool { return AsError(err) != nil }

// pdfFailure turns PDFium's answer into a refusal: every failure to read a
// file is the file's, since dondoc hands PDFium nothing else.
func pdfFailure(err error) error {
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
		return refuse(Invalid, CodeEncrypted,
			"Tệp PDF có đặt mật khẩu hoặc mã hóa: hãy gỡ mật khẩu rồi tải lên lại.",
			"The PDF is password-protected or encrypted: remove the password and upload it again.")
	case strings.Contains(err.Error(), "wasm error"), strings.Contains(err.Error(), "out of memory"):
		return refuse(Invalid, CodeTooComplex,
			"Tệp PDF cần nhiều bộ nhớ hơn giới hạn cho phép hoặc làm hỏng bộ đọc PDF.",
			"The PDF needs more memory than allowed, or made the PDF reader fail.")
	}
	return corrupt("PDF: " + err.Error())
}

func readPages(inst pdfium.Pdfium, r io.ReadSeeker, size int64, maxText int) ([][]*frag, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{FileReader: r, FileReaderSize: size})
	if err != nil {
		return nil, err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, err
	}
	if count.PageCount <= 0 {
		return nil, corrupt("the PDF has no pages")
	}
	pages := make([][]*frag, count.PageCount)
	total := 0
	for i := range pages {
		st, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{
			Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}},
			Mode: requests.GetPageTextStructuredModeChars,
		})
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		gs := make([]glyph, len(st.Chars))
		for j, c := range st.Chars {
			p := c.PointPosition
			gs[j] = glyph{s: c.Text, x0: p.Left, y0: p.Bottom, x1: p.Right, y1: p.Top}
		}
		pages[i] = pageFrags(gs)
		for _, f := range pages[i] {
			total += len(f.text)
		}
		if total > maxText {
			return nil, textTooLong(maxText)
		}
	}
	return pages, nil
}
