package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

const samples = "../workflow/extract/testdata/samples/"

// upload is one file part.
type upload struct {
	name string
	data []byte
}

// multipartBody writes fields and files as multipart/form-data, files
// under field, their names as given (a bad name is sent as it is).
func multipartBody(t testing.TB, fields map[string]string, field string, files ...upload) ([]byte, string) {
	t.Helper()
	fs := make([]apptest.Field, 0, len(fields))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		fs = append(fs, apptest.Field{Name: k, Value: fields[k]})
	}
	ups := make([]apptest.File, len(files))
	for i, f := range files {
		ups[i] = apptest.File{Name: f.name, Data: f.data}
	}
	return apptest.Multipart(t, fs, field, ups...)
}

func postForm(c *apptest.Client, path string, fields map[string]string, field string, files ...upload) *apptest.Response {
	body, ctype := multipartBody(c.In().T, fields, field, files...)
	return c.Do("POST", path, body, "Content-Type", ctype)
}

type attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
}

type recorded struct {
	ID            int64       `json:"id"`
	Body          string      `json:"body"`
	File          *attachment `json:"file"`
	TextExtracted bool        `json:"text_extracted"`
	Note          string      `json:"note"`
}

func docFields(number string) map[string]string {
	return map[string]string{"number": number, "kind": "conclusion_notice", "title": "Thông báo kết luận", "issued_on": "2021-11-30"}
}

// noTempFiles fails if an upload left a spooled file behind.
func noTempFiles(t *testing.T, in *apptest.Instance) {
	t.Helper()
	left, err := os.ReadDir(filepath.Join(in.Target.DataDir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("%d spooled files left behind, e.g. %s", len(left), left[0].Name())
	}
}

// Done-when of issue 22: a sample conclusion uploaded as .docx and as a PDF
// reads back as its text, which the extractor turns into the same
// proposals as the text pasted; the original bytes download unchanged.
func TestFilesSourceDocuments(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.SQLite(t))
	const title = "THÔNG BÁO KẾT LUẬN CỦA THỦ TƯỚNG CHÍNH PHỦ"
	paras := doctexttest.SampleParagraphs(t, samples+"2021-11-30-ubqg-cds-phien-1.txt")
	text := strings.Join(append([]string{title}, paras...), "\n\n")
	var pasted struct{ Directives []map[string]any }
	f.secretariat.Do("POST", "/api/v1/extract", map[string]any{"text": text, "doc_date": "2021-11-30"}).Want(200).JSON(&pasted)
	if len(pasted.Directives) < 3 {
		t.Fatalf("only %d proposals from the pasted text", len(pasted.Directives))
	}
	files := []upload{
		{"Thông báo 1-TB.docx", doctexttest.Doc{Header: "VĂN PHÒNG CHÍNH PHỦ", Footer: "Trang ", Blocks: doctexttest.Paragraphs(append([]string{title}, paras...))}.DOCX(t)},
		{"Thông báo 1-TB.pdf", doctexttest.Notice{Title: title, RunningHead: "VĂN PHÒNG CHÍNH PHỦ", Paragraphs: paras}.PDF(t)},
	}
	for i, up := range files {
		var rec recorded
		postForm(f.secretariat, "/api/v1/documents", docFields(fmt.Sprintf("%d/TB-VPCP", i+1)), "file", up).Want(201).JSON(&rec)
		if !rec.TextExtracted || rec.Body != text || rec.Note != "" {
			t.Fatalf("%s: extracted=%v note=%q, body differs from the sample: %v", up.name, rec.TextExtracted, rec.Note, rec.Body != text)
		}
		if rec.File == nil || rec.File.Name != up.name || rec.File.Size != int64(len(up.data)) {
			t.Fatalf("%s: file %+v", up.name, rec.File)
		}
		var got struct{ Directives []map[string]any }
		f.secretariat.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", rec.ID), nil).Want(200).JSON(&got)
		if a, b := proposals(got.Directives), proposals(pasted.Directives); a != b {
			t.Errorf("%s: proposals differ from the pasted text's:\n%s\n---\n%s", up.name, a, b)
		}
		dl := f.leader.Do("GET", fmt.Sprintf("/api/v1/documents/%d/file", rec.ID), nil).Want(200)
		if !bytes.Equal(dl.Body, up.data) {
			t.Errorf("%s: downloaded %d bytes, not the %d uploaded", up.name, len(dl.Body), len(up.data))
		}
		if cd := dl.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "utf-8''Th%C3%B4ng") {
			t.Errorf("%s: Content-Disposition %q", up.name, cd)
		}
	}
	// A scan is kept, without text, with a note to paste it.
	var scan recorded
	postForm(f.secretariat, "/api/v1/documents", docFields("9/TB-VPCP"), "file", upload{"scan.pdf", doctexttest.Scan(t, 2)}).Want(201).JSON(&scan)
	if scan.TextExtracted || scan.Note == "" || scan.Body != "" || scan.File == nil {
		t.Errorf("scan: %+v", scan)
	}
	// Two columns read one after the other.
	left, right := paras[1:3], paras[3:5]
	var cols recorded
	postForm(f.secretariat, "/api/v1/documents", docFields("10/TB-VPCP"), "file",
		upload{"cot.pdf", doctexttest.TwoColumns(t, "BẢN TIN", left, right)}).Want(201).JSON(&cols)
	if want := strings.Join(append(append([]string{"BẢN TIN"}, left...), right...), "\n\n"); cols.Body != want {
		t.Errorf("two columns: %q", cols.Body)
	}
	// .doc is refused with what to do instead.
	p := postForm(f.secretariat, "/api/v1/documents", docFields("11/TB-VPCP"), "file", upload{"cu.doc", doctexttest.OLE()}).Want(415).Map()
	if p["code"] != "file_legacy_office" || !strings.Contains(fmt.Sprint(p["detail"]), ".docx") {
		t.Errorf(".doc: %v", p)
	}
	// An agency records no documents; nothing is kept.
	postForm(f.byt, "/api/v1/documents", docFields("12/TB-VPCP"), "file", files[0]).Want(403)
	f.secretariat.Do("GET", "/api/v1/documents/1/file", nil).Want(404) // the fixture's document has no file
	noTempFiles(t, f.in)
}

