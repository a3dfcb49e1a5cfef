package config

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var serve = Command{Name: "dondoc serve", Usage: "[settings]"}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	cfg, err := Load(serve, nil, envOf(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.DataDir != "./data" || cfg.DatabaseURL != "" || cfg.ReminderSchedule != "0 7 * * *" {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestPrecedenceFlagsThenEnvThenFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "dondoc.env")
	os.WriteFile(file, []byte("# comment\nDONDOC_ADDR=file:1\nDONDOC_DATA_DIR=\"/from/file\"\nDONDOC_TOKEN_TTL=2h\nDONDOC_LOG_LEVEL=warn\n"), 0o600)
	env := envOf(map[string]string{"DONDOC_CONFIG": file, "DONDOC_ADDR": "env:2", "DONDOC_DATA_DIR": "/from/env"})
	cfg, err := Load(serve, []string{"--addr", "flag:3"}, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "flag:3" || cfg.DataDir != "/from/env" || cfg.TokenTTL != 2*time.Hour || cfg.LogLevel != "warn" {
		t.Errorf("got %+v", cfg)
	}
}

func TestInvalidSettingsNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"DONDOC_REMINDER_SCHEDULE":  {"DONDOC_REMINDER_SCHEDULE": "every day"},
		"DONDOC_DATABASE_URL":       {"DONDOC_DATABASE_URL": "mysql://x"},
		"DONDOC_TOKEN_TTL":          {"DONDOC_TOKEN_TTL": "soon"},
		"DONDOC_SQLITE_SYNCHRONOUS": {"DONDOC_SQLITE_SYNCHRONOUS": "OFF"},
		"DONDOC_DEBUG_ADDR":         {"DONDOC_DEBUG_ADDR": "0.0.0.0:6060"},
	}
	for want, env := range cases {
		_, err := Load(serve, nil, envOf(env), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("env %v: error %v does not name %s", env, err, want)
		}
	}
}

func TestHelpListsEverySettingAndHidesSecrets(t *testing.T) {
	var out bytes.Buffer
	_, err := Load(serve, []string{"--help"}, envOf(map[string]string{"DONDOC_ADMIN_PASSWORD": "s3cret-Passw0rd"}), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	for _, name := range []string{"DONDOC_ADDR", "DONDOC_DATA_DIR", "DONDOC_DATABASE_URL", "DONDOC_ADMIN_PASSWORD", "DONDOC_SMTP_URL", "DONDOC_REMINDER_SCHEDULE"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("--help does not mention %s", name)
		}
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Error("--help printed a secret")
	}
}

// TestOwnFlagsParseWithTheSettingsAndComeFirstInHelp: a command's own
// flags and the settings come from one command line, in any order; --help
// lists the command's flags before the settings, as typed (--name).
func TestOwnFlagsParseWithTheSettingsAndComeFirstInHelp(t *testing.T) {
	own := flag.NewFlagSet("remind", flag.ContinueOnError)
	asOf := own.String("as-of", "", "the day to scan")
	dispatch := own.Bool("dispatch", false, "deliver too")
	cmd := Command{Name: "dondoc remind", Usage: "[--as-of DATE] [--dispatch] [settings]", About: "Runs a day's scan.", Flags: own}
	cfg, err := Load(cmd, []string{"--data-dir", "/d", "--as-of", "2026-09-02", "--dispatch", "--log-level=warn"}, envOf(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if *asOf != "2026-09-02" || !*dispatch || cfg.DataDir != "/d" || cfg.LogLevel != "warn" {
		t.Errorf("as-of %q, dispatch %v, settings %+v", *asOf, *dispatch, cfg)
	}

	var help bytes.Buffer
	if _, err := Load(cmd, []string{"--help"}, envOf(nil), &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	out := help.String()
	order := []string{"Usage: dondoc remind [--as-of DATE]", "Runs a day's scan.", "--as-of string", "--dispatch\n", "Settings", "--addr string", "DONDOC_ADDR"}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("--help does not say %q after position %d:\n%s", s, at, out)
		}
		at += i + len(s)
	}

	_, err = Load(cmd, []string{"--as-off", "2026-09-02"}, envOf(nil), &help)
	if err == nil || !strings.Contains(err.Error(), "as-off") || !strings.Contains(err.Error(), "dondoc remind --help") {
		t.Errorf("a mistyped flag: %v", err)
	}
}

// TestParseFlagsTakesFlagsAroundArguments: a command without settings
// takes its flags before or after its arguments, and its --help says
// where its settings come from instead of listing them.
func TestParseFlagsTakesFlagsAroundArguments(t *testing.T) {
	own := flag.NewFlagSet("extract", flag.ContinueOnError)
	date := own.String("date", "", "the document's date")
	cmd := Command{Name: "dondoc extract", Usage: "FILE --date DATE", Flags: own, Settings: "none: it opens no database."}
	rest, err := ParseFlags(cmd, []string{"notice.txt", "--date", "2022-04-27"}, &bytes.Buffer{})
	if err != nil || len(rest) != 1 || rest[0] != "notice.txt" || *date != "2022-04-27" {
		t.Fatalf("rest %v, date %q, err %v", rest, *date, err)
	}
	var help bytes.Buffer
	if _, err := ParseFlags(cmd, []string{"-h"}, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	if out := help.String(); !strings.Contains(out, "--date string") || !strings.Contains(out, "Settings: none") || strings.Contains(out, "--addr") {
		t.Errorf("help:\n%s", out)
	}
}

// TestBaseURL: the public address is the setting, else the listen address,
// with localhost for a wildcard host.
func TestBaseURL(t *testing.T) {
	for _, c := range []struct{ public, addr, want string }{
		{"https://dondoc.vpcp.gov.vn/", "0.0.0.0:8080", "https://dondoc.vpcp.gov.vn"},
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", ":8080", "http://localhost:8080"},
		{"", "0.0.0.0:9000", "http://localhost:9000"},
		{"", "[::]:9000", "http://localhost:9000"},
		{"", "[::1]:9000", "http://[::1]:9000"},
	} {
		cfg := Default()
		cfg.PublicURL, cfg.Addr = c.public, c.addr
		if got := cfg.BaseURL(); got != c.want {
			t.Errorf("public %q, addr %q: %q, want %q", c.public, c.addr, got, c.want)
		}
	}
}
