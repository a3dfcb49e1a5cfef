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
