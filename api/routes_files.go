package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// Uploads (issue 22). POST /documents, /tasks/{id}/reports,
// /tasks/{id}/extensions and /tasks/{id}/transitions (report_done with the
// signed report) take multipart/form-data besides JSON: the same fields as
// form values, and the files. huma would parse such a body whole into
// memory, so these are answered here, part by part: each file is
// spooled to a temporary file while it is hashed and counted against the
// limits (workflow.Stage…), then the command keeps it in its transaction.
// The JSON operations carry the multipart schema in the OpenAPI document.

// uploadRoutes are the echo paths that take multipart bodies, with the
// name of their file part.
var uploadRoutes = map[string]uploadRoute{
	BasePath + "/documents":            {field: "file", maxFiles: 1, opID: "create-document"},
	BasePath + "/tasks/:id/reports":    {field: "files", maxFiles: maxUploadFiles, opID: "add-report"},
	BasePath + "/tasks/:id/extensions": {field: "files", maxFiles: maxUploadFiles, opID: "request-extension"},
	// Files only with report_done: the workflow refuses them on any other
	// action (422), after they were staged, never stored.
	BasePath + "/tasks/:id/transitions": {field: "files", maxFiles: maxUploadFiles, opID: "transition-task"},
}

type uploadRoute struct {
	field    string
	maxFiles int
	opID     string
}

// maxUploadFiles is how many files one report or request may carry.
const maxUploadFiles = workflow.MaxAttachments

// maxFieldBytes bounds a form value: a document's body at most.
const maxFieldBytes = 1_000_000

// isUpload tells a multipart POST to an upload route: its body is limited
// by the upload limit, not the JSON body limit.
func isUpload(c echo.Context) bool {
	r := c.Request()
	if r.Method != http.MethodPost {
		return false
	}
	if _, ok := uploadRoutes[c.Path()]; !ok {
		return false
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return mt == "multipart/form-data"
}

// isPageUpload tells a multipart POST to a dashboard page (package web),
// which reads it part by part itself: its body is limited by the upload
// limit too, not the form's body limit.
func isPageUpload(c echo.Context) bool {
	r := c.Request()
	if r.Method != http.MethodPost || strings.HasPrefix(r.URL.Path, BasePath+"/") {
		return false
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return mt == "multipart/form-data"
}

// uploads answers multipart requests to the upload routes; the rest go on
// to huma. The Idempotency-Key is not honoured on them: replaying would
// mean keeping the whole upload's hash before the first byte is stored.
func (s *Server) uploads() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if isPageUpload(c) {
				c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, s.opts.UploadLimit)
				return next(c)
			}
			if !isUpload(c) {
				return next(c)
			}
			route := uploadRoutes[c.Path()]
			r := c.Request()
			r.Body = http.MaxBytesReader(c.Response(), r.Body, s.opts.UploadLimit)
			stage := s.svc.StageAttachment
			if route.field == "file" {
				stage = s.svc.StageSource
			}
			form, err := readUpload(r, route, stage)
			defer workflow.RemoveAll(form.files)
			if err != nil {
				return writeProblem(c, s.problemOf(err))
			}
			var status int
			var body any
			switch route.opID {
			case "create-document":
				status, body, err = s.uploadDocument(r.Context(), form)
			case "add-report":
				status, body, err = s.uploadReport(r.Context(), c.Param("id"), r.Header.Get("If-Match"), form)
			case "request-extension":
				status, body, err = s.uploadExtension(r.Context(), c.Param("id"), form)
			case "transition-task":
				var tag string
				status, body, tag, err = s.uploadTransition(r.Context(), c.Param("id"), r.Header.Get("If-Match"), form)
				if err == nil {
					c.Response().Header().Set("ETag", tag)
				}
			}
			if err != nil {
				return writeProblem(c, s.problemOf(err))
			}
			return c.JSON(status, body)
		}
	}
}

// problemOf is fail's answer as a problem.
func (s *Server) problemOf(err error) *Problem {
	var p *Problem
	if errors.As(fail(s.log, err), &p) {
		return p
	}
	return newProblem(http.StatusInternalServerError, "internal", "the server could not complete the request; it has been logged")
}

type uploadForm struct {
	fields map[string]string
	files  []*workflow.StagedFile
}

func (f uploadForm) has(name string) bool { _, ok := f.fields[name]; return ok }

