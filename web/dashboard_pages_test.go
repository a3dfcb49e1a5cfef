package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

var (
	agencyCellRE = regexp.MustCompile(`data-agency="([^"]+)"`)
	taskLinkRE   = regexp.MustCompile(`href="/tasks/(\d+)"`)
	cardRE       = regexp.MustCompile(`(?s)class="card card-([a-z_]+)">\s*<span class="card-label">[^<]*</span>\s*<span class="card-value">(\d+)</span>`)
	barRE        = regexp.MustCompile(`(?s)agency=([A-Z0-9]+)&amp;overdue=true[^>]*>[^<]*</a>.*?<span class="bar-value">(\d+)</span>`)
)

// agenciesListed are the agencies of a task list's rows, in order.
func agenciesListed(body string) []string {
	var out []string
	for _, m := range agencyCellRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func tasksLinked(body string) []int64 {
	var out []int64
	for _, m := range taskLinkRE.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

func cookieNamed(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestDashboardPages drives the server-rendered pages as a browser would:
// login with a CSRF-protected form and a secure cookie, the five totals and
// the chart, the overdue review and its filters, a task's history, an
// agency's page, the downloads, and an agency user who sees nothing of any
// other agency on any page.
func TestDashboardPages(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := apptest.NewScenario(t, tg)
		in := w.In

		// Signed out: every page leads to the login form.
		leader := newBrowser(t, in)
		if p := leader.get("/tasks?f=1&agency=BYT"); p.Status != http.StatusSeeOther || p.Location != "/login?next="+url.QueryEscape("/tasks?f=1&agency=BYT") {
			t.Errorf("signed out /tasks: %d to %q", p.Status, p.Location)
		}
		login := leader.get("/login").want(t, "login page", 200)
		for _, s := range []string{`<html lang="vi">`, `name="viewport"`, `<label for="username">`, `<label for="password">`, `autocomplete="current-password"`} {
			if !strings.Contains(login.Body, s) {
				t.Errorf("the login page lacks %s", s)
			}
		}
		if strings.Contains(login.Body, "<script") || strings.Contains(login.Body, "http://") || strings.Contains(login.Body, "https://") {
			t.Error("the login page loads scripts or something from another site")
		}
		if ck := cookieNamed(login.Header, "dondoc_csrf"); ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("CSRF cookie = %+v", ck)
		}

		// A login form without its token, or with a wrong password, is refused.
		leader.post("/login", url.Values{"username": {"lanhdao"}, "password": {apptest.Password}}).want(t, "login without CSRF", 403)
		leader.post("/login", url.Values{"csrf": {login.csrf(t)}, "username": {"lanhdao"}, "password": {"wrong"}}).want(t, "wrong password", 401)
		signedIn := leader.post("/login", url.Values{"csrf": {login.csrf(t)}, "username": {"lanhdao"}, "password": {apptest.Password}, "next": {"//evil.example/"}})
		if signedIn.Status != http.StatusSeeOther || signedIn.Location != "/" {
			t.Errorf("login: %d to %q, want 303 to /", signedIn.Status, signedIn.Location)
		}
		if ck := cookieNamed(signedIn.Header, "dondoc_session"); ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge <= 0 || ck.Secure {
			t.Errorf("session cookie = %+v", ck)
		}
		// Behind a proxy that ends TLS, the cookies are Secure.
		proxied := newBrowser(t, in)
		pf := proxied.get("/login")
		if ck := cookieNamed(pf.Header, "dondoc_csrf"); ck == nil || ck.Secure {
			t.Errorf("CSRF cookie over plain HTTP = %+v", ck)
		}
		viaTLS := proxied.post("/login", url.Values{"csrf": {pf.csrf(t)}, "username": {"lanhdao"}, "password": {apptest.Password}}, "X-Forwarded-Proto", "https")
		if ck := cookieNamed(viaTLS.Header, "dondoc_session"); viaTLS.Status != http.StatusSeeOther || ck == nil || !ck.Secure {
			t.Errorf("login through a TLS proxy: %d, session cookie %+v", viaTLS.Status, ck)
		}

		// The dashboard: this year's five totals and the chart of overdue tasks.
		dash := leader.get("/").want(t, "dashboard", 200)
		if cc := dash.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("dashboard Cache-Control = %q", cc)
		}
		cards := map[string]int{}
		for _, m := range cardRE.FindAllStringSubmatch(dash.Body, -1) {
			cards[m[1]], _ = strconv.Atoi(m[2])
		}
		tot := apptest.SumCounts(apptest.ScenarioLiveAllTime)
		wantCards := map[string]int{"total": tot.Total, "completed_on_time": tot.CompletedOnTime, "completed_late": tot.CompletedLate,
			"in_progress_on_time": tot.InProgressOnTime, "in_progress_overdue": tot.InProgressOverdue, "no_deadline": tot.NoDeadline}
		if len(cards) != len(wantCards) {
			t.Errorf("dashboard cards = %v, want %v", cards, wantCards)
		}
		for k, v := range wantCards {
			if cards[k] != v {
				t.Errorf("dashboard card %s = %d, want %d", k, cards[k], v)
			}
		}
		for _, cat := range workflow.Categories {
			if !strings.Contains(dash.Body, workflow.CategoryLabels[cat]) {
				t.Errorf("the dashboard does not name category %s", cat)
			}
		}
		var bars []string
		for _, m := range barRE.FindAllStringSubmatch(dash.Body, -1) {
			bars = append(bars, m[1]+"="+m[2])
		}
		if want := []string{"HANOI=3", "BYT=1", "TTXVN=1"}; !slices.Equal(bars, want) {
			t.Errorf("chart bars = %v, want %v", bars, want)
		}
		for _, s := range []string{`href="/agencies/HANOI"`, `<caption>`, `scope="col"`, `class="skip"`} {
			if !strings.Contains(dash.Body, s) {
				t.Errorf("the dashboard lacks %s", s)
			}
		}
		// Filters that change the figures: provinces only; a closed reporting month.
		prov := leader.get("/?kind=province").want(t, "dashboard of provinces", 200)
		if m := cardRE.FindStringSubmatch(prov.Body); m == nil || m[2] != strconv.Itoa(apptest.ScenarioLiveAllTime["HANOI"].Total) {
			t.Errorf("provinces' total card = %v", m)
		}
		if rm := leader.get("/?period=reporting-previous").want(t, "previous reporting month", 200); !strings.Contains(rm.Body, "số liệu chốt ngày 14/04/2026") {
			t.Error("the previous reporting month is not shown as frozen")
		}
		leader.get("/?period=2026-13").want(t, "a bad period", 422)
		leader.get("/?sort=nope").want(t, "a bad sort", 422)

		// The overdue review, longest first, and filtered to one agency.
		review := leader.get("/tasks").want(t, "overdue review", 200)
		if got := tasksLinked(review.Body); !slices.Equal(got, []int64{w.Tasks["j"], w.Tasks["l"], w.Tasks["q"], w.Tasks["d"]}) {
			t.Errorf("overdue review lists %v", got)
		}
		if !strings.Contains(review.Body, "37 ngày") || !strings.Contains(review.Body, "26 ngày làm việc") || !strings.Contains(review.Body, "1 lần đôn đốc") {
			t.Error("the review does not show j's days overdue and the urging")
		}
		hanoi := leader.get("/tasks?f=1&agency=HANOI&overdue=true&sort=-days_overdue").want(t, "review of HANOI", 200)
		if got := agenciesListed(hanoi.Body); !slices.Equal(got, []string{"HANOI", "HANOI", "HANOI"}) {
			t.Errorf("HANOI's review lists %v", got)
		}
		if !strings.Contains(hanoi.Body, `<option value="HANOI" selected>`) || !strings.Contains(hanoi.Body, "Nhiệm vụ quá hạn của Ủy ban nhân dân thành phố Hà Nội</caption>") {
			t.Error("the agency filter does not show its choice")
		}
		leader.get("/tasks?f=1&status=nope").want(t, "a bad status", 422)
		leader.get("/tasks?f=1&q="+strings.Repeat("x", 300)).want(t, "a long query", 422)
		if p := leader.get("/tasks?cursor=nonsense"); p.Status < 400 || p.Status >= 500 {
			t.Errorf("a forged cursor: status %d", p.Status)
		}
		leader.get("/export/agencies.xlsx?period=2026-13").want(t, "a bad period to export", 422)
		leader.get("/export/tasks.csv?f=1&status=nope").want(t, "a bad status to export", 422)

		// A task's page with its history.
		tp := leader.get("/tasks/"+strconv.FormatInt(w.Tasks["o"], 10)).want(t, "task o", 200)
		for _, s := range []string{"Đề án nhân lực y tế", "Lịch sử", "Giao nhiệm vụ", "Đề nghị gia hạn", "Đồng ý gia hạn", "30/04/2026", "hạn ban đầu 10/04/2026"} {
			if !strings.Contains(tp.Body, s) {
				t.Errorf("task o's page lacks %q", s)
			}
		}
		leader.get("/tasks/999999").want(t, "no such task", 404)
		leader.get("/tasks/abc").want(t, "a bad task id", 404)
		leader.get("/agencies/NOPE").want(t, "no such agency", 404)
		leader.get("/static/nope.css").want(t, "no such file", 404)

		// An agency's page: its year, its overdue tasks, its months.
		ap := leader.get("/agencies/HANOI").want(t, "HANOI's page", 200)
		if got := tasksLinked(ap.Body); !slices.Equal(got, []int64{w.Tasks["l"], w.Tasks["q"], w.Tasks["d"]}) {
			t.Errorf("HANOI's page lists %v", got)
		}
		if !strings.Contains(ap.Body, "Đã chốt") || !strings.Contains(ap.Body, "Tạm tính") {
			t.Error("HANOI's page does not tell frozen months from live ones")
		}

		// The stylesheet, served from this site.
		css := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(dash.Body)
		if css == nil {
			t.Fatal("no stylesheet link")
		}
		sheet := leader.get(css[1]).want(t, "stylesheet", 200)
		if !strings.HasPrefix(sheet.Header.Get("Content-Type"), "text/css") || !strings.Contains(sheet.Body, "@media") || !strings.Contains(sheet.Body, ":focus-visible") {
			t.Error("the stylesheet is not responsive CSS with a focus style")
		}

		// Urging from the task page: a form with the token, from this site only.
		jp := "/tasks/" + strconv.FormatInt(w.Tasks["j"], 10)
		token := leader.get(jp).csrf(t)
		leader.post(jp+"/urge", url.Values{"message": {"Đề nghị báo cáo ngay"}}).want(t, "urge without CSRF", 403)
		leader.post(jp+"/urge", url.Values{"csrf": {"x" + token}, "message": {"Đề nghị báo cáo ngay"}}).want(t, "urge with a wrong token", 403)
		leader.post(jp+"/urge", url.Values{"csrf": {token}, "message": {"Đề nghị báo cáo ngay"}}, "Origin", "https://evil.example").want(t, "urge from another site", 403)
		if p := leader.post(jp+"/urge", url.Values{"csrf": {token}, "message": {"Đề nghị báo cáo ngay"}}, "Origin", in.Server.URL); p.Status != http.StatusSeeOther {
			t.Errorf("urge: %d\n%s", p.Status, p.Body)
		}
		if after := leader.get(jp); !strings.Contains(after.Body, "Đề nghị báo cáo ngay") || !strings.Contains(after.Body, "2 lần đôn đốc") {
			t.Error("the urging is not in the task's history")
		}

		// Downloads follow the filters.
		csv := leader.get("/export/tasks.csv?f=1&agency=HANOI&overdue=true").want(t, "CSV", 200)
		if rows := apptest.ReadTasksCSV(t, []byte(csv.Body)); len(rows) != 3 {
			t.Errorf("HANOI's overdue CSV has %d rows, want 3", len(rows))
		}
		if x := leader.get("/export/agencies.xlsx?period=2026"); x.Status != 200 || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("XLSX download: %d %s", x.Status, x.Header.Get("Content-Type"))
		}

		// An agency user sees its own agency only, whatever it asks for.
		byt := newBrowser(t, in)
		if p := byt.login("byt.cb", apptest.Password); p.Status != http.StatusSeeOther || p.Location != "/my/tasks" {
			t.Errorf("agency login: %d to %q", p.Status, p.Location)
		}
		if p := byt.get("/"); p.Status != http.StatusSeeOther || p.Location != "/my/tasks" {
			t.Errorf("agency dashboard: %d to %q", p.Status, p.Location)
		}
		own := []int64{w.Tasks["p"], w.Tasks["a"], w.Tasks["f"], w.Tasks["j"], w.Tasks["h"], w.Tasks["k"], w.Tasks["o"], w.CoordinatorTask}
		others := map[string]bool{}
		for letter, id := range w.Tasks {
			if !slices.Contains(own, id) {
				others[strconv.FormatInt(id, 10)] = true
				byt.get("/tasks/"+strconv.FormatInt(id, 10)).want(t, "BYT reading task "+letter, 404)
			}
		}
		pages := []string{"/agencies/BYT", "/tasks", "/tasks?f=1", "/tasks?f=1&agency=HANOI", "/tasks?f=1&agency=HANOI&overdue=true",
			"/tasks?f=1&q=" + url.QueryEscape("giao thông"), "/tasks/" + strconv.FormatInt(w.Tasks["j"], 10)}
		for _, path := range pages {
			p := byt.get(path).want(t, "BYT "+path, 200)
			for _, code := range agenciesListed(p.Body) {
				if code != "BYT" {
					t.Errorf("BYT sees a task of %s on %s", code, path)
				}
			}
			for _, id := range tasksLinked(p.Body) {
				if others[strconv.FormatInt(id, 10)] {
					t.Errorf("BYT sees task %d on %s", id, path)
				}
			}
			for _, name := range []string{"Bộ Công an", "Hà Nội", "Ngân hàng Nhà nước", "Thông tấn xã", "Tòa án"} {
				if strings.Contains(p.Body, name) {
					t.Errorf("BYT's page %s names %s", path, name)
				}
			}
			if strings.Contains(p.Body, `id="agency"`) || strings.Contains(p.Body, "HANOI") {
				t.Errorf("BYT's page %s offers an agency filter", path)
			}
		}
		if all := byt.get("/tasks?f=1").Body; len(tasksLinked(all)) != len(own) {
			t.Errorf("BYT's list links %v, want its %d tasks", tasksLinked(all), len(own))
		}
		for _, path := range []string{"/agencies/HANOI", "/agencies/BCA"} {
			byt.get(path).want(t, "BYT "+path, 404)
		}
		csvRows := apptest.ReadTasksCSV(t, []byte(byt.get("/export/tasks.csv?f=1&agency=HANOI").want(t, "BYT's CSV", 200).Body))
		if len(csvRows) != len(own) {
			t.Errorf("BYT's CSV has %d rows, want %d", len(csvRows), len(own))
		}
		for _, r := range csvRows {
			if !slices.Contains(r, "BYT") || slices.Contains(r, "HANOI") {
				t.Errorf("BYT's CSV holds %q", r)
			}
		}
		byt.get("/export/agencies.xlsx").want(t, "BYT's XLSX", 403)
		bt := byt.get("/agencies/BYT").csrf(t)
		byt.post("/feed-token", url.Values{"csrf": {bt}, "agency": {"HANOI"}}).want(t, "BYT's feed of HANOI", 404)
		byt.post("/tasks/"+strconv.FormatInt(w.Tasks["l"], 10)+"/urge", url.Values{"csrf": {bt}, "message": {"x"}}).want(t, "BYT urging", 404)
		feed := byt.post("/feed-token", url.Values{"csrf": {bt}, "agency": {"BYT"}}).want(t, "BYT's feed", 200)
		if m := regexp.MustCompile(`value="(http://[^"]+/api/v1/agencies/BYT/deadlines\.ics\?token=ddf_[^"]+)"`).FindStringSubmatch(feed.Body); m == nil {
			t.Error("the agency page does not show the new feed address")
		} else if u, _ := url.Parse(m[1]); in.Anonymous().Do("GET", u.RequestURI(), nil).Status != 200 {
			t.Error("the feed address shown does not work")
		}

		// Logging out ends the session for good, not only in this browser.
		session := cookieNamed(signedIn.Header, "dondoc_session")
		lt := leader.get("/").csrf(t)
		leader.post("/logout", url.Values{"csrf": {lt}}).want(t, "logout", 303)
		if p := leader.get("/"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
			t.Errorf("after logout /: %d to %q", p.Status, p.Location)
		}
		replay := newBrowser(t, in)
		u, _ := url.Parse(in.Server.URL)
		replay.c.Jar.SetCookies(u, []*http.Cookie{session})
		if p := replay.get("/tasks"); p.Status != http.StatusSeeOther {
			t.Errorf("the old session cookie still opens /tasks: %d", p.Status)
		}
	})
}
