package workflow

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/dondoc/dondoc/civil"
)

// Period is the span of document dates that statistics count: the tasks
// whose document was issued from From to To, both included. A zero bound is
// open. Month is set when the period is exactly a reporting month.
type Period struct {
	From, To civil.Date
	Month    string // "2026-03" for the reporting month 15/02/2026–14/03/2026; "" otherwise
	Label    string // in Vietnamese, for people and reports
}

// ReportingMonth is the government's reporting month named by the month of
// its last day: from the 15th of the month before to the 14th (DESIGN.md
// section 1). Reporting month 3/2026 runs from 15/02/2026 to 14/03/2026.
func ReportingMonth(year int, month time.Month) Period {
	to := civil.NewDate(year, month, 14)
	from := civil.NewDate(year, month-1, 15)
	key := fmt.Sprintf("%04d-%02d", to.Year, int(to.Month))
	return Period{From: from, To: to, Month: key,
		Label: fmt.Sprintf("Tháng báo cáo %d/%d (từ %s đến %s)", int(to.Month), to.Year, FormatDate(from), FormatDate(to))}
}

// ReportingMonthOf is the reporting month that contains d.
func ReportingMonthOf(d civil.Date) Period {
	if d.Day >= 15 {
		n := civil.NewDate(d.Year, d.Month+1, 1)
		return ReportingMonth(n.Year, n.Month)
	}
	return ReportingMonth(d.Year, d.Month)
}

// Previous is the reporting month before p (p must be a reporting month).
func (p Period) Previous() Period { return ReportingMonthOf(p.From.AddDays(-1)) }

// Closed reports whether the period has ended on today.
func (p Period) Closed(today civil.Date) bool { return !p.To.IsZero() && today.After(p.To) }

// Contains reports whether d falls in the period.
func (p Period) Contains(d civil.Date) bool {
	return (p.From.IsZero() || !d.Before(p.From)) && (p.To.IsZero() || !d.After(p.To))
}

var (
	reportingRE = regexp.MustCompile(`^reporting-(\d{4})-(\d{2})$`)
	monthRE     = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRE   = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	halfRE      = regexp.MustCompile(`^(\d{4})-H([12])$`)
	yearRE      = regexp.MustCompile(`^(\d{4})$`)
)

var romanQuarter = []string{"", "I", "II", "III", "IV"}

// PeriodShortcuts documents the values of ?period=.
const PeriodShortcuts = "reporting-current, reporting-previous, reporting-YYYY-MM (the reporting month from the 15th of the month before to the 14th of MM), YYYY-MM (a calendar month), YYYY-Qn (a quarter), YYYY-Hn (a half-year), YYYY (a year)"

// ParsePeriod reads a ?period= shortcut; today resolves the relative ones.
func ParsePeriod(s string, today civil.Date) (Period, error) {
	bad := func() (Period, error) {
		return Period{}, Invalid{{Field: "period", Message: "must be one of " + PeriodShortcuts, Value: s}}.Err()
	}
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	switch {
	case s == "reporting-current":
		return ReportingMonthOf(today), nil
	case s == "reporting-previous":
		return ReportingMonthOf(today).Previous(), nil
	case reportingRE.MatchString(s):
		m := reportingRE.FindStringSubmatch(s)
		if mo := atoi(m[2]); mo >= 1 && mo <= 12 {
			return ReportingMonth(atoi(m[1]), time.Month(mo)), nil
		}
	case monthRE.MatchString(s):
		m := monthRE.FindStringSubmatch(s)
		y, mo := atoi(m[1]), atoi(m[2])
		if mo >= 1 && mo <= 12 {
			from := civil.NewDate(y, time.Month(mo), 1)
			return Period{From: from, To: civil.NewDate(y, time.Month(mo)+1, 0), Label: fmt.Sprintf("Tháng %d/%d", mo, y)}, nil
		}
	case quarterRE.MatchString(s):
		m := quarterRE.FindStringSubmatch(s)
		y, q := atoi(m[1]), atoi(m[2])
		return Period{From: civil.NewDate(y, time.Month(3*q-2), 1), To: civil.NewDate(y, time.Month(3*q+1), 0),
			Label: fmt.Sprintf("Quý %s/%d", romanQuarter[q], y)}, nil
	case halfRE.MatchString(s):
		m := halfRE.FindStringSubmatch(s)
		y, h := atoi(m[1]), atoi(m[2])
		label := fmt.Sprintf("6 tháng đầu năm %d", y)
		if h == 2 {
			label = fmt.Sprintf("6 tháng cuối năm %d", y)
		}
		return Period{From: civil.NewDate(y, time.Month(6*h-5), 1), To: civil.NewDate(y, time.Month(6*h+1), 0), Label: label}, nil
	case yearRE.MatchString(s):
		y := atoi(s)
		return Period{From: civil.NewDate(y, 1, 1), To: civil.NewDate(y, 12, 31), Label: fmt.Sprintf("Năm %d", y)}, nil
	}
	return bad()
}

// PeriodOf is the period of explicit bounds, either of which may be zero.
// Bounds that make exactly a reporting month are that month, so that its
// snapshot serves them.
func PeriodOf(from, to civil.Date) (Period, error) {
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return Period{}, Invalid{{Field: "from", Message: "is after to", Value: from.String()}}.Err()
	}
	if !to.IsZero() && to.Day == 14 {
		if rm := ReportingMonth(to.Year, to.Month); rm.From == from {
			return rm, nil
		}
	}
	p := Period{From: from, To: to}
	switch {
	case from.IsZero() && to.IsZero():
		p.Label = "Toàn bộ thời gian"
	case from.IsZero():
		p.Label = "Đến ngày " + FormatDate(to)
	case to.IsZero():
		p.Label = "Từ ngày " + FormatDate(from)
	default:
		p.Label = fmt.Sprintf("Từ ngày %s đến ngày %s", FormatDate(from), FormatDate(to))
	}
	return p, nil
}

// FormatDate writes a date as Vietnamese documents do: dd/mm/yyyy ("" for
// no date).
func FormatDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}
