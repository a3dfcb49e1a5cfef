package api_test

import (
	"bufio"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

// Upload and download throughput of attachments, through HTTP on SQLite:
//
//	go test ./api -run '^$' -bench 'Files' -benchtime 20x
//
// and the peak memory of 16 clients uploading 20 MB each at once:
//
//	DONDOC_FILES_MEMORY=1 go test ./api -run TestFilesPeakMemory -v

// filesBench is a running dondoc with an open BYT task.
type filesBench struct {
	in   *apptest.Instance
	byt  *apptest.Client
	task int64
	pdf  []byte
}

func newFilesBench(tb testing.TB) *filesBench {
	in := apptest.Start(tb, testdb.SQLite(tb), today, func(c *config.Config) { c.MaxUploadSize = 64 << 20 })
	tk := in.User("vpcp.tk", "secretariat", "")
	byt := in.User("byt.cb", "agency", "BYT")
	var doc struct{ ID int64 }
	tk.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
	var d struct{ Tasks []struct{ ID int64 } }
	tk.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Nhiệm vụ", "lead": "BYT", "due_on": "2026-03-31"}).Want(201).JSON(&d)
	return &filesBench{in: in, byt: byt, task: d.Tasks[0].ID, pdf: doctexttest.Notice{Paragraphs: []string{"Báo cáo."}}.PDF(tb)}
}

// upload streams a report with one PDF of size bytes, different in every
// call (tag), from a generator: the client holds no copy of the file.
func (fb *filesBench) upload(size int64, tag string) (int, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			if err := mw.WriteField("body", "Báo cáo "+tag); err != nil {
				return err
			}
			part, err := mw.CreateFormFile("files", "bao-cao-"+tag+".pdf")
			if err != nil {
				return err
			}
			head, tail := fb.pdf[:len(fb.pdf)-8], fb.pdf[len(fb.pdf)-8:]
			pad := size - int64(len(fb.pdf)) - int64(len(tag))
			if _, err := part.Write(head); err != nil {
				return err
			}
			if _, err := io.CopyN(part, zeros{}, pad); err != nil {
				return err
			}
			if _, err := io.WriteString(part, tag); err != nil {
				return err
			}
			if _, err := part.Write(tail); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tasks/%d/reports", fb.in.Server.URL, fb.task), pr)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+fb.byt.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 {
		return resp.StatusCode, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	var id int
	if i := strings.Index(string(b), `"attachments":[{"id":`); i >= 0 {
		id, _ = strconv.Atoi(strings.SplitN(string(b[i+len(`"attachments":[{"id":`):]), ",", 2)[0])
	}
	return id, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func benchmarkUpload(b *testing.B, size int64) {
	fb := newFilesBench(b)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := fb.upload(size, fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkDownload(b *testing.B, size int64) {
	fb := newFilesBench(b)
	id, err := fb.upload(size, "dl")
	if err != nil || id == 0 {
		b.Fatalf("upload: %d, %v", id, err)
	}
	url := fmt.Sprintf("%s/api/v1/attachments/%d", fb.in.Server.URL, id)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+fb.byt.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != size {
			b.Fatalf("%d bytes, %v", n, err)
		}
	}
}

func BenchmarkFilesUpload1MB(b *testing.B)    { benchmarkUpload(b, 1<<20) }
func BenchmarkFilesUpload20MB(b *testing.B)   { benchmarkUpload(b, 20<<20) }
func BenchmarkFilesDownload1MB(b *testing.B)  { benchmarkDownload(b, 1<<20) }
func BenchmarkFilesDownload20MB(b *testing.B) { benchmarkDownload(b, 20<<20) }

// TestFilesPeakMemory: 16 clients upload 20 MB each at once; the process
// (server and clients, which stream their files from a generator) must
// stay under 200 MB of resident memory. Run with DONDOC_FILES_MEMORY=1.
func TestFilesPeakMemory(t *testing.T) {
	if os.Getenv("DONDOC_FILES_MEMORY") == "" {
		t.Skip("set DONDOC_FILES_MEMORY=1 to measure")
	}
	// As dondoc serve sets them (BENCHMARKS.md).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(128 << 20))
	fb := newFilesBench(t)
	before := vmHWM(t)
	// Reset the peak resident set to what is resident now.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak RSS: %v", err)
	}
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range 16 {
		wg.Go(func() {
			if _, err := fb.upload(20<<20, fmt.Sprint("c", i)); err != nil {
				t.Errorf("client %d: %v", i, err)
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	peak := vmHWM(t)
	t.Logf("peak RSS while 16 clients uploaded 20 MB each: %d MB (before: %d MB)", peak>>20, before>>20)
	if failed.Load() == 0 && peak > 200<<20 {
		t.Errorf("peak RSS %d MB, over 200 MB", peak>>20)
	}
}

// vmHWM is the process's peak resident set, in bytes.
func vmHWM(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
