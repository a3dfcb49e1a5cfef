package web_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// paste puts text into the focused field at once, as a paste does.
func paste(text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return chromedp.Void{}, err
	}
}

// jsCards reads the dashboard's figures by their category.
const jsCards = `Object.fromEntries([...document.querySelectorAll(".cards .card")].map(li =>
	[[...li.classList].find(c => c.startsWith("card-")).slice(5), li.querySelector(".card-value").textContent.trim()]))`

func (b *chromeTab) cards() map[string]int {
	b.t.Helper()
	out := map[string]int{}
	for k, v := range jsEval[map[string]string](b, jsCards) {
		n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
		if err != nil {
			b.t.Fatalf("card %s reads %q", k, v)
		}
		out[k] = n
	}
	if _, ok := out["total"]; !ok {
		b.t.Fatalf("no total on the dashboard:\n%s", b.text("main"))
	}
	return out
}

// count is the figure of the navigation named name, as shown.
func (b *chromeTab) count(name string) string {
	b.t.Helper()
	return b.text(`header [data-count="` + name + `"]`)
}

var taskHrefRE = regexp.MustCompile(`^/tasks/(\d+)$`)

// TestWholeStoryInBrowser plays issue 23's story in headless Chromium on a
// fresh server, each person in a browser context of their own: the
// secretariat pastes a notice, corrects a lead and a deadline, drops a
// proposal and gives the tasks; the agency acknowledges, reports progress
// and completion; the secretariat returns the report with a comment, the
// agency reports again, the secretariat confirms; an extension is asked for
// and approved; the leader's dashboard counts it all. Every step is checked
// on what the person sees, and screenshotted (artifacts/browser/story-*).
//
// It runs on SQLite. The same pages, forms and queries run on PostgreSQL
// too, without the browser (TestSecretariatNoticeToTasks,
// TestTaskWorkInPages, TestSecretariatQueues,
// TestQueueExtensionGrantsTypedDate, TestDashboardPages): what the browser
// adds, the scripts, the forms as a person fills them and the pages as
// drawn, does not depend on the database, and a second run in the browser
// was the longest test of the whole suite (issue 20).
func TestWholeStoryInBrowser(t *testing.T) {
	t.Parallel()
	playStory(t, chromiumPath(t), testdb.SQLite(t))
}

