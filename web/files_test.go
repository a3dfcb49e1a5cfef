package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

const samples = "../workflow/extract/testdata/samples/"

// upfile is one file of a form.
type upfile struct {
	name string
	data []byte
}

// field is one form field, in the order a browser sends them.
type field struct{ name, value string }

// multipartForm writes fields, then files under fileField, as a browser
// sends a multipart form: in the order of the page.
func multipartForm(t *testing.T, fields []field, fileField string, files ...upfile) ([]byte, string) {
	t.Helper()
	fs := make([]apptest.Field, len(fields))
	for i, f := range fields {
		fs[i] = apptest.Field{Name: f.name, Value: f.value}
	}
	ups := make([]apptest.File, len(files))
	for i, f := range files {
		ups[i] = apptest.File{Name: f.name, Data: f.data}
	}
	return apptest.Multipart(t, fs, fileField, ups...)
}

func (b *browser) postMultipart(path string, fields []field, fileField string, files ...upfile) page {
	b.t.Helper()
	body, ctype := multipartForm(b.t, fields, fileField, files...)
	req, err := http.NewRequest(http.MethodPost, b.base+path, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	return b.do(req)
}

// download gets a file: its status, bytes and Content-Disposition.
func (b *browser) download(path string) (int, []byte, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp.StatusCode, body, resp.Header.Get("Content-Disposition")
}

// padPDF pads a PDF to n bytes before its trailing %%EOF, so that it is
// still a PDF.
func padPDF(pdf []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, pdf[:len(pdf)-8])
	copy(out[n-8:], pdf[len(pdf)-8:])
	return out
}

