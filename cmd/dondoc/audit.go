package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/dondoc/dondoc/config"
)

// audit verify checks the audit trail from the database itself, without
// the server: what an auditor runs on a copy of the data.
func audit(args []string, env func(string) string, stdout, stderr io.Writer) error {
	cmd := toolCommand("audit", "verify [settings]",
		"Walks every task's hash-chained history in the database the settings name, and prints what it checked\n"+
			"as JSON. Exits 1 naming the first event that does not match (altered, missing or out of order).", nil)
	verify := len(args) > 0 && args[0] == "verify"
	if verify {
		args = args[1:]
	}
	cfg, err := config.Load(cmd, args, env, stdout)
	if err != nil {
		return err
	}
	if !verify {
		return needs(cmd, "say what to do: dondoc audit verify")
	}
	ctx, a, done, err := openApp(cfg, nil, stderr)
	if err != nil {
		return err
	}
	defer done()
	res, err := a.Service.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"ok": res.OK, "tasks": res.Tasks, "events": res.Events, "files": res.Files, "first_mismatch": res.Mismatch, "seconds": res.Duration.Seconds()}); err != nil {
		return err
	}
	if !res.OK {
		m := res.Mismatch
		return fmt.Errorf("audit trail broken at event %d (task %d, seq %d): %s", m.EventID, m.TaskID, m.Seq, m.Reason)
	}
	return nil
}
