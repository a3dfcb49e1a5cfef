package calendar

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/civil"
)

// announcedYear is a year's schedule as the official documents give it,
// written out here independently of data/announced.json: every day off that
// is not an ordinary weekend, and every weekend day worked.
type announcedYear struct {
	off    []string // single dates or "from..to" ranges
	makeUp []string
}

var announcedYears = map[int]announcedYear{
	// Thông báo 5015/TB-LĐTBXH (22/11/2023): Tết 8/2-14/2 (5 days of Tết,
	// 2 compensatory), Quốc khánh 31/8-3/9; Công văn 2450/VPCP-KGVX
	// (12/4/2024): 27/4-1/5 off, Monday 29/4 swapped for Saturday 4/5;
	// Labour Code: 1/1, Giỗ Tổ 18/4.
	2024: {
		off:    []string{"2024-01-01", "2024-02-08..2024-02-14", "2024-04-18", "2024-04-27..2024-05-01", "2024-08-31..2024-09-03"},
		makeUp: []string{"2024-05-04"},
	},
	// Công văn 8726/VPCP-KGVX (26/11/2024): Tết 25/1-2/2 (5 days of Tết and
	// 4 weekend days), 30/4-4/5 with Friday 2/5 swapped for Saturday 26/4,
	// Quốc khánh 2/9 and the day before: 30/8-2/9; Labour Code: 1/1, Giỗ
	// Tổ 7/4.
	2025: {
		off:    []string{"2025-01-01", "2025-01-25..2025-02-02", "2025-04-07", "2025-04-30..2025-05-04", "2025-08-30..2025-09-02"},
		makeUp: []string{"2025-04-26"},
	},
	// Công văn 12729/VPCP-KGVX (25/12/2025): 1/1-4/1 with Friday 2/1 swapped
	// for Saturday 10/1; Thông báo 9441/TB-BNV (16/10/2025): Tết 14/2-22/2,
	// Quốc khánh Saturday 29/8 to Wednesday 2/9 with Monday 31/8 swapped for
	// Saturday 22/8; Labour Code: Giỗ Tổ on Sunday 26/4 given back on Monday
	// 27/4 (Art. 111(3)), 30/4, 1/5.
	2026: {
		off:    []string{"2026-01-01..2026-01-04", "2026-02-14..2026-02-22", "2026-04-26..2026-04-27", "2026-04-30..2026-05-01", "2026-08-29..2026-09-02"},
		makeUp: []string{"2026-01-10", "2026-08-22"},
	},
}

func expandDates(t *testing.T, specs []string) map[civil.Date]bool {
	t.Helper()
	out := map[civil.Date]bool{}
	for _, s := range specs {
		from, to, ok := strings.Cut(s, "..")
		if !ok {
			to = from
		}
		for d := civil.MustDate(from); !d.After(civil.MustDate(to)); d = d.AddDays(1) {
			out[d] = true
		}
	}
	return out
}

func TestAnnouncedSchedulesDayByDay(t *testing.T) {
	cal := New(nil)
	for year, want := range announcedYears {
		off, makeUp := expandDates(t, want.off), expandDates(t, want.makeUp)
		if !cal.Announced(year) {
			t.Errorf("%d is not an announced year", year)
		}
		// Every day of the year, against the announcement.
		for d := (civil.Date{Year: year, Month: time.January, Day: 1}); d.Year == year; d = d.AddDays(1) {
			wantWorking := !(isWeekend(d) || off[d]) || makeUp[d]
			if got := cal.IsWorkingDay(d); got != wantWorking {
				t.Errorf("%v (%v): working = %v, the announcement says %v", d, d.Weekday(), got, wantWorking)
			}
		}
		// Holidays lists exactly the announced days off, each once, sorted.
		hs := cal.Holidays(year)
		listed := map[civil.Date]bool{}
		for i, h := range hs {
			if listed[h.Date] {
				t.Errorf("%v listed twice", h.Date)
			}
			if i > 0 && !hs[i-1].Date.Before(h.Date) {
				t.Errorf("Holidays(%d) not sorted at %v", year, h.Date)
			}
			if h.Provisional {
				t.Errorf("%v is announced, yet provisional", h.Date)
			}
			listed[h.Date] = true
		}
		for d := range off {
			if !listed[d] {
				t.Errorf("Holidays(%d) lacks %v", year, d)
			}
		}
		for d := range listed {
			if !off[d] {
				t.Errorf("Holidays(%d) lists %v, which the announcement does not", year, d)
			}
		}
		mu := cal.MakeUpDays(year)
		if len(mu) != len(makeUp) {
			t.Errorf("MakeUpDays(%d) = %v, want %v", year, mu, want.makeUp)
		}
		for _, h := range mu {
			if !makeUp[h.Date] || h.Kind != MakeUpDay {
				t.Errorf("MakeUpDays(%d) has %+v", year, h)
			}
		}
	}
}

