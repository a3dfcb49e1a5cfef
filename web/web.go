package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/auth"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

// The dashboard: server-rendered pages in Vietnamese for leaders, the
// secretariat and agencies, at / beside the API. No script runs in them
// (the charts are SVG drawn on the server), so the API's Content-Security-
// Policy fits them unchanged; the one stylesheet is embedded and served
// from /static with a content hash in its URL.
//
// These routes are outside /api/v1, so the bearer middleware lets them
// through: each page reads the session cookie itself. The cookie holds an
// access token (HttpOnly; SameSite=Lax, so that a link from a calendar event
// or a mail opens the task signed in, while no other site's form or script
// request carries it). Every form also carries a CSRF token, an HMAC of a
// per-browser random cookie under the server's key, and a POST whose Origin
// is another site is refused.

//go:embed templates static
var webFiles embed.FS

const (
	sessionCookie = "dondoc_session"
	csrfCookie    = "dondoc_csrf"
	csrfField     = "csrf"
)

// routes are the dashboard's routes, for the tests that walk the router.
var routes = []string{
	"GET /", "GET /login", "POST /login", "POST /logout", "GET /tasks", "GET /tasks/:id", "POST /tasks/:id/urge",
	"GET /agencies/:code", "POST /feed-token", "GET /export/tasks.csv", "GET /export/agencies.xlsx", "GET /static/:name",
	"POST /tasks/:id/actions/:action", "POST /tasks/:id/extensions", "POST /tasks/:id/extensions/:eid/decide",
	"GET /my/tasks", "GET /notifications", "POST /notifications/:nid/read", "POST /notifications/read-all",
}

// Routes lists the dashboard's routes ("METHOD /path", echo's syntax).
func Routes() []string {
	return append(append(append([]string(nil), routes...), secretariatRoutes...), filesRoutes...)
}

type webUI struct {
	svc    *workflow.Service
	auth   *auth.Auth
	log    *slog.Logger
	pages  map[string]*template.Template
	static map[string][]byte // by file name
	css    string            // the stylesheet's URL, with its hash
}

// Mount registers the dashboard's pages on e, the server the API built:
// they share its middleware (logging, metrics, security headers) and its
// error handler.
func Mount(e *echo.Echo, svc *workflow.Service, au *auth.Auth, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &webUI{svc: svc, auth: au, log: log, pages: map[string]*template.Template{}, static: map[string][]byte{}}
	entries, err := fs.ReadDir(webFiles, "static")
	if err != nil {
		panic(err) // embedded at build time
	}
	for _, e := range entries {
		b, _ := fs.ReadFile(webFiles, "static/"+e.Name())
		w.static[e.Name()] = b
	}
	sum := sha256.Sum256(w.static["app.css"])
	w.css = "/static/app.css?v=" + hex.EncodeToString(sum[:6])
	funcs := template.FuncMap{"due": w.dueWords}
	for k, f := range webFuncs {
		funcs[k] = f
	}
	for _, p := range pageNames {
		w.pages[p] = template.Must(template.New("").Funcs(funcs).ParseFS(webFiles, "templates/layout.html", "templates/"+p+".html"))
	}

	e.GET("/", w.page(w.dashboard))
	e.GET("/login", w.loginPage)
	e.POST("/login", w.login)
	e.POST("/logout", w.page(w.logout))
	e.GET("/tasks", w.page(w.tasks))
	e.GET("/tasks/:id", w.page(w.task))
	e.POST("/tasks/:id/urge", w.page(w.urge))
	e.GET("/agencies/:code", w.page(w.agency))
	e.POST("/feed-token", w.page(w.feedToken))
	e.GET("/export/tasks.csv", w.page(w.exportCSV))
	e.GET("/export/agencies.xlsx", w.page(w.exportXLSX))
	e.GET("/static/:name", w.serveStatic)
	w.mountPassword(e)
	// The work of each role (issue 23).
	e.POST("/tasks/:id/actions/:action", w.page(w.taskAction))
	e.POST("/tasks/:id/extensions", w.page(w.requestExtension))
	e.POST("/tasks/:id/extensions/:eid/decide", w.page(w.decideExtension))
	e.GET("/my/tasks", w.page(w.myTasks))
	e.GET("/notifications", w.page(w.notifications))
	e.POST("/notifications/:nid/read", w.page(w.markRead))
	e.POST("/notifications/read-all", w.page(w.markAllRead))
	mountSecretariat(e, w)
	mountFiles(e, w)
	if e.HTTPErrorHandler == nil {
		e.HTTPErrorHandler = e.DefaultHTTPErrorHandler
	}
	e.HTTPErrorHandler = w.htmlErrors(e.HTTPErrorHandler)
}

