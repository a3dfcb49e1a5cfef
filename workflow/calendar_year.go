package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/deadline"
)

// EventDueRecomputed is the event of a due date moved because the working
// calendar changed under it (docs/DESIGN.md §5).
const EventDueRecomputed = "recompute_due"

// YearSchedule is a year's calendar as the government announced it for the
// civil service, entered at once (PUT /calendar/years/{year}): every day off
// that is not an ordinary weekend, and every weekend day worked.
type YearSchedule struct {
	Document   calendar.Citation // the announcing document: its number, issuer and date at least
	DaysOff    []ScheduleEntry   // Kind: public_holiday, tet, compensatory, swapped, weekly_rest or declared
	MakeUpDays []ScheduleEntry   // weekend days worked (làm bù); Kind is ignored
}

// ScheduleEntry is one day of a YearSchedule.
type ScheduleEntry struct {
	Date civil.Date
	Kind string
	Name string
}

// YearChange is what entering a year's schedule changes, or would change.
type YearChange struct {
	Year           int    `json:"year"`
	DryRun         bool   `json:"dry_run"`
	DocumentNumber string `json:"document_number"`
	// EntryID is the calendar_years row recorded (0 in a dry run).
	EntryID int64 `json:"entry_id,omitempty"`
	// Days are the days whose working status changes.
	Days []DayChange `json:"days"`
	// Replaced are the days of the year an admin had declared one by one
	// (PUT /calendar/days): the schedule supersedes them and they are removed.
	Replaced []civil.Date `json:"replaced_days"`
	// Moved are the open tasks whose due date, computed from working days or
	// from a period's end, moves.
	Moved []DueMove `json:"moved"`
	// OnDayOff are the open tasks with a fixed due date (written in the
	// document, or granted by an extension) that becomes a day off: they are
	// not moved, only named, for the secretariat to decide.
	OnDayOff []FixedDue `json:"fixed_due_on_day_off"`
	By       string     `json:"created_by,omitempty"`
	At       time.Time  `json:"created_at,omitzero"`
}

// DayChange is one day whose working status a schedule changes.
type DayChange struct {
	Date           civil.Date `json:"date"`
	WasWorking     bool       `json:"was_working"`
	WasName        string     `json:"was_name,omitempty"`
	WasProvisional bool       `json:"was_provisional,omitempty"`
	Working        bool       `json:"working"`
	Kind           string     `json:"kind,omitempty"` // of the day off it becomes, or makeup
	Name           string     `json:"name,omitempty"`
}

// DueMove is one task's due date moved by a calendar change.
type DueMove struct {
	TaskID      int64      `json:"task_id"`
	DirectiveID int64      `json:"directive_id"`
	AgencyCode  string     `json:"agency_code"`
	DueKind     string     `json:"due_kind"`
	From        civil.Date `json:"from"`
	To          civil.Date `json:"to"`
}

// FixedDue is an open task whose fixed due date becomes a day off.
type FixedDue struct {
	TaskID      int64      `json:"task_id"`
	DirectiveID int64      `json:"directive_id"`
	AgencyCode  string     `json:"agency_code"`
	DueOn       civil.Date `json:"due_on"`
	Why         string     `json:"why" enum:"date,extension"` // date: written in the document; extension: granted
	DayOff      string     `json:"day_off"`                   // the name of the day off it falls on
}

// computedDueKinds are the deadlines counted on the working calendar, which
// a change of calendar re-computes: dueByRule must know each.
var computedDueKinds = []string{DueWorkingDays, DuePeriod}

// dueByRule computes a directive's due date again from its stored rule, on
// cal, as planDeadline did when it was created; false when the directive's
// deadline is not one counted on the calendar.
func dueByRule(kind string, n *int, period string, issued civil.Date, cal *calendar.Calendar) (civil.Date, bool) {
	switch kind {
	case DueWorkingDays:
		if n == nil {
			return civil.Date{}, false
		}
		return deadline.Expr{Kind: deadline.KindWorkingDays, N: *n}.Resolve(issued, cal)
	case DuePeriod:
		e, err := deadline.ParsePeriod(period)
		if err != nil {
			return civil.Date{}, false
		}
		return e.Resolve(issued, cal)
	}
	return civil.Date{}, false
}

