package workflow

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// TaskRole is an agency's part in a directive.
type TaskRole string

const (
	RoleLead        TaskRole = "lead"        // chủ trì
	RoleCoordinator TaskRole = "coordinator" // phối hợp
)

// TaskView is a task with what a reader needs around it: its directive, its
// document and its agency, read in one query.
type TaskView struct {
	models.Task
	DirectiveContent string
	DirectiveField   string
	DocumentID       int64
	DocumentNumber   string
	DocumentIssuedOn models.Date
	AgencyName       string
	AgencyShortName  string
}

// Overdue reports whether the task is overdue on today: from the first day
// after its effective due date while the agency still owes its work.
func (t TaskView) Overdue(today models.Date) bool {
	return Status(t.Status).CanBeOverdue() && !t.DueOn.IsZero() && today.After(t.DueOn)
}

// DaysOverdue is how many calendar days the task is overdue on today (0 if it is not).
func (t TaskView) DaysOverdue(today models.Date) int {
	if !t.Overdue(today) {
		return 0
	}
	return t.DueOn.DaysUntil(today)
}

// taskViews selects TaskViews: the task joined to its directive, document
// and agency.
func taskViews(db *gorm.DB) *gorm.DB {
	return db.Table("tasks t").
		Select(`t.*, d.content AS directive_content, d.field AS directive_field,
			doc.id AS document_id, doc.number AS document_number, doc.issued_on AS document_issued_on,
			a.name AS agency_name, a.short_name AS agency_short_name`).
		Joins("JOIN directives d ON d.id = t.directive_id").
		Joins("JOIN documents doc ON doc.id = d.document_id").
		Joins("JOIN agencies a ON a.code = t.agency_code")
}

// Task returns one task, or ErrNotFound if it does not exist or the actor
// may not see it.
func (s *Service) Task(ctx context.Context, actor Actor, id int64) (TaskView, error) {
	return s.taskView(s.reader(ctx), actor, id)
}

func (s *Service) taskView(db *gorm.DB, actor Actor, id int64) (TaskView, error) {
	var views []TaskView
	if err := taskViews(db).Where("t.id = ?", id).Scan(&views).Error; err != nil {
		return TaskView{}, err
	}
	if len(views) == 0 || !actor.CanSeeAgency(views[0].AgencyCode) {
		return TaskView{}, NotFound("task")
	}
	return views[0], nil
}

// TaskFilter selects tasks (GET /tasks).
type TaskFilter struct {
	Agency      string
	Role        TaskRole
	Statuses    []Status
	Overdue     *bool
	DueBefore   models.Date // due strictly before
	DueAfter    models.Date // due strictly after
	DirectiveID int64
	DocumentID  int64
	Q           string // words of the directive, with or without diacritics
	Sort        string // one of TaskSorts
	Page        Page
}

// TaskSorts are the orders GET /tasks offers. Tasks without a due date come
// last in the due-date orders.
var TaskSorts = []string{"id", "-id", "due_on", "-due_on", "-days_overdue"}

// Tasks lists the tasks the actor may see that match f, one page at a time.
func (s *Service) Tasks(ctx context.Context, actor Actor, f TaskFilter) ([]TaskView, string, error) {
	if f.Sort == "" {
		f.Sort = "id"
	}
	cur, err := decodeCursor(f.Page.Cursor)
	if err != nil {
		return nil, "", err
	}
	if cur != nil && cur.Sort != f.Sort {
		return nil, "", &Error{Kind: KindInvalid, Code: "invalid_cursor", Message: "invalid cursor",
			Fields: []FieldError{{Field: "cursor", Message: "was made for another sort order"}}}
	}
	today := s.Today()
	limit := f.Page.limit()

	byDue := f.Sort != "id" && f.Sort != "-id"
	desc := strings.HasPrefix(f.Sort, "-") && f.Sort != "-days_overdue"
	dir := "ASC"
	cmp := ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	var out []TaskView
	if !byDue {
		q := s.taskFilter(ctx, actor, f, today)
		if cur != nil {
			q = q.Where("t.id "+cmp+" ?", cur.ID)
		}
		if err := q.Order("t.id " + dir).Limit(limit + 1).Scan(&out).Error; err != nil {
			return nil, "", err
		}
		out, next := trimPage(out, limit, func(t TaskView) cursor { return cursor{ID: t.ID, Sort: f.Sort} })
		return out, next, nil
	}

	// Due-date orders walk two phases, each an index range: the dated tasks
	// by (due_on, id), then the undated ones by id.
	phase := 0
	if cur != nil {
		phase = cur.Phase
	}
	if phase == 0 {
		q := s.taskFilter(ctx, actor, f, today).Where("t.due_on IS NOT NULL")
		if cur != nil {
			q = q.Where("(t.due_on, t.id) "+cmp+" (?, ?)", cur.Date, cur.ID)
		}
		if err := q.Order("t.due_on " + dir + ", t.id " + dir).Limit(limit + 1).Scan(&out).Error; err != nil {
			return nil, "", err
		}
		if len(out) > limit {
			out = out[:limit]
			last := out[limit-1]
			return out, encodeCursor(cursor{Date: last.DueOn, ID: last.ID, Sort: f.Sort}), nil
		}
		cur = nil
	}
	var undated []TaskView
	q := s.taskFilter(ctx, actor, f, today).Where("t.due_on IS NULL")
	if cur != nil {
		q = q.Where("t.id "+cmp+" ?", cur.ID)
	}
	rest := limit - len(out)
	if err := q.Order("t.id " + dir).Limit(rest + 1).Scan(&undated).Error; err != nil {
		return nil, "", err
	}
	next := ""
	if len(undated) > rest {
		undated = undated[:rest]
		if rest > 0 {
			next = encodeCursor(cursor{Phase: 1, ID: undated[rest-1].ID, Sort: f.Sort})
		} else {
			// The dated rows filled this page exactly; the undated ones follow.
			next = encodeCursor(cursor{Phase: 1, ID: idBefore(desc), Sort: f.Sort})
		}
	}
	return append(out, undated...), next, nil
}

