package main

import (
	"encoding/json"
	"fmt"
	"io"
)

func init() {
	register("audit", command{usage: "audit verify", help: "walk every task's hash-chained history; exit 1 naming the first event that does not match", run: audit})
}

// audit verify checks the audit trail from the database itself, without
// the server: what an auditor runs on a copy of the data.
func audit(args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("usage: dondoc audit verify [server settings]")
	}
	ctx, a, done, err := openTool("audit", args[1:], env, nil, stderr)
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
	if err := enc.Encode(map[string]any{"ok": res.OK, "tasks": res.Tasks, "events": res.Events, "first_mismatch": res.Mismatch, "seconds": res.Duration.Seconds()}); err != nil {
		return err
	}
	if !res.OK {
		m := res.Mismatch
		return fmt.Errorf("audit trail broken at event %d (task %d, seq %d): %s", m.EventID, m.TaskID, m.Seq, m.Reason)
	}
	return nil
}
