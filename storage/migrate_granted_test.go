package storage

import (
	"context"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/dondoc/dondoc/storage/testdb"
)

// migrationsBefore is the embedded migrations older than version v.
func migrationsBefore(t *testing.T, db *DB, v int64) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(db.migrationFS(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		var n int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &n); err != nil || n >= v {
			continue
		}
		b, err := fs.ReadFile(db.migrationFS(), e.Name())
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = &fstest.MapFile{Data: b}
	}
	return out
}

// TestGrantedDueOnMigration: migration 15 adds granted_due_on and fills it
// for requests approved before it, which granted the requested date; a
// pending or rejected request grants nothing.
func TestGrantedDueOnMigration(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		ctx := context.Background()
		db, o := openBare(t, tg)
		if err := db.migrateFS(ctx, o, migrationsBefore(t, db, 15)); err != nil {
			t.Fatalf("migrations before 15: %v", err)
		}
		for _, q := range []string{
			`INSERT INTO agencies (code, name, kind, updated_at) VALUES ('BYT', 'Bộ Y tế', 'ministry', '2026-03-02 09:00:00')`,
			`INSERT INTO users (id, username, password_hash, role, created_at, updated_at) VALUES (1, 'tk', 'x', 'secretariat', '2026-03-02 09:00:00', '2026-03-02 09:00:00')`,
			`INSERT INTO documents (id, number, kind, title, issued_on, created_by, created_at) VALUES (1, '1/TB-VPCP', 'conclusion_notice', 'Kết luận', '2026-02-25', 1, '2026-03-02 09:00:00')`,
			`INSERT INTO directives (id, document_id, content, due_kind, created_by, created_at) VALUES (1, 1, 'Nhiệm vụ', 'date', 1, '2026-03-02 09:00:00')`,
			`INSERT INTO tasks (id, directive_id, agency_code, role, status, due_on, assigned_on, created_at, updated_at) VALUES
			   (1, 1, 'BYT', 'lead', 'in_progress', '2026-04-30', '2026-02-25', '2026-03-02 09:00:00', '2026-03-02 09:00:00'),
			   (2, 1, 'BYT', 'lead', 'in_progress', '2026-03-31', '2026-02-25', '2026-03-02 09:00:00', '2026-03-02 09:00:00'),
			   (3, 1, 'BYT', 'lead', 'in_progress', '2026-03-31', '2026-02-25', '2026-03-02 09:00:00', '2026-03-02 09:00:00')`,
			`INSERT INTO extension_requests (id, task_id, requested_due_on, current_due_on, reason, status, requested_by, requested_at) VALUES
			   (1, 1, '2026-04-30', '2026-03-31', 'x', 'approved', 'byt', '2026-03-02 09:00:00'),
			   (2, 2, '2026-05-29', '2026-03-31', 'x', 'rejected', 'byt', '2026-03-02 09:00:00'),
			   (3, 3, '2026-06-30', '2026-03-31', 'x', 'pending', 'byt', '2026-03-02 09:00:00')`,
		} {
			if err := db.W.Exec(q).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := db.migrate(ctx, o); err != nil {
			t.Fatalf("migration 15: %v", err)
		}
		var rows []struct {
			ID      int64
			Granted *string
		}
		if err := db.R.Raw(`SELECT id, CAST(granted_due_on AS TEXT) AS granted FROM extension_requests ORDER BY id`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		got := map[int64]string{}
		for _, r := range rows {
			got[r.ID] = "NULL"
			if r.Granted != nil {
				got[r.ID] = *r.Granted
			}
		}
		want := map[int64]string{1: "2026-04-30", 2: "NULL", 3: "NULL"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("granted_due_on after the migration: %v, want %v", got, want)
		}
	})
}
