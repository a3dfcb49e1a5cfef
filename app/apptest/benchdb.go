package apptest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/seed"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/storagetest"
)

// benchVersion changes whenever the generator's output would, so that
// cached benchmark databases are rebuilt.
const benchVersion = "2"

// BenchDB returns a data directory holding a SQLite database seeded with n
// tasks as of seed.BenchToday, for benchmarks. Seeding a million tasks takes a
// while, so the database is built once per machine, kept in the system's
// temporary directory under a name that changes with the schema and the
// generator, and copied for each caller.
func BenchDB(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	cfg := config.Default()
	cfg.DataDir = dir
	// The cache key: the generator's version, the size, and the migrations.
	h := sha256.New()
	fmt.Fprintf(h, "%s/%d/%s/%s", benchVersion, n, seed.BenchToday, storage.SchemaFingerprint(storage.SQLite))
	key := hex.EncodeToString(h.Sum(nil))[:16]
	cacheDir := filepath.Join(os.TempDir(), "dondoc-bench")
	cached := filepath.Join(cacheDir, fmt.Sprintf("tasks-%d-%s.db", n, key))
	if _, err := os.Stat(cached); err != nil {
		tb.Logf("seeding %d tasks into %s (once per machine)", n, cached)
		if err := buildBenchDB(cfg, n, cached); err != nil {
			tb.Fatal(err)
		}
	}
	if err := storagetest.CopyFile(cached, cfg.SQLitePath()); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// buildBenchDB seeds n tasks into a dondoc started on a fresh data
// directory, as a first start leaves it (migrations, catalog, calendar, the
// first admin), and keeps a copy of the file at dest.
func buildBenchDB(cfg config.Config, n int, dest string) error {
	ctx := context.Background()
	tmp := cfg.DataDir + "/build"
	cfg.DataDir = tmp
	cfg.AdminPassword = "Bench-Adm1n-Passw0rd"
	a, err := app.New(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	res, err := seed.Run(ctx, a.DB, a.Service.Calendars().Current(), a.Service.Policy(), seed.Options{Tasks: n, Today: seed.BenchToday, Seed: 1})
	if err == nil {
		err = a.DB.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	}
	a.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "seeded %d tasks, %d events in %s\n", res.Tasks, res.Events, res.Duration)
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	if err := storagetest.CopyFile(cfg.SQLitePath(), dest+".tmp"); err != nil {
		return err
	}
	return os.Rename(dest+".tmp", dest)
}
