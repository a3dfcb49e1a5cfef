package workflow

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// The statements every command on a task runs (read it under the write
// lock, update it, chain its event, file a report) are written here by
// hand: through gorm they spent more time in reflection than SQLite spent
// doing them, on SQLite's one writer, which every command waits for.

// taskRowColumns are a task's columns, in taskScan.dest's order.
const taskRowColumns = "id, directive_id, agency_code, role, status, due_on, original_due_on, assigned_on, reported_on, completed_on, " +
	"percent, last_report_at, next_remind_on, version, created_at, updated_at, " +
	"last_report_id, reminders_sent, escalations, last_reminder_rule, last_reminder_on, urges, last_urge_at"

// selectTaskColumns is taskRowColumns as a select list for the database
// in use, each column qualified by prefix ("t." or ""), the DATE columns
// read through DateText.
func (s *Service) selectTaskColumns(prefix string) string {
	cols := strings.Split(taskRowColumns, ", ")
	for i, c := range cols {
		if strings.HasSuffix(c, "_on") {
			cols[i] = s.db.DateText(prefix + c)
		} else {
			cols[i] = prefix + c
		}
	}
	return strings.Join(cols, ", ")
}

// taskScan holds a task's nullable columns while its row is scanned.
type taskScan struct {
	lastReportAt, lastUrgeAt sql.NullTime
	lastReportID             sql.NullInt64
}

// dest is where rows.Scan puts taskRowColumns.
func (sc *taskScan) dest(t *models.Task) []any {
	return []any{&t.ID, &t.DirectiveID, &t.AgencyCode, &t.Role, &t.Status, &t.DueOn, &t.OriginalDueOn, &t.AssignedOn,
		&t.ReportedOn, &t.CompletedOn, &t.Percent, &sc.lastReportAt, &t.NextRemindOn, &t.Version, &t.CreatedAt, &t.UpdatedAt,
		&sc.lastReportID, &t.RemindersSent, &t.Escalations, &t.LastReminderRule, &t.LastReminderOn, &t.Urges, &sc.lastUrgeAt}
}

// finish moves the nullable columns into t.
func (sc *taskScan) finish(t *models.Task) {
	t.LastReportAt, t.LastUrgeAt, t.LastReportID = nil, nil, nil
	if sc.lastReportAt.Valid {
		at := sc.lastReportAt.Time
		t.LastReportAt = &at
	}
	if sc.lastUrgeAt.Valid {
		at := sc.lastUrgeAt.Time
		t.LastUrgeAt = &at
	}
	if sc.lastReportID.Valid {
		id := sc.lastReportID.Int64
		t.LastReportID = &id
	}
}

