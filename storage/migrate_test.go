package storage

import (
	"bufio"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dondoc/dondoc/storage/testdb"
)

// Two migrations of a made-up schema. The second breaks at its third
// statement, after two that worked.
const (
	migrationGood = `-- +goose Up
CREATE TABLE ledger (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO ledger (id, note) VALUES (1, 'first');
-- +goose Down
DROP TABLE ledger;
`
	migrationBroken = `-- +goose Up
CREATE TABLE ledger_items (id INTEGER PRIMARY KEY, ledger_id INTEGER NOT NULL REFERENCES ledger (id));
INSERT INTO ledger (id, note) VALUES (2, 'second');
INSERT INTO ledger_items (id, ledger_id) VALUES (1, no_such_column);
-- +goose Down
DROP TABLE ledger_items;
`
	migrationFixed = `-- +goose Up
CREATE TABLE ledger_items (id INTEGER PRIMARY KEY, ledger_id INTEGER NOT NULL REFERENCES ledger (id));
INSERT INTO ledger (id, note) VALUES (2, 'second');
INSERT INTO ledger_items (id, ledger_id) VALUES (1, 2);
-- +goose Down
DROP TABLE ledger_items;
`
)

func migrations2(second string) fstest.MapFS {
	return fstest.MapFS{
		"00001_ledger.sql": {Data: []byte(migrationGood)},
		"00002_items.sql":  {Data: []byte(second)},
	}
}

// openBare opens the target's database without applying dondoc's
// migrations.
func openBare(t *testing.T, tg testdb.Target) (*DB, Options) {
	t.Helper()
	o := Options{URL: tg.URL, SQLitePath: tg.SQLitePath, MaxConns: 2, Synchronous: "NORMAL", Logger: slog.New(slog.DiscardHandler)}
	var db *DB
	var err error
	if tg.URL != "" {
		db, err = openPostgres(o)
	} else {
		db, err = openSQLite(o)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, o
}

// schemaState is what a test reads back: the goose version and the effects
// of the two migrations.
type schemaState struct {
	version  int64
	ledger   int64 // rows
	items    bool  // the second migration's table exists
	appliedN int64 // rows of goose_db_version marked applied
}

func readState(t *testing.T, db *DB) schemaState {
	t.Helper()
	var s schemaState
	if err := db.R.Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&s.version).Error; err != nil {
		t.Fatal(err)
	}
	db.R.Raw("SELECT COUNT(*) FROM goose_db_version WHERE is_applied AND version_id > 0").Scan(&s.appliedN)
	if err := db.R.Raw("SELECT COUNT(*) FROM ledger").Scan(&s.ledger).Error; err != nil {
		t.Fatal(err)
	}
	s.items = db.R.Migrator().HasTable("ledger_items")
	return s
}

// TestMigrationFailingHalfWayRollsBack: goose runs each SQL migration in a
// transaction, so a migration that fails after some of its statements
// worked leaves none of them behind, and the version table says the one
// before. Fixing the file and starting again completes it.
func TestMigrationFailingHalfWayRollsBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		ctx := context.Background()
		db, o := openBare(t, tg)
		err := db.migrateFS(ctx, o, migrations2(migrationBroken))
		if err == nil || !strings.Contains(err.Error(), "no_such_column") {
			t.Fatalf("the broken migration: err %v, want it to fail on no_such_column", err)
		}
		if s := readState(t, db); s != (schemaState{version: 1, ledger: 1, appliedN: 1}) {
			t.Fatalf("after the failure: %+v, want version 1, the first migration's one row and no ledger_items", s)
		}
		// The same broken file again: still refused, still nothing half done.
		if err := db.migrateFS(ctx, o, migrations2(migrationBroken)); err == nil {
			t.Fatal("the broken migration passed on the second try")
		}
		if err := db.migrateFS(ctx, o, migrations2(migrationFixed)); err != nil {
			t.Fatalf("the fixed migration: %v", err)
		}
		if s := readState(t, db); s != (schemaState{version: 2, ledger: 2, items: true, appliedN: 2}) {
			t.Fatalf("after the fix: %+v, want version 2, two ledger rows and ledger_items", s)
		}
	})
}

