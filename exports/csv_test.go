package exports_test

import (
	"testing"

	"github.com/dondoc/dondoc/exports"
)

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"Bộ Y tế":              "Bộ Y tế",
		"=HYPERLINK(\"x\")":    "'=HYPERLINK(\"x\")",
		"+84 24 3845 8888":     "'+84 24 3845 8888",
		"-1+2":                 "'-1+2",
		"@SUM(A1:A2)":          "'@SUM(A1:A2)",
		"\t=1":                 "'\t=1",
		"\r=1":                 "'\r=1",
		"a=1":                  "a=1",
		"45/TB-VPCP":           "45/TB-VPCP",
		"'=already quoted":     "'=already quoted",
		"Giao thông – vận tải": "Giao thông – vận tải",
	} {
		if got := exports.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}
