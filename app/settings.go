package app

import (
	"errors"
	"fmt"
	"os"

	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/workflow"
)

// derived is what the settings describe rather than hold: the reminder
// policy, this process's name among replicas.
type derived struct {
	policy  workflow.Policy
	replica string
	off     []string // notices not sent
}

// derive checks what config cannot (the rules live in workflow) and builds
// what the settings describe. It runs before the database is opened, so that
// a mistake stops the start with the setting's name and nothing touched: no
// data directory created, no migration applied.
func derive(cfg config.Config) (derived, error) {
	var d derived
	var errs []error
	policy, err := workflow.ParsePolicy(cfg.ReminderBefore, cfg.ReminderOnDueDay, cfg.OverdueAfter, cfg.OverdueEvery, cfg.EscalateAfter)
	if err != nil {
		errs = append(errs, fmt.Errorf("reminder policy (DONDOC_REMINDER_BEFORE, DONDOC_REMINDER_OVERDUE_AFTER, DONDOC_REMINDER_OVERDUE_EVERY, DONDOC_ESCALATE_AFTER): %w", err))
	}
	d.policy = policy
	// The password is used only when the database has no user yet, which
	// is not known before it is opened; one the rule refuses is a mistake
	// whenever it is found, so it stops every start, not only the first.
	if pw := cfg.AdminPassword; pw != "" {
		if p := workflow.PasswordProblem("admin", pw); p != "" {
			errs = append(errs, fmt.Errorf("DONDOC_ADMIN_PASSWORD: the first admin's password %s (the rule: %s)", p, workflow.PasswordRule))
		}
	}
	if d.off, err = notify.ParseOff(cfg.NotifyOff); err != nil {
		errs = append(errs, fmt.Errorf("DONDOC_NOTIFY_OFF: %w", err))
	}
	d.replica = cfg.Replica
	if d.replica == "" {
		host, err := os.Hostname()
		if err != nil {
			host = "dondoc"
		}
		d.replica = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return d, errors.Join(errs...)
}
