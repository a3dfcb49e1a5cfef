package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

// who is a caller of the authorisation matrix. The resources the matrix
// reaches for (tasks, directives, extensions, notifications, tokens) belong
// to BYT: "own" is an officer of BYT, "other" an officer of BCA.
type who int

const (
	anon who = iota
	admin
	secretariat
	leader
	own
	other
	nWho
)

var whoNames = [nWho]string{"anonymous", "admin", "secretariat", "leader", "own_agency", "other_agency"}

// want is the expected status for each caller, in the order of who.
type want [nWho]int

// call is one request of the matrix, built afresh for each caller.
type call struct {
	path  string
	body  any        // a JSON body
	form  url.Values // a dashboard form; the CSRF token is added
	token *string    // instead of the caller's own token (nil: the caller's)
	raw   []byte     // a body sent as it is, as JSON (the hostile-input test)
	// headers are sent besides (the hostile-input test).
	headers map[string]string
	// hide is what the other agency's answer must not contain and the own
	// agency's must (so that the check cannot pass by seeing nothing).
	hide string
}

type authzCase struct {
	name string
	prep func(r who) call
	want want
}

// matrix holds a running dondoc, a token per caller and the means to make
// fresh resources.
type matrix struct {
	t         *testing.T
	f         *fixture
	tokens    [nWho]string
	users     [nWho]string
	csrfSeed  string
	csrfToken string
	n         int
	victim    int64 // a user admins change
	docFiles  int   // documents recorded with a file
	http      *http.Client
}

const marker = "MK-BYT-Riêng-7Q"

func newMatrix(t *testing.T, tg testdb.Target) *matrix {
	f := newFixture(t, tg)
	m := &matrix{t: t, f: f, csrfSeed: "matrix-csrf-seed-0123456789",
		http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	for r, c := range map[who]*apptest.Client{admin: f.in.Admin, secretariat: f.secretariat, leader: f.leader, own: f.byt, other: f.bca} {
		m.tokens[r], m.users[r] = c.Token, c.Name
	}
	m.users[anon] = f.secretariat.Name
	var u struct{ ID int64 }
	f.in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "victim", "password": apptest.Password, "role": "leader"}).Want(201).JSON(&u)
	m.victim = u.ID
	// The CSRF token is an HMAC of the browser's random cookie: read it
	// from the login form once.
	_, page := m.send(anon, "GET", call{path: "/login"})
	sm := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if sm == nil {
		t.Fatalf("no CSRF token in the login page")
	}
	m.csrfToken = string(sm[1])
	return m
}

func (m *matrix) seq() int { m.n++; return m.n }

