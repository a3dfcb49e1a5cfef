package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

//go:embed migrations
var migrations embed.FS

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

// checkpointInterval is how often the WAL is copied into the database file.
const checkpointInterval = 500 * time.Millisecond

// walRestartFrames is the WAL's length, in pages, past which the
// checkpointer also asks for a RESTART, so that the writer can start the
// WAL again from its beginning. PASSIVE checkpoints alone never get that
// chance while reads run all the time: the WAL grew by a gigabyte in a
// 20-second load run. A RESTART holds the writer back while it copies what
// the last PASSIVE pass left and syncs the file, 20 to 600 ms under load,
// so it waits until the WAL is large; with the pauses of ordinary use the
// WAL restarts long before that.
const walRestartFrames = 131072 // 512 MiB of 4 KiB pages

// walSizeLimit is what the WAL file is cut back to when it restarts: the
// size it restarts at, so that the file keeps its blocks. Cut back further,
// it grew again through new blocks, which the file system allocates and
// zeroes on every write (a tenth of the writer's time).
const walSizeLimit = walRestartFrames * 4096

// checkpointer copies the WAL into the database file every
// checkpointInterval, in PASSIVE mode: beside the writer and the readers,
// never waiting for them. When the WAL has grown past walRestartFrames, it
// asks for a RESTART too, waiting at most 10 ms for the readers; if they
// are not done, the next tick tries again. It returns the function that
// stops it.
//
// After each pass that copied pages, it syncs the database file itself.
// SQLite syncs it only when a pass copies the whole WAL, which never
// happens while reads run all the time; the pages copied then stayed dirty
// in the operating system's cache, hundreds of megabytes of them, until the
// kernel wrote them all at once after 30 seconds (vm.dirty_expire_centisecs)
// and every request waited a quarter of a second for it.
func checkpointer(c *sql.DB, path string, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointInterval)
		defer t.Stop()
		var file *os.File // opened at the first pass, once the file surely exists
		defer func() {
			if file != nil {
				file.Close()
			}
		}()
		failed := false
		copied := -1
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			n, err := checkpoint(ctx, c)
			if err == nil && n != copied {
				copied = n
				if file == nil {
					file, err = os.Open(path)
				}
				if err == nil {
					err = file.Sync()
				}
			}
			if err != nil && ctx.Err() == nil && !failed && log != nil {
				log.Warn("sqlite: checkpoint failed; retrying", "err", err)
			}
			failed = err != nil
		}
	}()
	return func() { cancel(); <-done }
}

// checkpoint runs one pass and returns how many WAL frames have been copied
// into the database file since the WAL last started again.
func checkpoint(ctx context.Context, c *sql.DB) (int, error) {
	conn, err := c.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var busy, frames, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done); err != nil {
		return 0, err
	}
	if frames < walRestartFrames {
		return done, nil
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 10"); err != nil {
		return done, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = 10000")
	// SQLITE_BUSY is reported as the first column, not an error: the
	// readers were not done in time, and the next tick tries again.
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &done)
	return done, err
}

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

func (db *DB) migrationFS() fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+db.Dialect)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// migrate applies the embedded migrations.
func (db *DB) migrate(ctx context.Context, o Options) error {
	return db.migrateFS(ctx, o, db.migrationFS())
}

// migrateFS applies the migrations in fsys (the embedded ones; tests give
// others). It runs them on a connection of its own (goose may hold one
// connection while it opens another, which the one-connection SQLite writer
// could not give it); on PostgreSQL an advisory lock lets only one replica
// migrate at a time. Goose runs each migration in a transaction of its own,
// its version row included: one that fails half way, or a process killed
// during it, leaves the database at the version before, ready for a retry.
func (db *DB) migrateFS(ctx context.Context, o Options, fsys fs.FS) error {
	var conn *sql.DB
	var err error
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		conn, err = sql.Open("pgx", o.URL)
		locker, lerr := lock.NewPostgresSessionLocker()
		if lerr != nil {
			return lerr
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	} else {
		conn, err = sql.Open("sqlite3", sqliteDSN(o.SQLitePath, o, false))
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	p, err := goose.NewProvider(dialect, conn, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		o.Logger.Info("migration applied", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "duration", r.Duration)
	}
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}

// LatestMigration is the version of the newest embedded migration.
func (db *DB) LatestMigration() int64 {
	var latest int64
	entries, _ := fs.ReadDir(db.migrationFS(), ".")
	for _, e := range entries {
		var v int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil && v > latest {
			latest = v
		}
	}
	return latest
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

// SchemaFingerprint is a hash of the embedded migrations of a dialect: it
// changes whenever the schema does (caches of seeded databases use it).
func SchemaFingerprint(dialect string) string {
	h := sha256.New()
	entries, _ := fs.ReadDir(migrations, "migrations/"+dialect)
	for _, e := range entries {
		b, _ := fs.ReadFile(migrations, "migrations/"+dialect+"/"+e.Name())
		h.Write([]byte(e.Name()))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
