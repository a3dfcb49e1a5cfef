package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// openCaching opens a SQLite file through sqliteDriver with one connection,
// and a second plain connection to the same file to watch its locks.
func openCaching(t *testing.T) (*sql.DB, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.db")
	o := Options{Synchronous: "NORMAL"}
	db, err := sql.Open(sqliteDriver, sqliteDSN(path, o, false))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=0&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return db, other
}

// cached is the number of statements the pool's one connection keeps.
func cached(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := -1
	if err := conn.Raw(func(dc any) error { n = len(dc.(*cachingConn).stmts); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// writable reports whether another connection can take the write lock now.
func writable(t *testing.T, other *sql.DB) bool {
	t.Helper()
	tx, err := other.Begin()
	if err != nil {
		return false
	}
	tx.Rollback()
	return true
}

func TestStatementCacheReusesStatementsInAndOutOfTransactions(t *testing.T) {
	db, _ := openCaching(t)
	base := cached(t, db)
	for i := range 3 {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for j := range 10 {
			if _, err := tx.Exec("INSERT INTO kv (k, v) VALUES (?, ?)", i*10+j, "x"); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	for range 5 {
		if err := db.QueryRow("SELECT COUNT(*) FROM kv WHERE v = ?", "x").Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	if n != 30 {
		t.Fatalf("count = %d, want 30", n)
	}
	if got := cached(t, db) - base; got != 2 {
		t.Fatalf("%d statements cached for 2 distinct queries run 35 times", got)
	}
}

func TestStatementCacheSameQueryWhileItsRowsAreOpen(t *testing.T) {
	db, _ := openCaching(t)
	for k := range 3 {
		db.Exec("INSERT INTO kv (k, v) VALUES (?, ?)", k, fmt.Sprint("v", k))
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT k, v FROM kv WHERE k >= ? ORDER BY k"
	outer, err := tx.Query(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	for outer.Next() {
		var k int
		var v string
		outer.Scan(&k, &v)
		inner, err := tx.Query(q, k) // the cached statement is busy with outer
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			pairs++
		}
		inner.Close()
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	if pairs != 3+2+1 {
		t.Fatalf("nested reads of the same query gave %d pairs, want 6", pairs)
	}
}

func TestStatementCacheKeepsTheDriversChecks(t *testing.T) {
	db, _ := openCaching(t)
	if _, err := db.Exec("INSERT INTO kv (k, v) VALUES (?, ?)", 1); err == nil {
		t.Fatal("a missing argument was accepted")
	}
	// More than one statement: the driver runs each.
	if _, err := db.Exec("INSERT INTO kv (k, v) VALUES (10, 'a'); INSERT INTO kv (k, v) VALUES (11, 'b');"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM kv WHERE k IN (10, 11)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d rows from two statements in one Exec", n)
	}
	if _, err := db.Exec("INSERT INTO nowhere VALUES (1)"); err == nil {
		t.Fatal("a statement that cannot be prepared ran")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.ExecContext(ctx, "INSERT INTO kv (k, v) VALUES (20, 'c')"); err == nil {
		t.Fatal("a cancelled context ran a statement")
	}
}

// A write statement that returns rows, run with Exec, is stepped once: left
// cached, it would keep the write lock after its autocommit ended.
func TestStatementCacheReleasesTheWriteLock(t *testing.T) {
	db, other := openCaching(t)
	for i := range 3 {
		if _, err := db.Exec("INSERT INTO kv (k, v) VALUES (?, 'r') RETURNING k", 100+i); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("UPDATE kv SET v = 'u' WHERE k = ?", 100+i); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("SELECT k FROM kv"); err != nil { // a read, executed
			t.Fatal(err)
		}
		rows, err := db.Query("SELECT k FROM kv")
		if err != nil {
			t.Fatal(err)
		}
		rows.Next() // read one row of several, then close
		rows.Close()
		if !writable(t, other) {
			t.Fatalf("round %d: the cached connection still holds the write lock", i)
		}
	}
}

func TestStatementCacheIsBounded(t *testing.T) {
	db, _ := openCaching(t)
	for i := range maxCachedStmts + 50 {
		if _, err := db.Exec(fmt.Sprintf("INSERT INTO kv (k, v) VALUES (%d, ?)", i), "b"); err != nil {
			t.Fatal(err)
		}
	}
	if n := cached(t, db); n > maxCachedStmts {
		t.Fatalf("%d statements cached, more than %d", n, maxCachedStmts)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM kv").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != maxCachedStmts+50 {
		t.Fatalf("%d rows, want %d", n, maxCachedStmts+50)
	}
}

func TestDatesFirstKeepsEveryLayout(t *testing.T) {
	layouts := []string{"a", "b", "c", time.DateOnly}
	datesFirst(layouts)
	if want := []string{"a", time.DateOnly, "b", "c"}; !slices.Equal(layouts, want) {
		t.Fatalf("layouts %q, want %q", layouts, want)
	}
	db, _ := openCaching(t)
	if _, err := db.Exec("CREATE TABLE d (on_day DATE, at TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 15, 4, 5, 123456000, time.UTC)
	if _, err := db.Exec("INSERT INTO d VALUES ('2026-11-23', ?), ('2026-11-24', '2026-11-24 08:00:00')", at); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT on_day, at FROM d ORDER BY on_day")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var day, ts time.Time
		if err := rows.Scan(&day, &ts); err != nil {
			t.Fatal(err)
		}
		got = append(got, day.Format(time.RFC3339Nano), ts.Format(time.RFC3339Nano))
	}
	want := []string{"2026-11-23T00:00:00Z", "2026-11-23T15:04:05.123456Z", "2026-11-24T00:00:00Z", "2026-11-24T08:00:00Z"}
	if !slices.Equal(got, want) {
		t.Fatalf("read %q, want %q", got, want)
	}
}
