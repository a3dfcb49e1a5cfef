package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"
)

// Every input passes here before any handler, API or page, reads it (issue
// 17, items 4 and 6): the path, the query string, a form and a JSON body.
// Text must be valid UTF-8 with no control character (tab, line feed and
// carriage return are allowed in the long texts of a JSON body and in
// forms); a JSON body must have no duplicate names and no lone surrogate
// escapes; and every string of a JSON body is put in NFC, so that what is
// stored, searched and counted (a field's statistics) is one form of each
// text. PostgreSQL refuses NUL in text with an error that was a 500, and
// SQLite stored it: refused here, neither database sees it.

// longText names the JSON fields that hold running text, where tabs and
// line breaks belong.
var longText = map[string]bool{
	"content": true, "action": true, "text": true, "body": true, "report": true, "comment": true, "message": true,
	"reason": true, "title": true, "due_text": true, "source": true, "note": true, "description": true, "excerpt": true,
}

// keptAsSent names the fields that are not normalised: a password is
// compared byte for byte with what was set.
var keptAsSent = map[string]bool{"password": true, "old_password": true, "new_password": true, "token": true, "secret": true}

// badRune reports the first character text may not hold, or -1.
func badRune(s string, lines bool) rune {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if !lines {
				return r
			}
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return r
		}
	}
	return -1
}

func inputProblem(code, detail, location string) *Problem {
	return newProblem(http.StatusUnprocessableEntity, code, detail, &ProblemItem{Location: location, Message: detail})
}

// checkText checks one value from the path, query or a form.
func checkText(where, s string, lines bool) *Problem {
	if !utf8.ValidString(s) {
		return inputProblem("invalid_utf8", "is not valid UTF-8", where)
	}
	if r := badRune(s, lines); r >= 0 {
		return inputProblem("control_character", "holds a control character ("+quoteRune(r)+"), which text may not hold", where)
	}
	return nil
}

func quoteRune(r rune) string {
	const hex = "0123456789ABCDEF"
	return "U+00" + string(hex[r>>4&0xF]) + string(hex[r&0xF])
}

// checkInput is the middleware.
func checkInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if p := checkText("path", r.URL.Path, false); p != nil {
			return writeProblem(c, p)
		}
		for k, vs := range r.URL.Query() {
			if p := checkText("query", k, false); p != nil {
				return writeProblem(c, p)
			}
			for _, v := range vs {
				if p := checkText("query."+k, v, false); p != nil {
					return writeProblem(c, p)
				}
			}
		}
		if !hasBody(r) {
			return next(c)
		}
		ct, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
		api := strings.HasPrefix(r.URL.Path, BasePath+"/")
		switch {
		case ct == echo.MIMEApplicationForm:
			fv, err := c.FormParams()
			if err != nil {
				return err
			}
			for k, vs := range fv {
				for _, v := range vs {
					if p := checkText("form."+k, v, true); p != nil {
						return writeProblem(c, p)
					}
				}
			}
			if api {
				return writeProblem(c, unsupportedMediaType())
			}
		case ct == "application/json" || strings.HasSuffix(ct, "+json"):
			if api {
				if err := checkJSONBody(c); err != nil {
					return err
				}
			}
		case api && ct != "multipart/form-data":
			return writeProblem(c, unsupportedMediaType())
		}
		return next(c)
	}
}

func unsupportedMediaType() *Problem {
	return newProblem(http.StatusUnsupportedMediaType, "unsupported_media_type", "the API reads JSON bodies: send Content-Type: application/json")
}

func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// checkJSONBody reads the body, checks it and puts it back, in NFC.
func checkJSONBody(c echo.Context) error {
	r := c.Request()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	out, p := checkJSON(b)
	if p != nil {
		return p
	}
	r.Body = io.NopCloser(bytes.NewReader(out))
	r.ContentLength = int64(len(out))
	return nil
}

// checkJSON checks a JSON document and returns it with every string in NFC
// (b itself when nothing changes). A document that is not JSON at all is
// returned as it is, for the decoder to refuse with its own 400.
func checkJSON(b []byte) ([]byte, *Problem) {
	if !utf8.Valid(b) {
		return nil, inputProblem("invalid_utf8", "the body is not valid UTF-8", "body")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(b))
	var buf bytes.Buffer
	enc := jsontext.NewEncoder(&buf)
	changed := false
	var names []string // per depth: the current member's name, or the array's
	for {
		tok, err := dec.ReadToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *jsontext.SyntacticError
			switch {
			case errors.Is(err, jsontext.ErrDuplicateName):
				loc := "body"
				if errors.As(err, &se) && se.JSONPointer != "" {
					loc = "body" + strings.ReplaceAll(string(se.JSONPointer), "/", ".")
				}
				return nil, inputProblem("duplicate_name", "a name appears twice in one object", loc)
			case strings.Contains(err.Error(), "surrogate") || strings.Contains(err.Error(), "UTF-8"):
				return nil, inputProblem("invalid_utf8", "the body holds a lone surrogate or invalid UTF-8", "body")
			}
			return b, nil
		}
		switch tok.Kind() {
		case '{', '[':
			names = append(names, parentName(names))
		case '}', ']':
			names = names[:len(names)-1]
		case '"':
			s := tok.String()
			if kind, n := dec.StackIndex(dec.StackDepth()); kind == '{' && n%2 == 1 {
				names[len(names)-1] = s
				if p := checkText("body", s, false); p != nil {
					return nil, p
				}
				break
			}
			name := parentName(names)
			loc := "body." + name
			if p := checkText(loc, s, longText[name]); p != nil {
				return nil, p
			}
			if !keptAsSent[name] && !norm.NFC.IsNormalString(s) {
				tok = jsontext.String(norm.NFC.String(s))
				changed = true
			}
		}
		if err := enc.WriteToken(tok); err != nil {
			return b, nil
		}
	}
	if !changed {
		return b, nil
	}
	return buf.Bytes(), nil
}

func parentName(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[len(names)-1]
}
