package workflow

import (
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// RuleReport is the reminder of an ongoing task whose reporting period
// passed without a report.
const RuleReport = "report"

// periodMonths is the length of each reporting period.
var periodMonths = map[string]int{"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}

// periodEnd returns the last day of the reporting period that contains d.
func periodEnd(period string, d civil.Date) civil.Date {
	m := periodMonths[period]
	if m == 0 {
		return civil.Date{}
	}
	first := (int(d.Month)-1)/m*m + 1 // first month of d's period
	return civil.NewDate(d.Year, time.Month(first+m), 0)
}

// periodReminders returns the report reminder due on asOf for an ongoing
// task: the last period that ended before asOf, if the task existed during
// it and no report came in it.
func periodReminders(t TaskView, asOf civil.Date, cal *calendar.Calendar) []Reminder {
	m := periodMonths[t.DirectiveReportingPeriod]
	if m == 0 {
		return nil
	}
	end := periodEnd(t.DirectiveReportingPeriod, asOf)
	start := civil.NewDate(end.Year, end.Month-time.Month(m)+1, 1)
	// The period in course has not ended: the one before is the last.
	end, start = start.AddDays(-1), civil.NewDate(start.Year, start.Month-time.Month(m), 1)
	fire := cal.NextWorkingDay(end.AddDays(1))
	created := civil.DateOf(t.CreatedAt.In(Location))
	if fire.After(asOf) || created.After(end) {
		return nil
	}
	if t.LastReportAt != nil && !civil.DateOf(t.LastReportAt.In(Location)).Before(start) {
		return nil
	}
	return []Reminder{{Rule: RuleReport, Nominal: end, FireOn: fire}}
}

// nextPeriodCheck is the day the period in course will have passed: when
// the scan looks at an ongoing task again.
func nextPeriodCheck(period string, asOf civil.Date, cal *calendar.Calendar) civil.Date {
	end := periodEnd(period, asOf)
	if end.IsZero() {
		return end
	}
	return cal.NextWorkingDay(end.AddDays(1))
}