// noTempFiles fails if an upload left a spooled file behind.
func noTempFiles(t *testing.T, in *apptest.Instance) {
	t.Helper()
	left, err := os.ReadDir(filepath.Join(in.Target.DataDir, "uploads"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("%d spooled files left behind, e.g. %s", len(left), left[0].Name())
	}
}

func rows(t *testing.T, in *apptest.Instance, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := in.App.DB.R.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// proposalsOf is a proposals page's form without what depends on where the
// text is stored (the CSRF token, the proposals' ids).
func proposalsOf(t *testing.T, p page) string {
	t.Helper()
	v := formValues(t, p, "proposals")
	v.Del("csrf")
	for k := range v {
		if strings.HasSuffix(k, "-proposal") {
			v.Del(k)
		}
	}
	if v.Get("count") == "" || v.Get("count") == "0" {
		t.Fatalf("no proposals on the page")
	}
	return v.Encode()
}

// smallLimits makes files past 512 KB, and requests past 1 MB, too large.
func smallLimits(c *config.Config) { c.MaxFileSize, c.MaxUploadSize = 512<<10, 1<<20 }

// A notice uploaded as .docx gives the same proposals as its text pasted,
// and its bytes download unchanged from the document's page; pasted text
// wins over a scan's, which is kept as the source; a scan alone, a .doc, an
// executable and a file past the limit come back beside the file field
// with what was typed, and record nothing.
func TestPageDocumentFromFile(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		in := apptest.Start(t, tg, secToday, smallLimits)
		in.User("thuky", workflow.RoleSecretariat, "")
		b := loggedIn(t, in, "thuky", apptest.Password)
		const title = "THÔNG BÁO KẾT LUẬN CỦA THỦ TƯỚNG CHÍNH PHỦ"
		paras := doctexttest.SampleParagraphs(t, samples+"2021-11-30-ubqg-cds-phien-1.txt")
		text := strings.Join(append([]string{title}, paras...), "\n\n")
		docx := doctexttest.Doc{Header: "VĂN PHÒNG CHÍNH PHỦ", Footer: "Trang ", Blocks: doctexttest.Paragraphs(append([]string{title}, paras...))}.DOCX(t)
		scan := doctexttest.Scan(t, 1)

		form := b.get("/documents/new").want(t, "the new document form", 200)
		if !strings.Contains(form.Body, `enctype="multipart/form-data"`) || !strings.Contains(form.Body, `type="file" id="file" name="file"`) {
			t.Fatalf("the new document form takes no file")
		}
		fields := func(number, body string) []field {
			return []field{{"csrf", form.csrf(t)}, {"number", number}, {"kind", "conclusion_notice"},
				{"title", "Kết luận phiên họp thứ nhất"}, {"issued_on", "30/11/2021"}, {"signer", "Lê Văn Thành"}, {"body", body}}
		}
		record := func(what, number, body string, files ...upfile) (string, string) {
			t.Helper()
			p := b.postMultipart("/documents", fields(number, body), "file", files...).want(t, what, 303)
			m := regexp.MustCompile(`^/documents/(\d+)/proposals$`).FindStringSubmatch(p.Location)
			if m == nil {
				t.Fatalf("%s: went to %q", what, p.Location)
			}
			return "/documents/" + m[1], proposalsOf(t, b.get(p.Location).want(t, what+": proposals", 200))
		}
		_, pasted := record("the pasted text", "1/TB-VPCP", text)
		fromDocx, got := record("the .docx", "2/TB-VPCP", "", upfile{"Thông báo 1-TB.docx", docx})
		if got != pasted {
			t.Errorf("the .docx's proposals differ from the pasted text's:\n%s\n---\n%s", got, pasted)
		}
		show := b.get(fromDocx).want(t, "the document", 200)
		if !strings.Contains(show.Body, `href="`+fromDocx+`/file"`) || !strings.Contains(show.Body, "Thông báo 1-TB.docx") {
			t.Errorf("the document's page does not link its file")
		}
		status, data, cd := b.download(fromDocx + "/file")
		if status != 200 || !bytes.Equal(data, docx) || !strings.HasPrefix(cd, "attachment") {
			t.Errorf("the .docx downloads as %d, %d bytes (want %d), %q", status, len(data), len(docx), cd)
		}
		// Pasted text beside a scan: the text is used, the scan kept.
		withScan, got := record("a scan with its text pasted", "3/TB-VPCP", text, upfile{"ban-chup.pdf", scan})
		if got != pasted {
			t.Errorf("the pasted text beside a scan gives other proposals:\n%s", got)
		}
		if status, data, _ := b.download(withScan + "/file"); status != 200 || !bytes.Equal(data, scan) {
			t.Errorf("the scan downloads as %d, %d bytes", status, len(data))
		}

		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo."}}.PDF(t)
		refused := []struct {
			name   string
			file   upfile
			status int
			says   string
		}{
			{"a scan and no text", upfile{"ban-chup.pdf", scan}, 422, "bản quét"},
			{"a .doc", upfile{"cu.doc", doctexttest.OLE()}, 415, ".docx"},
			{"an executable", upfile{"setup.exe", []byte("MZ\x90\x00")}, 415, "Không nhận"},
			{"an unreadable .docx", upfile{"hong.docx", doctexttest.Truncated(docx)}, 422, "Không đọc được tệp"},
			{"a file past the limit", upfile{"lon.pdf", padPDF(pdf, 600<<10)}, 413, "512 KB"},
		}
		for i, c := range refused {
			number := fmt.Sprintf("%d/TB-VPCP", 10+i)
			p := b.postMultipart("/documents", fields(number, ""), "file", c.file).want(t, c.name, c.status)
			m := regexp.MustCompile(`<p class="error" id="file-error">([^<]*)</p>`).FindStringSubmatch(p.Body)
			if m == nil || !strings.Contains(strings.ToLower(m[1]), strings.ToLower(c.says)) {
				t.Errorf("%s: the message beside the file field is %q, want one saying %q", c.name, m, c.says)
			}
			for _, kept := range []string{`value="` + number + `"`, `value="Kết luận phiên họp thứ nhất"`, `value="30/11/2021"`, `value="Lê Văn Thành"`} {
				if !strings.Contains(p.Body, kept) {
					t.Errorf("%s: the form lost %s", c.name, kept)
				}
			}
			if strings.Contains(p.Body, "goroutine") || !strings.Contains(p.Body, `lang="vi"`) {
				t.Errorf("%s: not the Vietnamese form", c.name)
			}
			if n := rows(t, in, "SELECT COUNT(*) FROM documents WHERE number = ?", number); n != 0 {
				t.Errorf("%s: recorded %d documents", c.name, n)
			}
		}
		if n := rows(t, in, "SELECT COUNT(*) FROM attachments"); n != 2 {
			t.Errorf("%d attachments, want the .docx and the scan", n)
		}
		noTempFiles(t, in)
	})
}

