package seed

import (
	"fmt"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// directive writes one directive, its tasks and their histories.
func (g *gen) directive(dirs, tasks, events *batch, res *Result, docID int64, issued civil.Date, at time.Time) {
	id := g.nextID["directives"]
	g.nextID["directives"]++
	content := fmt.Sprintf("%s %s", verbs[g.rnd.IntN(len(verbs))], objects[g.rnd.IntN(len(objects))])
	field := fields[g.rnd.IntN(len(fields))]
	var due civil.Date
	var wd *int
	kind, period, reporting := workflow.DueDate, "", ""
	switch r := g.rnd.IntN(100); {
	case r < 75:
		due = issued.AddDays(7 + g.rnd.IntN(180))
	case r < 88:
		n := 5 + g.rnd.IntN(40)
		wd, kind = &n, workflow.DueWorkingDays
		due = g.cal.AddWorkingDays(issued, n)
	case r < 94:
		kind = workflow.DueUrgent
	default:
		kind, reporting = workflow.DueOngoing, []string{"monthly", "quarterly"}[g.rnd.IntN(2)]
	}
	dirs.add(id, docID, content, field, "normal", kind, due, wd, period, reporting, "", g.fold(content+" "+field), g.userID, at)
	res.Directives++
	agencies := g.pick(issued, 1+g.rnd.IntN(4))
	for i, code := range agencies {
		role := "lead"
		if i > 0 {
			role = "coordinator"
		}
		g.task(tasks, events, res, id, code, role, issued, due, at)
	}
}

// task writes one task in the state time would have left it, and its events.
func (g *gen) task(tasks, events *batch, res *Result, dirID int64, code, role string, issued, due civil.Date, at time.Time) {
	id := g.nextID["tasks"]
	g.nextID["tasks"]++
	today := g.o.Today
	type step struct {
		action, from, to string
		on               civil.Date
	}
	steps := []step{{workflow.EventAssign, "", "assigned", issued}}
	status := "assigned"
	var reported, completed civil.Date
	move := func(action, to string, on civil.Date) {
		if on.After(today) {
			on = today
		}
		if on.Before(steps[len(steps)-1].on) {
			on = steps[len(steps)-1].on
		}
		steps = append(steps, step{action, status, to, on})
		status = to
	}
	ack := issued.AddDays(1 + g.rnd.IntN(5))
	if !ack.After(today) {
		move("acknowledge", "in_progress", ack)
	}
	deadline := due
	if deadline.IsZero() {
		deadline = issued.AddDays(120)
	}
	r := g.rnd.Float64()
	switch {
	case deadline.Before(today.AddDays(-20)) && r < 0.90 || !deadline.Before(today.AddDays(-20)) && r < 0.25:
		// Finished: mostly on time, some late, a few cancelled.
		if g.rnd.IntN(100) < 3 {
			move("cancel", "cancelled", issued.AddDays(10+g.rnd.IntN(60)))
			break
		}
		rep := deadline.AddDays(-g.rnd.IntN(20))
		if g.rnd.IntN(100) < 22 {
			rep = deadline.AddDays(1 + g.rnd.IntN(40))
		}
		if rep.After(today) {
			rep = today
		}
		if rep.Before(issued) {
			rep = issued
		}
		move("report_done", "reported", rep)
		reported = steps[len(steps)-1].on
		if conf := reported.AddDays(1 + g.rnd.IntN(6)); !conf.After(today) {
			move("confirm", "completed", conf)
			completed = steps[len(steps)-1].on
		}
	case !due.IsZero() && due.Before(today) && g.rnd.IntN(100) < 6:
		// Reported late but awaiting confirmation.
		move("report_done", "reported", today.AddDays(-g.rnd.IntN(3)))
		reported = steps[len(steps)-1].on
	}
	if (status == "assigned" || status == "in_progress") && !due.IsZero() && due.Before(today) {
		res.Overdue++
	}
	var next civil.Date
	if status == "assigned" || status == "in_progress" {
		next = g.policy.Next(due, today.AddDays(-1), g.cal)
		if due.IsZero() {
			next = civil.Date{}
		}
	}
	created := at
	tasks.add(id, dirID, code, role, status, due, due, issued, reported, completed, percent(status), len(steps), next, created, created)
	res.Tasks++
	prev := ""
	for i, s := range steps {
		ev := models.Event{TaskID: id, Seq: i + 1, Action: s.action, FromStatus: s.from, ToStatus: s.to, Actor: "seed", ActorRole: "system",
			At: s.on.In(workflow.Location).Add(10 * time.Hour).UTC(), PrevHash: prev}
		if s.action == "cancel" {
			ev.Comment = "Không còn phù hợp"
		}
		ev.Hash = workflow.EventHash(ev)
		prev = ev.Hash
		evID := g.nextID["events"]
		g.nextID["events"]++
		events.add(evID, ev.TaskID, ev.Seq, ev.Action, ev.FromStatus, ev.ToStatus, ev.Actor, ev.ActorRole, ev.At, ev.Comment, ev.Data, ev.PrevHash, ev.Hash)
		res.Events++
	}
}

func percent(status string) int {
	switch status {
	case "reported", "completed":
		return 100
	case "in_progress":
		return 30
	}
	return 0
}

// fold is vntext.Fold, remembered: directive texts repeat from a small
// vocabulary, and folding each anew was a tenth of the seeding time.
func (g *gen) fold(s string) string {
	if f, ok := g.folded[s]; ok {
		return f
	}
	if g.folded == nil {
		g.folded = map[string]string{}
	}
	f := vntext.Fold(s)
	g.folded[s] = f
	return f
}
