package workflow

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// TaskRole is an agency's part in a directive.
type TaskRole string

const (
	RoleLead        TaskRole = "lead"        // chủ trì
	RoleCoordinator TaskRole = "coordinator" // phối hợp
)

// RoleLabels are the Vietnamese names of an agency's part in a directive.
var RoleLabels = map[string]string{string(RoleLead): "Chủ trì", string(RoleCoordinator): "Phối hợp"}

// TaskView is a task with what a reader needs around it: its directive, its
// document and its agency, read in one query.
type TaskView struct {
	models.Task
	DirectiveContent string
	DirectiveField   string
	// DirectiveReportingPeriod is an ongoing directive's (monthly, …).
	DirectiveReportingPeriod string
	DocumentID               int64
	DocumentNumber           string
	DocumentIssuedOn         civil.Date
	AgencyName               string
	AgencyShortName          string
}

// Overdue reports whether the task is overdue on today: from the first day
// after its effective due date while the agency still owes its work.
func (t TaskView) Overdue(today civil.Date) bool {
	return Status(t.Status).CanBeOverdue() && !t.DueOn.IsZero() && today.After(t.DueOn)
}

// DaysOverdue is how many calendar days the task is overdue on today (0 if it is not).
func (t TaskView) DaysOverdue(today civil.Date) int {
	if !t.Overdue(today) {
		return 0
	}
	return t.DueOn.DaysUntil(today)
}

