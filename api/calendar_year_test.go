package api_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

// schedule2027 is a made-up announcement of 2027 (the real one is not out):
// Tết from Thursday 4/2 to Sunday 14/2, with Thursday 11/2 and Friday 12/2
// swapped for the make-up Saturdays 30/1 and 20/2, and 24/11 (Ngày Văn hóa
// Việt Nam) a day off. Against the provisional rule (Tết 4-10/2 off, no
// swap) five days change: 30/1 and 20/2 become working days, 11/2, 12/2 and
// 24/11 days off.
func schedule2027(without string) map[string]any {
	var off []map[string]any
	day := func(date, kind, name string) {
		if date != without {
			off = append(off, map[string]any{"date": date, "kind": kind, "name": name})
		}
	}
	day("2027-01-01", "public_holiday", "Tết Dương lịch")
	for i, d := range []string{"2027-02-04", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"} {
		day(d, "tet", fmt.Sprintf("Tết Nguyên đán (ngày %d)", i+1))
	}
	day("2027-02-09", "compensatory", "Nghỉ bù Tết Nguyên đán")
	day("2027-02-10", "compensatory", "Nghỉ bù Tết Nguyên đán")
	day("2027-02-11", "swapped", "Nghỉ hoán đổi (làm bù thứ Bảy 30/01/2027)")
	day("2027-02-12", "swapped", "Nghỉ hoán đổi (làm bù thứ Bảy 20/02/2027)")
	day("2027-02-13", "weekly_rest", "Nghỉ hằng tuần (dịp Tết)")
	day("2027-02-14", "weekly_rest", "Nghỉ hằng tuần (dịp Tết)")
	day("2027-04-16", "public_holiday", "Giỗ Tổ Hùng Vương")
	day("2027-04-30", "public_holiday", "Ngày Chiến thắng")
	day("2027-05-01", "public_holiday", "Ngày Quốc tế Lao động")
	day("2027-05-03", "compensatory", "Nghỉ bù Ngày Quốc tế Lao động")
	day("2027-09-02", "public_holiday", "Quốc khánh")
	day("2027-09-03", "public_holiday", "Quốc khánh (ngày liền kề)")
	day("2027-11-24", "public_holiday", "Ngày Văn hóa Việt Nam")
	return map[string]any{
		"document": map[string]any{"number": "1234/TB-BNV", "issuer": "Bộ Nội vụ", "date": "2026-11-20",
			"title": "Thông báo nghỉ Tết Âm lịch và các ngày lễ năm 2027 (giả định, cho kiểm thử)"},
		"days_off": off,
		"make_up_days": []map[string]any{
			{"date": "2027-01-30", "name": "Làm bù cho thứ Năm 11/02/2027"},
			{"date": "2027-02-20", "name": "Làm bù cho thứ Sáu 12/02/2027"},
		},
	}
}

type yearChange struct {
	Year   int  `json:"year"`
	DryRun bool `json:"dry_run"`
	Days   []struct {
		Date       string `json:"date"`
		WasWorking bool   `json:"was_working"`
		Working    bool   `json:"working"`
		Kind       string `json:"kind"`
	} `json:"days"`
	Moved []struct {
		TaskID int64  `json:"task_id"`
		From   string `json:"from"`
		To     string `json:"to"`
	} `json:"moved"`
	OnDayOff []struct {
		TaskID int64  `json:"task_id"`
		DueOn  string `json:"due_on"`
		Why    string `json:"why"`
		DayOff string `json:"day_off"`
	} `json:"fixed_due_on_day_off"`
	EntryID int64 `json:"entry_id"`
}

func (c yearChange) days() []string {
	var out []string
	for _, d := range c.Days {
		w := "off"
		if d.Working {
			w = "working"
		}
		out = append(out, d.Date+" "+w)
	}
	return out
}

func (c yearChange) moves() map[int64]string {
	out := map[int64]string{}
	for _, m := range c.Moved {
		out[m.TaskID] = m.From + "→" + m.To
	}
	return out
}