// listedFiles are the files a task page lists (link, name, size), each
// once under its report or request and once in the history.
func listedFiles(t *testing.T, p page) [][]string {
	t.Helper()
	seen := map[string]int{}
	var out [][]string
	for _, l := range attachmentLinkRE.FindAllStringSubmatch(p.Body, -1) {
		if seen[l[0]]++; seen[l[0]] == 1 {
			out = append(out, l)
		}
	}
	for l, n := range seen {
		if n != 2 {
			t.Errorf("%s is listed %d times, want under its report or request and in the history", l, n)
		}
	}
	return out
}

var attachmentLinkRE = regexp.MustCompile(`<a href="(/attachments/\d+)" download data-attachment="\d+">([^<]+)</a> <small>\(([^)]+)\)</small>`)

// An agency's progress report with two files lists them on the task page
// with their names and sizes; they download with the bytes sent, for the
// agency and the secretariat, while another agency is told they do not
// exist. A completion report and an extension request carry files too, and
// the completion's event records each file's name, size and SHA-256.
func TestPageReportAttachments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newWorld(t, tg)
		byt := loggedIn(t, w.in, "byt.cb", apptest.Password)
		bca := loggedIn(t, w.in, "bca.cb", apptest.Password)
		thuky := loggedIn(t, w.in, "thuky", apptest.Password)
		path := taskPath(w.bytTask)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo kết quả rà soát danh mục thuốc."}}.PDF(t)
		docx := doctexttest.Doc{Blocks: doctexttest.Paragraphs([]string{"Phụ lục: danh mục thuốc thiết yếu."})}.DOCX(t)
		sent := map[string][]byte{"Báo cáo 12-BC-BYT.pdf": pdf, "Phụ lục.docx": docx}

		tp := byt.get(path).want(t, "the task page", 200)
		if !regexp.MustCompile(`data-form="progress" enctype="multipart/form-data"`).MatchString(tp.Body) || !strings.Contains(tp.Body, `id="progress-files" name="files" multiple`) {
			t.Fatalf("the progress form takes no files")
		}
		form := func(p page, fs ...field) []field {
			return append([]field{{"csrf", p.csrf(t)}, {"version", versionRE.FindStringSubmatch(p.Body)[1]}}, fs...)
		}
		// A type reports do not take comes back beside the field, the
		// report as typed, nothing kept.
		bad := byt.postMultipart(actionPath(w.bytTask, "progress"), form(tp, field{"body", "Đang rà soát"}, field{"percent", "40"}), "files",
			upfile{"setup.exe", []byte("MZ\x90\x00")}).want(t, "an executable", 415)
		if !strings.Contains(bad.Body, `id="progress-files-err"`) || !strings.Contains(bad.Body, ">Đang rà soát</textarea>") || !strings.Contains(bad.Body, `value="40"`) {
			t.Errorf("the refused file did not come back beside the field with the report as typed")
		}
		byt.postMultipart(actionPath(w.bytTask, "progress"), form(tp, field{"body", "Đã rà soát 60% danh mục"}, field{"percent", "60"}), "files",
			upfile{"Báo cáo 12-BC-BYT.pdf", pdf}, upfile{"Phụ lục.docx", docx}).want(t, "a progress report with two files", 303)

		tp = byt.get(path).want(t, "the task page after the report", 200)
		links := listedFiles(t, tp)
		if len(links) != 2 {
			t.Fatalf("%d files listed on the task page, want 2", len(links))
		}
		for _, l := range links {
			want, ok := sent[l[2]]
			if !ok || !strings.HasSuffix(l[3], "KB") {
				t.Errorf("listed %q (%s)", l[2], l[3])
				continue
			}
			for _, who := range []*browser{byt, thuky} {
				status, data, cd := who.download(l[1])
				if status != 200 || !bytes.Equal(data, want) || !strings.HasPrefix(cd, "attachment") {
					t.Errorf("%s downloads as %d, %d bytes (want %d), %q", l[2], status, len(data), len(want), cd)
				}
			}
			status, data, _ := bca.download(l[1])
			if status != 404 || strings.Contains(string(data), l[2]) || bytes.Contains(data, want[:8]) {
				t.Errorf("another agency gets %s as %d", l[2], status)
			}
		}
		if status, _, _ := bca.download("/attachments/999999"); status != 404 {
			t.Errorf("a file that does not exist: %d", status)
		}

		// An extension request and a completion report with a file each.
		byt.postMultipart("/tasks/"+fmt.Sprint(w.bytTask)+"/extensions", form(tp, field{"requested_due_on", "2026-04-30"}, field{"reason", "Chờ ý kiến các bộ"}), "files",
			upfile{"Công văn xin gia hạn.pdf", pdf}).want(t, "an extension request with a file", 303)
		tp = byt.get(path).want(t, "the task page", 200)
		done := doctexttest.Doc{Blocks: doctexttest.Paragraphs([]string{"Báo cáo hoàn thành."})}.DOCX(t)
		byt.postMultipart(actionPath(w.bytTask, "report_done"), form(tp, field{"report", "Đã hoàn thành rà soát"}), "files",
			upfile{"Báo cáo hoàn thành.docx", done}).want(t, "a completion report with a file", 303)
		tp = thuky.get(path).want(t, "the task page", 200)
		if n := len(listedFiles(t, tp)); n != 4 {
			t.Errorf("%d files listed, want 4", n)
		}
		for _, name := range []string{"Công văn xin gia hạn.pdf", "Báo cáo hoàn thành.docx"} {
			if !strings.Contains(tp.Body, ">"+name+"</a>") {
				t.Errorf("the task page does not list %s", name)
			}
		}
		var evs struct {
			Items []struct {
				Action string
				Data   map[string]any
			}
		}
		w.sec.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/events", w.bytTask), nil).Want(200).JSON(&evs)
		var recorded string
		for _, e := range evs.Items {
			if e.Action == "report_done" {
				recorded = fmt.Sprint(e.Data["attachments"])
			}
		}
		if !strings.Contains(recorded, "Báo cáo hoàn thành.docx") || !strings.Contains(recorded, sha256Hex(done)) || !strings.Contains(recorded, fmt.Sprint(len(done))) {
			t.Errorf("the completion's event records its files as %q", recorded)
		}
		// A file on an action that takes none is refused, the task unmoved.
		tp = thuky.get(path).want(t, "the task page", 200)
		thuky.postMultipart(actionPath(w.bytTask, "confirm"), form(tp), "files", upfile{"x.pdf", pdf}).want(t, "a file on a confirmation", 422)
		noTempFiles(t, w.in)
	})
}

