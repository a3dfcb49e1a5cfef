package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
)

// newFlags is a command's own flag set; config parses it with the settings.
func newFlags(name string) *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }

// toolCommand describes a command that reads the server's settings.
func toolCommand(name, usage, about string, own *flag.FlagSet) config.Command {
	return config.Command{Name: "dondoc " + name, Usage: usage, About: about, Flags: own}
}

// parseOwn parses the flags of a command that reads no settings; its help
// says so.
func parseOwn(name, usage, about string, own *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	return config.ParseFlags(config.Command{Name: "dondoc " + name, Usage: usage, About: about, Flags: own,
		Settings: "none (it opens no database and reads no DONDOC_… variable)."}, args, stdout)
}

// openApp is how a one-shot command (remind, audit, seed) starts once its
// flags and settings are read (config.Load) and checked: it opens dondoc on
// the settings (migrations, the catalog, the first admin, whose password
// goes to out if this is the very first start) without serving anything.
// The context ends on Ctrl-C or SIGTERM; done closes everything.
func openApp(cfg config.Config, out, stderr io.Writer) (ctx context.Context, a *app.App, done func(), err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a, err = app.New(ctx, cfg, app.Options{Out: out, Logger: app.NewLogger(cfg, stderr)})
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	return ctx, a, func() { a.Close(); stop() }, nil
}

// needs reports a missing required flag in the command's words.
func needs(cmd config.Command, what string) error {
	return fmt.Errorf("%s (see %s --help)", what, cmd.Name)
}
