package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// statsWorld is apptest's Scenario (every category, the agency kinds of
// the catalog, the boundaries of reporting and calendar months, from
// 14/02/2026 to 20/04/2026) under the names these tests use, with its two
// snapshots read as statistics.
type statsWorld struct {
	in                             *apptest.Instance
	secretariat, leader, byt, bca  *apptest.Client
	hanoi, ttxvn                   *apptest.Client
	docs                           map[string]int64
	tasks                          map[string]int64 // the scenario's letter → task id (lead tasks)
	coordinatorTask                int64            // BYT's coordinator task on directive g
	snapshotAt0315, snapshotAt0415 statsAnswer
}

type statsCounts = apptest.Counts

type statsAnswer struct {
	Period struct {
		From, To        *string
		ReportingPeriod string `json:"reporting_period"`
		ReportingMonth  string `json:"reporting_month"`
		Label           string
	} `json:"period"`
	Role            string     `json:"role"`
	AsOf            string     `json:"as_of"`
	Source          string     `json:"source"`
	SnapshotTakenAt *time.Time `json:"snapshot_taken_at"`
	Items           []struct {
		AgencyCode string `json:"agency_code"`
		AgencyName string `json:"agency_name"`
		AgencyKind string `json:"agency_kind"`
		statsCounts
	} `json:"items"`
	Totals statsCounts `json:"totals"`
}

// c builds counts in the categories' order: on time, late, in progress on
// time, overdue, no deadline; the total is their sum.
func c(ct, cl, pt, po, nd int) statsCounts {
	return statsCounts{CompletedOnTime: ct, CompletedLate: cl, InProgressOnTime: pt, InProgressOverdue: po, NoDeadline: nd,
		Total: ct + cl + pt + po + nd}
}

func (a statsAnswer) byAgency() map[string]statsCounts {
	out := map[string]statsCounts{}
	for _, it := range a.Items {
		out[it.AgencyCode] = it.statsCounts
	}
	return out
}

func (w *statsWorld) stats(t *testing.T, query string) statsAnswer {
	t.Helper()
	var a statsAnswer
	w.leader.Do("GET", "/api/v1/stats/agencies?"+query, nil).Want(200).JSON(&a)
	return a
}

func newStatsWorld(t *testing.T, tg testdb.Target) *statsWorld {
	t.Helper()
	s := apptest.NewScenario(t, tg)
	w := &statsWorld{in: s.In, secretariat: s.Secretariat, leader: s.Leader, byt: s.BYT, bca: s.BCA, hanoi: s.Hanoi, ttxvn: s.TTXVN,
		docs: s.Docs, tasks: s.Tasks, coordinatorTask: s.CoordinatorTask}
	for _, snap := range []struct {
		body []byte
		into *statsAnswer
	}{{s.SnapshotAt0315, &w.snapshotAt0315}, {s.SnapshotAt0415, &w.snapshotAt0415}} {
		if err := json.Unmarshal(snap.body, snap.into); err != nil {
			t.Fatalf("a snapshot's statistics: %v\n%s", err, snap.body)
		}
	}
	return w
}

func checkCounts(t *testing.T, name string, got, want map[string]statsCounts) {
	t.Helper()
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s: %s = %+v, want %+v", name, code, got[code], w)
		}
	}
	for code := range got {
		if _, ok := want[code]; !ok {
			t.Errorf("%s: unexpected agency %s: %+v", name, code, got[code])
		}
	}
}

// sumCounts adds the figures of every agency.
func sumCounts(m map[string]statsCounts) statsCounts { return apptest.SumCounts(m) }

// liveAllTime is every lead task on 20/04/2026.
var liveAllTime = apptest.ScenarioLiveAllTime

