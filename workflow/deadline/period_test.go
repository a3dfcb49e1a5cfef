package deadline

import (
	"testing"

	"github.com/dondoc/dondoc/civil"
)

// The Civil Code's periods (Arts. 147-148), on the shipped calendar.
func TestAddPeriod(t *testing.T) {
	cases := []struct {
		name string
		from string
		n    int
		unit Unit
		want string
	}{
		{"a day does not count its first day", "2026-03-02", 10, UnitDay, "2026-03-12"},
		{"days ending on Saturday roll to Monday", "2026-03-02", 5, UnitDay, "2026-03-09"},
		{"working days", "2026-03-02", 5, UnitWorkingDay, "2026-03-09"},
		{"2 weeks end on the same weekday", "2026-03-03", 2, UnitWeek, "2026-03-17"},
		{"a week ending in the Tết break rolls past it", "2026-02-09", 1, UnitWeek, "2026-02-23"},
		{"1 month, the corresponding day", "2026-03-10", 1, UnitMonth, "2026-04-10"},
		{"31 Jan + 1 month is the last day of February", "2023-01-31", 1, UnitMonth, "2023-02-28"},
		{"31 Jan + 1 month in a leap year is 29 Feb", "2024-01-31", 1, UnitMonth, "2024-02-29"},
		{"31 Jan 2026 + 1 month: 28 Feb is a Saturday, so Monday 2 March", "2026-01-31", 1, UnitMonth, "2026-03-02"},
		{"3 months from signing, into a shorter month", "2025-11-30", 3, UnitMonth, "2026-03-02"}, // 28/2/2026 is a Saturday
		{"31 May + 1 month is 30 June", "2022-05-31", 1, UnitMonth, "2022-06-30"},
		{"months across a year", "2025-10-15", 3, UnitMonth, "2026-01-15"},
		{"1 year, the corresponding day and month", "2024-06-12", 1, UnitYear, "2025-06-12"},
		{"29 Feb + 1 year is 28 Feb", "2024-02-29", 1, UnitYear, "2025-02-28"},
	}
	for _, c := range cases {
		got, err := AddPeriod(civil.MustDate(c.from), c.n, c.unit, cal)
		if err != nil || got.String() != c.want {
			t.Errorf("%s: AddPeriod(%s, %d, %s) = %s, %v; want %s", c.name, c.from, c.n, c.unit, got, err, c.want)
		}
	}
	for _, bad := range []struct {
		from string
		n    int
		unit Unit
	}{{"2026-01-01", 0, UnitDay}, {"2026-01-01", -3, UnitMonth}, {"2026-01-01", 1001, UnitWeek}, {"2026-01-01", 1, "fortnight"}, {"2200-06-01", 12, UnitMonth}} {
		if got, err := AddPeriod(civil.MustDate(bad.from), bad.n, bad.unit, cal); err == nil {
			t.Errorf("AddPeriod(%s, %d, %s) = %s, want an error", bad.from, bad.n, bad.unit, got)
		}
	}
	if _, err := AddPeriod(civil.Date{}, 1, UnitDay, cal); err == nil {
		t.Error("a period from no date must be an error")
	}
}

func TestPeriodEndIsTheLastDay(t *testing.T) {
	for _, c := range []struct {
		e    Expr
		want string
	}{
		{Expr{Kind: KindMonth, Year: 2026, Month: 2}, "2026-02-28"}, // a Saturday: PeriodEnd does not move it
		{Expr{Kind: KindQuarter, Year: 2023, Quarter: 3}, "2023-09-30"},
		{Expr{Kind: KindHalfYear, Year: 2026, Half: 2}, "2026-12-31"},
		{Expr{Kind: KindYear, Year: 2022}, "2022-12-31"},
	} {
		if got, ok := c.e.PeriodEnd(); !ok || got.String() != c.want {
			t.Errorf("%+v.PeriodEnd() = %s, %v; want %s", c.e, got, ok, c.want)
		}
	}
	if _, ok := (Expr{Kind: KindDays, N: 3}).PeriodEnd(); ok {
		t.Error("days have no period end")
	}
}
