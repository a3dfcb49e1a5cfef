package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
)

// What dondoc seed writes (checked against the seed package by the tests,
// so that this program links no database code).
const (
	benchToday   = "2026-11-23" // seed.BenchToday
	seedPassword = "Seed-Passw0rd!"
)

// The month-end mix: agencies list, read, report on and move their tasks;
// leaders read the statistics and the overdue list; the secretariat creates
// directives. Weights are out of 100.
var loadMix = []struct {
	op     string
	weight int
}{
	{"list_open", 20}, {"read_task", 35}, {"report", 8}, {"transition", 20},
	{"overdue_list", 10}, {"stats", 2}, {"create_directive", 5},
}

func mixNames() string {
	var names []string
	for _, m := range loadMix {
		names = append(names, m.op)
	}
	return strings.Join(names, ", ")
}

// parseMix returns the default mix with the weights of spec: operations
// not named get none.
func parseMix(spec string) ([]int, error) {
	weights := map[string]int{}
	total := 0
	for _, part := range strings.Split(spec, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(w)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("--mix: %q is not operation=weight", part)
		}
		weights[name], total = n, total+n
	}
	if total != 100 {
		return nil, fmt.Errorf("--mix: the weights add up to %d, not 100", total)
	}
	mix := make([]int, len(loadMix))
	for i, m := range loadMix {
		mix[i] = weights[m.op]
		delete(weights, m.op)
	}
	for name := range weights {
		return nil, fmt.Errorf("--mix: no operation %q (there are %s)", name, mixNames())
	}
	return mix, nil
}

// defaultMix is the weights of loadMix.
func defaultMix() []int {
	mix := make([]int, len(loadMix))
	for i, m := range loadMix {
		mix[i] = m.weight
	}
	return mix
}

