// Command dondoc runs the directive and task-assignment workflow engine.
//
//	dondoc serve            run the server (SQLite in ./data by default)
//	dondoc serve --help     list every setting
//	dondoc help             list every command
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/dondoc/dondoc/api"
)

// command is one subcommand: each lives in a file of its own and registers
// itself in init.
type command struct {
	usage string // "serve [flags]"
	help  string // one line
	run   func(args []string, env func(string) string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "dondoc:", err)
		os.Exit(1)
	}
}

func init() {
	register("version", command{usage: "version", help: "print the version", run: func(_ []string, _ func(string) string, stdout, _ io.Writer) error {
		fmt.Fprintln(stdout, "dondoc", api.Version)
		return nil
	}})
}

func usage(w io.Writer) {
	fmt.Fprint(w, "dondoc: directives become tasks, with deadlines on the Vietnamese working calendar.\n\nUsage:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  dondoc %-28s %s\n", commands[n].usage, commands[n].help)
	}
	fmt.Fprint(w, "\nRun \"dondoc COMMAND --help\" for a command's flags and settings.\n")
}

func run(args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errors.New("no command given")
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "--help" {
		usage(stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		usage(stderr)
		return fmt.Errorf("unknown command %q", name)
	}
	return c.run(rest, env, stdout, stderr)
}
