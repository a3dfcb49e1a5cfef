package workflow

import (
	"context"
	"slices"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage"
)

// Documents, directives and reports are written once and never changed
// (migration 00007's triggers refuse an UPDATE), so what a task's reader
// shows of them is kept in memory, in every replica, with nothing to
// invalidate. Without it, every task read or list row joined two more
// tables at random places of the file: after any write, SQLite starts each
// reader's page cache afresh (WAL mode), so those were reads from the
// operating system, about as many as for the task row itself.
//
// Only what was read from the read pool is kept, that is, what was
// committed: a row read inside a write transaction may still be rolled
// back, and SQLite then gives its id to the next row inserted.

// directiveRef is what a task's view shows of its directive and document.
type directiveRef struct {
	Content, Field   string
	ReportingPeriod  string
	DocumentID       int64
	DocumentNumber   string
	DocumentIssuedOn civil.Date
}

// ReportSummary is a report as task lists show it: without its whole body.
type ReportSummary struct {
	ID      int64
	Kind    string
	At      time.Time
	Percent int
	Author  string
	Excerpt string // the body's first ExcerptLen characters
}

// ExcerptLen is how many characters of a report's body task lists show.
const ExcerptLen = 200

// refCacheSize bounds each cache: the directives of about a year of work,
// some 20 MB at most.
const refCacheSize = 1 << 16

type refs struct {
	directives *lru.Cache[int64, directiveRef]
	reports    *lru.Cache[int64, ReportSummary]
}

func newRefs() refs {
	d, err := lru.New[int64, directiveRef](refCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	r, err := lru.New[int64, ReportSummary](refCacheSize)
	if err != nil {
		panic(err)
	}
	return refs{directives: d, reports: r}
}

// fillDirectives sets the directive and document fields of views. db is the
// read pool, or a transaction (whose reads are not kept).
func (s *Service) fillDirectives(ctx context.Context, db *gorm.DB, views []TaskView) error {
	var missing []int64
	for i := range views {
		if r, ok := s.refs.directives.Get(views[i].DirectiveID); ok {
			views[i].setDirective(r)
		} else if !slices.Contains(missing, views[i].DirectiveID) {
			missing = append(missing, views[i].DirectiveID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	keep := db.Statement.ConnPool == s.db.R.Statement.ConnPool
	found := make(map[int64]directiveRef, len(missing))
	for chunk := range slices.Chunk(missing, 500) {
		rows, err := s.db.Query(ctx, db, `SELECT d.id, d.content, d.field, d.reporting_period, d.document_id, doc.number, `+s.db.DateText("doc.issued_on")+`
			FROM directives d JOIN documents doc ON doc.id = d.document_id WHERE d.id IN (`+storage.Placeholders(len(chunk))+`)`, storage.Anys(chunk)...)
		if err != nil {
			return err
		}
		err = storage.EachRow(rows, func() error {
			var id int64
			var r directiveRef
			if err := rows.Scan(&id, &r.Content, &r.Field, &r.ReportingPeriod, &r.DocumentID, &r.DocumentNumber, &r.DocumentIssuedOn); err != nil {
				return err
			}
			found[id] = r
			if keep {
				s.refs.directives.Add(id, r)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for i := range views {
		if r, ok := found[views[i].DirectiveID]; ok {
			views[i].setDirective(r)
		}
	}
	return nil
}

func (v *TaskView) setDirective(r directiveRef) {
	v.DirectiveContent, v.DirectiveField, v.DirectiveReportingPeriod = r.Content, r.Field, r.ReportingPeriod
	v.DocumentID, v.DocumentNumber, v.DocumentIssuedOn = r.DocumentID, r.DocumentNumber, r.DocumentIssuedOn
}

// reportSummaries returns the summaries of the given reports, by id, from
// the read pool.
func (s *Service) reportSummaries(ctx context.Context, ids []int64) (map[int64]ReportSummary, error) {
	out := make(map[int64]ReportSummary, len(ids))
	var missing []int64
	for _, id := range ids {
		if r, ok := s.refs.reports.Get(id); ok {
			out[id] = r
		} else {
			missing = append(missing, id)
		}
	}
	for chunk := range slices.Chunk(missing, 500) {
		rows, err := s.db.Query(ctx, s.reader(ctx), `SELECT id, kind, at, percent, author, body FROM reports WHERE id IN (`+
			storage.Placeholders(len(chunk))+`)`, storage.Anys(chunk)...)
		if err != nil {
			return nil, err
		}
		err = storage.EachRow(rows, func() error {
			var r ReportSummary
			var body string
			if err := rows.Scan(&r.ID, &r.Kind, &r.At, &r.Percent, &r.Author, &body); err != nil {
				return err
			}
			r.At = r.At.UTC()
			r.Excerpt = Shorten(body, ExcerptLen)
			out[r.ID] = r
			s.refs.reports.Add(r.ID, r)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Shorten trims s and cuts it to at most n characters, marking the cut.
func Shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
