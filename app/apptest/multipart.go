package apptest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"testing"
)

// Field is one field of a multipart form.
type Field struct{ Name, Value string }

// File is one file part of a multipart form.
type File struct {
	Name string
	Data []byte
}

// Multipart writes fields, in their order, then files under fileField, as
// a browser sends a form with files: multipart/form-data, each file's name
// as given (a bad one is sent as it is). It returns the body and its
// Content-Type.
func Multipart(t testing.TB, fields []Field, fileField string, files ...File) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := mw.WriteField(f.Name, f.Value); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, fileField, f.Name))
		h.Set("Content-Type", "application/octet-stream")
		p, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}
