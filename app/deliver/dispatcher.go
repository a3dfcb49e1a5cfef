// Package deliver delivers the notifications that commands and the reminder
// scan queue in the database: e-mail over SMTP and signed webhooks, with
// retries, exponential backoff with jitter, a cap on attempts and a
// dead-letter state. Each delivery is claimed with a lease (FOR UPDATE SKIP
// LOCKED on PostgreSQL), so that several replicas share the work and a
// crashed replica's claims expire and are taken over.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
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
	Clock       Clock
	Registry    prometheus.Registerer
}

// Clock tells the time; workflow's clocks are ones.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Dispatcher delivers pending notifications.
type Dispatcher struct {
	outbox  *notify.Outbox
	senders map[string]Sender
	o       Options

	delivered *prometheus.CounterVec
}

// New returns a dispatcher of the outbox's deliveries to the senders by
// channel. It looks for work at once when the outbox is woken.
func New(outbox *notify.Outbox, senders map[string]Sender, o Options) *Dispatcher {
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
		o.Clock = systemClock{}
	}
	d := &Dispatcher{outbox: outbox, senders: senders, o: o,
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dondoc_notifications_delivered_total", Help: "Delivery attempts of notifications, by channel and outcome (sent, retry, dead).",
		}, []string{"channel", "outcome"})}
	if o.Registry != nil {
		o.Registry.MustRegister(d.delivered)
	}
	return d
}

// Run delivers until ctx ends; deliveries in progress finish first, and
// the senders' connections are closed.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.o.Poll)
	defer t.Stop()
	defer d.Close()
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
		case <-d.outbox.Woken():
		}
	}
}

// Close closes the connections the senders keep open. They may still
// send: they connect again.
func (d *Dispatcher) Close() error {
	var errs []error
	for _, s := range d.senders {
		if c, ok := s.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// DispatchOnce claims one batch of due deliveries and delivers it. It
// returns how many it claimed.
func (d *Dispatcher) DispatchOnce(ctx context.Context) (int, error) {
	batch, lease, err := d.claim(ctx)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	groups, err := d.group(ctx, batch, lease)
	if err != nil {
		return len(batch), err
	}
	work := make(chan []models.Notification)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range min(d.o.Workers, len(groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range work {
				if err := d.deliver(context.WithoutCancel(ctx), g, lease); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, g := range groups {
		work <- g
	}
	close(work)
	wg.Wait()
	return len(batch), errors.Join(errs...)
}

// claim takes a batch of due deliveries under a lease.
func (d *Dispatcher) claim(ctx context.Context) ([]models.Notification, time.Time, error) {
	now := d.o.Clock.Now()
	lease := now.Add(d.o.Lease)
	batch, err := d.outbox.Claim(ctx, now, lease, d.o.Batch, d.o.Replica)
	return batch, lease, err
}

// group makes the units of delivery of a batch: each notification alone,
// except e-mails when the outbox holds them for a digest: then a user's
// due e-mails go as one message, those the batch missed claimed with them.
func (d *Dispatcher) group(ctx context.Context, batch []models.Notification, lease time.Time) ([][]models.Notification, error) {
	var groups [][]models.Notification
	digest := map[string]int{} // recipient → its group
	for _, n := range batch {
		if n.Channel != notify.ChannelEmail || d.outbox.Digest() == 0 {
			groups = append(groups, []models.Notification{n})
			continue
		}
		i, ok := digest[n.Recipient]
		if !ok {
			i = len(groups)
			digest[n.Recipient] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], n)
	}
	now := d.o.Clock.Now()
	for recipient, i := range digest {
		more, err := d.outbox.ClaimRecipient(ctx, notify.ChannelEmail, recipient, now, lease, d.o.Replica)
		if err != nil {
			return nil, err
		}
		groups[i] = append(groups[i], more...)
	}
	return groups, nil
}

// deliver sends one notification, or a digest of several, and records the
// outcome of each, guarded by the lease: if the lease ran out and another
// replica took the delivery over, this replica's outcome is not written
// over it.
func (d *Dispatcher) deliver(ctx context.Context, g []models.Notification, lease time.Time) error {
	n := g[0]
	if len(g) > 1 {
		n = notify.DigestOf(g)
	}
	sender, ok := d.senders[n.Channel]
	var sendErr error
	if !ok {
		sendErr = fmt.Errorf("no sender for channel %q (is it configured?)", n.Channel)
	} else {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		sendErr = sender.Send(sctx, n)
		cancel()
	}
	var errs []error
	for _, n := range g {
		errs = append(errs, d.settle(ctx, n, lease, sendErr))
	}
	return errors.Join(errs...)
}

// settle records how one delivery went.
func (d *Dispatcher) settle(ctx context.Context, n models.Notification, lease time.Time, sendErr error) error {
	attempts := n.Attempts + 1
	outcome := "sent"
	var retryAt time.Time
	switch {
	case sendErr == nil:
	case attempts >= d.o.MaxAttempts:
		outcome = "dead"
	default:
		outcome = "retry"
		retryAt = d.o.Clock.Now().Add(d.Backoff(attempts))
	}
	d.delivered.WithLabelValues(n.Channel, outcome).Inc()
	if sendErr == nil {
		return d.outbox.MarkSent(ctx, n, lease, d.o.Clock.Now())
	}
	d.o.Log.Warn("delivery failed", "notification", n.ID, "channel", n.Channel, "attempt", attempts, "outcome", outcome, "err", sendErr)
	return d.outbox.MarkFailed(ctx, n, lease, sendErr, retryAt)
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
