package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// Policy is when reminders go out, relative to a task's effective due date
// (docs/DESIGN.md §7). It is configuration: DONDOC_REMINDER_* settings.
type Policy struct {
	BeforeWorkingDays []int // remind this many working days before the due date: 7, 3, 1
	OnDueDay          bool  // remind on the due date itself
	OverdueAfterDays  int   // first overdue reminder this many calendar days after the due date: 1
	OverdueEveryDays  int   // then every this many calendar days while overdue: 7 (0: once)
	EscalateAfterDays int   // escalate to leaders once the task is this many days overdue: 7 (0: never)
}

// DefaultPolicy is docs/DESIGN.md §7's: 7, 3 and 1 working days before, on the day,
// the first day after and every 7 days while overdue, escalation at 7 days.
var DefaultPolicy = Policy{BeforeWorkingDays: []int{7, 3, 1}, OnDueDay: true, OverdueAfterDays: 1, OverdueEveryDays: 7, EscalateAfterDays: 7}

// ParsePolicy reads a policy from its settings: "7,3,1", "true", "1", "7", "7".
func ParsePolicy(before string, onDay bool, overdueAfter, overdueEvery, escalateAfter int) (Policy, error) {
	p := Policy{OnDueDay: onDay, OverdueAfterDays: overdueAfter, OverdueEveryDays: overdueEvery, EscalateAfterDays: escalateAfter}
	for _, f := range strings.Split(before, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 60 {
			return p, fmt.Errorf("reminder days before the due date: %q is not a number of working days from 1 to 60", f)
		}
		p.BeforeWorkingDays = append(p.BeforeWorkingDays, n)
	}
	slices.Sort(p.BeforeWorkingDays)
	slices.Reverse(p.BeforeWorkingDays)
	p.BeforeWorkingDays = slices.Compact(p.BeforeWorkingDays)
	if overdueAfter < 1 || overdueAfter > 365 {
		return p, fmt.Errorf("first overdue reminder: %d is not a number of days from 1 to 365", overdueAfter)
	}
	if overdueEvery < 0 || overdueEvery > 365 {
		return p, fmt.Errorf("overdue reminder interval: %d is not a number of days from 0 to 365", overdueEvery)
	}
	if escalateAfter < 0 || escalateAfter > 365 {
		return p, fmt.Errorf("escalation: %d is not a number of days from 0 to 365", escalateAfter)
	}
	return p, nil
}

// Rule names, stored with each reminder.
const (
	RuleEscalate = "escalate"
)

// Reminder is one rule's reminder for one due date: its name, the date the
// rule names (Nominal) and the working day it goes out (FireOn).
type Reminder struct {
	Rule    string
	Nominal civil.Date
	FireOn  civil.Date
	// DaysOverdue is the calendar days past the due date on Nominal (0 before).
	DaysOverdue int
	// WorkingDaysLeft is the working days from Nominal to the due date (before it).
	WorkingDaysLeft int
}

// Escalation reports whether r escalates to leaders rather than reminds the agency.
func (r Reminder) Escalation() bool { return r.Rule == RuleEscalate }

// series lists the agency's reminders for a due date in order, up to and
// including the first one that fires after limit.
func (p Policy) series(due, limit civil.Date, cal *calendar.Calendar) []Reminder {
	var out []Reminder
	add := func(r Reminder) bool {
		r.FireOn = cal.NextWorkingDay(r.Nominal)
		out = append(out, r)
		return r.FireOn.After(limit)
	}
	for _, n := range p.BeforeWorkingDays { // descending: 7, 3, 1
		if add(Reminder{Rule: fmt.Sprintf("before-%d", n), Nominal: cal.AddWorkingDays(due, -n), WorkingDaysLeft: n}) {
			return out
		}
	}
	if p.OnDueDay && add(Reminder{Rule: "due", Nominal: due}) {
		return out
	}
	k := p.OverdueAfterDays
	if p.OverdueEveryDays > 0 {
		// Due and Next look at the last reminders up to limit and the first
		// after it: a task overdue for years skips the earlier weeks (the
		// month's margin covers a working day moved past Tết).
		if skip := (due.DaysUntil(limit) - k - 31) / p.OverdueEveryDays; skip > 0 {
			k += skip * p.OverdueEveryDays
		}
	}
	for ; ; k += p.OverdueEveryDays {
		if add(Reminder{Rule: fmt.Sprintf("overdue-%d", k), Nominal: due.AddDays(k), DaysOverdue: k}) || p.OverdueEveryDays == 0 {
			return out
		}
	}
}

// Due returns the reminders that should go out on day today for a task due
// on due and assigned on assigned: at most one of the agency's series — the
// latest that has come, so that a scan after days of downtime sends one
// reminder, not a backlog — and the escalation once it has come. Rules
// whose date came before the task was assigned are not owed.
func (p Policy) Due(due, assigned, today civil.Date, cal *calendar.Calendar) []Reminder {
	if due.IsZero() {
		return nil
	}
	var latest *Reminder
	for _, r := range p.series(due, today, cal) {
		if !r.FireOn.After(today) && !r.Nominal.Before(assigned) {
			latest = &r
		}
	}
	var out []Reminder
	if latest != nil {
		out = append(out, *latest)
	}
	if esc, ok := p.escalation(due, cal); ok && !esc.FireOn.After(today) {
		out = append(out, esc)
	}
	return out
}

func (p Policy) escalation(due civil.Date, cal *calendar.Calendar) (Reminder, bool) {
	if p.EscalateAfterDays == 0 {
		return Reminder{}, false
	}
	n := due.AddDays(p.EscalateAfterDays)
	return Reminder{Rule: RuleEscalate, Nominal: n, FireOn: cal.NextWorkingDay(n), DaysOverdue: p.EscalateAfterDays}, true
}

// Next returns the first day after today on which a reminder of a task due
// on due may go out: what the scan stores so that it reads only the tasks
// it must. It is zero for a task without a due date.
func (p Policy) Next(due, today civil.Date, cal *calendar.Calendar) civil.Date {
	if due.IsZero() {
		return civil.Date{}
	}
	var next civil.Date
	for _, r := range p.series(due, today, cal) {
		if r.FireOn.After(today) {
			next = r.FireOn
			break
		}
	}
	if esc, ok := p.escalation(due, cal); ok && esc.FireOn.After(today) && (next.IsZero() || esc.FireOn.Before(next)) {
		next = esc.FireOn
	}
	return next
}
