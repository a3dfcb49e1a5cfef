package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The statements dondoc writes by hand on its hot paths run here, below
// gorm: its reflection cost more than SQLite's work there. They are written
// with ? placeholders, run on the pool or transaction under a *gorm.DB, and
// seen by ObserveSQL before they run.

// Query runs a statement that returns rows through the connection pool or
// transaction under on.
func (db *DB) Query(ctx context.Context, on *gorm.DB, q string, args ...any) (*sql.Rows, error) {
	q = db.Rebind(q)
	db.observed(q, args)
	return on.Statement.ConnPool.QueryContext(ctx, q, args...)
}

// Exec runs a write in tx.
func (db *DB) Exec(tx *gorm.DB, q string, args ...any) (sql.Result, error) {
	q = db.Rebind(q)
	db.observed(q, args)
	return tx.Statement.ConnPool.ExecContext(tx.Statement.Context, q, args...)
}

// InsertReturningID runs an INSERT in tx and returns the id of the row it
// wrote (both databases take RETURNING).
func (db *DB) InsertReturningID(tx *gorm.DB, q string, args ...any) (int64, error) {
	rows, err := db.Query(tx.Statement.Context, tx, q+" RETURNING id", args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id int64
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("%s: no id returned", strings.Fields(q)[2])
	}
	if err := rows.Scan(&id); err != nil {
		return 0, err
	}
	return id, rows.Close()
}

// EachRow calls scan for each row of rows and closes them. It returns the
// first error: of scan, of reading the rows, or of closing them, so that a
// read that fails half way is an error, never a short answer.
func EachRow(rows *sql.Rows, scan func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// Placeholders is "?,?,…" for n values.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// RowValues is "(?,…),(?,…)" for rows rows of cols values each: the
// VALUES of a multi-row INSERT.
func RowValues(rows, cols int) string {
	return strings.TrimSuffix(strings.Repeat("("+Placeholders(cols)+"),", rows), ",")
}

// Anys turns values into the arguments of a statement.
func Anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// DateText selects the DATE column col as text on SQLite. The SQLite
// driver turns a DATE column into a time.Time by trying timestamp layouts
// until one fits (the date's own second, after one failed parse:
// datesFirst), and civil.Date then takes the date back out of it; as text,
// civil.Date reads its digits directly. Those parses were a tenth of the
// time of a page of tasks. PostgreSQL's driver reads dates in binary and
// gets the column as it is. (No alias: ORDER BY due_on must still name the
// column, which the indexes hold, not the text.)
func (db *DB) DateText(col string) string {
	if db.Dialect == SQLite {
		return "CAST(" + col + " AS TEXT)"
	}
	return col
}

// Rebind rewrites a statement written with ? placeholders for the database
// in use: PostgreSQL numbers them ($1, $2 …). SQLite takes ? as it is (its
// $N names are looked up one by one).
func (db *DB) Rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	if v, ok := db.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	if len(q) <= 2048 { // long ones are multi-row INSERTs, of many lengths
		db.rebound.Store(q, b.String())
	}
	return b.String()
}

// QueryRow runs a statement that returns at most one row and scans that
// row into dest. found is false when there was none.
func (db *DB) QueryRow(ctx context.Context, on *gorm.DB, q string, args []any, dest ...any) (found bool, err error) {
	rows, err := db.Query(ctx, on, q, args...)
	if err != nil {
		return false, err
	}
	err = EachRow(rows, func() error {
		if found {
			return fmt.Errorf("%s: more than one row", q)
		}
		found = true
		return rows.Scan(dest...)
	})
	return found, err
}
