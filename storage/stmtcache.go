package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"slices"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// sqliteDriver is the name dondoc opens SQLite under: mattn's driver, with
// each connection keeping its prepared statements.
//
// gorm's PrepareStmt cannot do this for the writer: a statement first used
// inside a transaction is prepared on that transaction, and database/sql
// prepares such a statement again in every later transaction (Tx.StmtContext
// re-prepares a statement that belongs to a transaction). With one writer
// connection the statements cannot be prepared outside a transaction either,
// since the transaction holds the only connection. Preparing was about a
// fifth of a task transition's time. Below database/sql, a connection can
// simply keep its statements: database/sql uses a connection from one
// goroutine at a time, and a statement is reused only when the rows it last
// returned are closed.
//
// The connection also runs each statement without the request's context
// once it has checked that the request is still wanted. Given a context that
// can be cancelled, mattn's driver starts a goroutine for every execution
// and for every row read, to interrupt SQLite if the context ends; under
// load, waiting for those goroutines to be scheduled made the one writer's
// transactions several times longer than their work. A statement that has
// begun is therefore not interrupted: dondoc's statements are short or
// bounded, a cancelled request starts no new one, and database/sql still
// rolls back the transaction of a request whose context ends.
const sqliteDriver = "sqlite3_dondoc"

func init() {
	sql.Register(sqliteDriver, cachingDriver{&sqlite3.SQLiteDriver{}})
	datesFirst(sqlite3.SQLiteTimestampFormats)
}

// datesFirst moves the date-only layout to second place in mattn's list of
// layouts, which it tries in turn on every DATE and TIMESTAMP value read.
// dondoc writes timestamps in the first layout (the driver's own) and dates
// as 2006-01-02, the last: every date read failed eight parses first, each
// allocating its error. A layout must match a whole value to be taken, so
// the order changes only how soon the right one is found.
func datesFirst(layouts []string) {
	i := slices.Index(layouts, time.DateOnly)
	if i > 1 {
		copy(layouts[2:i+1], layouts[1:i])
		layouts[1] = time.DateOnly
	}
}

// maxCachedStmts bounds each connection's statements; queries with IN lists
// of varying length make distinct statements.
const maxCachedStmts = 256

type cachingDriver struct{ *sqlite3.SQLiteDriver }

func (d cachingDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.SQLiteDriver.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{SQLiteConn: c.(*sqlite3.SQLiteConn), stmts: map[string]*cachedStmt{}}, nil
}

type cachingConn struct {
	*sqlite3.SQLiteConn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	*sqlite3.SQLiteStmt
	busy bool // its rows are open
}

// cacheable reports whether query is one statement: the driver runs the
// statements after a semicolon itself, and only when not prepared.
func cacheable(query string) bool {
	return !strings.Contains(strings.TrimRight(query, "; \t\r\n"), ";")
}

// stmt returns the connection's statement for query, marked busy, or nil
// when the driver should run the query itself: more than one statement, an
// argument count the statement does not take (the driver reports that), a
// statement in use, or one that failed to prepare (the driver reports that
// too).
func (c *cachingConn) stmt(ctx context.Context, query string, args int) *cachedStmt {
	if !cacheable(query) {
		return nil
	}
	s := c.stmts[query]
	if s == nil {
		if len(c.stmts) >= maxCachedStmts {
			c.evictIdle()
			if len(c.stmts) >= maxCachedStmts {
				return nil
			}
		}
		ds, err := c.SQLiteConn.PrepareContext(ctx, query)
		if err != nil {
			return nil
		}
		s = &cachedStmt{SQLiteStmt: ds.(*sqlite3.SQLiteStmt)}
		c.stmts[query] = s
	}
	if s.busy || s.NumInput() != args {
		return nil
	}
	s.busy = true
	return s
}

func (c *cachingConn) evictIdle() {
	for q, s := range c.stmts {
		if !s.busy {
			s.SQLiteStmt.Close()
			delete(c.stmts, q)
		}
	}
}

// execCached reports whether Exec may run query from the cache: a write or
// a savepoint that returns no rows. The driver steps an executed statement
// once and leaves it there; a statement that had a row to give would stay
// open, and with it its transaction.
func execCached(query string) bool {
	q := strings.ToUpper(strings.TrimSpace(query))
	if strings.Contains(q, "RETURNING") {
		return false
	}
	for _, verb := range []string{"INSERT ", "UPDATE ", "DELETE ", "REPLACE ", "SAVEPOINT ", "RELEASE ", "ROLLBACK TO "} {
		if strings.HasPrefix(q, verb) {
			return true
		}
	}
	return false
}

// ExecContext runs a cached statement only when execCached allows it.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	var s *cachedStmt
	if execCached(query) {
		s = c.stmt(ctx, query, len(args))
	}
	if s == nil {
		return c.SQLiteConn.ExecContext(ctx, query, args)
	}
	defer func() { s.busy = false }()
	return s.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	s := c.stmt(ctx, query, len(args))
	if s == nil {
		return c.SQLiteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.QueryContext(ctx, args)
	if err != nil {
		s.busy = false
		return nil, err
	}
	return &cachedRows{SQLiteRows: rows.(*sqlite3.SQLiteRows), s: s}, nil
}

func (c *cachingConn) Close() error {
	for q, s := range c.stmts {
		s.SQLiteStmt.Close()
		delete(c.stmts, q)
	}
	return c.SQLiteConn.Close()
}

// cachedRows frees its statement for the next query when closed.
type cachedRows struct {
	*sqlite3.SQLiteRows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.SQLiteRows.Close()
	r.s.busy = false
	return err
}

// BeginTx begins without the request's context too; see sqliteDriver.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.SQLiteConn.BeginTx(context.WithoutCancel(ctx), opts)
}
