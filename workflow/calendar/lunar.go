// Package calendar is the Vietnamese working calendar of dondoc: the lunar
// calendar that places Tết Nguyên đán and Giỗ Tổ Hùng Vương, the public
// holidays of the Labour Code, the days the government swaps or declares off
// each year, and working-day arithmetic on top of them.
package calendar

import (
	"time"

	"github.com/dondoc/dondoc/civil"
)

// LunarDate is a date of the Vietnamese lunisolar calendar (âm lịch). Year is
// the Gregorian year in which the lunar year begins (Tết of Year), so the
// 12th month of lunar year 2025 ends in February 2026. Leap marks the
// intercalary month (tháng nhuận), which repeats the number of the month
// before it.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// VietnamUTCOffset returns the UTC offset, in hours, at which the Vietnamese
// calendar computes the new moons and solar terms of lunar year y.
//
// Until 1967 Vietnam followed the Chinese reckoning (see ChinaUTCOffset). On
// 8 August 1967 the government of the Democratic Republic of Vietnam adopted
// a lunar calendar computed for UTC+7, first used for Tết Mậu Thân, which the
// North therefore celebrated on 29 January 1968 while the South, on the old
// reckoning until 1975, celebrated it on 30 January (H. Aslaksen, "The
// Mathematics of the Chinese Calendar", National University of Singapore;
// Wikipedia, "Vietnamese calendar"). The reunified country kept UTC+7, which
// every Vietnamese calendar published since uses.
//
// Calendars in Vietnam before 1954 varied (the Nguyễn court's Hiệp kỷ
// calendar was reckoned at Huế, and Time4J models it so); dondoc has no
// deadlines there and follows the Chinese reckoning of the tables it is
// tested against. Reckoned at Huế instead, Tết would come a day earlier in
// 1903, 1935 and 1965 and be the same in every other year from 1900 to 1967.
func VietnamUTCOffset(lunarYear int) float64 {
	if lunarYear < 1968 {
		return ChinaUTCOffset(lunarYear)
	}
	return 7
}

// ChinaUTCOffset returns the offset of the Chinese calendar's reckoning: the
// mean solar time of Beijing (116°25'E, UTC+7:45:40) before 1929 and UTC+8
// (the 120°E meridian) since, as in the Hong Kong Observatory's tables.
func ChinaUTCOffset(lunarYear int) float64 {
	if lunarYear < 1929 {
		return (116 + 25.0/60) / 15
	}
	return 8
}

// lunarMonth is one month of a suì: the months from one month 11 (the month
// of the winter solstice) to the next.
type lunarMonth struct {
	start int // days since 1970-01-01 of its first day
	num   int // 1..12
	leap  bool
	year  int // the lunar year it belongs to
}

// sui is the run of lunar months whose first is the month 11 containing the
// December solstice of Gregorian year y-1 and whose last precedes the month 11
// of year y. end is the first day of that next month 11.
type sui struct {
	months []lunarMonth
	end    int
}

// month11 returns the number k of the new moon that starts the lunar month
// containing the December solstice of Gregorian year y.
func month11(y int, off float64) int {
	sd := winterSolsticeDay(y, off)
	k := kNear(midnightJD(sd, off))
	for newMoonDay(k, off) > sd {
		k--
	}
	for newMoonDay(k+1, off) <= sd {
		k++
	}
	return k
}

// buildSui lays out the months between the solstice months of y-1 and y.
// A suì has 12 or 13 months; with 13, the first month after month 11 in which
// the Sun enters no major solar term (trung khí) is the leap month and takes
// the number of the month before it. That is the rule of the Chinese calendar
// since 1645 and of the Vietnamese one; the day on which a term falls is
// decided at the same UTC offset as the new moons.
func buildSui(y int, off float64) sui {
	kA, kB := month11(y-1, off), month11(y, off)
	n := kB - kA
	starts := make([]int, n+1)
	for i := range starts {
		starts[i] = newMoonDay(kA+i, off)
	}
	leapAt := 0
	if n == 13 {
		prev := sunSector(starts[1], off)
		for i := 1; i < n; i++ {
			next := sunSector(starts[i+1], off)
			if next == prev {
				leapAt = i
				break
			}
			prev = next
		}
	}
	months := make([]lunarMonth, n)
	for i := 0; i < n; i++ {
		shift := 0
		if leapAt > 0 && i >= leapAt {
			shift = 1
		}
		num := (10+i-shift)%12 + 1
		year := y
		if num >= 11 && i <= 2 { // months 11 and 12 (and a leap 11 or 12) close the previous lunar year
			year = y - 1
		}
		months[i] = lunarMonth{start: starts[i], num: num, leap: leapAt > 0 && i == leapAt, year: year}
	}
	return sui{months: months, end: starts[n]}
}

