package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/doctext"
)

// Files on the pages (issue 23 with the files of issue 22). The forms that
// take files are multipart/form-data, read here part by part as the API
// reads its uploads: each file is spooled by the same workflow staging
// (StageSource for a document, StageAttachment for a report or a request),
// then given to the same command, which keeps it in its transaction.
//
// The CSRF token must be the form's first part (every form's first input)
// and is checked before the next part is read, so that a forged form puts
// no byte on disk or in the database. A refused file (a type not taken,
// unreadable, too large) comes back beside the file field with what was
// typed; a browser cannot be given its chosen file back, so the message
// asks for it again.

// filesRoutes are the page routes of files ("METHOD /path").
var filesRoutes = []string{"GET /attachments/:id", "GET /documents/:id/file"}

// pageUpload is a page route that takes files: its file field and how many.
type pageUpload struct {
	field  string
	max    int
	source bool // a document's source file (StageSource), else an attachment
}

// pageUploads are the routes (echo's paths) whose forms carry files.
var pageUploads = map[string]pageUpload{
	"/documents":                 {field: "file", max: 1, source: true},
	"/tasks/:id/actions/:action": {field: "files", max: workflow.MaxAttachments},
	"/tasks/:id/extensions":      {field: "files", max: workflow.MaxAttachments},
}

const (
	uploadKey     = "dondoc.upload"
	maxFieldBytes = 1_000_000 // a document's body at most
	maxFields     = 32
)

var (
	errCSRF         = errors.New("the form's CSRF token is missing, not first, or wrong")
	errFileNotTaken = errors.New("this form takes no file here")
	errTooManyFiles = fmt.Errorf("at most %d files", workflow.MaxAttachments)
	errBadForm      = errors.New("the multipart body cannot be read")
	errBadText      = errors.New("a field is not UTF-8 text or holds a control character")
)

// upload is what a multipart form's files came to.
type upload struct {
	files []*workflow.StagedFile
	err   error // the refusal of a file, for the form to show
}

func mountFiles(e *echo.Echo, w *webUI) {
	e.GET("/attachments/:id", w.page(w.attachment))
	e.GET("/documents/:id/file", w.page(w.documentFile))
}

// readPost checks a POST form's CSRF token and reads its fields; a
// multipart form's files are staged, to be removed by the caller once the
// request is done. A file refused on a route that takes files is left for
// its handler to show beside the field (uploaded); on any other route, and
// for a bad token, readPost's error is the answer.
func (w *webUI) readPost(c echo.Context) ([]*workflow.StagedFile, error) {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != "multipart/form-data" {
		if !w.checkCSRF(c) {
			return nil, errCSRF
		}
		return nil, nil
	}
	up, err := w.readMultipart(c)
	if err != nil || up.err != nil {
		// The rest of a refused form is not read: the connection closes
		// after the answer, rather than the server reading a file it
		// will not keep to reuse it.
		c.Response().Header().Set("Connection", "close")
	}
	if err != nil {
		return up.files, err
	}
	// A form that cannot be read, or text no form may hold, is no
	// file's fault: the answer is an error page, as on a route that
	// takes no file.
	_, takes := pageUploads[c.Path()]
	if up.err != nil && (!takes || errors.Is(up.err, errBadForm) || errors.Is(up.err, errBadText)) {
		return up.files, up.err
	}
	c.Set(uploadKey, up)
	return up.files, nil
}

// readMultipart reads a multipart form: the CSRF token first, then the
// fields into the request's form (so that FormValue reads them as for any
// form) and the files through the workflow's staging. It stops at the first
// refused file; the fields before it are kept.
func (w *webUI) readMultipart(c echo.Context) (*upload, error) {
	r := c.Request()
	up := &upload{}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, errCSRF
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != csrfField || part.FileName() != "" {
		return up, errCSRF
	}
	tok, err := io.ReadAll(io.LimitReader(part, 512))
	if err != nil || !w.csrfValid(c, string(tok)) {
		return up, errCSRF
	}
	values := url.Values{csrfField: {string(tok)}}
	r.Form, r.PostForm, r.MultipartForm = values, values, &multipart.Form{Value: values}
	route, takes := pageUploads[c.Path()]
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return up, nil
		}
		if err != nil {
			up.err = readError(err)
			return up, nil
		}
		name := part.FormName()
		// The filename as sent: Part.FileName would cut a path down to
		// its last element, and a name with separators is to be refused.
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		filename, isFile := params["filename"]
		switch {
		case isFile && filename == "":
			// A file input left empty: browsers send it with no name.
			continue
		case isFile && (!takes || name != route.field):
			up.err = errFileNotTaken
			return up, nil
		case isFile:
			if len(up.files) == route.max {
				up.err = errTooManyFiles
				return up, nil
			}
			stage := w.svc.StageAttachment
			if route.source {
				stage = w.svc.StageSource
			}
			f, err := stage(r.Context(), filename, part)
			if err != nil {
				up.err = err
				return up, nil
			}
			up.files = append(up.files, f)
		default:
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				up.err = readError(err)
				return up, nil
			}
			if len(b) > maxFieldBytes || n > maxFields {
				up.err = errBadForm
				return up, nil
			}
			if !plainText(b) {
				up.err = errBadText
				return up, nil
			}
			// As the API stores text: NFC.
			values.Add(name, norm.NFC.String(string(b)))
		}
	}
}