func TestShippedSchedulesCiteTheirSources(t *testing.T) {
	schedules, law, err := LoadSchedules()
	if err != nil {
		t.Fatal(err)
	}
	if law.Number != "45/2019/QH14" {
		t.Errorf("law = %+v", law)
	}
	years := map[int]bool{}
	for _, s := range schedules {
		years[s.Year] = true
		if len(s.Citations) == 0 {
			t.Errorf("%d has no citation", s.Year)
		}
	}
	for y := range announcedYears {
		if !years[y] {
			t.Errorf("no shipped schedule for %d", y)
		}
	}
	ovs, cites, err := LoadAnnounced()
	if err != nil {
		t.Fatal(err)
	}
	numbers := map[string]bool{}
	for _, c := range cites {
		numbers[c.Number] = true
	}
	for _, n := range []string{"5015/TB-LĐTBXH", "2450/VPCP-KGVX", "8726/VPCP-KGVX", "12729/VPCP-KGVX", "9441/TB-BNV"} {
		if !numbers[n] {
			t.Errorf("citations lack %s", n)
		}
	}
	var sawMakeUp bool
	for _, o := range ovs {
		if o.Date == civil.MustDate("2026-01-10") {
			sawMakeUp = o.Kind == DayWorking
		}
	}
	if !sawMakeUp {
		t.Error("LoadAnnounced lacks the make-up Saturday 2026-01-10")
	}
	// Built from the flattened overrides alone, the calendar agrees with the
	// schedules on every working day of the announced years.
	flat, full := NewWithSchedules(nil, ovs), New(nil)
	for d := civil.MustDate("2024-01-01"); d.Year <= 2026; d = d.AddDays(1) {
		if flat.IsWorkingDay(d) != full.IsWorkingDay(d) {
			t.Errorf("%v: overrides say working=%v, schedules %v", d, flat.IsWorkingDay(d), full.IsWorkingDay(d))
		}
	}
}

// Every citation points at a Vietnamese page (an earlier one pointed at an
// unrelated foreign site) and says what it covers.
func TestShippedCitationsAreVietnamesePages(t *testing.T) {
	schedules, law, err := LoadSchedules()
	if err != nil {
		t.Fatal(err)
	}
	cites := []Citation{law}
	for _, s := range schedules {
		cites = append(cites, s.Citations...)
	}
	for _, c := range cites {
		if c.Title == "" || (c.Number != law.Number && c.Covers == "") {
			t.Errorf("%s lacks its title or what it covers", c.Number)
		}
		if _, err := civil.ParseDate(c.Date); err != nil {
			t.Errorf("%s: date %q: %v", c.Number, c.Date, err)
		}
		for _, raw := range append([]string{c.URL}, c.SeeAlso...) {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.HasSuffix(u.Hostname(), ".vn") {
				t.Errorf("%s cites %q: want a page on a .vn site", c.Number, raw)
			}
		}
	}
}

