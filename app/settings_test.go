package app_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestRefusedSettingsStopTheStartBeforeTheDatabase: a first admin's
// password that the password rule refuses, or a reminder policy out of
// range, stops app.New with the setting's name (and, for the password, the
// rule) before anything is opened: on SQLite no data directory is created;
// on PostgreSQL the server is not even dialled (the URL points at a port
// where nothing listens, and the error is the setting's, not the
// connection's).
func TestRefusedSettingsStopTheStartBeforeTheDatabase(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		set   func(*config.Config)
		wants []string
	}{
		{"short password", func(c *config.Config) { c.AdminPassword = "abc123" },
			[]string{"DONDOC_ADMIN_PASSWORD", "at least 10 characters", workflow.PasswordRule}},
		{"password with the username", func(c *config.Config) { c.AdminPassword = "Admin-2026-xyz" },
			[]string{"DONDOC_ADMIN_PASSWORD", "must not contain the username"}},
		{"two classes only", func(c *config.Config) { c.AdminPassword = "abcdefghij12" },
			[]string{"DONDOC_ADMIN_PASSWORD", "three of"}},
		{"first overdue reminder", func(c *config.Config) { c.OverdueAfter = 0 },
			[]string{"DONDOC_REMINDER_OVERDUE_AFTER", "first overdue reminder"}},
		{"days before", func(c *config.Config) { c.ReminderBefore = "7,x" },
			[]string{"DONDOC_REMINDER_BEFORE", `"x"`}},
	}
	for _, c := range cases {
		for _, db := range []string{"sqlite", "postgres"} {
			t.Run(c.name+"/"+db, func(t *testing.T) {
				t.Parallel()
				cfg := config.Default()
				cfg.DataDir = filepath.Join(t.TempDir(), "data")
				if db == "postgres" {
					cfg.DatabaseURL = "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
				}
				cfg.AdminPassword = "Adm1n-Passw0rd!"
				c.set(&cfg)
				a, err := app.New(context.Background(), cfg, app.Options{})
				if err == nil {
					a.Close()
					t.Fatal("the start went on")
				}
				for _, w := range c.wants {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), "connect") {
					t.Errorf("error %q comes from dialling the database", err)
				}
				if _, serr := os.Stat(cfg.DataDir); !errors.Is(serr, fs.ErrNotExist) {
					t.Errorf("the data directory was created (%v)", serr)
				}
			})
		}
	}
}

// TestReplicaNamesScanRunsAndClaims: the name DONDOC_REPLICA gives is the
// one a scan run and a delivery's claim record; without it, the host name
// and the process id.
func TestReplicaNamesScanRunsAndClaims(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		day := civil.MustDate("2026-03-02") // a Monday
		in := apptest.Start(t, tg, day, func(c *config.Config) { c.Replica = "replica-7" })
		ctx := context.Background()
		if in.App.Replica != "replica-7" {
			t.Fatalf("App.Replica = %q", in.App.Replica)
		}
		if _, err := in.App.Service.Scan(ctx, day); err != nil {
			t.Fatal(err)
		}
		var run models.ScanRun
		if err := in.App.DB.R.Order("id DESC").First(&run).Error; err != nil {
			t.Fatal(err)
		}
		if run.Replica != "replica-7" {
			t.Errorf("the scan run names %q", run.Replica)
		}

		// An e-mail with no SMTP server configured: the claim is taken and
		// the delivery fails, to be retried; the row keeps who claimed it.
		n := models.Notification{Channel: notify.ChannelEmail, Kind: "task.urge", Recipient: "x@example.org", Title: "t", Body: "b",
			Payload: "{}", DedupKey: "replica-test", Status: notify.StatusPending, NextAttemptAt: in.Clock.Now(), CreatedAt: in.Clock.Now()}
		if err := in.App.DB.W.Create(&n).Error; err != nil {
			t.Fatal(err)
		}
		claimed, err := in.App.Outbox.DispatchOnce(ctx)
		if claimed != 1 || err != nil {
			t.Fatalf("DispatchOnce claimed %d (%v), want the one e-mail", claimed, err)
		}
		var after models.Notification
		if err := in.App.DB.R.First(&after, n.ID).Error; err != nil {
			t.Fatal(err)
		}
		if after.ClaimedBy != "replica-7" || after.Attempts != 1 {
			t.Errorf("after one attempt: claimed by %q, %d attempts", after.ClaimedBy, after.Attempts)
		}
	})

	in := apptest.Start(t, testdb.SQLite(t), civil.MustDate("2026-03-02"))
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%s-%d", host, os.Getpid()); in.App.Replica != want {
		t.Errorf("without DONDOC_REPLICA the replica is %q, want %q", in.App.Replica, want)
	}
}
