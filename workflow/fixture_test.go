package workflow_test

import (
	"context"
	"testing"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/storagetest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// world is workflow's own light fixture: a database with the migrations (a
// copy of storagetest's migrated one) and the agency catalog, a Service on
// a clock the test moves, and actors. It builds what the tests need of the
// application without importing app, so that workflow's tests run the
// rules and the database alone.
type world struct {
	t     testing.TB
	ctx   context.Context
	db    *storage.DB
	svc   *workflow.Service
	clock *workflow.ManualClock
	admin workflow.Actor
}

func newWorld(t testing.TB, tg testdb.Target, today civil.Date) *world {
	t.Helper()
	ctx := context.Background()
	tg = storagetest.Migrated(t, tg) // migrated once per machine, copied per test
	db, err := storage.Open(ctx, storage.Options{URL: tg.URL, SQLitePath: tg.SQLitePath, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	cals, err := workflow.LoadCalendars(ctx, db)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	clock := workflow.NewManualClock(time.Time{})
	clock.SetDay(today, 9)
	svc := workflow.New(db, cals, workflow.Options{Clock: clock, Outbox: notify.New(db, notify.Options{})})
	t.Cleanup(func() {
		svc.Close()
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	if _, err := svc.LoadCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	return &world{t: t, ctx: ctx, db: db, svc: svc, clock: clock, admin: workflow.Actor{Username: "admin", Role: workflow.RoleAdmin}}
}

// user creates a user and returns it as an actor.
func (w *world) user(name string, role workflow.Role, agency string) workflow.Actor {
	w.t.Helper()
	u, err := w.svc.CreateUser(w.ctx, w.admin, workflow.NewUser{Username: name, Password: "Str0ng-Passw0rd", Role: role, AgencyCode: agency, DisplayName: name})
	if err != nil {
		w.t.Fatal(err)
	}
	return workflow.Actor{UserID: u.ID, Username: u.Username, Role: role, AgencyCode: agency}
}

// document records a conclusion notice of the given date.
func (w *world) document(by workflow.Actor, number string, issued civil.Date) int64 {
	w.t.Helper()
	d, err := w.svc.CreateDocument(w.ctx, by, workflow.NewDocument{Number: number, Kind: workflow.DocConclusionNotice, Title: "Kết luận", IssuedOn: issued})
	if err != nil {
		w.t.Fatal(err)
	}
	return d.ID
}

// directive creates a directive and returns its first task's id.
func (w *world) directive(by workflow.Actor, in workflow.NewDirective) int64 {
	w.t.Helper()
	v, err := w.svc.CreateDirective(w.ctx, by, in)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(v.Tasks) == 0 {
		w.t.Fatal("the directive has no task")
	}
	return v.Tasks[0].ID
}

// move takes a task through a transition.
func (w *world) move(by workflow.Actor, taskID int64, in workflow.TransitionInput) {
	w.t.Helper()
	if _, err := w.svc.Transition(w.ctx, by, taskID, in); err != nil {
		w.t.Fatalf("%s on task %d: %v", in.Action, taskID, err)
	}
}

// checkTaskSummaries fails the test for every task whose kept summaries
// disagree with the rows they summarise; it returns how many tasks it saw.
func (w *world) checkTaskSummaries() int64 {
	w.t.Helper()
	var bad []int64
	if err := w.db.R.Raw(testdb.TaskSummaryMismatch).Scan(&bad).Error; err != nil {
		w.t.Fatal(err)
	}
	for _, id := range bad {
		w.t.Errorf("task %d: its summaries disagree with its reports, reminders and events", id)
	}
	var n int64
	if err := w.db.R.Raw("SELECT COUNT(*) FROM tasks").Scan(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}
