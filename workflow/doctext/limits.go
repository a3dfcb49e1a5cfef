package doctext

import "time"

// Limits bound the work and memory that reading one file may cost. The
// size of the upload itself is the caller's to limit (413) before any of
// this runs.
type Limits struct {
	// Zips (.docx, .xlsx, .odt, .ods). An ordinary 25 MB office file
	// expands 3–10 times and has tens to a few hundred entries; a zip bomb
	// expands a thousand times or holds entries by the hundred thousand.
	MaxEntries   int   // entries in the central directory
	MaxEntrySize int64 // uncompressed bytes of any one entry
	MaxTotalSize int64 // uncompressed bytes of all entries together
	// MaxRatio bounds uncompressed/compressed bytes of an entry once it has
	// produced RatioGrace bytes (tiny entries compress oddly and harm no
	// one); 100 is Apache POI's default for the same guard.
	MaxRatio   int64
	RatioGrace int64

	// MaxText is the most text, in bytes of UTF-8, that a document's body
	// may receive; past it the file is refused rather than cut silently.
	MaxText int

	// PDFTime and PDFMemory bound reading one PDF: a PDF that loops, or
	// asks for more, is stopped and refused. PDFMemory is the most memory
	// PDFium's sandbox may grow to; it is returned when the file is done.
	// PDFium starts at 18.2 MiB and reads the text of a 19-page notice
	// within 19 MiB; what needs far more is a decompression bomb.
	PDFTime   time.Duration
	PDFMemory int64
}

// DefaultLimits are the limits for 25 MB uploads.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:   2000,
		MaxEntrySize: 100 << 20,
		MaxTotalSize: 256 << 20,
		MaxRatio:     100,
		RatioGrace:   1 << 20,
		MaxText:      4 << 20,
		PDFTime:      30 * time.Second,
		PDFMemory:    128 << 20,
	}
}
