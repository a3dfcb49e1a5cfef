package app_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/seed"
	"github.com/dondoc/dondoc/workflow"
)

// benchTasks is the size of the benchmark database: a whole government's
// term of work.
const benchTasks = 1_000_000

// openBench starts dondoc on a copy of the seeded benchmark database, its
// clock at the day the data is as of.
func openBench(b *testing.B) *app.App {
	b.Helper()
	cfg := config.Default()
	cfg.DataDir = apptest.BenchDB(b, benchTasks)
	cfg.AdminPassword = "Bench-Adm1n-Passw0rd"
	clock := workflow.NewManualClock(seed.BenchToday.In(workflow.Location).Add(8 * 3600e9))
	a, err := app.New(context.Background(), cfg, app.Options{Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a
}

// BenchmarkScanBacklog is the first scan over the seeded million: every
// overdue task (5-10% of them) and every task whose reminder day has come
// is reminded, in batches. One iteration is the whole backlog.
func BenchmarkScanBacklog(b *testing.B) {
	for range b.N {
		b.StopTimer()
		a := openBench(b)
		var overdue int64
		a.DB.R.Model(&models.Task{}).Where("status IN ('assigned','in_progress') AND due_on < ?", seed.BenchToday).Count(&overdue)
		b.StartTimer()
		res, err := a.Service.Scan(context.Background(), seed.BenchToday)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(float64(overdue), "overdue")
		b.ReportMetric(float64(res.Tasks), "tasks_scanned")
		b.ReportMetric(float64(res.Reminders+res.Escalations), "reminders")
		a.Close()
	}
}

// lastNotificationID is the newest notification's id (0: none), so that
// resetDue can drop what a scan queued after it.
func lastNotificationID(a *app.App) int64 {
	var id int64
	a.DB.R.Model(&models.Notification{}).Select("COALESCE(MAX(id), 0)").Scan(&id)
	return id
}

// resetDue puts the tasks of ids back as a scan benchmark wants them before
// each iteration: due on dueOn, to be looked at on remindOn, with no
// reminders, and no notifications after lastNotification.
func resetDue(b *testing.B, a *app.App, ids []int64, dueOn, remindOn civil.Date, lastNotification int64) {
	b.Helper()
	err := a.DB.W.Transaction(func(tx *gorm.DB) error {
		for c := range slices.Chunk(ids, 5000) {
			if err := tx.Exec("UPDATE tasks SET due_on = ?, next_remind_on = ? WHERE id IN ?", dueOn, remindOn, c).Error; err != nil {
				return err
			}
			if err := tx.Exec("DELETE FROM reminders WHERE task_id IN ?", c).Error; err != nil {
				return err
			}
		}
		return tx.Exec("DELETE FROM notifications WHERE id > ?", lastNotification).Error
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkScan10kDue is the daily scan of issue 4: a million tasks, of
// which 10,000 come due for a reminder today (three working days before
// their due date). Each iteration puts the same 10,000 back in that state
// (untimed) and scans.
func BenchmarkScan10kDue(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	today := seed.BenchToday
	// Drain the seeded backlog first, so that only the 10,000 are due.
	if _, err := a.Service.Scan(ctx, today); err != nil {
		b.Fatal(err)
	}
	due := a.Service.Calendars().Current().AddWorkingDays(today, 3)
	var ids []int64
	a.DB.R.Model(&models.Task{}).Where("status IN ('assigned','in_progress') AND due_on > ?", due.AddDays(30)).
		Order("id").Limit(10_000).Pluck("id", &ids)
	if len(ids) != 10_000 {
		b.Fatalf("found %d open tasks to make due, want 10000", len(ids))
	}
	lastNotification := lastNotificationID(a)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		resetDue(b, a, ids, due, today, lastNotification)
		b.StartTimer()
		res, err := a.Service.Scan(ctx, today)
		if err != nil {
			b.Fatal(err)
		}
		if res.Reminders != len(ids) {
			b.Fatalf("scan sent %d reminders, want %d", res.Reminders, len(ids))
		}
	}
}

// BenchmarkScan100kOverdue is the scan on the day 100,000 open tasks of the
// million are found overdue at once (three weeks late, so each is urged and
// escalated): it must complete, in batches of scanBatch, one transaction
// each. Each iteration puts the same 100,000 back in that state (untimed).
func BenchmarkScan100kOverdue(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	today := seed.BenchToday
	if _, err := a.Service.Scan(ctx, today); err != nil {
		b.Fatal(err)
	}
	late := today.AddDays(-20)
	var ids []int64
	a.DB.R.Model(&models.Task{}).Where("status IN ('assigned','in_progress') AND created_at < ?", late.AddDays(-30).Time()).
		Order("id").Limit(100_000).Pluck("id", &ids)
	if len(ids) != 100_000 {
		b.Fatalf("found %d open tasks to make overdue, want 100000", len(ids))
	}
	lastNotification := lastNotificationID(a)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		resetDue(b, a, ids, late, today, lastNotification)
		b.StartTimer()
		res, err := a.Service.Scan(ctx, today)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Tasks != len(ids) || res.Reminders != len(ids) || res.Escalations != len(ids) {
			b.Fatalf("scan looked at %d tasks, sent %d reminders and %d escalations, want %d of each", res.Tasks, res.Reminders, res.Escalations, len(ids))
		}
		if res.Batches < len(ids)/500 {
			b.Fatalf("scan took %d tasks in %d batches, want batches of at most 500", res.Tasks, res.Batches)
		}
		b.ReportMetric(float64(res.Batches), "batches")
		b.StartTimer()
	}
}

// agencyActor is the seeded officer of an agency, as the service sees them.
func agencyActor(b *testing.B, a *app.App, code string) workflow.Actor {
	b.Helper()
	var u models.User
	if err := a.DB.R.Where("agency_code = ? AND role = 'agency'", code).First(&u).Error; err != nil {
		b.Fatal(err)
	}
	return workflow.ActorOf(u)
}

// BenchmarkTransition is one agency reporting a task done (in progress →
// reported) on the million-task database: the state check, the guarded
// update, the chained event and the notification, in one transaction.
func BenchmarkTransition(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	byt := agencyActor(b, a, "BYT")
	var ids []int64
	a.DB.R.Model(&models.Task{}).Where("agency_code = 'BYT' AND status = 'in_progress'").Order("id").Limit(max(b.N, 1)).Pluck("id", &ids)
	if len(ids) < b.N {
		b.Skipf("only %d tasks in progress for BYT; run with a smaller -benchtime", len(ids))
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := a.Service.Transition(ctx, byt, ids[i], workflow.TransitionInput{Action: workflow.ActionReportDone, Report: "Đã hoàn thành."}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAgencyOpenTasks is an agency's first page of open tasks, by due
// date, on the million-task database.
func BenchmarkAgencyOpenTasks(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	byt := agencyActor(b, a, "BYT")
	f := workflow.TaskFilter{Statuses: workflow.OpenStatuses, Sort: "due_on", Page: workflow.Page{Limit: 20}}
	b.ResetTimer()
	for range b.N {
		if _, _, err := a.Service.Tasks(ctx, byt, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadTask is one task with its directive and document, as an
// agency reads it.
func BenchmarkReadTask(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	byt := agencyActor(b, a, "BYT")
	var ids []int64
	a.DB.R.Model(&models.Task{}).Where("agency_code = 'BYT'").Order("id").Limit(1000).Pluck("id", &ids)
	b.ResetTimer()
	for i := range b.N {
		if _, err := a.Service.Task(ctx, byt, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
}

// inProgress is every task in progress with its agency's officer, for the
// parallel benchmarks (about 107,000 on the seeded million).
func inProgress(b *testing.B, a *app.App) ([]int64, []workflow.Actor) {
	b.Helper()
	var rows []struct {
		ID         int64
		AgencyCode string
	}
	a.DB.R.Model(&models.Task{}).Select("id, agency_code").Where("status = 'in_progress'").Order("id").Scan(&rows)
	var users []models.User
	a.DB.R.Where("role = 'agency' AND agency_code IS NOT NULL").Find(&users)
	actors := map[string]workflow.Actor{}
	for _, u := range users {
		actors[*u.AgencyCode] = workflow.ActorOf(u)
	}
	var ids []int64
	var who []workflow.Actor
	for _, r := range rows {
		if actor, ok := actors[r.AgencyCode]; ok {
			ids, who = append(ids, r.ID), append(who, actor)
		}
	}
	return ids, who
}

// BenchmarkTransitionParallel is BenchmarkTransition from 64 callers at
// once, as the load harness's 64 connections are, but in process: what the
// one SQLite writer sustains with group commit, apart from HTTP and from a
// load generator on the same cores. ns/op is the time per transition of
// the whole; 1e9 / ns/op is transitions a second.
func BenchmarkTransitionParallel(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	ids, who := inProgress(b, a)
	if len(ids) < b.N {
		b.Skipf("only %d tasks in progress; run with a smaller -benchtime", len(ids))
	}
	var next atomic.Int64
	b.SetParallelism(32) // 64 goroutines on two cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if _, err := a.Service.Transition(ctx, who[i], ids[i], workflow.TransitionInput{Action: workflow.ActionReportDone, Report: "Đã hoàn thành."}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReadTaskParallel is BenchmarkReadTask from 64 callers at once,
// over the tasks of every agency.
func BenchmarkReadTaskParallel(b *testing.B) {
	a := openBench(b)
	ctx := context.Background()
	ids, who := inProgress(b, a)
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int((next.Add(7919) - 7919) % int64(len(ids)))
			if _, err := a.Service.Task(ctx, who[i], ids[i]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