// SolarToLunar converts a Gregorian date to the lunar calendar reckoned at
// the given UTC offset (7 for Vietnam since 1968, 8 for China).
func SolarToLunar(d civil.Date, utcOffsetHours float64) LunarDate {
	day := daysFromCivil(d.Year, int(d.Month), d.Day)
	k := month11(d.Year, utcOffsetHours)
	y := d.Year
	if day >= newMoonDay(k, utcOffsetHours) {
		y++
	}
	s := buildSui(y, utcOffsetHours)
	i := len(s.months) - 1
	for i > 0 && s.months[i].start > day {
		i--
	}
	m := s.months[i]
	return LunarDate{Year: m.year, Month: m.num, Day: day - m.start + 1, Leap: m.leap}
}

// LunarToSolar converts a lunar date reckoned at the given UTC offset to the
// Gregorian calendar. It reports false for a date that does not exist: a
// leap month the year does not have, or day 30 of a 29-day month.
func LunarToSolar(l LunarDate, utcOffsetHours float64) (civil.Date, bool) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 || l.Year < 2 || l.Year > 9998 {
		return civil.Date{}, false
	}
	y := l.Year
	if l.Month >= 11 {
		y++
	}
	s := buildSui(y, utcOffsetHours)
	for i, m := range s.months {
		if m.num != l.Month || m.leap != l.Leap || m.year != l.Year {
			continue
		}
		end := s.end
		if i+1 < len(s.months) {
			end = s.months[i+1].start
		}
		if l.Day > end-m.start {
			return civil.Date{}, false
		}
		return dateOfDay(m.start + l.Day - 1), true
	}
	return civil.Date{}, false
}

// LeapMonth returns the number of the leap month of lunar year y reckoned at
// the given offset, or 0 if the year has none.
func LeapMonth(y int, utcOffsetHours float64) int {
	for _, s := range []sui{buildSui(y, utcOffsetHours), buildSui(y+1, utcOffsetHours)} {
		for _, m := range s.months {
			if m.leap && m.year == y {
				return m.num
			}
		}
	}
	return 0
}

// TetOf returns Tết Nguyên đán, the first day of the first month, of the
// Vietnamese lunar year that begins in Gregorian year y, at the offset of
// VietnamUTCOffset(y).
func TetOf(year int) civil.Date {
	d, _ := LunarToSolar(LunarDate{Year: year, Month: 1, Day: 1}, VietnamUTCOffset(year))
	return d
}

// HungKingsDay returns Giỗ Tổ Hùng Vương, the 10th day of the 3rd lunar month
// of lunar year y (Labour Code 2019, Art. 112(1)(c)).
func HungKingsDay(year int) civil.Date {
	d, _ := LunarToSolar(LunarDate{Year: year, Month: 3, Day: 10}, VietnamUTCOffset(year))
	return d
}

// ToVietnamese converts a Gregorian date to the Vietnamese lunar calendar,
// at the offset of VietnamUTCOffset for the lunar year the date falls in.
func ToVietnamese(d civil.Date) LunarDate {
	l := SolarToLunar(d, VietnamUTCOffset(d.Year))
	if off := VietnamUTCOffset(l.Year); off != VietnamUTCOffset(d.Year) {
		l = SolarToLunar(d, off)
	}
	return l
}

func dateOfDay(n int) civil.Date {
	y, m, d := civilFromDays(n)
	return civil.Date{Year: y, Month: time.Month(m), Day: d}
}

func dayOf(d civil.Date) int { return daysFromCivil(d.Year, int(d.Month), d.Day) }
