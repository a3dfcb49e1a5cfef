package app_test

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/dondoc/dondoc/storage/testdb"
)

// crashReminders is what the database holds of reminders after a scan.
type crashReminders struct {
	total   int64
	byTask  map[int64]int // reminders of each task
	notices map[int64]int // reminder notifications of each task
}

// scanAndSnapshot runs the reminder scan (it must succeed) and reads back
// the reminders and their notifications.
func (l *crashLoad) scanAndSnapshot(tg testdb.Target, when string) crashReminders {
	l.t.Helper()
	l.c.must(l.t, l.admin, "POST", "/admin/reminders/scan", map[string]any{}, nil)
	db := openCrashDB(l.t, tg)
	defer db.Close()
	s := crashReminders{byTask: countBy(l.t, db, "SELECT task_id, COUNT(*) FROM reminders GROUP BY task_id"),
		notices: countBy(l.t, db, "SELECT task_id, COUNT(*) FROM notifications WHERE kind = 'reminder' AND task_id IS NOT NULL GROUP BY task_id")}
	for _, n := range s.byTask {
		s.total += int64(n)
	}
	// One reminder on this day for each task still owed work, no more, no
	// less: none lost to the kill, none sent twice.
	var wrong int64
	mustScan(l.t, db.QueryRow(`SELECT COUNT(*) FROM tasks t WHERE t.status IN ('assigned','in_progress')
		AND (SELECT COUNT(*) FROM reminders r WHERE r.task_id = t.id) <> 1`), &wrong)
	if wrong > 0 {
		l.t.Errorf("%s: %d open tasks have not exactly one reminder", when, wrong)
	}
	var dupKeys, dupReminders int64
	mustScan(l.t, db.QueryRow("SELECT COUNT(*) FROM (SELECT dedup_key FROM notifications GROUP BY dedup_key HAVING COUNT(*) > 1) d"), &dupKeys)
	mustScan(l.t, db.QueryRow("SELECT COUNT(*) FROM (SELECT task_id FROM reminders GROUP BY task_id, rule, due_on HAVING COUNT(*) > 1) d"), &dupReminders)
	if dupKeys > 0 || dupReminders > 0 {
		l.t.Errorf("%s: %d notification keys and %d reminders twice", when, dupKeys, dupReminders)
	}
	for task, n := range s.byTask {
		if s.notices[task] < n {
			l.t.Errorf("%s: task %d has %d reminders but %d reminder notifications", when, task, n, s.notices[task])
			break
		}
	}
	l.reminders = s.total
	return s
}

// check compares the database after the restart with what the server
// acknowledged in this iteration (led) and in the ones before (all).
func (l *crashLoad) check(tg testdb.Target, led, all *crashLedger, before, after crashReminders) crashFigures {
	t := l.t
	db := openCrashDB(t, tg)
	defer db.Close()
	directives := ids(t, db, "SELECT id FROM directives")
	tasks := countBy(t, db, "SELECT id, version FROM tasks")
	reports := ids(t, db, "SELECT id FROM reports")
	urges := ids(t, db, "SELECT id FROM events WHERE action = 'urge'")
	type taskAction struct {
		task   int64
		action string
	}
	done := map[taskAction]bool{}
	rows, err := db.Query("SELECT task_id, action FROM events WHERE action IN ('acknowledge', 'report_done')")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ta taskAction
		if err := rows.Scan(&ta.task, &ta.action); err != nil {
			t.Fatal(err)
		}
		done[ta] = true
	}
	rows.Close()

	found := func(led *crashLedger, report bool) int {
		n, missing := 0, []string{}
		lost := func(format string, args ...any) {
			if len(missing) < 10 {
				missing = append(missing, fmt.Sprintf(format, args...))
			}
		}
		for _, id := range led.directives {
			if directives[id] {
				n++
			} else {
				lost("directive %d", id)
			}
		}
		for _, id := range led.tasks {
			if _, ok := tasks[id]; !ok {
				lost("task %d", id)
			}
		}
		for _, tr := range led.transitions {
			if done[taskAction{tr.task, tr.action}] && tasks[tr.task] >= tr.version {
				n++
			} else {
				lost("%s of task %d (version %d, found %d)", tr.action, tr.task, tr.version, tasks[tr.task])
			}
		}
		for _, id := range led.reports {
			if reports[id] {
				n++
			} else {
				lost("report %d", id)
			}
		}
		for _, id := range led.urges {
			if urges[id] {
				n++
			} else {
				lost("urge event %d", id)
			}
		}
		if len(missing) > 0 && report {
			t.Errorf("acknowledged but missing after the restart: %v", missing)
		}
		return n
	}
	f := crashFigures{acked: led.writes(), found: found(led, true)}
	if n := found(all, true); n != all.writes() {
		t.Errorf("writes of earlier iterations: %d of %d found", n, all.writes())
	}

	var audit struct {
		OK       bool  `json:"ok"`
		Tasks    int64 `json:"tasks"`
		Events   int64 `json:"events"`
		Mismatch any   `json:"first_mismatch"`
	}
	l.c.must(t, l.admin, "GET", "/admin/audit/verify", nil, &audit)
	// A kill in the first iteration's first milliseconds may come before
	// any write: no events is wrong only once one was acknowledged.
	if !audit.OK || (audit.Events == 0 && led.writes()+all.writes() > 0) {
		t.Errorf("audit verify after the restart: ok %v over %d tasks and %d events; first mismatch %v", audit.OK, audit.Tasks, audit.Events, audit.Mismatch)
	}

	// The scan after the restart runs on the same day: what the scan before
	// the load had reminded is not reminded again.
	for task, n := range before.byTask {
		if after.byTask[task] != n || after.notices[task] != before.notices[task] {
			t.Errorf("task %d: %d reminders (%d notifications) before the kill, %d (%d) after the restart and a second scan",
				task, n, before.notices[task], after.byTask[task], after.notices[task])
		}
	}
	return f
}

func countBy(t *testing.T, db *sql.DB, query string) map[int64]int {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[int64]int{}
	for rows.Next() {
		var k int64
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		m[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func ids(t *testing.T, db *sql.DB, query string) map[int64]bool {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		m[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustScan(t *testing.T, row *sql.Row, dst ...any) {
	t.Helper()
	if err := row.Scan(dst...); err != nil {
		t.Fatal(err)
	}
}
