package storage

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ObserveSQL calls f with each statement the database runs from now on,
// with its arguments: those of the query runner before they run, those of
// gorm after. The tests that check query plans see them so; nothing else
// needs it, so gorm's callbacks are registered only on the first call.
func (db *DB) ObserveSQL(f func(query string, args []any)) {
	db.observe.Store(&f)
	db.observeGorm.Do(func() {
		rec := func(tx *gorm.DB) {
			if tx.Error != nil || tx.Statement.SQL.Len() == 0 {
				return
			}
			db.observed(tx.Statement.SQL.String(), tx.Statement.Vars)
		}
		for _, g := range []*gorm.DB{db.W, db.R} {
			g.Callback().Query().After("gorm:query").Register("dondoc:observe", rec)
			g.Callback().Row().After("gorm:row").Register("dondoc:observe", rec)
			g.Callback().Raw().After("gorm:raw").Register("dondoc:observe", rec)
		}
	})
}

func (db *DB) observed(q string, args []any) {
	if f := db.observe.Load(); f != nil {
		(*f)(q, args)
	}
}

// Explain returns the plan the database chooses for a statement as
// ObserveSQL saw it, one line per step: SQLite's EXPLAIN QUERY PLAN, or
// PostgreSQL's EXPLAIN with sequential scans priced out (in a small test
// database the planner would otherwise prefer them to any index), so that
// a plan that still scans a whole table names a query no index serves.
func (db *DB) Explain(ctx context.Context, q string, args []any) (string, error) {
	sqlDB, err := db.R.DB()
	if err != nil {
		return "", err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	explain := "EXPLAIN QUERY PLAN " + q
	if db.Dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			return "", err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "RESET enable_seqscan")
		explain = "EXPLAIN " + strings.Replace(q, " FOR UPDATE SKIP LOCKED", "", 1)
	}
	rows, err := conn.QueryContext(ctx, explain, args...)
	if err != nil {
		return "", fmt.Errorf("explain %s: %w", q, err)
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return "", err
	}
	var b strings.Builder
	err = EachRow(rows, func() error {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintln(&b, vals[len(vals)-1])
		return nil
	})
	return b.String(), err
}
