package web_test

import (
	"fmt"
	"html"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

var (
	formRE     = regexp.MustCompile(`(?s)<form [^>]*id="([^"]+)"[^>]*>(.*?)</form>`)
	inputRE    = regexp.MustCompile(`<input [^>]*>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRE   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	attrRE     = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// formValues reads the fields of the form with this id as a browser would
// send them (without the submit buttons).
func formValues(t *testing.T, p page, id string) url.Values {
	t.Helper()
	for _, f := range formRE.FindAllStringSubmatch(p.Body, -1) {
		if f[1] != id {
			continue
		}
		v := url.Values{}
		for _, in := range inputRE.FindAllString(f[2], -1) {
			a := map[string]string{}
			for _, m := range attrRE.FindAllStringSubmatch(in, -1) {
				a[m[1]] = html.UnescapeString(m[2])
			}
			if a["name"] == "" || (a["type"] == "checkbox" && !strings.Contains(in, " checked")) {
				continue
			}
			v.Add(a["name"], a["value"])
		}
		for _, m := range textareaRE.FindAllStringSubmatch(f[2], -1) {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
		for _, m := range selectRE.FindAllStringSubmatch(f[2], -1) {
			if s := selectedRE.FindStringSubmatch(m[2]); s != nil {
				v.Set(m[1], s[1])
			} else {
				v.Set(m[1], "")
			}
		}
		return v
	}
	t.Fatalf("no form #%s in the page", id)
	return nil
}

var secToday = civil.MustDate("2022-08-15")

type secWorld struct {
	in             *apptest.Instance
	secretariat    *apptest.Client
	byt, leader    *apptest.Client
	thuky          *browser
	bytWeb, ldrWeb *browser
}

func newSecWorld(t *testing.T, tg testdb.Target) *secWorld {
	in := apptest.Start(t, tg, secToday)
	w := &secWorld{in: in, secretariat: in.User("thuky", workflow.RoleSecretariat, ""),
		byt: in.User("cv-byt", workflow.RoleAgency, "BYT"), leader: in.User("lanhdao", workflow.RoleLeader, "")}
	w.thuky = loggedIn(t, in, "thuky", apptest.Password)
	w.bytWeb = loggedIn(t, in, "cv-byt", apptest.Password)
	w.ldrWeb = loggedIn(t, in, "lanhdao", apptest.Password)
	return w
}

// document records a conclusion notice of 01/08/2022 and returns its id.
func (w *secWorld) document(number string) int64 {
	var d struct{ ID int64 }
	w.secretariat.Do("POST", "/api/v1/documents", map[string]any{"number": number, "kind": "conclusion_notice", "title": "Kết luận",
		"issued_on": "2022-08-01", "body": "x"}).Want(201).JSON(&d)
	return d.ID
}

// bytTask gives BYT a task of document doc, due 31/08/2022.
func (w *secWorld) bytTask(doc int64, content string) apiTask {
	var dir struct{ Tasks []apiTask }
	w.secretariat.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc, "content": content, "lead": "BYT", "due_on": "2022-08-31"}).Want(201).JSON(&dir)
	return dir.Tasks[0]
}

type apiTask struct {
	ID         int64   `json:"id"`
	AgencyCode string  `json:"agency_code"`
	Role       string  `json:"role"`
	Status     string  `json:"status"`
	DueOn      *string `json:"due_on"`
	Version    int     `json:"version"`
	Directive  string  `json:"directive_content"`
}

func tasksOfDocument(t *testing.T, c *apptest.Client, docID int64) []apiTask {
	t.Helper()
	var out struct{ Items []apiTask }
	c.Do("GET", fmt.Sprintf("/api/v1/tasks?document_id=%d&limit=500", docID), nil).Want(200).JSON(&out)
	return out.Items
}

var blockRE = regexp.MustCompile(`<fieldset class="block( has-error)?" id="block-(\d+)">`)

// The secretariat turns a pasted notice into tasks: the proposals come
// beside the text, a wrong lead comes back with what was typed and the
// error beside it, a corrected lead, a deadline in working days and a
// dropped proposal are given in one post, and the document lists the tasks.
func TestSecretariatNoticeToTasks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newSecWorld(t, tg)
		b := w.thuky
		text, err := os.ReadFile("testdata/notice-10.txt")
		if err != nil {
			t.Fatal(err)
		}

		form := b.get("/documents/new").want(t, "the new document form", 200)
		for _, s := range []string{`<label for="number">`, `<label for="issued_on">`, `<label for="body">`, `id="document-new"`} {
			if !strings.Contains(form.Body, s) {
				t.Errorf("the new document form lacks %s", s)
			}
		}
		doc := url.Values{"csrf": {form.csrf(t)}, "number": {"265/TB-VPCP"}, "kind": {"conclusion_notice"},
			"title": {"Kết luận phiên họp thứ ba của Ủy ban Quốc gia về chuyển đổi số"}, "issued_on": {"8/8/2022"},
			"signer": {"Trần Văn Sơn"}, "body": {string(text)}}
		// A wrong date keeps everything typed.
		bad := url.Values{}
		for k, v := range doc {
			bad[k] = v
		}
		bad.Set("issued_on", "32/13/2022")
		again := b.post("/documents", bad).want(t, "a document with a wrong date", 422)
		if !strings.Contains(again.Body, `value="265/TB-VPCP"`) || !strings.Contains(again.Body, `id="issued_on-error"`) || !strings.Contains(again.Body, `value="32/13/2022"`) {
			t.Errorf("the form did not come back with what was typed and the error beside the date")
		}
		b.loads, b.posts = 1, 0 // the path counted from the empty form

		created := b.post("/documents", doc).want(t, "add the document", 303)
		m := regexp.MustCompile(`^/documents/(\d+)/proposals$`).FindStringSubmatch(created.Location)
		if m == nil {
			t.Fatalf("after adding, went to %q", created.Location)
		}
		docID, _ := strconv.ParseInt(m[1], 10, 64)
		props := b.get(created.Location).want(t, "the proposals", 200)
		blocks := blockRE.FindAllStringSubmatch(props.Body, -1)
		if len(blocks) < 10 {
			t.Fatalf("%d proposals, want at least 10", len(blocks))
		}
		if !strings.Contains(props.Body, `<mark id="src-0">`) || !strings.Contains(props.Body, `href="#src-0"`) {
			t.Errorf("the source span of the first proposal is not marked and linked")
		}

		// A lead the catalog does not hold: nothing is given, the form comes
		// back as typed with the error beside the field.
		v := formValues(t, props, "proposals")
		if v.Get("count") != strconv.Itoa(len(blocks)) {
			t.Fatalf("count = %q, want %d", v.Get("count"), len(blocks))
		}
		v.Set("p0-lead", "Bộ Không Có Thật")
		v.Set("p0-field", "Chuyển đổi số")
		v.Set("op", "give")
		wrong := b.post(fmt.Sprintf("/documents/%d/directives", docID), v).want(t, "a wrong lead", 422)
		if !strings.Contains(wrong.Body, `value="Bộ Không Có Thật"`) || !strings.Contains(wrong.Body, `id="p0-lead-error"`) ||
			!strings.Contains(wrong.Body, "Không tìm thấy cơ quan") || !strings.Contains(wrong.Body, `value="Chuyển đổi số"`) {
			t.Errorf("the wrong lead did not come back as typed with its error")
		}
		if n := len(tasksOfDocument(t, w.secretariat, docID)); n != 0 {
			t.Fatalf("a refused form made %d tasks", n)
		}
		// An ambiguous one names the candidates.
		v.Set("p0-lead", "Bộ")
		if p := b.post(fmt.Sprintf("/documents/%d/directives", docID), v).want(t, "an ambiguous lead", 422); !strings.Contains(p.Body, "khớp với nhiều cơ quan") {
			t.Errorf("an ambiguous lead does not list the candidates")
		}

		// Correct the lead by its name without diacritics, give the second a
		// deadline in working days, drop the third; drop any other proposal
		// the page still finds wrong (a body outside the catalog).
		v = formValues(t, wrong, "proposals")
		v.Set("p0-lead", "bo y te")
		v.Set("p1-due_on", "")
		v.Set("p1-due_period", "")
		v.Set("p1-due_kind", "")
		v.Set("p1-due_days", "10")
		v.Del("p2-give")
		preview := v
		preview.Set("op", "preview")
		shown := b.post(fmt.Sprintf("/documents/%d/directives", docID), preview).want(t, "preview", 200)
		if !strings.Contains(shown.Body, "10 ngày làm việc kể từ ngày 08/08/2022: hạn 22/08/2022") {
			t.Errorf("the preview does not show the date 10 working days give")
		}
		v = formValues(t, shown, "proposals")
		for _, bl := range blockRE.FindAllStringSubmatch(shown.Body, -1) {
			if bl[1] != "" {
				if bl[2] == "0" || bl[2] == "1" {
					t.Fatalf("block %s is still wrong:\n%s", bl[2], shown.Body)
				}
				v.Del("p" + bl[2] + "-give")
			}
		}
		given := 0
		for i := range blocks {
			if v.Get(fmt.Sprintf("p%d-give", i)) == "1" {
				given++
			}
		}
		v.Set("op", "give")
		done := b.post(fmt.Sprintf("/documents/%d/directives", docID), v).want(t, "give the tasks", 303)
		if !strings.HasPrefix(done.Location, fmt.Sprintf("/documents/%d?given=", docID)) {
			t.Fatalf("after giving, went to %q", done.Location)
		}
		page := b.get(done.Location).want(t, "the document's tasks", 200)
		// Three of the posts were detours this test took on purpose (the
		// wrong lead, the ambiguous one, the preview); the officer's path is
		// the rest.
		b.posts -= 3
		t.Logf("a notice of %d proposals (%d given) into tasks: %d page loads and %d form posts", len(blocks), given, b.loads, b.posts)
		if b.loads != 3 || b.posts != 2 {
			t.Errorf("the path took %d loads and %d posts, want 3 and 2", b.loads, b.posts)
		}

		tasks := tasksOfDocument(t, w.secretariat, docID)
		if len(tasks) < given {
			t.Fatalf("%d tasks for %d directives given", len(tasks), given)
		}
		if strings.Count(page.Body, `<a href="/tasks/`) != len(tasks) {
			t.Errorf("the document page links %d tasks, want %d", strings.Count(page.Body, `<a href="/tasks/`), len(tasks))
		}
		// The page recorded its proposals: what was given from them, what
		// was dropped and the changed deadline count in the extractor's
		// quality in use, as through the API.
		var q struct {
			Used, Dropped, Pending int
			HandAdded              int `json:"hand_added"`
			Fields                 map[string]struct{ Kept, Edited, Dropped int }
		}
		w.secretariat.Do("GET", "/api/v1/extract/quality?from=2000-01-01&to=2100-12-31", nil).Want(200).JSON(&q)
		if q.Used != given || q.Dropped != len(blocks)-given || q.Pending != 0 || q.HandAdded != 0 || q.Fields["due"].Edited < 1 {
			t.Errorf("quality in use after the page gave %d of %d proposals, one deadline changed: %+v", given, len(blocks), q)
		}
		p0 := strings.TrimSpace(v.Get("p0-action"))
		var led, dropped bool
		for _, tk := range tasks {
			if tk.AgencyCode == "BYT" && tk.Role == "lead" {
				led = true
			}
			if strings.TrimSpace(tk.Directive) == strings.TrimSpace(v.Get("p2-action")) && v.Get("p2-action") != p0 {
				dropped = true
			}
		}
		if !led {
			t.Errorf("no task led by BYT after correcting the lead to “bo y te”")
		}
		if dropped {
			t.Errorf("the dropped proposal was given")
		}
		due := false
		for _, tk := range tasks {
			if tk.DueOn != nil && *tk.DueOn == "2022-08-22" {
				due = true
			}
		}
		if !due {
			t.Errorf("no task due on 2022-08-22 (10 working days from 08/08/2022)")
		}

		if p := b.get(fmt.Sprintf("/documents/%d/proposals", docID)).want(t, "the proposals again", 200); !strings.Contains(p.Body, `id="already-given"`) {
			t.Errorf("the proposals of a document with tasks do not warn against giving them twice")
		}
		if strings.Contains(props.Body, `id="already-given"`) {
			t.Errorf("the proposals of a new document warn of tasks already given")
		}

		// The list finds it by number and by title, and by its date.
		for _, q := range []string{"/documents?q=265", "/documents?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91", "/documents?from=01/08/2022&to=31/08/2022"} {
			if p := b.get(q).want(t, q, 200); !strings.Contains(p.Body, fmt.Sprintf(`href="/documents/%d"`, docID)) {
				t.Errorf("%s does not find the document", q)
			}
		}
		if p := b.get("/documents?q=999/NQ").want(t, "no match", 200); strings.Contains(p.Body, fmt.Sprintf(`href="/documents/%d"`, docID)) {
			t.Errorf("a search for another number finds the document")
		}
		b.get("/documents?from=31/02/2022").want(t, "a wrong date in the search", 422)
		if p := b.get("/agencies/search?q=bo+y+te").want(t, "agency search", 200); !strings.Contains(p.Body, "Bộ Y tế") {
			t.Errorf("the agency search does not find Bộ Y tế from “bo y te”")
		}
	})
}

