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

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	cfg, err := Load("serve", nil, envOf(nil), &bytes.Buffer{})
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
	cfg, err := Load("serve", []string{"--addr", "flag:3"}, env, &bytes.Buffer{})
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
		_, err := Load("serve", nil, envOf(env), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("env %v: error %v does not name %s", env, err, want)
		}
	}
}

func TestHelpListsEverySettingAndHidesSecrets(t *testing.T) {
	var out bytes.Buffer
	_, err := Load("serve", []string{"--help"}, envOf(map[string]string{"DONDOC_ADMIN_PASSWORD": "s3cret-Passw0rd"}), &out)
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
