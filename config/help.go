package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Command is what Load and ParseFlags know of a command: how --help
// introduces it, and its own flags, which are listed first, before the
// settings every command shares.
type Command struct {
	Name  string        // as typed: "dondoc remind", "dondoc-load"
	Usage string        // the line after the name: "[--as-of DATE] [--dispatch] [settings]"
	About string        // what it does, a paragraph for --help
	Flags *flag.FlagSet // its own flags; nil if it has none
	// Settings replaces the list of shared settings in --help, for a
	// command that reads none of them itself (ParseFlags): say where its
	// settings come from instead.
	Settings string
}

// flagSet is one set holding the command's own flags and the settings,
// parsed together; the values are the ones each set defined, so parsing
// fills the command's variables. A flag of the command that shadows a
// setting is a programming error, and panics here.
func (c Command) flagSet(settings *flag.FlagSet) *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // Load writes help itself and returns errors
	fs.Usage = func() {}
	for _, set := range []*flag.FlagSet{c.Flags, settings} {
		if set != nil {
			set.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
		}
	}
	return fs
}

// ParseFlags parses the own flags of a command that reads no settings
// (extract, health, dondoc-load). Flags may come before or after the
// positional arguments, which it returns. When args ask for help it writes
// it to help and returns flag.ErrHelp.
func ParseFlags(cmd Command, args []string, help io.Writer) ([]string, error) {
	fs := cmd.flagSet(nil)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				cmd.writeHelp(help, nil)
			}
			return nil, cmd.explain(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest, args = append(rest, args[0]), args[1:]
	}
}

// explain points a mistake on the command line at --help.
func (c Command) explain(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w (see %s --help)", err, c.Name)
}

// writeHelp lists the command's own flags, then the shared settings (or
// what the command says of its settings).
func (c Command) writeHelp(w io.Writer, settings *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s %s\n", c.Name, c.Usage)
	if c.About != "" {
		fmt.Fprintf(w, "\n%s\n", c.About)
	}
	if c.Flags != nil {
		fmt.Fprintf(w, "\nFlags:\n")
		writeFlags(w, c.Flags)
	}
	switch {
	case c.Settings != "":
		fmt.Fprintf(w, "\nSettings: %s\n", c.Settings)
	case settings != nil:
		fmt.Fprintf(w, "\nSettings, shared with dondoc serve: from these flags, then DONDOC_… environment variables, then the\nfile given by --config (or DONDOC_CONFIG); the first one set wins.\n")
		writeFlags(w, settings)
	}
}

// writeFlags lists a set's flags as they are typed, --name VALUE, each
// with its description below it.
func writeFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintln(w, line)
		if !zeroDefault(f.DefValue) {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "        %s\n", strings.ReplaceAll(usage, "\n", "\n        "))
	})
}

func zeroDefault(v string) bool {
	switch v {
	case "", "0", "false", "0s":
		return true
	}
	return false
}
