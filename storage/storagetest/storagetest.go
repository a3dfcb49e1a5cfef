// Package storagetest gives tests migrated databases without migrating each
// one: a test's SQLite file is a copy of one migrated once per machine, and
// its PostgreSQL database a copy (CREATE DATABASE … TEMPLATE) of a template
// database migrated once per schema. Both are keyed by a fingerprint of the
// migrations, so that a changed migration builds new ones.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/testdb"
)

// Migrated returns tg holding every migration. A SQLite target whose file
// does not exist yet gets a copy of the migrated file at its own path (an
// existing file is left as it is). A PostgreSQL target is given a database
// of its own, copied from the template and dropped when the test ends: the
// returned target's URL names it, and tg's schema stays unused. Calls with
// the same PostgreSQL target return the same database, so that several
// instances of a test share it.
func Migrated(t testing.TB, tg testdb.Target) testdb.Target {
	t.Helper()
	if tg.URL == "" {
		if _, err := os.Stat(tg.SQLitePath); err == nil {
			return tg
		}
		tpl, err := sqliteTemplate()
		if err != nil {
			t.Fatalf("migrated SQLite template: %v", err)
		}
		if err := CopyFile(tpl, tg.SQLitePath); err != nil {
			t.Fatal(err)
		}
		return tg
	}
	pgMu.Lock()
	defer pgMu.Unlock()
	if u, ok := pgCopies[tg.URL]; ok {
		tg.URL = u
		return tg
	}
	u, err := postgresCopy(t, tg.URL)
	if err != nil {
		t.Fatalf("migrated PostgreSQL database: %v", err)
	}
	pgCopies[tg.URL] = u
	key := tg.URL
	t.Cleanup(func() {
		pgMu.Lock()
		delete(pgCopies, key)
		pgMu.Unlock()
	})
	tg.URL = u
	return tg
}

var (
	pgMu     sync.Mutex
	pgCopies = map[string]string{} // a target's URL → the URL of its migrated database

	sqliteOnce sync.Once
	sqlitePath string
	sqliteErr  error

	tplMu    sync.Mutex
	tplReady = map[string]bool{} // templates this process has seen complete
)

// sqliteTemplate returns the path of the migrated SQLite file, building it
// on the machine's first call. Processes that build it at once each write
// their own file and rename it into place: the last rename wins, and every
// one is complete.
func sqliteTemplate() (string, error) {
	sqliteOnce.Do(func() {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		dir = filepath.Join(dir, "dondoc-test")
		sqlitePath = filepath.Join(dir, "sqlite-"+storage.SchemaFingerprint(storage.SQLite)[:16]+".db")
		if _, err := os.Stat(sqlitePath); err == nil {
			return
		}
		sqliteErr = buildSQLite(dir, sqlitePath)
	})
	return sqlitePath, sqliteErr
}

func buildSQLite(dir, dest string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "dondoc.db")
	db, err := storage.Open(context.Background(), storage.Options{SQLitePath: path})
	if err != nil {
		return err
	}
	// Everything into the database file, so that the file alone is the copy.
	err = db.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(path, dest)
}

// templateLock is the advisory lock under which one process at a time
// builds a template database.
const templateLock = 0x646f6e646f63 // "dondoc"

// postgresCopy creates a database copied from the migrated template on the
// server that base names, dropped when the test ends, and returns its URL.
func postgresCopy(t testing.TB, base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Del("search_path") // the copy is the test's own: its public schema
	u.RawQuery = q.Encode()
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tpl := "dondoc_tpl_" + storage.SchemaFingerprint(storage.Postgres)[:16]
	if err := ensureTemplate(ctx, admin, u, tpl); err != nil {
		return "", fmt.Errorf("template %s: %w", tpl, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tpl); err != nil {
		return "", fmt.Errorf("copy %s: %w", tpl, err)
	}
	// A test's commits need not wait for the disk: each is as atomic and as
	// visible to the next query as with the wait, and only a crash of
	// PostgreSQL itself, which no test causes, could lose the last ones.
	// The wait was a quarter of TestHostileInput's time on PostgreSQL.
	// (The crash test, which kills dondoc's process, runs on its own
	// schema with the server's settings.)
	if _, err := admin.ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		return "", fmt.Errorf("copy %s: %w", tpl, err)
	}
	dropURL := u.String()
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dropURL)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer db.Close()
		// FORCE: a replica process the test killed may still hold a connection.
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String(), nil
}

// ensureTemplate builds the template database tpl unless it is complete
// already. A template counts as complete once it is marked IS_TEMPLATE,
// its last step: one left half-built by a killed process is dropped and
// built again.
func ensureTemplate(ctx context.Context, admin *sql.DB, base *url.URL, tpl string) error {
	tplMu.Lock()
	defer tplMu.Unlock()
	if tplReady[tpl] {
		return nil
	}
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck // the session's end releases it too
	var complete sql.NullBool
	err = conn.QueryRowContext(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", tpl).Scan(&complete)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if !complete.Bool {
		if complete.Valid {
			if _, err := conn.ExecContext(ctx, "DROP DATABASE "+tpl+" WITH (FORCE)"); err != nil {
				return err
			}
		}
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+tpl); err != nil {
			return err
		}
		u := *base
		u.Path = "/" + tpl
		db, err := storage.Open(ctx, storage.Options{URL: u.String()})
		if err != nil {
			return err
		}
		if err := db.Close(); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+tpl+" IS_TEMPLATE true"); err != nil {
			return err
		}
	}
	tplReady[tpl] = true
	return nil
}

// CopyFile copies the file src to dst, making dst's directory if need be.
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