// proposals renders proposals without what depends on where the text is
// stored (ids and spans).
func proposals(ds []map[string]any) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintln(&b, d["action"], d["lead"], d["coordinators"], d["group"], d["due_on"], d["due_period"], d["due_kind"], d["due_text"])
	}
	return b.String()
}

// A report with two files lists them with their SHA-256; each downloads
// for who may see the task and is hidden from another agency; the same
// bytes are stored once.
func TestFilesReportAttachments(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo kết quả triển khai hồ sơ sức khỏe điện tử."}}.PDF(t)
		xlsx := doctexttest.XLSX(t)
		var rep struct {
			ID          int64        `json:"id"`
			Attachments []attachment `json:"attachments"`
		}
		postForm(f.byt, fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), map[string]string{"body": "Đã triển khai", "percent": "60"}, "files",
			upload{"Báo cáo 12-BC-BYT.pdf", pdf}, upload{"Phụ lục.xlsx", xlsx}).Want(201).JSON(&rep)
		if len(rep.Attachments) != 2 || rep.Attachments[0].ContentType != "application/pdf" || rep.Attachments[1].Name != "Phụ lục.xlsx" {
			t.Fatalf("attachments %+v", rep.Attachments)
		}
		var list struct {
			Items []struct {
				ID          int64        `json:"id"`
				Attachments []attachment `json:"attachments"`
			} `json:"items"`
		}
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), nil).Want(200).JSON(&list)
		if len(list.Items) != 1 || len(list.Items[0].Attachments) != 2 || list.Items[0].Attachments[0].SHA256 != rep.Attachments[0].SHA256 {
			t.Fatalf("reports %+v", list.Items)
		}
		url := fmt.Sprintf("/api/v1/attachments/%d", rep.Attachments[0].ID)
		for _, c := range []*apptest.Client{f.byt, f.secretariat, f.leader, f.in.Admin} {
			if got := c.Do("GET", url, nil).Want(200); !bytes.Equal(got.Body, pdf) || got.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s downloads %d bytes as %q", c.Name, len(got.Body), got.Header.Get("Content-Type"))
			}
		}
		if p := f.bca.Do("GET", url, nil).Want(404).Map(); strings.Contains(fmt.Sprint(p), "pdf") {
			t.Errorf("another agency learns of the file: %v", p)
		}
		f.in.Anonymous().Do("GET", url, nil).Want(401)
		// The same PDF with an extension request: one more attachment, no
		// second copy of the bytes.
		var ext struct {
			Attachments []attachment `json:"attachments"`
		}
		postForm(f.byt, fmt.Sprintf("/api/v1/tasks/%d/extensions", tk.ID), map[string]string{"requested_due_on": "2026-04-30", "reason": "Chờ ý kiến các bộ"}, "files",
			upload{"Công văn.pdf", pdf}).Want(201).JSON(&ext)
		if len(ext.Attachments) != 1 || ext.Attachments[0].SHA256 != rep.Attachments[0].SHA256 {
			t.Fatalf("extension attachments %+v", ext.Attachments)
		}
		var blobs, atts int64
		if err := f.in.App.DB.R.Raw("SELECT COUNT(*) FROM blobs").Scan(&blobs).Error; err != nil {
			t.Fatal(err)
		}
		if err := f.in.App.DB.R.Raw("SELECT COUNT(*) FROM attachments WHERE task_id = ?", tk.ID).Scan(&atts).Error; err != nil {
			t.Fatal(err)
		}
		if blobs != 2 || atts != 3 {
			t.Errorf("%d blobs and %d attachments, want 2 and 3", blobs, atts)
		}
		var exts struct {
			Items []struct {
				Attachments []attachment `json:"attachments"`
			} `json:"items"`
		}
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/extensions", tk.ID), nil).Want(200).JSON(&exts)
		if len(exts.Items) != 1 || len(exts.Items[0].Attachments) != 1 {
			t.Errorf("extensions %+v", exts.Items)
		}
		noTempFiles(t, f.in)
	})
}