// SetCalendarYear enters a year's announced schedule. It replaces
// everything known of that year: the shipped data, the provisional rules,
// an earlier entry and the days an admin declared one by one. The open tasks
// whose due date was counted on the calendar (working days, a period's end)
// get their due date counted again, one event each; tasks with a fixed date
// keep it and are named when it becomes a day off (docs/DESIGN.md §5). With
// dryRun nothing is written: the answer says what would change.
func (s *Service) SetCalendarYear(ctx context.Context, actor Actor, year int, in YearSchedule, dryRun bool) (YearChange, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return YearChange{}, err
	}
	if err := checkCalendarYear("year", year); err != nil {
		return YearChange{}, err
	}
	sched, err := buildSchedule(year, in)
	if err != nil {
		return YearChange{}, err
	}
	if dryRun {
		ch, _, err := s.planYear(ctx, s.reader(ctx), sched)
		ch.DryRun = true
		return ch, err
	}
	var ch YearChange
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		var moves []DueMove
		ch, moves, err = s.planYear(ctx, tx, sched)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		ch.By, ch.At = actor.Username, now.UTC()
		why := fmt.Sprintf("Lịch làm việc năm %d theo văn bản số %s", year, sched.Citations[0].Number)
		ch.Moved = ch.Moved[:0]
		for _, mv := range moves {
			ok, err := s.moveDue(tx, actor, mv, why, sched, now)
			if err != nil {
				return err
			}
			if ok {
				ch.Moved = append(ch.Moved, mv)
			}
		}
		if err := tx.Where("day >= ? AND day <= ?", civil.NewDate(year, 1, 1), civil.NewDate(year, 12, 31)).Delete(&models.CalendarDay{}).Error; err != nil {
			return err
		}
		schedJSON, err := json.Marshal(sched)
		if err != nil {
			return err
		}
		chJSON, err := json.Marshal(ch)
		if err != nil {
			return err
		}
		row := models.CalendarYear{Year: year, DocumentNumber: sched.Citations[0].Number, Schedule: string(schedJSON),
			Changes: string(chJSON), CreatedBy: actor.Username, CreatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		ch.EntryID = row.ID
		return nil
	})
	if err != nil {
		return YearChange{}, err
	}
	s.cal.changed(ctx)
	return ch, nil
}

// moveDue moves one task's due date to the one its rule gives on the new
// calendar, with its event: the one place a calendar change moves a due
// date. It reports false, and changes nothing, when the task changed since
// it was planned (finished, extended, or moved already).
func (s *Service) moveDue(tx *gorm.DB, actor Actor, mv DueMove, why string, sched calendar.Schedule, now time.Time) (bool, error) {
	t, err := s.lockTask(tx, actor, mv.TaskID, nil)
	if err != nil {
		return false, err
	}
	if t.DueOn != mv.From || !Status(t.Status).Open() {
		return false, nil
	}
	before := t
	t.DueOn = mv.To
	// original_due_on is the first due date: moved along, since it was
	// counted on a calendar that turned out wrong, unless an extension
	// already set the effective one apart (such tasks are not planned).
	if t.OriginalDueOn.IsZero() || t.OriginalDueOn == before.DueOn {
		t.OriginalDueOn = mv.To
	}
	if err := s.saveTask(tx, before, &t, now, true); err != nil {
		return false, err
	}
	_, err = s.appendEvent(tx, models.Event{
		TaskID: t.ID, Action: EventDueRecomputed, FromStatus: t.Status, ToStatus: t.Status,
		Actor: actor.Username, ActorRole: string(actor.Role), At: now, Comment: why,
		Data: eventData(map[string]any{"from_due_on": mv.From.String(), "to_due_on": mv.To.String(),
			"calendar_year": sched.Year, "document_number": sched.Citations[0].Number}),
	})
	if err != nil {
		return false, err
	}
	// The agency is told, so that its calendar feed and reminders are
	// understood (issue 19).
	if err := s.noticeDueChanged(tx, &t, mv.From, mv.To, why); err != nil {
		return false, err
	}
	return true, nil
}

