package main

import (
	"encoding/json"
	"io"

	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/seed"
)

func seedCmd(args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("seed")
	tasks := fs.Int("tasks", 0, "how many tasks to write (at least; required)")
	rnd := fs.Uint64("seed", 1, "the random seed: the same seed and size give the same data")
	cmd := toolCommand("seed", "--tasks N [--seed S] [settings]",
		"Fills the database the settings name with a realistic body of work as of today: documents over five years,\n"+
			"directives, tasks in every state with their histories, and the users seed.thuky (secretariat),\n"+
			"seed.lanhdao (leader) and seed.<agency> (one officer per agency), password "+seed.Password+".\n"+
			"For load tests (dondoc-load) and for trying dondoc at the scale of a whole government.", fs)
	cfg, err := config.Load(cmd, args, env, stdout)
	if err != nil {
		return err
	}
	if *tasks < 1 {
		return needs(cmd, "give --tasks N, a positive number")
	}
	if *rnd == 0 {
		return needs(cmd, "--seed: give a positive number")
	}
	ctx, a, done, err := openApp(cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer done()
	res, err := seed.Run(ctx, a.DB, a.Service.Calendars().Current(), a.Service.Policy(), seed.Options{Tasks: *tasks, Today: a.Service.Today(), Seed: *rnd})
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]any{"documents": res.Documents, "directives": res.Directives, "tasks": res.Tasks,
		"events": res.Events, "overdue": res.Overdue, "seconds": res.Duration.Seconds()})
}
