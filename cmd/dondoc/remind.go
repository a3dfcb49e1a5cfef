package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// remind runs the reminder scan once, for a day: to catch up after an
// outage or to check a policy. It obeys the same once-only keys as the
// scheduled scan, so running it twice sends nothing twice.
func remind(args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("remind")
	asOfFlag := fs.String("as-of", "", "the day to scan, `YYYY-MM-DD` (default today in Asia/Ho_Chi_Minh; not in the future)")
	dispatch := fs.Bool("dispatch", false, "then deliver what is queued (e-mails, webhooks) until nothing is due, as the server's dispatcher would")
	cmd := toolCommand("remind", "[--as-of DATE] [--dispatch] [settings]",
		"Runs the reminder scan for one day, as the scheduler does each working day at DONDOC_REMINDER_SCHEDULE,\n"+
			"and prints what it did as JSON. Reminders go out on working days only: for a day off it says so and does\n"+
			"nothing (exit 0); the next working day's scan sends what came due meanwhile.", fs)
	cfg, err := config.Load(cmd, args, env, stdout)
	if err != nil {
		return err
	}
	var asOf civil.Date
	if *asOfFlag != "" {
		if asOf, err = civil.ParseDate(*asOfFlag); err != nil {
			return needs(cmd, fmt.Sprintf("--as-of: %v", err))
		}
	}
	ctx, a, done, err := openApp(cfg, nil, stderr)
	if err != nil {
		return err
	}
	defer done()
	if asOf.IsZero() {
		asOf = a.Service.Today()
	}
	if asOf.After(a.Service.Today()) {
		return fmt.Errorf("--as-of %s is in the future", asOf)
	}
	out := map[string]any{"as_of": asOf, "working_day": true}
	if cal := a.Service.Calendars().Current(); !cal.IsWorkingDay(asOf) {
		name := dayOff(cal, asOf)
		fmt.Fprintf(stderr, "%s is a day off (%s); reminders run on working days: nothing to do\n", asOf, name)
		out["working_day"], out["day_off"] = false, name
	} else {
		res, err := a.Service.Scan(ctx, asOf)
		if err != nil {
			return err
		}
		for k, v := range map[string]any{"tasks": res.Tasks, "batches": res.Batches, "reminders": res.Reminders, "escalations": res.Escalations,
			"digests": res.Digests, "by_rule": res.ByRule, "duration_ms": res.Duration.Milliseconds()} {
			out[k] = v
		}
	}
	delivered := 0
	for *dispatch {
		n, err := a.Outbox.DispatchOnce(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		delivered += n
	}
	out["deliveries_attempted"] = delivered
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// dayOff names why d is not a working day: its holiday, or the weekend.
func dayOff(cal *calendar.Calendar, d civil.Date) string {
	for _, h := range cal.Holidays(d.Year) {
		if h.Date == d {
			return h.Name
		}
	}
	return d.Weekday().String()
}
