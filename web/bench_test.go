package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/seed"
	"github.com/dondoc/dondoc/workflow"
)

// BenchmarkPages times every page of each role on the seeded database
// (a million tasks; DONDOC_BENCH_TASKS sets another size), server time
// through HTTP, with the production settings (statistics cached for
// StatsMaxAge). They run only with -bench:
//
//	go test ./web/ -run '^$' -bench Pages -benchtime 20x
//
// A page whose mean is over 50 ms fails.
func BenchmarkPages(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("DONDOC_BENCH_TASKS")); err == nil && v > 0 {
		n = v
	}
	dir := apptest.BenchDB(b, n)
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Scheduler = false
	clock := workflow.NewManualClock(time.Time{})
	clock.SetDay(seed.BenchToday, 9)
	ctx := context.Background()
	a, err := app.New(ctx, cfg, app.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.API.Handler())
	b.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	admin := workflow.Actor{Role: workflow.RoleAdmin, Username: "bench"}
	task, err := a.Service.Task(ctx, admin, 1)
	if err != nil {
		b.Fatal(err)
	}
	tokens := map[workflow.Role]string{}
	for role, agency := range map[workflow.Role]string{workflow.RoleLeader: "", workflow.RoleSecretariat: "", workflow.RoleAgency: task.AgencyCode} {
		in := workflow.NewUser{Username: "bench." + string(role), Password: "Bench-Passw0rd-1", Role: role, DisplayName: "Bench"}
		if agency != "" {
			in.AgencyCode = agency
		}
		u, err := a.Service.CreateUser(ctx, admin, in)
		if err != nil {
			b.Fatal(err)
		}
		if tokens[role], _, err = a.Auth.Issue(u); err != nil {
			b.Fatal(err)
		}
	}
	client := srv.Client()
	get := func(role workflow.Role, path string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "dondoc_session", Value: tokens[role]})
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s as %s: %d %s", path, role, resp.StatusCode, body)
		}
	}
	tp := "/tasks/" + strconv.FormatInt(task.ID, 10)
	for _, bc := range []struct {
		name string
		role workflow.Role
		path string
	}{
		{"leader-dashboard", workflow.RoleLeader, "/"},
		{"leader-dashboard-field", workflow.RoleLeader, "/?field=Y+t%E1%BA%BF"},
		{"leader-overdue-review", workflow.RoleLeader, "/tasks"},
		{"leader-agency-page", workflow.RoleLeader, "/agencies/" + task.AgencyCode},
		{"leader-task", workflow.RoleLeader, tp},
		{"secretariat-task", workflow.RoleSecretariat, tp},
		{"secretariat-notifications", workflow.RoleSecretariat, "/notifications"},
		{"agency-my-tasks", workflow.RoleAgency, "/my/tasks"},
		{"agency-my-tasks-month", workflow.RoleAgency, "/my/tasks?month=" + seed.BenchToday.String()[:7]},
		{"agency-task", workflow.RoleAgency, tp},
		{"agency-notifications", workflow.RoleAgency, "/notifications"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			start := time.Now()
			get(bc.role, bc.path)
			first := time.Since(start)
			b.ResetTimer()
			for b.Loop() {
				get(bc.role, bc.path)
			}
			mean := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(mean.Microseconds())/1000, "ms/op")
			b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
			if mean > 50*time.Millisecond {
				b.Errorf("GET %s as %s took %s on average, over 50 ms", bc.path, bc.role, mean)
			}
		})
	}
}