// calendarState reads what the calendar in force is built from: the
// admins' days and the latest entered schedule of each year.
func calendarState(q *gorm.DB) (map[int]calendar.Schedule, []models.CalendarDay, error) {
	shipped, _, err := calendar.LoadSchedules()
	if err != nil {
		return nil, nil, err
	}
	schedules := make(map[int]calendar.Schedule, len(shipped))
	for _, sc := range shipped {
		schedules[sc.Year] = sc
	}
	var entries []models.CalendarYear
	err = q.Raw("SELECT c.year, c.schedule FROM calendar_years c WHERE c.id = (SELECT MAX(id) FROM calendar_years WHERE year = c.year)").
		Scan(&entries).Error
	if err != nil {
		return nil, nil, fmt.Errorf("calendar years: %w", err)
	}
	for _, e := range entries {
		var sc calendar.Schedule
		if err := json.Unmarshal([]byte(e.Schedule), &sc); err != nil {
			return nil, nil, fmt.Errorf("calendar year %d: %w", e.Year, err)
		}
		schedules[e.Year] = sc
	}
	var days []models.CalendarDay
	if err := q.Order("day").Find(&days).Error; err != nil {
		return nil, nil, fmt.Errorf("calendar days: %w", err)
	}
	return schedules, days, nil
}

// buildCalendar builds the calendar of schedules and days, leaving out the
// days of year skip (0: none).
func buildCalendar(schedules map[int]calendar.Schedule, days []models.CalendarDay, skip int) *calendar.Calendar {
	list := make([]calendar.Schedule, 0, len(schedules))
	for _, sc := range schedules {
		list = append(list, sc)
	}
	overrides := make([]calendar.Override, 0, len(days))
	for _, d := range days {
		if d.Day.Year != skip {
			overrides = append(overrides, calendar.Override{Date: d.Day, Kind: calendar.DayKind(d.Kind), Name: d.Name})
		}
	}
	return calendar.NewWithSchedules(list, overrides)
}

// planYear works out what sched changes against the calendar stored in q's
// database, writing nothing. The moves are returned apart from the answer
// so that the caller can keep only those it made.
func (s *Service) planYear(ctx context.Context, q *gorm.DB, sched calendar.Schedule) (YearChange, []DueMove, error) {
	q = q.WithContext(ctx)
	y := sched.Year
	ch := YearChange{Year: y, DocumentNumber: sched.Citations[0].Number, Days: []DayChange{}, Replaced: []civil.Date{},
		Moved: []DueMove{}, OnDayOff: []FixedDue{}}
	schedules, days, err := calendarState(q)
	if err != nil {
		return ch, nil, err
	}
	oldCal := buildCalendar(schedules, days, 0)
	schedules[y] = sched
	newCal := buildCalendar(schedules, days, y)
	for _, d := range days {
		if d.Day.Year == y {
			ch.Replaced = append(ch.Replaced, d.Day)
		}
	}

	named := func(c *calendar.Calendar) map[civil.Date]calendar.Holiday {
		m := map[civil.Date]calendar.Holiday{}
		for _, h := range c.Holidays(y) {
			m[h.Date] = h
		}
		for _, h := range c.MakeUpDays(y) {
			m[h.Date] = h
		}
		return m
	}
	was, now := named(oldCal), named(newCal)
	for d := civil.NewDate(y, 1, 1); d.Year == y; d = d.AddDays(1) {
		ow, nw := oldCal.IsWorkingDay(d), newCal.IsWorkingDay(d)
		if ow == nw {
			continue
		}
		ch.Days = append(ch.Days, DayChange{Date: d, WasWorking: ow, WasName: was[d].Name, WasProvisional: was[d].Provisional,
			Working: nw, Kind: now[d].Kind, Name: now[d].Name})
	}

	// A due date counted on the calendar can move only if the count reached
	// into the year: its task was given by the year's end and is due from
	// its start on. Only open tasks move: a finished one was judged against
	// the date it had.
	var rows []struct {
		ID               int64
		DirectiveID      int64
		AgencyCode       string
		Status           string
		DueOn            civil.Date
		OriginalDueOn    civil.Date
		DueKind          string
		DueInWorkingDays *int
		DuePeriod        string
		IssuedOn         civil.Date
	}
	err = q.Raw(`SELECT t.id, t.directive_id, t.agency_code, t.status, t.due_on, t.original_due_on,
			d.due_kind, d.due_in_working_days, d.due_period, doc.issued_on
		FROM tasks t JOIN directives d ON d.id = t.directive_id JOIN documents doc ON doc.id = d.document_id
		WHERE t.status IN ('assigned','in_progress','reported') AND t.due_on >= ? AND t.assigned_on <= ?
		ORDER BY t.id`, civil.NewDate(y, 1, 1), civil.NewDate(y, 12, 31)).Scan(&rows).Error
	if err != nil {
		return ch, nil, err
	}
	var moves []DueMove
	for _, r := range rows {
		extended := !r.OriginalDueOn.IsZero() && r.OriginalDueOn != r.DueOn
		if !extended && isComputedDue(r.DueKind) {
			if to, ok := dueByRule(r.DueKind, r.DueInWorkingDays, r.DuePeriod, r.IssuedOn, newCal); ok && to != r.DueOn {
				moves = append(moves, DueMove{TaskID: r.ID, DirectiveID: r.DirectiveID, AgencyCode: r.AgencyCode, DueKind: r.DueKind, From: r.DueOn, To: to})
			}
			continue
		}
		if r.DueOn.Year == y && oldCal.IsWorkingDay(r.DueOn) && !newCal.IsWorkingDay(r.DueOn) {
			why := "date"
			if extended {
				why = "extension"
			}
			ch.OnDayOff = append(ch.OnDayOff, FixedDue{TaskID: r.ID, DirectiveID: r.DirectiveID, AgencyCode: r.AgencyCode,
				DueOn: r.DueOn, Why: why, DayOff: now[r.DueOn].Name})
		}
	}
	ch.Moved = append(ch.Moved, moves...)
	return ch, moves, nil
}

