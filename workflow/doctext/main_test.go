package doctext_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dondoc/dondoc/workflow/doctext"
)

// pdfx is the one Extractor the PDF tests share, as the server shares one:
// PDFium compiles once per process. Its machine code is cached under the
// user's cache directory, so that later runs start in under a second.
var pdfx *doctext.Extractor

func TestMain(m *testing.M) {
	pdfx = doctext.New(doctext.Config{PDFCacheDir: testCacheDir(), PDFWorkers: 2})
	if err := pdfx.Warm(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "start PDFium:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := pdfx.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "stop PDFium:", err)
		code = 1
	}
	os.Exit(code)
}

func testCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "dondoc-test", "pdfium")
}