// lockTask reads a task for change inside tx, checking that the actor may
// see it and, when ifMatch is set, that the caller saw its current version.
// On PostgreSQL the row stays locked until tx ends; on SQLite the write
// transaction holds the database's one write lock from its start.
func (s *Service) lockTask(tx *gorm.DB, actor Actor, id int64, ifMatch *int) (models.Task, error) {
	q := "SELECT " + s.cols.row + " FROM tasks WHERE id = ?"
	if s.db.Dialect == storage.Postgres {
		q += " FOR UPDATE"
	}
	rows, err := s.db.Query(tx.Statement.Context, tx, q, id)
	if err != nil {
		return models.Task{}, err
	}
	var t models.Task
	var sc taskScan
	found := false
	err = storage.EachRow(rows, func() error {
		found = true
		return rows.Scan(sc.dest(&t)...)
	})
	if err != nil {
		return models.Task{}, err
	}
	sc.finish(&t)
	if !found || !actor.CanSeeAgency(t.AgencyCode) {
		return models.Task{}, NotFound("task")
	}
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
func (s *Service) saveTask(tx *gorm.DB, before models.Task, t *models.Task, now time.Time, replan bool) error {
	if replan {
		t.NextRemindOn = civil.Date{}
		if Status(t.Status).CanBeOverdue() {
			t.NextRemindOn = civil.DateOf(now.In(Location))
		}
	}
	var set strings.Builder
	set.WriteString("UPDATE tasks SET version = ?, updated_at = ?")
	args := []any{t.Version + 1, now}
	changed := func(column string, differs bool, v any) {
		if differs {
			set.WriteString(", " + column + " = ?")
			args = append(args, v)
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
	changed("last_report_id", !sameID(t.LastReportID, before.LastReportID), t.LastReportID)
	changed("next_remind_on", t.NextRemindOn != before.NextRemindOn, t.NextRemindOn)
	set.WriteString(" WHERE id = ? AND version = ?")
	args = append(args, t.ID, t.Version)
	res, err := s.db.Exec(tx, set.String(), args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return err
		}
		return E(KindStale, "stale_version", "the task changed while it was being updated: read it again")
	}
	t.Version++
	t.UpdatedAt = now
	return nil
}

func sameID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func sameInstant(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

// insertDirective records a directive in tx and sets its id.
func (s *Service) insertDirective(tx *gorm.DB, d *models.Directive) error {
	id, err := s.db.InsertReturningID(tx, `INSERT INTO directives (document_id, content, field, priority, due_kind, due_on,
		due_in_working_days, due_period, reporting_period, agency_group, search_text, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.DocumentID, d.Content, d.Field, d.Priority, d.DueKind, d.DueOn, d.DueInWorkingDays, d.DuePeriod, d.ReportingPeriod,
		d.AgencyGroup, d.SearchText, d.CreatedBy, d.CreatedAt)
	d.ID = id
	return err
}

// insertTask records a new task in tx and sets its id. The summaries of
// migration 00007 start at their defaults.
func (s *Service) insertTask(tx *gorm.DB, t *models.Task) error {
	id, err := s.db.InsertReturningID(tx, `INSERT INTO tasks (directive_id, agency_code, role, status, due_on, original_due_on,
		assigned_on, reported_on, completed_on, percent, next_remind_on, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.DirectiveID, t.AgencyCode, t.Role, t.Status, t.DueOn, t.OriginalDueOn, t.AssignedOn, t.ReportedOn, t.CompletedOn,
		t.Percent, t.NextRemindOn, t.Version, t.CreatedAt, t.UpdatedAt)
	t.ID = id
	return err
}

// insertReport files a report in tx and sets its id.
func (s *Service) insertReport(tx *gorm.DB, r *models.Report) error {
	id, err := s.db.InsertReturningID(tx, "INSERT INTO reports (task_id, kind, body, percent, author, author_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		r.TaskID, r.Kind, r.Body, r.Percent, r.Author, r.AuthorID, r.At)
	r.ID = id
	return err
}

// appendEvent writes the next event of a task's history, in the caller's
// transaction. It reads the head of the task's chain under the transaction's
// lock on the task row (taken by the caller), so two writers never chain to
// the same predecessor; (task_id, seq) is unique besides.
func (s *Service) appendEvent(tx *gorm.DB, e models.Event) (models.Event, error) {
	rows, err := s.db.Query(tx.Statement.Context, tx, "SELECT seq, hash FROM events WHERE task_id = ? ORDER BY seq DESC LIMIT 1", e.TaskID)
	if err != nil {
		return e, err
	}
	var seq int
	var prev string
	if err := storage.EachRow(rows, func() error { return rows.Scan(&seq, &prev) }); err != nil {
		return e, err
	}
	e.Seq = seq + 1
	e.PrevHash = prev
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Hash = EventHash(e)
	e.ID, err = s.db.InsertReturningID(tx, `INSERT INTO events (task_id, seq, action, from_status, to_status, actor, actor_role, at, comment, data, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.TaskID, e.Seq, e.Action, e.FromStatus, e.ToStatus, e.Actor, e.ActorRole, e.At, e.Comment, e.Data, e.PrevHash, e.Hash)
	if err != nil {
		return e, fmt.Errorf("append event: %w", err)
	}
	return e, nil
}
