package calendar

import (
	"sort"

	"github.com/dondoc/dondoc/civil"
)

// yearInfo is one Gregorian year of the calendar, precomputed: which days
// are off, and a running count of working days, so that working-day
// arithmetic is a few array lookups and a binary search per year crossed.
type yearInfo struct {
	year     int
	first    int       // day number (days since 1970-01-01) of 1 January
	days     int       // 365 or 366
	off      [6]uint64 // bit i: day first+i is not a working day
	cum      []uint16  // cum[i]: working days among the first i days; len days+1
	holidays []Holiday
	makeUp   []Holiday
}

func (yi *yearInfo) isOff(i int) bool { return yi.off[i>>6]&(1<<(uint(i)&63)) != 0 }

func (yi *yearInfo) setOff(i int, off bool) {
	if off {
		yi.off[i>>6] |= 1 << (uint(i) & 63)
	} else {
		yi.off[i>>6] &^= 1 << (uint(i) & 63)
	}
}

// buildYear lays out year y: weekends, then the announced schedule or the
// rules, then the overrides, in that order of precedence.
func (c *Calendar) buildYear(y int) *yearInfo {
	first := daysFromCivil(y, 1, 1)
	yi := &yearInfo{year: y, first: first, days: daysFromCivil(y+1, 1, 1) - first}
	for i := 0; i < yi.days; i++ {
		if wd := ((first+i+4)%7 + 7) % 7; wd == 0 || wd == 6 { // 1970-01-01 was a Thursday (4)
			yi.setOff(i, true)
		}
	}

	byDate := map[civil.Date]Holiday{}
	makeUp := map[civil.Date]Holiday{}
	if s, ok := c.schedules[y]; ok {
		for _, d := range s.Days {
			h := Holiday{Date: d.Date, Name: d.Name, Kind: d.Kind}
			if d.Kind == MakeUpDay {
				makeUp[d.Date] = h
			} else {
				byDate[d.Date] = h
			}
		}
	} else {
		for _, h := range ruleHolidays(y) {
			byDate[h.Date] = h
		}
	}
	for _, o := range c.overrides[y] {
		switch o.Kind {
		case DayHoliday:
			delete(makeUp, o.Date)
			name := o.Name
			if name == "" {
				name = "Ngày nghỉ"
			}
			byDate[o.Date] = Holiday{Date: o.Date, Name: name, Kind: HolidayDeclared}
		case DayWorking:
			delete(byDate, o.Date)
			if isWeekend(o.Date) {
				name := o.Name
				if name == "" {
					name = "Ngày làm việc"
				}
				makeUp[o.Date] = Holiday{Date: o.Date, Name: name, Kind: MakeUpDay}
			} else {
				delete(makeUp, o.Date)
			}
		}
	}

	for d, h := range byDate {
		yi.setOff(dayOf(d)-first, true)
		yi.holidays = append(yi.holidays, h)
	}
	for d, h := range makeUp {
		yi.setOff(dayOf(d)-first, false)
		yi.makeUp = append(yi.makeUp, h)
	}
	sortHolidays(yi.holidays)
	sortHolidays(yi.makeUp)

	yi.cum = make([]uint16, yi.days+1)
	for i := 0; i < yi.days; i++ {
		yi.cum[i+1] = yi.cum[i]
		if !yi.isOff(i) {
			yi.cum[i+1]++
		}
	}
	return yi
}

// firstReaching returns the smallest index j with cum[j+1] >= target: the
// day on which the target-th working day of the year falls.
func (yi *yearInfo) firstReaching(target int) int {
	return sort.Search(yi.days, func(j int) bool { return int(yi.cum[j+1]) >= target })
}

// nthWorkingAfter returns the day number of the n-th (n >= 1) working day
// strictly after day.
func (c *Calendar) nthWorkingAfter(day, n int) int {
	y, _, _ := civilFromDays(day)
	yi := c.year(y)
	i := day - yi.first
	for {
		done := int(yi.cum[i+1]) // working days up to and including index i
		avail := int(yi.cum[yi.days]) - done
		if n <= avail {
			return yi.first + yi.firstReaching(done+n)
		}
		n -= avail
		yi, i = c.year(yi.year+1), -1
	}
}

// nthWorkingBefore returns the day number of the n-th (n >= 1) working day
// strictly before day.
func (c *Calendar) nthWorkingBefore(day, n int) int {
	y, _, _ := civilFromDays(day)
	yi := c.year(y)
	i := day - yi.first
	for {
		avail := int(yi.cum[i]) // working days before index i
		if n <= avail {
			return yi.first + yi.firstReaching(avail-n+1)
		}
		n -= avail
		yi = c.year(yi.year - 1)
		i = yi.days
	}
}
