package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/dondoc/dondoc/app/apptest"
)

// The browser tests (TestDashboardInBrowser, TestWholeStoryInBrowser,
// TestStrangersAndForgedFormsInBrowser) run the pages in Debian's headless
// Chromium, all through the set-up below. A test is skipped when no
// Chromium is installed, unless DONDOC_REQUIRE_BROWSER=1 (as in .ci/run),
// which makes a missing browser a failure. Screenshots go to
// $DONDOC_ARTIFACTS/browser when it is set, else to artifacts/browser at the
// top of the repository (ignored by git).

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

// chromiumSlot lets one browser test at a time use the browser: they run
// in parallel with the package's other tests, and two at once starve the
// machine's two cores and push each other towards their deadlines.
var chromiumSlot = make(chan struct{}, 1)

// chromium is the package's one headless Chromium, started by the first
// browser test and stopped by TestMain: each test works in browser
// contexts of its own (as if in separate profiles), so only the start,
// about a second, is shared.
var chromium struct {
	once    sync.Once
	ctx     context.Context
	stop    func()
	profile string
	err     error
}

// startChromium returns the browser for the whole test, once no other
// test is using it. The test has a deadline from then on: a hung page
// fails the test rather than the test binary's timeout.
func startChromium(t *testing.T, exe string, timeout time.Duration) context.Context {
	t.Helper()
	chromiumSlot <- struct{}{}
	t.Cleanup(func() { <-chromiumSlot }) // last, once the test's tabs are closed
	chromium.once.Do(func() {
		chromium.profile, chromium.err = os.MkdirTemp("", "dondoc-chromium-")
		if chromium.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("lang", "vi-VN"),
			chromedp.UserDataDir(chromium.profile),
			chromedp.WindowSize(1280, 900),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(alloc)
		chromium.ctx = ctx
		chromium.stop = func() {
			cancelBrowser()
			cancelAlloc() // waits for the browser to exit, before the profile is removed
			os.RemoveAll(chromium.profile)
		}
		chromium.err = chromedp.Do(ctx)
	})
	if chromium.err != nil {
		t.Fatalf("start chromium: %v", chromium.err)
	}
	ctx, cancel := context.WithTimeout(chromium.ctx, timeout)
	t.Cleanup(cancel)
	return ctx
}

// stopChromium stops the browser, if a test started it.
func stopChromium() {
	if chromium.stop != nil {
		chromium.stop()
	}
}

// chromeTab is one person at the browser: a tab in a browser context of
// its own, so that each has its own cookies (session and CSRF), and a
// count of the pages it loaded and the forms it posted.
type chromeTab struct {
	t        *testing.T
	ctx      context.Context
	base     string
	artifact string
	who      string

	mu           sync.Mutex
	loads, posts int
}

func newChromeTab(t *testing.T, browser context.Context, in *apptest.Instance, artifact, who string) *chromeTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &chromeTab{t: t, ctx: ctx, base: in.Server.URL, artifact: artifact, who: who}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab for %s: %v", who, err)
	}
	// Every document the tab requests is a page load or a form post; a
	// redirect after a post is a load, as in the tests without a browser.
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeDocument {
			b.mu.Lock()
			if e.Request.Method == "POST" {
				b.posts++
			} else {
				b.loads++
			}
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

// counts returns the loads and posts so far and starts counting again.
func (b *chromeTab) counts() (loads, posts int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	loads, posts = b.loads, b.posts
	b.loads, b.posts = 0, 0
	return loads, posts
}

func (b *chromeTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %s: %v", b.who, what, err)
	}
}

// navigate runs steps that load a page (a click on a link or a button, or
// a navigation) and returns the document's response.
func (b *chromeTab) navigate(what string, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.who, what, err)
	}
	return resp
}

// click clicks what sel finds and waits for the page it loads, which must
// answer status.
func (b *chromeTab) click(what, sel string, status int) {
	b.t.Helper()
	resp := b.navigate(what, chromedp.Click(chromedp.CSS(sel)))
	if int(resp.Status) != status {
		b.t.Fatalf("%s: %s: status %d at %s, want %d\n%s", b.who, what, resp.Status, b.path(), status, b.text("main"))
	}
}

func (b *chromeTab) open(path string) *network.Response {
	b.t.Helper()
	return b.navigate("open "+path, chromedp.Navigate(b.base+path))
}

func jsEval[T any](b *chromeTab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: evaluate %s: %v", b.who, js, err)
	}
	return v
}

// text is what the person sees of the first element sel finds ("" when
// there is none).
func (b *chromeTab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(jsEval[string](b, `(e => e ? e.innerText : "")(document.querySelector(`+jsString(sel)+`))`))
}

// has fails the test unless the text of sel holds every part.
func (b *chromeTab) has(what, sel string, parts ...string) {
	b.t.Helper()
	text := b.text(sel)
	for _, p := range parts {
		if !strings.Contains(text, p) {
			b.t.Errorf("%s: %s: %q does not show %q:\n%s", b.who, what, sel, p, text)
		}
	}
}

func (b *chromeTab) path() string {
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

func (b *chromeTab) screenshot(name string) {
	b.t.Helper()
	// What the window shows, 1280×900: a full-page capture lays the page
	// out again at its whole height and took a third of the story's run.
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.artifact, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// typeInto replaces what a field holds by typing text, as a person does.
func (b *chromeTab) typeInto(sel, text string) {
	b.t.Helper()
	// Emptied by a script: chromedp's Clear refuses an empty textarea, and
	// its SetValue an empty value.
	if !jsEval[bool](b, `(e => { if (!e) return false; e.value = ""; return true })(document.querySelector(`+jsString(sel)+`))`) {
		b.t.Fatalf("%s: no field %s", b.who, sel)
	}
	b.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (b *chromeTab) login(username string) {
	b.t.Helper()
	b.open("/login")
	b.do("fill the login form", chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), apptest.Password))
	b.click("log in as "+username, `main form button[type="submit"]`, 200)
}

// jsString quotes s for a script.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
