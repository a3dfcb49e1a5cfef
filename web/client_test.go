package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
)

// TestMain runs the package's tests, then checks that no password or token
// the tests used appears in what the servers logged.
func TestMain(m *testing.M) {
	code := m.Run()
	stopChromium()
	if leaked, searched := apptest.LeakedSecrets(); len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d secrets appear in the logs (%d bytes searched): %q\n", len(leaked), searched, leaked)
		code = 1
	}
	os.Exit(code)
}

// browser is a browser without JavaScript: a cookie jar, forms posted by
// hand, redirects reported rather than followed, and a count of the page
// loads and form posts (the secretariat's path in clicks).
type browser struct {
	t            *testing.T
	base         string
	c            *http.Client
	loads, posts int
}

type page struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

func newBrowser(t *testing.T, in *apptest.Instance) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: in.Server.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// loggedIn is a browser logged in as username, its count of loads and
// posts started after the login.
func loggedIn(t *testing.T, in *apptest.Instance, username, password string) *browser {
	t.Helper()
	b := newBrowser(t, in)
	b.login(username, password).want(t, "login", 303)
	b.loads, b.posts = 0, 0
	return b
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return page{Status: resp.StatusCode, Header: resp.Header, Body: string(body), Location: resp.Header.Get("Location")}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	b.loads++
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form; headers are name, value pairs.
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.t.Helper()
	b.posts++
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

var (
	csrfRE    = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)
)

// csrf is the token of the first form on the page.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", p.Body)
	}
	return m[1]
}

func (b *browser) login(username, password string) page {
	b.t.Helper()
	form := b.get("/login")
	return b.post("/login", url.Values{"csrf": {form.csrf(b.t)}, "username": {username}, "password": {password}, "next": {"/"}})
}

// submit posts a form of page p with its CSRF token and task version.
func (b *browser) submit(p page, path string, form url.Values) page {
	b.t.Helper()
	form.Set("csrf", p.csrf(b.t))
	if m := versionRE.FindStringSubmatch(p.Body); m != nil && form.Get("version") == "" {
		form.Set("version", m[1])
	}
	return b.post(path, form)
}

func (p page) want(t *testing.T, what string, status int) page {
	t.Helper()
	if p.Status != status {
		body := p.Body
		if len(body) > 3000 {
			body = body[:3000]
		}
		t.Fatalf("%s: status %d, want %d (to %q)\n%s", what, p.Status, status, p.Location, body)
	}
	return p
}

func (p page) has(t *testing.T, what string, parts ...string) page {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("%s: the page lacks %q", what, s)
		}
	}
	return p
}

func (p page) lacks(t *testing.T, what string, parts ...string) page {
	t.Helper()
	for _, s := range parts {
		if strings.Contains(p.Body, s) {
			t.Errorf("%s: the page has %q", what, s)
		}
	}
	return p
}

// count is the navigation's figure named name.
func (p page) count(t *testing.T, name string) string {
	t.Helper()
	m := regexp.MustCompile(`data-count="` + name + `">([^<]*)<`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no %s count in the navigation:\n%s", name, p.Body)
	}
	return m[1]
}