// A multipart form without its CSRF token, with a wrong one, or with the
// token after the file is refused (403) and keeps nothing: no report, no
// file, no spooled file; so is one with bad text or a file where none is
// taken (422). The refusal comes before the file is read: the
// answer arrives while the browser still holds back the file's bytes.
func TestPageMultipartCSRF(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newWorld(t, tg)
		byt := loggedIn(t, w.in, "byt.cb", apptest.Password)
		thuky := loggedIn(t, w.in, "thuky", apptest.Password)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo."}}.PDF(t)
		tp := byt.get(taskPath(w.bytTask)).want(t, "the task page", 200)
		version := versionRE.FindStringSubmatch(tp.Body)[1]
		report := []field{{"version", version}, {"body", "Đã triển khai"}}
		progress := actionPath(w.bytTask, "progress")

		byt.postMultipart(progress, report, "files", upfile{"a.pdf", pdf}).want(t, "no token", 403)
		byt.postMultipart(progress, append([]field{{"csrf", "forged"}}, report...), "files", upfile{"a.pdf", pdf}).want(t, "a wrong token", 403)
		// The token last, after the file: a browser sends it first.
		body, ctype := multipartForm(t, report, "files", upfile{"a.pdf", pdf})
		last := bytes.TrimSuffix(body, []byte("--\r\n"))
		boundary := strings.TrimPrefix(ctype, "multipart/form-data; boundary=")
		last = append(last, fmt.Sprintf("\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n--%s--\r\n", tp.csrf(t), boundary)...)
		req, err := http.NewRequest(http.MethodPost, byt.base+progress, bytes.NewReader(last))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ctype)
		byt.do(req).want(t, "the token after the file", 403)
		thuky.postMultipart("/documents", []field{{"number", "99/TB-VPCP"}, {"kind", "conclusion_notice"}, {"title", "Kết luận"},
			{"issued_on", "25/02/2026"}, {"body", "Bộ Y tế chủ trì."}}, "file", upfile{"a.pdf", pdf}).want(t, "a document without a token", 403)

		// With its token, a control character in a field, or a file on a
		// form that takes none, is refused whole.
		token := field{"csrf", tp.csrf(t)}
		byt.postMultipart(progress, []field{token, {"version", version}, {"body", "Đã\x00triển khai"}}, "files", upfile{"a.pdf", pdf}).
			want(t, "a control character", 422)
		byt.postMultipart("/notifications/read-all", []field{token}, "files", upfile{"a.pdf", pdf}).want(t, "a file on a form that takes none", 422)
		// One file more than the API takes comes back beside the field.
		many := make([]upfile, workflow.MaxAttachments+1)
		for i := range many {
			many[i] = upfile{fmt.Sprintf("phu-luc-%d.pdf", i), pdf}
		}
		p := byt.postMultipart(progress, []field{token, {"version", version}, {"body", "Đã triển khai"}}, "files", many...).want(t, "too many files", 422)
		if !strings.Contains(p.Body, `id="progress-files-err">Chỉ gửi kèm tối đa 20 tệp`) {
			t.Errorf("too many files: no message beside the field")
		}

		// The file held back: the answer must come from the first part.
		pr, pw := io.Pipe()
		answered := make(chan struct{})
		mw := multipart.NewWriter(pw)
		// A server that waits for the file never answers: the request
		// gives up after a while, and the writer with it.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		go func() {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="files"; filename="a.pdf"`)
			p, err := mw.CreatePart(h)
			if err == nil {
				_, err = p.Write(pdf[:16])
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			select {
			case <-answered:
			case <-ctx.Done():
			}
			pw.CloseWithError(fmt.Errorf("the rest of the file is never sent"))
		}()
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, byt.base+progress, pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := byt.c.Do(req)
		close(answered)
		if err != nil {
			t.Fatalf("a form whose file is held back got no answer: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("a form whose file is held back: %d, want 403", resp.StatusCode)
		}

		for _, table := range []string{"reports", "attachments", "blobs", "blob_chunks", "documents WHERE number = '99/TB-VPCP'"} {
			if n := rows(t, w.in, "SELECT COUNT(*) FROM "+table); n != 0 {
				t.Errorf("%s: %d rows after forged forms", table, n)
			}
		}
		noTempFiles(t, w.in)
	})
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// On the task page, a file past the limit, and files together past the
// request's limit, come back beside the file field with the report as
// typed, and keep nothing.
func TestPageReportTooLarge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		in := apptest.Start(t, tg, civil.Date{Year: 2026, Month: 3, Day: 2}, smallLimits)
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		in.User("byt.cb", workflow.RoleAgency, "BYT")
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "12/TB-VPCP", "kind": "conclusion_notice",
			"title": "Kết luận của Thủ tướng", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
		var d struct{ Tasks []struct{ ID int64 } }
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Rà soát danh mục thuốc",
			"lead": "BYT", "due_on": "2026-03-31"}).Want(201).JSON(&d)
		id := d.Tasks[0].ID
		byt := loggedIn(t, in, "byt.cb", apptest.Password)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo."}}.PDF(t)
		cases := []struct {
			name  string
			files []upfile
			says  string
		}{
			{"a file past the limit", []upfile{{"lon.pdf", padPDF(pdf, 600<<10)}}, "Tệp vượt quá 512 KB"},
			{"files past the request's limit", []upfile{{"a.pdf", padPDF(pdf, 400<<10)}, {"b.pdf", padPDF(pdf, 400<<10)}, {"c.pdf", padPDF(pdf, 400<<10)}}, "Tổng dung lượng"},
		}
		for _, c := range cases {
			tp := byt.get(taskPath(id)).want(t, "the task page", 200)
			p := byt.postMultipart(actionPath(id, "progress"), []field{{"csrf", tp.csrf(t)}, {"version", versionRE.FindStringSubmatch(tp.Body)[1]},
				{"body", "Đã rà soát một nửa"}, {"percent", "50"}}, "files", c.files...).want(t, c.name, 413)
			m := regexp.MustCompile(`<p class="field-error" id="progress-files-err">([^<]*)</p>`).FindStringSubmatch(p.Body)
			if m == nil || !strings.Contains(m[1], c.says) {
				t.Errorf("%s: beside the file field %q, want %q", c.name, m, c.says)
			}
			if !strings.Contains(p.Body, ">Đã rà soát một nửa</textarea>") || !strings.Contains(p.Body, `value="50"`) {
				t.Errorf("%s: the report as typed is lost", c.name)
			}
		}
		for _, table := range []string{"reports", "attachments", "blobs", "blob_chunks"} {
			if n := rows(t, in, "SELECT COUNT(*) FROM "+table); n != 0 {
				t.Errorf("%s: %d rows after refused uploads", table, n)
			}
		}
		noTempFiles(t, in)
	})
}
