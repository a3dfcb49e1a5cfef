package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dondoc/dondoc/civil"
)

func init() {
	register("remind", command{usage: "remind [--as-of DATE] [--dispatch]", help: "run the reminder scan for a day (default today), as the scheduler would", run: remind})
}

// remind runs the reminder scan once, for a day: to catch up after an
// outage or to check a policy. It obeys the same once-only keys as the
// scheduled scan, so running it twice sends nothing twice.
func remind(args []string, env func(string) string, stdout, stderr io.Writer) error {
	// Our own flags come first; the rest are the server's settings.
	var asOf civil.Date
	dispatch := false
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--dispatch" || a == "-dispatch":
			dispatch = true
		case a == "--as-of" || a == "-as-of":
			if i+1 >= len(args) {
				return fmt.Errorf("--as-of needs a date YYYY-MM-DD")
			}
			i++
			a = "--as-of=" + args[i]
			fallthrough
		case strings.HasPrefix(a, "--as-of=") || strings.HasPrefix(a, "-as-of="):
			d, err := civil.ParseDate(a[strings.IndexByte(a, '=')+1:])
			if err != nil {
				return fmt.Errorf("--as-of: %w", err)
			}
			asOf = d
		default:
			rest = append(rest, a)
		}
	}
	ctx, a, done, err := openTool("remind", rest, env, nil, stderr)
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
	res, err := a.Service.Scan(ctx, asOf)
	if err != nil {
		return err
	}
	delivered := 0
	for dispatch {
		n, err := a.Outbox.DispatchOnce(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		delivered += n
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"as_of": res.AsOf, "tasks": res.Tasks, "batches": res.Batches, "reminders": res.Reminders, "escalations": res.Escalations,
		"digests": res.Digests, "by_rule": res.ByRule, "duration_ms": res.Duration.Milliseconds(), "deliveries_attempted": delivered})
}