// TestCalendarYearSchedule enters a year's schedule through the API: a dry
// run first, which shows the days and the due dates that move and saves
// nothing, then the real entry, which moves them, records an event per task
// and an entry in the calendar's audit.
func TestCalendarYearSchedule(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		wd := func(n int) task { return f.leadTask(t, map[string]any{"due_on": nil, "due_in_working_days": n}) }
		// Counted from the document of 25/2/2026 on the provisional 2027:
		a := wd(240) // due Thursday 11/2/2027, a day after the provisional Tết
		b := wd(439) // due 24/11/2027
		c := wd(454) // due 15/12/2027
		d := wd(100) // due in 2026: the 2027 schedule cannot move it
		g := wd(240) // cancelled: a finished task keeps its date
		fixed := f.leadTask(t, map[string]any{"due_on": "2027-11-24"})
		period := f.leadTask(t, map[string]any{"due_on": nil, "due_period": "2027-02"})
		f.move(f.secretariat, g.ID, "cancel", 200)
		for _, c := range []struct {
			tk   task
			want string
		}{{a, "2027-02-11"}, {b, "2027-11-24"}, {c, "2027-12-15"}, {period, "2027-03-01"}} {
			if *c.tk.DueOn != c.want {
				t.Fatalf("task %d due %s before the schedule, want %s", c.tk.ID, *c.tk.DueOn, c.want)
			}
		}

		path := "/api/v1/calendar/years/2027"
		f.secretariat.Do("PUT", path+"?dry_run=true", schedule2027("")).Want(403)
		f.in.Admin.Do("PUT", path+"?dry_run=true", schedule2027("2027-04-30")).Want(422) // 30/4 left out
		bad := schedule2027("")
		bad["make_up_days"] = []map[string]any{{"date": "2027-02-22", "name": "thứ Hai"}}
		f.in.Admin.Do("PUT", path, bad).Want(422) // a make-up day that is not a weekend day
		f.in.Admin.Do("PUT", "/api/v1/calendar/years/2026", schedule2027("")).Want(422)

		wantDays := []string{"2027-01-30 working", "2027-02-11 off", "2027-02-12 off", "2027-02-20 working", "2027-11-24 off"}
		wantMoves := map[int64]string{
			a.ID: "2027-02-11→2027-02-03", // the make-up Saturday 30/1 counts: a day earlier than 4/2's break
			b.ID: "2027-11-24→2027-11-25", // 24/11 is off
			c.ID: "2027-12-15→2027-12-16", // three days off, two worked: one day later
		}
		check := func(what string, ch yearChange, dry bool) {
			t.Helper()
			if ch.Year != 2027 || ch.DryRun != dry {
				t.Errorf("%s: year %d, dry run %v", what, ch.Year, ch.DryRun)
			}
			if !slices.Equal(ch.days(), wantDays) {
				t.Errorf("%s: days that change = %v, want %v", what, ch.days(), wantDays)
			}
			if got := ch.moves(); fmt.Sprint(got) != fmt.Sprint(wantMoves) {
				t.Errorf("%s: moved %v, want %v", what, got, wantMoves)
			}
			if len(ch.OnDayOff) != 1 || ch.OnDayOff[0].TaskID != fixed.ID || ch.OnDayOff[0].Why != "date" || ch.OnDayOff[0].DayOff != "Ngày Văn hóa Việt Nam" {
				t.Errorf("%s: fixed due dates on a new day off = %+v, want task %d on 24/11", what, ch.OnDayOff, fixed.ID)
			}
		}

		var dry yearChange
		f.in.Admin.Do("PUT", path+"?dry_run=true", schedule2027("")).Want(200).JSON(&dry)
		check("dry run", dry, true)
		if got := *f.task(f.secretariat, a.ID).DueOn; got != "2027-02-11" {
			t.Errorf("the dry run moved a due date: %s", got)
		}
		var dd struct{ Date string }
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2027-02-10&n=1", nil).Want(200).JSON(&dd)
		if dd.Date != "2027-02-11" {
			t.Errorf("the dry run changed the calendar: 10/2/2027 + 1 = %s", dd.Date)
		}
		var hist struct{ Items []map[string]any }
		f.in.Admin.Do("GET", path, nil).Want(200).JSON(&hist)
		if len(hist.Items) != 0 {
			t.Errorf("the dry run recorded an entry: %v", hist.Items)
		}

		var saved yearChange
		f.in.Admin.Do("PUT", path, schedule2027("")).Want(200).JSON(&saved)
		check("saved", saved, false)
		if saved.EntryID == 0 {
			t.Error("the entry has no id")
		}
		for id, want := range map[int64]string{a.ID: "2027-02-03", b.ID: "2027-11-25", c.ID: "2027-12-16",
			d.ID: *d.DueOn, g.ID: "2027-02-11", fixed.ID: "2027-11-24", period.ID: "2027-03-01"} {
			tk := f.task(f.secretariat, id)
			if *tk.DueOn != want {
				t.Errorf("task %d due %s after the schedule, want %s", id, *tk.DueOn, want)
			}
			if _, moved := wantMoves[id]; moved && *tk.OriginalDueOn != want {
				t.Errorf("task %d: original due %s, want %s", id, *tk.OriginalDueOn, want)
			}
		}
		// The agency is told of each moved due date, once, and of nothing else.
		var ns struct {
			Items []struct {
				Kind   string `json:"kind"`
				TaskID *int64 `json:"task_id"`
			} `json:"items"`
		}
		f.byt.Do("GET", "/api/v1/me/notifications?limit=500", nil).Want(200).JSON(&ns)
		told := map[int64]int{}
		for _, n := range ns.Items {
			if n.Kind == "due_changed" && n.TaskID != nil {
				told[*n.TaskID]++
			}
		}
		if want := map[int64]int{a.ID: 1, b.ID: 1, c.ID: 1}; fmt.Sprint(told) != fmt.Sprint(want) {
			t.Errorf("due-date notices to BYT per task = %v, want %v", told, want)
		}
		evs := f.events(f.byt, a.ID)
		last := evs[len(evs)-1]
		if last["action"] != "recompute_due" || last["actor"] != f.in.Admin.Name {
			t.Errorf("task %d's last event = %v, want recompute_due by the admin", a.ID, last)
		}
		if len(f.events(f.byt, d.ID)) != 1 {
			t.Error("a task that did not move got an event")
		}
		var y struct{ Announced bool }
		f.byt.Do("GET", "/api/v1/calendar/holidays?year=2027", nil).Want(200).JSON(&y)
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2027-02-10&n=1", nil).Want(200).JSON(&dd)
		if !y.Announced || dd.Date != "2027-02-15" {
			t.Errorf("after the schedule: announced %v, 10/2/2027 + 1 = %s, want 2027-02-15", y.Announced, dd.Date)
		}

		// The audit: the entry, who made it and what it moved; agencies do
		// not read it (it names every agency's tasks).
		f.byt.Do("GET", path, nil).Want(403)
		var entries struct {
			Items []struct {
				ID       int64      `json:"id"`
				Changes  yearChange `json:"changes"`
				Schedule struct {
					Citations []struct{ Number string }
				} `json:"schedule"`
			}
		}
		f.leader.Do("GET", path, nil).Want(200).JSON(&entries)
		if len(entries.Items) != 1 || entries.Items[0].ID != saved.EntryID || entries.Items[0].Schedule.Citations[0].Number != "1234/TB-BNV" {
			t.Fatalf("entries of 2027 = %+v", entries.Items)
		}
		check("recorded", entries.Items[0].Changes, false)
		var audit struct{ OK bool }
		f.in.Admin.Do("GET", "/api/v1/admin/audit/verify", nil).Want(200).JSON(&audit)
		if !audit.OK {
			t.Error("the audit trail does not verify after the due dates moved")
		}

		// The same schedule again changes nothing; a correction that gives
		// 24/11 back as a working day moves b and c back.
		var again yearChange
		f.in.Admin.Do("PUT", path, schedule2027("")).Want(200).JSON(&again)
		if len(again.Days) != 0 || len(again.Moved) != 0 || len(again.OnDayOff) != 0 {
			t.Errorf("the same schedule again changed %v, moved %v", again.Days, again.Moved)
		}
		var fix yearChange
		f.in.Admin.Do("PUT", path, schedule2027("2027-11-24")).Want(200).JSON(&fix)
		if got := fix.moves(); fmt.Sprint(got) != fmt.Sprint(map[int64]string{b.ID: "2027-11-25→2027-11-24", c.ID: "2027-12-16→2027-12-15"}) {
			t.Errorf("the correction moved %v", got)
		}
		f.in.Admin.Do("GET", path, nil).Want(200).JSON(&entries)
		if len(entries.Items) != 3 || entries.Items[0].ID != fix.EntryID {
			t.Errorf("entries after the correction: %d, first %d, want 3, first %d", len(entries.Items), entries.Items[0].ID, fix.EntryID)
		}
	})
}
