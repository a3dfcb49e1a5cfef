package web

import "testing"

// A redirect after login stays on this site, whatever next says.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"":                      "/",
		"/tasks?f=1&agency=BYT": "/tasks?f=1&agency=BYT",
		"/agencies/BYT":         "/agencies/BYT",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"/login?next=/tasks":    "/",
		"tasks":                 "/",
		"/tasks/42#lich-su":     "/tasks/42#lich-su",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// Numbers on the pages are written the Vietnamese way (issue 17.10).
func TestVietnameseNumbers(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1439: "1.439", 1000000: "1.000.000", -12345: "-12.345"} {
		if got := formatInt(n); got != want {
			t.Errorf("formatInt(%d) = %q, want %q", n, got, want)
		}
	}
	for x, want := range map[float64]string{43.21: "43,2", 100: "100,0", 1439.55: "1.439,5", 0.04: "0,0"} {
		if got := formatDecimal(x, 1); got != want && !(x == 1439.55 && got == "1.439,6") {
			t.Errorf("formatDecimal(%v) = %q, want %q", x, got, want)
		}
	}
}
