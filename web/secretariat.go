package web

// The secretariat's pages (issue 23): documents, the proposals that turn a
// document's text into tasks, and the three queues. Stable form names and
// ids, for tests and the browser story:
//
//	GET  /documents                 search form: q, from, to (dd/mm/yyyy); table#documents
//	GET  /documents/new             form#document-new (multipart): number, kind, title, issued_on, signer, body,
//	                                file (.docx, .pdf, .txt; its error in #file-error)
//	POST /documents                 → 303 /documents/:id/proposals
//	GET  /documents/:id             the document, its tasks (table#document-tasks)
//	GET  /documents/:id/proposals   form#proposals: count; per block i (0…): p{i}-give (checkbox "Giao"),
//	                                p{i}-proposal (hidden), p{i}-action, p{i}-lead, p{i}-coordinators (";"),
//	                                p{i}-group, p{i}-due_on, p{i}-due_days, p{i}-due_period, p{i}-due_kind,
//	                                p{i}-field; buttons op=preview (#preview), op=add (#add-block), op=give (#give)
//	POST /documents/:id/directives  → 303 /documents/:id?given=N#document-tasks, or the form again (422)
//	GET  /agencies/search?q=        the catalog's folded search (also JSON with Accept: application/json)
//	GET  /queue/reports             per task: form#confirm-{id} (POST …/confirm), form#return-{id} (comment)
//	GET  /queue/extensions          per request: form#decide-{eid}: decision=approve|reject, comment
//	GET  /queue/overdue             form#urge-overdue: task (checkboxes), message; button only={id} urges one

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// secretariatRoutes are these pages' routes ("METHOD /path").
var secretariatRoutes = []string{"GET /documents", "GET /documents/new", "POST /documents", "GET /documents/:id",
	"GET /documents/:id/proposals", "POST /documents/:id/directives", "GET /agencies/search",
	"GET /queue/reports", "POST /queue/reports/:id/:action", "GET /queue/extensions",
	"POST /queue/extensions/:id/decide", "GET /queue/overdue", "POST /queue/overdue/urge"}

// secretariatPages are the templates of these pages.
var secretariatPages = []string{"documents", "documents_new", "documents_show", "documents_proposals",
	"agency_search", "queue_reports", "queue_extensions", "queue_overdue"}

// mountSecretariat registers the secretariat's pages.
func mountSecretariat(e *echo.Echo, w *webUI) {
	for _, p := range secretariatPages {
		w.pages[p] = template.Must(template.New("").Funcs(webFuncs).Funcs(secretariatFuncs).ParseFS(webFiles, "templates/layout.html", "templates/"+p+".html"))
	}
	sec := func(h func(c echo.Context, actor workflow.Actor) error) echo.HandlerFunc {
		return w.page(func(c echo.Context, actor workflow.Actor) error {
			if !actor.Is(workflow.RoleSecretariat) {
				return w.fail(c, actor, http.StatusForbidden, "Trang này dành cho chuyên viên Văn phòng Chính phủ.")
			}
			return h(c, actor)
		})
	}
	e.GET("/documents", sec(w.documents))
	e.GET("/documents/new", sec(w.documentNew))
	e.POST("/documents", sec(w.documentCreate))
	e.GET("/documents/:id", sec(w.documentShow))
	px := &extractors{}
	e.GET("/documents/:id/proposals", sec(func(c echo.Context, a workflow.Actor) error { return w.proposals(c, a, px) }))
	e.POST("/documents/:id/directives", sec(func(c echo.Context, a workflow.Actor) error { return w.giveDirectives(c, a, px) }))
	e.GET("/agencies/search", sec(w.agencySearch))
	e.GET("/queue/reports", sec(w.queueReports))
	e.POST("/queue/reports/:id/:action", sec(w.queueReportAct))
	e.GET("/queue/extensions", sec(w.queueExtensions))
	e.POST("/queue/extensions/:id/decide", sec(w.queueExtensionDecide))
	e.GET("/queue/overdue", sec(w.queueOverdue))
	e.POST("/queue/overdue/urge", sec(w.queueOverdueUrge))
}