// readUpload reads a multipart body part by part. Whatever it staged is in
// the form it returns, even with an error, for the caller to remove.
func readUpload(r *http.Request, route uploadRoute, stage func(context.Context, string, io.Reader) (*workflow.StagedFile, error)) (uploadForm, error) {
	form := uploadForm{fields: map[string]string{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return form, newProblem(http.StatusBadRequest, "bad_multipart", "the body is not multipart/form-data with a boundary: "+err.Error())
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil {
			return form, badPart(err)
		}
		name := part.FormName()
		// The filename as sent: Part.FileName would cut a path down to its
		// last element, and a name with separators is to be refused.
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		filename, isFile := params["filename"]
		switch {
		case name == route.field:
			if !isFile {
				return form, invalidPart(name, "must be a file (a part with a filename)")
			}
			if len(form.files) == route.maxFiles {
				return form, invalidPart(name, fmt.Sprintf("at most %d files", route.maxFiles))
			}
			f, err := stage(r.Context(), filename, part)
			if err != nil {
				return form, err
			}
			form.files = append(form.files, f)
		case isFile:
			return form, invalidPart(name, "is not a file part of this request (files go in \""+route.field+"\")")
		case form.has(name):
			return form, invalidPart(name, "is given twice")
		default:
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return form, badPart(err)
			}
			if len(b) > maxFieldBytes {
				return form, invalidPart(name, fmt.Sprintf("is longer than %d bytes", maxFieldBytes))
			}
			if len(form.fields) >= 16 {
				return form, invalidPart(name, "too many fields")
			}
			// The same rules as every other input (api/input.go): no
			// control characters, valid UTF-8, stored in NFC.
			if p := checkText("body."+name, string(b), true); p != nil {
				return form, p
			}
			form.fields[name] = norm.NFC.String(string(b))
		}
	}
}

func badPart(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return newProblem(http.StatusBadRequest, "bad_multipart", "the multipart body cannot be read: "+err.Error())
}

func invalidPart(name, msg string) *Problem {
	return newProblem(http.StatusUnprocessableEntity, "invalid_input", "the request has invalid fields",
		&ProblemItem{Location: "body." + name, Message: msg})
}

// formFields checks the form's values against the names a route takes,
// their required presence and their lengths.
func formFields(form uploadForm, known map[string]int, required ...string) error {
	var items []*ProblemItem
	for name, v := range form.fields {
		max, ok := known[name]
		switch {
		case !ok:
			items = append(items, &ProblemItem{Location: "body." + name, Message: "unexpected property"})
		case len([]rune(v)) > max:
			items = append(items, &ProblemItem{Location: "body." + name, Message: fmt.Sprintf("expected length <= %d", max)})
		}
	}
	for _, name := range required {
		if strings.TrimSpace(form.fields[name]) == "" {
			items = append(items, &ProblemItem{Location: "body." + name, Message: "is required"})
		}
	}
	if len(items) > 0 {
		return newProblem(http.StatusUnprocessableEntity, "invalid_input", "the request has invalid fields", items...)
	}
	return nil
}

func formDate(form uploadForm, name string) (civil.Date, error) {
	v := form.fields[name]
	if v == "" {
		return civil.Date{}, nil
	}
	d, err := civil.ParseDate(v)
	if err != nil {
		return d, invalidPart(name, "expected a date YYYY-MM-DD")
	}
	return d, nil
}

// DocumentRecorded answers a multipart POST /documents.
type DocumentRecorded struct {
	Document
	File          *Attachment `json:"file,omitempty"`
	TextExtracted bool        `json:"text_extracted" doc:"Whether the body was read from the file; false for a scan without a text layer (paste the text)"`
	Note          string      `json:"note,omitempty" doc:"What to do when the text could not be read"`
}

func (s *Server) uploadDocument(ctx context.Context, form uploadForm) (int, any, error) {
	if err := formFields(form, map[string]int{"number": 100, "kind": 50, "title": 1000, "issued_on": 10, "signer": 200, "body": maxFieldBytes},
		"number", "kind", "title", "issued_on"); err != nil {
		return 0, nil, err
	}
	kind := workflow.DocumentKind(form.fields["kind"])
	if _, ok := workflow.DocumentKindLabels[kind]; !ok {
		return 0, nil, invalidPart("kind", "expected one of conclusion_notice, resolution, decision, directive, official_letter, other")
	}
	issued, err := formDate(form, "issued_on")
	if err != nil {
		return 0, nil, err
	}
	var file *workflow.StagedFile
	if len(form.files) > 0 {
		file = form.files[0]
	}
	rec, err := s.svc.RecordDocument(ctx, actorFrom(ctx), workflow.NewDocument{Number: form.fields["number"], Kind: kind,
		Title: form.fields["title"], IssuedOn: issued, Signer: form.fields["signer"], Body: form.fields["body"]}, file)
	if err != nil {
		return 0, nil, err
	}
	out := DocumentRecorded{Document: documentOut(rec.Document, true), TextExtracted: rec.TextExtracted, Note: rec.Note}
	if rec.File != nil {
		a := attachmentOut(*rec.File)
		out.File = &a
	}
	return http.StatusCreated, out, nil
}

