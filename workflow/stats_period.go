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
// open. Reporting is set when the period is exactly a reporting period (a
// month, quarter, half-year or year cut off on the 14th), Month when it is a
// reporting month.
type Period struct {
	From, To  civil.Date
	Reporting string // "2026-03", "2026-Q2", "2026-H1" or "2026" for a reporting period; "" otherwise
	Month     string // "2026-03" for the reporting month 15/02/2026–14/03/2026; "" otherwise
	Label     string // in Vietnamese, for people and reports
}

// The government's reporting periods cut their figures off on the 14th: a
// month runs from the 15th of the month before to the 14th; a quarter from
// the 15th of the month before the quarter to the 14th of its last month; the
// first half-year from 15 December of the year before to 14 June, the second
// from 15 June to 14 December; a year from 15 December of the year before to
// 14 December (Nghị định 09/2019/NĐ-CP on the reporting of state
// administrative bodies, Art. 12; docs/DESIGN.md §6). Each is named by the
// month, quarter, half or year of its last day.

// reportingSpan is the reporting period whose months are first to last of
// year: from the 15th of the month before first (December of the year
// before, for January) to the 14th of last.
func reportingSpan(year int, first, last time.Month, key, name string) Period {
	from, to := civil.NewDate(year, first-1, 15), civil.NewDate(year, last, 14)
	return Period{From: from, To: to, Reporting: key,
		Label: fmt.Sprintf("%s (từ %s đến %s)", name, FormatDate(from), FormatDate(to))}
}

// ReportingMonth is the government's reporting month named by the month of
// its last day: reporting month 3/2026 runs from 15/02/2026 to 14/03/2026.
func ReportingMonth(year int, month time.Month) Period {
	to := civil.NewDate(year, month, 14) // normalises a month out of 1..12
	p := reportingSpan(to.Year, to.Month, to.Month, fmt.Sprintf("%04d-%02d", to.Year, int(to.Month)),
		fmt.Sprintf("Tháng báo cáo %d/%d", int(to.Month), to.Year))
	p.Month = p.Reporting
	return p
}

// ReportingQuarter is reporting quarter q (1-4) of year: quarter II/2026 runs
// from 15/03/2026 to 14/06/2026, quarter I/2026 from 15/12/2025.
func ReportingQuarter(year, q int) Period {
	last := time.Month(3 * q)
	return reportingSpan(year, last-2, last, fmt.Sprintf("%04d-Q%d", year, q),
		fmt.Sprintf("Quý báo cáo %s/%d", romanQuarter[q], year))
}

// ReportingHalf is reporting half-year h (1 or 2) of year: 15/12 of the
// year before to 14/06, or 15/06 to 14/12.
func ReportingHalf(year, h int) Period {
	last := time.Month(6 * h)
	name := fmt.Sprintf("Kỳ báo cáo 6 tháng đầu năm %d", year)
	if h == 2 {
		name = fmt.Sprintf("Kỳ báo cáo 6 tháng cuối năm %d", year)
	}
	return reportingSpan(year, last-5, last, fmt.Sprintf("%04d-H%d", year, h), name)
}

// ReportingYear is reporting year y: from 15/12 of y-1 to 14/12 of y.
func ReportingYear(year int) Period {
	return reportingSpan(year, time.January, time.December, fmt.Sprintf("%04d", year), fmt.Sprintf("Năm báo cáo %d", year))
}

// ReportingMonthOf is the reporting month that contains d.
func ReportingMonthOf(d civil.Date) Period {
	if d.Day >= 15 {
		n := civil.NewDate(d.Year, d.Month+1, 1)
		return ReportingMonth(n.Year, n.Month)
	}
	return ReportingMonth(d.Year, d.Month)
}

// endingWith returns the reporting periods that end on the last day of
// reporting month m, the month itself first: with 14 March, quarter I; with
// 14 June, quarter II and the first half; with 14 December, quarter IV, the
// second half and the year.
func endingWith(m Period) []Period {
	out := []Period{m}
	y, mo := m.To.Year, int(m.To.Month)
	if mo%3 == 0 {
		out = append(out, ReportingQuarter(y, mo/3))
	}
	if mo%6 == 0 {
		out = append(out, ReportingHalf(y, mo/6))
	}
	if mo == 12 {
		out = append(out, ReportingYear(y))
	}
	return out
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
	reportingRE        = regexp.MustCompile(`^reporting-(\d{4})-(\d{2})$`)
	reportingQuarterRE = regexp.MustCompile(`^reporting-(\d{4})-Q([1-4])$`)
	reportingHalfRE    = regexp.MustCompile(`^reporting-(\d{4})-H([12])$`)
	reportingYearRE    = regexp.MustCompile(`^reporting-(\d{4})$`)
	monthRE            = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRE          = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	halfRE             = regexp.MustCompile(`^(\d{4})-H([12])$`)
	yearRE             = regexp.MustCompile(`^(\d{4})$`)
)

var romanQuarter = []string{"", "I", "II", "III", "IV"}

// PeriodShortcuts documents the values of ?period=.
const PeriodShortcuts = "all (no bound), reporting-current, reporting-previous, " +
	"reporting-YYYY-MM (the reporting month from the 15th of the month before to the 14th of MM), " +
	"reporting-YYYY-Qn (the reporting quarter from the 15th of the month before the quarter to the 14th of its last month), " +
	"reporting-YYYY-Hn (the reporting half-year: 15/12 of the year before to 14/06, or 15/06 to 14/12), " +
	"reporting-YYYY (the reporting year from 15/12 of the year before to 14/12), " +
	"YYYY-MM (a calendar month), YYYY-Qn (a quarter), YYYY-Hn (a half-year), YYYY (a year)"

// ParsePeriod reads a ?period= shortcut; today resolves the relative ones.
func ParsePeriod(s string, today civil.Date) (Period, error) {
	bad := func() (Period, error) {
		return Period{}, Invalid{{Field: "period", Message: "must be one of " + PeriodShortcuts, Value: s}}.Err()
	}
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	match := func(re *regexp.Regexp) []string { return re.FindStringSubmatch(s) }
	if m := match(reportingRE); m != nil {
		if mo := atoi(m[2]); mo >= 1 && mo <= 12 {
			return ReportingMonth(atoi(m[1]), time.Month(mo)), nil
		}
		return bad()
	}
	if m := match(reportingQuarterRE); m != nil {
		return ReportingQuarter(atoi(m[1]), atoi(m[2])), nil
	}
	if m := match(reportingHalfRE); m != nil {
		return ReportingHalf(atoi(m[1]), atoi(m[2])), nil
	}
	if m := match(reportingYearRE); m != nil {
		return ReportingYear(atoi(m[1])), nil
	}
	switch {
	case s == "all":
		return PeriodOf(civil.Date{}, civil.Date{})
	case s == "reporting-current":
		return ReportingMonthOf(today), nil
	case s == "reporting-previous":
		return ReportingMonthOf(today).Previous(), nil
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
// Bounds that make exactly a reporting period (from the 15th to the 14th of
// a month, quarter, half-year or year) are that period, so that its snapshot
// serves them.
func PeriodOf(from, to civil.Date) (Period, error) {
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return Period{}, Invalid{{Field: "from", Message: "is after to", Value: from.String()}}.Err()
	}
	if !from.IsZero() && to.Day == 14 {
		for _, rp := range endingWith(ReportingMonth(to.Year, to.Month)) {
			if rp.From == from {
				return rp, nil
			}
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
