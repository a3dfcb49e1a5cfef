package calendar

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
)

// The table in testdata/tet_1900_2100.csv gives the first day of every lunar
// year from 1900 to 2100 twice.
//
// The "china" column is the Hong Kong Observatory's Gregorian-Lunar Calendar
// Conversion Tables, 1901-2100 (https://www.hko.gov.hk/en/gts/time/conversion.htm),
// the authoritative table of the Chinese calendar at UTC+8 (the Observatory
// computes it from HM Nautical Almanac Office and US Naval Observatory data;
// see its blog "Which day is the Tuen Ng Festival for this year (2013)?").
// Before 1929 China reckoned at Beijing mean time (116°25'E), which is why the
// table has Tết 1916 on 3 February although the new moon came at 00:05 on the
// 4th at UTC+8. 1900-01-31 precedes the Observatory's tables; it is the
// undisputed first day of the year Canh Tý in the same reckoning.
//
// The "vietnam" column is the Vietnamese calendar: the Chinese reckoning until
// 1967 and UTC+7 since Tết Mậu Thân 1968 (decision of the DRV government of
// 8 August 1967; H. Aslaksen, "The Mathematics of the Chinese Calendar", NUS,
// which gives the 1968 new moon at 16:29 UT, Tết on 29 January in the North
// and 30 January in the South). It differs from the Chinese column in:
//
//	1968  29/1 (China 30/1)  the Tết Offensive year, per Aslaksen
//	1969  16/2 (China 17/2)  new moon 1969-02-16 16:25 UT
//	1985  21/1 (China 20/2)  the solstice month differs, so the whole year
//	                         shifts by a month (Hồ Ngọc Đức, "Âm lịch Việt Nam")
//	2007  17/2 (China 18/2)
//	2030   2/2 (China  3/2)  also in the HKO blog above, as a year in which
//	                         folk calendars and the HKO almanac disagree
//	2053  18/2 (China 19/2)
//
// which are the published Vietnamese dates (Hồ Ngọc Đức's tables at
// https://www.informatik.uni-leipzig.de/~duc/amlich/, the de-facto Vietnamese
// reference, computed for UTC+7; the 1985/2007/2030/2053 values are also the
// known checks of docs/DESIGN.md §5).
var vietnamDiffersFromChina = []int{1968, 1969, 1985, 2007, 2030, 2053}

type tetRow struct {
	year           int
	china, vietnam civil.Date
}

func readTetTable(t *testing.T) []tetRow {
	t.Helper()
	var rows []tetRow
	for _, rec := range readCSV(t, "testdata/tet_1900_2100.csv") {
		y, err := strconv.Atoi(rec[0])
		if err != nil {
			t.Fatalf("bad year %q", rec[0])
		}
		rows = append(rows, tetRow{year: y, china: civil.MustDate(rec[1]), vietnam: civil.MustDate(rec[2])})
	}
	if len(rows) != 201 || rows[0].year != 1900 || rows[200].year != 2100 {
		t.Fatalf("table has %d rows, want every year 1900-2100", len(rows))
	}
	return rows
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		out = append(out, strings.Split(line, ","))
	}
	return out
}

func TestTetMatchesTheChineseTableAtUTC8(t *testing.T) {
	for _, r := range readTetTable(t) {
		got, ok := LunarToSolar(LunarDate{Year: r.year, Month: 1, Day: 1}, ChinaUTCOffset(r.year))
		if !ok || got != r.china {
			t.Errorf("Chinese New Year %d = %v, table says %v", r.year, got, r.china)
		}
	}
}

func TestTetMatchesTheVietnameseTable(t *testing.T) {
	for _, r := range readTetTable(t) {
		if got := TetOf(r.year); got != r.vietnam {
			t.Errorf("TetOf(%d) = %v, table says %v", r.year, got, r.vietnam)
		}
		if l := ToVietnamese(r.vietnam); l != (LunarDate{Year: r.year, Month: 1, Day: 1}) {
			t.Errorf("ToVietnamese(%v) = %+v, want 1/1/%d", r.vietnam, l, r.year)
		}
	}
}

func TestYearsWhereVietnamAndChinaDiffer(t *testing.T) {
	var inTable, computed []int
	for _, r := range readTetTable(t) {
		if r.china != r.vietnam {
			inTable = append(inTable, r.year)
		}
		if r.year >= 1968 && TetOf(r.year) != mustSolar(t, LunarDate{Year: r.year, Month: 1, Day: 1}, 8) {
			computed = append(computed, r.year)
		}
	}
	if !equalInts(inTable, vietnamDiffersFromChina) {
		t.Errorf("the table differs from China in %v, want %v", inTable, vietnamDiffersFromChina)
	}
	if !equalInts(computed, vietnamDiffersFromChina) {
		t.Errorf("UTC+7 and UTC+8 give different Tết in %v, want %v", computed, vietnamDiffersFromChina)
	}
	known := map[int][2]string{ // year: Vietnam, China
		1985: {"1985-01-21", "1985-02-20"},
		2007: {"2007-02-17", "2007-02-18"},
		2030: {"2030-02-02", "2030-02-03"},
		2053: {"2053-02-18", "2053-02-19"},
	}
	for y, want := range known {
		if got := TetOf(y).String(); got != want[0] {
			t.Errorf("Tết %d in Vietnam = %s, want %s", y, got, want[0])
		}
		if got := mustSolar(t, LunarDate{Year: y, Month: 1, Day: 1}, 8).String(); got != want[1] {
			t.Errorf("Tết %d in China = %s, want %s", y, got, want[1])
		}
	}
}

