// Package apptest runs a whole dondoc for tests: a real database (SQLite or
// PostgreSQL, see testdb), a controllable clock, and a real HTTP server on
// loopback, with a small client to drive it.
package apptest

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/storagetest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// AdminPassword is the first admin's password in every test instance.
const AdminPassword = "Adm1n-Passw0rd!"

// Password is the password of every user that Instance.User creates.
const Password = "Str0ng-Passw0rd"

// Instance is a running dondoc.
type Instance struct {
	T      testing.TB
	App    *app.App
	Clock  *workflow.ManualClock
	Server *httptest.Server
	Target testdb.Target
	Admin  *Client

	// CheckResponse, when set, sees every answer a Client receives (the
	// api tests validate them against the OpenAPI document).
	CheckResponse func(req *http.Request, status int, header http.Header, body []byte)
}

// Start runs dondoc on target with the clock set to 09:00 of today in
// Asia/Ho_Chi_Minh; mutate adjusts the configuration first.
//
// The target's database comes migrated from a copy (storagetest.Migrated):
// on PostgreSQL the instance runs on a database of its own, whose URL is
// in.Target.URL, not target.URL; instances started on the same target share
// it. Passwords are hashed at a test's cost (workflow.CheapPasswordHashing),
// and commits do not wait for the disk.
func Start(t testing.TB, target testdb.Target, today civil.Date, mutate ...func(*config.Config)) *Instance {
	t.Helper()
	cheapHashing.Do(workflow.CheapPasswordHashing)
	target = storagetest.Migrated(t, target)
	cfg := config.Default()
	cfg.DataDir = target.DataDir
	cfg.DatabaseURL = target.URL
	cfg.AdminPassword = AdminPassword
	cfg.Scheduler = false
	cfg.MaxDBConns = 4
	cfg.TokenTTL = 5 * 365 * 24 * time.Hour // tests move the clock by days and months
	cfg.StatsMaxAge = 0                     // tests read statistics right after changing tasks
	// A commit need not wait for the disk: no test here cuts the power,
	// and a killed process keeps every commit either way. (The default,
	// FULL, is TestSQLiteIsDurableByDefault's; the crash test configures
	// its server itself.) PostgreSQL copies are set alike
	// (storagetest.Migrated).
	cfg.SQLiteSync = "NORMAL"
	// PDFium's compiled code is shared by the tests of every package, so
	// that it is compiled once per machine rather than once per test.
	if dir, err := os.UserCacheDir(); err == nil {
		cfg.PDFCacheDir = filepath.Join(dir, "dondoc-test", "pdfium")
	}
	for _, m := range mutate {
		m(&cfg)
	}
	clock := workflow.NewManualClock(time.Time{})
	clock.SetDay(today, 9)
	// Warnings and errors go to the test's log; everything, down to debug,
	// to the process's record that LeakedSecrets searches.
	logger := slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}),
		slog.NewTextHandler(&record, &slog.HandlerOptions{Level: slog.LevelDebug}),
	))
	a, err := app.New(context.Background(), cfg, app.Options{Clock: clock, Logger: logger})
	if err != nil {
		t.Fatalf("start dondoc: %v", err)
	}
	srv := httptest.NewServer(a.API.Handler())
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	in := &Instance{T: t, App: a, Clock: clock, Server: srv, Target: target}
	in.Admin = in.Login("admin", AdminPassword)
	return in
}

// cheapHashing switches the process to cheap password hashes at the first
// Start: users are created and logged in by the thousand, and Argon2id at
// the production cost is tens of milliseconds of a core each.
var cheapHashing sync.Once

// Client calls the API as one user.
type Client struct {
	in    *Instance
	Token string
	Name  string
}

// Anonymous is a client without a token.
func (in *Instance) Anonymous() *Client { return &Client{in: in, Name: "anonymous"} }

// Login logs in and returns a client for the user.
func (in *Instance) Login(username, password string) *Client {
	in.T.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}).Want(200).JSON(&tok)
	Secret(password)
	Secret(tok.AccessToken)
	return &Client{in: in, Token: tok.AccessToken, Name: username}
}

// User creates a user (as admin) and logs in as it. agency is only for role agency.
func (in *Instance) User(username string, role workflow.Role, agency string) *Client {
	in.T.Helper()
	body := map[string]any{"username": username, "password": Password, "role": string(role), "display_name": username}
	if agency != "" {
		body["agency_code"] = agency
	}
	in.Admin.Do("POST", "/api/v1/users", body).Want(201)
	return in.Login(username, Password)
}

// Response is an answer to a request.
type Response struct {
	T      testing.TB
	Status int
	Header http.Header
	Body   []byte
	req    string
}

