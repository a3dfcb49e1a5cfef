package deadline

import (
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
)

var cal = calendar.New(nil)

func TestResolve(t *testing.T) {
	d := civil.MustDate
	cases := []struct {
		name string
		e    Expr
		from string
		want string // "" for no date
	}{
		{"explicit date kept even on a Sunday", Expr{Kind: KindDate, Date: d("2026-02-15")}, "2026-01-05", "2026-02-15"},
		{"10 days, first day not counted", Expr{Kind: KindDays, N: 10}, "2026-03-02", "2026-03-12"},
		{"days ending on Saturday roll to Monday", Expr{Kind: KindDays, N: 5}, "2026-03-02", "2026-03-09"},
		{"days ending inside Tết roll past it", Expr{Kind: KindDays, N: 10}, "2026-02-06", "2026-02-23"},
		{"days counted from a named day", Expr{Kind: KindDays, N: 30, Date: d("2023-03-15")}, "2023-03-01", "2023-04-14"},
		{"10 working days across Tết 2026", Expr{Kind: KindWorkingDays, N: 10}, "2026-02-09", "2026-03-02"},
		{"working days from a Saturday", Expr{Kind: KindWorkingDays, N: 1}, "2026-03-07", "2026-03-09"},
		{"end of month", Expr{Kind: KindMonth, Year: 2022, Month: 10}, "2022-09-01", "2022-10-31"},
		{"end of month on a Sunday rolls", Expr{Kind: KindMonth, Year: 2026, Month: 5}, "2026-01-01", "2026-06-01"},
		{"end of February in a leap year", Expr{Kind: KindMonth, Year: 2024, Month: 2}, "2024-01-01", "2024-02-29"},
		{"quarter III", Expr{Kind: KindQuarter, Year: 2023, Quarter: 3}, "2023-01-01", "2023-10-02"},
		{"quarter I", Expr{Kind: KindQuarter, Year: 2025, Quarter: 1}, "2025-01-01", "2025-03-31"},
		{"first half", Expr{Kind: KindHalfYear, Year: 2023, Half: 1}, "2023-01-01", "2023-06-30"},
		{"second half", Expr{Kind: KindHalfYear, Year: 2025, Half: 2}, "2025-01-01", "2025-12-31"},
		{"year ending on a Saturday", Expr{Kind: KindYear, Year: 2022}, "2022-01-01", "2023-01-03"},
		{"year", Expr{Kind: KindYear, Year: 2026}, "2026-01-01", "2026-12-31"},
		{"before Tết 2026", Expr{Kind: KindBeforeTet, Year: 2026}, "2025-11-01", "2026-02-13"},
		{"before Tết 2025", Expr{Kind: KindBeforeTet, Year: 2025}, "2024-11-01", "2025-01-24"},
		{"before Tết 2024", Expr{Kind: KindBeforeTet, Year: 2024}, "2023-11-01", "2024-02-07"},
		{"urgent has no date", Expr{Kind: KindUrgent}, "2026-01-01", ""},
		{"ongoing has no date", Expr{Kind: KindOngoing, ReportingPeriod: ReportMonthly}, "2026-01-01", ""},
		{"none", Expr{Kind: KindNone}, "2026-01-01", ""},
		{"incomplete quarter", Expr{Kind: KindQuarter, Year: 2023, Quarter: 5}, "2023-01-01", ""},
		{"zero date", Expr{Kind: KindDate}, "2023-01-01", ""},
	}
	for _, c := range cases {
		got, ok := c.e.Resolve(d(c.from), cal)
		if c.want == "" {
			if ok {
				t.Errorf("%s: resolved to %v, want no date", c.name, got)
			}
			continue
		}
		if !ok || got.String() != c.want {
			t.Errorf("%s: %+v from %s = %v (%v), want %s", c.name, c.e, c.from, got, ok, c.want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	valid := map[string]Expr{
		"2022-10":  {Kind: KindMonth, Year: 2022, Month: 10},
		"2023-01":  {Kind: KindMonth, Year: 2023, Month: 1},
		"2023-Q3":  {Kind: KindQuarter, Year: 2023, Quarter: 3},
		"2023-q1":  {Kind: KindQuarter, Year: 2023, Quarter: 1},
		"2023-H1":  {Kind: KindHalfYear, Year: 2023, Half: 1},
		"2024-H2":  {Kind: KindHalfYear, Year: 2024, Half: 2},
		"2023":     {Kind: KindYear, Year: 2023},
		"tet-2026": {Kind: KindBeforeTet, Year: 2026},
		"TET-2027": {Kind: KindBeforeTet, Year: 2027},
		" 2025 ":   {Kind: KindYear, Year: 2025},
	}
	for in, want := range valid {
		got, err := ParsePeriod(in)
		if err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", in, got, err, want)
			continue
		}
		if back, err := ParsePeriod(got.Period()); err != nil || back != got {
			t.Errorf("Period round trip of %q: %q -> %+v, %v", in, got.Period(), back, err)
		}
	}
	invalid := map[string]string{
		"2023-Q5":   "quarter must be 1-4",
		"2023-Q0":   "quarter must be 1-4",
		"2023-Q":    "quarter must be 1-4",
		"2023-Q12":  "quarter must be 1-4",
		"2023-H3":   "half must be 1-2",
		"2023-13":   "month must be 01-12",
		"2023-00":   "month must be 01-12",
		"2023-1":    "month must be two digits",
		"23":        "year must be four digits",
		"abcd":      "year must be four digits",
		"":          "year must be four digits",
		"1850":      "year must be between 1900 and 2200",
		"tet-20x6":  "year must be four digits",
		"tet-2300":  "year must be between",
		"2023-":     "nothing after the year",
		"2023-W12":  "month must be two digits",
		"2023-10-1": "month must be two digits",
	}
	for in, msg := range invalid {
		_, err := ParsePeriod(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParsePeriod(%q) error = %v, want one saying %q", in, err, msg)
		}
	}
	for _, e := range []Expr{{Kind: KindUrgent}, {Kind: KindDays, N: 3}, {Kind: KindDate, Date: civil.MustDate("2023-01-01")}} {
		if p := e.Period(); p != "" {
			t.Errorf("%+v.Period() = %q, want none", e, p)
		}
	}
}
