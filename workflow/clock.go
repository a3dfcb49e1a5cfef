package workflow

import (
	"sync"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must resolve on machines without a zoneinfo database

	"github.com/dondoc/dondoc/civil"
)

// Location is the zone in which dondoc's dates are days: a task due on
// 2025-04-29 is overdue from midnight in Hà Nội, wherever the server runs.
var Location = mustLoad("Asia/Ho_Chi_Minh")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Clock tells the time. Services never call time.Now themselves, so that
// tests can move through simulated days.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current instant in UTC, truncated to microseconds: what
// both databases store exactly, so that an instant read back equals the one
// written (the event hashes depend on it).
func (SystemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Today is the date in Asia/Ho_Chi_Minh at the clock's current instant.
func Today(c Clock) civil.Date { return civil.DateOf(c.Now().In(Location)) }

// ManualClock is a clock that tests set and advance.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock {
	return &ManualClock{t: t.UTC().Truncate(time.Microsecond)}
}

// Now returns the clock's current instant.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t.UTC().Truncate(time.Microsecond)
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// SetDay moves the clock to hour:00 of day d in Asia/Ho_Chi_Minh.
func (c *ManualClock) SetDay(d civil.Date, hour int) {
	c.Set(time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, Location))
}

// OffsetClock is the real clock moved by a fixed offset: time passes, but
// on another day. Tools use it to act "as of" a date, and tests to run
// replicas that must see leases expire.
type OffsetClock struct{ Offset time.Duration }

// Now returns the current instant plus the offset.
func (c OffsetClock) Now() time.Time {
	return time.Now().Add(c.Offset).UTC().Truncate(time.Microsecond)
}
