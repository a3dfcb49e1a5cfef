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
				dataDir := filepath.Join(t.TempDir(), "data")
				env := map[string]string{"DONDOC_DATA_DIR": dataDir}
				var stdout, stderr bytes.Buffer
				err := run(args, func(k string) string { return env[k] }, &stdout, &stderr)
				if code := exitCode(err, &stderr); code != 0 {
					t.Fatalf("exit %d: %v\n%s", code, err, stderr.String())
				}
				out := stdout.String()
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
				if _, err := os.Stat(dataDir); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("--help created the data directory (%v)", err)
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
			dataDir := filepath.Join(t.TempDir(), "data")
			env := map[string]string{"DONDOC_DATA_DIR": dataDir}
			var stdout, stderr bytes.Buffer
			err := run(args, func(k string) string { return env[k] }, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != 1 || !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "--help") {
				t.Errorf("exit %d, stderr %q; want 1 and %q with a pointer to --help", code, stderr.String(), want)
			}
			if _, err := os.Stat(dataDir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the data directory was created (%v)", err)
			}
		})
	}
}