// send makes one request as r: API routes get a bearer token, dashboard
// routes the session cookie; redirects are not followed.
func (m *matrix) send(r who, method string, c call) (*http.Response, []byte) {
	m.t.Helper()
	var body io.Reader
	ctype := ""
	switch {
	case c.raw != nil:
		body, ctype = bytes.NewReader(c.raw), "application/json"
	case c.form != nil:
		c.form.Set("csrf", m.csrfToken)
		body, ctype = strings.NewReader(c.form.Encode()), "application/x-www-form-urlencoded"
	case c.body != nil:
		b, err := json.Marshal(c.body)
		if err != nil {
			m.t.Fatal(err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequest(method, m.f.in.Server.URL+c.path, body)
	if err != nil {
		m.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range c.headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	tok := m.tokens[r]
	if c.token != nil {
		tok = *c.token
	}
	if strings.HasPrefix(c.path, "/api/v1/") {
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	} else {
		req.AddCookie(&http.Cookie{Name: "dondoc_csrf", Value: m.csrfSeed})
		if tok != "" {
			req.AddCookie(&http.Cookie{Name: "dondoc_session", Value: tok})
		}
	}
	resp, err := m.http.Do(req)
	if err != nil {
		m.t.Fatalf("%s %s: %v", method, c.path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// fresh makes a new user of r's kind and returns its token: for requests
// that end the caller's sessions.
func (m *matrix) fresh(r who) *string {
	tok := ""
	if r != anon {
		role, agency := map[who]workflow.Role{admin: workflow.RoleAdmin, secretariat: workflow.RoleSecretariat, leader: workflow.RoleLeader,
			own: workflow.RoleAgency, other: workflow.RoleAgency}[r], map[who]string{own: "BYT", other: "BCA"}[r]
		tok = m.f.in.User(fmt.Sprintf("fresh-%d", m.seq()), role, agency).Token
	}
	return &tok
}

// task makes a new directive led by BYT alone and returns its task.
func (m *matrix) task() task {
	return m.f.leadTask(m.t, map[string]any{"content": marker + fmt.Sprintf(" nhiệm vụ %d", m.seq())})
}

// notification returns BYT's officer's in-app notification of task id.
func (m *matrix) notification(id int64) int64 {
	var ns struct {
		Items []struct {
			ID     int64  `json:"id"`
			TaskID *int64 `json:"task_id"`
		} `json:"items"`
	}
	m.f.byt.Do("GET", "/api/v1/me/notifications?limit=500", nil).Want(200).JSON(&ns)
	for _, n := range ns.Items {
		if n.TaskID != nil && *n.TaskID == id {
			return n.ID
		}
	}
	m.t.Fatalf("BYT has no notification of task %d", id)
	return 0
}

// extension makes a pending extension request on a new BYT task.
func (m *matrix) extension() (taskID, extID int64) {
	tk := m.task()
	var e struct{ ID int64 }
	m.f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", tk.ID), map[string]any{"requested_due_on": "2026-04-30", "reason": "Chờ ý kiến"}).Want(201).JSON(&e)
	return tk.ID, e.ID
}

// attachment makes a report with a file on a new BYT task and returns
// the file's id.
func (m *matrix) attachment() int64 {
	var rep struct{ Attachments []struct{ ID int64 } }
	postForm(m.f.byt, fmt.Sprintf("/api/v1/tasks/%d/reports", m.task().ID), map[string]string{"body": marker}, "files",
		upload{"bc.png", doctexttest.PNG(m.t, 8, 8)}).Want(201).JSON(&rep)
	return rep.Attachments[0].ID
}

// documentWithFile records a document from a .txt file.
func (m *matrix) documentWithFile() int64 {
	var d struct{ ID int64 }
	m.docFiles++
	postForm(m.f.secretariat, "/api/v1/documents", docFields(fmt.Sprintf("%d/TB-MX", m.docFiles)), "file",
		upload{"tb.txt", []byte("Thông báo kết luận.")}).Want(201).JSON(&d)
	return d.ID
}

func (m *matrix) role(r who) *apptest.Client {
	return map[who]*apptest.Client{admin: m.f.in.Admin, secretariat: m.f.secretariat, leader: m.f.leader, own: m.f.byt, other: m.f.bca}[r]
}

var (
	public    = want{200, 200, 200, 200, 200, 200}
	signedIn  = want{401, 200, 200, 200, 200, 200}
	adminOnly = want{401, 200, 403, 403, 403, 403}
	taskRead  = want{401, 200, 200, 200, 200, 404} // another agency's task: ids reveal nothing
	readers   = want{401, 200, 200, 200, 403, 403} // leaders, the secretariat and admins
)

func get(path string) func(who) call { return func(who) call { return call{path: path} } }

// apiTable is the expected outcome of every API route for every caller.
func (m *matrix) apiTable() map[string][]authzCase {
	api := "/api/v1"
	tk := m.task() // a task the read-only routes look at
	taskPath := func(suffix string) func(who) call {
		return func(who) call { return call{path: fmt.Sprintf("%s/tasks/%d%s", api, tk.ID, suffix)} }
	}
	one := func(w want, prep func(who) call) []authzCase { return []authzCase{{prep: prep, want: w}} }
	return map[string][]authzCase{
		"GET /healthz":                    one(public, get("/healthz")),
		"GET /readyz":                     one(public, get("/readyz")),
		"GET /metrics":                    one(public, get("/metrics")),
		"GET /api/docs":                   one(public, get("/api/docs")),
		"GET /api/v1/openapi.json":        one(public, get(api+"/openapi.json")),
		"GET /api/v1/openapi.yaml":        one(public, get(api+"/openapi.yaml")),
		"GET /api/v1/openapi-3.0.json":    one(public, get(api+"/openapi-3.0.json")),
		"GET /api/v1/openapi-3.0.yaml":    one(public, get(api+"/openapi-3.0.yaml")),
		"GET /api/v1/admin/audit/verify":  one(adminOnly, get(api+"/admin/audit/verify")),
		"GET /api/v1/admin/notifications": one(adminOnly, get(api+"/admin/notifications")),
		"POST /api/v1/admin/reminders/scan": one(adminOnly, func(who) call {
			return call{path: api + "/admin/reminders/scan", body: map[string]any{"as_of": "2026-03-02"}}
		}),
		"POST /api/v1/admin/notifications/:id/retry": one(adminOnly, func(who) call {
			id := m.notification(m.task().ID)
			if err := m.f.in.App.DB.W.Exec("UPDATE notifications SET status = 'dead' WHERE id = ?", id).Error; err != nil {
				m.t.Fatal(err)
			}
			return call{path: fmt.Sprintf("%s/admin/notifications/%d/retry", api, id)}
		}),

		"POST /api/v1/auth/login": one(public, func(r who) call {
			pw := apptest.Password
			if r == admin {
				pw = apptest.AdminPassword
			}
			return call{path: api + "/auth/login", body: map[string]any{"username": m.users[r], "password": pw}}
		}),
		"POST /api/v1/auth/logout": one(want{401, 204, 204, 204, 204, 204}, func(r who) call { return call{path: api + "/auth/logout", token: m.fresh(r)} }),

		"GET /api/v1/agencies":       one(signedIn, get(api+"/agencies?q=y+te")),
		"GET /api/v1/agencies/:code": one(signedIn, get(api+"/agencies/BYT")),
		"PUT /api/v1/agencies/:code": one(want{401, 201, 403, 403, 403, 403}, func(who) call {
			return call{path: fmt.Sprintf("%s/agencies/ZZ%d", api, m.seq()), body: map[string]any{"name": "Ban thử nghiệm", "short_name": "Ban TN", "kind": "other"}}
		}),
		"GET /api/v1/agencies/:code/deadlines.ics": one(taskRead, func(r who) call {
			tok := "ddf_" + strings.Repeat("x", 32)
			if r != anon {
				var out struct{ Token string }
				m.role(r).Do("POST", api+"/me/feed-token", nil).Want(201).JSON(&out)
				tok = out.Token
			}
			return call{path: api + "/agencies/BYT/deadlines.ics?token=" + url.QueryEscape(tok), token: new(string)}
		}),

		"GET /api/v1/calendar/add-working-days": one(signedIn, get(api+"/calendar/add-working-days?from=2026-03-02&n=5")),
		"GET /api/v1/calendar/holidays":         one(signedIn, get(api+"/calendar/holidays?year=2026")),
		"GET /api/v1/calendar/years/:year":      one(readers, get(api+"/calendar/years/2027")),
		"PUT /api/v1/calendar/years/:year": one(adminOnly, func(who) call {
			return call{path: api + "/calendar/years/2027?dry_run=true", body: schedule2027("")}
		}),
		"PUT /api/v1/calendar/days/:date": one(adminOnly, func(who) call {
			return call{path: api + "/calendar/days/" + m.monday(), body: map[string]any{"kind": "holiday", "name": "Nghỉ thử"}}
		}),
		"DELETE /api/v1/calendar/days/:date": one(want{401, 204, 403, 403, 403, 403}, func(who) call {
			d := m.monday()
			m.f.in.Admin.Do("PUT", api+"/calendar/days/"+d, map[string]any{"kind": "holiday", "name": "Nghỉ thử"}).Want(200)
			return call{path: api + "/calendar/days/" + d}
		}),

		"GET /api/v1/directives/:id": one(taskRead, get(fmt.Sprintf("%s/directives/%d", api, tk.DirectiveID))),
		"POST /api/v1/directives": one(want{401, 403, 201, 403, 403, 403}, func(who) call {
			return call{path: api + "/directives", body: map[string]any{"document_id": m.f.docID, "content": "Rà soát", "lead": "BYT", "due_on": "2026-03-31"}}
		}),
		"GET /api/v1/documents":     one(signedIn, get(api+"/documents")),
		"GET /api/v1/documents/:id": one(signedIn, get(fmt.Sprintf("%s/documents/%d", api, m.f.docID))),
		"POST /api/v1/documents": one(want{401, 403, 201, 403, 403, 403}, func(who) call {
			return call{path: api + "/documents", body: map[string]any{"number": fmt.Sprintf("%d/TB-VPCP", m.seq()), "kind": "conclusion_notice",
				"title": "Kết luận", "issued_on": "2026-02-25"}}
		}),
		"POST /api/v1/documents/:id/extract": one(want{401, 200, 200, 200, 403, 403}, get(fmt.Sprintf("%s/documents/%d/extract", api, m.f.docID))),
		"GET /api/v1/extract/quality":        one(want{401, 200, 200, 200, 403, 403}, get(api+"/extract/quality?from=2026-02-01&to=2026-03-31")),
		"POST /api/v1/extract": one(want{401, 200, 200, 200, 403, 403}, func(who) call {
			return call{path: api + "/extract", body: map[string]any{"text": "Giao Bộ Y tế chủ trì xây dựng đề án, hoàn thành trong tháng 6 năm 2026.", "doc_date": "2026-02-25"}}
		}),

		"GET /api/v1/extensions": one(signedIn, func(who) call {
			id, _ := m.extension()
			return call{path: api + "/extensions?limit=500", hide: fmt.Sprintf(`"task_id":%d`, id)}
		}),
		"POST /api/v1/extensions/:id/decision": one(want{401, 403, 200, 403, 403, 404}, func(who) call {
			_, ext := m.extension()
			return call{path: fmt.Sprintf("%s/extensions/%d/decision", api, ext), body: map[string]any{"approve": true, "comment": "Đồng ý"}}
		}),

		"GET /api/v1/me": one(signedIn, get(api+"/me")),
		"GET /api/v1/me/notifications": one(signedIn, func(who) call {
			return call{path: api + "/me/notifications?limit=500", hide: fmt.Sprintf(`"task_id":%d`, m.task().ID)}
		}),
		"POST /api/v1/me/notifications/:id/read": one(want{401, 404, 404, 404, 204, 404}, func(who) call {
			return call{path: fmt.Sprintf("%s/me/notifications/%d/read", api, m.notification(m.task().ID))}
		}),
		"POST /api/v1/me/feed-token": one(want{401, 201, 201, 201, 201, 201}, get(api+"/me/feed-token")),
		"DELETE /api/v1/me/feed-token": one(want{401, 204, 204, 204, 204, 204}, func(r who) call {
			if r != anon {
				m.role(r).Do("POST", api+"/me/feed-token", nil).Want(201)
			}
			return call{path: api + "/me/feed-token"}
		}),
		"GET /api/v1/me/tokens": one(signedIn, get(api+"/me/tokens")),
		// The new password equals the current one: refused without changing
		// anything (nor counting as a failed login), so that the matrix can
		// run again.
		"POST /api/v1/me/password": one(want{401, 422, 422, 422, 422, 422}, func(r who) call {
			pw := apptest.Password
			if r == admin {
				pw = apptest.AdminPassword
			}
			return call{path: api + "/me/password", body: map[string]any{"current_password": pw, "new_password": pw}}
		}),
		"POST /api/v1/me/tokens": one(want{401, 201, 201, 201, 201, 201}, func(who) call { return call{path: api + "/me/tokens", body: map[string]any{"name": "tích hợp"}} }),
		// BYT's officer's token: its owner and admins revoke it; to anyone
		// else it does not exist.
		"DELETE /api/v1/me/tokens/:id": one(want{401, 204, 404, 404, 204, 404}, func(who) call {
			var out struct{ ID int64 }
			m.f.byt.Do("POST", api+"/me/tokens", map[string]any{"name": "tích hợp"}).Want(201).JSON(&out)
			return call{path: fmt.Sprintf("%s/me/tokens/%d", api, out.ID)}
		}),

		"GET /api/v1/reports/agencies.xlsx":      one(readers, get(api+"/reports/agencies.xlsx")),
		"GET /api/v1/reports/agencies.csv":       one(readers, get(api+"/reports/agencies.csv")),
		"GET /api/v1/stats/agencies":             one(readers, get(api+"/stats/agencies")),
		"GET /api/v1/stats/agencies/:code/trend": one(taskRead, get(api+"/stats/agencies/BYT/trend")),

		"GET /api/v1/tasks": one(signedIn, func(who) call {
			return call{path: api + "/tasks?limit=500", hide: marker}
		}),
		"GET /api/v1/tasks.csv": one(signedIn, func(who) call {
			return call{path: api + "/tasks.csv", hide: marker}
		}),
		"GET /api/v1/tasks/:id":            one(taskRead, taskPath("")),
		"GET /api/v1/tasks/:id/events":     one(taskRead, taskPath("/events")),
		"GET /api/v1/tasks/:id/extensions": one(taskRead, taskPath("/extensions")),
		"GET /api/v1/tasks/:id/reports":    one(taskRead, taskPath("/reports")),
		"GET /api/v1/attachments/:id": one(taskRead, func(who) call {
			return call{path: fmt.Sprintf("%s/attachments/%d", api, m.attachment())}
		}),
		"GET /api/v1/documents/:id/file": one(signedIn, func(who) call {
			return call{path: fmt.Sprintf("%s/documents/%d/file", api, m.documentWithFile())}
		}),
		"POST /api/v1/tasks/:id/transitions": {
			{name: "acknowledge", want: want{401, 403, 403, 403, 200, 404}, prep: func(who) call {
				return call{path: fmt.Sprintf("%s/tasks/%d/transitions", api, m.task().ID), body: map[string]any{"action": "acknowledge"}}
			}},
			{name: "cancel", want: want{401, 403, 200, 403, 403, 404}, prep: func(who) call {
				return call{path: fmt.Sprintf("%s/tasks/%d/transitions", api, m.task().ID), body: map[string]any{"action": "cancel", "comment": "Theo chỉ đạo"}}
			}},
			{name: "multipart report_done", want: want{401, 403, 403, 403, 200, 404}, prep: func(who) call {
				body, ctype := multipartBody(m.t, map[string]string{"action": "report_done", "report": "Đã hoàn thành"}, "files",
					upload{"bc.png", doctexttest.PNG(m.t, 8, 8)})
				return call{path: fmt.Sprintf("%s/tasks/%d/transitions", api, m.task().ID), raw: body, headers: map[string]string{"Content-Type": ctype}}
			}},
		},
		"POST /api/v1/tasks/:id/reports": {
			{want: want{401, 403, 403, 403, 201, 404}, prep: func(who) call {
				return call{path: fmt.Sprintf("%s/tasks/%d/reports", api, m.task().ID), body: map[string]any{"body": "Đã xây dựng dự thảo", "percent": 40}}
			}},
			{name: "multipart", want: want{401, 403, 403, 403, 201, 404}, prep: func(who) call {
				body, ctype := multipartBody(m.t, map[string]string{"body": "Đã xây dựng dự thảo"}, "files", upload{"bc.png", doctexttest.PNG(m.t, 8, 8)})
				return call{path: fmt.Sprintf("%s/tasks/%d/reports", api, m.task().ID), raw: body, headers: map[string]string{"Content-Type": ctype}}
			}},
		},
		"POST /api/v1/tasks/:id/extensions": one(want{401, 403, 403, 403, 201, 404}, func(who) call {
			return call{path: fmt.Sprintf("%s/tasks/%d/extensions", api, m.task().ID), body: map[string]any{"requested_due_on": "2026-04-30", "reason": "Chờ ý kiến"}}
		}),
		"POST /api/v1/tasks/:id/urge": one(want{401, 403, 201, 201, 403, 404}, func(who) call {
			return call{path: fmt.Sprintf("%s/tasks/%d/urge", api, m.task().ID), body: map[string]any{"message": "Đề nghị khẩn trương"}}
		}),

		"GET /api/v1/users": one(adminOnly, get(api+"/users")),
		"POST /api/v1/users": one(want{401, 201, 403, 403, 403, 403}, func(who) call {
			return call{path: api + "/users", body: map[string]any{"username": fmt.Sprintf("new-%d", m.seq()), "password": apptest.Password, "role": "leader"}}
		}),
		"PATCH /api/v1/users/:id": one(adminOnly, func(who) call {
			return call{path: fmt.Sprintf("%s/users/%d", api, m.victim), body: map[string]any{"display_name": "Tên mới"}}
		}),
		"GET /api/v1/webhooks": one(adminOnly, get(api+"/webhooks")),
		"POST /api/v1/webhooks": one(want{401, 201, 403, 403, 403, 403}, func(who) call {
			return call{path: api + "/webhooks", body: map[string]any{"url": "https://hooks.example.org/dondoc"}}
		}),
		"DELETE /api/v1/webhooks/:id": one(want{401, 204, 403, 403, 403, 403}, func(who) call {
			var h struct{ ID int64 }
			m.f.in.Admin.Do("POST", api+"/webhooks", map[string]any{"url": "https://hooks.example.org/dondoc"}).Want(201).JSON(&h)
			return call{path: fmt.Sprintf("%s/webhooks/%d", api, h.ID)}
		}),
	}
}

// webTable is the dashboard's pages (session cookie, CSRF-checked forms):
// without a session a page sends the browser to /login and a form answers
// 401; another agency's task or agency is "not found" there too.
func (m *matrix) webTable() map[string][]authzCase {
	tk := m.task()
	one := func(w want, prep func(who) call) []authzCase { return []authzCase{{prep: prep, want: w}} }
	page := want{303, 200, 200, 200, 200, 200}
	table := map[string][]authzCase{
		"GET /":      one(want{303, 200, 200, 200, 303, 303}, get("/")), // an agency goes to its own page
		"GET /login": one(want{200, 303, 303, 303, 303, 303}, get("/login")),
		"POST /login": one(want{303, 303, 303, 303, 303, 303}, func(r who) call {
			pw := apptest.Password
			if r == admin {
				pw = apptest.AdminPassword
			}
			return call{path: "/login", form: url.Values{"username": {m.users[r]}, "password": {pw}}}
		}),
		"POST /logout":  one(want{401, 303, 303, 303, 303, 303}, func(r who) call { return call{path: "/logout", form: url.Values{}, token: m.fresh(r)} }),
		"GET /password": one(page, get("/password")),
		// As for the API: the new password repeats the current one, refused
		// without a change so that the matrix can run again.
		"POST /password": one(want{401, 422, 422, 422, 422, 422}, func(r who) call {
			pw := apptest.Password
			if r == admin {
				pw = apptest.AdminPassword
			}
			return call{path: "/password", form: url.Values{"current_password": {pw}, "new_password": {pw}, "confirm_password": {pw}}}
		}),
		"GET /tasks":                one(page, func(who) call { return call{path: "/tasks?f=1", hide: marker} }),
		"GET /tasks/:id":            one(want{303, 200, 200, 200, 200, 404}, get(fmt.Sprintf("/tasks/%d", tk.ID))),
		"GET /agencies/:code":       one(want{303, 200, 200, 200, 200, 404}, get("/agencies/BYT")),
		"GET /export/tasks.csv":     one(page, func(who) call { return call{path: "/export/tasks.csv?f=1", hide: marker} }),
		"GET /export/agencies.xlsx": one(want{303, 200, 200, 200, 403, 403}, get("/export/agencies.xlsx")),
		"GET /static/:name":         one(public, get("/static/app.css")),
		"POST /tasks/:id/urge": one(want{401, 403, 303, 303, 403, 404}, func(who) call {
			return call{path: fmt.Sprintf("/tasks/%d/urge", m.task().ID), form: url.Values{"message": {"Đề nghị khẩn trương"}}}
		}),
		"GET /my/tasks":                 one(want{303, 303, 303, 303, 200, 200}, get("/my/tasks")),
		"GET /notifications":            one(page, get("/notifications")),
		"POST /notifications/read-all":  one(want{401, 303, 303, 303, 303, 303}, func(who) call { return call{path: "/notifications/read-all", form: url.Values{}} }),
		"POST /notifications/:nid/read": one(want{401, 404, 404, 404, 404, 404}, func(who) call { return call{path: "/notifications/999999/read", form: url.Values{}} }),
		"POST /tasks/:id/actions/:action": one(want{401, 403, 403, 403, 303, 404}, func(who) call {
			return call{path: fmt.Sprintf("/tasks/%d/actions/acknowledge", m.task().ID), form: url.Values{}}
		}),
		"POST /tasks/:id/extensions": one(want{401, 403, 403, 403, 303, 404}, func(who) call {
			return call{path: fmt.Sprintf("/tasks/%d/extensions", m.task().ID), form: url.Values{"requested_due_on": {"2027-01-15"}, "reason": {"Chờ số liệu"}}}
		}),
		"POST /tasks/:id/extensions/:eid/decide": one(want{401, 403, 303, 403, 403, 404}, func(who) call {
			task, ext := m.extension()
			return call{path: fmt.Sprintf("/tasks/%d/extensions/%d/decide", task, ext), form: url.Values{"decision": {"approve"}}}
		}),
		"POST /feed-token": one(want{401, 200, 200, 200, 200, 404}, func(who) call {
			return call{path: "/feed-token", form: url.Values{"agency": {"BYT"}}}
		}),
		// The files of a task's reports for who may see the task, as in the
		// API; a document's file for anyone signed in.
		"GET /attachments/:id": one(want{303, 200, 200, 200, 200, 404}, func(who) call {
			return call{path: fmt.Sprintf("/attachments/%d", m.attachment())}
		}),
		"GET /documents/:id/file": one(page, func(who) call {
			return call{path: fmt.Sprintf("/documents/%d/file", m.documentWithFile())}
		}),
	}
	// The secretariat's pages: theirs alone.
	secPage, secPost := want{303, 403, 200, 403, 403, 403}, want{401, 403, 303, 403, 403, 403}
	doc := fmt.Sprintf("/documents/%d", m.f.docID)
	for k, v := range map[string][]authzCase{
		"GET /documents":               one(secPage, get("/documents?q=TB")),
		"GET /documents/new":           one(secPage, get("/documents/new")),
		"GET /documents/:id":           one(secPage, get(doc)),
		"GET /documents/:id/proposals": one(secPage, get(doc+"/proposals")),
		"GET /agencies/search":         one(secPage, get("/agencies/search?q=bo+y+te")),
		"GET /queue/reports":           one(secPage, get("/queue/reports")),
		"GET /queue/extensions":        one(secPage, get("/queue/extensions")),
		"GET /queue/overdue":           one(secPage, get("/queue/overdue")),
		"POST /documents/:id/directives": one(want{401, 403, 200, 403, 403, 403}, func(who) call {
			return call{path: doc + "/directives", form: url.Values{"count": {"0"}, "op": {"preview"}}}
		}),
		"POST /documents": one(secPost, func(who) call {
			return call{path: "/documents", form: url.Values{"number": {fmt.Sprintf("%d/TB-VPCP", m.seq())}, "kind": {"conclusion_notice"},
				"title": {"Kết luận"}, "issued_on": {"02/01/2026"}, "body": {"Bộ Y tế chủ trì, khẩn trương hoàn thiện hồ sơ."}}}
		}),
		"POST /queue/reports/:id/:action": one(secPost, func(who) call {
			tk := m.task()
			m.f.move(m.f.byt, tk.ID, "acknowledge", 200)
			m.f.move(m.f.byt, tk.ID, "report_done", 200)
			return call{path: fmt.Sprintf("/queue/reports/%d/confirm", tk.ID), form: url.Values{}}
		}),
		"POST /queue/extensions/:id/decide": one(secPost, func(who) call {
			_, ext := m.extension()
			return call{path: fmt.Sprintf("/queue/extensions/%d/decide", ext), form: url.Values{"decision": {"approve"}}}
		}),
		"POST /queue/overdue/urge": one(secPost, func(who) call {
			return call{path: "/queue/overdue/urge", form: url.Values{"task": {strconv.FormatInt(m.task().ID, 10)}, "message": {"Đề nghị khẩn trương"}}}
		}),
	} {
		table[k] = v
	}
	return table
}

// monday returns a new Monday of 2027, for calendar days of their own.
func (m *matrix) monday() string {
	return today.AddDays(364 + 7*m.seq()).String() // 2026-03-02 is a Monday
}

// TestAuthorizationMatrix calls every route echo serves as every kind of
// caller, against a table of expected answers; a route missing from the
// table fails the test, and so does a table entry no route serves.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		m := newMatrix(t, tg)
		table := m.apiTable()
		for k, v := range m.webTable() {
			table[k] = v
		}
		seen := map[string]bool{}
		for _, rt := range m.f.in.App.API.Echo().Routes() {
			key := rt.Method + " " + rt.Path
			if rt.Method == "echo_route_not_found" || seen[key] {
				continue
			}
			seen[key] = true
			cases, ok := table[key]
			if !ok {
				t.Errorf("route %s is not in the authorisation table", key)
				continue
			}
			for _, c := range cases {
				for r := anon; r < nWho; r++ {
					m.check(t, rt.Method, key, c, r)
				}
			}
		}
		for key := range table {
			if !seen[key] {
				t.Errorf("the authorisation table lists %s, which no route serves", key)
			}
		}
		if len(seen) < 60 {
			t.Errorf("only %d routes walked", len(seen))
		}
	})
}

func (m *matrix) check(t *testing.T, method, key string, c authzCase, r who) {
	t.Helper()
	cl := c.prep(r)
	resp, body := m.send(r, method, cl)
	name := key
	if c.name != "" {
		name += " (" + c.name + ")"
	}
	if resp.StatusCode != c.want[r] {
		t.Errorf("%s as %s: %d, want %d; %.300s", name, whoNames[r], resp.StatusCode, c.want[r], body)
		return
	}
	api := strings.HasPrefix(cl.path, "/api/v1/")
	if api && resp.StatusCode >= 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s as %s: %d as %q", name, whoNames[r], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !api && r == anon && method == http.MethodGet && resp.StatusCode == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("%s as %s: sent to %q, not to the login page", name, whoNames[r], resp.Header.Get("Location"))
	}
	if cl.hide != "" {
		switch has := bytes.Contains(body, []byte(cl.hide)); {
		case r == other && has:
			t.Errorf("%s as %s: the answer shows BYT's %q", name, whoNames[r], cl.hide)
		case r == own && !has:
			t.Errorf("%s as %s: the answer lacks the agency's own %q, so the check on the other agency proves nothing", name, whoNames[r], cl.hide)
		}
	}
}
