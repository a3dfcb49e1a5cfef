package workflow

import (
	"cmp"
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// Category is where a task stands in the statistics: one of the Government
// Office's four categories (DeadlineCategories), or "no deadline", which
// the reports show apart (docs/DESIGN.md §6). Their Vietnamese names are in
// stats_labels.go.
type Category string

const (
	CategoryCompletedOnTime   Category = "completed_on_time"
	CategoryCompletedLate     Category = "completed_late"
	CategoryInProgressOnTime  Category = "in_progress_on_time"
	CategoryInProgressOverdue Category = "in_progress_overdue"
	CategoryNoDeadline        Category = "no_deadline"
)

// Categories lists the four categories, then "no deadline", in the order
// reports show them.
var Categories = []Category{CategoryCompletedOnTime, CategoryCompletedLate, CategoryInProgressOnTime, CategoryInProgressOverdue, CategoryNoDeadline}

// DeadlineCategories are the Government Office's four categories, of the
// tasks that have a deadline: completed on time or late, unfinished within
// the deadline or overdue.
var DeadlineCategories = []Category{CategoryCompletedOnTime, CategoryCompletedLate, CategoryInProgressOnTime, CategoryInProgressOverdue}

// CategoryOf is the category of a task as of a day; false for a cancelled
// task, which counts nowhere. categorySQL is the same rule in SQL.
//
//   - A task with no due date is "no deadline", whatever its status: there is
//     no deadline to be on time or late for.
//   - A completed task (confirmed by asOf) is on time when its completion
//     report came on or before the effective due date, late otherwise.
//   - A reported task (handed in by asOf, not yet confirmed) is in progress,
//     as the design says, and is judged by the day it was handed in: within
//     the deadline if reported on or before the due date, overdue if after.
//   - Any other open task is overdue from the first day after its due date.
//
// The dates make it possible to judge a task as of a past day: a task
// reported or confirmed after asOf is judged as it stood on asOf.
func CategoryOf(t models.Task, asOf civil.Date) (Category, bool) {
	if t.Status == string(StatusCancelled) {
		return "", false
	}
	if t.DueOn.IsZero() {
		return CategoryNoDeadline, true
	}
	reported := t.ReportedOn
	if reported.IsZero() {
		reported = t.CompletedOn
	}
	completed := t.CompletedOn
	if completed.IsZero() {
		completed = t.ReportedOn
	}
	switch {
	case t.Status == string(StatusCompleted) && !completed.After(asOf):
		if !reported.After(t.DueOn) {
			return CategoryCompletedOnTime, true
		}
		return CategoryCompletedLate, true
	case (t.Status == string(StatusReported) || t.Status == string(StatusCompleted)) && !t.ReportedOn.IsZero() && !t.ReportedOn.After(asOf):
		if !t.ReportedOn.After(t.DueOn) {
			return CategoryInProgressOnTime, true
		}
		return CategoryInProgressOverdue, true
	case asOf.After(t.DueOn):
		return CategoryInProgressOverdue, true
	}
	return CategoryInProgressOnTime, true
}

// categorySQL is CategoryOf over the tasks row t; its three placeholders
// all take asOf. It reads only columns of the tasks_stats index.
const categorySQL = `(CASE
	WHEN t.due_on IS NULL THEN 'no_deadline'
	WHEN t.status = 'completed' AND COALESCE(t.completed_on, t.reported_on) <= ? THEN
		CASE WHEN COALESCE(t.reported_on, t.completed_on) <= t.due_on THEN 'completed_on_time' ELSE 'completed_late' END
	WHEN t.status IN ('reported','completed') AND t.reported_on <= ? THEN
		CASE WHEN t.reported_on <= t.due_on THEN 'in_progress_on_time' ELSE 'in_progress_overdue' END
	WHEN t.due_on < ? THEN 'in_progress_overdue'
	ELSE 'in_progress_on_time' END)`

// countsSQL sums the categories of the rows of t, with the args it needs,
// as the columns done, in_progress_overdue, no_deadline and total of a
// grouped subquery that countsColumns (over it, as x) turns into the five
// counts.
//
// It is categorySQL taken apart for speed: over a million rows, evaluating
// the whole CASE once per category cost five times one evaluation. Here a
// row runs two CASEs: one for completed tasks that adds 1 when on time and
// 2^32 when late (the two counts share one BIGINT; each stays below 2^31),
// one for the overdue; "no deadline" and the total are cheap, and in
// progress within the deadline is what is left. The statistics tests check
// every category against CategoryOf's rule on both databases.
func countsSQL(asOf civil.Date) (string, []any) {
	const sums = `CAST(SUM(CASE WHEN t.due_on IS NOT NULL AND t.status = 'completed' AND COALESCE(t.completed_on, t.reported_on) <= ? THEN
			CASE WHEN COALESCE(t.reported_on, t.completed_on) <= t.due_on THEN 1 ELSE 4294967296 END
		ELSE 0 END) AS BIGINT) AS done,
	SUM(CASE WHEN t.due_on IS NULL THEN 0
		WHEN t.status = 'completed' AND COALESCE(t.completed_on, t.reported_on) <= ? THEN 0
		WHEN t.status IN ('reported','completed') AND t.reported_on <= ? THEN CASE WHEN t.reported_on > t.due_on THEN 1 ELSE 0 END
		WHEN t.due_on < ? THEN 1
		ELSE 0 END) AS in_progress_overdue,
	SUM(CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END) AS no_deadline,
	COUNT(*) AS total`
	return sums, []any{asOf, asOf, asOf, asOf}
}

// countsColumns are the five counts and the total, from countsSQL's
// columns in the subquery x.
const countsColumns = `CAST(x.done % 4294967296 AS BIGINT) AS completed_on_time,
	CAST(x.done / 4294967296 AS BIGINT) AS completed_late,
	CAST(x.total - x.no_deadline - x.in_progress_overdue - x.done % 4294967296 - x.done / 4294967296 AS BIGINT) AS in_progress_on_time,
	CAST(x.in_progress_overdue AS BIGINT) AS in_progress_overdue,
	CAST(x.no_deadline AS BIGINT) AS no_deadline,
	CAST(x.total AS BIGINT) AS total`

// Counts are the five categories' numbers and their total.
type Counts struct {
	CompletedOnTime   int
	CompletedLate     int
	InProgressOnTime  int
	InProgressOverdue int
	NoDeadline        int
	Total             int
}

// Of returns the count of one category.
func (c Counts) Of(cat Category) int {
	switch cat {
	case CategoryCompletedOnTime:
		return c.CompletedOnTime
	case CategoryCompletedLate:
		return c.CompletedLate
	case CategoryInProgressOnTime:
		return c.InProgressOnTime
	case CategoryInProgressOverdue:
		return c.InProgressOverdue
	case CategoryNoDeadline:
		return c.NoDeadline
	}
	return c.Total
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.CompletedOnTime += o.CompletedOnTime
	c.CompletedLate += o.CompletedLate
	c.InProgressOnTime += o.InProgressOnTime
	c.InProgressOverdue += o.InProgressOverdue
	c.NoDeadline += o.NoDeadline
	c.Total += o.Total
}

// AgencyCounts are one agency's counts.
type AgencyCounts struct {
	AgencyCode      string
	AgencyName      string
	AgencyShortName string
	AgencyKind      string
	Counts
}

// StatsRoles are the values of ?role= of the statistics: lead tasks by
// default (docs/DESIGN.md §6).
var StatsRoles = []string{"lead", "coordinator", "all"}

// StatsSorts are the orders of the statistics' items: "agency" is the order
// of official reports (ministries, ministerial agencies, government
// agencies, provinces, committees, others; by code within a kind).
var StatsSorts = []string{"agency", "agency_code", "total", "-total",
	"completed_on_time", "-completed_on_time", "completed_late", "-completed_late",
	"in_progress_on_time", "-in_progress_on_time", "in_progress_overdue", "-in_progress_overdue",
	"no_deadline", "-no_deadline"}

// StatsFilter selects what the statistics count.
type StatsFilter struct {
	Period Period
	Role   string // one of StatsRoles; "" is lead
	Field  string // the directive's field (lĩnh vực), exactly
	Kind   string // the agency's kind
	Agency string // one agency's code
	Sort   string // one of StatsSorts; "" is agency
}

func (f StatsFilter) roles() []string {
	switch f.Role {
	case "all":
		return []string{string(RoleLead), string(RoleCoordinator)}
	case "":
		return []string{string(RoleLead)}
	}
	return []string{f.Role}
}

// Snapshot says that figures come from a closed reporting period's snapshot.
type Snapshot struct {
	Period  string // the period's key, Period.Reporting
	TakenAt time.Time
}

// Stats are the statistics of a period.
type Stats struct {
	Filter   StatsFilter
	AsOf     civil.Date // the day the categories are judged on
	Items    []AgencyCounts
	Totals   Counts
	Snapshot *Snapshot // nil for live figures
	// ComputedAt is when live figures were counted: at most the service's
	// StatsMaxAge ago.
	ComputedAt time.Time
}

// checkStats validates a filter and the actor's right to read it: leaders,
// the secretariat and admins read every agency; an agency only its own.
func (s *Service) checkStats(actor Actor, f *StatsFilter) error {
	var bad Invalid
	if f.Role == "" {
		f.Role = string(RoleLead)
	}
	if !slices.Contains(StatsRoles, f.Role) {
		bad.AddValue("role", f.Role, "must be one of %v", StatsRoles)
	}
	if f.Sort == "" {
		f.Sort = "agency"
	}
	if !slices.Contains(StatsSorts, f.Sort) {
		bad.AddValue("sort", f.Sort, "must be one of %v", StatsSorts)
	}
	if f.Kind != "" && !catalog.Kind(f.Kind).Valid() {
		bad.AddValue("kind", f.Kind, "must be an agency kind")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	if actor.SeesAllAgencies() {
		return actor.Require(RoleLeader, RoleSecretariat, RoleAdmin)
	}
	if f.Agency == "" {
		return E(KindForbidden, "role_not_allowed", "the statistics of every agency are for leaders and the secretariat; an agency reads its own at /stats/agencies/%s/trend", actor.AgencyCode)
	}
	if f.Agency != actor.AgencyCode {
		return NotFound("agency")
	}
	return nil
}

// AgencyStats answers GET /stats/agencies: per agency and in total, the
// categories of the tasks whose document was issued in the period. A closed
// reporting period (month, quarter, half-year, year) is answered from its
// snapshot; anything else is live, judged on today.
func (s *Service) AgencyStats(ctx context.Context, actor Actor, f StatsFilter) (Stats, error) {
	if err := s.checkStats(actor, &f); err != nil {
		return Stats{}, err
	}
	today := s.Today()
	// The first statistics read after a month closes freezes that month,
	// and the quarter, half-year or year that ends with it.
	if err := s.CloseReportingPeriods(ctx); err != nil {
		return Stats{}, err
	}
	out := Stats{Filter: f, AsOf: today}
	var err error
	if f.Period.Reporting != "" && f.Period.Closed(today) {
		var snap Snapshot
		snap, err = s.ensureSnapshot(ctx, f.Period)
		if err != nil {
			return Stats{}, err
		}
		out.Snapshot, out.AsOf = &snap, f.Period.To
		out.Items, err = s.snapshotCounts(ctx, f)
	} else {
		out.Items, out.ComputedAt, err = s.cachedLiveCounts(ctx, f, today)
	}
	if err != nil {
		return Stats{}, err
	}
	for _, it := range out.Items {
		out.Totals.Add(it.Counts)
	}
	sortStats(out.Items, f.Sort)
	return out, nil
}

// liveCounts is the statistics' grouped query. It walks the agencies
// (CROSS JOIN keeps SQLite's planner to that order) and for each seeks the
// tasks_stats index by (agency, role, document date), which holds every
// column it reads: the grouping follows the agencies' order, with no sort
// and no visit of the table. Over the whole catalog, a million tasks keep
// one core busy for about a quarter of a second, so the agencies are split
// into contiguous ranges of codes counted at once on separate read
// connections, one per CPU (at most four).
func (s *Service) liveCounts(ctx context.Context, f StatsFilter, asOf civil.Date) ([]AgencyCounts, error) {
	parts := min(runtime.GOMAXPROCS(0), 4)
	if f.Agency != "" || f.Field != "" || parts < 2 {
		return s.liveCountsIn(ctx, f, asOf, "", "")
	}
	var codes []string
	if err := s.reader(ctx).Table("agencies").Order("code").Pluck("code", &codes).Error; err != nil {
		return nil, err
	}
	parts = min(parts, len(codes))
	results := make([][]AgencyCounts, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		// Range i is [from, to); "" leaves an end open.
		from, to := codes[i*len(codes)/parts], ""
		if i == 0 {
			from = ""
		}
		if i < parts-1 {
			to = codes[(i+1)*len(codes)/parts]
		}
		wg.Go(func() { results[i], errs[i] = s.liveCountsIn(ctx, f, asOf, from, to) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(results...), nil
}

// liveCountsIn counts the agencies whose codes are in [from, to).
func (s *Service) liveCountsIn(ctx context.Context, f StatsFilter, asOf civil.Date, from, to string) ([]AgencyCounts, error) {
	sums, args := countsSQL(asOf)
	// Over the whole catalog, a field's tasks are found from its directives:
	// walking the agencies would probe tasks_directive once per agency and
	// directive of the field (1.6 s at a million tasks, against 0.2 s).
	byField := f.Field != "" && f.Agency == ""
	join := ` FROM agencies a CROSS JOIN tasks t WHERE t.agency_code = a.code`
	if byField {
		join = ` FROM directives d CROSS JOIN tasks t CROSS JOIN agencies a WHERE d.field = ? AND t.directive_id = d.id AND t.agency_code = a.code`
		args = append(args, f.Field)
		f.Field = "" // said by the join
	}
	where, wargs := statsWhere(f)
	if from != "" {
		where += " AND a.code >= ?"
		wargs = append(wargs, from)
	}
	if to != "" {
		where += " AND a.code < ?"
		wargs = append(wargs, to)
	}
	q := `SELECT x.agency_code, x.agency_name, x.agency_short_name, x.agency_kind, ` + countsColumns + ` FROM (` +
		`SELECT a.code AS agency_code, MIN(a.name) AS agency_name, MIN(a.short_name) AS agency_short_name, MIN(a.kind) AS agency_kind, ` + sums +
		join + ` AND t.status <> 'cancelled'` + where +
		` GROUP BY a.code) x`
	var out []AgencyCounts
	err := s.reader(ctx).Raw(q, append(args, wargs...)...).Scan(&out).Error
	return out, err
}

// statsWhere is the filter's conditions on agencies a, tasks t.
func statsWhere(f StatsFilter) (string, []any) {
	var b strings.Builder
	args := []any{f.roles()}
	b.WriteString(" AND t.role IN ?")
	if !f.Period.From.IsZero() {
		b.WriteString(" AND t.assigned_on >= ?")
		args = append(args, f.Period.From)
	}
	if !f.Period.To.IsZero() {
		b.WriteString(" AND t.assigned_on <= ?")
		args = append(args, f.Period.To)
	}
	args = f.agencyClauses(&b, args)
	if f.Field != "" {
		b.WriteString(" AND t.directive_id IN (SELECT d.id FROM directives d WHERE d.field = ?)")
		args = append(args, f.Field)
	}
	return b.String(), args
}

// agencyClauses adds the filter's agency and agency kind to a query that
// joins agencies as a, and returns args with their values.
func (f StatsFilter) agencyClauses(b *strings.Builder, args []any) []any {
	if f.Agency != "" {
		b.WriteString(" AND a.code = ?")
		args = append(args, f.Agency)
	}
	if f.Kind != "" {
		b.WriteString(" AND a.kind = ?")
		args = append(args, f.Kind)
	}
	return args
}

func sortStats(items []AgencyCounts, sort string) {
	kindOrder := func(k string) int { return slices.Index(catalog.Kinds(), catalog.Kind(k)) }
	by := strings.TrimPrefix(sort, "-")
	desc := strings.HasPrefix(sort, "-")
	slices.SortStableFunc(items, func(a, b AgencyCounts) int {
		switch by {
		case "agency":
			return cmp.Or(cmp.Compare(kindOrder(a.AgencyKind), kindOrder(b.AgencyKind)), strings.Compare(a.AgencyCode, b.AgencyCode))
		case "agency_code":
			return strings.Compare(a.AgencyCode, b.AgencyCode)
		}
		c := cmp.Compare(a.Counts.Of(Category(by)), b.Counts.Of(Category(by)))
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.AgencyCode, b.AgencyCode))
	})
}

// StatsTasks calls fn with each task of one category under the filter,
// judged on asOf, by agency then id: the lists behind the numbers.
func (s *Service) StatsTasks(ctx context.Context, actor Actor, f StatsFilter, asOf civil.Date, cat Category, fn func(TaskView) error) error {
	if err := s.checkStats(actor, &f); err != nil {
		return err
	}
	where, wargs := statsWhere(f)
	const batch = 1000
	var lastCode string
	var lastID int64
	for {
		q := taskViews(s.reader(ctx)).
			Where("t.status <> 'cancelled' AND "+categorySQL+" = ?"+where, append([]any{asOf, asOf, asOf, string(cat)}, wargs...)...).
			Where("(t.agency_code, t.id) > (?, ?)", lastCode, lastID).
			Order("t.agency_code, t.id").Limit(batch)
		var page []TaskView
		if err := q.Scan(&page).Error; err != nil {
			return err
		}
		for _, t := range page {
			if err := fn(t); err != nil {
				return err
			}
		}
		if len(page) < batch {
			return nil
		}
		lastCode, lastID = page[len(page)-1].AgencyCode, page[len(page)-1].ID
	}
}
