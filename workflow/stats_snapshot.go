package workflow

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
)

// A closed reporting month's figures must not shift afterwards (DESIGN.md
// section 2): when a month closes, its counts are frozen in stats_snapshots,
// per role, agency and field, so that every filter of the statistics can be
// answered from them. Later changes to its tasks (a late completion, an
// extension, a cancellation) show in the live figures and in the periods
// that are still open, never in the frozen month.
//
// A month is frozen by the first statistics read after it closes, or by
// CloseReportingMonth, which a scheduled job may call. Its categories are
// judged as of the month's last day (the 14th): a task reported or confirmed
// after that day counts as it stood on the 14th, whenever the snapshot is
// taken.

type statsMonthRow struct {
	Month      string
	PeriodFrom civil.Date
	PeriodTo   civil.Date
	TakenAt    time.Time
}

// CloseReportingMonth freezes the last closed reporting month if nobody has
// yet: the job that publishes a month's figures. It is idempotent, across
// replicas too (the month is the key of stats_months).
func (s *Service) CloseReportingMonth(ctx context.Context) (Snapshot, error) {
	return s.ensureSnapshot(ctx, ReportingMonthOf(s.Today()).Previous())
}

// ensureSnapshot returns the snapshot of reporting month p, taking it first
// if there is none.
func (s *Service) ensureSnapshot(ctx context.Context, p Period) (Snapshot, error) {
	var rows []statsMonthRow
	if err := s.reader(ctx).Table("stats_months").Where("month = ?", p.Month).Limit(1).Find(&rows).Error; err != nil {
		return Snapshot{}, err
	}
	if len(rows) > 0 {
		return Snapshot{Month: rows[0].Month, TakenAt: rows[0].TakenAt}, nil
	}
	snap := Snapshot{Month: p.Month, TakenAt: s.clock.Now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO stats_months (month, period_from, period_to, taken_at) VALUES (?, ?, ?, ?) ON CONFLICT (month) DO NOTHING`,
			p.Month, p.From, p.To, snap.TakenAt)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // another request or replica froze it first
			var row statsMonthRow
			err := tx.Table("stats_months").Where("month = ?", p.Month).Take(&row).Error
			snap.TakenAt = row.TakenAt
			return err
		}
		sums, args := countsSQL(p.To)
		q := `INSERT INTO stats_snapshots (month, role, agency_code, field, completed_on_time, completed_late,
				in_progress_on_time, in_progress_overdue, no_deadline, total)
			SELECT CAST(? AS TEXT), x.role, x.agency_code, x.field, ` + countsColumns + ` FROM (
				SELECT t.role AS role, t.agency_code AS agency_code, d.field AS field, ` + sums + `
				FROM tasks t JOIN directives d ON d.id = t.directive_id
				WHERE t.status <> 'cancelled' AND t.assigned_on >= ? AND t.assigned_on <= ?
				GROUP BY t.role, t.agency_code, d.field) x`
		return tx.Exec(q, append(append([]any{p.Month}, args...), p.From, p.To)...).Error
	})
	if err != nil {
		return Snapshot{}, err
	}
	s.log.Info("reporting month frozen", "month", p.Month)
	return snap, nil
}

const snapshotSums = `SUM(s.completed_on_time) AS completed_on_time, SUM(s.completed_late) AS completed_late,
	SUM(s.in_progress_on_time) AS in_progress_on_time, SUM(s.in_progress_overdue) AS in_progress_overdue,
	SUM(s.no_deadline) AS no_deadline, SUM(s.total) AS total`

// snapshotCounts answers a filter from a frozen month.
func (s *Service) snapshotCounts(ctx context.Context, f StatsFilter) ([]AgencyCounts, error) {
	var b strings.Builder
	args := []any{f.Period.Month, f.roles()}
	b.WriteString(`SELECT a.code AS agency_code, a.name AS agency_name, a.short_name AS agency_short_name, a.kind AS agency_kind, ` + snapshotSums + `
		FROM stats_snapshots s JOIN agencies a ON a.code = s.agency_code
		WHERE s.month = ? AND s.role IN ?`)
	args = f.agencyClauses(&b, args)
	if f.Field != "" {
		b.WriteString(" AND s.field = ?")
		args = append(args, f.Field)
	}
	b.WriteString(" GROUP BY a.code")
	var out []AgencyCounts
	err := s.reader(ctx).Raw(b.String(), args...).Scan(&out).Error
	return out, err
}

// TrendPoint is one reporting month of an agency's trend.
type TrendPoint struct {
	Period   Period
	Counts   Counts
	Snapshot *Snapshot // nil for the month still open
}

// MaxTrendMonths bounds GET /stats/agencies/{code}/trend.
const MaxTrendMonths = 36

// Trend answers GET /stats/agencies/{code}/trend: one agency's counts in each
// of the last months reporting months, the oldest first and the current
// (open, live) one last. Closed months come from their snapshots.
func (s *Service) Trend(ctx context.Context, actor Actor, code string, months int, f StatsFilter) ([]TrendPoint, error) {
	if !actor.CanSeeAgency(code) {
		return nil, NotFound("agency")
	}
	if _, err := s.Agency(ctx, code); err != nil {
		return nil, err
	}
	f.Agency = code
	if err := s.checkStats(actor, &f); err != nil {
		return nil, err
	}
	if months < 1 || months > MaxTrendMonths {
		return nil, Invalid{{Field: "months", Message: "must be from 1 to 36", Value: months}}.Err()
	}
	today := s.Today()
	points := make([]TrendPoint, months)
	p := ReportingMonthOf(today)
	for i := months - 1; i >= 0; i-- {
		points[i].Period = p
		p = p.Previous()
	}
	var closed []string
	for i := range points {
		if !points[i].Period.Closed(today) {
			continue
		}
		snap, err := s.ensureSnapshot(ctx, points[i].Period)
		if err != nil {
			return nil, err
		}
		points[i].Snapshot = &snap
		closed = append(closed, snap.Month)
	}
	if len(closed) > 0 {
		q := `SELECT s.month AS month, ` + snapshotSums + ` FROM stats_snapshots s
			WHERE s.month IN ? AND s.agency_code = ? AND s.role IN ?`
		args := []any{closed, code, f.roles()}
		if f.Field != "" {
			q += " AND s.field = ?"
			args = append(args, f.Field)
		}
		var rows []struct {
			Month string
			Counts
		}
		if err := s.reader(ctx).Raw(q+" GROUP BY s.month", args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			for i := range points {
				if points[i].Period.Month == r.Month {
					points[i].Counts = r.Counts
				}
			}
		}
	}
	last := &points[len(points)-1]
	f.Period = last.Period
	live, err := s.liveCounts(ctx, f, today)
	if err != nil {
		return nil, err
	}
	for _, it := range live {
		last.Counts.Add(it.Counts)
	}
	return points, nil
}
