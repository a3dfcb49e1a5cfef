package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is dondoc's database: W for transactions and writes, R for reads.
//
// On SQLite, W is a single connection: SQLite allows one writer at a time,
// and queueing writers in Go (database/sql's pool) is faster and fairer than
// letting them spin on SQLite's busy handler. Every transaction on it begins
// IMMEDIATE, so a transaction that reads then writes cannot fail with
// "database is locked" half way. R is a pool of read-only connections that
// WAL lets run beside the writer. The writer does not checkpoint the WAL
// into the database file: a goroutine does, on a connection of its own, so
// that the copying and its fsyncs stay out of the writer's transactions.
//
// On PostgreSQL, W and R are separate pools of the same size, so that a
// transaction never waits for a connection that reads hold.
type DB struct {
	W, R    *gorm.DB
	Dialect string
	closers []*sql.DB
	stop    func() // stops the checkpointer

	rebound     sync.Map // statements rewritten for PostgreSQL's placeholders
	observe     atomic.Pointer[func(query string, args []any)]
	observeGorm sync.Once
}

// Options say where the database is and how to open it.
type Options struct {
	URL        string // postgres://…; empty for SQLite at SQLitePath
	SQLitePath string
	MaxConns   int
	// Synchronous is SQLite's synchronous pragma (default FULL). With WAL,
	// FULL syncs the log at every commit, so that an acknowledged commit
	// survives a power cut or an OS crash; NORMAL syncs it only at
	// checkpoints, so that it survives a killed process but may lose the
	// last commits to a power cut.
	Synchronous string
	Logger      *slog.Logger
}

// Open connects to the database and applies pending migrations.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.MaxConns < 2 {
		o.MaxConns = 2
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	var db *DB
	var err error
	if o.URL != "" {
		db, err = openPostgres(o)
	} else {
		db, err = openSQLite(o)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx, o); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func gormConfig(l *slog.Logger) *gorm.Config {
	// A fresh config per gorm.Open: gorm keeps per-connection state in it.
	return &gorm.Config{
		SkipDefaultTransaction: true, // transactions are explicit, one per command
		// Statements are prepared once per connection, not per request
		// (twice the reads a second), below gorm: by pgx's statement cache
		// on PostgreSQL and by sqliteDriver on SQLite. gorm's own cache
		// (PrepareStmt) prepares again in every transaction.
		TranslateError: true, // unique violations become gorm.ErrDuplicatedKey
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		Logger: quietDuplicates{logger.NewSlogLogger(l.With("component", "db"), logger.Config{
			SlowThreshold:             slowStatement,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true, // never log values: they may be personal data
		})},
	}
}

// quietDuplicates drops the log line of a statement that broke a unique
// constraint: dondoc relies on such constraints (once-only reminders,
// idempotency keys) and handles the error; it is not a fault. It also skips
// the statements that would not be logged before gorm's logger sees them:
// that logger renders every statement's SQL first and decides afterwards.
type quietDuplicates struct{ logger.Interface }

func (q quietDuplicates) LogMode(l logger.LogLevel) logger.Interface {
	return quietDuplicates{q.Interface.LogMode(l)}
}

func (q quietDuplicates) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrRecordNotFound) {
		err = nil
	}
	if err == nil && time.Since(begin) < slowStatement {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// ParamsFilter keeps values out of the SQL that gorm logs: they may be
// personal data. (gorm asks the logger it was given, this wrapper, whether
// it filters; the wrapped logger's own setting is not seen through it.)
func (q quietDuplicates) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// slowStatement is how long a statement may take before it is logged.
const slowStatement = 500 * time.Millisecond

func sqliteDSN(path string, o Options, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", strings.ToUpper(o.Synchronous))
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(o Options) (*DB, error) {
	if o.Synchronous == "" {
		o.Synchronous = "FULL"
	}
	if dir := filepath.Dir(o.SQLitePath); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	w, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteDriver, DSN: sqliteDSN(o.SQLitePath, o, false) + "&_cache_size=" + writerCache}), gormConfig(o.Logger))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", o.SQLitePath, err)
	}
	wsql, _ := w.DB()
	wsql.SetMaxOpenConns(1)
	wsql.SetMaxIdleConns(1)
	wsql.SetConnMaxLifetime(0)
	// The first connection turns WAL on before any reader opens the file.
	if err := wsql.Ping(); err != nil {
		wsql.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.SQLitePath, err)
	}
	if err := w.Exec(fmt.Sprintf("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = %d", walSizeLimit)).Error; err != nil {
		wsql.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.SQLitePath, err)
	}
	r, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteDriver, DSN: sqliteDSN(o.SQLitePath, o, true)}), gormConfig(o.Logger))
	if err != nil {
		wsql.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.SQLitePath, err)
	}
	rsql, _ := r.DB()
	rsql.SetMaxOpenConns(o.MaxConns)
	rsql.SetMaxIdleConns(o.MaxConns)
	csql, err := sql.Open(sqliteDriver, sqliteDSN(o.SQLitePath, o, false))
	if err != nil {
		wsql.Close()
		rsql.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.SQLitePath, err)
	}
	csql.SetMaxOpenConns(1)
	db := &DB{W: w, R: r, Dialect: SQLite, closers: []*sql.DB{wsql, rsql, csql}}
	db.stop = checkpointer(csql, o.SQLitePath, o.Logger)
	return db, nil
}

// writerCache is the writer's page cache, in KiB (SQLite reads -N as N
// KiB). Its transactions touch a task, its indexes and the ends of the event
// and report tables; a cache that keeps those saves reading them again from
// the operating system in every transaction. Readers keep SQLite's default
// (2 MiB each): there are up to MaxConns of them, and their memory adds up.
const writerCache = "-32768"

func openPostgres(o Options) (*DB, error) {
	// Two pools, as on SQLite: a transaction holds a writer connection and
	// may read through the read pool meanwhile. With one shared pool,
	// enough concurrent transactions each waiting for a second connection
	// held every connection and waited for ever (seen under the load
	// harness at 64 connections).
	open := func() (*gorm.DB, *sql.DB, error) {
		g, err := gorm.Open(postgres.Open(o.URL), gormConfig(o.Logger))
		if err != nil {
			return nil, nil, fmt.Errorf("open postgres: %w", err)
		}
		s, _ := g.DB()
		s.SetMaxOpenConns(o.MaxConns)
		s.SetMaxIdleConns(o.MaxConns)
		s.SetConnMaxIdleTime(5 * time.Minute)
		if err := s.Ping(); err != nil {
			s.Close()
			return nil, nil, fmt.Errorf("open postgres: %w", err)
		}
		return g, s, nil
	}
	w, ws, err := open()
	if err != nil {
		return nil, err
	}
	r, rs, err := open()
	if err != nil {
		ws.Close()
		return nil, err
	}
	return &DB{W: w, R: r, Dialect: Postgres, closers: []*sql.DB{ws, rs}}, nil
}

// Close closes every pool.
func (db *DB) Close() error {
	if db.stop != nil {
		db.stop()
	}
	var errs []error
	for _, c := range db.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Ready reports whether the database answers and holds every migration this
// binary knows.
func (db *DB) Ready(ctx context.Context) error {
	var v sql.NullInt64
	err := db.R.WithContext(ctx).Raw("SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v).Error
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if latest := db.LatestMigration(); v.Int64 < latest {
		return fmt.Errorf("database schema is at version %d, this binary needs %d", v.Int64, latest)
	}
	return nil
}

// IsDuplicate reports whether err is a unique-constraint violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }
