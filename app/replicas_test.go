package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestReplicaProcess is not a test: it is a replica that TestReplicasShare
// starts as a process of its own (the test binary run again), so that it
// can be killed for real.
func TestReplicaProcess(t *testing.T) {
	url := os.Getenv("DONDOC_REPLICA_DB")
	if url == "" {
		t.Skip("run by TestReplicasShareTheWork")
	}
	asOf := civil.MustDate(os.Getenv("DONDOC_REPLICA_AS_OF"))
	cfg := config.Default()
	cfg.DatabaseURL, cfg.Scheduler, cfg.NotifyLease = url, false, 3*time.Second
	clock := workflow.OffsetClock{Offset: time.Until(asOf.In(workflow.Location).Add(7 * time.Hour))}
	a, err := app.New(context.Background(), cfg, app.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	res, err := a.Service.Scan(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "replica %d: scan looked at %d tasks, created %d reminders\n", os.Getpid(), res.Tasks, res.Reminders)
	for {
		n, err := a.Outbox.DispatchOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			continue
		}
		var pending int64
		if err := a.DB.R.Model(&models.Notification{}).Where("status = ?", notify.StatusPending).Count(&pending).Error; err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		// What is left was claimed by a replica that died: its lease runs
		// out on the clock (cfg.NotifyLease), and nothing signals that, so
		// look again a little later.
		time.Sleep(100 * time.Millisecond)
	}
}

// TestReplicasShareTheWork: three replicas on one PostgreSQL scan and
// dispatch at once over 2,016 tasks; one is killed (SIGKILL) mid-run. Every
// reminder is created exactly once and every notification delivered; the
// only repeats are deliveries the killed replica had in flight, and they
// carry the same webhook-id so that the receiver can drop them.
func TestReplicasShareTheWork(t *testing.T) {
	t.Parallel()
	if os.Getenv(testdb.EnvURL) == "" {
		t.Skip("needs PostgreSQL: set " + testdb.EnvURL + " (CI does)")
	}
	tg := testdb.Postgres(t)
	asOf := civil.MustDate("2026-03-02")
	in := apptest.Start(t, tg, civil.MustDate("2026-02-27"))

	var mu sync.Mutex
	got := map[string]int{}
	total := 0
	const tasksWant = 2016
	quarter := make(chan struct{}) // closed when a quarter of the deliveries are through
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond) // a receiver that takes its time, so that the kill finds deliveries in flight
		mu.Lock()
		got[r.Header.Get("webhook-id")]++
		total++
		if total == tasksWant/4 {
			close(quarter)
		}
		mu.Unlock()
	}))
	defer recv.Close()
	in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": recv.URL, "events": []string{"task.reminder"}}).Want(201)

	sec := in.User("thuky", workflow.RoleSecretariat, "")
	var doc struct{ ID int64 }
	sec.Do("POST", "/api/v1/documents", map[string]any{"number": "99/TB-VPCP", "kind": "conclusion_notice", "title": "x", "issued_on": "2026-02-26"}).Want(201).JSON(&doc)
	tasks := 0
	for i := 0; i < 36; i++ { // 36 directives to the 22 ministries and 34 provinces: 2,016 tasks
		var d struct{ Tasks []struct{ ID int64 } }
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": fmt.Sprintf("Nhiệm vụ %d", i),
			"group": "all_ministries_and_provinces", "due_on": "2026-03-05"}).Want(201).JSON(&d)
		tasks += len(d.Tasks)
	}
	if tasks != tasksWant {
		t.Fatalf("%d tasks", tasks)
	}

	var procs []*exec.Cmd
	var outs []*strings.Builder
	for i := 0; i < 3; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReplicaProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DONDOC_REPLICA_DB="+in.Target.URL, "DONDOC_REPLICA_AS_OF="+asOf.String())
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs, outs = append(procs, cmd), append(outs, out)
	}
	// Kill the first replica once a quarter of the deliveries are through.
	select {
	case <-quarter:
	case <-time.After(2 * time.Minute):
		t.Fatalf("a quarter of the deliveries did not come in 2 minutes: %d", func() int { mu.Lock(); defer mu.Unlock(); return total }())
	}
	if err := procs[0].Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = procs[0].Wait() // it was killed: its exit status says so
	for i, p := range procs[1:] {
		if err := p.Wait(); err != nil {
			t.Fatalf("replica %d: %v\n%s", i+1, err, outs[i+1])
		}
	}

	var reminders, distinct, sent, pending int64
	db := in.App.DB.R
	for _, err := range []error{
		db.Model(&models.Reminder{}).Count(&reminders).Error,
		db.Raw("SELECT COUNT(DISTINCT task_id) FROM reminders WHERE rule = 'before-3'").Scan(&distinct).Error,
		db.Model(&models.Notification{}).Where("channel = 'webhook' AND status = 'sent'").Count(&sent).Error,
		db.Model(&models.Notification{}).Where("status = 'pending'").Count(&pending).Error,
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	dups := 0
	for _, c := range got {
		dups += c - 1
	}
	t.Logf("tasks %d; reminders created %d (distinct tasks %d); webhook notifications sent %d; deliveries received %d, distinct webhook-ids %d, repeats %d",
		tasks, reminders, distinct, sent, total, len(got), dups)
	if reminders != int64(tasks) || distinct != int64(tasks) {
		t.Errorf("reminders: %d for %d tasks (distinct %d): want exactly one each", reminders, tasks, distinct)
	}
	if sent != int64(tasks) || pending != 0 || len(got) != tasks {
		t.Errorf("delivered %d of %d (distinct ids received %d, still pending %d)", sent, tasks, len(got), pending)
	}
	// A repeat can only be a delivery the killed replica had claimed: at
	// most one batch.
	if dups > 50 {
		t.Errorf("%d repeated deliveries: more than the killed replica could have had in flight", dups)
	}
}