func TestAgencyStatistics(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		w := newStatsWorld(t, tg)

		all := w.stats(t, "")
		if all.Source != "live" || all.AsOf != "2026-04-20" || all.Role != "lead" {
			t.Errorf("all time: source %s as_of %s role %s", all.Source, all.AsOf, all.Role)
		}
		checkCounts(t, "all time", all.byAgency(), liveAllTime)
		if all.Totals != sumCounts(liveAllTime) || all.Totals != c(2, 2, 5, 5, 2) {
			t.Errorf("all time totals = %+v", all.Totals)
		}
		// The completion rate, per agency and in total: completed ÷
		// (completed + unfinished overdue), in per cent; null with nothing
		// to divide by (NHNN and TANDTC: nothing completed, nothing late).
		var rates struct {
			Items []struct {
				AgencyCode     string   `json:"agency_code"`
				CompletionRate *float64 `json:"completion_rate"`
			} `json:"items"`
			Totals struct {
				CompletionRate *float64 `json:"completion_rate"`
			} `json:"totals"`
			Labels map[string]string `json:"labels"`
		}
		w.leader.Do("GET", "/api/v1/stats/agencies", nil).Want(200).JSON(&rates)
		rate := func(p *float64) string {
			if p == nil {
				return "null"
			}
			return fmt.Sprint(*p)
		}
		wantRates := map[string]string{"BYT": "75", "BCA": "100", "NHNN": "null", "HANOI": "0", "TANDTC": "null", "TTXVN": "0"}
		for _, it := range rates.Items {
			if got := rate(it.CompletionRate); got != wantRates[it.AgencyCode] {
				t.Errorf("%s: completion rate %s, want %s", it.AgencyCode, got, wantRates[it.AgencyCode])
			}
		}
		if got := rate(rates.Totals.CompletionRate); got != "44.44" { // 4 ÷ (4 + 5), cut to two decimals
			t.Errorf("total completion rate %s, want 44.44", got)
		}
		for key, want := range map[string]string{"completed_on_time": "Đã hoàn thành đúng hạn", "in_progress_on_time": "Chưa hoàn thành trong hạn",
			"in_progress_overdue": "Chưa hoàn thành quá hạn", "no_deadline": "Không có thời hạn", "completed": "Đã hoàn thành",
			"unfinished": "Chưa hoàn thành", "completion_rate": "Tỷ lệ hoàn thành"} {
			if rates.Labels[key] != want {
				t.Errorf("label of %s = %q, want %q", key, rates.Labels[key], want)
			}
		}
		// A frozen month's rate comes from its counts: 2 ÷ (2 + 1).
		w.leader.Do("GET", "/api/v1/stats/agencies?period=reporting-2026-03", nil).Want(200).JSON(&rates)
		if got := rate(rates.Totals.CompletionRate); got != "66.66" {
			t.Errorf("reporting month 3: completion rate %s, want 66.66", got)
		}

		// The official order: ministries, ministerial agencies, government agencies, provinces, others.
		var order []string
		for _, it := range all.Items {
			order = append(order, it.AgencyCode)
		}
		if want := []string{"BCA", "BYT", "NHNN", "TTXVN", "HANOI", "TANDTC"}; !slices.Equal(order, want) {
			t.Errorf("order = %v, want %v", order, want)
		}
		sorted := w.stats(t, "sort=-in_progress_overdue")
		if sorted.Items[0].AgencyCode != "HANOI" || sorted.Items[1].AgencyCode != "BYT" {
			t.Errorf("sorted by overdue: %v", sorted.Items)
		}

		// Reporting month 3 (15/02–14/03) was frozen on 15/03 and does not move:
		// judged on 14/03, task d (due 19/04) and j (due 14/03) were within
		// their deadlines; i (due 10/03) was not yet reported and overdue.
		rm3 := map[string]statsCounts{
			"BYT": c(1, 0, 2, 0, 0), "BCA": c(0, 1, 1, 0, 0), "NHNN": c(0, 0, 1, 0, 0),
			"HANOI": c(0, 0, 1, 0, 0), "TANDTC": c(0, 0, 0, 0, 1), "TTXVN": c(0, 0, 0, 1, 0),
		}
		for name, a := range map[string]statsAnswer{"on 15/03": w.snapshotAt0315, "on 20/04": w.stats(t, "period=reporting-2026-03"),
			"by from/to": w.stats(t, "from=2026-02-15&to=2026-03-14")} {
			if a.Source != "snapshot" || a.AsOf != "2026-03-14" || a.Period.ReportingMonth != "2026-03" {
				t.Errorf("reporting month 3 %s: source %s as_of %s month %s", name, a.Source, a.AsOf, a.Period.ReportingMonth)
			}
			checkCounts(t, "reporting month 3 "+name, a.byAgency(), rm3)
			if a.Totals != c(1, 1, 5, 1, 1) {
				t.Errorf("reporting month 3 %s totals = %+v", name, a.Totals)
			}
		}

		// Reporting month 4 (15/03–14/04) was frozen on 15/04: o was overdue
		// then (its extension came on 18/04) and k still open within its
		// deadline (reported late on 16/04). The live figures of the same
		// documents show both changes.
		rm4 := map[string]statsCounts{"BYT": c(0, 0, 1, 1, 0), "HANOI": c(0, 0, 0, 1, 0), "BCA": c(0, 0, 1, 0, 0), "NHNN": c(0, 0, 0, 0, 1)}
		for name, a := range map[string]statsAnswer{"on 15/04": w.snapshotAt0415, "on 20/04": w.stats(t, "period=reporting-previous")} {
			if a.Source != "snapshot" || a.AsOf != "2026-04-14" {
				t.Errorf("reporting month 4 %s: source %s as_of %s", name, a.Source, a.AsOf)
			}
			checkCounts(t, "reporting month 4 "+name, a.byAgency(), rm4)
		}
		live4 := w.stats(t, "from=2026-03-15&to=2026-04-13")
		if live4.Source != "live" {
			t.Errorf("from 15/03 to 13/04 is not a reporting month but came from %s", live4.Source)
		}
		checkCounts(t, "live D4-D6", live4.byAgency(), map[string]statsCounts{
			"BYT": c(0, 1, 1, 0, 0), "HANOI": c(0, 0, 0, 1, 0), "BCA": c(0, 0, 1, 0, 0), "NHNN": c(0, 0, 0, 0, 1)})

		// The current reporting month (from 15/04) is live: D7 only.
		cur := w.stats(t, "period=reporting-current")
		if cur.Source != "live" || *cur.Period.From != "2026-04-15" || *cur.Period.To != "2026-05-14" {
			t.Errorf("current reporting month: %+v", cur.Period)
		}
		checkCounts(t, "current reporting month", cur.byAgency(), map[string]statsCounts{"HANOI": c(0, 0, 0, 1, 0)})

		// Calendar periods: March holds D3, D4 and D5 (14/03, 15/03, 31/03), not D2 (15/02) nor D6 (01/04).
		checkCounts(t, "March", w.stats(t, "period=2026-03").byAgency(), map[string]statsCounts{
			"NHNN": c(0, 0, 1, 0, 1), "HANOI": c(0, 0, 0, 2, 0), "BYT": c(0, 1, 2, 0, 0)})
		checkCounts(t, "April", w.stats(t, "period=2026-04").byAgency(), map[string]statsCounts{"BCA": c(0, 0, 1, 0, 0), "HANOI": c(0, 0, 0, 1, 0)})
		checkCounts(t, "Q1", w.stats(t, "period=2026-Q1").byAgency(), map[string]statsCounts{
			"BYT": c(2, 1, 2, 1, 0), "BCA": c(0, 1, 1, 0, 0), "NHNN": c(0, 0, 1, 0, 1), "HANOI": c(0, 0, 0, 2, 0),
			"TANDTC": c(0, 0, 0, 0, 1), "TTXVN": c(0, 0, 0, 1, 0)})
		checkCounts(t, "up to 14/02", w.stats(t, "to=2026-02-14").byAgency(), map[string]statsCounts{"BYT": c(1, 0, 0, 0, 0)})
		checkCounts(t, "from 15/04", w.stats(t, "from=2026-04-15").byAgency(), map[string]statsCounts{"HANOI": c(0, 0, 0, 1, 0)})

		// Roles, kinds and fields.
		checkCounts(t, "coordinators", w.stats(t, "role=coordinator").byAgency(), map[string]statsCounts{"BYT": c(0, 0, 1, 0, 0)})
		allRoles := w.stats(t, "role=all").byAgency()
		if allRoles["BYT"] != c(2, 1, 3, 1, 0) || allRoles["BCA"] != liveAllTime["BCA"] {
			t.Errorf("role=all: %+v", allRoles)
		}
		checkCounts(t, "provinces", w.stats(t, "kind=province").byAgency(), map[string]statsCounts{"HANOI": liveAllTime["HANOI"]})
		checkCounts(t, "ministerial agencies", w.stats(t, "kind=ministerial_agency").byAgency(), map[string]statsCounts{"NHNN": liveAllTime["NHNN"]})
		checkCounts(t, "government agencies", w.stats(t, "kind=government_agency").byAgency(), map[string]statsCounts{"TTXVN": liveAllTime["TTXVN"]})
		checkCounts(t, "others", w.stats(t, "kind=other").byAgency(), map[string]statsCounts{"TANDTC": liveAllTime["TANDTC"]})
		checkCounts(t, "field Y tế", w.stats(t, "field="+url.QueryEscape("Y tế")).byAgency(), map[string]statsCounts{"BYT": liveAllTime["BYT"]})
		checkCounts(t, "field An ninh in month 4", w.stats(t, "period=reporting-2026-04&field="+url.QueryEscape("An ninh")).byAgency(),
			map[string]statsCounts{"BCA": c(0, 0, 1, 0, 0)})
		// A field over the whole catalog is counted from its directives (the
		// other filters then apply as to the agencies' walk): roles and kinds.
		ninh := "field=" + url.QueryEscape("An ninh")
		checkCounts(t, "field An ninh, every role", w.stats(t, "role=all&"+ninh).byAgency(),
			map[string]statsCounts{"BCA": liveAllTime["BCA"], "BYT": c(0, 0, 1, 0, 0)})
		checkCounts(t, "field An ninh, coordinators", w.stats(t, "role=coordinator&"+ninh).byAgency(), map[string]statsCounts{"BYT": c(0, 0, 1, 0, 0)})
		checkCounts(t, "field Y tế, coordinators", w.stats(t, "role=coordinator&field="+url.QueryEscape("Y tế")).byAgency(), map[string]statsCounts{})
		checkCounts(t, "field An ninh, provinces", w.stats(t, "kind=province&role=all&"+ninh).byAgency(), map[string]statsCounts{})
		checkCounts(t, "field An ninh, ministries from 15/02", w.stats(t, "kind=ministry&role=all&from=2026-02-15&"+ninh).byAgency(),
			map[string]statsCounts{"BCA": liveAllTime["BCA"], "BYT": c(0, 0, 1, 0, 0)})
		checkCounts(t, "ministries in month 4", w.stats(t, "period=reporting-2026-04&kind=ministry").byAgency(),
			map[string]statsCounts{"BYT": rm4["BYT"], "BCA": rm4["BCA"]})

		// Bad input is 422; agencies may not read everyone's figures.
		w.leader.Do("GET", "/api/v1/stats/agencies?period=2026-13", nil).Want(422)
		w.leader.Do("GET", "/api/v1/stats/agencies?period=2026&from=2026-01-01", nil).Want(422)
		w.leader.Do("GET", "/api/v1/stats/agencies?from=2026-04-01&to=2026-03-01", nil).Want(422)
		w.byt.Do("GET", "/api/v1/stats/agencies", nil).Want(403)
		w.byt.Do("GET", "/api/v1/reports/agencies.xlsx", nil).Want(403)
		w.secretariat.Do("GET", "/api/v1/stats/agencies", nil).Want(200)

		// Trends, by reporting month: closed months from their snapshots.
		var trend struct {
			Items []struct {
				ReportingMonth string `json:"reporting_month"`
				Source         string `json:"source"`
				statsCounts
			} `json:"items"`
		}
		w.byt.Do("GET", "/api/v1/stats/agencies/BYT/trend?months=3", nil).Want(200).JSON(&trend)
		if len(trend.Items) != 3 || trend.Items[0].ReportingMonth != "2026-03" || trend.Items[2].ReportingMonth != "2026-05" ||
			trend.Items[0].Source != "snapshot" || trend.Items[2].Source != "live" {
			t.Fatalf("BYT trend = %+v", trend.Items)
		}
		for i, want := range []statsCounts{rm3["BYT"], rm4["BYT"], {}} {
			if trend.Items[i].statsCounts != want {
				t.Errorf("BYT trend %s = %+v, want %+v", trend.Items[i].ReportingMonth, trend.Items[i].statsCounts, want)
			}
		}
		w.leader.Do("GET", "/api/v1/stats/agencies/HANOI/trend?months=3", nil).Want(200).JSON(&trend)
		for i, want := range []statsCounts{c(0, 0, 1, 0, 0), c(0, 0, 0, 1, 0), c(0, 0, 0, 1, 0)} {
			if trend.Items[i].statsCounts != want {
				t.Errorf("HANOI trend %s = %+v, want %+v", trend.Items[i].ReportingMonth, trend.Items[i].statsCounts, want)
			}
		}
		w.byt.Do("GET", "/api/v1/stats/agencies/HANOI/trend", nil).Want(404)
		w.leader.Do("GET", "/api/v1/stats/agencies/NOPE/trend", nil).Want(404)
		w.leader.Do("GET", "/api/v1/stats/agencies/BYT/trend?months=99", nil).Want(422)
	})
}