func isComputedDue(kind string) bool { return slices.Contains(computedDueKinds, kind) }

// dayOffKinds are the kinds a day off of an entered schedule may have.
var dayOffKinds = []string{calendar.HolidayPublic, calendar.HolidayTet, calendar.HolidayCompensatory,
	calendar.HolidaySwapped, calendar.HolidayWeeklyRest, calendar.HolidayDeclared}

// buildSchedule checks an entered schedule and turns it into the calendar's
// form. Beyond the shape of each day, it refuses a schedule that leaves out
// a holiday the Labour Code fixes (Art. 112(1)): a year's schedule replaces
// the rules, so a forgotten 30/4 would silently become a working day.
func buildSchedule(year int, in YearSchedule) (calendar.Schedule, error) {
	var bad Invalid
	doc := in.Document
	doc.Number, doc.Issuer, doc.Title, doc.URL = strings.TrimSpace(doc.Number), strings.TrimSpace(doc.Issuer), strings.TrimSpace(doc.Title), strings.TrimSpace(doc.URL)
	doc.Year, doc.Covers = year, strings.TrimSpace(doc.Covers)
	if doc.Number == "" {
		bad.Add("document.number", "is required: the number of the announcing document (số ký hiệu), e.g. 9441/TB-BNV")
	}
	if doc.Number == "law" {
		bad.AddValue("document.number", doc.Number, "is reserved")
	}
	if doc.Issuer == "" {
		bad.Add("document.issuer", "is required: who issued the document")
	}
	if _, err := civil.ParseDate(doc.Date); err != nil {
		bad.AddValue("document.date", doc.Date, "must be the document's date, YYYY-MM-DD")
	}
	checkLen(&bad, "document.number", doc.Number, 100)
	checkLen(&bad, "document.issuer", doc.Issuer, 200)
	checkLen(&bad, "document.title", doc.Title, 500)
	checkLen(&bad, "document.url", doc.URL, 1000)
	checkLen(&bad, "document.covers", doc.Covers, 1000)

	sched := calendar.Schedule{Year: year, Citations: []calendar.Citation{doc}}
	seen := map[civil.Date]string{}
	add := func(field string, e ScheduleEntry, kind string) {
		name := strings.TrimSpace(e.Name)
		switch {
		case e.Date.IsZero():
			bad.Add(field+".date", "is required")
			return
		case e.Date.Year != year:
			bad.AddValue(field+".date", e.Date.String(), "is not in %d", year)
			return
		case seen[e.Date] != "":
			bad.AddValue(field+".date", e.Date.String(), "is listed twice (also at %s)", seen[e.Date])
			return
		case name == "":
			bad.Add(field+".name", "is required: what is the day?")
			return
		}
		checkLen(&bad, field+".name", name, 200)
		seen[e.Date] = field
		wknd := e.Date.Weekday() == time.Saturday || e.Date.Weekday() == time.Sunday
		switch {
		case kind == calendar.MakeUpDay && !wknd:
			bad.AddValue(field+".date", e.Date.String(), "is a %s: a make-up working day is a Saturday or a Sunday", e.Date.Weekday())
		case kind == calendar.HolidayWeeklyRest && !wknd:
			bad.AddValue(field+".date", e.Date.String(), "is a %s: weekly_rest is for a Saturday or Sunday inside a break", e.Date.Weekday())
		case kind != calendar.MakeUpDay && !slices.Contains(dayOffKinds, kind):
			bad.AddValue(field+".kind", kind, "must be one of %v", dayOffKinds)
		}
		sched.Days = append(sched.Days, calendar.ScheduleDay{Date: e.Date, Kind: kind, Name: name, Source: doc.Number})
	}
	if len(in.DaysOff) > 366 || len(in.MakeUpDays) > 366 {
		bad.Add("days_off", "at most 366 days each")
		return sched, bad.Err()
	}
	for i, e := range in.DaysOff {
		if e.Kind == calendar.MakeUpDay {
			bad.AddValue(fmt.Sprintf("days_off[%d].kind", i), e.Kind, "is a working day: list it in make_up_days")
			continue
		}
		add(fmt.Sprintf("days_off[%d]", i), e, e.Kind)
	}
	for i, e := range in.MakeUpDays {
		add(fmt.Sprintf("make_up_days[%d]", i), e, calendar.MakeUpDay)
	}
	if len(bad) == 0 {
		for _, h := range calendar.NewWithSchedules(nil, nil).Holidays(year) {
			if h.Kind == calendar.HolidayPublic && !h.Provisional && (seen[h.Date] == "" || strings.HasPrefix(seen[h.Date], "make_up")) {
				bad.AddValue("days_off", h.Date.String(), "leaves out %s (%s), a holiday of the Labour Code (Art. 112(1)): list every day off of the year", h.Date, h.Name)
			}
		}
	}
	if err := bad.Err(); err != nil {
		return sched, err
	}
	sort.Slice(sched.Days, func(i, j int) bool { return sched.Days[i].Date.Before(sched.Days[j].Date) })
	if err := sched.Validate(); err != nil {
		return sched, Invalid{{Field: "days_off", Message: err.Error()}}.Err()
	}
	return sched, nil
}

