// Command dondoc runs the directive and task-assignment workflow engine.
//
//	dondoc serve            run the server (SQLite in ./data by default)
//	dondoc serve --help     list every setting
//	dondoc help             list every command
//
// The load generator is a command of its own, dondoc-load, so that the
// server does not link its HTTP client and histograms.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dondoc/dondoc/api"
)

// command is one subcommand; each lives in a file of its own.
type command struct {
	name  string
	usage string // for the list of commands: "remind [--as-of DATE] [--dispatch]"
	help  string // one line
	run   func(args []string, env func(string) string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order `dondoc help` shows them.
func commands() []command {
	return []command{
		{"serve", "serve [settings]", "run the server (SQLite in ./data unless DONDOC_DATABASE_URL is set)", serve},
		{"health", "health [--url URL]", "exit 0 if the server answers (for container health checks)", health},
		{"remind", "remind [--as-of DATE] [--dispatch]", "run the reminder scan for a day (default today), as the scheduler would", remind},
		{"audit", "audit verify", "walk every task's hash-chained history; exit 1 naming the first event that does not match", audit},
		{"extract", "extract FILE --date DATE | extract corrections --since DATE", "print as JSON the directives proposed from a conclusion's text (FILE - is stdin); corrections: what the secretariat made of them, as dev-set lines", extractCmd},
		{"seed", "seed --tasks N [--seed S]", "fill the database with N tasks of realistic sample data (for load tests)", seedCmd},
		{"version", "version", "print the version", version},
	}
}

func main() {
	os.Exit(exitCode(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr))
}

// exitCode is 0 for success and for --help, which is an answer, not a
// mistake; otherwise it prints the error and is 1.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "dondoc:", err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprint(w, "dondoc: directives become tasks, with deadlines on the Vietnamese working calendar.\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  dondoc %-36s %s\n", c.usage, c.help)
	}
	fmt.Fprint(w, "\nRun \"dondoc COMMAND --help\" (or \"dondoc help COMMAND\") for a command's flags and settings.\n"+
		"The load generator is a command of its own: dondoc-load --help.\n")
}

func run(args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errors.New("no command given")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			usage(stdout)
			return nil
		}
		name, rest = rest[0], []string{"--help"}
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(rest, env, stdout, stderr)
		}
	}
	usage(stderr)
	if name == "load" {
		return errors.New(`the load generator is its own command now: dondoc-load (go build ./cmd/dondoc-load)`)
	}
	return fmt.Errorf("unknown command %q", name)
}

func version(args []string, _ func(string) string, stdout, _ io.Writer) error {
	if _, err := parseOwn("version", "", "Prints the version of this build.", nil, args, stdout); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dondoc", api.Version)
	return nil
}
