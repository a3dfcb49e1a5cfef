// Package deadline resolves the deadlines of directives on the working
// calendar: explicit dates, periods of days or working days, the end of a
// month, quarter, half-year or year, "before Tết", and the deadline-less
// kinds (urgent, ongoing). It also finds these expressions in Vietnamese text.
//
// Counting follows the Civil Code 2015 (Bộ luật Dân sự 91/2015/QH13), as
// docs/DESIGN.md sets out:
//   - a period of days, weeks, months or years does not count the day of
//     the event that starts it: it starts on the next day (Art. 147(2)-(3)),
//     so "trong 10 ngày" from the 1st ends on the 11th;
//   - a period of weeks ends on the corresponding day of its last week, one
//     of months on the corresponding day of its last month, or on that
//     month's last day if it has no such day, one of years on the
//     corresponding day and month of its last year (Art. 148(2)-(4));
//   - "the end of" a month is its last day, and the end of a year the last
//     day of December (Art. 146(2)(c), 146(3)(c)); a quarter or a half-year
//     ends likewise on the last day of its last month;
//   - when the last day of a period is a weekly rest day or a holiday, the
//     period ends at the end of the next working day (Art. 148(5)).
package deadline

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// Kind is the form of a deadline.
type Kind string

const (
	KindDate        Kind = "date"         // an explicit date
	KindDays        Kind = "days"         // N calendar days
	KindWorkingDays Kind = "working_days" // N working days
	KindWeeks       Kind = "weeks"        // N weeks
	KindMonths      Kind = "months"       // N months
	KindYears       Kind = "years"        // N years
	KindMonth       Kind = "month"        // the end of a month
	KindQuarter     Kind = "quarter"      // the end of a quarter
	KindHalfYear    Kind = "half_year"    // the end of a half-year
	KindYear        Kind = "year"         // the end of a year
	KindBeforeTet   Kind = "before_tet"   // before Tết Nguyên đán of a lunar year
	KindUrgent      Kind = "urgent"       // khẩn trương: no date
	KindOngoing     Kind = "ongoing"      // thường xuyên: no date, maybe a reporting period
	KindNone        Kind = "none"
)

// Reporting periods of an ongoing task.
const (
	ReportMonthly   = "monthly"
	ReportQuarterly = "quarterly"
)

// Expr is a deadline expression. Which fields matter depends on Kind: Date
// for KindDate (and, for the periods of days, weeks, months and years, the
// day the period counts from when the text names one, "kể từ ngày
// 15/3/2023"); N for those periods; Year with Month, Quarter or Half for the calendar
// periods; Year alone for KindYear and KindBeforeTet (the lunar year whose
// Tết it is); ReportingPeriod for KindOngoing.
type Expr struct {
	Kind            Kind
	Date            civil.Date
	N               int
	Year            int
	Month           int
	Quarter         int
	Half            int
	ReportingPeriod string
}

// Resolve returns the due date of e for a directive issued on from, or false
// when e has no date (urgent, ongoing, none) or is incomplete.
//
//   - date: the date as given, even on a holiday: it is what was written.
//   - days, weeks, months, years: AddPeriod (Arts. 147-148).
//   - working_days: the N-th working day after from.
//   - month, quarter, half_year, year: the period's last calendar day
//     (Art. 146(2)(c), 146(3)(c)), rolled to the next working day if it is
//     off (Art. 148(5)): "trong năm 2023" is due on 31/12/2023, or on
//     2/1/2024 had the 31st been a Sunday. PeriodEnd gives the last day
//     itself.
//   - before_tet: the last working day before the first day off of that
//     lunar year's Tết break ("trước Tết Nguyên đán 2026": 13/2/2026, the
//     break being 14-22/2).
func (e Expr) Resolve(from civil.Date, cal *calendar.Calendar) (civil.Date, bool) {
	if cal == nil {
		cal = calendar.New(nil)
	}
	switch e.Kind {
	case KindDate:
		return e.Date, !e.Date.IsZero()
	case KindDays, KindWeeks, KindMonths, KindYears:
		d, err := AddPeriod(e.base(from), e.N, periodUnits[e.Kind], cal)
		return d, err == nil
	case KindWorkingDays:
		return cal.AddWorkingDays(e.base(from), e.N), true
	case KindMonth, KindQuarter, KindHalfYear, KindYear:
		end, ok := e.periodEnd()
		if !ok {
			return civil.Date{}, false
		}
		return cal.NextWorkingDay(end), true
	case KindBeforeTet:
		if e.Year == 0 {
			return civil.Date{}, false
		}
		return cal.AddWorkingDays(tetBreakStart(e.Year, cal), -1), true
	}
	return civil.Date{}, false
}

