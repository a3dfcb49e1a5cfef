package storagetest_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" database/sql driver

	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/storagetest"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestMigratedHoldsEveryMigration: a migrated target is at the newest
// migration, with the tables of the schema, and a fresh copy: what one test
// writes another does not see. On PostgreSQL, the same target twice is the
// same database, and the copy is gone once the test that made it ends.
func TestMigratedHoldsEveryMigration(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		var dropped string
		t.Run("copy", func(t *testing.T) {
			a := storagetest.Migrated(t, tg)
			db := open(t, a)
			var v int64
			if err := db.QueryRow("SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
				t.Fatal(err)
			}
			latest := latestMigration(t, a) // after the read: opening migrates
			if v != latest || v == 0 {
				t.Fatalf("the copy is at migration %d, want %d", v, latest)
			}
			if _, err := db.Exec("INSERT INTO agencies (code, name, kind, updated_at) VALUES ('ZZZ', 'Z', 'ministry', CURRENT_TIMESTAMP)"); err != nil {
				t.Fatalf("the copy has no agencies table to write: %v", err)
			}
			if tg.URL == "" {
				if a.SQLitePath != tg.SQLitePath || a.DataDir != tg.DataDir {
					t.Fatalf("a SQLite copy moved: %+v from %+v", a, tg)
				}
				if again := storagetest.Migrated(t, a); again != a {
					t.Fatalf("a second call on a SQLite target changed it: %+v", again)
				}
				var n int
				if err := open(t, a).QueryRow("SELECT COUNT(*) FROM agencies WHERE code = 'ZZZ'").Scan(&n); err != nil || n != 1 {
					t.Fatalf("a second call replaced the file the test wrote: %d rows, %v", n, err)
				}
				return
			}
			if a.URL == tg.URL {
				t.Fatal("a PostgreSQL copy runs on the target's own URL")
			}
			if again := storagetest.Migrated(t, tg); again.URL != a.URL {
				t.Fatalf("the same target twice: %s, then %s", a.URL, again.URL)
			}
			u, err := url.Parse(a.URL)
			if err != nil {
				t.Fatal(err)
			}
			dropped = strings.TrimPrefix(u.Path, "/")
		})
		// Another test's copy is fresh: the row written above is not in it.
		b := storagetest.Migrated(t, freshLike(t, tg))
		var n int
		if err := open(t, b).QueryRow("SELECT COUNT(*) FROM agencies WHERE code = 'ZZZ'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("a fresh copy holds another test's row: %d, %v", n, err)
		}
		if dropped != "" {
			var exists bool
			if err := open(t, tg).QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", dropped).Scan(&exists); err != nil || exists {
				t.Fatalf("database %s still exists after its test (%v)", dropped, err)
			}
		}
	})
}

// TestMigratedAtOnce: many tests asking for copies at the same moment each
// get a database of their own.
func TestMigratedAtOnce(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, like testdb.Target) {
		var mu sync.Mutex
		seen := map[string]bool{}
		for i := range 6 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				tg := storagetest.Migrated(t, freshLike(t, like))
				var n int
				if err := open(t, tg).QueryRow("SELECT COUNT(*) FROM goose_db_version").Scan(&n); err != nil || n < 2 {
					t.Fatalf("copy %d: %d migrations, %v", i, n, err)
				}
				key := tg.URL + tg.SQLitePath
				mu.Lock()
				defer mu.Unlock()
				if seen[key] {
					t.Fatalf("two copies share %s", key)
				}
				seen[key] = true
			})
		}
	})
}

// freshLike returns a new target on the same database system as tg.
func freshLike(t *testing.T, tg testdb.Target) testdb.Target {
	if tg.Name == "postgres" {
		return testdb.Postgres(t)
	}
	return testdb.SQLite(t)
}

func open(t *testing.T, tg testdb.Target) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", tg.URL
	if tg.URL == "" {
		driver, dsn = "sqlite3", "file:"+tg.SQLitePath
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// latestMigration opens the target as dondoc does: the newest migration it
// knows is what the copy must hold.
func latestMigration(t *testing.T, tg testdb.Target) int64 {
	t.Helper()
	if _, err := os.Stat(tg.DataDir); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(context.Background(), storage.Options{URL: tg.URL, SQLitePath: tg.SQLitePath})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db.LatestMigration()
}
