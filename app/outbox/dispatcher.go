// Package outbox delivers the notifications that commands and the reminder
// scan queue in the database: e-mail over SMTP and signed webhooks, with
// retries, exponential backoff with jitter, a cap on attempts and a
// dead-letter state. Each delivery is claimed with a lease (FOR UPDATE SKIP
// LOCKED on PostgreSQL), so that several replicas share the work and a
// crashed replica's claims expire and are taken over.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// Sender delivers one notification on one channel.
type Sender interface {
	Send(ctx context.Context, n models.Notification) error
}

// Options configure a Dispatcher.
type Options struct {
	MaxAttempts int           // then the notification is dead
	Backoff     time.Duration // the wait before the first retry; doubled each attempt, ±50% jitter
	MaxBackoff  time.Duration
	Lease       time.Duration // how long a claim holds before another replica may take it over
	Replica     string        // this process's name, recorded with each claim
	Batch       int
	Poll        time.Duration // how often to look for due deliveries when not woken
	Workers     int
	Log         *slog.Logger
	Clock       workflow.Clock
	Registry    prometheus.Registerer
}

// Dispatcher delivers pending notifications.
type Dispatcher struct {
	db      *models.DB
	senders map[string]Sender
	o       Options
	wake    <-chan struct{}

	delivered *prometheus.CounterVec
}

// New returns a dispatcher for the senders by channel; wake, when it has a
// value, makes it look for work at once.
func New(db *models.DB, senders map[string]Sender, wake <-chan struct{}, o Options) *Dispatcher {
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff == 0 {
		o.Backoff = 30 * time.Second
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 6 * time.Hour
	}
	if o.Lease == 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Batch == 0 {
		o.Batch = 50
	}
	if o.Poll == 0 {
		o.Poll = 2 * time.Second
	}
	if o.Workers == 0 {
		o.Workers = 4
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = workflow.SystemClock{}
	}
	d := &Dispatcher{db: db, senders: senders, o: o, wake: wake,
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dondoc_notifications_delivered_total", Help: "Delivery attempts of notifications, by channel and outcome (sent, retry, dead).",
		}, []string{"channel", "outcome"})}
	if o.Registry != nil {
		o.Registry.MustRegister(d.delivered)
	}
	return d
}

// Run delivers until ctx ends; deliveries in progress finish first.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.o.Poll)
	defer t.Stop()
	for {
		n, err := d.DispatchOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.o.Log.Error("dispatch", "err", err)
		}
		if n > 0 && err == nil {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// DispatchOnce claims one batch of due deliveries and delivers it. It
// returns how many it claimed.
func (d *Dispatcher) DispatchOnce(ctx context.Context) (int, error) {
	batch, lease, err := d.claim(ctx)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	work := make(chan models.Notification)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range min(d.o.Workers, len(batch)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				if err := d.deliver(context.WithoutCancel(ctx), n, lease); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, n := range batch {
		work <- n
	}
	close(work)
	wg.Wait()
	return len(batch), errors.Join(errs...)
}

// claim takes a batch of due deliveries under a lease, in a transaction of
// its own so that the lease is visible to other replicas while this one
// delivers.
func (d *Dispatcher) claim(ctx context.Context) ([]models.Notification, time.Time, error) {
	now := d.o.Clock.Now()
	lease := now.Add(d.o.Lease)
	var batch []models.Notification
	err := d.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", workflow.NotificationPending, now, now).
			Order("next_attempt_at, id").Limit(d.o.Batch).
			Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).Find(&batch).Error
		if err != nil || len(batch) == 0 {
			return err
		}
		ids := make([]int64, len(batch))
		for i, n := range batch {
			ids[i] = n.ID
		}
		return tx.Model(&models.Notification{}).Where("id IN ?", ids).
			Updates(map[string]any{"claimed_until": lease, "claimed_by": d.o.Replica}).Error
	})
	return batch, lease, err
}

// deliver sends one notification and records the outcome, guarded by the
// lease: if the lease ran out and another replica took the delivery over,
// this replica's outcome is not written over it.
func (d *Dispatcher) deliver(ctx context.Context, n models.Notification, lease time.Time) error {
	sender, ok := d.senders[n.Channel]
	var sendErr error
	if !ok {
		sendErr = fmt.Errorf("no sender for channel %q (is it configured?)", n.Channel)
	} else {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		sendErr = sender.Send(sctx, n)
		cancel()
	}
	now := d.o.Clock.Now()
	attempts := n.Attempts + 1
	upd := map[string]any{"attempts": attempts, "claimed_until": nil}
	outcome := "sent"
	switch {
	case sendErr == nil:
		upd["status"], upd["sent_at"], upd["last_error"] = workflow.NotificationSent, now, ""
	case attempts >= d.o.MaxAttempts:
		outcome = "dead"
		upd["status"], upd["last_error"] = workflow.NotificationDead, truncateErr(sendErr)
	default:
		outcome = "retry"
		upd["last_error"], upd["next_attempt_at"] = truncateErr(sendErr), now.Add(d.Backoff(attempts))
	}
	d.delivered.WithLabelValues(n.Channel, outcome).Inc()
	if sendErr != nil {
		d.o.Log.Warn("delivery failed", "notification", n.ID, "channel", n.Channel, "attempt", attempts, "outcome", outcome, "err", sendErr)
	}
	return d.db.W.WithContext(ctx).Model(&models.Notification{}).
		Where("id = ? AND status = ? AND claimed_until = ?", n.ID, workflow.NotificationPending, lease).Updates(upd).Error
}

// Backoff is the wait after the given failed attempt: Backoff·2^(attempt-1),
// capped, then spread by ±50% so that deliveries that failed together do not
// retry together.
func (d *Dispatcher) Backoff(attempt int) time.Duration {
	b := d.o.Backoff << min(attempt-1, 30)
	if b > d.o.MaxBackoff || b <= 0 {
		b = d.o.MaxBackoff
	}
	return b/2 + time.Duration(rand.Int64N(int64(b)))
}

func truncateErr(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}