func (e Expr) base(from civil.Date) civil.Date {
	if !e.Date.IsZero() {
		return e.Date
	}
	return from
}

// PeriodEnd returns the last calendar day of a month, quarter, half-year or
// year (Art. 146(2)(c), 146(3)(c)), not moved off a day off; false for the
// other kinds.
func (e Expr) PeriodEnd() (civil.Date, bool) { return e.periodEnd() }

// periodEnd returns the last calendar day of a month, quarter, half or year.
func (e Expr) periodEnd() (civil.Date, bool) {
	month := 0
	switch e.Kind {
	case KindMonth:
		month = e.Month
	case KindQuarter:
		if e.Quarter >= 1 && e.Quarter <= 4 {
			month = 3 * e.Quarter
		}
	case KindHalfYear:
		if e.Half >= 1 && e.Half <= 2 {
			month = 6 * e.Half
		}
	case KindYear:
		month = 12
	}
	if month < 1 || month > 12 || e.Year < 1 {
		return civil.Date{}, false
	}
	return civil.NewDate(e.Year, time.Month(month)+1, 0), true
}

// tetBreakStart returns the first day of the run of days off around Tết of
// lunar year y.
func tetBreakStart(y int, cal *calendar.Calendar) civil.Date {
	d := calendar.TetOf(y)
	for !cal.IsWorkingDay(d.AddDays(-1)) {
		d = d.AddDays(-1)
	}
	return d
}

// Period returns e in the form of the API's due_period field (see
// ParsePeriod), or "" for the kinds that have none.
func (e Expr) Period() string {
	switch e.Kind {
	case KindMonth:
		return fmt.Sprintf("%04d-%02d", e.Year, e.Month)
	case KindQuarter:
		return fmt.Sprintf("%04d-Q%d", e.Year, e.Quarter)
	case KindHalfYear:
		return fmt.Sprintf("%04d-H%d", e.Year, e.Half)
	case KindYear:
		return fmt.Sprintf("%04d", e.Year)
	case KindBeforeTet:
		return fmt.Sprintf("tet-%04d", e.Year)
	}
	return ""
}

// ParsePeriod parses the API's due_period: "YYYY-MM" (a month), "YYYY-Qn"
// (a quarter, n 1-4), "YYYY-Hn" (a half-year, n 1-2), "YYYY" (a year) or
// "tet-YYYY" (before Tết of the lunar year that begins in YYYY). Years run
// from calendar.MinYear to calendar.MaxYear.
func ParsePeriod(s string) (Expr, error) {
	orig := s
	s = strings.TrimSpace(s)
	fail := func(why string) (Expr, error) {
		return Expr{}, fmt.Errorf("invalid period %q: %s", orig, why)
	}
	if rest, ok := cutPrefixFold(s, "tet-"); ok {
		y, err := parseYear(rest)
		if err != nil {
			return fail(err.Error())
		}
		return Expr{Kind: KindBeforeTet, Year: y}, nil
	}
	yearPart, rest, hasRest := strings.Cut(s, "-")
	y, err := parseYear(yearPart)
	if err != nil {
		return fail(err.Error() + "; want YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn or tet-YYYY")
	}
	if !hasRest {
		return Expr{Kind: KindYear, Year: y}, nil
	}
	switch {
	case rest == "":
		return fail("nothing after the year")
	case rest[0] == 'Q' || rest[0] == 'q':
		n, err := strconv.Atoi(rest[1:])
		if err != nil || n < 1 || n > 4 || len(rest) != 2 {
			return fail("quarter must be 1-4, as in 2023-Q3")
		}
		return Expr{Kind: KindQuarter, Year: y, Quarter: n}, nil
	case rest[0] == 'H' || rest[0] == 'h':
		n, err := strconv.Atoi(rest[1:])
		if err != nil || n < 1 || n > 2 || len(rest) != 2 {
			return fail("half must be 1-2, as in 2023-H1")
		}
		return Expr{Kind: KindHalfYear, Year: y, Half: n}, nil
	}
	m, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 {
		return fail("month must be two digits, as in 2023-03")
	}
	if m < 1 || m > 12 {
		return fail("month must be 01-12")
	}
	return Expr{Kind: KindMonth, Year: y, Month: m}, nil
}

func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 {
		return 0, fmt.Errorf("year must be four digits")
	}
	if y < calendar.MinYear || y > calendar.MaxYear {
		return 0, fmt.Errorf("year must be between %d and %d", calendar.MinYear, calendar.MaxYear)
	}
	return y, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
