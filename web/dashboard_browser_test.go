package web_test

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
)

const (
	jsRowAgencies = `[...document.querySelectorAll("td[data-agency]")].map(td => td.dataset.agency)`
	jsTaskLinks   = `[...document.querySelectorAll("main a[href^='/tasks/']")].map(a => +a.getAttribute("href").split("/")[2]).filter(n => n > 0)`
	// Nothing on the page is wider than the screen: tables scroll inside
	// their own boxes.
	jsFitsScreen = `document.documentElement.scrollWidth <= window.innerWidth`
)

// TestDashboardInBrowser runs the leader's dashboard in Chromium on the
// scenario: the login and the way back, the five totals and the chart's
// bars in proportion, the skip link on the first Tab, the overdue review
// filtered with its form, a task's history, every page on a phone's
// screen, the logout, and an agency officer who sees BYT only, on every
// page. Screenshots: artifacts/browser/0*.png.
func TestDashboardInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	start := time.Now()
	w := apptest.NewScenario(t, testdb.SQLite(t))
	var all struct {
		Items []struct {
			AgencyCode string `json:"agency_code"`
			AgencyName string `json:"agency_name"`
		} `json:"items"`
	}
	w.Leader.Do("GET", "/api/v1/stats/agencies?", nil).Want(200).JSON(&all)
	b := newChromeTab(t, startChromium(t, exe, 60*time.Second), w.In, artifactsDir(t), "lanhdao, then byt.cb")
	t.Logf("screenshots in %s", b.artifact)

	// Signed out, the dashboard asks for a login and comes back after it.
	b.open("/")
	if p := b.path(); p != "/login?next=%2F" {
		t.Errorf("signed out, / went to %s", p)
	}
	b.screenshot("01-login.png")
	b.login("lanhdao") // fails the test unless the login answers 200
	if p := b.path(); p != "/" {
		t.Fatalf("after login: at %s", p)
	}
	if lang := jsEval[string](b, `document.documentElement.lang`); lang != "vi" {
		t.Errorf("lang = %q", lang)
	}

	// The five totals, in the categories' order after the total.
	tot := apptest.SumCounts(apptest.ScenarioLiveAllTime)
	cards := jsEval[[]string](b, `[...document.querySelectorAll(".cards .card-value")].map(e => e.textContent.trim())`)
	want := []string{strconv.Itoa(tot.Total), strconv.Itoa(tot.CompletedOnTime), strconv.Itoa(tot.CompletedLate),
		strconv.Itoa(tot.InProgressOnTime), strconv.Itoa(tot.InProgressOverdue), strconv.Itoa(tot.NoDeadline)}
	if !slices.Equal(cards, want) {
		t.Errorf("cards = %v, want %v", cards, want)
	}
	// The chart draws bars in proportion: HANOI's 3 overdue tasks against BYT's 1.
	bars := jsEval[[]string](b, `[...document.querySelectorAll(".bars li")].map(li => li.querySelector(".bar-label").textContent.trim() + "=" + li.querySelector(".bar-value").textContent.trim())`)
	if len(bars) != 3 || !strings.HasSuffix(bars[0], "=3") || !strings.HasSuffix(bars[1], "=1") {
		t.Errorf("bars = %v", bars)
	}
	widths := jsEval[[]float64](b, `[...document.querySelectorAll(".bars rect")].map(r => r.getBoundingClientRect().width)`)
	if len(widths) != 3 || widths[1] <= 0 || math.Abs(widths[0]/widths[1]-3) > 0.05 {
		t.Errorf("bar widths = %v, want the first three times the second", widths)
	}
	b.screenshot("02-dashboard.png")
	// The keyboard: the first Tab reaches the skip link, shown on focus.
	b.do("press Tab", chromedp.KeyEvent("\t"))
	if focus := jsEval[string](b, `document.activeElement.className + "@" + Math.round(document.activeElement.getBoundingClientRect().left)`); focus != "skip@0" {
		t.Errorf("after Tab the focus is on %q, want the visible skip link", focus)
	}

	// The overdue review, then filtered to one agency with the form.
	b.navigate("open the review", chromedp.Click(chromedp.CSS(`header nav a[href="/tasks"]`)))
	if got := jsEval[[]string](b, jsRowAgencies); !slices.Equal(got, []string{"BYT", "HANOI", "HANOI", "HANOI"}) {
		t.Errorf("the review lists %v", got)
	}
	b.do("choose HANOI", chromedp.SetValue(chromedp.ID("agency"), "HANOI"))
	b.navigate("filter", chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	if p := b.path(); !strings.Contains(p, "agency=HANOI") {
		t.Errorf("after filtering the page is %s", p)
	}
	if got := jsEval[[]string](b, jsRowAgencies); !slices.Equal(got, []string{"HANOI", "HANOI", "HANOI"}) {
		t.Errorf("the review of HANOI lists %v", got)
	}
	b.screenshot("03-overdue-hanoi.png")

	// A task's page, from the list, with its history.
	resp := b.navigate("open a task", chromedp.Click(chromedp.CSS(`table.tasks tbody a[href^="/tasks/"]`)))
	if resp.Status != 200 || b.path() != "/tasks/"+strconv.FormatInt(w.Tasks["l"], 10) {
		t.Errorf("the task page: status %d at %s", resp.Status, b.path())
	}
	history := jsEval[[]string](b, `[...document.querySelectorAll("#lich-su tbody th")].map(th => th.textContent.trim())`)
	if len(history) == 0 || history[0] != "Giao nhiệm vụ" {
		t.Errorf("the task's history = %v", history)
	}
	b.screenshot("04-task.png")

	// On a phone: nothing wider than the screen.
	b.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, p := range []string{"/", "/tasks", "/tasks/" + strconv.FormatInt(w.Tasks["j"], 10), "/agencies/BYT"} {
		b.open(p)
		if !jsEval[bool](b, jsFitsScreen) {
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
	own := map[int64]bool{w.CoordinatorTask: true}
	for _, l := range []string{"p", "a", "f", "j", "h", "k", "o"} {
		own[w.Tasks[l]] = true
	}
	for _, p := range []string{"/", "/tasks", "/tasks?f=1", "/tasks?f=1&agency=HANOI", "/tasks?f=1&agency=HANOI&overdue=true",
		"/tasks/" + strconv.FormatInt(w.Tasks["j"], 10), "/agencies/BYT"} {
		if resp := b.open(p); resp.Status != 200 {
			t.Errorf("BYT %s: status %d", p, resp.Status)
		}
		for _, code := range jsEval[[]string](b, jsRowAgencies) {
			if code != "BYT" {
				t.Errorf("BYT sees a task of %s on %s", code, p)
			}
		}
		for _, id := range jsEval[[]int64](b, jsTaskLinks) {
			if !own[id] {
				t.Errorf("BYT sees task %d on %s", id, p)
			}
		}
		text := jsEval[string](b, `document.body.innerText`)
		for _, name := range others {
			if strings.Contains(text, name) {
				t.Errorf("BYT's page %s names %s", p, name)
			}
		}
		if jsEval[bool](b, `!!document.getElementById("agency")`) {
			t.Errorf("BYT's page %s offers a choice of agency", p)
		}
	}
	if got := jsEval[[]int64](b, `[...document.querySelectorAll("#qua-han ~ div tbody a")].map(a => +a.getAttribute("href").split("/")[2])`); !slices.Equal(got, []int64{w.Tasks["j"]}) {
		t.Errorf("BYT's page lists overdue tasks %v, want j (%d)", got, w.Tasks["j"])
	}
	for letter, id := range w.Tasks {
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