// TestLiveStatisticsReusedForAWhile: with DONDOC_STATS_MAX_AGE set, live
// figures are counted once and served again until they are that old, and
// computed_at says when they were counted; other filters are counted apart.
func TestLiveStatisticsReusedForAWhile(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), civil.MustDate("2026-03-02"), func(c *config.Config) { c.StatsMaxAge = 30 * time.Second })
	sec := in.User("thuky", workflow.RoleSecretariat, "")
	leader := in.User("lanhdao", workflow.RoleLeader, "")
	var doc struct{ ID int64 }
	sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
	directive := func() {
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Nhiệm vụ", "lead": "BYT", "due_on": "2026-06-30"}).Want(201)
	}
	type answer struct {
		ComputedAt time.Time `json:"computed_at"`
		Totals     struct {
			Total int `json:"total"`
		} `json:"totals"`
	}
	read := func(query string) answer {
		var a answer
		leader.Do("GET", "/api/v1/stats/agencies"+query, nil).Want(200).JSON(&a)
		return a
	}
	directive()
	first := read("")
	directive()
	again := read("")
	if first.Totals.Total != 1 || again.Totals.Total != 1 || !again.ComputedAt.Equal(first.ComputedAt) {
		t.Errorf("within 30 s: %+v then %+v, want the same figures counted once", first, again)
	}
	if other := read("?sort=-in_progress_overdue"); other.Totals.Total != 1 {
		t.Errorf("another order of the same figures: %+v", other)
	}
	if all := read("?role=all"); all.Totals.Total != 2 {
		t.Errorf("another filter is counted on its own: %+v, want 2 tasks", all)
	}
	// Two thirds of the age on, the old figures are served while they are
	// counted again in the background.
	in.Clock.Advance(21 * time.Second)
	if stale := read(""); !stale.ComputedAt.Equal(first.ComputedAt) {
		t.Errorf("after 21 s: %+v, want the figures of %s still served", stale, first.ComputedAt)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		ahead := read("")
		if ahead.ComputedAt.After(first.ComputedAt) {
			if ahead.Totals.Total != 2 {
				t.Errorf("counted again ahead of time: %+v, want 2 tasks", ahead)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 21 s the figures of %s were never counted again", first.ComputedAt)
		}
		time.Sleep(10 * time.Millisecond)
	}
	in.Clock.Advance(31 * time.Second)
	directive()
	later := read("")
	if later.Totals.Total != 3 || !later.ComputedAt.After(first.ComputedAt) {
		t.Errorf("31 s later still: %+v, want 3 tasks counted anew", later)
	}
}