// taskViews selects TaskViews: the task joined to its directive, document
// and agency.
func taskViews(db *gorm.DB) *gorm.DB {
	return db.Table("tasks t").
		Select(`t.*, d.content AS directive_content, d.field AS directive_field, d.reporting_period AS directive_reporting_period,
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

// taskCols are the select lists of the hot paths, for the database in use:
// row is taskRowColumns, for lockTask; view is what a TaskView is read from,
// in scanTaskViews' order: the task row (as t) and its agency's names. The
// directive and document come from memory (fillDirectives).
type taskCols struct{ row, view string }

func (s *Service) newTaskCols() taskCols {
	return taskCols{row: s.selectTaskColumns(""), view: s.selectTaskColumns("t.") + ", a.name, a.short_name"}
}

// taskRows selects the view's columns, for the filters of a list to narrow.
func (s *Service) taskRows(db *gorm.DB) *gorm.DB {
	return db.Table("tasks t").Select(s.cols.view).Joins("JOIN agencies a ON a.code = t.agency_code")
}

// scanTaskViews reads the rows of a query of the view's columns and closes them.
// It scans by hand: gorm's reflection cost more than SQLite's work for a
// page of tasks.
func scanTaskViews(rows *sql.Rows, capacity int) ([]TaskView, error) {
	defer rows.Close()
	out := make([]TaskView, 0, capacity)
	var sc taskScan
	for rows.Next() {
		var v TaskView
		if err := rows.Scan(append(sc.dest(&v.Task), &v.AgencyName, &v.AgencyShortName)...); err != nil {
			return nil, err
		}
		sc.finish(&v.Task)
		out = append(out, v)
	}
	return out, rows.Err()
}

// taskView reads one task through db: the read pool, or the transaction
// of a command that answers with the task.
func (s *Service) taskView(db *gorm.DB, actor Actor, id int64) (TaskView, error) {
	views, err := s.taskViewsByID(db.Statement.Context, db, []int64{id})
	if err != nil {
		return TaskView{}, err
	}
	if len(views) == 0 || !actor.CanSeeAgency(views[0].AgencyCode) {
		return TaskView{}, NotFound("task")
	}
	return views[0], nil
}

// taskViewsByID reads the tasks of ids through db, in id order within
// each chunk of 500 (SQLite's limit on bound variables), with their
// directives and documents.
func (s *Service) taskViewsByID(ctx context.Context, db *gorm.DB, ids []int64) ([]TaskView, error) {
	out := make([]TaskView, 0, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		rows, err := s.db.Query(ctx, db, "SELECT "+s.cols.view+" FROM tasks t JOIN agencies a ON a.code = t.agency_code WHERE t.id IN ("+
			storage.Placeholders(len(chunk))+") ORDER BY t.id", storage.Anys(chunk)...)
		if err != nil {
			return nil, err
		}
		views, err := scanTaskViews(rows, len(chunk))
		if err != nil {
			return nil, err
		}
		out = append(out, views...)
	}
	return out, s.fillDirectives(ctx, db, out)
}

// page runs a list query of taskRows and completes its views.
func (s *Service) page(ctx context.Context, q *gorm.DB, limit int) ([]TaskView, error) {
	rows, err := q.Limit(limit).Rows()
	if err != nil {
		return nil, err
	}
	views, err := scanTaskViews(rows, limit)
	if err != nil {
		return nil, err
	}
	return views, s.fillDirectives(ctx, s.reader(ctx), views)
}

// TaskFilter selects tasks (GET /tasks).
type TaskFilter struct {
	Agency      string
	Role        TaskRole
	Statuses    []Status
	Overdue     *bool
	DueBefore   civil.Date // due strictly before
	DueAfter    civil.Date // due strictly after
	DirectiveID int64
	DocumentID  int64
	Field       string // the directive's field (lĩnh vực), exactly
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
	for _, st := range f.Statuses {
		if !st.Valid() {
			return nil, "", &Error{Kind: KindInvalid, Code: "invalid_input", Message: "invalid status",
				Fields: []FieldError{{Field: "status", Message: "is not a status of the state table: " + string(st)}}}
		}
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
		out, err := s.page(ctx, q.Order("t.id "+dir), limit+1)
		if err != nil {
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
		if out, err = s.page(ctx, q.Order("t.due_on "+dir+", t.id "+dir), limit+1); err != nil {
			return nil, "", err
		}
		if len(out) > limit {
			out = out[:limit]
			last := out[limit-1]
			return out, encodeCursor(cursor{Date: last.DueOn, ID: last.ID, Sort: f.Sort}), nil
		}
		cur = nil
	}
	q := s.taskFilter(ctx, actor, f, today).Where("t.due_on IS NULL")
	if cur != nil {
		q = q.Where("t.id "+cmp+" ?", cur.ID)
	}
	rest := limit - len(out)
	undated, err := s.page(ctx, q.Order("t.id "+dir), rest+1)
	if err != nil {
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
func (s *Service) taskFilter(ctx context.Context, actor Actor, f TaskFilter, today civil.Date) *gorm.DB {
	db := s.taskRows(s.reader(ctx))
	if f.DocumentID != 0 || f.Field != "" || vntext.Fold(f.Q) != "" {
		db = db.Joins("JOIN directives d ON d.id = t.directive_id")
	}
	if !actor.SeesAllAgencies() {
		db = db.Where("t.agency_code = ?", actor.AgencyCode)
	}
	if f.Agency != "" {
		db = db.Where("t.agency_code = ?", f.Agency)
	}
	if f.Role != "" {
		db = db.Where("t.role = ?", string(f.Role))
	}
	// Statuses are written as literals, and with them the condition of
	// each partial index that holds them all: SQLite uses a partial index
	// only for a query that states its condition as the index does.
	if len(f.Statuses) > 0 {
		if !sameStatuses(f.Statuses, OpenStatuses) {
			db = db.Where("t.status IN (" + quotedStatuses(f.Statuses) + ")")
		}
		for _, p := range partialStatusIndexes {
			if allIn(f.Statuses, p.statuses) {
				db = db.Where(p.condition)
			}
		}
	}
	if f.Overdue != nil {
		overdue := "t.status IN ('assigned','in_progress') AND t.due_on < ?"
		if *f.Overdue {
			db = db.Where(overdue, today)
			if !actor.SeesAllAgencies() || f.Agency != "" {
				db = db.Where(openCondition) // one agency's: tasks_agency_open_due
			}
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
	if f.Field != "" {
		db = db.Where("d.field = ?", f.Field)
	}
	if q := vntext.Fold(f.Q); q != "" {
		db = db.Where("d.search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(q)+"%")
	}
	return db
}

// sameStatuses reports whether a and b hold the same statuses (as sets).
func sameStatuses(a, b []Status) bool { return allIn(a, b) && allIn(b, a) }

// openCondition is the condition of the partial indexes of open tasks, as
// they state it.
const openCondition = "t.status IN ('assigned','in_progress','reported')"

// partialStatusIndexes are the conditions of the partial indexes on tasks
// by status (migrations 00006 and 00008), and the statuses each holds.
var partialStatusIndexes = []struct {
	condition string
	statuses  []Status
}{
	{openCondition, OpenStatuses}, // tasks_agency_open_due
	{"t.status IN ('assigned','in_progress')", []Status{StatusAssigned, StatusInProgress}},                    // tasks_open_due
	{"t.status <> 'in_progress'", []Status{StatusAssigned, StatusReported, StatusCompleted, StatusCancelled}}, // tasks_status_due
}

// quotedStatuses lists statuses as SQL literals. Only the statuses of the
// state table are written; Tasks refuses others before.
func quotedStatuses(ss []Status) string {
	var b strings.Builder
	for _, st := range ss {
		if !st.Valid() {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString("'" + string(st) + "'")
	}
	if b.Len() == 0 {
		return "NULL"
	}
	return b.String()
}

// allIn reports whether every status of a is in b.
func allIn(a, b []Status) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
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
