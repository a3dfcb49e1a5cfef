package workflow

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
)

// A closed reporting period's figures must not shift afterwards
// (docs/DESIGN.md §6): when a reporting month closes, its counts are frozen in
// stats_snapshots, per role, agency and field, so that every filter of the
// statistics can be answered from them. Later changes to its tasks (a late
// completion, an extension, a cancellation) show in the live figures and in
// the periods that are still open, never in the frozen month.
//
// A month is frozen by the first statistics read after it closes, or by
// CloseReportingPeriods, which a scheduled job may call. Its categories are
// judged as of the month's last day (the 14th): a task reported or confirmed
// after that day counts as it stood on the 14th, whenever the snapshot is
// taken.
//
// A reporting quarter, half-year or year is frozen the same way and at the
// same moment as the month it ends with, as a snapshot of its own, judged on
// its own last day. It is not the sum of its months' snapshots: the
// Government Office's report for a period counts the tasks given in the
// period as they stand at the period's cut-off, so a task given in January
// and completed in February is completed in quarter I's figures, whereas
// January's snapshot, taken on 14 January, still has it in progress. Summing
// the months would report every task as it stood at the end of the month it
// was given in. The months' totals do add up to the quarter's, except for
// tasks cancelled between the two cut-offs, which the quarter no longer
// counts.
//
// stats_months is keyed by the period's key (Period.Reporting): "2026-03",
// "2026-Q1", "2026-H1" or "2026"; the four shapes cannot collide.

type statsMonthRow struct {
	Month      string
	PeriodFrom civil.Date
	PeriodTo   civil.Date
	TakenAt    time.Time
}

// CloseReportingPeriods freezes the last closed reporting month, and the
// quarter, half-year or year that end with it, if nobody has yet: the job
// that publishes a period's figures. It is idempotent, across replicas too
// (the period's key is the key of stats_months).
func (s *Service) CloseReportingPeriods(ctx context.Context) error {
	// Every statistics read comes here: one look at stats_months, the same
	// as when months alone were frozen, says whether there is work.
	periods := endingWith(ReportingMonthOf(s.Today()).Previous())
	keys := make([]string, len(periods))
	for i, p := range periods {
		keys[i] = p.Reporting
	}
	var frozen []string
	if err := s.reader(ctx).Table("stats_months").Where("month IN ?", keys).Pluck("month", &frozen).Error; err != nil {
		return err
	}
	for _, p := range periods {
		if slices.Contains(frozen, p.Reporting) {
			continue
		}
		if _, err := s.ensureSnapshot(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// ensureSnapshot returns the snapshot of reporting period p, taking it first
// if there is none.
func (s *Service) ensureSnapshot(ctx context.Context, p Period) (Snapshot, error) {
	var rows []statsMonthRow
	if err := s.reader(ctx).Table("stats_months").Where("month = ?", p.Reporting).Limit(1).Find(&rows).Error; err != nil {
		return Snapshot{}, err
	}
	if len(rows) > 0 {
		return Snapshot{Period: rows[0].Month, TakenAt: rows[0].TakenAt}, nil
	}
	snap := Snapshot{Period: p.Reporting, TakenAt: s.clock.Now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO stats_months (month, period_from, period_to, taken_at) VALUES (?, ?, ?, ?) ON CONFLICT (month) DO NOTHING`,
			p.Reporting, p.From, p.To, snap.TakenAt)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // another request or replica froze it first
			var row statsMonthRow
			err := tx.Table("stats_months").Where("month = ?", p.Reporting).Take(&row).Error
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
		return tx.Exec(q, append(append([]any{p.Reporting}, args...), p.From, p.To)...).Error
	})
	if err != nil {
		return Snapshot{}, err
	}
	s.log.Info("reporting period frozen", "period", p.Reporting)
	return snap, nil
}

const snapshotSums = `SUM(s.completed_on_time) AS completed_on_time, SUM(s.completed_late) AS completed_late,
	SUM(s.in_progress_on_time) AS in_progress_on_time, SUM(s.in_progress_overdue) AS in_progress_overdue,
	SUM(s.no_deadline) AS no_deadline, SUM(s.total) AS total`

// snapshotCounts answers a filter from a frozen reporting period.
func (s *Service) snapshotCounts(ctx context.Context, f StatsFilter) ([]AgencyCounts, error) {
	var b strings.Builder
	args := []any{f.Period.Reporting, f.roles()}
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
		closed = append(closed, snap.Period)
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
