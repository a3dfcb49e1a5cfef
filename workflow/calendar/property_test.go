package calendar

import (
	"math/rand"
	"sync"
	"testing"

	"github.com/dondoc/dondoc/civil"
)

func randomDates(seed int64, n int, fromYear, toYear int) []civil.Date {
	rng := rand.New(rand.NewSource(seed))
	lo, hi := daysFromCivil(fromYear, 1, 1), daysFromCivil(toYear+1, 1, 1)
	out := make([]civil.Date, n)
	for i := range out {
		out[i] = dateOfDay(lo + rng.Intn(hi-lo))
	}
	return out
}

func TestAddWorkingDaysProperties(t *testing.T) {
	cal := New(nil)
	rng := rand.New(rand.NewSource(20261123))
	dates := randomDates(1, 20000, 2000, 2060)
	for _, d := range dates {
		n := rng.Intn(121) - 60
		r := cal.AddWorkingDays(d, n)

		// The result is a working day: never a weekend unless made up,
		// never a listed holiday.
		if !cal.IsWorkingDay(r) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, not a working day", d, n, r)
		}
		if isWeekend(r) && !hasDate(cal.MakeUpDays(r.Year), r) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, a weekend", d, n, r)
		}
		if hasDate(cal.Holidays(r.Year), r) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, a holiday", d, n, r)
		}

		// Adding n then subtracting n returns to a working day at or before
		// the start, the start itself when it is a working day. (Going back
		// first from a day off lands at or after it, symmetrically.)
		back := cal.AddWorkingDays(r, -n)
		working := cal.IsWorkingDay(d)
		switch {
		case n == 0:
			if r != cal.NextWorkingDay(d) || (working && r != d) {
				t.Fatalf("AddWorkingDays(%v, 0) = %v", d, r)
			}
		case working && back != d:
			t.Fatalf("%v +%d = %v, -%d = %v, want the start", d, n, r, n, back)
		case n > 0 && (back.After(d) || !cal.IsWorkingDay(back)):
			t.Fatalf("%v +%d = %v, -%d = %v, want a working day at or before the start", d, n, r, n, back)
		case n < 0 && back.Before(d):
			t.Fatalf("%v %d = %v, +%d = %v, before the start", d, n, r, -n, back)
		}

		// The count agrees with WorkingDaysBetween, and the result is as
		// close as it can be: the day before it is not yet n working days.
		if n > 0 || (n < 0 && working) {
			if got := cal.WorkingDaysBetween(d, r); got != n {
				t.Fatalf("WorkingDaysBetween(%v, %v) = %d, want %d", d, r, got, n)
			}
		}
		if n > 0 {
			if got := cal.WorkingDaysBetween(d, r.AddDays(-1)); got != n-1 {
				t.Fatalf("%v +%d = %v is not the first such day", d, n, r)
			}
		}
	}
}

// Adding working days across Tết skips the whole break: from the last
// working day before it, the next working day is the first after it, and
// no working day falls inside.
func TestAddingAcrossTetSkipsTheBreak(t *testing.T) {
	for _, cal := range []*Calendar{New(nil), NewWithSchedules(nil, nil)} {
		for y := 2000; y <= 2060; y++ {
			start, end := tetBlock(cal, y)
			if end.DaysUntil(start) > -3 {
				t.Fatalf("Tết %d break %v..%v is too short", y, start, end)
			}
			for _, h := range cal.Holidays(y) {
				if h.Kind == HolidayTet && (h.Date.Before(start) || h.Date.After(end)) {
					t.Errorf("Tết day %v lies outside the break %v..%v", h.Date, start, end)
				}
			}
			before := start.AddDays(-1)
			if got := cal.AddWorkingDays(before, 1); got != end.AddDays(1) {
				t.Errorf("%d: the working day after %v is %v, want %v", y, before, got, end.AddDays(1))
			}
			if n := cal.WorkingDaysBetween(before, end); n != 0 {
				t.Errorf("%d: %d working days inside the Tết break", y, n)
			}
			for k := 1; k <= 10; k++ {
				r := cal.AddWorkingDays(before.AddDays(-3), k)
				if !r.Before(start) && !r.After(end) {
					t.Errorf("%d: AddWorkingDays lands in the break on %v", y, r)
				}
			}
		}
	}
}

// Many goroutines asking about fresh years at once see one consistent
// calendar (run with -race where cgo is available).
func TestCalendarIsSafeForConcurrentUse(t *testing.T) {
	cal := New(nil)
	want := New(nil)
	dates := randomDates(7, 2000, 1990, 2100)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(dates); i += 3 {
				if cal.AddWorkingDays(dates[i], 7) != want.AddWorkingDays(dates[i], 7) {
					errs <- dates[i].String()
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent answer differs at %s", e)
	}
}

// BenchmarkAddWorkingDays20 adds 20 working days to each of 1,000,000
// random dates between 2000 and 2060; one op is the whole million.
func BenchmarkAddWorkingDays20(b *testing.B) {
	cal := New(nil)
	dates := randomDates(42, 1_000_000, 2000, 2060)
	for _, d := range dates[:1000] { // warm the per-year cache
		cal.AddWorkingDays(d, 20)
	}
	b.ResetTimer()
	var sink civil.Date
	for i := 0; i < b.N; i++ {
		for _, d := range dates {
			sink = cal.AddWorkingDays(d, 20)
		}
	}
	_ = sink
}

func hasDate(hs []Holiday, d civil.Date) bool {
	for _, h := range hs {
		if h.Date == d {
			return true
		}
	}
	return false
}