// A report and its files commit together: a write broken in the second
// file leaves neither the report, nor its event, nor any file row.
func TestFilesReportAtomic(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		first := doctexttest.Notice{Paragraphs: []string{"Văn bản thứ nhất."}}.PDF(t)
		second := doctexttest.PNG(t, 640, 480)
		var secondSum string
		f.in.App.Service.SetBeforeChunk(func(ctx context.Context, sha string, seq int) error {
			if secondSum == "" || sha == secondSum {
				return errors.New("disk unplugged half way")
			}
			return nil
		})
		// Learn the second file's SHA-256 from a first failed try, which
		// breaks at the first file.
		postForm(f.byt, fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), map[string]string{"body": "x"}, "files",
			upload{"a.pdf", first}, upload{"b.png", second}).Want(500)
		secondSum = sha256Hex(second)
		postForm(f.byt, fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), map[string]string{"body": "Báo cáo có hai tệp"}, "files",
			upload{"a.pdf", first}, upload{"b.png", second}).Want(500)
		for table, want := range map[string]int64{"reports": 0, "attachments": 0, "blobs": 0, "blob_chunks": 0} {
			var n int64
			if err := f.in.App.DB.R.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%s: %d rows after the broken write", table, n)
			}
		}
		var evs struct{ Items []map[string]any }
		f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/events", tk.ID), nil).Want(200).JSON(&evs)
		for _, e := range evs.Items {
			if e["action"] == "progress" {
				t.Errorf("an event of the broken report: %v", e)
			}
		}
		f.in.App.Service.SetBeforeChunk(nil)
		postForm(f.byt, fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), map[string]string{"body": "Báo cáo có hai tệp"}, "files",
			upload{"a.pdf", first}, upload{"b.png", second}).Want(201)
		noTempFiles(t, f.in)
	})
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Hostile uploads each get a clear 4xx problem, leave no row and no
// spooled file: a zip bomb, a looping PDF, lying bytes, bad names, a file
// and a request past their limits.
func TestFilesHostile(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today, func(c *config.Config) { c.MaxFileSize, c.MaxUploadSize = 512<<10, 1<<20 })
	f := &fixture{in: in, secretariat: in.User("vpcp.tk", "secretariat", ""), byt: in.User("byt.cb", "agency", "BYT")}
	var doc struct{ ID int64 }
	f.secretariat.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận",
		"issued_on": "2026-02-25"}).Want(201).JSON(&doc)
	f.docID = doc.ID
	tk := f.leadTask(t, nil)
	reports := fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID)
	pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo."}}.PDF(t)
	big := padPDF(pdf, 600<<10)
	cases := []struct {
		name   string
		source bool
		file   upload
		status int
		code   string
	}{
		{"zip bomb .docx", false, upload{"bom.docx", doctexttest.Bomb{Kind: "docx", Expand: 200 << 20}.Zip(t)}, 422, "file_expands_too_much"},
		{"zip bomb .xlsx lying sizes", false, upload{"bom.xlsx", doctexttest.Bomb{Kind: "xlsx", Expand: 200 << 20, LieAbout: 1000}.Zip(t)}, 422, ""},
		{"looping PDF", true, upload{"vong.pdf", doctexttest.LoopingPDF(t, "pages")}, 422, ""},
		{"PNG named .pdf", false, upload{"bao-cao.pdf", doctexttest.PNG(t, 20, 20)}, 422, "file_type_mismatch"},
		{"path in name", false, upload{"../../etc/bao-cao.pdf", pdf}, 422, "file_name_invalid"},
		{"control character in name", false, upload{"bao\u202Efdp.exe.pdf", pdf}, 422, "file_name_invalid"},
		{"executable", false, upload{"setup.exe", []byte("MZ\x90\x00")}, 415, "file_type_unsupported"},
		{"file past the limit", false, upload{"lon.pdf", big}, 413, "file_too_large"},
	}
	for _, c := range cases {
		var r *apptest.Response
		if c.source {
			r = postForm(f.secretariat, "/api/v1/documents", docFields("7/TB-"+c.name), "file", c.file)
		} else {
			r = postForm(f.byt, reports, map[string]string{"body": "x"}, "files", c.file)
		}
		r.Want(c.status)
		p := r.Map()
		if c.code != "" && p["code"] != c.code {
			t.Errorf("%s: code %v, want %s: %v", c.name, p["code"], c.code, p)
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %s", c.name, r.Header.Get("Content-Type"))
		}
	}
	// The whole request past its limit, in files each under theirs.
	half := padPDF(pdf, 400<<10)
	r := postForm(f.byt, reports, map[string]string{"body": "x"}, "files", upload{"a.pdf", half}, upload{"b.pdf", half}, upload{"c.pdf", half})
	r.Want(413)
	// The same limits on a report_done with its files: the task stays as it was.
	tr := postTransition(f.byt, tk.ID, "", map[string]string{"action": "report_done", "report": "Xong"}, upload{"lon.pdf", big})
	if tr.Want(413); tr.Map()["code"] != "file_too_large" {
		t.Errorf("report_done with a file past the limit: %s", tr.Body)
	}
	postTransition(f.byt, tk.ID, "", map[string]string{"action": "report_done", "report": "Xong"},
		upload{"a.pdf", half}, upload{"b.pdf", half}, upload{"c.pdf", half}).Want(413)
	var after task
	f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", tk.ID), nil).Want(200).JSON(&after)
	if after.Status != tk.Status || after.Version != tk.Version {
		t.Errorf("refused report_done moved the task from %s v%d to %s v%d", tk.Status, tk.Version, after.Status, after.Version)
	}
	for _, table := range []string{"reports", "attachments", "blobs", "blob_chunks"} {
		var n int64
		if err := in.App.DB.R.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows after refused uploads", table, n)
		}
	}
	noTempFiles(t, in)
}

