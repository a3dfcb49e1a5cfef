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

// BenchmarkSecretariatPages times the secretariat's pages on the seeded
// database (DONDOC_BENCH_TASKS tasks, a million by default), server time
// through HTTP:
//
//	DONDOC_BENCH_TASKS=100000 go test ./web/ -run '^$' -bench SecretariatPages -benchtime 20x
func BenchmarkSecretariatPages(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("DONDOC_BENCH_TASKS")); err == nil && v > 0 {
		n = v
	}
	cfg := config.Default()
	cfg.DataDir = apptest.BenchDB(b, n)
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
	u, err := a.Service.CreateUser(ctx, admin, workflow.NewUser{Username: "bench.thuky", Password: "Bench-Passw0rd-1",
		Role: workflow.RoleSecretariat, DisplayName: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := a.Auth.Issue(u)
	if err != nil {
		b.Fatal(err)
	}
	get := func(path string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "dondoc_session", Value: token})
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
	doc := "/documents/" + strconv.FormatInt(task.DocumentID, 10)
	for _, bc := range []struct{ name, path string }{
		{"documents", "/documents"}, {"documents-search", "/documents?q=TB"}, {"document", doc},
		{"proposals", doc + "/proposals"}, {"agency-search", "/agencies/search?q=bo+y+te"},
		{"queue-reports", "/queue/reports"}, {"queue-extensions", "/queue/extensions"}, {"queue-overdue", "/queue/overdue"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			start := time.Now()
			get(bc.path) // the first load, cold, apart
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "first-ms")
			for b.Loop() {
				get(bc.path)
			}
			mean := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(mean.Microseconds())/1000, "ms/op")
			if mean > 50*time.Millisecond {
				b.Errorf("GET %s took %s on average, over 50 ms", bc.path, mean)
			}
		})
	}
}
