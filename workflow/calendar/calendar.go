package calendar

import (
	"sync"
	"sync/atomic"

	"github.com/dondoc/dondoc/civil"
)

// DayKind is what an override makes of a date.
type DayKind string

const (
	// DayHoliday makes the date a day off.
	DayHoliday DayKind = "holiday"
	// DayWorking makes the date a working day, even a Saturday or a holiday
	// (a make-up day, làm bù).
	DayWorking DayKind = "working"
)

// Override sets one date: the days the government declares off or working,
// as admins record them. An override wins over the rules and the shipped
// schedules for its date.
type Override struct {
	Date civil.Date
	Kind DayKind
	Name string
}

// Holiday is one day off that is not an ordinary weekend. Kind says where it
// comes from (HolidayPublic, HolidayTet, HolidayCompensatory, HolidaySwapped,
// HolidayWeeklyRest, HolidayDeclared). Provisional marks a day the rules
// placed because the government has not yet announced that year.
type Holiday struct {
	Date        civil.Date
	Name        string
	Kind        string
	Provisional bool
}

// The range in which the calendar precomputes and caches years; dates
// outside it still work, computed on demand. It is also the range in which
// Covers vouches for the lunar calendar's astronomy.
const (
	MinYear = 1900
	MaxYear = 2200
)

// Calendar is the working calendar of the civil service: Saturdays and
// Sundays off, the public holidays of the Labour Code 2019 (Art. 112) with
// compensatory days (Art. 111(3)), the announced schedules, and overrides.
// It is immutable once built and safe for concurrent use; each year's days
// are computed once, on first use, and cached, so that IsWorkingDay and
// AddWorkingDays never compute lunar astronomy more than once a year.
// To apply changed overrides, build a new Calendar.
type Calendar struct {
	schedules map[int]Schedule
	overrides map[int][]Override // by year
	years     [MaxYear - MinYear + 1]atomic.Pointer[yearInfo]
	other     sync.Map // int -> *yearInfo, years outside [MinYear, MaxYear]
}

// New returns the calendar of the shipped announced schedules plus the
// given overrides, which win per date (a later override for the same date
// wins over an earlier one). The shipped data are embedded and checked by
// the package's tests; New panics only if they fail to parse, which would
// be a build error.
func New(overrides []Override) *Calendar {
	schedules, _, err := LoadSchedules()
	if err != nil {
		panic(err)
	}
	return NewWithSchedules(schedules, overrides)
}

// NewWithSchedules returns the calendar of the given schedules (announced
// years) and overrides. With no schedules, every year follows the rules.
func NewWithSchedules(schedules []Schedule, overrides []Override) *Calendar {
	c := &Calendar{schedules: map[int]Schedule{}, overrides: map[int][]Override{}}
	for _, s := range schedules {
		c.schedules[s.Year] = s
	}
	for _, o := range overrides {
		if o.Date.IsZero() || (o.Kind != DayHoliday && o.Kind != DayWorking) {
			continue
		}
		c.overrides[o.Date.Year] = append(c.overrides[o.Date.Year], o)
	}
	return c
}

// Covers reports whether d is in the range the calendar vouches for.
func (c *Calendar) Covers(d civil.Date) bool {
	return d.Year >= MinYear && d.Year <= MaxYear
}

// Announced reports whether year y follows an announced schedule rather
// than the rules.
func (c *Calendar) Announced(y int) bool {
	_, ok := c.schedules[y]
	return ok
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d civil.Date) bool {
	yi := c.year(d.Year)
	return !yi.isOff(dayOf(d) - yi.first)
}

// NextWorkingDay returns d if it is a working day, else the first working
// day after it.
func (c *Calendar) NextWorkingDay(d civil.Date) civil.Date {
	if c.IsWorkingDay(d) {
		return d
	}
	return dateOfDay(c.nthWorkingAfter(dayOf(d), 1))
}

// AddWorkingDays returns the n-th working day after d, not counting d
// itself (n > 0); the |n|-th working day before d (n < 0); or
// NextWorkingDay(d) (n == 0). It is what "trong 10 ngày làm việc" means:
// the period starts the day after the document (Civil Code 2015, Art. 147(2)).
func (c *Calendar) AddWorkingDays(d civil.Date, n int) civil.Date {
	switch {
	case n > 0:
		return dateOfDay(c.nthWorkingAfter(dayOf(d), n))
	case n < 0:
		return dateOfDay(c.nthWorkingBefore(dayOf(d), -n))
	}
	return c.NextWorkingDay(d)
}

// WorkingDaysBetween returns the number of working days after a up to and
// including b, or minus the number after b up to and including a if b is
// before a.
func (c *Calendar) WorkingDaysBetween(a, b civil.Date) int {
	da, db := dayOf(a), dayOf(b)
	if db < da {
		return -c.WorkingDaysBetween(b, a)
	}
	n := 0
	for y := a.Year; y <= b.Year; y++ {
		yi := c.year(y)
		lo, hi := 0, yi.days // count indices in [lo, hi)
		if y == a.Year {
			lo = da - yi.first + 1
		}
		if y == b.Year {
			hi = db - yi.first + 1
		}
		n += int(yi.cum[hi]) - int(yi.cum[lo])
	}
	return n
}

// Holidays returns the days off of year y that are not ordinary weekends,
// sorted by date: one item per day. Holidays that fall on a weekend are
// listed on their own date, and the Saturdays and Sundays inside an
// announced block (Tết, 30/4-1/5, Quốc khánh) are listed with kind
// HolidayWeeklyRest, so that the list reads like the announcement.
func (c *Calendar) Holidays(y int) []Holiday {
	return append([]Holiday(nil), c.year(y).holidays...)
}

// MakeUpDays returns the weekend days of year y that are working days
// (làm bù), sorted, with Kind MakeUpDay.
func (c *Calendar) MakeUpDays(y int) []Holiday {
	return append([]Holiday(nil), c.year(y).makeUp...)
}

func (c *Calendar) year(y int) *yearInfo {
	if y >= MinYear && y <= MaxYear {
		slot := &c.years[y-MinYear]
		if yi := slot.Load(); yi != nil {
			return yi
		}
		yi := c.buildYear(y)
		if slot.CompareAndSwap(nil, yi) {
			return yi
		}
		return slot.Load()
	}
	if v, ok := c.other.Load(y); ok {
		return v.(*yearInfo)
	}
	v, _ := c.other.LoadOrStore(y, c.buildYear(y))
	return v.(*yearInfo)
}
