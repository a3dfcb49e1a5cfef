// Package app builds dondoc from its configuration and runs it: the
// database, the services, the HTTP server and the scheduler, started and
// stopped in order.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/dondoc/dondoc/api"
	"github.com/dondoc/dondoc/app/deliver"
	"github.com/dondoc/dondoc/auth"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/web"
	"github.com/dondoc/dondoc/workflow"
)

// App is a running dondoc.
type App struct {
	Config   config.Config
	Replica  string // this process's name among replicas: DONDOC_REPLICA, or the host name and pid
	Log      *slog.Logger
	DB       *storage.DB
	Service  *workflow.Service
	Auth     *auth.Auth
	API      *api.Server
	Registry *prometheus.Registry
	Notices  *notify.Outbox      // the notifications, queued and to deliver
	Outbox   *deliver.Dispatcher // delivers them
	metrics  metrics
}

// Options are what a caller (a test, a command) may set beyond the config.
type Options struct {
	Clock  workflow.Clock // default: the system clock
	Out    io.Writer      // where the first admin password is printed; default: nowhere
	Logger *slog.Logger
}

// NewLogger builds the process logger from the configuration.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// New opens the database (applying migrations), loads the agency catalog and
// the calendar, creates the first admin on the very first start, and builds
// the API. It starts nothing.
func New(ctx context.Context, cfg config.Config, o Options) (*App, error) {
	if o.Clock == nil {
		o.Clock = workflow.SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	log := o.Logger
	settings, err := derive(cfg)
	if err != nil {
		return nil, err
	}
	db, err := storage.Open(ctx, storage.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), MaxConns: cfg.MaxDBConns,
		Synchronous: cfg.SQLiteSync, Logger: log})
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: db, Replica: settings.replica}
	ok := false
	defer func() {
		if !ok {
			if a.Service != nil {
				a.Service.Close()
			}
			db.Close()
		}
	}()

	cals, err := workflow.LoadCalendars(ctx, db)
	if err != nil {
		return nil, err
	}
	a.Notices = notify.New(db, notify.Options{Email: cfg.SMTPURL != "", Off: settings.off, Digest: cfg.EmailDigest})
	files, err := fileOptions(cfg)
	if err != nil {
		return nil, err
	}
	a.Service = workflow.New(db, cals, workflow.Options{Clock: o.Clock, Log: log, Policy: settings.policy, Outbox: a.Notices, BaseURL: cfg.BaseURL(),
		StatsMaxAge: cfg.StatsMaxAge, Replica: settings.replica, Files: files, NotifyProgress: cfg.NotifyProgress})
	added, err := a.Service.LoadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	if added > 0 {
		log.Info("agency catalog loaded", "agencies", added)
	}
	if n, err := a.Service.HandOverDissolved(ctx); err != nil {
		return nil, fmt.Errorf("hand over the tasks of dissolved agencies: %w", err)
	} else if n > 0 {
		log.Info("tasks handed over to successor agencies", "tasks", n)
	}
	pw, err := a.Service.EnsureAdmin(ctx, cfg.AdminPassword)
	if err != nil {
		return nil, err
	}
	if pw != "" {
		if cfg.AdminPassword != "" {
			fmt.Fprintln(o.Out, "Created the user admin with the password from DONDOC_ADMIN_PASSWORD.")
		} else {
			fmt.Fprintf(o.Out, "Created the user admin. Its password, shown this once:\n\n    %s\n\n", pw)
		}
	}
	a.Auth, err = auth.New(ctx, a.Service, auth.Options{TTL: cfg.TokenTTL})
	if err != nil {
		return nil, err
	}
	a.Registry = prometheus.NewRegistry()
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.metrics = newMetrics(a.Registry, a.Notices, o.Clock)
	var origins []string
	for _, o := range strings.Split(cfg.CORSOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	if a.Outbox, err = a.newDispatcher(); err != nil {
		return nil, err
	}
	// One server: the API under /api/v1 with its middleware, and the
	// dashboard's pages mounted beside it.
	a.API = api.New(a.Service, a.Auth, api.Options{BodyLimit: cfg.BodyLimit, UploadLimit: cfg.MaxUploadSize, CORSOrigins: origins, Logger: log, Registry: a.Registry})
	web.Mount(a.API.Echo(), a.Service, a.Auth, log)
	ok = true
	return a, nil
}

// Close finishes the commands queued for the database and releases it,
// and closes the connections kept for deliveries.
func (a *App) Close() error {
	a.Service.Close()
	return errors.Join(a.Outbox.Close(), a.DB.Close())
}

// Serve answers HTTP on ln until ctx is cancelled, then stops taking new
// connections and lets the requests in flight finish (up to the shutdown
// timeout) before it returns. With the scheduler on, it also runs the
// reminder scan and the outbox dispatcher, stopped after the server.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if a.Config.Scheduler {
		bg, err := a.startBackground(ctx)
		if err != nil {
			return err
		}
		defer bg.stop()
	}
	srv := &http.Server{
		Handler:           a.API.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       a.Config.ReadTimeout,
		WriteTimeout:      a.Config.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.Log.Info("dondoc is listening", "addr", ln.Addr().String(), "database", a.DB.Dialect, "replica", a.Replica)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(<-errc, http.ErrServerClosed) && err == nil {
		a.Log.Info("stopped")
	}
	return err
}