// load is the load harness (issue 7). It logs in as the users that
// `dondoc seed` creates (seed.thuky, seed.lanhdao, seed.<agency>), gathers
// each agency's tasks in progress, and drives the mix from a fixed number of
// connections, round-robin over the given servers: each connection is a
// worker in a closed loop (send, wait for the answer, record, repeat), or,
// with --rate, paced to its share of that rate. The generator is built to
// cost little CPU (fasthttp, requests and buffers reused, latencies in
// per-worker histograms), since it shares the machine with the servers; it
// prints its own CPU use and, for servers it started, theirs.
// With --spawn N it starts N `dondoc serve` processes itself, on the
// database its own settings name, and reports each one's peak memory.
func load(args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dondoc-load", flag.ContinueOnError)
	urls := fs.String("url", "", "base URLs of running servers, comma-separated")
	spawn := fs.Int("spawn", 0, "start this many dondoc serve processes (with this environment) instead of --url")
	server := fs.String("dondoc", "", "the dondoc binary that --spawn starts (default: dondoc beside this program, else on PATH)")
	duration := fs.Duration("duration", 30*time.Second, "how long to run the mix, and measure it")
	timeline := fs.Bool("timeline", false, "also print, for each second of the run, its requests, the slowest and how many took over 50 ms")
	warmup := fs.Duration("warmup", 10*time.Second, "how long to run the mix first, unmeasured: a server that has just started reads its database from disk")
	conns := fs.Int("connections", 64, "concurrent connections")
	today := fs.String("today", benchToday, "the day the seeded data is as of, `YYYY-MM-DD` (agencies active that day log in)")
	password := fs.String("password", seedPassword, "the seeded users' password")
	mixSpec := fs.String("mix", "", "weights replacing the default mix, e.g. read_task=50,transition=50 (operations: "+mixNames()+")")
	rate := fs.Float64("rate", 0, "requests per second in all, shared evenly by the connections, latency counted from each request's intended send time (0: each connection sends its next request as soon as the last is answered)")
	rest, err := config.ParseFlags(config.Command{Name: "dondoc-load", Usage: "(--url URL[,URL…] | --spawn N) [flags]",
		About: "Runs the month-end mix over HTTP against a database that dondoc seed filled, and prints per operation the\n" +
			"throughput, p50/p99/p99.9 latencies and errors, then the CPU the generator and each server used.",
		Flags:    fs,
		Settings: "none of its own. With --spawn, the servers it starts read theirs from this environment\n(DONDOC_DATA_DIR, DONDOC_DATABASE_URL, …: see dondoc serve --help).",
	}, args, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q (see dondoc-load --help)", rest[0])
	}
	mix := defaultMix()
	if *mixSpec != "" {
		if mix, err = parseMix(*mixSpec); err != nil {
			return err
		}
	}
	if *conns < 1 {
		return fmt.Errorf("--connections: %d is not a positive number", *conns)
	}
	if *rate < 0 {
		return fmt.Errorf("--rate: %v is negative", *rate)
	}
	day, err := civil.ParseDate(*today)
	if err != nil {
		return fmt.Errorf("--today: %w", err)
	}
	var targets []string
	var procs []*exec.Cmd
	switch {
	case *spawn > 0 && *urls != "":
		return fmt.Errorf("give --url or --spawn, not both")
	case *spawn > 0:
		if *server, err = dondocBinary(*server); err != nil {
			return err
		}
		for i := range *spawn {
			cmd, base, err := spawnServer(*server, i, stderr)
			if err != nil {
				stopAll(procs)
				return err
			}
			procs = append(procs, cmd)
			targets = append(targets, base)
		}
		defer stopAll(procs)
	case *urls != "":
		for _, u := range strings.Split(*urls, ",") {
			targets = append(targets, strings.TrimRight(strings.TrimSpace(u), "/"))
		}
	default:
		return fmt.Errorf("give --url or --spawn")
	}
	clients := make([]*fasthttp.HostClient, len(targets))
	for i, t := range targets {
		if clients[i], err = hostClient(t, *conns); err != nil {
			return err
		}
	}

	h := &harness{targets: targets, password: *password, mix: mix, client: &http.Client{Timeout: time.Minute}}
	fmt.Fprintf(stderr, "logging in and gathering tasks on %d server(s)…\n", len(targets))
	if err := h.setup(day); err != nil {
		return err
	}
	pace := ""
	if *rate > 0 {
		pace = fmt.Sprintf(", %.0f requests/s in all", *rate)
	}
	fmt.Fprintf(stderr, "%d agency users, %d tasks in progress to move; running the mix for %s at %d connections%s\n",
		len(h.agencies), h.pool(), *duration, *conns, pace)

	workers := make([]*worker, *conns)
	for i := range workers {
		workers[i] = h.newWorker(i, clients)
	}
	var interval time.Duration // between one worker's requests, with --rate
	if *rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(*conns) / *rate)
	}

	peak := &peakRSS{}
	stopSampling := peak.sample(targets, h.client)
	start := time.Now()
	measured := start.Add(*warmup)
	end := measured.Add(*duration)
	var wg sync.WaitGroup
	for i, w := range workers {
		first := start
		if interval > 0 {
			first = start.Add(interval * time.Duration(i) / time.Duration(len(workers))) // spread the workers over one interval
		}
		wg.Go(func() { w.run(first, measured, end, interval) })
	}
	time.Sleep(time.Until(measured))
	cpu0, serverCPU0 := selfCPU(), procsCPU(procs)
	wg.Wait()
	wall := time.Since(measured)
	cpu, serverCPU := selfCPU()-cpu0, procsCPU(procs)
	stopSampling()
	for i := range serverCPU {
		serverCPU[i] -= serverCPU0[i]
	}

	// Merge the workers' figures.
	byOp := make([]opFigures, len(loadMix))
	var total opFigures
	total.hist = newLatencyHistogram()
	errs := map[string]int{}
	perTarget := make([]int64, len(targets))
	var seconds []secondFigures
	for _, w := range workers {
		if len(seconds) < len(w.seconds) {
			seconds = append(seconds, make([]secondFigures, len(w.seconds)-len(seconds))...)
		}
		for i, sec := range w.seconds {
			seconds[i].add(sec)
		}
		for i, s := range w.ops {
			if s.requests == 0 {
				continue
			}
			if byOp[i].hist == nil {
				byOp[i].hist = newLatencyHistogram()
			}
			byOp[i].add(&s)
			total.add(&s)
		}
		for k, n := range w.errs {
			errs[k] += n
		}
		for i, n := range w.perTarget {
			perTarget[i] += n
		}
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\trequests\tper second\tp50\tp99\tp99.9\tmax\terrors\t")
	order := make([]int, 0, len(loadMix))
	for i := range loadMix {
		if byOp[i].requests > 0 {
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool { return loadMix[order[a]].op < loadMix[order[b]].op })
	row := func(name string, s *opFigures) {
		q := func(p float64) string { return ms(time.Duration(s.hist.ValueAtQuantile(p)) * time.Microsecond) }
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t\n", name, s.requests, float64(s.requests)/wall.Seconds(),
			q(50), q(99), q(99.9), ms(time.Duration(s.hist.Max())*time.Microsecond), s.errors)
	}
	for _, i := range order {
		row(loadMix[i].op, &byOp[i])
	}
	row("all", &total)
	tw.Flush()
	if *timeline {
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "second\trequests\tmax\tover 50 ms\t")
		for i, sec := range seconds {
			if sec.requests > 0 {
				fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t\n", i, sec.requests, ms(time.Duration(sec.max)*time.Microsecond), sec.slow)
			}
		}
		tw.Flush()
	}
	for k, n := range errs {
		fmt.Fprintf(stdout, "error: %d × %s\n", n, k)
	}
	perRequest := func(d time.Duration, n int64) float64 {
		if n == 0 {
			return 0
		}
		return float64(d.Microseconds()) / float64(n)
	}
	fmt.Fprintf(stdout, "load generator CPU (user+sys) over the %.1f s attack: %.2f cores, %.1f µs per request\n",
		wall.Seconds(), cpu.Seconds()/wall.Seconds(), perRequest(cpu, total.requests))
	for i, c := range serverCPU {
		if c >= 0 {
			fmt.Fprintf(stdout, "server %d CPU (user+sys): %.2f cores, %.1f µs per request (%d answered)\n",
				i+1, c.Seconds()/wall.Seconds(), perRequest(c, perTarget[i]), perTarget[i])
		}
	}
	for i, p := range procs {
		if hwm, err := vmHWM(p.Process.Pid); err == nil {
			fmt.Fprintf(stdout, "server %d peak memory (VmHWM): %.0f MB\n", i+1, float64(hwm)/(1<<20))
		}
	}
	if peak.max > 0 {
		fmt.Fprintf(stdout, "largest resident memory sampled from /metrics: %.0f MB\n", float64(peak.max)/(1<<20))
	}
	if len(errs) > 0 {
		n := 0
		for _, c := range errs {
			n += c
		}
		return fmt.Errorf("%d requests failed (%d of them measured)", n, total.errors)
	}
	return nil
}

// hostClient is the attack's client for one server: keep-alive connections,
// up to one per worker.
func hostClient(base string, conns int) (*fasthttp.HostClient, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--url: %q is not an http(s) base URL", base)
	}
	return &fasthttp.HostClient{
		Addr:                fasthttp.AddMissingPort(u.Host, u.Scheme == "https"),
		IsTLS:               u.Scheme == "https",
		Name:                "dondoc-load",
		MaxConns:            conns,
		MaxConnWaitTimeout:  time.Minute,
		MaxIdleConnDuration: time.Minute,
		ReadTimeout:         time.Minute,
		WriteTimeout:        time.Minute,
	}, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

func firstLine(err string, body []byte) string {
	s := err
	if s == "" {
		s = string(body)
	}
	if len(s) > 160 {
		s = s[:160]
	}
	return strings.ReplaceAll(s, "\n", " ")
}
