package app

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"github.com/dondoc/dondoc/app/deliver"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/workflow"
)

// catchUpEvery is how often a process checks that today's scan ran: after
// downtime over the scheduled time, the scan runs as soon as a process is up.
const catchUpEvery = 10 * time.Minute

// background is what runs beside the HTTP server: the cron scheduler of the
// reminder scan and the outbox dispatcher.
type background struct {
	cron   *cron.Cron
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// newDispatcher builds the outbox dispatcher with the channels the
// configuration enables.
func (a *App) newDispatcher() (*deliver.Dispatcher, error) {
	senders := map[string]deliver.Sender{
		notify.ChannelWebhook: deliver.WebhookSender{Outbox: a.Notices, Clock: a.Service.Clock()},
	}
	if a.Config.SMTPURL != "" {
		host := "dondoc.local"
		if u, err := url.Parse(a.Config.BaseURL()); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		es, err := deliver.ParseSMTPURL(a.Config.SMTPURL, host)
		if err != nil {
			return nil, err
		}
		senders[notify.ChannelEmail] = es
	}
	return deliver.New(a.Notices, senders, deliver.Options{
		MaxAttempts: a.Config.NotifyAttempts, Backoff: a.Config.NotifyBackoff, Lease: a.Config.NotifyLease, Replica: a.Replica,
		Log: a.Log.With("component", "outbox"), Clock: a.Service.Clock(), Registry: a.Registry,
	}), nil
}

// startBackground starts the scheduler and the dispatcher; stop them with
// stopBackground, which waits for a scan or a delivery in progress.
func (a *App) startBackground(ctx context.Context) (*background, error) {
	sched, err := config.ReminderParser.Parse(a.Config.ReminderSchedule)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	b := &background{cancel: cancel}
	logger := cron.VerbosePrintfLogger(slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn))
	b.cron = cron.New(cron.WithLocation(workflow.Location), cron.WithParser(config.ReminderParser),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	scan := func() { a.scanToday(ctx) }
	b.cron.Schedule(sched, cron.FuncJob(scan))
	b.cron.AddFunc("@every "+catchUpEvery.String(), func() { a.catchUp(ctx, sched) })
	b.cron.Start()

	b.wg.Add(2)
	go func() { defer b.wg.Done(); a.Outbox.Run(ctx) }()
	go func() { defer b.wg.Done(); a.catchUp(ctx, sched) }()
	return b, nil
}

func (b *background) stop() {
	<-b.cron.Stop().Done() // waits for a running scan
	b.cancel()
	b.wg.Wait()
}

// scanToday runs the reminder scan for today and hands over the tasks of
// agencies dissolved since yesterday.
func (a *App) scanToday(ctx context.Context) {
	if _, err := a.Service.HandOverDissolved(ctx); err != nil {
		a.Log.Error("hand over the tasks of dissolved agencies", "err", err)
	}
	res, err := a.Service.Scan(ctx, a.Service.Today())
	a.observeScan(res, err)
}

// catchUp runs today's scan if its scheduled time has passed and no scan
// of today has finished: after an outage the reminders go out as soon as a
// process is back, once.
func (a *App) catchUp(ctx context.Context, sched cron.Schedule) {
	now := a.Service.Clock().Now().In(workflow.Location)
	today := a.Service.Today()
	if first := sched.Next(today.In(workflow.Location).Add(-time.Nanosecond)); first.After(now) {
		return
	}
	done, err := a.Service.ScannedOn(ctx, today)
	if err != nil || done {
		return
	}
	a.Log.Info("catching up: today's reminder scan has not run yet")
	a.scanToday(ctx)
}

func (a *App) observeScan(res workflow.ScanResult, err error) {
	if err != nil {
		a.Log.Error("reminder scan failed", "as_of", res.AsOf, "err", err)
		return
	}
	a.metrics.scanDuration.Observe(res.Duration.Seconds())
	for family, n := range res.ByRule {
		a.metrics.reminders.WithLabelValues(family).Add(float64(n))
	}
	a.Log.Info("reminder scan", "as_of", res.AsOf, "tasks", res.Tasks, "reminders", res.Reminders,
		"escalations", res.Escalations, "digests", res.Digests, "duration", res.Duration)
}

// metrics are the process's own.
type metrics struct {
	scanDuration prometheus.Histogram
	reminders    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, outbox *notify.Outbox, clock workflow.Clock) metrics {
	m := metrics{
		scanDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "dondoc_reminder_scan_seconds",
			Help: "Duration of the reminder scan.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dondoc_reminders_created_total",
			Help: "Reminders created by the scan, by rule (before, due, overdue, escalate, report)."}, []string{"rule"}),
	}
	reg.MustRegister(m.scanDuration, m.reminders, outboxCollector{outbox: outbox, clock: clock})
	return m
}

// outboxCollector reads the outbox's state when metrics are scraped.
type outboxCollector struct {
	outbox *notify.Outbox
	clock  workflow.Clock
}

var (
	outboxCount = prometheus.NewDesc("dondoc_notifications", "Notifications in the outbox, by channel and status.", []string{"channel", "status"}, nil)
	outboxAge   = prometheus.NewDesc("dondoc_outbox_oldest_pending_seconds", "Age of the oldest notification waiting for delivery, by channel.", []string{"channel"}, nil)
)

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxCount; ch <- outboxAge }

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.outbox.Counts(ctx)
	if err != nil {
		return
	}
	for _, r := range counts {
		ch <- prometheus.MustNewConstMetric(outboxCount, prometheus.GaugeValue, float64(r.N), r.Channel, r.Status)
	}
	for _, channel := range []string{notify.ChannelEmail, notify.ChannelWebhook} {
		queued, found, err := c.outbox.OldestPending(ctx, channel)
		age := 0.0
		if err == nil && found {
			age = c.clock.Now().Sub(queued).Seconds()
		}
		ch <- prometheus.MustNewConstMetric(outboxAge, prometheus.GaugeValue, age, channel)
	}
}
