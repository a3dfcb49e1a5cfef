package seed_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/seed"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestSeedIsRealisticAndWhole seeds a small body of work and checks what
// the benchmarks rely on: the counts it reports are what is stored, every
// state occurs, 5-10% of the tasks are overdue, every history verifies as
// the application would have written it, the seeded users can log in, and
// the schema is whole afterwards (on SQLite the seed drops the indexes of
// empty tables and builds them again).
func TestSeedIsRealisticAndWhole(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		in := apptest.Start(t, tg, seed.BenchToday)
		a := in.App
		ctx := context.Background()
		indexes := func() []string {
			var names []string
			q := "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
			if a.DB.Dialect == storage.SQLite {
				q = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY 1"
			}
			if err := a.DB.R.Raw(q).Scan(&names).Error; err != nil || len(names) == 0 {
				t.Fatalf("the schema's indexes: %v, %v", names, err)
			}
			return names
		}
		before := indexes()
		res, err := seed.Run(ctx, a.DB, a.Service.Calendars().Current(), a.Service.Policy(), seed.Options{Tasks: 5000, Today: seed.BenchToday, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if after := indexes(); !slices.Equal(before, after) {
			t.Errorf("indexes before the seed %v, after %v", before, after)
		}

		var tasks, events int64
		if err := a.DB.R.Model(&models.Task{}).Count(&tasks).Error; err != nil {
			t.Fatal(err)
		}
		if err := a.DB.R.Model(&models.Event{}).Count(&events).Error; err != nil {
			t.Fatal(err)
		}
		if tasks != int64(res.Tasks) || events != int64(res.Events) || tasks < 5000 {
			t.Errorf("stored %d tasks and %d events; the seed reported %+v", tasks, events, res)
		}
		var byStatus []struct {
			Status string
			N      int64
		}
		if err := a.DB.R.Raw("SELECT status, COUNT(*) AS n FROM tasks GROUP BY status").Scan(&byStatus).Error; err != nil {
			t.Fatal(err)
		}
		seen := map[string]int64{}
		for _, s := range byStatus {
			seen[s.Status] = s.N
		}
		for _, s := range []workflow.Status{workflow.StatusAssigned, workflow.StatusInProgress, workflow.StatusReported, workflow.StatusCompleted, workflow.StatusCancelled} {
			if seen[string(s)] == 0 {
				t.Errorf("no task is %s: %v", s, seen)
			}
		}
		var overdue int64
		if err := a.DB.R.Model(&models.Task{}).Where("status IN ('assigned','in_progress') AND due_on < ?", seed.BenchToday).Count(&overdue).Error; err != nil {
			t.Fatal(err)
		}
		if share := float64(overdue) / float64(tasks); share < 0.05 || share > 0.10 || overdue != int64(res.Overdue) {
			t.Errorf("%d overdue of %d (%.1f%%; the seed said %d), want 5-10%%", overdue, tasks, 100*share, res.Overdue)
		}

		audit, err := a.Service.VerifyAudit(ctx)
		if err != nil || !audit.OK || audit.Events != events {
			t.Errorf("the seeded histories do not verify: %+v, %v", audit, err)
		}
		for _, user := range []string{"seed.thuky", "seed.lanhdao", "seed.byt"} {
			in.Login(user, seed.Password)
		}
	})
}
