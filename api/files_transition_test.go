package api_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

// postTransition sends a multipart transition, with If-Match when given.
func postTransition(c *apptest.Client, id int64, ifMatch string, fields map[string]string, files ...upload) *apptest.Response {
	body, ctype := multipartBody(c.In().T, fields, "files", files...)
	headers := []string{"Content-Type", ctype}
	if ifMatch != "" {
		headers = append(headers, "If-Match", ifMatch)
	}
	return c.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", id), body, headers...)
}

// rowCount counts a table's rows.
func rowCount(t *testing.T, f *fixture, table string) int64 {
	t.Helper()
	var n int64
	if err := f.in.App.DB.R.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// An agency reports a task done through the API with its signed PDF report
// and an XLSX annex, as the task page does: the task is reported, the
// completion report lists both files, its event records their SHA-256, the
// audit covers them, and they download unchanged for the agency and the
// secretariat, not for another agency.
func TestFilesTransitionReportDone(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo hoàn thành nhiệm vụ, có chữ ký và đóng dấu."}}.PDF(t)
		xlsx := doctexttest.XLSX(t)
		var got task
		r := postTransition(f.byt, tk.ID, strconv.Quote(strconv.Itoa(tk.Version)),
			map[string]string{"action": "report_done", "report": "Đã hoàn thành, gửi kèm báo cáo ký số"},
			upload{"Báo cáo 15-BC-BYT.pdf", pdf}, upload{"Phụ lục số liệu.xlsx", xlsx}).Want(200).JSON(&got)
		if got.Status != "reported" || got.ID != tk.ID {
			t.Fatalf("answer %+v", got)
		}
		if e := r.Header.Get("ETag"); e != strconv.Quote(strconv.Itoa(got.Version)) {
			t.Errorf("ETag %q for version %d", e, got.Version)
		}
		var read task
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", tk.ID), nil).Want(200).JSON(&read)
		if read.Status != "reported" {
			t.Errorf("task reads back as %s", read.Status)
		}

		var reps struct {
			Items []struct {
				ID          int64        `json:"id"`
				Kind        string       `json:"kind"`
				Attachments []attachment `json:"attachments"`
			} `json:"items"`
		}
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/reports", tk.ID), nil).Want(200).JSON(&reps)
		if len(reps.Items) != 1 || reps.Items[0].Kind != "completion" || len(reps.Items[0].Attachments) != 2 {
			t.Fatalf("reports %+v", reps.Items)
		}
		atts := reps.Items[0].Attachments
		if atts[0].Name != "Báo cáo 15-BC-BYT.pdf" || atts[0].ContentType != "application/pdf" || atts[0].SHA256 != sha256Hex(pdf) ||
			atts[1].Name != "Phụ lục số liệu.xlsx" || atts[1].SHA256 != sha256Hex(xlsx) || atts[1].Size != int64(len(xlsx)) {
			t.Errorf("attachments %+v", atts)
		}

		var evs struct {
			Items []struct {
				Action string         `json:"action"`
				Data   map[string]any `json:"data"`
			} `json:"items"`
		}
		f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/events", tk.ID), nil).Want(200).JSON(&evs)
		var done string
		for _, e := range evs.Items {
			if e.Action == "report_done" {
				done = fmt.Sprint(e.Data)
			}
		}
		for _, want := range []string{sha256Hex(pdf), sha256Hex(xlsx), "Báo cáo 15-BC-BYT.pdf", strconv.Itoa(len(pdf))} {
			if !strings.Contains(done, want) {
				t.Errorf("the report_done event does not record %s: %s", want, done)
			}
		}
		res, err := f.in.App.Service.VerifyAudit(t.Context())
		if err != nil || !res.OK || res.Files != 2 {
			t.Errorf("audit: %+v, %v", res, err)
		}

		for i, data := range [][]byte{pdf, xlsx} {
			url := fmt.Sprintf("/api/v1/attachments/%d", atts[i].ID)
			for _, c := range []*apptest.Client{f.byt, f.secretariat} {
				if b := c.Do("GET", url, nil).Want(200).Body; !bytes.Equal(b, data) {
					t.Errorf("%s downloads %d bytes of %s, want %d", c.Name, len(b), atts[i].Name, len(data))
				}
			}
			if p := f.bca.Do("GET", url, nil).Want(404).Map(); strings.Contains(fmt.Sprint(p), atts[i].Name) {
				t.Errorf("another agency learns of the file: %v", p)
			}
		}
		noTempFiles(t, f.in)
	})
}

