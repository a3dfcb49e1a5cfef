package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
)

func init() {
	register("serve", command{usage: "serve [flags]", help: "run the server (SQLite in ./data unless DONDOC_DATABASE_URL is set)", run: serve})
	register("health", command{usage: "health [--url URL]", help: "exit 0 if the server answers (for container health checks)", run: health})
}

func serve(args []string, env func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load("serve", args, env, stderr)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, app.Options{Out: stdout, Logger: log})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	return a.Serve(ctx, ln)
}

func health(args []string, _ func(string) string, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("dondoc health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	u := fs.String("url", "http://127.0.0.1:8080/readyz", "the URL to ask")
	if err := fs.Parse(args); err != nil {
		return err
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
