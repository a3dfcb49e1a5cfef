package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
)

// openTool is how a one-shot command (remind, audit, seed) starts: it
// reads the server's settings from args and env, and opens dondoc on them
// (migrations, the catalog, the first admin, whose password goes to out if
// this is the very first start) without serving anything. The context ends
// on Ctrl-C or SIGTERM; done closes everything.
func openTool(name string, args []string, env func(string) string, out, stderr io.Writer) (ctx context.Context, a *app.App, done func(), err error) {
	cfg, err := config.Load(name, args, env, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a, err = app.New(ctx, cfg, app.Options{Out: out, Logger: app.NewLogger(cfg, stderr)})
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	return ctx, a, func() { a.Close(); stop() }, nil
}