func TestLeapMonths(t *testing.T) {
	for y, want := range map[int]int{2020: 4, 2023: 2, 2024: 0, 2025: 6, 2026: 0, 2028: 5, 2033: 11} {
		if got := LeapMonth(y, 7); got != want {
			t.Errorf("leap month of %d = %d, want %d", y, got, want)
		}
	}
	d, ok := LunarToSolar(LunarDate{Year: 2033, Month: 11, Day: 1, Leap: true}, 7)
	if !ok || d != civil.MustDate("2033-12-22") {
		t.Errorf("leap month 11 of 2033 starts %v (%v), want 2033-12-22", d, ok)
	}
	if l := SolarToLunar(civil.MustDate("2033-12-22"), 7); l != (LunarDate{Year: 2033, Month: 11, Day: 1, Leap: true}) {
		t.Errorf("2033-12-22 = %+v, want the first of leap month 11", l)
	}
	if _, ok := LunarToSolar(LunarDate{Year: 2024, Month: 4, Day: 1, Leap: true}, 7); ok {
		t.Error("2024 has no leap month 4, yet LunarToSolar found one")
	}
}

// testdata/leap_months_1968_2099.csv comes from an independent
// implementation (Time4J's VietnameseCalendar, UTC+7 since 1968).
func TestLeapMonthsMatchAnIndependentTable(t *testing.T) {
	want := map[int]int{}
	for _, rec := range readCSV(t, "testdata/leap_months_1968_2099.csv") {
		y, _ := strconv.Atoi(rec[0])
		m, _ := strconv.Atoi(rec[1])
		want[y] = m
	}
	for y := 1968; y <= 2099; y++ {
		if got := LeapMonth(y, 7); got != want[y] {
			t.Errorf("leap month of %d = %d, want %d", y, got, want[y])
		}
	}
}

func TestHungKingsDay(t *testing.T) {
	// 10/3 lunar as the announcements and the press give it.
	for y, want := range map[int]string{2023: "2023-04-29", 2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26", 2027: "2027-04-16"} {
		if got := HungKingsDay(y).String(); got != want {
			t.Errorf("HungKingsDay(%d) = %s, want %s", y, got, want)
		}
	}
}

// Every day from 1960 to 2070 converts to a lunar date and back, and lunar
// dates advance one day at a time through months of 29 or 30 days.
func TestSolarLunarRoundTrip(t *testing.T) {
	start, end := dayOf(civil.MustDate("1960-01-01")), dayOf(civil.MustDate("2070-12-31"))
	if testing.Short() {
		end = start + 3000
	}
	var prev LunarDate
	for n := start; n <= end; n++ {
		d := dateOfDay(n)
		l := SolarToLunar(d, 7)
		back, ok := LunarToSolar(l, 7)
		if !ok || back != d {
			t.Fatalf("%v -> %+v -> %v (%v)", d, l, back, ok)
		}
		if n > start {
			sameMonth := l.Day == prev.Day+1 && l.Month == prev.Month && l.Leap == prev.Leap && l.Year == prev.Year
			newMonth := l.Day == 1 && (prev.Day == 29 || prev.Day == 30)
			if !sameMonth && !newMonth {
				t.Fatalf("%v: %+v does not follow %+v", d, l, prev)
			}
		}
		prev = l
	}
}

func TestLunarToSolarRejectsImpossibleDates(t *testing.T) {
	// The 12th month of Giáp Thìn (2024) has 29 days: Tết Ất Tỵ is 29/1/2025
	// and 28/1/2025 is its 29th.
	if d, ok := LunarToSolar(LunarDate{Year: 2024, Month: 12, Day: 29}, 7); !ok || d != civil.MustDate("2025-01-28") {
		t.Errorf("29/12/2024 = %v, %v", d, ok)
	}
	for _, l := range []LunarDate{{2024, 12, 30, false}, {2024, 13, 1, false}, {2024, 0, 1, false}, {2024, 1, 0, false}, {2025, 5, 1, true}} {
		if d, ok := LunarToSolar(l, 7); ok {
			t.Errorf("LunarToSolar(%+v) = %v, want no such date", l, d)
		}
	}
}

func mustSolar(t *testing.T, l LunarDate, off float64) civil.Date {
	t.Helper()
	d, ok := LunarToSolar(l, off)
	if !ok {
		t.Fatalf("no date for %+v", l)
	}
	return d
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
