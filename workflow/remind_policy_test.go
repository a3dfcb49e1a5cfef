package workflow_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// naiveSeries is the agency's series of reminders as docs/DESIGN.md §7 states it,
// every one from the first: what Policy.Due and Policy.Next must agree with,
// however they skip the weeks of a task long overdue.
func naiveSeries(p workflow.Policy, due, limit civil.Date, cal *calendar.Calendar) []workflow.Reminder {
	var out []workflow.Reminder
	add := func(r workflow.Reminder) bool {
		r.FireOn = cal.NextWorkingDay(r.Nominal)
		out = append(out, r)
		return r.FireOn.After(limit)
	}
	for _, n := range p.BeforeWorkingDays {
		if add(workflow.Reminder{Rule: fmt.Sprintf("before-%d", n), Nominal: cal.AddWorkingDays(due, -n), WorkingDaysLeft: n}) {
			return out
		}
	}
	if p.OnDueDay && add(workflow.Reminder{Rule: "due", Nominal: due}) {
		return out
	}
	for k := p.OverdueAfterDays; ; k += p.OverdueEveryDays {
		if add(workflow.Reminder{Rule: fmt.Sprintf("overdue-%d", k), Nominal: due.AddDays(k), DaysOverdue: k}) || p.OverdueEveryDays == 0 {
			return out
		}
	}
}

func TestPolicyAgreesWithTheWholeSeries(t *testing.T) {
	t.Parallel()
	cal := calendar.New(nil)
	rnd := rand.New(rand.NewPCG(3, 5))
	policies := []workflow.Policy{workflow.DefaultPolicy,
		{BeforeWorkingDays: []int{5}, OverdueAfterDays: 3, OverdueEveryDays: 30, EscalateAfterDays: 14},
		{BeforeWorkingDays: []int{10, 2}, OnDueDay: true, OverdueAfterDays: 1, OverdueEveryDays: 0},
		{OverdueAfterDays: 2, OverdueEveryDays: 1, EscalateAfterDays: 0}}
	start := civil.MustDate("2019-01-01")
	for i := range 20000 {
		p := policies[i%len(policies)]
		due := start.AddDays(rnd.IntN(8 * 365))
		assigned := due.AddDays(-rnd.IntN(400))
		today := due.AddDays(rnd.IntN(4*365) - 60)
		var latest *workflow.Reminder
		var next civil.Date
		for _, r := range naiveSeries(p, due, today, cal) {
			if !r.FireOn.After(today) && !r.Nominal.Before(assigned) {
				latest = &r
			}
			if next.IsZero() && r.FireOn.After(today) {
				next = r.FireOn
			}
		}
		var want []workflow.Reminder
		if latest != nil {
			want = append(want, *latest)
		}
		if p.EscalateAfterDays > 0 {
			n := due.AddDays(p.EscalateAfterDays)
			esc := workflow.Reminder{Rule: workflow.RuleEscalate, Nominal: n, FireOn: cal.NextWorkingDay(n), DaysOverdue: p.EscalateAfterDays}
			if !esc.FireOn.After(today) {
				want = append(want, esc)
			} else if next.IsZero() || esc.FireOn.Before(next) {
				next = esc.FireOn
			}
		}
		if got := p.Due(due, assigned, today, cal); !slices.Equal(got, want) {
			t.Fatalf("policy %+v, due %s, assigned %s, today %s: Due = %+v, want %+v", p, due, assigned, today, got, want)
		}
		if got := p.Next(due, today, cal); got != next {
			t.Fatalf("policy %+v, due %s, today %s: Next = %s, want %s", p, due, today, got, next)
		}
	}
}
