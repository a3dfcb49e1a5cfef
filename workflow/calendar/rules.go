package calendar

import (
	"sort"
	"time"

	"github.com/dondoc/dondoc/civil"
)

// Kinds of day off, the Kind of a Holiday: where the day off comes from.
const (
	// HolidayPublic is a public holiday's own date (Tết Dương lịch, Giỗ Tổ
	// Hùng Vương, 30/4, 1/5, Quốc khánh and its adjacent day), even when it
	// falls on a weekend.
	HolidayPublic = "public_holiday"
	// HolidayTet is one of the five statutory days of Tết Nguyên đán.
	HolidayTet = "tet"
	// HolidayCompensatory is the working day given back when a holiday falls
	// on a weekly rest day (nghỉ bù, Labour Code 2019 Art. 111(3)).
	HolidayCompensatory = "compensatory"
	// HolidaySwapped is a working day the government moved to a make-up
	// Saturday (hoán đổi ngày làm việc) to join a holiday to a weekend.
	HolidaySwapped = "swapped"
	// HolidayWeeklyRest is a Saturday or Sunday inside a declared holiday
	// block ("nghỉ từ thứ Bảy 14/2 đến hết Chủ nhật 22/2"): listed so that
	// Holidays matches the announcement, though it is a weekend anyway.
	HolidayWeeklyRest = "weekly_rest"
	// HolidayDeclared is a day off that an admin declared.
	HolidayDeclared = "declared"
	// MakeUpDay is the Kind of a weekend day declared a working day (làm
	// bù); see MakeUpDays.
	MakeUpDay = "makeup"
)

// Eras of the Labour Code that change the list of holidays. dondoc's
// deadlines start in the 2020s; the older eras keep past dates sensible.
const (
	compensationSince = 1995 // Labour Code 1994 (in force 1/1/1995), Art. 73: nghỉ bù
	hungKingsSince    = 2007 // Labour Code amended 2007: Giỗ Tổ Hùng Vương a holiday
	fiveTetDaysSince  = 2014 // Labour Code 2012 Art. 115 (in force 1/5/2013): Tết 5 days
	twoNationalDays   = 2021 // Labour Code 2019 Art. 112(1)(đ) (in force 1/1/2021): Quốc khánh 2 days
)

// fixedHoliday is a holiday on a fixed Gregorian date, in force from year
// From (0: always) until year To (0: still).
type fixedHoliday struct {
	month    time.Month
	day      int
	name     string
	from, to int
}

// fixedHolidays are the Gregorian-dated public holidays of the Labour Code
// 2019 (Bộ luật Lao động số 45/2019/QH14), Art. 112(1):
//
//	a) Tết Dương lịch: 01 ngày (1/1 dương lịch);
//	b) Tết Âm lịch: 05 ngày (the Prime Minister sets the days, Art. 112(3));
//	c) Ngày Chiến thắng: 01 ngày (30/4 dương lịch);
//	d) Ngày Quốc tế lao động: 01 ngày (1/5 dương lịch);
//	đ) Quốc khánh: 02 ngày (2/9 dương lịch và 01 ngày liền kề trước hoặc sau);
//	e) Ngày Giỗ Tổ Hùng Vương: 01 ngày (10/3 âm lịch).
//
// The second day of Quốc khánh is the change the 2019 Code made to the 2012
// Code (Art. 115, one day); the government picks it each year (Art.
// 112(3)), so rules.go only proposes it (provisional) and the announced data
// fix it. In January 2026 the Politburo chose 24/11 as "Ngày Văn hóa Việt
// Nam", to be a paid day off (Nghị quyết 80-NQ/TW), and the Government asked
// for Art. 112(1) to be amended (Nghị quyết 30/NQ-CP, 2/2026); no amendment
// in force could be found, so it is not listed here. When it takes effect,
// add {time.November, 24, "Ngày Văn hóa Việt Nam", <year>, 0} with the law's
// number.
var fixedHolidays = []fixedHoliday{
	{time.January, 1, "Tết Dương lịch", 0, 0},
	{time.April, 30, "Ngày Chiến thắng", 0, 0},
	{time.May, 1, "Ngày Quốc tế Lao động", 0, 0},
	{time.September, 2, "Quốc khánh", 0, 0},
}

