package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// crashToday is the day the crash test's servers live on: a Monday, three
// working days before the directives' due date, so that the reminder scan
// has one reminder to send for every open task.
var crashToday = civil.MustDate("2026-03-02")

const (
	crashIterations = 20
	crashWorkers    = 16
	crashMaxWrites  = 40 // the kill comes after 1 to crashMaxWrites acknowledged writes
	crashAdminPass  = "Adm1n-Passw0rd!"
	crashUserPass   = "Str0ng-Passw0rd"
)

var crashAgencies = []string{"BYT", "BCA", "BTC", "BXD"}

// TestCrashServerProcess is not a test: it is the server that
// TestCrashKeepsAcknowledgedWrites starts, kills with SIGKILL and starts
// again (the test binary run again, configured like `dondoc serve` from
// DONDOC_… variables, on a clock moved to crashToday).
func TestCrashServerProcess(t *testing.T) {
	offset, err := time.ParseDuration(os.Getenv("DONDOC_CRASH_CLOCK_OFFSET"))
	if err != nil {
		t.Skip("run by TestCrashKeepsAcknowledgedWrites")
	}
	cfg, err := config.Load(config.Command{Name: "dondoc serve"}, nil, os.Getenv, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, app.Options{Clock: workflow.OffsetClock{Offset: offset}, Logger: app.NewLogger(cfg, os.Stderr)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("listening %s\n", ln.Addr())
	if err := a.Serve(ctx, ln); err != nil {
		t.Fatal(err)
	}
}

// TestCrashKeepsAcknowledgedWrites runs a real server process under a load
// of concurrent writes through the HTTP API, kills it with SIGKILL at a
// random moment and starts it again on the same database, 20 times. After
// each restart every write that was answered 2xx is in the database, every
// task's event chain verifies, and a second reminder scan of the same day
// sends nothing twice.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts 21 server processes per database")
	}
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		// Each database has its own server process; the kill moments are
		// counted in acknowledged writes, so a slow machine runs the same
		// test, only longer.
		t.Parallel()
		start := time.Now()
		srv := newCrashServer(t, tg)
		srv.start()
		c := &crashClient{http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * crashWorkers}}, srv: srv}
		l := setUpCrashLoad(t, c)

		var all crashLedger
		var tot crashFigures
		for i := 1; i <= crashIterations; i++ {
			before := l.scanAndSnapshot(tg, "before the load")
			l.loadPool(tg)

			var led crashLedger
			killAt := 1 + rand.IntN(crashMaxWrites)
			stats := l.run(&led, rand.IntN(killAt), killAt, srv.kill)
			restart := time.Now()
			srv.start()
			up := time.Since(restart)

			after := l.scanAndSnapshot(tg, "after the restart")
			f := l.check(tg, &led, &all, before, after)
			f.noAnswer = stats.noAnswer
			all.merge(&led)
			tot.add(f)
			t.Logf("iteration %2d: killed after write %2d: writes acknowledged %4d (directives %3d, transitions %3d, reports %3d, urges %3d), found after restart %4d, lost %d; unanswered %d; reminders %d → %d; restart %d ms",
				i, killAt, f.acked, len(led.directives), len(led.transitions), len(led.reports), len(led.urges),
				f.found, f.acked-f.found, f.noAnswer, before.total, after.total, up.Milliseconds())
			if t.Failed() {
				t.Logf("server log:\n%s", srv.log.Tail(4000))
				t.FailNow()
			}
		}
		srv.kill()
		t.Logf("%s: %d kills in %s: writes acknowledged %d, found after restart %d, lost %d; requests unanswered at the kill %d; reminders %d, none twice",
			tg.Name, crashIterations, time.Since(start).Round(time.Millisecond), tot.acked, tot.found, tot.acked-tot.found, tot.noAnswer, l.reminders)
		if l.reminders == 0 {
			t.Error("no reminder was created: the reminder checks checked nothing")
		}
	})
}

