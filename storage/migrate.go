package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

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