// nationalDayNeighbour is the day the rules propose as Quốc khánh's second
// day, keyed by the weekday of 2/9: the choice of 2021-2025 (Thursday 2021:
// 3/9; Friday 2022: 1/9; Saturday 2023: 1/9; Monday 2024: 3/9; Tuesday
// 2025: 1/9), the one that joins the holiday to a weekend.
var nationalDayNeighbour = map[time.Weekday]int{
	time.Monday: +1, time.Tuesday: -1, time.Wednesday: -1, time.Thursday: +1,
	time.Friday: -1, time.Saturday: -1, time.Sunday: +1,
}

// ruleHolidays returns the days off of year y that the law and the default
// rules give, for a year without an announced schedule.
//
// The default Tết rule, provisional until the government announces the
// year: the five days are the last two days of the old lunar year and the
// first three of the new (from Tết-2 to Tết+2; four days, Tết-1 to Tết+2,
// before 2014); any of them on a Saturday or Sunday is given back on the
// next working day (Art. 111(3)); the block is listed with the weekends that
// touch it. Applied to 2020-2026 this rule gives exactly the days off that
// were announced (2020: 23-29/1; 2021: 10-16/2; 2022: 29/1-6/2; 2023:
// 20-26/1; 2024: 8-14/2; 2025: 25/1-2/2; 2026: 14-22/2), though not the
// announcements' names for them nor any swapped day.
func ruleHolidays(y int) []Holiday {
	var hs []Holiday
	taken := map[civil.Date]bool{}
	add := func(d civil.Date, kind, name string, provisional bool) {
		if d.Year != y || taken[d] {
			return
		}
		taken[d] = true
		hs = append(hs, Holiday{Date: d, Name: name, Kind: kind, Provisional: provisional})
	}
	for _, f := range fixedHolidays {
		if (f.from == 0 || y >= f.from) && (f.to == 0 || y <= f.to) {
			add(civil.Date{Year: y, Month: f.month, Day: f.day}, HolidayPublic, f.name, false)
		}
	}
	if y >= twoNationalDays {
		qk := civil.Date{Year: y, Month: time.September, Day: 2}
		add(qk.AddDays(nationalDayNeighbour[qk.Weekday()]), HolidayPublic, "Quốc khánh (ngày liền kề)", true)
	}
	if y >= hungKingsSince {
		add(HungKingsDay(y), HolidayPublic, "Giỗ Tổ Hùng Vương", false)
	}
	tet := TetOf(y)
	first, n := -1, 4
	if y >= fiveTetDaysSince {
		first, n = -2, 5
	}
	for i := 0; i < n; i++ {
		add(tet.AddDays(first+i), HolidayTet, "Tết Nguyên đán", true)
	}
	sortHolidays(hs)

	if y >= compensationSince {
		for _, h := range append([]Holiday(nil), hs...) {
			if !isWeekend(h.Date) {
				continue
			}
			next := h.Date.AddDays(1)
			for isWeekend(next) || taken[next] {
				next = next.AddDays(1)
			}
			add(next, HolidayCompensatory, "Nghỉ bù "+h.Name, h.Provisional)
		}
	}

	// List the weekends that touch the Tết block, as announcements do.
	for _, h := range append([]Holiday(nil), hs...) {
		if h.Kind != HolidayTet && !(h.Kind == HolidayCompensatory && h.Name == "Nghỉ bù Tết Nguyên đán") {
			continue
		}
		for _, step := range []int{-1, 1} {
			for d := h.Date.AddDays(step); isWeekend(d) && !taken[d]; d = d.AddDays(step) {
				add(d, HolidayWeeklyRest, "Nghỉ hằng tuần (Tết Nguyên đán)", true)
			}
		}
	}
	sortHolidays(hs)
	return hs
}

func isWeekend(d civil.Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

func sortHolidays(hs []Holiday) {
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
}
