package vntext

import (
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"Uỷ ban nhân dân":        "Ủy ban nhân dân",
		"UỶ BAN":                 "ỦY BAN",
		"hoà bình, khoẻ mạnh":    "hòa bình, khỏe mạnh",
		"quý III, Hoàng, thuyết": "quý III, Hoàng, thuyết",
		"Bô\u0323 Y tê\u0301":    "Bộ Y tế",
		"Bộ\u00a0Tài\u202fchính": "Bộ Tài chính",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeWithMapPointsIntoTheInput(t *testing.T) {
	in := "A\u00a0Uỷ ban Bô\u0323 Y\xfftế"
	out, offs := NormalizeWithMap(in)
	if len(offs) != len(out)+1 {
		t.Fatalf("map has %d entries for %d bytes", len(offs), len(out))
	}
	if !utf8.ValidString(out) {
		t.Fatalf("output is not valid UTF-8: %q", out)
	}
	for i, o := range offs {
		if o < 0 || o > len(in) || (i > 0 && o < offs[i-1]) {
			t.Fatalf("offset %d -> %d is out of order or range", i, o)
		}
	}
	if offs[len(out)] != len(in) {
		t.Errorf("end maps to %d, want %d", offs[len(out)], len(in))
	}
}

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Bộ Y tế":                      "bo y te",
		"  ĐÀ   Nẵng ":                 "da nang",
		"Uỷ ban Dân tộc":               "uy ban dan toc",
		"Bộ Thông tin và Truyền thông": "bo thong tin va truyen thong",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