// TestMigrationsRunInTransactions: no embedded migration opts out of its
// transaction. One that did (`-- +goose NO TRANSACTION`, which PostgreSQL's
// CREATE INDEX CONCURRENTLY needs) would be left half applied by a failure or
// a crash, with its version row missing, and its retry would trip over its
// own first statements: such a migration must be one idempotent statement
// (IF NOT EXISTS), and this test must then name it.
func TestMigrationsRunInTransactions(t *testing.T) {
	n := 0
	err := fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations, path)
		if err != nil {
			return err
		}
		n++
		if strings.Contains(strings.ToUpper(string(b)), "+GOOSE NO TRANSACTION") {
			t.Errorf("%s runs outside a transaction: a crash in it leaves it half applied", path)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("read %d embedded migrations: %v", n, err)
	}
}

// migrationSlow is a second migration that takes seconds on SQLite: long
// enough to kill the process in the middle of it.
const migrationSlow = `-- +goose Up
CREATE TABLE ledger_items (id INTEGER PRIMARY KEY, ledger_id INTEGER NOT NULL);
INSERT INTO ledger (id, note) VALUES (2, 'second');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)
INSERT INTO ledger_items (id, ledger_id) SELECT i, 1 FROM n;
-- +goose Down
DROP TABLE ledger_items;
`

// TestMigrationProcess is not a test: it is the process that
// TestMigrationKilledMidwayOnSQLite kills while it migrates.
func TestMigrationProcess(t *testing.T) {
	path := os.Getenv("DONDOC_MIGRATE_SQLITE")
	if path == "" {
		t.Skip("run by TestMigrationKilledMidwayOnSQLite")
	}
	db, o := openBare(t, testdb.Target{Name: "sqlite", SQLitePath: path})
	// goose applies 00001 and commits it, then starts 00002: say so once
	// the first is in, so that the killer knows the second is under way.
	first := fstest.MapFS{"00001_ledger.sql": {Data: []byte(migrationGood)}}
	if err := db.migrateFS(context.Background(), o, first); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("migrating 00002\n")
	if err := db.migrateFS(context.Background(), o, migrations2(migrationSlow)); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("done\n")
}

// TestMigrationKilledMidwayOnSQLite: a process killed (SIGKILL) in the middle
// of a migration on SQLite leaves the database at the version before, with
// none of the migration's rows and a consistent version table; the next
// start applies it whole.
func TestMigrationKilledMidwayOnSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process")
	}
	path := filepath.Join(t.TempDir(), "dondoc.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestMigrationProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DONDOC_MIGRATE_SQLITE="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(60 * time.Second)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatal("the migrating process ended before it began the second migration")
			}
			if l == "migrating 00002" {
				break wait
			}
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("the migrating process did not begin the second migration")
		}
	}
	// Let it write until its transaction spills pages into the WAL before
	// it commits: the kill must leave a half-written migration behind.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() >= 1<<20 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the slow migration wrote less than 1 MiB to the WAL in 60 s")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		if l == "done" {
			t.Fatal("the slow migration finished before the kill: the test killed nothing")
		}
	}
	_ = cmd.Wait() // killed: its exit status says so
	wal, _ := os.Stat(path + "-wal")
	if wal != nil {
		t.Logf("WAL left by the killed process: %d bytes", wal.Size())
	}

	db, o := openBare(t, testdb.Target{Name: "sqlite", SQLitePath: path})
	if s := readState(t, db); s != (schemaState{version: 1, ledger: 1, appliedN: 1}) {
		t.Fatalf("after the kill: %+v, want version 1, the first migration's one row and no ledger_items", s)
	}
	var integrity string
	if err := db.R.Raw("PRAGMA integrity_check").Scan(&integrity).Error; err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}
	// The next start finishes the work (a smaller version of it: the point
	// is that goose takes 00002 from the start).
	small := strings.Replace(migrationSlow, "100000000", "1000", 1)
	if err := db.migrateFS(context.Background(), o, migrations2(small)); err != nil {
		t.Fatal(err)
	}
	var items int64
	if err := db.R.Raw("SELECT COUNT(*) FROM ledger_items").Scan(&items).Error; err != nil {
		t.Fatal(err)
	}
	if s := readState(t, db); s != (schemaState{version: 2, ledger: 2, items: true, appliedN: 2}) || items != 1000 {
		t.Fatalf("after the restart: %+v and %d items, want version 2, two ledger rows and 1000 items", s, items)
	}
}
