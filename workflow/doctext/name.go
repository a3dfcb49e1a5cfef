package doctext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameBytes is the longest name kept, in bytes of UTF-8 after NFC: what
// common file systems allow, so that a downloaded file can be saved as named.
const MaxNameBytes = 255

// CleanName returns the name of an uploaded file as dondoc keeps it: NFC,
// without surrounding spaces. It refuses a name that is empty, too long, not
// UTF-8, a path (separators or ".."), or that holds control or formatting
// characters, which can hide the real extension (U+202E turns "gpj.exe" round).
func CleanName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", badName("tên tệp không phải UTF-8 hợp lệ", "the name is not valid UTF-8")
	}
	name = strings.TrimSpace(norm.NFC.String(name))
	switch {
	case name == "":
		return "", badName("tên tệp trống", "the name is empty")
	case len(name) > MaxNameBytes:
		return "", badName(fmt.Sprintf("tên tệp dài quá %d byte", MaxNameBytes), fmt.Sprintf("the name is longer than %d bytes", MaxNameBytes))
	case strings.ContainsAny(name, `/\`):
		return "", badName("tên tệp không được chứa dấu / hoặc \\", `the name must not hold / or \`)
	case strings.Contains(name, ".."):
		return "", badName("tên tệp không được chứa \"..\"", `the name must not hold ".."`)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return "", badName(fmt.Sprintf("tên tệp chứa ký tự điều khiển U+%04X", r), fmt.Sprintf("the name holds the control character U+%04X", r))
		}
	}
	return name, nil
}

func badName(vi, en string) *Error {
	return refuse(Invalid, CodeNameInvalid, "Tên tệp không hợp lệ: "+vi+".", "Bad file name: "+en+".")
}