func pathID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, newProblem(http.StatusUnprocessableEntity, "invalid_input", "the request has invalid fields",
			&ProblemItem{Location: "path.id", Message: "expected an integer >= 1", Value: v})
	}
	return id, nil
}

func (s *Server) uploadReport(ctx context.Context, idText, ifMatchText string, form uploadForm) (int, any, error) {
	id, err := pathID(idText)
	if err != nil {
		return 0, nil, err
	}
	ifMatch, err := parseIfMatch(ifMatchText)
	if err != nil {
		return 0, nil, err
	}
	if err := formFields(form, map[string]int{"body": 100000, "percent": 3}, "body"); err != nil {
		return 0, nil, err
	}
	in := workflow.NewReport{Body: form.fields["body"], IfMatch: ifMatch, Files: form.files}
	if v, ok := form.fields["percent"]; ok {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 100 {
			return 0, nil, invalidPart("percent", "expected an integer from 0 to 100")
		}
		in.Percent = &p
	}
	actor := actorFrom(ctx)
	rep, err := s.svc.AddReport(ctx, actor, id, in)
	if err != nil {
		return 0, nil, err
	}
	files, err := s.svc.ReportFiles(ctx, actor, rep)
	if err != nil {
		return 0, nil, err
	}
	out := reportOut(rep)
	out.Attachments = attachmentsOut(files)
	return http.StatusCreated, out, nil
}

func (s *Server) uploadExtension(ctx context.Context, idText string, form uploadForm) (int, any, error) {
	id, err := pathID(idText)
	if err != nil {
		return 0, nil, err
	}
	if err := formFields(form, map[string]int{"requested_due_on": 10, "reason": 4000}, "requested_due_on", "reason"); err != nil {
		return 0, nil, err
	}
	due, err := formDate(form, "requested_due_on")
	if err != nil {
		return 0, nil, err
	}
	ext, err := s.svc.RequestExtension(ctx, actorFrom(ctx), id, workflow.NewExtension{RequestedDueOn: due, Reason: form.fields["reason"], Files: form.files})
	if err != nil {
		return 0, nil, err
	}
	files, err := s.svc.ExtensionFiles(ctx, []models.ExtensionRequest{ext})
	if err != nil {
		return 0, nil, err
	}
	out := extensionOut(ext)
	out.Attachments = attachmentsOut(files[ext.ID])
	return http.StatusCreated, out, nil
}

// transitionActions are the actions of the state table, as the JSON body's
// enum lists them.
var transitionActions = map[workflow.Action]bool{workflow.ActionAcknowledge: true, workflow.ActionReportDone: true,
	workflow.ActionConfirm: true, workflow.ActionReturn: true, workflow.ActionCancel: true, workflow.ActionReopen: true}

// uploadTransition answers a multipart POST /tasks/{id}/transitions: the
// same command as the JSON body, with the completion report's files.
func (s *Server) uploadTransition(ctx context.Context, idText, ifMatchText string, form uploadForm) (int, any, string, error) {
	id, err := pathID(idText)
	if err != nil {
		return 0, nil, "", err
	}
	ifMatch, err := parseIfMatch(ifMatchText)
	if err != nil {
		return 0, nil, "", err
	}
	if err := formFields(form, map[string]int{"action": 20, "comment": workflow.MaxCommentLen, "report": workflow.MaxBodyLen}, "action"); err != nil {
		return 0, nil, "", err
	}
	action := workflow.Action(form.fields["action"])
	if !transitionActions[action] {
		return 0, nil, "", invalidPart("action", "expected one of acknowledge, report_done, confirm, return, cancel, reopen")
	}
	actor := actorFrom(ctx)
	t, err := s.svc.Transition(ctx, actor, id, workflow.TransitionInput{Action: action, Comment: form.fields["comment"],
		Report: form.fields["report"], IfMatch: ifMatch, Files: form.files})
	if err != nil {
		return 0, nil, "", err
	}
	return http.StatusOK, taskOut(t, actor, s.svc.Today()), etag(t.Version), nil
}

// fileOutput streams a stored file.
type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ContentLength      int64  `header:"Content-Length"`
	ETag               string `header:"ETag" doc:"The content's SHA-256"`
	Body               func(huma.Context)
}