// Refused multipart transitions store nothing and leave the task as it
// was: files with another action than report_done (422), a file of a
// refused type (415), a stale If-Match (412), an unknown action (422).
func TestFilesTransitionRefused(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		pdf := doctexttest.Notice{Paragraphs: []string{"Báo cáo."}}.PDF(t)
		cases := []struct {
			name    string
			ifMatch string
			fields  map[string]string
			files   []upload
			status  int
			code    string
			where   string
		}{
			{"files on acknowledge", "", map[string]string{"action": "acknowledge"}, []upload{{"bc.pdf", pdf}}, 422, "", "files"},
			{"executable", "", map[string]string{"action": "report_done", "report": "Xong"}, []upload{{"setup.exe", []byte("MZ\x90\x00")}}, 415, "file_type_unsupported", ""},
			{"stale If-Match", `"` + strconv.Itoa(tk.Version+5) + `"`, map[string]string{"action": "report_done", "report": "Xong"}, []upload{{"bc.pdf", pdf}}, 412, "", ""},
			{"unknown action", "", map[string]string{"action": "finish"}, []upload{{"bc.pdf", pdf}}, 422, "", "action"},
			{"no report", "", map[string]string{"action": "report_done"}, []upload{{"bc.pdf", pdf}}, 422, "", "report"},
			{"unknown field", "", map[string]string{"action": "report_done", "report": "Xong", "percent": "100"}, nil, 422, "", "percent"},
		}
		for _, c := range cases {
			r := postTransition(f.byt, tk.ID, c.ifMatch, c.fields, c.files...).Want(c.status)
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s: %s", c.name, r.Header.Get("Content-Type"))
			}
			p := r.Map()
			if c.code != "" && p["code"] != c.code {
				t.Errorf("%s: code %v, want %s: %v", c.name, p["code"], c.code, p)
			}
			if c.where != "" && !strings.Contains(fmt.Sprint(p["errors"]), c.where) {
				t.Errorf("%s: the problem does not name %s: %v", c.name, c.where, p)
			}
		}
		for _, table := range []string{"reports", "attachments", "blobs", "blob_chunks"} {
			if n := rowCount(t, f, table); n != 0 {
				t.Errorf("%s: %d rows after refused transitions", table, n)
			}
		}
		var read task
		f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", tk.ID), nil).Want(200).JSON(&read)
		if read.Status != tk.Status || read.Version != tk.Version {
			t.Errorf("task went from %s v%d to %s v%d", tk.Status, tk.Version, read.Status, read.Version)
		}
		// Without files, a multipart acknowledge is the JSON one.
		postTransition(f.byt, tk.ID, strconv.Quote(strconv.Itoa(tk.Version)), map[string]string{"action": "acknowledge"}).Want(200).JSON(&read)
		if read.Status != "in_progress" {
			t.Errorf("acknowledged task is %s", read.Status)
		}
		noTempFiles(t, f.in)
	})
}

// The OpenAPI document describes the multipart body of every upload route
// beside its JSON one, the transition's included, with the file part and
// the 413 and 415 answers.
func TestFilesMultipartInOpenAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Required   []string       `json:"required"`
						Properties map[string]any `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	in.Anonymous().Do("GET", "/api/v1/openapi.json", nil).Want(200).JSON(&doc)
	for path, part := range map[string]string{"/documents": "file", "/tasks/{id}/reports": "files",
		"/tasks/{id}/extensions": "files", "/tasks/{id}/transitions": "files"} {
		op := doc.Paths[path]["post"]
		form, ok := op.RequestBody.Content["multipart/form-data"]
		if _, hasJSON := op.RequestBody.Content["application/json"]; !ok || !hasJSON {
			t.Errorf("POST %s: request bodies %v, want JSON and multipart", path, op.RequestBody.Content)
			continue
		}
		if form.Schema.Properties[part] == nil {
			t.Errorf("POST %s: the multipart body has no %q part: %v", path, part, form.Schema.Properties)
		}
		if op.Responses["413"] == nil || op.Responses["415"] == nil {
			t.Errorf("POST %s: no 413 or 415 answer documented", path)
		}
	}
	tr := doc.Paths["/tasks/{id}/transitions"]["post"].RequestBody.Content["multipart/form-data"].Schema
	if len(tr.Required) != 1 || tr.Required[0] != "action" || tr.Properties["report"] == nil || tr.Properties["comment"] == nil {
		t.Errorf("transition form %+v", tr)
	}
}