// pageNames are the templates of templates/, each parsed with the layout.
var pageNames = []string{"login", "dashboard", "tasks", "task", "agency", "error", "mytasks", "notifications"}

// view is what every page's template gets.
type view struct {
	Title string
	Nav   string
	Actor workflow.Actor
	CSRF  string
	CSS   string
	Today civil.Date
	// Counts are the navigation's figures for the signed-in actor.
	Counts workflow.NavCounts
	Data   any
}

// page wraps a handler that needs a signed-in user: without a valid session
// the browser goes to the login page, and comes back after.
func (w *webUI) page(h func(c echo.Context, actor workflow.Actor) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		actor, ok := w.session(c)
		if !ok {
			if c.Request().Method != http.MethodGet {
				return w.fail(c, workflow.Actor{}, http.StatusUnauthorized, "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		if c.Request().Method == http.MethodPost {
			// A multipart form's files are staged here (uploads.go) and
			// removed once the page is answered, whatever its outcome.
			files, err := w.readPost(c)
			defer workflow.RemoveAll(files)
			if errors.Is(err, errCSRF) {
				return w.fail(c, actor, http.StatusForbidden, "Biểu mẫu không hợp lệ hoặc đã hết hạn. Vui lòng tải lại trang và thử lại.")
			}
			if status, msg, ok := fileRefusal(err); ok {
				return w.fail(c, actor, status, msg)
			}
		}
		return h(c, actor)
	}
}

// session returns the signed-in actor from the session cookie.
func (w *webUI) session(c echo.Context) (workflow.Actor, bool) {
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" || len(ck.Value) > 4096 {
		return workflow.Actor{}, false
	}
	actor, err := w.auth.Verify(c.Request().Context(), ck.Value)
	if err != nil {
		return workflow.Actor{}, false
	}
	c.Set("actor", actor.Username)
	return actor, true
}

// setCookie sets a cookie only this site's pages read. It is Secure when
// the browser came over HTTPS, directly or through a proxy that says so
// (X-Forwarded-Proto): a forged header can only make a browser hold its
// own cookie more strictly.
func (w *webUI) setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
}

// csrfToken returns the token forms carry, setting the browser's random
// cookie first if it has none.
func (w *webUI) csrfToken(c echo.Context) string {
	seed := ""
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 && len(ck.Value) <= 64 {
		seed = ck.Value
	} else if v, ok := c.Get(csrfCookie).(string); ok {
		seed = v
	} else {
		b := make([]byte, 18)
		_, _ = rand.Read(b)
		seed = base64.RawURLEncoding.EncodeToString(b)
		c.Set(csrfCookie, seed)
		w.setCookie(c, csrfCookie, seed, 0)
	}
	return w.auth.CSRFToken(seed)
}

// checkCSRF accepts a form whose token matches the browser's cookie and
// whose Origin, when sent, is this server.
func (w *webUI) checkCSRF(c echo.Context) bool { return w.csrfValid(c, c.FormValue(csrfField)) }

// csrfValid accepts the token got, as checkCSRF does.
func (w *webUI) csrfValid(c echo.Context, got string) bool {
	if o := c.Request().Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != c.Request().Host {
			return false
		}
	}
	ck, err := c.Cookie(csrfCookie)
	if err != nil || ck.Value == "" {
		return false
	}
	return got != "" && hmac.Equal([]byte(got), []byte(w.csrfToken(c)))
}

func (w *webUI) render(c echo.Context, status int, name string, v view) error {
	v.CSRF, v.CSS, v.Today = w.csrfToken(c), w.css, w.svc.Today()
	if v.Actor.UserID != 0 {
		n, err := w.svc.NavCounts(c.Request().Context(), v.Actor)
		if err != nil {
			// The page is still worth showing without its counts.
			w.log.Warn("navigation counts failed", "err", err)
		}
		v.Counts = n
	}
	var b strings.Builder
	if err := w.pages[name].ExecuteTemplate(&b, "layout", v); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTML(status, b.String())
}

