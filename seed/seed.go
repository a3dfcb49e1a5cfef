// Package seed fills a database with a realistic body of work, fast: for
// the benchmarks and the load harness, and for trying dondoc at the scale of
// a whole government (dondoc seed --tasks N).
//
// The shape: documents issued over five years, each with several
// directives, each directive led by one agency with up to three
// coordinating; tasks in every state as time would have left them (old
// ones mostly completed, on time or late, a few cancelled, 5-10% overdue),
// each with its event history, hash-chained as the application writes it.
// Rows are written with multi-row INSERTs in large transactions, in batches
// that respect SQLite's limit on bound variables.
package seed

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// BenchToday is the day the benchmarks' and the load harness's data is
// as of.
var BenchToday = civil.MustDate("2026-11-23")

// Password is the seeded users' password: seed.thuky (secretariat),
// seed.lanhdao (leader), and seed.<agency code in lower case> (agency).
const Password = "Seed-Passw0rd!"

// Options shape the data.
type Options struct {
	Tasks int        // how many tasks, at least
	Today civil.Date // the day the data is as of
	Seed  uint64     // for a repeatable data set
	Years int        // documents are issued over this many years before Today (default 5)
}

// Result counts what was written.
type Result struct {
	Documents, Directives, Tasks, Events, Overdue int
	Duration                                      time.Duration
}

// Run writes the data. The agency catalog must be loaded already (app.New
// does it); users are added for each active agency (one officer each) if
// there are none yet, and one secretariat user who creates the documents.
func Run(ctx context.Context, db *storage.DB, cal *calendar.Calendar, policy workflow.Policy, o Options) (Result, error) {
	start := time.Now()
	if o.Years == 0 {
		o.Years = 5
	}
	if o.Today.IsZero() {
		o.Today = workflow.Today(workflow.SystemClock{})
	}
	sqlDB, err := db.W.DB()
	if err != nil {
		return Result{}, err
	}
	if db.Dialect == storage.SQLite {
		// Bulk loading: a large page cache keeps the indexes being built in
		// memory, and no fsync per transaction (a crash mid-seed loses only
		// sample data). The writer is a single connection, so the settings
		// apply to every statement below; they are put back at the end.
		var sync string
		if err := sqlDB.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
			return Result{}, err
		}
		for _, p := range []string{"PRAGMA cache_size = -524288", "PRAGMA synchronous = OFF"} {
			if _, err := sqlDB.ExecContext(ctx, p); err != nil {
				return Result{}, err
			}
		}
		defer sqlDB.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
		defer sqlDB.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = "+sync)
	}
	g := &gen{o: o, cal: cal, policy: policy, rnd: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), dialect: db.Dialect}
	if err := g.prepare(ctx, sqlDB); err != nil {
		return Result{}, err
	}
	// The batches hold millions of short-lived values; collecting less
	// often trades memory the seeder has for a third of its time.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	// Into empty tables, rows go faster without their indexes, which are
	// then built once from sorted data (SQLite; 1M tasks: 10 s less).
	var (
		indexes []string
		res     Result
	)
	if db.Dialect == storage.SQLite {
		indexes, err = dropIndexesIfEmpty(ctx, sqlDB)
	}
	if err == nil {
		res, err = g.write(ctx, sqlDB)
	}
	for _, ddl := range indexes { // even after an error: the schema stays whole
		if _, ierr := sqlDB.ExecContext(context.WithoutCancel(ctx), ddl); ierr != nil && err == nil {
			err = fmt.Errorf("seed: rebuild index: %w", ierr)
		}
	}
	if err == nil {
		_, err = sqlDB.ExecContext(ctx, "ANALYZE")
	}
	res.Duration = time.Since(start)
	return res, err
}

type gen struct {
	o       Options
	cal     *calendar.Calendar
	policy  workflow.Policy
	rnd     *rand.Rand
	dialect string

	agencies []agency // every agency, for choosing by date
	userID   int64
	nextID   map[string]int64
	folded   map[string]string
}

type agency struct {
	code     string
	from, to civil.Date
}