// crashServer is the server process.
type crashServer struct {
	t    *testing.T
	env  []string
	cmd  *exec.Cmd
	base string
	log  *apptest.LogBuffer
}

func newCrashServer(t *testing.T, tg testdb.Target) *crashServer {
	offset := time.Until(crashToday.In(workflow.Location).Add(9 * time.Hour))
	env := append(os.Environ(),
		"DONDOC_CRASH_CLOCK_OFFSET="+offset.String(),
		"DONDOC_DATA_DIR="+tg.DataDir,
		"DONDOC_DATABASE_URL="+tg.URL,
		"DONDOC_ADMIN_PASSWORD="+crashAdminPass,
		"DONDOC_SQLITE_SYNCHRONOUS=NORMAL", // the weaker opt-in: even it keeps every acknowledged commit across a killed process
		"DONDOC_LOG_LEVEL=warn",
		// Four connections rather than sixteen: every restart opens its pool
		// again, and each new PostgreSQL backend reads its catalogs and
		// prepares its statements cold (most of the test's time there); the
		// load's sixteen workers still have requests in flight at the kill.
		"DONDOC_DB_MAX_CONNS=4",
		"DONDOC_CONFIG=",
	)
	s := &crashServer{t: t, env: env, log: &apptest.LogBuffer{}}
	t.Cleanup(func() { s.kill() })
	return s
}

func (s *crashServer) start() {
	s.t.Helper()
	addr := make(chan string, 1)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashServerProcess$", "-test.count=1")
	cmd.Env = s.env
	cmd.Stdout = &addrWriter{log: s.log, addr: addr}
	cmd.Stderr = s.log
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd = cmd
	select {
	case a := <-addr:
		s.base = "http://" + a
	case <-time.After(60 * time.Second):
		s.t.Fatalf("the server did not start:\n%s", s.log.Tail(4000))
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the server is not ready: %v\n%s", err, s.log.Tail(4000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *crashServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
	s.cmd = nil
}

// addrWriter passes the server's stdout to the log and its "listening"
// line to addr.
type addrWriter struct {
	log  *apptest.LogBuffer
	addr chan string
	line []byte
}

func (w *addrWriter) Write(p []byte) (int, error) {
	w.log.Write(p)
	w.line = append(w.line, p...)
	for {
		i := bytes.IndexByte(w.line, '\n')
		if i < 0 {
			return len(p), nil
		}
		if a, ok := strings.CutPrefix(string(w.line[:i]), "listening "); ok {
			w.addr <- a
		}
		w.line = w.line[i+1:]
	}
}

// crashClient calls the server's API.
type crashClient struct {
	http *http.Client
	srv  *crashServer
}

// do sends a request and decodes a 2xx answer into out. err is set when no
// answer came (the server died with the request in flight, or was dead).
func (c *crashClient) do(token, method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.srv.base+"/api/v1"+path, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		// A status without its whole body is no acknowledgement.
		return 0, err
	}
	if resp.StatusCode/100 == 2 && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode %s: %w", b, err)
		}
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, nil
}

// must is do for the set-up, where every call has to succeed.
func (c *crashClient) must(t *testing.T, token, method, path string, body, out any) {
	t.Helper()
	if _, err := c.do(token, method, path, body, out); err != nil {
		t.Fatal(err)
	}
}

func (c *crashClient) login(t *testing.T, user, password string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	c.must(t, "", "POST", "/auth/login", map[string]string{"username": user, "password": password}, &tok)
	return tok.AccessToken
}

// openCrashDB opens the test's own connection to the server's database, to
// check what it holds; on SQLite it only reads, beside the server.
func openCrashDB(t *testing.T, tg testdb.Target) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", tg.URL
	if tg.URL == "" {
		driver, dsn = "sqlite3", "file:"+tg.SQLitePath+"?_query_only=true&_busy_timeout=10000"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
