package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dondoc/dondoc/seed"
)

func init() {
	register("seed", command{usage: "seed --tasks N [--seed S]", help: "fill the database with N tasks of realistic sample data (for load tests)", run: seedCmd})
}

func seedCmd(args []string, env func(string) string, stdout, stderr io.Writer) error {
	n, rnd := 0, uint64(1)
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "tasks" && name != "seed" || !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return fmt.Errorf("--%s needs a number", name)
			}
			i++
			val = args[i]
		}
		v, err := strconv.ParseUint(val, 10, 64)
		if err != nil || v == 0 {
			return fmt.Errorf("--%s: %q is not a positive number", name, val)
		}
		if name == "tasks" {
			n = int(v)
		} else {
			rnd = v
		}
	}
	if n == 0 {
		return fmt.Errorf("give --tasks N")
	}
	ctx, a, done, err := openTool("seed", rest, env, stdout, stderr)
	if err != nil {
		return err
	}
	defer done()
	policy := a.Service.Policy()
	res, err := seed.Run(ctx, a.DB, a.Service.Calendars().Current(), policy, seed.Options{Tasks: n, Today: a.Service.Today(), Seed: rnd})
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]any{"documents": res.Documents, "directives": res.Directives, "tasks": res.Tasks,
		"events": res.Events, "overdue": res.Overdue, "seconds": res.Duration.Seconds()})
}