// Do sends a request with a JSON body (nil for none; a string or []byte is
// sent as it is) and optional header pairs.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.in.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.in.T.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.in.Server.URL+path, r)
	if err != nil {
		c.in.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.in.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.in.T.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	if c.in.CheckResponse != nil {
		c.in.CheckResponse(req, resp.StatusCode, resp.Header, b)
	}
	return &Response{T: c.in.T, Status: resp.StatusCode, Header: resp.Header, Body: b, req: fmt.Sprintf("%s %s as %s", method, path, c.Name)}
}

// Transition asks for action on task id (POST /api/v1/tasks/{id}/transitions)
// with the text the action requires: a report for report_done, a comment
// for return, cancel and reopen.
func (c *Client) Transition(id int64, action string) *Response {
	c.in.T.Helper()
	body := map[string]any{"action": action}
	switch action {
	case "report_done":
		body["report"] = "Đã hoàn thành, báo cáo kèm theo."
	case "return", "cancel", "reopen":
		body["comment"] = "Lý do: theo chỉ đạo."
	}
	return c.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", id), body)
}

// Want fails the test unless the status is one of codes.
func (r *Response) Want(codes ...int) *Response {
	r.T.Helper()
	for _, c := range codes {
		if r.Status == c {
			return r
		}
	}
	r.T.Fatalf("%s: status %d, want %v; body: %s", r.req, r.Status, codes, r.Body)
	return r
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) *Response {
	r.T.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.T.Fatalf("%s: decode %s: %v", r.req, r.Body, err)
	}
	return r
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	r.T.Helper()
	var m map[string]any
	r.JSON(&m)
	return m
}

// record keeps the logs of every instance of the test process, at debug
// level, and secrets what must never appear in them.
var (
	record   LogBuffer
	secretMu sync.Mutex
	secrets  = map[string]bool{AdminPassword: true, Password: true}
)

// LogBuffer collects what several goroutines log.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Tail returns the last n bytes written.
func (l *LogBuffer) Tail(n int) string {
	s := l.String()
	return s[max(0, len(s)-n):]
}

// Secret adds a value that must never appear in a log: a password, a token,
// a webhook's secret.
func Secret(s string) {
	if len(s) < 8 {
		return // too short to search for without false alarms
	}
	secretMu.Lock()
	secrets[s] = true
	secretMu.Unlock()
}

// LeakedSecrets returns the secrets found in the logs of every instance the
// process has run so far, and how many bytes of logs were searched. A
// TestMain calls it after the package's tests.
func LeakedSecrets() (leaked []string, searched int) {
	logs := record.String()
	secretMu.Lock()
	list := make([]string, 0, len(secrets))
	for s := range secrets {
		list = append(list, s)
	}
	secretMu.Unlock()
	return findAll(logs, list), len(logs)
}

// findAll returns the needles (each of at least 8 bytes) that occur in
// text: what strings.Contains would find for each, in one pass over text
// rather than one per needle (a package's tests log megabytes and keep
// thousands of tokens as secrets). A needle is looked up by its first 8
// bytes at every position, and compared whole where those match.
func findAll(text string, needles []string) []string {
	byHead := map[uint64][]string{}
	for _, n := range needles {
		if len(n) < 8 {
			panic("apptest: a secret shorter than 8 bytes: " + n)
		}
		h := head(n)
		byHead[h] = append(byHead[h], n)
	}
	found := map[string]bool{}
	for i := 0; i+8 <= len(text); i++ {
		for _, n := range byHead[head(text[i:])] {
			if !found[n] && strings.HasPrefix(text[i:], n) {
				found[n] = true
			}
		}
	}
	var out []string
	for _, n := range needles {
		if found[n] {
			out = append(out, n)
		}
	}
	return out
}

// head is the first 8 bytes of s as a number.
func head(s string) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[:8]))
}

// tlog writes the server's warnings and errors into the test's log, shown
// when the test fails.
type tlog struct{ t testing.TB }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// CheckTaskSummaries fails the test for every task whose kept summaries
// disagree with the rows they summarise; it returns how many tasks it saw.
func (in *Instance) CheckTaskSummaries() int64 {
	in.T.Helper()
	var bad []int64
	if err := in.App.DB.R.Raw(testdb.TaskSummaryMismatch).Scan(&bad).Error; err != nil {
		in.T.Fatal(err)
	}
	for _, id := range bad {
		var row map[string]any
		in.App.DB.R.Raw(`SELECT last_report_id, reminders_sent, escalations, last_reminder_rule, last_reminder_on, urges, last_urge_at
			FROM tasks WHERE id = ?`, id).Scan(&row)
		in.T.Errorf("task %d: its summaries %v disagree with its reports, reminders and events", id, row)
	}
	var n int64
	in.App.DB.R.Raw("SELECT COUNT(*) FROM tasks").Scan(&n)
	return n
}

// In is the instance the client calls.
func (c *Client) In() *Instance { return c.in }
