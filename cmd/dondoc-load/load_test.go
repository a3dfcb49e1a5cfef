package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/seed"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestLoadRunsTheMix: on a small seeded database, dondoc-load sends every
// operation of the month-end mix, none of them fails, and it prints its
// table and the generator's CPU. Then, with --rate, it sends about as many
// requests as asked for.
func TestLoadRunsTheMix(t *testing.T) {
	in := apptest.Start(t, testdb.SQLite(t), seed.BenchToday)
	if _, err := seed.Run(context.Background(), in.App.DB, in.App.Service.Calendars().Current(), in.App.Service.Policy(),
		seed.Options{Tasks: 2000, Today: seed.BenchToday, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	noEnv := func(string) string { return "" }

	rows, out := runLoad(t, noEnv, "--url", in.Server.URL, "--warmup", "500ms", "--duration", "2s", "--connections", "8")
	for _, m := range loadMix {
		r, ok := rows[m.op]
		if !ok || r.requests == 0 {
			t.Errorf("%s was never sent:\n%s", m.op, out)
		}
	}
	if all := rows["all"]; all.requests == 0 || all.errors != 0 {
		t.Errorf("all: %+v\n%s", all, out)
	}
	if !strings.Contains(out, "load generator CPU") {
		t.Errorf("no line on the generator's CPU:\n%s", out)
	}

	// 200 requests a second for two seconds, from 4 connections; the
	// timeline's seconds add up to the table's total.
	rows, out = runLoad(t, noEnv, "--url", in.Server.URL, "--warmup", "0s", "--duration", "2s", "--connections", "4", "--rate", "200", "--timeline")
	all := rows["all"].requests
	if all < 200 || all > 410 {
		t.Errorf("--rate 200 for 2s sent %d requests, want about 400:\n%s", all, out)
	}
	var seconds, sum int64
	_, timeline, _ := strings.Cut(out, "over 50 ms\n")
	for _, l := range strings.Split(timeline, "\n") {
		f := strings.Fields(l)
		if len(f) != 4 {
			break
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatalf("a timeline row that does not parse: %q", l)
		}
		seconds++
		sum += n
	}
	if seconds < 2 || sum != all {
		t.Errorf("the timeline has %d seconds of %d requests in all, want 2 or 3 seconds of %d:\n%s", seconds, sum, all, out)
	}
}

type loadRow struct{ requests, errors int64 }

// runLoad runs dondoc-load and returns its table by operation.
func runLoad(t *testing.T, env func(string) string, args ...string) (map[string]loadRow, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := load(args, env, &stdout, &stderr)
	out := stdout.String()
	t.Logf("dondoc-load %s:\n%s", strings.Join(args, " "), out)
	if err != nil {
		t.Fatalf("dondoc-load: %v\n%s\nstderr: %s", err, out, stderr.String())
	}
	rows := map[string]loadRow{}
	lines := strings.Split(out, "\n")
	if len(lines) == 0 || !strings.Contains(lines[0], "operation") {
		t.Fatalf("no table:\n%s", out)
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 8 {
			break // the end of the table
		}
		n, err1 := strconv.ParseInt(f[1], 10, 64)
		e, err2 := strconv.ParseInt(f[7], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("a row that does not parse: %q", l)
		}
		rows[f[0]] = loadRow{requests: n, errors: e}
	}
	return rows, out
}

// TestSeedDefaultsMatchTheSeed: the harness's defaults are what dondoc seed
// writes; it keeps its own copy so as to link no database code.
func TestSeedDefaultsMatchTheSeed(t *testing.T) {
	t.Parallel()
	if benchToday != seed.BenchToday.String() || seedPassword != seed.Password {
		t.Errorf("dondoc-load assumes %s and %q; the seed writes %s and %q", benchToday, seedPassword, seed.BenchToday, seed.Password)
	}
}

// TestHelpListsTheHarnessFlags: --help answers on stdout with exit 0,
// the harness's own flags first, and says where the servers' settings
// come from; a mistyped flag exits 1 pointing at --help.
func TestHelpListsTheHarnessFlags(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := load([]string{"--help"}, func(string) string { return "" }, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 0 {
		t.Fatalf("--help exits %d: %v", code, err)
	}
	out := stdout.String()
	flags, settings, ok := strings.Cut(out, "Settings:")
	if !ok || !strings.HasPrefix(out, "Usage: dondoc-load") || !strings.Contains(settings, "dondoc serve --help") {
		t.Fatalf("--help:\n%s", out)
	}
	for _, want := range []string{"--url", "--spawn", "--dondoc", "--duration", "--warmup", "--connections", "--mix", "--rate", "--timeline", "--today", "--password"} {
		if !strings.Contains(flags, "\n  "+want+" ") && !strings.Contains(flags, "\n  "+want+"\n") {
			t.Errorf("--help does not list %s before the settings:\n%s", want, out)
		}
	}
	stdout.Reset()
	err = load([]string{"--conections", "8"}, func(string) string { return "" }, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 1 || !strings.Contains(stderr.String(), "dondoc-load --help") {
		t.Errorf("a mistyped flag exits %d: %s", code, stderr.String())
	}
}
