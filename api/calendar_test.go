package api_test

import (
	"slices"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

func TestCalendarRoutes(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		var y struct {
			Announced bool `json:"announced"`
			Items     []struct {
				Date        string `json:"date"`
				Kind        string `json:"kind"`
				Provisional bool   `json:"provisional"`
			} `json:"items"`
			MakeUp []struct{ Date string } `json:"make_up_days"`
		}
		f.byt.Do("GET", "/api/v1/calendar/holidays?year=2026", nil).Want(200).JSON(&y)
		days := map[string]string{}
		for _, it := range y.Items {
			days[it.Date] = it.Kind
		}
		for d := 14; d <= 22; d++ { // Tết 2026: 14-22/2
			if days[("2026-02-"+string(rune('0'+d/10))+string(rune('0'+d%10)))] == "" {
				t.Errorf("2026-02-%d is not a day off", d)
			}
		}
		if !y.Announced || len(y.MakeUp) == 0 {
			t.Errorf("2026: announced %v, make-up days %v", y.Announced, y.MakeUp)
		}
		// Quốc khánh 2026 (Thông báo 9441/TB-BNV): Saturday 29/8 to Wednesday
		// 2/9, Monday 31/8 swapped for Saturday 22/8.
		for date, kind := range map[string]string{"2026-08-29": "weekly_rest", "2026-08-30": "weekly_rest",
			"2026-08-31": "swapped", "2026-09-01": "public_holiday", "2026-09-02": "public_holiday"} {
			if days[date] != kind {
				t.Errorf("%s: kind %q, want %q", date, days[date], kind)
			}
		}
		if days["2026-08-28"] != "" || days["2026-09-03"] != "" {
			t.Errorf("the National Day break runs past 29/8-2/9: %v, %v", days["2026-08-28"], days["2026-09-03"])
		}
		if !slices.ContainsFunc(y.MakeUp, func(d struct{ Date string }) bool { return d.Date == "2026-08-22" }) {
			t.Errorf("make-up days of 2026 = %v, want Saturday 2026-08-22 among them", y.MakeUp)
		}
		f.byt.Do("GET", "/api/v1/calendar/holidays?year=2035", nil).Want(200).JSON(&y)
		prov := false
		for _, it := range y.Items {
			prov = prov || it.Provisional
		}
		if y.Announced || !prov {
			t.Error("2035's Tết is not marked provisional")
		}
		f.byt.Do("GET", "/api/v1/calendar/holidays?year=1800", nil).Want(422)
		f.byt.Do("GET", "/api/v1/calendar/holidays", nil).Want(422)

		var d struct{ Date string }
		// Friday 13/2/2026 + 1 working day: the Tết break (14-22/2) is skipped.
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2026-02-13&n=1", nil).Want(200).JSON(&d)
		if d.Date != "2026-02-23" {
			t.Errorf("13/2/2026 + 1 working day = %s, want 2026-02-23", d.Date)
		}
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2026-02-23&n=-1", nil).Want(200).JSON(&d)
		if d.Date != "2026-02-13" {
			t.Errorf("23/2/2026 - 1 working day = %s", d.Date)
		}
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2026-02-30&n=1", nil).Want(422)
		for _, c := range []struct{ from, n, want string }{
			{"2026-08-20", "5", "2026-08-26"}, // the make-up Saturday 22/8 counts
			{"2026-08-26", "5", "2026-09-07"}, // 29/8-2/9 do not
			{"2026-09-07", "-5", "2026-08-26"},
		} {
			f.byt.Do("GET", "/api/v1/calendar/add-working-days?from="+c.from+"&n="+c.n, nil).Want(200).JSON(&d)
			if d.Date != c.want {
				t.Errorf("%s + %s working days = %s, want %s", c.from, c.n, d.Date, c.want)
			}
		}

		// An admin declares Monday 2/3/2026 a day off; only admins may.
		f.secretariat.Do("PUT", "/api/v1/calendar/days/2026-03-02", map[string]any{"kind": "holiday", "name": "Nghỉ đột xuất"}).Want(403)
		f.in.Admin.Do("PUT", "/api/v1/calendar/days/2026-03-02", map[string]any{"kind": "holiday"}).Want(422)
		f.in.Admin.Do("PUT", "/api/v1/calendar/days/2026-03-02", map[string]any{"kind": "holiday", "name": "Nghỉ đột xuất"}).Want(200)
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2026-02-27&n=1", nil).Want(200).JSON(&d)
		if d.Date != "2026-03-03" {
			t.Errorf("after declaring 2/3 off, 27/2 + 1 = %s, want 2026-03-03", d.Date)
		}
		// And a working Saturday.
		f.in.Admin.Do("PUT", "/api/v1/calendar/days/2026-03-07", map[string]any{"kind": "working", "name": "Làm bù"}).Want(200)
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2026-03-06&n=1", nil).Want(200).JSON(&d)
		if d.Date != "2026-03-07" {
			t.Errorf("6/3 + 1 with Saturday 7/3 working = %s", d.Date)
		}
		f.in.Admin.Do("DELETE", "/api/v1/calendar/days/2026-03-07", nil).Want(204)
		f.in.Admin.Do("DELETE", "/api/v1/calendar/days/2026-03-07", nil).Want(404)
		f.byt.Do("GET", "/api/v1/calendar/add-working-days?from=2026-03-06&n=1", nil).Want(200).JSON(&d)
		if d.Date != "2026-03-09" {
			t.Errorf("after removing the make-up day, 6/3 + 1 = %s", d.Date)
		}
		// A directive counted in working days uses the same calendar.
		var dir directive
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{"document_id": f.docID, "content": "x", "lead": "BYT", "due_in_working_days": 3}).Want(201).JSON(&dir)
		// Document of Wed 25/2/2026: 26, 27/2, then 2/3 is declared off, 3/3.
		if *dir.Tasks[0].DueOn != "2026-03-03" {
			t.Errorf("3 working days from 25/2 = %s, want 2026-03-03", *dir.Tasks[0].DueOn)
		}
	})
}
