package deadline

import (
	"fmt"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// Unit is the unit of a period counted from an event: "trong 10 ngày",
// "trong 2 tuần", "trong 03 tháng kể từ ngày ký".
type Unit string

const (
	UnitDay        Unit = "day"
	UnitWorkingDay Unit = "working_day"
	UnitWeek       Unit = "week"
	UnitMonth      Unit = "month"
	UnitYear       Unit = "year"
)

// Units returns every unit, for validating input.
func Units() []Unit { return []Unit{UnitDay, UnitWorkingDay, UnitWeek, UnitMonth, UnitYear} }

var periodUnits = map[Kind]Unit{KindDays: UnitDay, KindWeeks: UnitWeek, KindMonths: UnitMonth, KindYears: UnitYear}

// MaxPeriod bounds n in AddPeriod: no directive gives more than this many of
// any unit, and the calendar ends a few centuries out.
const MaxPeriod = 1000

// AddPeriod returns the last day of a period of n units that starts with an
// event on day from (a document's signing, its receipt), as the Civil Code
// 2015 counts it:
//
//   - the day of the event does not count: the period starts on the next
//     day (Art. 147(2)-(3));
//   - n days end on from + n (Art. 148(1)); n weeks on the corresponding
//     weekday of the last week, from + 7n (Art. 148(2)); n months on the
//     corresponding day of the last month, or that month's last day if it
//     has none: 31 January + 1 month is 28 February, 29 in a leap year (Art.
//     148(3)); n years on the corresponding day and month of the last year
//     (Art. 148(4)), 29 February falling back to the 28th as Art. 148(3)
//     does for months;
//   - a last day that is a weekly rest day or a holiday moves to the next
//     working day (Art. 148(5)).
//
// n working days are the n-th working day after from, the first day not
// counted either. cal is the working calendar (the shipped one if nil).
func AddPeriod(from civil.Date, n int, unit Unit, cal *calendar.Calendar) (civil.Date, error) {
	if cal == nil {
		cal = calendar.New(nil)
	}
	if n < 1 || n > MaxPeriod {
		return civil.Date{}, fmt.Errorf("a period must be 1 to %d %ss, not %d", MaxPeriod, unit, n)
	}
	if from.IsZero() {
		return civil.Date{}, fmt.Errorf("a period needs the day it counts from")
	}
	var end civil.Date
	switch unit {
	case UnitDay:
		end = from.AddDays(n)
	case UnitWorkingDay:
		end = cal.AddWorkingDays(from, n)
	case UnitWeek:
		end = from.AddDays(7 * n)
	case UnitMonth:
		end = addMonths(from, n)
	case UnitYear:
		end = addMonths(from, 12*n)
	default:
		return civil.Date{}, fmt.Errorf("unknown unit %q: want one of %v", unit, Units())
	}
	if !cal.Covers(end) {
		return civil.Date{}, fmt.Errorf("the period ends on %s, outside the working calendar", end)
	}
	return cal.NextWorkingDay(end), nil
}

// addMonths returns the day of the month n months after d that has d's
// number, or that month's last day.
func addMonths(d civil.Date, n int) civil.Date {
	first := civil.NewDate(d.Year, d.Month+time.Month(n), 1)
	last := civil.NewDate(first.Year, first.Month+1, 0)
	return civil.NewDate(first.Year, first.Month, min(d.Day, last.Day))
}
