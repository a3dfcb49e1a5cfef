package workflow

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
)

// Service applies the rules to the database: one transaction per command,
// in which the change, its event and its notifications are written together.
type Service struct {
	db       *models.DB
	clock    Clock
	cal      *Calendars
	log      *slog.Logger
	policy   Policy
	email    bool   // queue e-mails (an SMTP server is configured)
	base     string // where users reach dondoc, for links in messages
	replica  string // this process's name in scan runs
	stats    statsCache
	batch    *batcher // SQLite's group commit; nil on PostgreSQL
	refs     refs     // documents, directives and reports, which never change
	agencies agencyCache
	cols     taskCols
	// rebound holds statements rewritten for PostgreSQL's placeholders.
	rebound sync.Map
	observe atomic.Pointer[func(query string, args []any)] // see ObserveSQL
	// Wake is signalled (without blocking) after a transaction queued
	// deliveries, so that the dispatcher need not wait for its next poll.
	Wake chan struct{}
}

// Options are a Service's settings beyond its database and calendar.
type Options struct {
	Clock   Clock
	Log     *slog.Logger
	Policy  Policy
	Email   bool
	BaseURL string
	// StatsMaxAge is how old live statistics may be when served again;
	// 0 counts them for every request.
	StatsMaxAge time.Duration
	// Replica names this process among replicas in the scan runs it
	// records (DONDOC_REPLICA).
	Replica string
}

// New returns a Service over db.
func New(db *models.DB, cal *Calendars, o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Policy.OverdueAfterDays == 0 {
		o.Policy = DefaultPolicy
	}
	s := &Service{db: db, clock: o.Clock, cal: cal, log: o.Log, policy: o.Policy, email: o.Email, base: o.BaseURL,
		stats: statsCache{maxAge: o.StatsMaxAge}, replica: o.Replica, refs: newRefs(), Wake: make(chan struct{}, 1)}
	s.cols = s.newTaskCols()
	if db.Dialect == models.SQLite {
		s.batch = newBatcher(db.W)
	}
	return s
}

// Close finishes the commands queued for the database. Commands may still
// be given after it; each then runs in a transaction of its own.
func (s *Service) Close() {
	if s.batch != nil {
		s.batch.close()
	}
}

// Policy is the reminder policy in force.
func (s *Service) Policy() Policy { return s.policy }

// DB returns the database the service works on.
func (s *Service) DB() *models.DB { return s.db }

// Clock returns the service's clock.
func (s *Service) Clock() Clock { return s.clock }

// Calendars returns the working calendar source.
func (s *Service) Calendars() *Calendars { return s.cal }

// Today is the current date in Asia/Ho_Chi_Minh.
func (s *Service) Today() civil.Date { return Today(s.clock) }

// TxHook runs inside a command's transaction, after the command's own
// writes: it lets a caller add a write that must commit or roll back with
// the command (the API records idempotency keys this way).
type TxHook func(tx *gorm.DB) error

type txHooksKey struct{}

// WithTxHook returns a context whose next command runs hook in its transaction.
func WithTxHook(ctx context.Context, hook TxHook) context.Context {
	hooks, _ := ctx.Value(txHooksKey{}).([]TxHook)
	return context.WithValue(ctx, txHooksKey{}, append(append([]TxHook(nil), hooks...), hook))
}

// inTx runs fn in one write transaction, then the context's hooks: on
// SQLite, in the savepoint the batcher gives it.
func (s *Service) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	withHooks := func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		hooks, _ := ctx.Value(txHooksKey{}).([]TxHook)
		for _, h := range hooks {
			if err := h(tx); err != nil {
				return err
			}
		}
		return nil
	}
	if s.batch != nil {
		return s.batch.do(ctx, withHooks)
	}
	return s.db.W.WithContext(ctx).Transaction(withHooks)
}

// forUpdate locks the rows a query reads until the transaction ends. On
// SQLite the dialect drops the clause: there every write transaction begins
// IMMEDIATE and holds the one write lock from its start.
func forUpdate(tx *gorm.DB) *gorm.DB { return tx.Clauses(clause.Locking{Strength: "UPDATE"}) }

// reader returns the read pool, for queries outside a transaction.
func (s *Service) reader(ctx context.Context) *gorm.DB { return s.db.R.WithContext(ctx) }