// The queues act: a report confirmed or returned (with a comment, never
// without), an extension approved, overdue tasks urged together; and the
// pages are the secretariat's only.
func TestSecretariatQueues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newSecWorld(t, tg)
		doc := w.document("1/TB-VPCP")
		newTask := func(content string) apiTask { return w.bytTask(doc, content) }
		move := func(id int64, action string, extra map[string]any) {
			body := map[string]any{"action": action}
			for k, v := range extra {
				body[k] = v
			}
			w.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", id), body).Want(200)
		}
		status := func(id int64) string {
			var tk apiTask
			w.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil).Want(200).JSON(&tk)
			return tk.Status
		}
		a, b2, c := newTask("Nhiệm vụ A"), newTask("Nhiệm vụ B"), newTask("Nhiệm vụ C")
		move(a.ID, "acknowledge", nil)
		move(a.ID, "report_done", map[string]any{"report": "Đã hoàn thành nhiệm vụ A"})

		s := w.thuky
		q := s.get("/queue/reports").want(t, "the reports queue", 200)
		if !strings.Contains(q.Body, fmt.Sprintf(`id="task-%d"`, a.ID)) || strings.Contains(q.Body, fmt.Sprintf(`id="task-%d"`, b2.ID)) {
			t.Fatalf("the reports queue does not hold exactly the reported task")
		}
		ret := formValues(t, q, fmt.Sprintf("return-%d", a.ID))
		if p := s.post(fmt.Sprintf("/queue/reports/%d/return", a.ID), ret).want(t, "return without a comment", 422); !strings.Contains(p.Body, `id="queue-error"`) {
			t.Errorf("a return without a comment says nothing")
		}
		if st := status(a.ID); st != "reported" {
			t.Fatalf("a return without a comment changed the task to %s", st)
		}
		ret.Set("comment", "Bổ sung số liệu")
		s.post(fmt.Sprintf("/queue/reports/%d/return", a.ID), ret).want(t, "return", 303)
		if st := status(a.ID); st != "in_progress" {
			t.Fatalf("returned task is %s", st)
		}
		// A stale page: its version is old now.
		conf := formValues(t, q, fmt.Sprintf("confirm-%d", a.ID))
		move(a.ID, "report_done", map[string]any{"report": "Đã bổ sung số liệu"})
		if p := s.post(fmt.Sprintf("/queue/reports/%d/confirm", a.ID), conf).want(t, "confirm from a stale page", 409); !strings.Contains(p.Body, "người khác thay đổi") {
			t.Errorf("a stale confirm does not say the task changed")
		}
		if st := status(a.ID); st != "reported" {
			t.Fatalf("a stale confirm changed the task to %s", st)
		}
		q = s.get("/queue/reports").want(t, "the reports queue again", 200)
		s.post(fmt.Sprintf("/queue/reports/%d/confirm", a.ID), formValues(t, q, fmt.Sprintf("confirm-%d", a.ID))).want(t, "confirm", 303)
		if st := status(a.ID); st != "completed" {
			t.Fatalf("confirmed task is %s", st)
		}

		var ext struct{ ID int64 }
		w.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", b2.ID), map[string]any{"requested_due_on": "2022-09-30", "reason": "Chờ số liệu"}).Want(201).JSON(&ext)
		eq := s.get("/queue/extensions").want(t, "the extensions queue", 200)
		if !strings.Contains(eq.Body, fmt.Sprintf(`id="decide-%d"`, ext.ID)) || !strings.Contains(eq.Body, "30/09/2022") {
			t.Fatalf("the extensions queue does not show the request")
		}
		dv := formValues(t, eq, fmt.Sprintf("decide-%d", ext.ID))
		dv.Set("decision", "reject")
		if p := s.post(fmt.Sprintf("/queue/extensions/%d/decide", ext.ID), dv).want(t, "reject without a reason", 422); !strings.Contains(p.Body, "Ghi lý do") {
			t.Errorf("a rejection without a reason says nothing")
		}
		// A link cannot put words in the page.
		if p := s.get("/queue/extensions?error=Chuyen+tien+ngay&ext=1"); strings.Contains(p.Body, "Chuyen tien ngay") {
			t.Errorf("the queue shows text from its URL")
		}
		dv.Set("decision", "approve")
		s.post(fmt.Sprintf("/queue/extensions/%d/decide", ext.ID), dv).want(t, "approve", 303)
		var tb apiTask
		w.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", b2.ID), nil).Want(200).JSON(&tb)
		if tb.DueOn == nil || *tb.DueOn != "2022-09-30" {
			t.Fatalf("after approval the task is due %v", tb.DueOn)
		}
		if p := s.get("/queue/extensions").want(t, "the empty extensions queue", 200); strings.Contains(p.Body, fmt.Sprintf(`id="decide-%d"`, ext.ID)) {
			t.Errorf("a decided request stays in the queue")
		}

		// Overdue on 2022-09-05: C (due 31/08), not B (extended).
		w.in.Clock.SetDay(civil.MustDate("2022-09-05"), 9)
		d2 := newTask("Nhiệm vụ D")
		_ = d2
		oq := s.get("/queue/overdue").want(t, "the overdue queue", 200)
		if !strings.Contains(oq.Body, fmt.Sprintf(`id="task-%d"`, c.ID)) || strings.Contains(oq.Body, fmt.Sprintf(`id="task-%d"`, b2.ID)) {
			t.Fatalf("the overdue queue does not hold exactly the overdue tasks")
		}
		uv := formValues(t, oq, "urge-overdue")
		uv.Add("task", strconv.FormatInt(c.ID, 10))
		uv.Add("task", strconv.FormatInt(d2.ID, 10))
		uv.Set("message", "Đề nghị báo cáo ngay")
		if p := s.post("/queue/overdue/urge", uv).want(t, "urge two", 303); !strings.Contains(p.Location, "urged=2") {
			t.Errorf("urging two went to %q", p.Location)
		}
		for _, id := range []int64{c.ID, d2.ID} {
			var evs struct {
				Items []struct{ Action, Comment string }
			}
			w.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/events", id), nil).Want(200).JSON(&evs)
			urged := false
			for _, e := range evs.Items {
				urged = urged || e.Action == workflow.EventUrge
			}
			if !urged {
				t.Errorf("task %d was not urged", id)
			}
		}
		one := formValues(t, oq, "urge-overdue")
		one.Set("only", strconv.FormatInt(c.ID, 10))
		if p := s.post("/queue/overdue/urge", one).want(t, "urge one", 303); !strings.Contains(p.Location, "urged=1") {
			t.Errorf("urging one went to %q", p.Location)
		}

		// Not theirs: an agency's officer and a leader get 403; a form
		// without its token is refused.
		for _, p := range []string{"/documents", "/documents/new", fmt.Sprintf("/documents/%d", doc), fmt.Sprintf("/documents/%d/proposals", doc),
			"/queue/reports", "/queue/extensions", "/queue/overdue", "/agencies/search?q=byt"} {
			w.bytWeb.get(p).want(t, "agency at "+p, 403)
			w.ldrWeb.get(p).want(t, "leader at "+p, 403)
		}
		tok := w.bytWeb.get("/documents").csrf(t)
		w.bytWeb.post("/queue/overdue/urge", url.Values{"csrf": {tok}, "task": {strconv.FormatInt(c.ID, 10)}, "message": {"x"}}).want(t, "agency urging", 403)
		noToken := formValues(t, oq, "urge-overdue")
		noToken.Del("csrf")
		noToken.Set("only", strconv.FormatInt(c.ID, 10))
		s.post("/queue/overdue/urge", noToken).want(t, "a form without its token", 403)
	})
}
