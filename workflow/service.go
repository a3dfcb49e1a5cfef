package workflow

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage"
)

// Service applies the rules to the database: one transaction per command,
// in which the change, its event and its notifications are written together.
type Service struct {
	db       *storage.DB
	clock    Clock
	cal      *Calendars
	log      *slog.Logger
	policy   Policy
	outbox   *notify.Outbox
	base     string // where users reach dondoc, for links in messages
	replica  string // this process's name in scan runs
	stats    statsCache
	nav      navCache         // the secretariat's queue counts (web_counts.go)
	batch    *storage.Batcher // SQLite's group commit; nil on PostgreSQL
	refs     refs             // documents, directives and reports, which never change
	agencies agencyCache
	cols     taskCols
	files    FileOptions
	// notifyProgress tells the secretariat of each progress report.
	notifyProgress bool
}

// Options are a Service's settings beyond its database and calendar.
type Options struct {
	Clock  Clock
	Log    *slog.Logger
	Policy Policy
	// Outbox is where commands queue their notices; without one, a
	// private outbox that queues no e-mail.
	Outbox  *notify.Outbox
	BaseURL string
	// StatsMaxAge is how old live statistics may be when served again;
	// 0 counts them for every request.
	StatsMaxAge time.Duration
	// Replica names this process among replicas in the scan runs it
	// records (DONDOC_REPLICA).
	Replica string
	// Files sets the limits of uploads and where their text is read.
	Files FileOptions
	// NotifyProgress tells the secretariat of each progress report
	// (DONDOC_NOTIFY_PROGRESS); by default a progress report tells nobody.
	NotifyProgress bool
}

// New returns a Service over db.
func New(db *storage.DB, cal *Calendars, o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Policy.OverdueAfterDays == 0 {
		o.Policy = DefaultPolicy
	}
	if o.Outbox == nil {
		o.Outbox = notify.New(db, notify.Options{})
	}
	s := &Service{db: db, clock: o.Clock, cal: cal, log: o.Log, policy: o.Policy, outbox: o.Outbox, base: o.BaseURL,
		stats: statsCache{maxAge: o.StatsMaxAge}, replica: o.Replica, refs: newRefs(),
		files: o.Files.withDefaults(), notifyProgress: o.NotifyProgress}
	s.cols = s.newTaskCols()
	if db.Dialect == storage.SQLite {
		s.batch = storage.NewBatcher(db.W)
	}
	return s
}

// Close finishes the commands queued for the database. Commands may still
// be given after it; each then runs in a transaction of its own.
func (s *Service) Close() {
	if s.batch != nil {
		s.batch.Close()
	}
	if err := s.files.Extractor.Close(); err != nil {
		s.log.Warn("stop PDFium", "err", err)
	}
}

// Policy is the reminder policy in force.
func (s *Service) Policy() Policy { return s.policy }

// Clock returns the service's clock.
func (s *Service) Clock() Clock { return s.clock }

// Calendars returns the working calendar source.
func (s *Service) Calendars() *Calendars { return s.cal }

// Today is the current date in Asia/Ho_Chi_Minh.
func (s *Service) Today() civil.Date { return Today(s.clock) }

// inTx runs fn in one write transaction, then records the context's
// Idempotency-Key: on SQLite, in the savepoint the batcher gives it.
func (s *Service) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	command := func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.recordIdempotency(ctx, tx)
	}
	if s.batch != nil {
		return s.batch.Do(ctx, command)
	}
	return s.db.W.WithContext(ctx).Transaction(command)
}

// forUpdate locks the rows a query reads until the transaction ends. On
// SQLite the dialect drops the clause: there every write transaction begins
// IMMEDIATE and holds the one write lock from its start.
func forUpdate(tx *gorm.DB) *gorm.DB { return tx.Clauses(clause.Locking{Strength: "UPDATE"}) }

// reader returns the read pool, for queries outside a transaction.
func (s *Service) reader(ctx context.Context) *gorm.DB { return s.db.R.WithContext(ctx) }

// Ready reports whether the database answers and holds every migration
// this binary knows.
func (s *Service) Ready(ctx context.Context) error { return s.db.Ready(ctx) }