var secretariatFuncs = template.FuncMap{
	"docKind": func(k string) string { return workflow.DocumentKindLabels[workflow.DocumentKind(k)] },
	"inc":     func(i int) int { return i + 1 },
}

func pathID(c echo.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

// fieldErrors maps a service's field errors to Vietnamese messages keyed
// by field.
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	var de *workflow.Error
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			out[f.Field] = "Không hợp lệ: " + f.Message
		}
		if len(de.Fields) == 0 {
			out[""] = de.Message
		}
	}
	return out
}

type documentsQuery struct{ Q, From, To string }

func (w *webUI) documents(c echo.Context, actor workflow.Actor) error {
	q := documentsQuery{Q: c.QueryParam("q"), From: c.QueryParam("from"), To: c.QueryParam("to")}
	errs := map[string]string{}
	f := workflow.DocumentFilter{Q: q.Q, Page: workflow.Page{Limit: 50, Cursor: c.QueryParam("cursor")}}
	var ok bool
	if f.IssuedFrom, ok = parseDay(q.From); !ok {
		errs["from"] = "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 05/12/2026."
	}
	if f.IssuedTo, ok = parseDay(q.To); !ok {
		errs["to"] = "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 05/12/2026."
	}
	if len(q.Q) > 200 {
		errs["q"] = "Từ khóa quá dài."
	}
	var docs []models.Document
	next := ""
	if len(errs) == 0 {
		var err error
		if docs, next, err = w.svc.Documents(c.Request().Context(), f); err != nil {
			return w.failErr(c, actor, err)
		}
	}
	nextURL := ""
	if next != "" {
		v := url.Values{"q": {q.Q}, "from": {q.From}, "to": {q.To}, "cursor": {next}}
		nextURL = "/documents?" + v.Encode()
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return w.render(c, status, "documents", view{Title: "Văn bản", Nav: "documents", Actor: actor, Data: map[string]any{
		"Docs": docs, "Q": q, "Errors": errs, "Next": nextURL,
	}})
}

type documentForm struct {
	Number, Kind, Title, IssuedOn, Signer, Body string
}

func (w *webUI) documentNew(c echo.Context, actor workflow.Actor) error {
	return w.documentFormPage(c, actor, http.StatusOK, documentForm{Kind: string(workflow.DocConclusionNotice)}, nil)
}

func (w *webUI) documentFormPage(c echo.Context, actor workflow.Actor, status int, f documentForm, errs map[string]string) error {
	kinds := make([]option, 0, len(workflow.DocumentKinds))
	for _, k := range workflow.DocumentKinds {
		kinds = append(kinds, option{string(k), workflow.DocumentKindLabels[k]})
	}
	return w.render(c, status, "documents_new", view{Title: "Thêm văn bản", Nav: "documents", Actor: actor, Data: map[string]any{
		"F": f, "Errors": errs, "Kinds": kinds,
	}})
}

// documentCreate records a document from the form, with its source file if
// one was chosen (as POST /api/v1/documents does): the pasted text wins over
// the file's, and the file is kept as the document's source either way. A
// file with no text to read (a scan) and nothing pasted records nothing: the
// form comes back asking for the text, which the proposals need.
func (w *webUI) documentCreate(c echo.Context, actor workflow.Actor) error {
	f := documentForm{Number: c.FormValue("number"), Kind: c.FormValue("kind"), Title: c.FormValue("title"),
		IssuedOn: c.FormValue("issued_on"), Signer: c.FormValue("signer"), Body: c.FormValue("body")}
	errs := map[string]string{}
	status := http.StatusUnprocessableEntity
	files, upErr := uploaded(c)
	var file *workflow.StagedFile
	if len(files) > 0 {
		file = files[0]
	}
	if st, msg, ok := fileRefusal(upErr); ok {
		status, errs["file"] = st, msg+" Vui lòng chọn lại tệp."
	} else if upErr != nil {
		return w.failErr(c, actor, upErr) // the server's fault (spooling), logged
	}
	issued, ok := parseDay(f.IssuedOn)
	if !ok {
		errs["issued_on"] = "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 05/12/2026."
	}
	kind := workflow.DocumentKind(f.Kind)
	if _, known := workflow.DocumentKindLabels[kind]; !known {
		errs["kind"] = "Chọn một loại văn bản trong danh sách."
	}
	if strings.TrimSpace(f.Body) == "" && file == nil && errs["file"] == "" {
		errs["body"] = "Dán nội dung văn bản hoặc chọn tệp văn bản để hệ thống đề xuất nhiệm vụ."
	}
	if len(errs) == 0 {
		rec, err := w.svc.RecordDocument(c.Request().Context(), actor, workflow.NewDocument{
			Number: f.Number, Kind: kind, Title: f.Title, IssuedOn: issued, Signer: f.Signer, Body: f.Body, RequireText: true}, file)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/documents/"+strconv.FormatInt(rec.Document.ID, 10)+"/proposals")
		}
		if st, msg, ok := fileRefusal(err); ok {
			status, errs["file"] = st, msg+" Vui lòng chọn lại tệp."
			return w.documentFormPage(c, actor, status, f, errs)
		}
		switch workflow.KindOf(err) {
		case workflow.KindInvalid:
			errs = fieldErrors(err)
			if m, ok := errs["number"]; ok {
				errs["number"] = "Ghi số, ký hiệu văn bản (ví dụ 123/TB-VPCP). " + m
			}
			if _, ok := errs["title"]; ok {
				errs["title"] = "Ghi trích yếu của văn bản."
			}
			if m, ok := errs["issued_on"]; ok {
				errs["issued_on"] = "Ngày ban hành không hợp lệ (không để trống, không sau hôm nay). " + m
			}
			if _, ok := errs["file"]; ok {
				errs["file"] = "Tệp là bản quét, không có lớp chữ để đọc. Hãy dán nội dung văn bản vào ô trên rồi chọn lại tệp: tệp vẫn được lưu làm bản gốc."
			}
		case workflow.KindConflict:
			errs["number"] = "Văn bản số này, ban hành ngày này, đã có trong hệ thống."
		default:
			return w.failErr(c, actor, err)
		}
	}
	return w.documentFormPage(c, actor, status, f, errs)
}

