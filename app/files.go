package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/doctext"
)

// fileOptions are the limits of uploads and the reader of their text.
// Uploads are spooled in "uploads" under the data directory and removed
// when their request ends; only a process killed mid-upload leaves one.
// PDFium's compiled code is kept under the data directory too (or
// DONDOC_PDF_CACHE_DIR), so that only the first start compiles it.
func fileOptions(cfg config.Config) (workflow.FileOptions, error) {
	tmp := filepath.Join(cfg.DataDir, "uploads")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return workflow.FileOptions{}, fmt.Errorf("create %s: %w", tmp, err)
	}
	cache := cfg.PDFCacheDir
	if cache == "" {
		cache = filepath.Join(cfg.DataDir, "pdfium")
	}
	return workflow.FileOptions{
		Extractor:   doctext.New(doctext.Config{PDFCacheDir: cache}),
		MaxFileSize: cfg.MaxFileSize,
		TempDir:     tmp,
	}, nil
}