// errorTitles name the error pages in the language of the rest of the
// site: the title bar and the heading read "404 – Không tìm thấy trang",
// not Go's English status text.
var errorTitles = map[int]string{
	http.StatusBadRequest: "Yêu cầu không hợp lệ", http.StatusUnauthorized: "Chưa đăng nhập",
	http.StatusForbidden: "Không có quyền truy cập", http.StatusNotFound: "Không tìm thấy trang",
	http.StatusMethodNotAllowed: "Không hỗ trợ thao tác này", http.StatusConflict: "Dữ liệu đã thay đổi",
	http.StatusRequestEntityTooLarge: "Nội dung quá lớn", http.StatusUnprocessableEntity: "Dữ liệu chưa hợp lệ",
	http.StatusTooManyRequests: "Quá nhiều yêu cầu", http.StatusInternalServerError: "Lỗi hệ thống",
}

func errorTitle(status int) string {
	if t, ok := errorTitles[status]; ok {
		return t
	}
	return "Lỗi"
}

// fail shows an error page.
func (w *webUI) fail(c echo.Context, actor workflow.Actor, status int, message string) error {
	return w.render(c, status, "error", view{Title: errorTitle(status), Actor: actor, Data: map[string]any{"Status": status, "Message": message}})
}

// htmlErrors answers a browser that opens an address the router does not
// have (or with a method it does not take) with the Vietnamese error page,
// signed in if it is, rather than the API's problem+json. The API, a HEAD
// and a client that does not ask for HTML keep next's answer.
func (w *webUI) htmlErrors(next echo.HTTPErrorHandler) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		var he *echo.HTTPError
		r := c.Request()
		if c.Response().Committed || !errors.As(err, &he) || r.Method == http.MethodHead ||
			(he.Code != http.StatusNotFound && he.Code != http.StatusMethodNotAllowed) ||
			strings.HasPrefix(r.URL.Path, "/api/") || !strings.Contains(r.Header.Get("Accept"), "text/html") {
			next(err, c)
			return
		}
		actor, _ := w.session(c)
		msg := "Không tìm thấy trang hoặc bạn không có quyền xem."
		if he.Code == http.StatusMethodNotAllowed {
			msg = "Địa chỉ này không mở được theo cách này. Vui lòng quay lại trang trước."
		}
		if ferr := w.fail(c, actor, he.Code, msg); ferr != nil {
			next(err, c)
		}
	}
}

// failErr shows the page of a service's error: hidden things are "not
// found", as in the API.
func (w *webUI) failErr(c echo.Context, actor workflow.Actor, err error) error {
	switch workflow.KindOf(err) {
	case workflow.KindNotFound:
		return w.fail(c, actor, http.StatusNotFound, "Không tìm thấy trang hoặc bạn không có quyền xem.")
	case workflow.KindForbidden:
		return w.fail(c, actor, http.StatusForbidden, "Bạn không có quyền xem trang này.")
	case workflow.KindInvalid, workflow.KindConflict:
		var de *workflow.Error
		msg := err.Error()
		if errors.As(err, &de) {
			msg = de.Error()
		}
		return w.fail(c, actor, http.StatusUnprocessableEntity, "Yêu cầu không hợp lệ: "+msg)
	}
	w.log.Error("dashboard page failed", "err", err, "path", c.Path())
	return w.fail(c, actor, http.StatusInternalServerError, "Hệ thống gặp lỗi; lỗi đã được ghi lại.")
}

func (w *webUI) serveStatic(c echo.Context) error {
	b, ok := w.static[c.Param("name")]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	ct := "application/octet-stream"
	switch {
	case strings.HasSuffix(c.Param("name"), ".css"):
		ct = "text/css; charset=utf-8"
	case strings.HasSuffix(c.Param("name"), ".svg"):
		ct = "image/svg+xml"
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, ct, b)
}