func playStory(t *testing.T, exe string, tg testdb.Target) {
	start := time.Now()
	in := apptest.Start(t, tg, secToday) // 15/08/2022, a week after the notice
	sec := in.User("thuky", workflow.RoleSecretariat, "")
	in.User("cv-byt", workflow.RoleAgency, "BYT")
	in.User("lanhdao", workflow.RoleLeader, "")
	notice, err := os.ReadFile("testdata/notice-10.txt")
	if err != nil {
		t.Fatal(err)
	}
	browser := startChromium(t, exe, 5*time.Minute)
	dir := artifactsDir(t)
	t.Logf("screenshots in %s", dir)
	shot := 0
	snap := func(b *chromeTab, name string) {
		t.Helper()
		shot++
		b.screenshot(fmt.Sprintf("story-%02d-%s.png", shot, name))
	}
	s := newChromeTab(t, browser, in, dir, "thuky")
	byt := newChromeTab(t, browser, in, dir, "cv-byt")
	ldr := newChromeTab(t, browser, in, dir, "lanhdao")

	// The leader's figures before anything is given.
	ldr.login("lanhdao")
	if p := ldr.path(); p != "/" {
		t.Fatalf("the leader landed on %s", p)
	}
	before := ldr.cards()
	snap(ldr, "leader-before")

	// The secretariat adds the document by pasting the notice.
	s.login("thuky")
	s.click("open the documents", `header nav a[href="/documents"]`, 200)
	s.counts()
	s.click("open the new document form", `#document-new[href="/documents/new"]`, 200)
	s.has("the new document form", "main h1", "Thêm văn bản")
	s.do("fill the document",
		chromedp.SendKeys(chromedp.ID("number"), "265/TB-VPCP"),
		chromedp.SendKeys(chromedp.ID("title"), "Kết luận của Thủ tướng Chính phủ về chuyển đổi số trong y tế và giáo dục"),
		chromedp.SendKeys(chromedp.ID("issued_on"), "08/08/2022"),
		chromedp.SendKeys(chromedp.ID("signer"), "Trần Văn Sơn"),
		chromedp.Focus(chromedp.ID("body")), paste(string(notice)))
	if got := jsEval[int](s, `document.getElementById("body").value.length`); got < len([]rune(string(notice)))-20 {
		t.Fatalf("the pasted notice is %d characters long", got)
	}
	snap(s, "document-pasted")
	s.click("save the document", "#document-save", 200)
	m := regexp.MustCompile(`^/documents/(\d+)/proposals$`).FindStringSubmatch(s.path())
	if m == nil {
		t.Fatalf("after saving the document the page is %s", s.path())
	}
	docID, _ := strconv.ParseInt(m[1], 10, 64)

	// The proposals, beside the text: one per numbered directive.
	s.has("the proposals", "main h1", "Đề xuất nhiệm vụ")
	blocks := jsEval[int](s, `document.querySelectorAll("#proposals fieldset.block").length`)
	if blocks != 10 {
		t.Fatalf("%d proposals for a notice of 10 directives", blocks)
	}
	if wrong := jsEval[int](s, `document.querySelectorAll("#proposals fieldset.block.has-error").length`); wrong != 0 {
		t.Errorf("%d proposals are marked wrong before any change", wrong)
	}
	if got := jsEval[string](s, `document.getElementById("p0-lead").value`); got != "BYT" {
		t.Errorf("the first proposal's lead is %q, want BYT", got)
	}
	if got := jsEval[string](s, `document.getElementById("p9-lead").value`); got != "HOCHIMINH" {
		t.Errorf("the tenth proposal's lead is %q, want HOCHIMINH", got)
	}
	if n := jsEval[int](s, `document.querySelectorAll(".doc-text mark").length`); n < 10 {
		t.Errorf("%d source spans marked in the text", n)
	}
	snap(s, "proposals")
	// The hospitals' electronic records go to the Ministry of Health, typed
	// by name without diacritics in the lead picker; the health records are
	// due two weeks later; the Office's own follow-up is not a task.
	s.typeInto("#p9-lead", "bo y te")
	s.typeInto("#p0-due_on", "14/10/2022")
	s.do("untick the follow-up", chromedp.Click(chromedp.ID("p7-give")))
	if jsEval[bool](s, `document.getElementById("p7-give").checked`) {
		t.Fatal("the follow-up is still ticked")
	}
	snap(s, "proposals-corrected")
	s.click("give the tasks", "#give", 200)
	if p := s.path(); p != fmt.Sprintf("/documents/%d?given=11", docID) {
		t.Errorf("after giving the page is %s, want the document with 11 tasks given", p)
	}
	loads, posts := s.counts()
	t.Logf("the secretariat's notice into tasks in Chromium: %d page loads and %d form posts (without a browser: 3 and 2)", loads, posts)
	if loads != 3 || posts != 2 {
		t.Errorf("the notice took %d page loads and %d posts, want 3 and 2", loads, posts)
	}
	s.has("the document's tasks", "#given", "Đã giao 11 nhiệm vụ.")
	rows := jsEval[[]string](s, `[...document.querySelectorAll("#document-tasks tbody tr")].map(tr => tr.innerText)`)
	api := tasksOfDocument(t, sec, docID)
	if len(rows) != 11 || len(api) != 11 {
		t.Fatalf("the page lists %d tasks and the API %d, want 11 (9 directives, 2 coordinators):\n%s", len(rows), len(api), strings.Join(rows, "\n"))
	}
	var healthRecords, hospitals int64
	for _, tk := range api {
		switch {
		case strings.Contains(tk.Directive, "hồ sơ sức khỏe") && tk.Role == "lead":
			healthRecords = tk.ID
			if tk.AgencyCode != "BYT" || tk.DueOn == nil || *tk.DueOn != "2022-10-14" {
				t.Errorf("the health records task: %s due %v, want BYT due 2022-10-14", tk.AgencyCode, tk.DueOn)
			}
		case strings.Contains(tk.Directive, "bệnh án điện tử"):
			hospitals = tk.ID
			if tk.AgencyCode != "BYT" || tk.Role != "lead" {
				t.Errorf("the hospitals task went to %s (%s), want BYT leading", tk.AgencyCode, tk.Role)
			}
		case strings.Contains(tk.Directive, "Theo dõi, đôn đốc"):
			t.Errorf("the dropped follow-up was given to %s", tk.AgencyCode)
		}
	}
	if healthRecords == 0 || hospitals == 0 {
		t.Fatalf("the corrected tasks are missing: %+v", api)
	}
	for _, r := range rows {
		if strings.Contains(r, "hồ sơ sức khỏe") && strings.Contains(r, "Chủ trì") && !(strings.Contains(r, "Bộ Y tế") && strings.Contains(r, "14/10/2022")) {
			t.Errorf("the page shows the health records task as %q", r)
		}
		if strings.Contains(r, "bệnh án điện tử") && !strings.Contains(r, "Bộ Y tế") {
			t.Errorf("the page shows the hospitals task as %q", r)
		}
	}
	snap(s, "tasks-given")
	ldr.open("/")
	given := ldr.cards()
	// The dashboard counts the tasks each directive's lead carries, as the
	// Office's reports do: nine, the coordinators' two aside.
	if given["total"] != before["total"]+9 || given["in_progress_on_time"] != before["in_progress_on_time"]+9 ||
		given["completed_on_time"] != before["completed_on_time"] {
		t.Errorf("the leader's figures after giving: %v, before: %v; want 9 more tasks, in progress on time", given, before)
	}

	// The Ministry of Health's officer sees two new tasks.
	byt.login("cv-byt")
	if p := byt.path(); p != "/my/tasks" {
		t.Fatalf("the agency officer landed on %s", p)
	}
	if got := byt.count("new"); got != "2" {
		t.Errorf("new-task count %q, want 2", got)
	}
	byt.has("my tasks", "main", "Có 2 nhiệm vụ mới chưa tiếp nhận.", "hồ sơ sức khỏe", "bệnh án điện tử")
	snap(byt, "agency-new-tasks")
	byt.click("open the health records task", fmt.Sprintf(`li[data-task="%d"] a`, healthRecords), 200)
	byt.has("the task", "main", "Hoàn thiện hồ sơ sức khỏe điện tử", "Bộ Y tế (Chủ trì)", "14/10/2022", "Mới giao")
	snap(byt, "agency-task")
	byt.click("acknowledge", `form[data-form="acknowledge"] button`, 200)
	byt.has("after acknowledging", "main", "Đã tiếp nhận nhiệm vụ.", "Đang thực hiện")
	if got := byt.count("new"); got != "1" {
		t.Errorf("new-task count after acknowledging %q, want 1", got)
	}
	snap(byt, "agency-acknowledged")
	byt.typeInto("#progress-body", "Đã hoàn thành kết nối dữ liệu tại 40 tỉnh.")
	byt.typeInto("#progress-percent", "60")
	byt.click("report progress", `form[data-form="progress"] button`, 200)
	byt.has("after progress", "main", "Đã gửi báo cáo tiến độ.", "Đã hoàn thành kết nối dữ liệu tại 40 tỉnh.", "60%")
	snap(byt, "agency-progress")
	byt.typeInto("#done-report", "Đã hoàn thiện hồ sơ sức khỏe điện tử tại 63 tỉnh, thành phố.")
	byt.click("report done", `form[data-form="report_done"] button`, 200)
	byt.has("after reporting done", "main", "Đã gửi báo cáo hoàn thành.", "Đã báo cáo hoàn thành")
	snap(byt, "agency-reported")

	// The secretariat returns it with a comment, from the reports queue.
	s.open("/documents")
	if got := s.count("reports"); got != "1" {
		t.Errorf("reports waiting %q, want 1", got)
	}
	s.click("open the reports queue", `header nav a[href="/queue/reports"]`, 200)
	item := fmt.Sprintf("#task-%d", healthRecords)
	s.has("the reports queue", item, "Bộ Y tế", "Đã hoàn thiện hồ sơ sức khỏe điện tử tại 63 tỉnh")
	snap(s, "reports-queue")
	s.typeInto(fmt.Sprintf("#comment-%d", healthRecords), "Đề nghị bổ sung số liệu tuyến huyện.")
	s.click("return the report", fmt.Sprintf("#return-%d button", healthRecords), 200)
	s.has("after returning", "#queue-done", fmt.Sprintf("Đã trả lại báo cáo của nhiệm vụ #%d.", healthRecords))
	if jsEval[bool](s, `!!document.querySelector(`+jsString(item)+`)`) {
		t.Errorf("the returned report is still in the queue")
	}
	if got := s.count("reports"); got != "0" {
		t.Errorf("reports waiting after the return %q, want 0", got)
	}
	snap(s, "report-returned")

	// The agency is told, opens the task from the notification, sees the
	// comment and reports again.
	byt.click("open the notifications", `header nav a[href="/notifications"]`, 200)
	unread, err := strconv.Atoi(byt.count("unread"))
	if err != nil || unread < 1 {
		t.Fatalf("unread notifications after the return: %q", byt.count("unread"))
	}
	byt.has("the notifications", "main", "bị trả lại", "Ý kiến: Đề nghị bổ sung số liệu tuyến huyện.")
	if text := byt.text("main"); strings.Contains(text, "%!") {
		t.Errorf("a notification shows a formatting error:\n%s", text)
	}
	snap(byt, "agency-notifications")
	byt.click("open the task from its notification", fmt.Sprintf(`main li.unread button[name="open"][value="/tasks/%d"]`, healthRecords), 200)
	if p := byt.path(); p != taskPath(healthRecords) {
		t.Errorf("the notification opened %s", p)
	}
	if got := byt.count("unread"); got != strconv.Itoa(unread-1) {
		t.Errorf("unread after opening one: %s, want %d", got, unread-1)
	}
	byt.has("the returned task", "main", "Đang thực hiện", "Đề nghị bổ sung số liệu tuyến huyện.")
	byt.has("the history", "#lich-su", "Trả lại")
	snap(byt, "agency-returned")
	byt.typeInto("#done-report", "Đã bổ sung số liệu của 705 huyện.")
	byt.click("report done again", `form[data-form="report_done"] button`, 200)
	byt.has("after reporting again", "main", "Đã gửi báo cáo hoàn thành.", "Đã báo cáo hoàn thành")

	// The secretariat confirms.
	s.click("open the reports queue again", `header nav a[href="/queue/reports"]`, 200)
	s.has("the report again", item, "Đã bổ sung số liệu của 705 huyện.")
	s.click("confirm", fmt.Sprintf("#confirm-%d button", healthRecords), 200)
	s.has("after confirming", "#queue-done", fmt.Sprintf("Đã xác nhận hoàn thành nhiệm vụ #%d.", healthRecords))
	s.open(fmt.Sprintf("/tasks/%d", healthRecords))
	s.has("the confirmed task", "main", "Đã hoàn thành đúng hạn", "Ngày hoàn thành", "15/08/2022")
	snap(s, "task-confirmed")

	// An extension of the hospitals task, asked for and approved.
	byt.click("back to my tasks", `header nav a[href="/my/tasks"]`, 200)
	byt.click("open the hospitals task", fmt.Sprintf(`li[data-task="%d"] a`, hospitals), 200)
	byt.has("the hospitals task", "main", "Triển khai thí điểm bệnh án điện tử", "31/12/2022")
	byt.do("ask for 31/03/2023", chromedp.SetValue(chromedp.ID("ext-date"), "2023-03-31"))
	byt.typeInto("#ext-reason", "Chờ hướng dẫn kỹ thuật của Bộ Thông tin và Truyền thông.")
	byt.click("ask for an extension", `form[data-form="extension"] button`, 200)
	byt.has("after asking", "main", "Đã gửi đề nghị gia hạn.", "Đề nghị gia hạn đến 31/03/2023", "Chờ quyết định")
	snap(byt, "agency-extension")
	s.open("/documents")
	if got := s.count("extensions"); got != "1" {
		t.Errorf("extension requests waiting %q, want 1", got)
	}
	s.click("open the extensions queue", `header nav a[href="/queue/extensions"]`, 200)
	eid := jsEval[string](s, `(a => a ? a.id.slice(4) : "")(document.querySelector("article[id^='ext-']"))`)
	if eid == "" {
		t.Fatalf("no request in the extensions queue:\n%s", s.text("main"))
	}
	s.has("the extensions queue", "#ext-"+eid, "31/12/2022", "31/03/2023", "Chờ hướng dẫn kỹ thuật")
	snap(s, "extensions-queue")
	s.click("approve", "#approve-"+eid, 200)
	s.has("after approving", "#queue-done", "Đã đồng ý gia hạn")
	s.open(fmt.Sprintf("/tasks/%d", hospitals))
	s.has("the extended task", "main", "31/03/2023 (hạn ban đầu 31/12/2022)", "Đã đồng ý")
	snap(s, "task-extended")
	byt.open(fmt.Sprintf("/tasks/%d", hospitals))
	byt.has("the agency's extended task", "main", "31/03/2023 (hạn ban đầu 31/12/2022)")

	// The leader's dashboard: the tasks given, one completed on time.
	ldr.open("/")
	after := ldr.cards()
	t.Logf("the leader's figures: before %v, after giving %v, at the end %v", before, given, after)
	if after["total"] != before["total"]+9 || after["completed_on_time"] != before["completed_on_time"]+1 ||
		after["in_progress_on_time"] != before["in_progress_on_time"]+8 {
		t.Errorf("the leader's figures at the end: %v, before: %v; want 9 more tasks, one of them completed on time", after, before)
	}
	bytRow := jsEval[[]string](ldr, `(a => a ? [...a.closest("tr").cells].map(c => c.innerText.trim()) : [])(document.querySelector("main tr a[href='/agencies/BYT']"))`)
	if want := []string{"Bộ Y tế", "2", "1", "0", "1", "0", "0"}; !slices.Equal(bytRow, want) {
		t.Errorf("the leader's row of BYT reads %q, want %q (two tasks led, one completed on time)", bytRow, want)
	}
	snap(ldr, "leader-after")
	t.Logf("the story took %s in Chromium on %s", time.Since(start).Round(time.Millisecond), tg.Name)
}
