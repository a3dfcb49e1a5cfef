package api_test

import (
	"context"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
)

// The end-to-end test runs the dashboard in Debian's headless Chromium. It
// is skipped when no Chromium is installed, unless DONDOC_REQUIRE_BROWSER=1
// (as in .ci/run), which makes a missing browser a failure. Screenshots go
// to $DONDOC_ARTIFACTS when it is set, else to artifacts/browser at the top
// of the repository (ignored by git).

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("DONDOC_CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DONDOC_REQUIRE_BROWSER") == "1" {
		t.Fatal("DONDOC_REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium)")
	}
	t.Skip("no chromium installed; set DONDOC_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DONDOC_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts")
	}
	dir, err := filepath.Abs(filepath.Join(dir, "browser"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// tab. The whole session has a deadline, so that a hung page fails the test
// rather than the test binary's timeout.
func newBrowser(t *testing.T, exe string) context.Context {
	t.Helper()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	deadline, cancelDeadline := context.WithTimeout(context.Background(), 60*time.Second)
	alloc, cancelAlloc := chromedp.NewExecAllocator(deadline, opts...)
	ctx, cancelTab := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit, before the profile is removed
		cancelDeadline()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// tab wraps the browser's actions with the test's failure handling.
type tab struct {
	t        *testing.T
	ctx      context.Context
	base     string
	artifact string
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs steps that load a page (a click on a link or a button, or
// a navigation) and returns the document's response.
func (b *tab) navigate(what string, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return resp
}

func (b *tab) open(path string) *network.Response {
	b.t.Helper()
	return b.navigate("open "+path, chromedp.Navigate(b.base+path))
}

func evaluate[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *tab) path() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

func (b *tab) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.artifact, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *tab) login(username string) *network.Response {
	b.t.Helper()
	b.open("/login")
	b.do("fill the login form", chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), apptest.Password))
	return b.navigate("log in as "+username, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
}

const (
	jsRowAgencies = `[...document.querySelectorAll("td[data-agency]")].map(td => td.dataset.agency)`
	jsTaskLinks   = `[...document.querySelectorAll("main a[href^='/tasks/']")].map(a => +a.getAttribute("href").split("/")[2]).filter(n => n > 0)`
	// Nothing on the page is wider than the screen: tables scroll inside
	// their own boxes.
	jsFitsScreen = `document.documentElement.scrollWidth <= window.innerWidth`
)

func TestDashboardInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	start := time.Now()
	w := newStatsWorld(t, testdb.SQLite(t))
	all := w.stats(t, "")
	b := &tab{t: t, ctx: newBrowser(t, exe), base: w.in.Server.URL, artifact: artifactsDir(t)}
	t.Logf("screenshots in %s", b.artifact)

	// Signed out, the dashboard asks for a login and comes back after it.
	b.open("/")
	if p := b.path(); p != "/login?next=%2F" {
		t.Errorf("signed out, / went to %s", p)
	}
	b.screenshot("01-login.png")
	if resp := b.login("lanhdao"); resp.Status != 200 || b.path() != "/" {
		t.Fatalf("after login: status %d at %s", resp.Status, b.path())
	}
	if lang := evaluate[string](b, `document.documentElement.lang`); lang != "vi" {
		t.Errorf("lang = %q", lang)
	}

	// The five totals, in the categories' order after the total.
	tot := sumCounts(liveAllTime)
	cards := evaluate[[]string](b, `[...document.querySelectorAll(".cards .card-value")].map(e => e.textContent.trim())`)
	want := []string{strconv.Itoa(tot.Total), strconv.Itoa(tot.CompletedOnTime), strconv.Itoa(tot.CompletedLate),
		strconv.Itoa(tot.InProgressOnTime), strconv.Itoa(tot.InProgressOverdue), strconv.Itoa(tot.NoDeadline)}
	if !slices.Equal(cards, want) {
		t.Errorf("cards = %v, want %v", cards, want)
	}
	// The chart draws bars in proportion: HANOI's 3 overdue tasks against BYT's 1.
	bars := evaluate[[]string](b, `[...document.querySelectorAll(".bars li")].map(li => li.querySelector(".bar-label").textContent.trim() + "=" + li.querySelector(".bar-value").textContent.trim())`)
	if len(bars) != 3 || !strings.HasSuffix(bars[0], "=3") || !strings.HasSuffix(bars[1], "=1") {
		t.Errorf("bars = %v", bars)
	}
	widths := evaluate[[]float64](b, `[...document.querySelectorAll(".bars rect")].map(r => r.getBoundingClientRect().width)`)
	if len(widths) != 3 || widths[1] <= 0 || math.Abs(widths[0]/widths[1]-3) > 0.05 {
		t.Errorf("bar widths = %v, want the first three times the second", widths)
	}
	b.screenshot("02-dashboard.png")
	// The keyboard: the first Tab reaches the skip link, shown on focus.
	b.do("press Tab", chromedp.KeyEvent("\t"))
	if focus := evaluate[string](b, `document.activeElement.className + "@" + Math.round(document.activeElement.getBoundingClientRect().left)`); focus != "skip@0" {
		t.Errorf("after Tab the focus is on %q, want the visible skip link", focus)
	}

	// The overdue review, then filtered to one agency with the form.
	b.navigate("open the review", chromedp.Click(chromedp.CSS(`header nav a[href="/tasks"]`)))
	if got := evaluate[[]string](b, jsRowAgencies); !slices.Equal(got, []string{"BYT", "HANOI", "HANOI", "HANOI"}) {
		t.Errorf("the review lists %v", got)
	}
	b.do("choose HANOI", chromedp.SetValue(chromedp.ID("agency"), "HANOI"))
	b.navigate("filter", chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	if p := b.path(); !strings.Contains(p, "agency=HANOI") {
		t.Errorf("after filtering the page is %s", p)
	}
	if got := evaluate[[]string](b, jsRowAgencies); !slices.Equal(got, []string{"HANOI", "HANOI", "HANOI"}) {
		t.Errorf("the review of HANOI lists %v", got)
	}
	b.screenshot("03-overdue-hanoi.png")

	// A task's page, from the list, with its history.
	resp := b.navigate("open a task", chromedp.Click(chromedp.CSS(`table.tasks tbody a[href^="/tasks/"]`)))
	if resp.Status != 200 || b.path() != "/tasks/"+strconv.FormatInt(w.tasks["l"], 10) {
		t.Errorf("the task page: status %d at %s", resp.Status, b.path())
	}
	history := evaluate[[]string](b, `[...document.querySelectorAll("#lich-su tbody th")].map(th => th.textContent.trim())`)
	if len(history) == 0 || history[0] != "Giao nhiệm vụ" {
		t.Errorf("the task's history = %v", history)
	}
	b.screenshot("04-task.png")

	// On a phone: nothing wider than the screen.
	b.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, p := range []string{"/", "/tasks", "/tasks/" + strconv.FormatInt(w.tasks["j"], 10), "/agencies/BYT"} {
		b.open(p)
		if !evaluate[bool](b, jsFitsScreen) {
			t.Errorf("%s is wider than a phone's screen", p)
		}
		if p == "/" {
			b.screenshot("05-dashboard-phone.png")
		}
	}
	b.do("back to a desktop", chromedp.EmulateViewport(1280, 900))

	// Log out; then an agency officer sees BYT only, on every page.
	b.open("/")
	b.navigate("log out", chromedp.Click(chromedp.CSS(`form.logout button`)))
	if p := b.path(); p != "/login" {
		t.Errorf("after logout at %s", p)
	}
	b.login("byt.cb")
	if p := b.path(); p != "/my/tasks" {
		t.Errorf("the agency officer landed on %s", p)
	}
	b.open("/agencies/BYT")
	b.screenshot("06-agency-byt.png")
	var others []string
	for _, it := range all.Items {
		if it.AgencyCode != "BYT" {
			others = append(others, it.AgencyName)
		}
	}
	own := map[int64]bool{w.coordinatorTask: true}
	for _, l := range []string{"p", "a", "f", "j", "h", "k", "o"} {
		own[w.tasks[l]] = true
	}
	for _, p := range []string{"/", "/tasks", "/tasks?f=1", "/tasks?f=1&agency=HANOI", "/tasks?f=1&agency=HANOI&overdue=true",
		"/tasks/" + strconv.FormatInt(w.tasks["j"], 10), "/agencies/BYT"} {
		if resp := b.open(p); resp.Status != 200 {
			t.Errorf("BYT %s: status %d", p, resp.Status)
		}
		for _, code := range evaluate[[]string](b, jsRowAgencies) {
			if code != "BYT" {
				t.Errorf("BYT sees a task of %s on %s", code, p)
			}
		}
		for _, id := range evaluate[[]int64](b, jsTaskLinks) {
			if !own[id] {
				t.Errorf("BYT sees task %d on %s", id, p)
			}
		}
		text := evaluate[string](b, `document.body.innerText`)
		for _, name := range others {
			if strings.Contains(text, name) {
				t.Errorf("BYT's page %s names %s", p, name)
			}
		}
		if evaluate[bool](b, `!!document.getElementById("agency")`) {
			t.Errorf("BYT's page %s offers a choice of agency", p)
		}
	}
	if got := evaluate[[]int64](b, `[...document.querySelectorAll("#qua-han ~ div tbody a")].map(a => +a.getAttribute("href").split("/")[2])`); !slices.Equal(got, []int64{w.tasks["j"]}) {
		t.Errorf("BYT's page lists overdue tasks %v, want j (%d)", got, w.tasks["j"])
	}
	for letter, id := range w.tasks {
		if own[id] {
			continue
		}
		if resp := b.open("/tasks/" + strconv.FormatInt(id, 10)); resp.Status != 404 {
			t.Errorf("BYT opened task %s of another agency: status %d", letter, resp.Status)
		}
	}
	for _, code := range []string{"HANOI", "BCA"} {
		if resp := b.open("/agencies/" + code); resp.Status != 404 {
			t.Errorf("BYT opened %s's page: status %d", code, resp.Status)
		}
	}
	b.screenshot("07-agency-not-found.png")
	t.Logf("browser test took %s", time.Since(start).Round(time.Millisecond))
}