// The National Day break of 2026 (Thông báo 9441/TB-BNV): Saturday 29/8 to
// Wednesday 2/9, Monday 31/8 swapped for Saturday 22/8. Before it was
// recorded, 5 working days from 20/8 gave 27/8 and from 26/8 gave 4/9.
func TestNationalDay2026(t *testing.T) {
	cal := New(nil)
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-08-20", 5, "2026-08-26"}, // Fri 21, Sat 22 (make-up), Mon 24, Tue 25, Wed 26
		{"2026-08-26", 5, "2026-09-07"}, // Thu 27, Fri 28, the break, Thu 3/9, Fri 4/9, Mon 7/9
		{"2026-08-28", 1, "2026-09-03"},
		{"2026-09-03", -1, "2026-08-28"},
		{"2026-08-21", 1, "2026-08-22"},
	} {
		if got := cal.AddWorkingDays(civil.MustDate(c.from), c.n); got.String() != c.want {
			t.Errorf("AddWorkingDays(%s, %d) = %v, want %s", c.from, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		day     string
		working bool
		kind    string // of the day off, or MakeUpDay
	}{
		{"2026-08-22", true, MakeUpDay},
		{"2026-08-23", false, ""}, // an ordinary Sunday
		{"2026-08-28", true, ""},
		{"2026-08-29", false, HolidayWeeklyRest},
		{"2026-08-30", false, HolidayWeeklyRest},
		{"2026-08-31", false, HolidaySwapped},
		{"2026-09-01", false, HolidayPublic},
		{"2026-09-02", false, HolidayPublic},
		{"2026-09-03", true, ""},
	} {
		d := civil.MustDate(c.day)
		if got := cal.IsWorkingDay(d); got != c.working {
			t.Errorf("%s (%v): working = %v, want %v", c.day, d.Weekday(), got, c.working)
		}
		kind := ""
		for _, h := range append(cal.Holidays(2026), cal.MakeUpDays(2026)...) {
			if h.Date == d {
				kind = h.Kind
			}
		}
		if kind != c.kind {
			t.Errorf("%s is listed as %q, want %q", c.day, kind, c.kind)
		}
	}
	if n := cal.WorkingDaysBetween(civil.MustDate("2026-08-21"), civil.MustDate("2026-09-04")); n != 8 {
		t.Errorf("working days after 21/8 up to 4/9/2026 = %d, want 8 (22/8, 24-28/8, 3-4/9)", n)
	}
}

// The law's fixed days are off in every announced year too: the data do not
// forget a holiday.
func TestAnnouncedYearsKeepTheStatutoryHolidays(t *testing.T) {
	cal := New(nil)
	for y := range announcedYears {
		for _, h := range ruleHolidays(y) {
			if h.Kind == HolidayPublic && !h.Provisional && cal.IsWorkingDay(h.Date) {
				t.Errorf("%s (%v) is a working day in the announced %d", h.Name, h.Date, y)
			}
		}
	}
}

// Art. 111(3): a holiday on a weekly rest day is given back on the next
// working day.
func TestCompensatoryDays(t *testing.T) {
	cal := NewWithSchedules(nil, nil) // rules only
	cases := []struct {
		year int
		want map[string]string // date -> kind
	}{
		// 1/1/2022 Saturday; Giỗ Tổ 10/4/2022 Sunday; 30/4 Saturday and 1/5
		// Sunday give back Monday 2/5 and Tuesday 3/5.
		{2022, map[string]string{"2022-01-03": HolidayCompensatory, "2022-04-11": HolidayCompensatory, "2022-05-02": HolidayCompensatory, "2022-05-03": HolidayCompensatory}},
		// 1/1/2023 Sunday; Giỗ Tổ 29/4 Saturday, 30/4 Sunday, 1/5 Monday: the
		// two given back after 1/5; Quốc khánh on Saturday 2/9 with Friday
		// 1/9, given back on Monday 4/9.
		{2023, map[string]string{"2023-01-02": HolidayCompensatory, "2023-05-02": HolidayCompensatory, "2023-05-03": HolidayCompensatory, "2023-09-01": HolidayPublic, "2023-09-04": HolidayCompensatory}},
		// Giỗ Tổ on Sunday 26/4/2026, given back on Monday 27/4.
		{2026, map[string]string{"2026-04-27": HolidayCompensatory}},
	}
	for _, c := range cases {
		got := map[string]Holiday{}
		for _, h := range cal.Holidays(c.year) {
			got[h.Date.String()] = h
		}
		for d, kind := range c.want {
			if got[d].Kind != kind {
				t.Errorf("%s: %+v, want kind %s", d, got[d], kind)
			}
			if cal.IsWorkingDay(civil.MustDate(d)) {
				t.Errorf("%s is a working day", d)
			}
		}
	}
	if cal.IsWorkingDay(civil.MustDate("2023-05-04")) == false {
		t.Error("2023-05-04 should be back to work")
	}
}

// The default Tết rule reproduces the announced blocks of 2020-2026, and
// marks its days provisional.
func TestDefaultTetRuleMatchesPastAnnouncements(t *testing.T) {
	cal := NewWithSchedules(nil, nil)
	blocks := map[int]string{
		2020: "2020-01-23..2020-01-29", 2021: "2021-02-10..2021-02-16", 2022: "2022-01-29..2022-02-06",
		2023: "2023-01-20..2023-01-26", 2024: "2024-02-08..2024-02-14", 2025: "2025-01-25..2025-02-02",
		2026: "2026-02-14..2026-02-22",
	}
	for y, spec := range blocks {
		from, to, _ := strings.Cut(spec, "..")
		start, end := tetBlock(cal, y)
		if start.String() != from || end.String() != to {
			t.Errorf("rule Tết %d = %v..%v, announced %s", y, start, end, spec)
		}
		for _, h := range cal.Holidays(y) {
			if strings.Contains(h.Name, "Tết Nguyên đán") && !h.Provisional {
				t.Errorf("%d: %+v should be provisional", y, h)
			}
		}
	}
	// Outside Tết, a rule year's fixed holidays are not provisional.
	for _, h := range cal.Holidays(2030) {
		if h.Date.Month == time.April && h.Date.Day == 30 && h.Provisional {
			t.Errorf("30/4/2030 is law, not provisional: %+v", h)
		}
	}
}

func TestOverridesWinPerDate(t *testing.T) {
	cal := New([]Override{
		{Date: civil.MustDate("2026-11-24"), Kind: DayHoliday, Name: "Ngày Văn hóa Việt Nam"},
		{Date: civil.MustDate("2026-01-02"), Kind: DayWorking, Name: "đi làm"},
		{Date: civil.MustDate("2027-03-06"), Kind: DayWorking, Name: "Làm bù"},
		{Date: civil.MustDate("2027-03-08"), Kind: DayHoliday},
		{Date: civil.MustDate("2027-03-08"), Kind: DayWorking}, // the later wins
	})
	if cal.IsWorkingDay(civil.MustDate("2026-11-24")) {
		t.Error("declared holiday is a working day")
	}
	if !cal.IsWorkingDay(civil.MustDate("2026-01-02")) || !cal.IsWorkingDay(civil.MustDate("2027-03-06")) || !cal.IsWorkingDay(civil.MustDate("2027-03-08")) {
		t.Error("declared working days are off")
	}
	var found bool
	for _, h := range cal.Holidays(2026) {
		if h.Date == civil.MustDate("2026-01-02") {
			t.Errorf("a working override still listed as holiday: %+v", h)
		}
		if h.Date == civil.MustDate("2026-11-24") {
			found = h.Kind == HolidayDeclared && h.Name == "Ngày Văn hóa Việt Nam"
		}
	}
	if !found {
		t.Error("declared holiday missing from Holidays")
	}
	if mu := cal.MakeUpDays(2027); len(mu) != 1 || mu[0].Date != civil.MustDate("2027-03-06") {
		t.Errorf("MakeUpDays(2027) = %+v", mu)
	}
}

func TestWorkingDayArithmeticExamples(t *testing.T) {
	cal := New(nil)
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-13", 1, "2026-02-23"},  // Friday before Tết 2026 -> Monday after
		{"2026-02-23", -1, "2026-02-13"}, // and back
		{"2026-02-16", 0, "2026-02-23"},  // inside Tết: the next working day
		{"2026-02-12", 0, "2026-02-12"},  // a working day is itself
		{"2024-05-03", 1, "2024-05-04"},  // the make-up Saturday counts
		{"2025-12-31", 1, "2026-01-05"},  // across the year and Tết Dương lịch 2026
		{"2026-01-05", -1, "2025-12-31"},
		{"2022-11-30", 10, "2022-12-14"},
	}
	for _, c := range cases {
		if got := cal.AddWorkingDays(civil.MustDate(c.from), c.n); got.String() != c.want {
			t.Errorf("AddWorkingDays(%s, %d) = %v, want %s", c.from, c.n, got, c.want)
		}
	}
	if n := cal.WorkingDaysBetween(civil.MustDate("2026-02-13"), civil.MustDate("2026-02-23")); n != 1 {
		t.Errorf("working days 13/2 -> 23/2/2026 = %d, want 1", n)
	}
	if n := cal.WorkingDaysBetween(civil.MustDate("2026-02-23"), civil.MustDate("2026-02-13")); n != -1 {
		t.Errorf("backwards = %d, want -1", n)
	}
	if n := cal.WorkingDaysBetween(civil.MustDate("2025-12-01"), civil.MustDate("2026-01-31")); n != 43 {
		t.Errorf("December 2025 + January 2026 = %d working days, want 43", n)
	}
	if got := cal.NextWorkingDay(civil.MustDate("2026-02-14")); got != civil.MustDate("2026-02-23") {
		t.Errorf("NextWorkingDay(14/2/2026) = %v", got)
	}
}

// tetBlock returns the run of days off around Tết of year y.
func tetBlock(cal *Calendar, y int) (civil.Date, civil.Date) {
	tet := TetOf(y)
	start, end := tet, tet
	for !cal.IsWorkingDay(start.AddDays(-1)) {
		start = start.AddDays(-1)
	}
	for !cal.IsWorkingDay(end.AddDays(1)) {
		end = end.AddDays(1)
	}
	return start, end
}

func ExampleCalendar_AddWorkingDays() {
	cal := New(nil)
	fmt.Println(cal.AddWorkingDays(civil.MustDate("2026-02-10"), 5))
	// Output: 2026-02-24
}