// CalendarYearEntry is one recorded entry of a year's schedule, with what
// it changed.
type CalendarYearEntry struct {
	ID       int64             `json:"id"`
	Schedule calendar.Schedule `json:"schedule"`
	Changes  YearChange        `json:"changes"`
}

// CalendarYearEntries lists the schedules entered for a year, latest (the
// one in force) first. They name tasks of every agency: for the roles that
// see them all.
func (s *Service) CalendarYearEntries(ctx context.Context, actor Actor, year int) ([]CalendarYearEntry, error) {
	if err := actor.Require(RoleAdmin, RoleSecretariat, RoleLeader); err != nil {
		return nil, err
	}
	if err := checkCalendarYear("year", year); err != nil {
		return nil, err
	}
	var rows []models.CalendarYear
	if err := s.reader(ctx).Where("year = ?", year).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]CalendarYearEntry, len(rows))
	for i, r := range rows {
		out[i].ID = r.ID
		if err := json.Unmarshal([]byte(r.Schedule), &out[i].Schedule); err != nil {
			return nil, fmt.Errorf("calendar year entry %d: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(r.Changes), &out[i].Changes); err != nil {
			return nil, fmt.Errorf("calendar year entry %d: %w", r.ID, err)
		}
		out[i].Changes.EntryID = r.ID
	}
	return out, nil
}
