// Package civil holds the calendar date, dondoc's one type for days: due
// dates, issue dates, holidays. It depends on the standard library only, so
// that the pure rule packages (the calendar, deadlines, the extractor, the
// catalog) can use it without pulling in database code.
package civil

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no zone: a due date, a
// document's issue date, a holiday. Deadlines in dondoc are days on the
// Vietnamese working calendar, so they are never instants.
//
// The zero Date is "no date"; it is stored as NULL and written as null in JSON.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateLayout is the one textual form of a Date: ISO 8601 calendar date.
const DateLayout = "2006-01-02"

// NewDate returns the date y-m-d, normalised as time.Date normalises.
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "YYYY-MM-DD" strictly: "2023-02-30" is an error, not March.
// It reads the digits itself: every date column of every row read goes
// through here, and time.Parse was most of what reading a date cost.
func ParseDate(s string) (Date, error) {
	if len(s) != len(DateLayout) || s[4] != '-' || s[7] != '-' {
		return Date{}, invalidDate(s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	// Year 0000 would be 1 BC, which PostgreSQL's dates do not have.
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, invalidDate(s)
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

func invalidDate(s string) error {
	return fmt.Errorf("invalid date %q: want a real calendar date as YYYY-MM-DD", s)
}

// digits reads a string of ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of month m of year y, in the proleptic
// Gregorian calendar.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// MustDate is ParseDate for literals in tests and tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the absent date.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC at the start of d, a convenient fixed anchor for
// arithmetic (never for comparison with instants).
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// In returns the instant at which d starts in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n calendar days after d (before, if n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// DaysSinceEpoch numbers days consecutively (1970-01-01 is 0), so that the
// difference of two dates is a subtraction.
func (d Date) DaysSinceEpoch() int {
	return int(d.Time().Unix() / 86400)
}

// DateFromEpochDays is the inverse of DaysSinceEpoch.
func DateFromEpochDays(n int) Date {
	return DateOf(time.Unix(int64(n)*86400, 0).UTC())
}

// DaysUntil returns the number of calendar days from d to e (negative if e is before d).
func (d Date) DaysUntil(e Date) int { return e.DaysSinceEpoch() - d.DaysSinceEpoch() }

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String formats d as YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.Append(nil))
}

// Append appends d as YYYY-MM-DD (nothing for the zero date) to b.
func (d Date) Append(b []byte) []byte {
	if d.IsZero() {
		return b
	}
	y, m := d.Year, int(d.Month)
	if y < 0 || y > 9999 || m < 1 || m > 12 || d.Day < 1 || d.Day > 31 {
		return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, m, d.Day)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// Ptr returns a pointer to d, or nil for the zero date, for optional fields.
func (d Date) Ptr() *Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// The dates dondoc accepts from its users: the state's documents begin in
// 1945, and a day past 2100 is a typing error that would break calendar
// feeds (an ICS DTEND in year 10000) rather than a deadline.
var (
	MinInputDate = Date{1945, time.January, 1}
	MaxInputDate = Date{2100, time.December, 31}
)

// UnmarshalText implements encoding.TextUnmarshaler. It is how dates come
// in (JSON bodies, query strings, paths), so it accepts only dates between
// MinInputDate and MaxInputDate; rows read from the database go through
// Scan, which keeps whatever is stored.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	if v.Before(MinInputDate) || v.After(MaxInputDate) {
		return fmt.Errorf("date %s is out of range: want a day from %s to %s", v, MinInputDate, MaxInputDate)
	}
	*d = v
	return nil
}

// MarshalJSON writes null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return append(d.Append(append(make([]byte, 0, 12), '"')), '"'), nil
}

// UnmarshalJSON accepts "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string YYYY-MM-DD")
	}
	return d.UnmarshalText([]byte(s))
}

// Value stores a Date as ISO text (a DATE column on PostgreSQL; text that
// sorts chronologically on SQLite), and the zero Date as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads what either database hands back for a date column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v.UTC())
		if v.Location() != time.UTC {
			// A DATE from pgx comes as midnight UTC; anything else is a
			// timestamp in some zone, whose date in that zone is meant.
			*d = DateOf(v)
		}
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("civil.Date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(DateLayout) {
		s = s[:len(DateLayout)]
	}
	return d.UnmarshalText([]byte(s))
}

// GormDataType makes gorm declare Date columns as dates on both databases.
func (Date) GormDataType() string { return "date" }