func (g *gen) prepare(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT code, valid_from, valid_to FROM agencies WHERE kind IN ('ministry','ministerial_agency','government_agency','province') ORDER BY code")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a agency
		if err := rows.Scan(&a.code, &a.from, &a.to); err != nil {
			return err
		}
		g.agencies = append(g.agencies, a)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(g.agencies) == 0 {
		return fmt.Errorf("seed: the agency catalog is empty")
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	// The secretariat user who records the documents, a leader, and one
	// officer per active agency so that reminders have someone to reach.
	// They all have the password Password.
	hash := workflow.HashPassword(Password)
	if _, err := db.ExecContext(ctx, insertIgnore(g.dialect, "users (username, password_hash, role, display_name, email, created_at, updated_at) VALUES ($1, $2, 'secretariat', 'Thư ký (dữ liệu mẫu)', '', $3, $3)", "username"),
		"seed.thuky", hash, now); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, insertIgnore(g.dialect, "users (username, password_hash, role, display_name, email, created_at, updated_at) VALUES ($1, $2, 'leader', 'Lãnh đạo (dữ liệu mẫu)', '', $3, $3)", "username"),
		"seed.lanhdao", hash, now); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, rebind(g.dialect, "SELECT id FROM users WHERE username = $1"), "seed.thuky").Scan(&g.userID); err != nil {
		return err
	}
	for _, a := range g.agencies {
		if !active(a, g.o.Today) {
			continue
		}
		name := "seed." + strings.ToLower(a.code)
		if _, err := db.ExecContext(ctx, insertIgnore(g.dialect, "users (username, password_hash, role, agency_code, display_name, email, created_at, updated_at) VALUES ($1, $2, 'agency', $3, $4, $5, $6, $6)", "username"),
			name, hash, a.code, "Cán bộ "+a.code, name+"@example.gov.vn", now); err != nil {
			return err
		}
	}
	g.nextID = map[string]int64{}
	for _, t := range []string{"documents", "directives", "tasks", "events"} {
		var max sql.NullInt64
		if err := db.QueryRowContext(ctx, "SELECT MAX(id) FROM "+t).Scan(&max); err != nil {
			return err
		}
		g.nextID[t] = max.Int64 + 1
	}
	return nil
}

func active(a agency, d civil.Date) bool {
	return (a.from.IsZero() || !d.Before(a.from)) && (a.to.IsZero() || !d.After(a.to))
}

// pick returns n distinct agencies active on both d and today (so that the
// data needs no handover), or on d alone when too few are.
func (g *gen) pick(d civil.Date, n int) []string {
	var out []string
	seen := map[string]bool{}
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		a := g.agencies[g.rnd.IntN(len(g.agencies))]
		if seen[a.code] || !active(a, d) || !active(a, g.o.Today) {
			continue
		}
		seen[a.code] = true
		out = append(out, a.code)
	}
	return out
}

func rebind(dialect, q string) string {
	if dialect == storage.Postgres {
		return q
	}
	for i := 9; i >= 1; i-- {
		q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), fmt.Sprintf("?%d", i))
	}
	return q
}

func insertIgnore(dialect, rest, conflict string) string {
	if dialect == storage.Postgres {
		return "INSERT INTO " + rest + " ON CONFLICT (" + conflict + ") DO NOTHING"
	}
	return rebind(dialect, "INSERT OR IGNORE INTO "+rest)
}

// bulkTables are the tables the seed fills in bulk.
var bulkTables = []string{"documents", "directives", "tasks", "events"}

// dropIndexesIfEmpty drops the secondary indexes of the bulk tables when
// they hold no rows yet, and returns the statements that build them again.
// Indexes that enforce a UNIQUE or PRIMARY KEY constraint are kept.
func dropIndexesIfEmpty(ctx context.Context, db *sql.DB) ([]string, error) {
	for _, t := range bulkTables {
		var any int
		err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+t+" LIMIT 1)").Scan(&any)
		if err != nil || any > 0 {
			return nil, err
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('documents','directives','tasks','events') AND sql NOT LIKE 'CREATE UNIQUE%'")
	if err != nil {
		return nil, err
	}
	var names, ddl []string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			rows.Close()
			return nil, err
		}
		names, ddl = append(names, name), append(ddl, sql)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, name := range names {
		if _, err := db.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return ddl[:i], err
		}
	}
	return ddl, nil
}
