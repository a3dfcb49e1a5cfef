package api_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// statements records the SQL that dondoc runs, with its arguments.
type statements struct {
	mu   sync.Mutex
	list []captured
}

type captured struct {
	sql  string
	vars []any
}

// record captures a statement (storage.DB.ObserveSQL).
func (s *statements) record(query string, args []any) {
	s.mu.Lock()
	s.list = append(s.list, captured{query, append([]any(nil), args...)})
	s.mu.Unlock()
}

func (s *statements) take() []captured {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.list
	s.list = nil
	return l
}

var fromTasks = regexp.MustCompile("(?i)\\b(FROM|JOIN)\\s+[`\"]?tasks[`\"]?(\\s|$)")

// TestHotQueriesUseIndexes runs the hot operations of the month-end mix,
// captures every statement each one sends to the database, and asks the
// database for its plan: no statement that reads tasks may scan the whole
// table. On SQLite that is EXPLAIN QUERY PLAN without "SCAN tasks"; on
// PostgreSQL, EXPLAIN with sequential scans priced out (the tables here are
// tiny, so the planner would otherwise prefer them) and no "Seq Scan on
// tasks", which it still chooses when no index fits. A change that loses an
// index, or writes a condition an index cannot serve (a bound parameter
// where a partial index states a literal), fails here.
func TestHotQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		in := apptest.Start(t, tg, today)
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		leader := in.User("lanhdao", workflow.RoleLeader, "")
		byt := in.User("byt.cb", workflow.RoleAgency, "BYT")
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-25"}).Want(201).JSON(&doc)
		var taskID int64
		for i, due := range []string{"2026-02-27", "2026-03-04", "2026-03-31"} {
			var d struct{ Tasks []struct{ ID int64 } }
			sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": fmt.Sprintf("Nhiệm vụ %d", i), "lead": "BYT", "coordinators": []string{"BCA"}, "due_on": due}).Want(201).JSON(&d)
			taskID = d.Tasks[0].ID
		}

		var st statements
		in.App.DB.ObserveSQL(st.record)
		// want: on SQLite, an index one of the op's plans must use.
		ops := []struct {
			name string
			want string
			run  func()
		}{
			{"agency: first page of open tasks", "tasks_agency_open_due", func() { byt.Do("GET", "/api/v1/tasks?status=open&sort=due_on&limit=20", nil).Want(200) }},
			{"agency: one task", "INTEGER PRIMARY KEY", func() { byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", taskID), nil).Want(200) }},
			{"agency: report progress", "INTEGER PRIMARY KEY", func() {
				byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/reports", taskID), map[string]any{"body": "Tiến độ", "percent": 10}).Want(201)
			}},
			{"agency: transition", "INTEGER PRIMARY KEY", func() {
				byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", taskID), map[string]any{"action": "acknowledge"}).Want(200)
			}},
			{"leader: overdue list", "tasks_open_due", func() { leader.Do("GET", "/api/v1/tasks?overdue=true&sort=-days_overdue&limit=20", nil).Want(200) }},
			{"agency: its tasks in progress", "tasks_agency_open_due", func() { byt.Do("GET", "/api/v1/tasks?status=in_progress&limit=100", nil).Want(200) }},
			{"secretariat: reports to confirm, by due date", "tasks_status_due", func() { sec.Do("GET", "/api/v1/tasks?status=reported&sort=due_on", nil).Want(200) }},
			{"secretariat: finished tasks, by due date", "tasks_status_due", func() { sec.Do("GET", "/api/v1/tasks?status=completed,cancelled&sort=-due_on", nil).Want(200) }},
			{"leader: tasks in progress, by due date", "tasks_open_due", func() { leader.Do("GET", "/api/v1/tasks?status=in_progress&sort=due_on", nil).Want(200) }},
			{"leader: overdue list of one agency", "tasks_agency_open_due", func() { leader.Do("GET", "/api/v1/tasks?overdue=true&agency=BYT&sort=-days_overdue", nil).Want(200) }},
			{"reminder scan", "tasks_next_remind", func() { in.Admin.Do("POST", "/api/v1/admin/reminders/scan", map[string]any{}).Want(200) }},
		}
		for _, op := range ops {
			st.take()
			op.run()
			checked, found := 0, false
			for _, c := range st.take() {
				if !fromTasks.MatchString(c.sql) || !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(c.sql)), "SELECT") {
					continue
				}
				plan := explain(t, in.App.DB, c)
				checked++
				found = found || strings.Contains(plan, op.want)
				if bad := fullScan(in.App.DB.Dialect, plan); bad != "" {
					t.Errorf("%s: a full scan of tasks (%s)\nSQL: %s\nplan:\n%s", op.name, bad, c.sql, plan)
				}
			}
			if checked == 0 {
				t.Errorf("%s: no statement reading tasks was captured", op.name)
			}
			if in.App.DB.Dialect == storage.SQLite && !found {
				t.Errorf("%s: no plan uses %s", op.name, op.want)
			}
		}
	})
}

func explain(t *testing.T, db *storage.DB, c captured) string {
	t.Helper()
	plan, err := db.Explain(context.Background(), c.sql, c.vars)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

var sqliteScan = regexp.MustCompile(`^SCAN (tasks|t)\b(.*)`)

// fullScan names the plan line that reads all of tasks, or "".
func fullScan(dialect, plan string) string {
	for _, line := range strings.Split(plan, "\n") {
		l := strings.TrimSpace(line)
		if dialect == storage.Postgres {
			if strings.Contains(l, "Seq Scan on tasks") {
				return l
			}
			continue
		}
		// SQLite: "SCAN t" or "SCAN tasks" without an index; "SCAN t USING
		// INDEX" walks an index in order, which a LIMIT bounds.
		if m := sqliteScan.FindStringSubmatch(l); m != nil && !strings.Contains(m[2], "INDEX") {
			return l
		}
	}
	return ""
}
