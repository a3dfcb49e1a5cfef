package doctext

import (
	"errors"
	"fmt"
)

// Class sorts a refusal into the HTTP answer the API gives it; api/ maps it,
// this package never names a status.
type Class int

const (
	// Unsupported: the file is of a type this use does not take (415).
	Unsupported Class = iota + 1
	// Invalid: the name is bad, the bytes lie about the type, or the file
	// is broken or hostile (422).
	Invalid
)

// Code is the stable, machine-readable name of a refusal; it becomes the
// problem's code.
type Code string

const (
	CodeNameInvalid     Code = "file_name_invalid"     // empty, too long, a path, control characters
	CodeTypeUnsupported Code = "file_type_unsupported" // not on this use's list
	CodeLegacyOffice    Code = "file_legacy_office"    // .doc/.xls/.ppt (OLE), or an encrypted Office file
	CodeTypeMismatch    Code = "file_type_mismatch"    // the bytes are not what the name says
	CodeCorrupt         Code = "file_corrupt"          // unreadable, truncated, or not the structure its type requires
	CodeTooLarge        Code = "file_expands_too_much" // a zip whose contents exceed the limits: a zip bomb
	CodeTooComplex      Code = "file_too_complex"      // reading it exceeded the time or memory budget
	CodeEncrypted       Code = "file_encrypted"        // a password-protected PDF
	CodeTextEncoding    Code = "file_text_encoding"    // a .txt that is not UTF-8 (or UTF-16 with a BOM)
	CodeTextTooLong     Code = "file_text_too_long"    // more text than a document body may hold
)

// Error is a refusal of an uploaded file: a class for the status, a stable code
// and a message for people, in Vietnamese then English, since the
// secretariat reads Vietnamese and the logs and integrators read English.
type Error struct {
	Class   Class
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is lets errors.Is(err, &Error{Code: CodeCorrupt}) match by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// refuse builds a refusal from its Vietnamese and English sentences.
func refuse(class Class, code Code, vi, en string) *Error {
	return &Error{Class: class, Code: code, Message: vi + " — " + en}
}

// AsError returns the refusal inside err, or nil if err is not one (an
// internal failure, which the API answers with a 500).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// corrupt refuses a file that cannot be read; what says why, in English
// (it names structures, not words a user would translate).
func corrupt(what string) *Error {
	return refuse(Invalid, CodeCorrupt,
		fmt.Sprintf("Không đọc được tệp (%s). Hãy mở tệp bằng phần mềm đã tạo ra nó, lưu lại rồi tải lên lại.", what),
		fmt.Sprintf("The file cannot be read (%s). Open it in the program that made it, save it again and upload it again.", what))
}

// tooLarge refuses an archive that expands past the limits.
func tooLarge(what string) *Error {
	return refuse(Invalid, CodeTooLarge,
		fmt.Sprintf("Tệp nén bung ra vượt giới hạn (%s); tệp bị từ chối để bảo vệ máy chủ.", what),
		fmt.Sprintf("The archive expands past the limits (%s); it is refused to protect the server.", what))
}