func (s *Server) fileOut(a models.Attachment) *fileOutput {
	return &fileOutput{
		ContentType:        a.ContentType,
		ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}),
		ContentLength:      a.Size,
		ETag:               strconv.Quote(a.SHA256),
		Body: func(hc huma.Context) {
			// The headers are sent: a failure now can only cut the body
			// short, which Content-Length lets the client see.
			if err := s.svc.WriteBlob(hc.Context(), a.SHA256, hc.BodyWriter()); err != nil {
				s.log.Error("download cut short", "attachment", a.ID, "err", err)
			}
		},
	}
}

func (s *Server) registerFiles() {
	download := s.op("get-attachment", http.MethodGet, "/attachments/{id}", "Download a report's or extension request's file (who may see the task may download it)", "Files")
	download.Responses = binaryResponse()
	huma.Register(s.api, download, func(ctx context.Context, in *idInput) (*fileOutput, error) {
		a, err := s.svc.Attachment(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, fail(s.log, err)
		}
		return s.fileOut(a), nil
	})
	docFile := s.op("get-document-file", http.MethodGet, "/documents/{id}/file", "Download a document's source file, as uploaded", "Documents")
	docFile.Responses = binaryResponse()
	huma.Register(s.api, docFile, func(ctx context.Context, in *idInput) (*fileOutput, error) {
		if _, err := s.svc.Document(ctx, in.ID); err != nil {
			return nil, fail(s.log, err)
		}
		a, err := s.svc.DocumentFile(ctx, in.ID)
		if err != nil {
			return nil, fail(s.log, err)
		}
		return s.fileOut(a), nil
	})
	s.documentUploads()
}

func binaryResponse() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "The file's bytes, with its name in Content-Disposition",
		Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
}

// documentUploads adds the multipart form of each upload route to its JSON
// operation in the OpenAPI document.
func (s *Server) documentUploads() {
	str := func(doc string) *huma.Schema { return &huma.Schema{Type: "string", Description: doc} }
	bin := &huma.Schema{Type: "string", Format: "binary"}
	forms := map[string]*huma.Schema{
		"create-document": {Type: "object", Required: []string{"number", "kind", "title", "issued_on"}, Properties: map[string]*huma.Schema{
			"number": str("Số ký hiệu"), "kind": str("conclusion_notice, resolution, decision, directive, official_letter or other"),
			"title": str(""), "issued_on": {Type: "string", Format: "date"}, "signer": str(""),
			"body": str("The text; if empty, read from the file"),
			"file": {Type: "string", Format: "binary", Description: ".docx, .pdf or .txt (at most DONDOC_MAX_FILE_SIZE); .doc is refused (415). The text of a .docx or a text PDF becomes the body; a scan is kept with text_extracted false"},
		}},
		"add-report": {Type: "object", Required: []string{"body"}, Properties: map[string]*huma.Schema{
			"body": str(""), "percent": {Type: "integer", Minimum: ptr(0.0), Maximum: ptr(100.0)},
			"files": {Type: "array", Items: bin, Description: "PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG files, repeated"},
		}},
		"request-extension": {Type: "object", Required: []string{"requested_due_on", "reason"}, Properties: map[string]*huma.Schema{
			"requested_due_on": {Type: "string", Format: "date"}, "reason": str(""),
			"files": {Type: "array", Items: bin, Description: "PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG files, repeated"},
		}},
		"transition-task": {Type: "object", Required: []string{"action"}, Properties: map[string]*huma.Schema{
			"action":  {Type: "string", Enum: []any{"acknowledge", "report_done", "confirm", "return", "cancel", "reopen"}},
			"comment": {Type: "string", MaxLength: ptr(workflow.MaxCommentLen), Description: "Required to return, cancel or reopen"},
			"report":  {Type: "string", MaxLength: ptr(workflow.MaxBodyLen), Description: "The completion report, required for report_done"},
			"files": {Type: "array", Items: bin, Description: "The completion report's files (report_done only; with another action 422): " +
				"PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG, repeated"},
		}},
	}
	for _, item := range s.api.OpenAPI().Paths {
		op := item.Post
		if op == nil || forms[op.OperationID] == nil || op.RequestBody == nil {
			continue
		}
		op.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: forms[op.OperationID]}
		op.Responses["413"] = &huma.Response{Description: "A file or the request is past its size limit"}
		op.Responses["415"] = &huma.Response{Description: "A file of a type not accepted here"}
	}
}

func ptr[T any](v T) *T { return &v }
