package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryCommandHelpsItself: `dondoc X --help` (and `dondoc help X`)
// answers on stdout with exit 0, its own flags listed before the settings
// every command shares (or, for a command that reads none, a word on
// where its settings come from), and opens no database.
func TestEveryCommandHelpsItself(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		own      []string // its flags
		settings bool     // lists the shared settings
	}{
		{"serve", nil, true},
		{"seed", []string{"--tasks", "--seed"}, true},
		{"audit", nil, true},
		{"remind", []string{"--as-of", "--dispatch"}, true},
		{"extract", []string{"--date"}, false},
		{"health", []string{"--url"}, false},
		{"version", nil, false},
	}
	for _, c := range cases {
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				t.Parallel()
				code, out, stderr := runWithoutData(t, args)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if !strings.HasPrefix(out, "Usage: dondoc "+c.name) {
					t.Fatalf("help does not start with its usage:\n%s", out)
				}
				flags, settings, ok := strings.Cut(out, "\nSettings")
				if !ok {
					t.Fatalf("help has no Settings part:\n%s", out)
				}
				for _, f := range c.own {
					if !strings.Contains(flags, "\n  "+f+" ") && !strings.Contains(flags, "\n  "+f+"\n") {
						t.Errorf("%s is not listed before the settings:\n%s", f, out)
					}
				}
				if got := strings.Contains(settings, "--data-dir") && strings.Contains(settings, "DONDOC_DATABASE_URL"); got != c.settings {
					t.Errorf("lists the shared settings: %v, want %v:\n%s", got, c.settings, out)
				}
			})
		}
	}
}

// TestHelpListsTheCommands: `dondoc --help` and `dondoc help` list every
// subcommand on stdout and exit 0; `dondoc` alone lists them on stderr and
// exits 1; `dondoc load` points at dondoc-load.
func TestHelpListsTheCommands(t *testing.T) {
	t.Parallel()
	noEnv := func(string) string { return "" }
	for _, arg := range []string{"--help", "help", "-h"} {
		var stdout, stderr bytes.Buffer
		if code := exitCode(run([]string{arg}, noEnv, &stdout, &stderr), &stderr); code != 0 {
			t.Errorf("dondoc %s exits %d", arg, code)
		}
		for _, c := range commands() {
			if !strings.Contains(stdout.String(), "dondoc "+c.usage) {
				t.Errorf("dondoc %s does not list %s:\n%s", arg, c.name, stdout.String())
			}
		}
	}
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(nil, noEnv, &stdout, &stderr), &stderr); code != 1 || !strings.Contains(stderr.String(), "dondoc serve") {
		t.Errorf("dondoc alone exits %d:\n%s", code, stderr.String())
	}
	stderr.Reset()
	if code := exitCode(run([]string{"load", "--spawn", "1"}, noEnv, &stdout, &stderr), &stderr); code != 1 || !strings.Contains(stderr.String(), "dondoc-load") {
		t.Errorf("dondoc load exits %d:\n%s", code, stderr.String())
	}
}

// TestMistakesComeBeforeTheDatabase: a missing or mistyped flag stops a
// tool with a message that points at --help, before it opens (and
// creates) the database.
func TestMistakesComeBeforeTheDatabase(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"give --tasks N":  {"seed"},
		"-seed":           {"seed", "--tasks", "10", "--seed", "x"},
		"as-off":          {"remind", "--as-off", "2026-01-05"},
		"--as-of":         {"remind", "--as-of", "5/1/2026"},
		"audit verify":    {"audit"},
		"unexpected":      {"serve", "now"},
		"give one FILE":   {"extract", "--date", "2022-04-27"},
		"--date is requi": {"extract", "notice.txt"},
	}
	for want, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runWithoutData(t, args)
			if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "--help") {
				t.Errorf("exit %d, stderr %q; want 1 and %q with a pointer to --help", code, stderr, want)
			}
		})
	}
}

// runWithoutData runs dondoc with a data directory that does not exist,
// and fails the test if the command created it: help and mistakes on the
// command line must not open (and so create) a database.
func runWithoutData(t *testing.T, args []string) (code int, stdout, stderr string) {
	t.Helper()
	dataDir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"DONDOC_DATA_DIR": dataDir}
	var out, errOut bytes.Buffer
	code = exitCode(run(args, func(k string) string { return env[k] }, &out, &errOut), &errOut)
	if _, err := os.Stat(dataDir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dondoc %s created the data directory (%v)", strings.Join(args, " "), err)
	}
	return code, out.String(), errOut.String()
}