// idBefore is a cursor id that comes before every id in the given order.
func idBefore(desc bool) int64 {
	if desc {
		return 1<<62 - 1
	}
	return 0
}

// taskFilter is the WHERE part of a task list, with the actor's scope.
func (s *Service) taskFilter(ctx context.Context, actor Actor, f TaskFilter, today models.Date) *gorm.DB {
	db := taskViews(s.reader(ctx))
	if !actor.SeesAllAgencies() {
		db = db.Where("t.agency_code = ?", actor.AgencyCode)
	}
	if f.Agency != "" {
		db = db.Where("t.agency_code = ?", f.Agency)
	}
	if f.Role != "" {
		db = db.Where("t.role = ?", string(f.Role))
	}
	switch {
	case sameStatuses(f.Statuses, OpenStatuses):
		// Literal, so that the partial index of open tasks serves it.
		db = db.Where("t.status IN ('assigned','in_progress','reported')")
	case len(f.Statuses) > 0:
		db = db.Where("t.status IN ?", statusStrings(f.Statuses))
	}
	if f.Overdue != nil {
		overdue := "t.status IN ('assigned','in_progress') AND t.due_on < ?"
		if *f.Overdue {
			db = db.Where(overdue, today)
		} else {
			db = db.Where("NOT ("+overdue+" AND t.due_on IS NOT NULL)", today)
		}
	}
	if !f.DueBefore.IsZero() {
		db = db.Where("t.due_on < ?", f.DueBefore)
	}
	if !f.DueAfter.IsZero() {
		db = db.Where("t.due_on > ?", f.DueAfter)
	}
	if f.DirectiveID != 0 {
		db = db.Where("t.directive_id = ?", f.DirectiveID)
	}
	if f.DocumentID != 0 {
		db = db.Where("d.document_id = ?", f.DocumentID)
	}
	if q := vntext.Fold(f.Q); q != "" {
		db = db.Where("d.search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(q)+"%")
	}
	return db
}

// sameStatuses reports whether a and b hold the same statuses (as sets).
func sameStatuses(a, b []Status) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	for _, s := range b {
		if !slices.Contains(a, s) {
			return false
		}
	}
	return true
}

func statusStrings(ss []Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// escapeLike makes user text match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Events returns a task's history in order.
func (s *Service) Events(ctx context.Context, actor Actor, taskID int64) ([]models.Event, error) {
	if _, err := s.Task(ctx, actor, taskID); err != nil {
		return nil, err
	}
	var evs []models.Event
	err := s.reader(ctx).Where("task_id = ?", taskID).Order("seq").Find(&evs).Error
	return evs, err
}

// lockTask reads a task for change inside tx, checking that the actor may
// see it and, when ifMatch is set, that the caller saw its current version.
func (s *Service) lockTask(tx *gorm.DB, actor Actor, id int64, ifMatch *int) (models.Task, error) {
	var tasks []models.Task
	if err := forUpdate(tx).Where("id = ?", id).Limit(1).Find(&tasks).Error; err != nil {
		return models.Task{}, err
	}
	if len(tasks) == 0 || !actor.CanSeeAgency(tasks[0].AgencyCode) {
		return models.Task{}, NotFound("task")
	}
	t := tasks[0]
	if ifMatch != nil && *ifMatch != t.Version {
		return t, E(KindStale, "stale_version", "the task has changed since you read it (your version %d, now %d): read it again", *ifMatch, t.Version)
	}
	return t, nil
}

// saveTask writes a changed task, guarded by the version it was read at, and
// bumps the version: the one way a task row changes. before is the task as
// read; only the columns that differ from it are written, since SQLite
// rewrites every index on a column an UPDATE sets, changed or not (a
// transition set nine, and rewrote the task's directive and assignment
// indexes for nothing). When replan is set (its status or due date changed)
// the next reminder scan looks at it again and plans its reminders anew: an
// extension starts a new series, a finished task gets nothing more.
func saveTask(tx *gorm.DB, before models.Task, t *models.Task, now time.Time, replan bool) error {
	if replan {
		t.NextRemindOn = models.Date{}
		if Status(t.Status).CanBeOverdue() {
			t.NextRemindOn = models.DateOf(now.In(Location))
		}
	}
	set := map[string]any{"version": t.Version + 1, "updated_at": now}
	changed := func(column string, differs bool, v any) {
		if differs {
			set[column] = v
		}
	}
	changed("status", t.Status != before.Status, t.Status)
	changed("agency_code", t.AgencyCode != before.AgencyCode, t.AgencyCode)
	changed("due_on", t.DueOn != before.DueOn, t.DueOn)
	changed("original_due_on", t.OriginalDueOn != before.OriginalDueOn, t.OriginalDueOn)
	changed("reported_on", t.ReportedOn != before.ReportedOn, t.ReportedOn)
	changed("completed_on", t.CompletedOn != before.CompletedOn, t.CompletedOn)
	changed("percent", t.Percent != before.Percent, t.Percent)
	changed("last_report_at", !sameInstant(t.LastReportAt, before.LastReportAt), t.LastReportAt)
	changed("next_remind_on", t.NextRemindOn != before.NextRemindOn, t.NextRemindOn)
	res := tx.Model(&models.Task{}).Where("id = ? AND version = ?", t.ID, t.Version).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return E(KindStale, "stale_version", "the task changed while it was being updated: read it again")
	}
	t.Version++
	t.UpdatedAt = now
	return nil
}

func sameInstant(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}