// plainText holds a form field to the rule the API holds every form's
// text to (api/input.go): valid UTF-8, and no control character but
// tabs and line breaks.
func plainText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return false
		}
	}
	return true
}

func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return errBadForm
}

// uploaded returns the files of the request's form, and the refusal of one
// of them, if any.
func uploaded(c echo.Context) ([]*workflow.StagedFile, error) {
	up, ok := c.Get(uploadKey).(*upload)
	if !ok {
		return nil, nil
	}
	return up.files, up.err
}

// fileRefusal says in Vietnamese why a file was refused, with the status
// the API gives the same refusal; ok is false for an error that is not
// about a file.
func fileRefusal(err error) (status int, msg string, ok bool) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "Tổng dung lượng các tệp gửi kèm vượt quá " + sizeWords(mbe.Limit) + ". Hãy gửi ít tệp hơn hoặc tệp nhỏ hơn.", true
	case errors.Is(err, errFileNotTaken):
		return http.StatusUnprocessableEntity, "Biểu mẫu này không nhận tệp đính kèm.", true
	case errors.Is(err, errTooManyFiles):
		return http.StatusUnprocessableEntity, fmt.Sprintf("Chỉ gửi kèm tối đa %d tệp mỗi lần.", workflow.MaxAttachments), true
	case errors.Is(err, errBadText):
		return http.StatusUnprocessableEntity, "Nội dung nhập có ký tự không hợp lệ (ký tự điều khiển). Vui lòng xóa rồi gửi lại.", true
	case errors.Is(err, errBadForm):
		return http.StatusBadRequest, "Không đọc được biểu mẫu gửi lên. Vui lòng tải lại trang và thử lại.", true
	}
	if fe := doctext.AsError(err); fe != nil {
		status := http.StatusUnprocessableEntity
		if fe.Class == doctext.Unsupported {
			status = http.StatusUnsupportedMediaType
		}
		return status, vietnamese(fe.Message), true
	}
	var de *workflow.Error
	if workflow.KindOf(err) == workflow.KindTooLarge && errors.As(err, &de) {
		return http.StatusRequestEntityTooLarge, vietnamese(de.Message), true
	}
	return 0, "", false
}

// vietnamese is the Vietnamese sentence of a message written "vi — en".
func vietnamese(msg string) string {
	vi, _, _ := strings.Cut(msg, " — ")
	return vi
}

// sizeWords writes a size in bytes as people read it: 512 KB, 25 MB, 1,5 MB.
func sizeWords(n int64) string {
	switch {
	case n < 1<<10:
		return formatInt(int(n)) + " byte"
	case n < 1<<20:
		return formatInt(int((n+1<<9)>>10)) + " KB"
	case n%(1<<20) == 0 || n >= 100<<20:
		return formatInt(int((n+1<<19)>>20)) + " MB"
	}
	return formatDecimal(float64(n)/(1<<20), 1) + " MB"
}

// eventFile is a file an event recorded (workflow's attachmentData).
type eventFile struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// eventFiles reads the files an event's data records, for the history;
// none when it records none.
func eventFiles(data string) []eventFile {
	if !strings.Contains(data, `"attachments"`) {
		return nil
	}
	var d struct {
		Attachments []eventFile `json:"attachments"`
	}
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return nil
	}
	return d.Attachments
}

// attachment downloads a report's or a request's file for whoever may see
// its task (a document's file for anyone signed in, as in the API); to
// anyone else it does not exist.
func (w *webUI) attachment(c echo.Context, actor workflow.Actor) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("attachment"))
	}
	a, err := w.svc.Attachment(c.Request().Context(), actor, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	return w.sendFile(c, a)
}

// documentFile downloads a document's source file, as GET
// /api/v1/documents/{id}/file does.
func (w *webUI) documentFile(c echo.Context, actor workflow.Actor) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("document"))
	}
	ctx := c.Request().Context()
	if _, err := w.svc.Document(ctx, id); err != nil {
		return w.failErr(c, actor, err)
	}
	a, err := w.svc.DocumentFile(ctx, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	return w.sendFile(c, a)
}

// sendFile streams a kept file as an attachment, never shown inline: its
// type was proved from its bytes, but a page of this site must not render
// what someone uploaded.
func (w *webUI) sendFile(c echo.Context, a models.Attachment) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, a.ContentType)
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set(echo.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	h.Set("ETag", strconv.Quote(a.SHA256))
	c.Response().WriteHeader(http.StatusOK)
	if err := w.svc.WriteBlob(c.Request().Context(), a.SHA256, c.Response()); err != nil {
		// The headers are sent: Content-Length lets the browser see the
		// file was cut short.
		w.log.Error("download cut short", "attachment", a.ID, "err", err)
	}
	return nil
}
