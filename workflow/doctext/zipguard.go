package doctext

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// guardedZip is a zip whose directory has been checked against the limits
// and whose entries count their bytes as they stream, whatever the headers
// say.
type guardedZip struct {
	zr    *zip.Reader
	lim   Limits
	total int64 // uncompressed bytes read so far, all entries
}

var centralHeader = []byte("PK\x01\x02")

// openZip checks the archive's directory before trusting any of it.
// archive/zip reads every central-directory header it finds, whatever count
// the end record gives, and keeps each in memory; so the headers are
// counted first by their signature, which bounds what zip.NewReader may
// allocate (an occurrence inside compressed data only overcounts).
func openZip(r io.ReaderAt, size int64, lim Limits) (*guardedZip, error) {
	n, err := countSignature(r, size, centralHeader, lim.MaxEntries+1)
	if err != nil {
		return nil, err
	}
	if n > lim.MaxEntries {
		return nil, tooLarge(fmt.Sprintf("more than %d entries", lim.MaxEntries))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		if errors.Is(err, zip.ErrInsecurePath) {
			return nil, corrupt("an entry name is a path outside the archive")
		}
		return nil, corrupt("not a valid zip archive: " + err.Error())
	}
	var declared uint64
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			return nil, corrupt("an entry is encrypted")
		}
		if f.UncompressedSize64 > uint64(lim.MaxEntrySize) {
			return nil, tooLarge(fmt.Sprintf("%s would expand to %d bytes", f.Name, f.UncompressedSize64))
		}
		declared += f.UncompressedSize64
		if declared > uint64(lim.MaxTotalSize) {
			return nil, tooLarge(fmt.Sprintf("the entries would expand to more than %d bytes", lim.MaxTotalSize))
		}
		if f.UncompressedSize64 > uint64(lim.RatioGrace) && f.UncompressedSize64/max(f.CompressedSize64, 1) > uint64(lim.MaxRatio) {
			return nil, tooLarge(fmt.Sprintf("%s would expand %d times", f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1)))
		}
	}
	return &guardedZip{zr: zr, lim: lim}, nil
}

// countSignature counts sig in the file, stopping once it reaches stop.
func countSignature(r io.ReaderAt, size int64, sig []byte, stop int) (int, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(sig)-1)
	n, carry := 0, 0
	for off := int64(0); off < size && n < stop; {
		m, err := r.ReadAt(buf[carry:carry+int(min(chunk, size-off))], off)
		if err != nil && !(errors.Is(err, io.EOF) && m > 0) {
			return 0, fmt.Errorf("read file: %w", err)
		}
		off += int64(m)
		data := buf[:carry+m]
		n += bytes.Count(data, sig)
		// Keep the tail that could begin a signature cut by the chunk.
		carry = min(len(sig)-1, len(data))
		copy(buf, data[len(data)-carry:])
	}
	return n, nil
}

// find returns the entry of that name, or nil. OOXML part names are
// case-insensitive.
func (z *guardedZip) find(name string) *zip.File {
	for _, f := range z.zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// open streams an entry, counting its bytes against the limits as they come
// out of the decompressor.
func (z *guardedZip) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, corrupt(fmt.Sprintf("cannot open %s: %v", f.Name, err))
	}
	return &countingReader{rc: rc, z: z, f: f}, nil
}

type countingReader struct {
	rc io.ReadCloser
	z  *guardedZip
	f  *zip.File
	n  int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.n += int64(n)
	c.z.total += int64(n)
	lim := c.z.lim
	switch {
	case c.n > lim.MaxEntrySize:
		return n, tooLarge(fmt.Sprintf("%s expands past %d bytes", c.f.Name, lim.MaxEntrySize))
	case c.z.total > lim.MaxTotalSize:
		return n, tooLarge(fmt.Sprintf("the entries expand past %d bytes", lim.MaxTotalSize))
	case c.n > lim.RatioGrace && c.n/int64(max(c.f.CompressedSize64, 1)) > lim.MaxRatio:
		return n, tooLarge(fmt.Sprintf("%s expands more than %d times", c.f.Name, lim.MaxRatio))
	}
	if err != nil && !errors.Is(err, io.EOF) {
		// archive/zip reports a stream longer or shorter than its header,
		// or a bad checksum, as ErrFormat or ErrChecksum.
		return n, corrupt(fmt.Sprintf("%s: %v", c.f.Name, err))
	}
	return n, err
}

func (c *countingReader) Close() error { return c.rc.Close() }

// drain reads every entry to its end, so that the sizes and checksums of
// the whole archive are proved, not only those of the parts that are read.
func (z *guardedZip) drain() error {
	for _, f := range z.zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := z.open(f)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
