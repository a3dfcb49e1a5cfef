package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

// extensionJSON is an extension request as the API answers it; GrantedDueOn
// is a pointer so that null and absent differ from a date.
type extensionJSON struct {
	ID             int64   `json:"id"`
	Status         string  `json:"status"`
	RequestedDueOn string  `json:"requested_due_on"`
	GrantedDueOn   *string `json:"granted_due_on"`
}

// TestExtensionDecisionGrantsADate: the secretariat approves with a date of
// its own, earlier or later than the requested one, and the task, its
// event and the agency's notice all carry the granted date; a wrong date is
// a 422 naming due_on that changes nothing; no date grants the requested
// one, as before.
func TestExtensionDecisionGrantsADate(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		request := func(id int64, due string) extensionJSON {
			var e extensionJSON
			r := f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/extensions", id), map[string]any{"requested_due_on": due, "reason": "Chờ ý kiến các bộ"}).Want(201)
			r.JSON(&e)
			if m := r.Map(); e.GrantedDueOn != nil || m["granted_due_on"] != nil {
				t.Fatalf("a pending request shows granted_due_on %v", m["granted_due_on"])
			} else if _, ok := m["granted_due_on"]; !ok {
				t.Fatalf("a pending request has no granted_due_on: %s", r.Body)
			}
			return e
		}
		decide := func(ext int64, body map[string]any, want int) extensionJSON {
			var e extensionJSON
			r := f.secretariat.Do("POST", fmt.Sprintf("/api/v1/extensions/%d/decision", ext), body).Want(want)
			if want == 200 {
				r.JSON(&e)
			}
			if want == 422 && !strings.Contains(string(r.Body), `"body.due_on"`) {
				t.Errorf("a wrong due_on (%v) is refused without naming it: %s", body["due_on"], r.Body)
			}
			return e
		}
		notices := func() []string {
			var ns struct {
				Items []struct{ Kind, Title, Body string }
			}
			f.byt.Do("GET", "/api/v1/me/notifications?limit=500", nil).Want(200).JSON(&ns)
			var out []string
			for _, n := range ns.Items {
				if n.Kind == "extension_decided" {
					out = append(out, n.Title+"\n"+n.Body)
				}
			}
			return out
		}

		// Earlier than requested.
		a := f.leadTask(t, nil) // due 2026-03-31
		ea := request(a.ID, "2026-04-30")
		before := f.task(f.secretariat, a.ID)
		nEvents := len(f.events(f.secretariat, a.ID))
		for _, bad := range []string{
			"2026-03-31", // not after the current due date
			"2026-03-15", // before it
			"2026-02-30", // no such day
			"2031-12-31", // more than five years away
			"30/04/2026", // not the API's format
		} {
			decide(ea.ID, map[string]any{"approve": true, "due_on": bad}, 422)
		}
		if got := f.task(f.secretariat, a.ID); *got.DueOn != "2026-03-31" || got.Version != before.Version || got.OriginalDueOn == nil || *got.OriginalDueOn != "2026-03-31" {
			t.Fatalf("after refused decisions the task is due %v (original %v), version %d, want it untouched at version %d",
				*got.DueOn, got.OriginalDueOn, got.Version, before.Version)
		}
		if n := len(f.events(f.secretariat, a.ID)); n != nEvents {
			t.Errorf("refused decisions left %d events, want %d", n, nEvents)
		}
		var pending struct{ Items []extensionJSON }
		f.secretariat.Do("GET", "/api/v1/extensions", nil).Want(200).JSON(&pending)
		if len(pending.Items) != 1 || pending.Items[0].ID != ea.ID || pending.Items[0].Status != "pending" {
			t.Fatalf("after refused decisions the queue is %+v, want request %d pending", pending.Items, ea.ID)
		}
		if len(notices()) != 0 {
			t.Errorf("a refused decision told the agency something")
		}

		got := decide(ea.ID, map[string]any{"approve": true, "due_on": "2026-04-15", "comment": "Đồng ý đến giữa tháng"}, 200)
		if got.Status != "approved" || got.GrantedDueOn == nil || *got.GrantedDueOn != "2026-04-15" || got.RequestedDueOn != "2026-04-30" {
			t.Errorf("the approved request answers %+v, want granted 2026-04-15 and requested 2026-04-30", got)
		}
		if tk := f.task(f.byt, a.ID); *tk.DueOn != "2026-04-15" || *tk.OriginalDueOn != "2026-03-31" {
			t.Errorf("the task is due %s (original %s), want 2026-04-15 (original 2026-03-31)", *tk.DueOn, *tk.OriginalDueOn)
		}
		var listed struct{ Items []extensionJSON }
		f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/extensions", a.ID), nil).Want(200).JSON(&listed)
		if len(listed.Items) != 1 || listed.Items[0].GrantedDueOn == nil || *listed.Items[0].GrantedDueOn != "2026-04-15" {
			t.Errorf("the task's requests list %+v, want one granted 2026-04-15", listed.Items)
		}
		evs := f.events(f.secretariat, a.ID)
		last := evs[len(evs)-1]
		data, _ := last["data"].(map[string]any)
		if last["action"] != "approve_extension" || data["to_due_on"] != "2026-04-15" || data["from_due_on"] != "2026-03-31" || data["requested_due_on"] != "2026-04-30" {
			t.Errorf("the approval's event is %v %v, want to_due_on 2026-04-15, from_due_on 2026-03-31, requested_due_on 2026-04-30", last["action"], data)
		}
		ns := notices()
		if len(ns) != 1 {
			t.Fatalf("BYT has %d extension notices, want 1", len(ns))
		}
		for _, want := range []string{"được gia hạn đến ngày 15/04/2026", "từ ngày 31/03/2026 đến ngày 15/04/2026", "cơ quan đề nghị đến ngày 30/04/2026", "Đồng ý đến giữa tháng"} {
			if !strings.Contains(ns[0], want) {
				t.Errorf("the notice does not say %q:\n%s", want, ns[0])
			}
		}

		// No date: the requested one, as before.
		b := f.leadTask(t, nil)
		eb := request(b.ID, "2026-04-30")
		got = decide(eb.ID, map[string]any{"approve": true}, 200)
		if got.GrantedDueOn == nil || *got.GrantedDueOn != "2026-04-30" {
			t.Errorf("an approval without a date granted %v, want the requested 2026-04-30", got.GrantedDueOn)
		}
		if tk := f.task(f.byt, b.ID); *tk.DueOn != "2026-04-30" {
			t.Errorf("an approval without a date moved the task to %s, want 2026-04-30", *tk.DueOn)
		}
		ns = notices()
		if len(ns) != 2 || !strings.Contains(ns[0]+ns[1], "từ ngày 31/03/2026 đến ngày 30/04/2026.") {
			t.Errorf("the plain approval's notice does not name the requested date: %q", ns)
		}

		// Later than requested; and a rejection grants nothing.
		c := f.leadTask(t, nil)
		ec := request(c.ID, "2026-04-30")
		decide(ec.ID, map[string]any{"approve": true, "due_on": "2026-05-29"}, 200)
		if tk := f.task(f.byt, c.ID); *tk.DueOn != "2026-05-29" {
			t.Errorf("a later granted date moved the task to %s, want 2026-05-29", *tk.DueOn)
		}
		d := f.leadTask(t, nil)
		ed := request(d.ID, "2026-04-30")
		got = decide(ed.ID, map[string]any{"approve": false, "comment": "Không có căn cứ"}, 200)
		if got.Status != "rejected" || got.GrantedDueOn != nil {
			t.Errorf("a rejection answers %+v, want rejected with no granted date", got)
		}
	})
}