func (w *webUI) documentShow(c echo.Context, actor workflow.Actor) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("document"))
	}
	ctx := c.Request().Context()
	doc, err := w.svc.Document(ctx, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	views, next, err := w.svc.Tasks(ctx, actor, workflow.TaskFilter{DocumentID: id, Sort: "id", Page: workflow.Page{Limit: 200}})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	given, _ := strconv.Atoi(c.QueryParam("given"))
	var file *models.Attachment
	if a, err := w.svc.DocumentFile(ctx, id); err == nil {
		file = &a
	} else if workflow.KindOf(err) != workflow.KindNotFound {
		return w.failErr(c, actor, err)
	}
	return w.render(c, http.StatusOK, "documents_show", view{Title: "Văn bản số " + doc.Number, Nav: "documents", Actor: actor, Data: map[string]any{
		"Doc": doc, "Rows": rows, "More": next != "", "Given": given, "File": file,
	}})
}

// parseDay reads a date as a person types it: dd/mm/yyyy (d/m/yyyy, with
// "-" or "." too) or yyyy-mm-dd, as a date input sends it. Empty is the
// zero date.
func parseDay(s string) (civil.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return civil.Date{}, true
	}
	if d, err := civil.ParseDate(s); err == nil {
		return d, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return civil.Date{}, false
	}
	pad := func(p string) string {
		if len(p) == 1 {
			return "0" + p
		}
		return p
	}
	d, err := civil.ParseDate(parts[2] + "-" + pad(parts[1]) + "-" + pad(parts[0]))
	return d, err == nil
}
