package workflow

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// calendarRecheck is how often a replica looks for calendar days that an
// admin changed through another replica.
const calendarRecheck = 30 * time.Second

// Calendars keeps the working calendar in force: the shipped rules and
// announcements plus the days admins recorded in the database. It is rebuilt
// when those days change.
type Calendars struct {
	db         *storage.DB
	cur        atomic.Pointer[calendar.Calendar]
	recheck    time.Duration
	checked    atomic.Int64 // unix nanoseconds of the last look at the stored days
	refreshing atomic.Bool  // a look is under way
	mu         sync.Mutex   // serializes reloads
	stamp      string
	looks      atomic.Int64 // how many times the stored days were looked at, for tests
}

// LoadCalendars reads the admins' calendar days and builds the calendar.
func LoadCalendars(ctx context.Context, db *storage.DB) (*Calendars, error) {
	c := &Calendars{db: db, recheck: calendarRecheck}
	if err := c.reload(ctx, false); err != nil {
		return nil, err
	}
	return c, nil
}

// StaticCalendars serves a fixed calendar, for tools and tests that have no
// database.
func StaticCalendars(cal *calendar.Calendar) *Calendars {
	c := &Calendars{}
	c.cur.Store(cal)
	return c
}

// Current returns the calendar in force. It never waits for the database:
// every recheck it starts one look, in the background, for days that an
// admin changed through another replica, and serves the calendar it has
// meanwhile. (It once looked on the caller's goroutine, and every request
// that came in the meantime looked again, one after another under the lock,
// some inside the writer's transaction: a bump of 60 ms in every request's
// latency, every 30 s.)
func (c *Calendars) Current() *calendar.Calendar {
	now := time.Now().UnixNano()
	if c.db != nil && now-c.checked.Load() > int64(c.recheck) && c.refreshing.CompareAndSwap(false, true) {
		c.checked.Store(now) // a look that fails is tried again at the next recheck, not at the next request
		go func() {
			defer c.refreshing.Store(false)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = c.reload(ctx, false) // on failure the calendar in force stays, and the next recheck tries again
		}()
	}
	return c.cur.Load()
}

// reload rebuilds the calendar if the stored days changed, or if force.
func (c *Calendars) reload(ctx context.Context, force bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.looks.Add(1)
	var stamp struct {
		N     int64
		Last  string
		Years int64
	}
	_, err := c.db.QueryRow(ctx, c.db.R, "SELECT COUNT(*), COALESCE(CAST(MAX(updated_at) AS TEXT), ''), (SELECT COALESCE(MAX(id), 0) FROM calendar_years) FROM calendar_days", nil, &stamp.N, &stamp.Last, &stamp.Years)
	if err != nil {
		return fmt.Errorf("calendar days: %w", err)
	}
	c.checked.Store(time.Now().UnixNano())
	key := fmt.Sprintf("%d/%s/%d", stamp.N, stamp.Last, stamp.Years)
	if key == c.stamp && c.cur.Load() != nil && !force {
		return nil
	}
	schedules, days, err := calendarState(c.db.R.WithContext(ctx))
	if err != nil {
		return err
	}
	c.cur.Store(buildCalendar(schedules, days, 0))
	c.stamp = key
	return nil
}

// changed rebuilds the calendar after an admin changed a day through this
// replica, so that the change holds from the admin's next request on. The
// change is committed: if the rebuild fails, the next Current tries again.
func (c *Calendars) changed(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.reload(ctx, true); err != nil {
		c.mu.Lock()
		c.stamp = ""
		c.mu.Unlock()
		c.checked.Store(0)
	}
}

// CalendarYear is what GET /calendar/holidays shows of a year.
type CalendarYear struct {
	Year      int
	Announced bool // the year follows the government's announced schedule, not the provisional rules
	Holidays  []calendar.Holiday
	MakeUp    []calendar.Holiday // weekend days that are working days (làm bù)
}

// checkCalendarYear answers ErrInvalid for a year outside the calendar's range.
func checkCalendarYear(field string, y int) error {
	if y < calendar.MinYear || y > calendar.MaxYear {
		return Invalid{{Field: field, Message: fmt.Sprintf("must be a year from %d to %d", calendar.MinYear, calendar.MaxYear), Value: y}}.Err()
	}
	return nil
}

// Holidays returns the days off of a year, one per day.
func (s *Service) Holidays(year int) (CalendarYear, error) {
	if err := checkCalendarYear("year", year); err != nil {
		return CalendarYear{}, err
	}
	cal := s.cal.Current()
	return CalendarYear{Year: year, Announced: cal.Announced(year), Holidays: cal.Holidays(year), MakeUp: cal.MakeUpDays(year)}, nil
}

// AddWorkingDays counts n working days from a date (backwards if n < 0).
func (s *Service) AddWorkingDays(from civil.Date, n int) (civil.Date, error) {
	if err := checkCalendarYear("from", from.Year); err != nil {
		return civil.Date{}, err
	}
	d := s.cal.Current().AddWorkingDays(from, n)
	if err := checkCalendarYear("n", d.Year); err != nil {
		return civil.Date{}, err
	}
	return d, nil
}

// SetCalendarDay records a day the government declares off or working; it
// wins over the rules and the shipped announcements. Deadlines already
// resolved keep their dates: they were fixed when the directive was issued.
func (s *Service) SetCalendarDay(ctx context.Context, actor Actor, day civil.Date, kind calendar.DayKind, name string) (models.CalendarDay, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return models.CalendarDay{}, err
	}
	name = strings.TrimSpace(name)
	var bad Invalid
	if kind != calendar.DayHoliday && kind != calendar.DayWorking {
		bad.AddValue("kind", string(kind), "must be holiday or working")
	}
	if kind == calendar.DayHoliday && name == "" {
		bad.Add("name", "is required for a holiday: what is it?")
	}
	checkLen(&bad, "name", name, 200)
	if err := bad.Err(); err != nil {
		return models.CalendarDay{}, err
	}
	if err := checkCalendarYear("date", day.Year); err != nil {
		return models.CalendarDay{}, err
	}
	row := models.CalendarDay{Day: day, Kind: string(kind), Name: name, UpdatedBy: actor.Username, UpdatedAt: s.clock.Now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "day"}}, UpdateAll: true}).Create(&row).Error
	})
	if err != nil {
		return row, err
	}
	s.cal.changed(ctx)
	return row, nil
}

// DeleteCalendarDay removes an admin's entry: the day follows the rules and
// the shipped announcements again.
func (s *Service) DeleteCalendarDay(ctx context.Context, actor Actor, day civil.Date) error {
	if err := actor.Require(RoleAdmin); err != nil {
		return err
	}
	var n int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("day = ?", day).Delete(&models.CalendarDay{})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return NotFound("calendar day")
	}
	s.cal.changed(ctx)
	return nil
}
