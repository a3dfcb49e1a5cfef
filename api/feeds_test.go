package api_test

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/dondoc/dondoc/storage/testdb"
)

// TestDeadlinesFeed parses an agency's feed with an iCalendar library and
// checks its events, UIDs and dates, and who may read it with which token.
func TestDeadlinesFeed(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg) // today is 02/03/2026; the document is of 25/02/2026
		open := f.leadTask(t, map[string]any{"due_on": "2026-03-31", "content": "Hoàn thiện hồ sơ sức khỏe điện tử; báo cáo, đề xuất"})
		acked := f.leadTask(t, map[string]any{"due_on": "2026-03-10"})
		f.move(f.byt, acked.ID, "acknowledge", 200)
		reported := f.leadTask(t, map[string]any{"due_on": "2026-04-15"})
		f.move(f.byt, reported.ID, "report_done", 200)
		done := f.leadTask(t, map[string]any{"due_on": "2026-03-20"})
		f.move(f.byt, done.ID, "report_done", 200)
		f.move(f.secretariat, done.ID, "confirm", 200)
		cancelled := f.leadTask(t, map[string]any{"due_on": "2026-03-25"})
		f.move(f.secretariat, cancelled.ID, "cancel", 200)
		f.leadTask(t, map[string]any{"due_on": nil, "due_kind": "ongoing"}) // no date: no event
		f.leadTask(t, map[string]any{"lead": "BCA", "due_on": "2026-03-15"})

		var tok struct {
			Token           string `json:"token"`
			FeedURL         string `json:"feed_url"`
			FeedURLTemplate string `json:"feed_url_template"`
		}
		f.byt.Do("POST", "/api/v1/me/feed-token", nil).Want(201).JSON(&tok)
		if !strings.HasPrefix(tok.Token, "ddf_") || !strings.HasSuffix(tok.FeedURL, "/api/v1/agencies/BYT/deadlines.ics?token="+tok.Token) {
			t.Fatalf("feed token answer = %+v", tok)
		}
		u, err := url.Parse(tok.FeedURL)
		if err != nil {
			t.Fatal(err)
		}
		anon := f.in.Anonymous() // calendar clients send no bearer token
		resp := anon.Do("GET", u.RequestURI(), nil).Want(200)
		if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		body := resp.Body
		if !bytes.HasSuffix(body, []byte("END:VCALENDAR\r\n")) || bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\n")) {
			t.Error("the feed's lines do not all end with CRLF")
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, body)
		}
		props := map[ics.Property]string{}
		for _, p := range cal.CalendarProperties {
			props[ics.Property(p.IANAToken)] = p.Value
		}
		if props[ics.PropertyVersion] != "2.0" || props[ics.PropertyMethod] != "PUBLISH" || props[ics.PropertyXWRTimezone] != "Asia/Ho_Chi_Minh" ||
			!strings.Contains(props[ics.PropertyXWRCalName], "Bộ Y tế") {
			t.Errorf("calendar properties = %v", props)
		}
		for _, c := range cal.Components {
			if _, ok := c.(*ics.VTimezone); ok {
				t.Error("an all-day feed needs no VTIMEZONE")
			}
		}
		// One event per open dated task of BYT, soonest first: acknowledged
		// (10/03), open (31/03), reported (15/04).
		events := cal.Events()
		wantIDs := []int64{acked.ID, open.ID, reported.ID}
		wantDays := []string{"20260310", "20260331", "20260415"}
		wantEnds := []string{"20260311", "20260401", "20260416"}
		if len(events) != len(wantIDs) {
			t.Fatalf("%d events, want %d:\n%s", len(events), len(wantIDs), body)
		}
		for i, ev := range events {
			if ev.Id() != fmt.Sprintf("task-%d@dondoc", wantIDs[i]) {
				t.Errorf("event %d UID = %q", i, ev.Id())
			}
			start := ev.GetProperty(ics.ComponentPropertyDtStart)
			end := ev.GetProperty(ics.ComponentPropertyDtEnd)
			if start == nil || end == nil || start.Value != wantDays[i] || end.Value != wantEnds[i] ||
				!slices.Equal(start.ICalParameters["VALUE"], []string{"DATE"}) || start.ICalParameters["TZID"] != nil {
				t.Errorf("event %d dates: start %+v end %+v", i, start, end)
			}
			if day, err := ev.GetAllDayStartAt(); err != nil || day.Format("2006-01-02") != wantDays[i][:4]+"-"+wantDays[i][4:6]+"-"+wantDays[i][6:] {
				t.Errorf("event %d all-day start = %v, %v", i, day, err)
			}
			stamp := ev.GetProperty(ics.ComponentPropertyDtstamp)
			if stamp == nil || !strings.HasSuffix(stamp.Value, "Z") {
				t.Errorf("event %d DTSTAMP = %+v, want UTC", i, stamp)
			}
			for _, p := range []ics.ComponentProperty{ics.ComponentPropertySummary, ics.ComponentPropertyDescription, ics.ComponentPropertyUrl} {
				if ev.GetProperty(p) == nil {
					t.Errorf("event %d has no %s", i, p)
				}
			}
		}
		desc := events[1].GetProperty(ics.ComponentPropertyDescription).Value
		if !strings.Contains(ics.FromText(desc), "Hoàn thiện hồ sơ sức khỏe điện tử; báo cáo, đề xuất") || !strings.Contains(ics.FromText(desc), "45/TB-VPCP") {
			t.Errorf("description = %q", desc)
		}
		if !strings.HasSuffix(events[1].GetProperty(ics.ComponentPropertyUrl).Value, fmt.Sprintf("/tasks/%d", open.ID)) {
			t.Errorf("url = %q", events[1].GetProperty(ics.ComponentPropertyUrl).Value)
		}
		// Stable: the same feed twice is the same text.
		if again := anon.Do("GET", u.RequestURI(), nil).Want(200).Body; !bytes.Equal(again, body) {
			t.Error("the feed changed between two reads with no change in between")
		}

		// Another agency's feed is hidden; a wrong, missing or revoked token is refused.
		anon.Do("GET", "/api/v1/agencies/BCA/deadlines.ics?token="+tok.Token, nil).Want(404)
		anon.Do("GET", "/api/v1/agencies/BYT/deadlines.ics?token=ddf_wrong", nil).Want(401)
		anon.Do("GET", "/api/v1/agencies/BYT/deadlines.ics", nil).Want(422)
		// A leader's token reads any agency.
		var lt struct{ Token string }
		f.leader.Do("POST", "/api/v1/me/feed-token", nil).Want(201).JSON(&lt)
		bca, err := ics.ParseCalendar(bytes.NewReader(anon.Do("GET", "/api/v1/agencies/BCA/deadlines.ics?token="+lt.Token, nil).Want(200).Body))
		if err != nil || len(bca.Events()) != 1 {
			t.Errorf("BCA's feed for a leader: %v, %d events", err, len(bca.Events()))
		}
		// A new token replaces the old; revoking stops the feed.
		var tok2 struct{ Token string }
		f.byt.Do("POST", "/api/v1/me/feed-token", nil).Want(201).JSON(&tok2)
		anon.Do("GET", u.RequestURI(), nil).Want(401)
		anon.Do("GET", "/api/v1/agencies/BYT/deadlines.ics?token="+tok2.Token, nil).Want(200)
		f.byt.Do("DELETE", "/api/v1/me/feed-token", nil).Want(204)
		anon.Do("GET", "/api/v1/agencies/BYT/deadlines.ics?token="+tok2.Token, nil).Want(401)
		f.byt.Do("DELETE", "/api/v1/me/feed-token", nil).Want(404)
		// A feed token is not a bearer token.
		anon.Do("GET", "/api/v1/tasks", nil, "Authorization", "Bearer "+lt.Token).Want(401)
	})
}
