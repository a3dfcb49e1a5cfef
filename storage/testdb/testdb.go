// Package testdb gives tests real databases: a fresh SQLite file always, and
// a fresh PostgreSQL schema when DONDOC_TEST_DATABASE_URL is set.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL names the variable that points the tests at PostgreSQL.
const EnvURL = "DONDOC_TEST_DATABASE_URL"

// Target is one database to run a test against.
type Target struct {
	Name string // "sqlite" or "postgres"
	// URL is the PostgreSQL URL of a schema of the test's own, or "" for
	// SQLite, which lives at SQLitePath.
	URL        string
	SQLitePath string
	DataDir    string
}

// Each runs fn as a subtest against SQLite and, when DONDOC_TEST_DATABASE_URL
// is set, against PostgreSQL. A set URL that does not answer fails the
// test: CI must not pass by skipping PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, tg Target)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(EnvURL) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// SQLite returns a target in a fresh temporary directory.
func SQLite(t testing.TB) Target {
	dir := t.TempDir()
	return Target{Name: "sqlite", SQLitePath: filepath.Join(dir, "dondoc.db"), DataDir: dir}
}

// Postgres returns a target in a fresh schema of the database that
// DONDOC_TEST_DATABASE_URL names, dropped when the test ends.
func Postgres(t testing.TB) Target {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Fatalf("%s is not set", EnvURL)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL at %s does not answer: %v", EnvURL, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return Target{Name: "postgres", URL: u.String(), DataDir: t.TempDir()}
}
