package workflow

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies a domain error; api/ maps each kind to one HTTP status.
type Kind int

const (
	KindInternal        Kind = iota
	KindInvalid              // the input is wrong: 422
	KindNotFound             // absent, or hidden from this caller: 404
	KindForbidden            // the caller's role or agency may not: 403
	KindConflict             // the current state does not allow it: 409
	KindStale                // the caller's version is out of date: 412
	KindUnauthenticated      // no valid credentials: 401
	KindTooMany              // rate limited: 429
	KindTooLarge             // a file or request past its size limit: 413
)

// Error is a domain error: a kind, a stable machine-readable code, a message
// for people, and the fields at fault when the input is wrong.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one wrong field of the input.
type FieldError struct {
	Field   string // a JSON path such as "coordinators[1]"
	Message string
	Value   any
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Is lets errors.Is(err, ErrNotFound) match any error of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == "" && t.Kind == e.Kind
}

// Sentinels to test kinds with errors.Is.
var (
	ErrInvalid         = &Error{Kind: KindInvalid}
	ErrNotFound        = &Error{Kind: KindNotFound}
	ErrForbidden       = &Error{Kind: KindForbidden}
	ErrConflict        = &Error{Kind: KindConflict}
	ErrStale           = &Error{Kind: KindStale}
	ErrUnauthenticated = &Error{Kind: KindUnauthenticated}
)

// E builds a domain error.
func E(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound says that a thing does not exist or is not the caller's to see;
// the two are never told apart, so that ids reveal nothing.
func NotFound(what string) *Error {
	return E(KindNotFound, "not_found", "%s not found", what)
}

// Invalid collects field errors; it is nil when there are none.
type Invalid []FieldError

// Add records a wrong field.
func (v *Invalid) Add(field, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// AddValue records a wrong field and the value it had.
func (v *Invalid) AddValue(field string, value any, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Message: fmt.Sprintf(format, args...), Value: value})
}

// Err returns the collected errors as one domain error, or nil.
func (v Invalid) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Code: "invalid_input", Message: "the request has invalid fields", Fields: v}
}

// KindOf returns the kind of err, KindInternal for errors that are not
// domain errors.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
