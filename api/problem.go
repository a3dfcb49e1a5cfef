package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/doctext"
)

// Problem is an RFC 9457 problem detail, the body of every error answer.
type Problem struct {
	Type     string         `json:"type" doc:"A URI naming the kind of problem" example:"https://dondoc.vn/problems/transition_not_allowed"`
	Title    string         `json:"title" doc:"Short summary of the kind of problem"`
	Status   int            `json:"status" doc:"The HTTP status code"`
	Detail   string         `json:"detail,omitempty" doc:"What went wrong this time"`
	Instance string         `json:"instance,omitempty" doc:"The request id, to quote when reporting the problem"`
	Code     string         `json:"code,omitempty" doc:"Stable machine-readable code of the domain error"`
	Errors   []*ProblemItem `json:"errors,omitempty" doc:"The fields at fault"`
}

// ProblemItem names one field at fault.
type ProblemItem struct {
	Location string `json:"location,omitempty" doc:"Where: body.field, query.name, path.id or header.Name"`
	Message  string `json:"message" doc:"What is wrong with it"`
	Value    any    `json:"value,omitempty" doc:"The value that was sent"`
}

// ErrorDetail lets huma use ProblemItem for validation errors.
func (p *ProblemItem) ErrorDetail() *huma.ErrorDetail {
	return &huma.ErrorDetail{Location: p.Location, Message: p.Message, Value: p.Value}
}

func (p *ProblemItem) Error() string { return p.Location + ": " + p.Message }

func (p *Problem) Error() string { return p.Detail }

// GetStatus is the HTTP status of the problem.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send problems as application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" || ct == "" {
		return "application/problem+json"
	}
	return ct
}

var missingProperty = regexp.MustCompile(`^expected required property (\S+) to be present`)

const problemBase = "https://dondoc.vn/problems/"

// newProblem builds a problem; code names its type.
func newProblem(status int, code, detail string, items ...*ProblemItem) *Problem {
	typ := "about:blank"
	if code != "" {
		typ = problemBase + code
	}
	return &Problem{Type: typ, Title: http.StatusText(status), Status: status, Detail: detail, Code: code, Errors: items}
}

func init() {
	// "Lead" is not "lead": a wrongly cased name is an unknown field, refused.
	huma.ValidateStrictCasing = true
	// huma builds its own errors (validation, parsing, body size) through
	// NewError: make them dondoc problems too, with the status huma chose
	// except that a body that parses but breaks the schema is 422 and one
	// that does not parse is 400.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		items := make([]*ProblemItem, 0, len(errs))
		for _, e := range errs {
			if e == nil {
				continue
			}
			var d huma.ErrorDetailer
			if errors.As(e, &d) {
				ed := d.ErrorDetail()
				loc := ed.Location
				// Name the missing field itself, not the object that lacks it.
				if m := missingProperty.FindStringSubmatch(ed.Message); m != nil {
					loc += "." + m[1]
				}
				items = append(items, &ProblemItem{Location: loc, Message: ed.Message, Value: redact(loc, ed.Value)})
			} else {
				items = append(items, &ProblemItem{Message: e.Error()})
			}
		}
		code := ""
		switch status {
		case http.StatusUnprocessableEntity:
			code = "invalid_input"
		case http.StatusBadRequest:
			code = "bad_request"
			if len(items) > 0 && strings.HasPrefix(items[0].Message, "invalid character") || strings.Contains(msg, "unmarshal") {
				code = "invalid_json"
			}
		case http.StatusRequestEntityTooLarge:
			code = "body_too_large"
		case http.StatusUnsupportedMediaType:
			code = "unsupported_media_type"
		}
		return newProblem(status, code, msg, items...)
	}
}

// secretField names the fields whose values a problem never repeats.
var secretField = regexp.MustCompile(`(?i)password|secret|token|authorization|api_?key`)

// redact drops the value of a secret field from a problem: a 422 must not
// send a password back (it ends up in logs and screenshots).
func redact(location string, v any) any {
	if secretField.MatchString(location) {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if secretField.MatchString(k) {
				e = "(hidden)"
			} else {
				e = redact("", e)
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redact("", e)
		}
		return out
	}
	return v
}

// domainProblem maps a domain error to its problem: the one place where
// workflow's kinds become HTTP statuses.
func domainProblem(err error) *Problem {
	if fe := doctext.AsError(err); fe != nil {
		status := http.StatusUnprocessableEntity
		if fe.Class == doctext.Unsupported {
			status = http.StatusUnsupportedMediaType
		}
		return newProblem(status, string(fe.Code), fe.Message)
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return newProblem(http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the request is larger than %d bytes", mbe.Limit))
	}
	var de *workflow.Error
	if !errors.As(err, &de) {
		return nil
	}
	status := map[workflow.Kind]int{
		workflow.KindInvalid:         http.StatusUnprocessableEntity,
		workflow.KindNotFound:        http.StatusNotFound,
		workflow.KindForbidden:       http.StatusForbidden,
		workflow.KindConflict:        http.StatusConflict,
		workflow.KindStale:           http.StatusPreconditionFailed,
		workflow.KindUnauthenticated: http.StatusUnauthorized,
		workflow.KindTooMany:         http.StatusTooManyRequests,
		workflow.KindTooLarge:        http.StatusRequestEntityTooLarge,
	}[de.Kind]
	if status == 0 {
		return nil
	}
	items := make([]*ProblemItem, len(de.Fields))
	for i, f := range de.Fields {
		items[i] = &ProblemItem{Location: "body." + f.Field, Message: f.Message, Value: redact(f.Field, f.Value)}
	}
	return newProblem(status, de.Code, de.Message, items...)
}

// fail turns an error from a service into the answer: its problem if it is a
// domain error; otherwise a 500 whose detail hides the cause, which is logged.
func fail(log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	if p := domainProblem(err); p != nil {
		return p
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	log.Error("request failed", "err", err)
	return newProblem(http.StatusInternalServerError, "internal", "the server could not complete the request; it has been logged")
}

// fieldIn rewrites the locations of a domain error's fields, for inputs that
// come from the query string rather than the body.
func fieldIn(err error, where string) error {
	p := domainProblem(err)
	if p == nil {
		return err
	}
	for _, it := range p.Errors {
		it.Location = where + "." + strings.TrimPrefix(it.Location, "body.")
	}
	return p
}

// writeProblem answers an echo request (outside huma) with a problem.
func writeProblem(c echo.Context, p *Problem) error {
	if p.Instance == "" {
		p.Instance = requestID(c)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(p.Status, "application/problem+json", b)
}

// errorHandler answers the errors that reach echo rather than huma: no such
// route, a method not allowed, a body over the limit, a failed middleware.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var p *Problem
		var he *echo.HTTPError
		switch {
		case errors.As(err, &p):
		case errors.As(err, &he):
			code := map[int]string{
				http.StatusNotFound:              "no_such_route",
				http.StatusMethodNotAllowed:      "method_not_allowed",
				http.StatusRequestEntityTooLarge: "body_too_large",
				http.StatusTooManyRequests:       "rate_limited",
				http.StatusUnauthorized:          "unauthenticated",
			}[he.Code]
			p = newProblem(he.Code, code, fmt.Sprint(he.Message))
		default:
			if dp := domainProblem(err); dp != nil {
				p = dp
			} else {
				log.Error("request failed", "err", err, "path", c.Path())
				p = newProblem(http.StatusInternalServerError, "internal", "the server could not complete the request; it has been logged")
			}
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(p.Status)
			return
		}
		_ = writeProblem(c, p)
	}
}
