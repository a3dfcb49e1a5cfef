package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/workflow"
)

func serve(args []string, env func(string) string, stdout, stderr io.Writer) error {
	cmd := toolCommand("serve", "[settings]", "Runs the server: the API, the pages, the reminder scan and the delivery of notifications\n"+
		"(the last two unless DONDOC_SCHEDULER=false). The very first start creates the user admin and prints its\n"+
		"password once, or takes it from DONDOC_ADMIN_PASSWORD, which must follow the password rule (checked at\n"+
		"every start, before the database is opened): "+workflow.PasswordRule+"; the username is admin.", nil)
	cfg, err := config.Load(cmd, args, env, stdout)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, stderr)
	tuneGC(env)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, app.Options{Out: stdout, Logger: log})
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.DebugAddr != "" {
		if err := serveProfiles(cfg.DebugAddr, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	return a.Serve(ctx, ln)
}

// tuneGC lets the server's heap grow to five times what it holds live
// before collecting (GOGC=400) under a soft limit of 128 MiB (GOMEMLIMIT),
// unless those variables say otherwise. dondoc holds little live: a request's
// garbage is most of what it allocates, and with Go's default (100) the
// collector took about a sixth of the CPU under load; at 400, task reads
// over HTTP went from 4,300 to 6,000 a second and transitions from 1,450 to
// about 1,650, for some 30 MB more resident memory. The limit keeps the heap in
// check should the live set grow; SQLite's page caches (32 MB for the
// writer, 2 MB per reader) are outside it.
func tuneGC(env func(string) string) {
	if env("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if env("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(128 << 20)
	}
}

// serveProfiles answers Go's pprof profiles on a loopback address of their
// own (config refuses any other), apart from the API and its middleware, so
// that a server under load can be profiled as it runs.
func serveProfiles(addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("DONDOC_DEBUG_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	log.Info("profiles are served", "addr", ln.Addr().String())
	return nil
}

func health(args []string, _ func(string) string, stdout, _ io.Writer) error {
	fs := newFlags("health")
	u := fs.String("url", "http://127.0.0.1:8080/readyz", "the URL to ask")
	rest, err := parseOwn("health", "[--url URL]", "Exits 0 if the server answers 200 at the URL: for container health checks.", fs, args, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q (see dondoc health --help)", rest[0])
	}
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(*u)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *u, resp.Status)
	}
	return nil
}