// The audit chain covers the files: changing a stored byte makes the
// verification fail and name the file.
func TestFilesAudit(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo kết quả."}}.PDF(t)
		postForm(f.byt, fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), map[string]string{"body": "Đã xong phần một"}, "files",
			upload{"Báo cáo quý I.pdf", pdf}).Want(201)
		var events struct {
			Items []struct{ Data map[string]any }
		}
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/events", tk.ID), nil).Want(200).JSON(&events)
		if !strings.Contains(fmt.Sprint(events.Items), sha256Hex(pdf)) {
			t.Errorf("no event records the file's SHA-256: %v", events.Items)
		}
		res, err := f.in.App.Service.VerifyAudit(context.Background())
		if err != nil || !res.OK || res.Files != 1 {
			t.Fatalf("before: %+v, %v", res, err)
		}
		if err := f.in.App.DB.W.Exec("UPDATE blob_chunks SET data = ? WHERE seq = 0", []byte("%PDF-1.4 forged")).Error; err != nil {
			t.Fatal(err)
		}
		res, err = f.in.App.Service.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.OK || res.Mismatch == nil || res.Mismatch.FileName != "Báo cáo quý I.pdf" || !strings.Contains(res.Mismatch.Reason, "Báo cáo quý I.pdf") {
			t.Fatalf("after the change: %+v %+v", res, res.Mismatch)
		}
	})
}

// padPDF makes a PDF of n bytes: zeros between its body and its end,
// which is what the attachment check looks at.
func padPDF(pdf []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, pdf[:len(pdf)-8])
	copy(out[n-8:], pdf[len(pdf)-8:])
	return out
}
