package app_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestSQLiteIsDurableByDefault: with the default settings every pooled
// SQLite connection, the writer's and each reader's held at once, runs
// with synchronous=FULL (2), so that an acknowledged commit survives a
// power cut; DONDOC_SQLITE_SYNCHRONOUS=NORMAL (1) is the opt-in.
func TestSQLiteIsDurableByDefault(t *testing.T) {
	t.Parallel()
	for setting, want := range map[string]int{"": 2, "NORMAL": 1} {
		t.Run("DONDOC_SQLITE_SYNCHRONOUS="+setting, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.DataDir, cfg.AdminPassword, cfg.MaxDBConns = testdb.SQLite(t).DataDir, "Adm1n-Passw0rd!", 4
			if setting != "" {
				cfg.SQLiteSync = setting
			}
			ctx := context.Background()
			a, err := app.New(ctx, cfg, app.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			pools := map[string]int{"writer": 1, "readers": cfg.MaxDBConns}
			for name, n := range pools {
				g := a.DB.W
				if name == "readers" {
					g = a.DB.R
				}
				pool, err := g.DB()
				if err != nil {
					t.Fatal(err)
				}
				// Hold n connections at once, so that each is a different one.
				conns := make([]*sql.Conn, n)
				for i := range conns {
					if conns[i], err = pool.Conn(ctx); err != nil {
						t.Fatal(err)
					}
					defer conns[i].Close()
					var got int
					if err := conns[i].QueryRowContext(ctx, "PRAGMA synchronous").Scan(&got); err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("%s connection %d: synchronous = %d, want %d", name, i+1, got, want)
					}
				}
			}
		})
	}
}