func (w *webUI) loginPage(c echo.Context) error {
	if _, ok := w.session(c); ok {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return w.render(c, http.StatusOK, "login", view{Title: "Đăng nhập", Data: map[string]any{"Next": safeNext(c.QueryParam("next"))}})
}

func (w *webUI) login(c echo.Context) error {
	next := safeNext(c.FormValue("next"))
	again := func(status int, msg string) error {
		return w.render(c, status, "login", view{Title: "Đăng nhập", Data: map[string]any{"Next": next, "Error": msg, "Username": c.FormValue("username")}})
	}
	if !w.checkCSRF(c) {
		return again(http.StatusForbidden, "Biểu mẫu đã hết hạn. Vui lòng thử lại.")
	}
	// The same limits as POST /auth/login, shared with it: the form is not
	// a way around them.
	u, wait, err := w.auth.Authenticate(c.Request().Context(), c.FormValue("username"), c.FormValue("password"), c.RealIP())
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds())) // whole seconds, for Retry-After
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return again(http.StatusTooManyRequests, fmt.Sprintf("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %d giây.", secs))
	}
	if err != nil {
		if workflow.KindOf(err) == workflow.KindUnauthenticated {
			return again(http.StatusUnauthorized, "Sai tên đăng nhập hoặc mật khẩu.")
		}
		return err
	}
	tok, ttl, err := w.auth.Issue(u)
	if err != nil {
		return err
	}
	w.setCookie(c, sessionCookie, tok, int(ttl.Seconds()))
	if next == "/" && u.Role == string(workflow.RoleAgency) && u.AgencyCode != nil {
		next = "/my/tasks"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (w *webUI) logout(c echo.Context, actor workflow.Actor) error {
	// Like POST /auth/logout: every access token of the user stops working.
	if err := w.auth.RevokeSessions(c.Request().Context(), actor.UserID); err != nil {
		return err
	}
	w.setCookie(c, sessionCookie, "", -1)
	return c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

var actionLabels = map[string]string{
	workflow.EventAssign: "Giao nhiệm vụ", workflow.EventProgress: "Báo cáo tiến độ",
	workflow.EventExtensionRequest: "Đề nghị gia hạn", workflow.EventExtensionApprove: "Đồng ý gia hạn",
	workflow.EventExtensionReject: "Không đồng ý gia hạn", workflow.EventUrge: "Đôn đốc",
	workflow.EventTransfer:      "Chuyển cho cơ quan kế thừa",
	workflow.EventDueRecomputed: "Tính lại hạn theo lịch làm việc",
}

var kindLabels = map[string]string{
	"ministry": "Bộ", "ministerial_agency": "Cơ quan ngang bộ", "government_agency": "Cơ quan thuộc Chính phủ",
	"province": "Tỉnh, thành phố trực thuộc Trung ương", "committee": "Ủy ban, ban chỉ đạo", "other": "Cơ quan, tổ chức khác",
}

var roleLabels = map[workflow.Role]string{
	workflow.RoleAdmin: "Quản trị", workflow.RoleSecretariat: "Văn phòng Chính phủ", workflow.RoleLeader: "Lãnh đạo", workflow.RoleAgency: "Cơ quan",
}

var webFuncs = template.FuncMap{
	"date": workflow.FormatDate,
	"datePtr": func(d *civil.Date) string {
		if d == nil {
			return ""
		}
		return workflow.FormatDate(*d)
	},
	"instant": func(t time.Time) string { return t.In(workflow.Location).Format("02/01/2006 15:04") },
	"status":  func(s string) string { return workflow.StatusLabels[workflow.Status(s)] },
	"role":    func(r string) string { return workflow.RoleLabels[r] },
	"kind":    func(k string) string { return kindLabels[k] },
	"userRole": func(r workflow.Role) string {
		return roleLabels[r]
	},
	"category": func(c workflow.Category) string { return workflow.CategoryLabels[c] },
	"action": func(a string) string {
		if tr, ok := workflow.TransitionFor(workflow.Action(a)); ok {
			return tr.Label
		}
		if l, ok := actionLabels[a]; ok {
			return l
		}
		return a
	},
	"seesAll": func(a workflow.Actor) bool { return a.SeesAllAgencies() },
	"isLeader": func(a workflow.Actor) bool {
		return a.Is(workflow.RoleLeader, workflow.RoleSecretariat, workflow.RoleAdmin)
	},
	"pct":           func(n, of int) string { return formatDecimal(100*float64(n)/float64(max(of, 1)), 1) },
	"num":           formatInt,
	"list":          func(s ...string) []string { return s },
	"hasPrefix":     strings.HasPrefix,
	"isSecretariat": func(a workflow.Actor) bool { return a.Is(workflow.RoleSecretariat, workflow.RoleAdmin) },
	"isAgency":      func(a workflow.Actor) bool { return a.Role == workflow.RoleAgency },
	"size":          sizeWords,
	"eventFiles":    eventFiles,
}
