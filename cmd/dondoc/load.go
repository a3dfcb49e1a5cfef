package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/dondoc/dondoc/app/seed"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow/catalog"
)

func init() {
	register("load", command{
		usage: "load [--url URL[,URL…] | --spawn N] [--duration 30s] [--connections 64] [--today DATE]",
		help:  "run the month-end mix over HTTP against a seeded dondoc and print throughput, latencies and errors per operation",
		run:   load,
	})
}

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

// setMix replaces the weights: operations not named get none.
func setMix(spec string) error {
	weights := map[string]int{}
	total := 0
	for _, part := range strings.Split(spec, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(w)
		if !ok || err != nil || n < 0 {
			return fmt.Errorf("--mix: %q is not operation=weight", part)
		}
		weights[name], total = n, total+n
	}
	if total != 100 {
		return fmt.Errorf("--mix: the weights add up to %d, not 100", total)
	}
	for i := range loadMix {
		w := weights[loadMix[i].op]
		loadMix[i].weight = w
		delete(weights, loadMix[i].op)
	}
	for name := range weights {
		return fmt.Errorf("--mix: no operation %q (there are %s)", name, mixNames())
	}
	return nil
}

// load is the load harness (issue 7). It logs in as the users that
// `dondoc seed` creates (seed.thuky, seed.lanhdao, seed.<agency>), gathers
// each agency's tasks in progress, and drives the mix with vegeta at a fixed
// number of concurrent connections, round-robin over the given servers.
// With --spawn N it starts N `dondoc serve` processes itself, on the
// database its own settings name, and reports each one's peak memory.
func load(args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	urls := fs.String("url", "", "base URLs of running servers, comma-separated")
	spawn := fs.Int("spawn", 0, "start this many `dondoc serve` processes (with this environment) instead of --url")
	duration := fs.Duration("duration", 30*time.Second, "how long to run the mix")
	conns := fs.Int("connections", 64, "concurrent connections")
	today := fs.String("today", seed.BenchToday.String(), "the day the seeded data is as of (agencies active that day log in)")
	password := fs.String("password", seed.Password, "the seeded users' password")
	mix := fs.String("mix", "", "weights replacing the default mix, e.g. read_task=50,transition=50 (operations: "+mixNames()+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *mix != "" {
		if err := setMix(*mix); err != nil {
			return err
		}
	}
	day, err := models.ParseDate(*today)
	if err != nil {
		return fmt.Errorf("--today: %w", err)
	}
	var targets []string
	var procs []*exec.Cmd
	switch {
	case *spawn > 0 && *urls != "":
		return fmt.Errorf("give --url or --spawn, not both")
	case *spawn > 0:
		for i := range *spawn {
			cmd, base, err := spawnServer(i, env, stderr)
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

	h := &harness{targets: targets, password: *password, client: &http.Client{Timeout: time.Minute}}
	fmt.Fprintf(stderr, "logging in and gathering tasks on %d server(s)…\n", len(targets))
	if err := h.setup(day); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d agency users, %d tasks in progress to move; running the mix for %s at %d connections\n",
		len(h.agencies), h.pool(), *duration, *conns)

	peak := &peakRSS{}
	stopSampling := peak.sample(targets, h.client)
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(*conns)), vegeta.MaxWorkers(uint64(*conns)),
		vegeta.Connections(*conns), vegeta.MaxConnections(*conns), vegeta.KeepAlive(true), vegeta.Timeout(time.Minute))
	byOp := map[string]*vegeta.Metrics{}
	var total vegeta.Metrics
	errs := map[string]int{}
	for res := range atk.Attack(h.next, vegeta.Rate{}, *duration, "month-end") {
		op := classify(res.Method, res.URL)
		m := byOp[op]
		if m == nil {
			m = &vegeta.Metrics{}
			byOp[op] = m
		}
		m.Add(res)
		total.Add(res)
		if res.Code < 200 || res.Code > 299 {
			key := fmt.Sprintf("%s %d %s", op, res.Code, firstLine(res.Error, res.Body))
			errs[key]++
		}
	}
	stopSampling()
	total.Close()

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\trequests\tper second\tp50\tp99\tp99.9\tmax\terrors\t")
	ops := make([]string, 0, len(byOp))
	for op := range byOp {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		m := byOp[op]
		m.Close()
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t\n", op, m.Requests, float64(m.Requests)/total.Duration.Seconds(),
			ms(m.Latencies.P50), ms(m.Latencies.P99), ms(m.Latencies.Quantile(0.999)), ms(m.Latencies.Max), m.Requests-uint64(float64(m.Requests)*m.Success+0.5))
	}
	fmt.Fprintf(tw, "all\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t\n", total.Requests, total.Rate, ms(total.Latencies.P50), ms(total.Latencies.P99),
		ms(total.Latencies.Quantile(0.999)), ms(total.Latencies.Max), total.Requests-uint64(float64(total.Requests)*total.Success+0.5))
	tw.Flush()
	for k, n := range errs {
		fmt.Fprintf(stdout, "error: %d × %s\n", n, k)
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
		return fmt.Errorf("%d requests failed", total.Requests-uint64(float64(total.Requests)*total.Success+0.5))
	}
	return nil
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

var (
	reTask      = regexp.MustCompile(`/api/v1/tasks/\d+$`)
	reReport    = regexp.MustCompile(`/api/v1/tasks/\d+/reports$`)
	reMove      = regexp.MustCompile(`/api/v1/tasks/\d+/transitions$`)
	reStats     = regexp.MustCompile(`/api/v1/stats/agencies`)
	reDirective = regexp.MustCompile(`/api/v1/directives$`)
)

// classify names a request's operation from its method and URL.
func classify(method, url string) string {
	path, query, _ := strings.Cut(url, "?")
	switch {
	case method == "GET" && strings.HasSuffix(path, "/api/v1/tasks") && strings.Contains(query, "overdue=true"):
		return "overdue_list"
	case method == "GET" && strings.HasSuffix(path, "/api/v1/tasks"):
		return "list_open"
	case method == "GET" && reTask.MatchString(path):
		return "read_task"
	case method == "POST" && reReport.MatchString(path):
		return "report"
	case method == "POST" && reMove.MatchString(path):
		return "transition"
	case method == "GET" && reStats.MatchString(path):
		return "stats"
	case method == "POST" && reDirective.MatchString(path):
		return "create_directive"
	}
	return "other"
}

type loadAgency struct {
	code, token string
	mu          sync.Mutex
	open        []int64 // tasks in progress, not yet moved by this run
	reportable  []int64 // tasks in progress that only take progress reports
	all         []int64 // every task gathered, for reads
}

type harness struct {
	targets  []string
	password string
	client   *http.Client

	agencies    []*loadAgency
	secretariat string
	leader      string
	documentID  int64
	codes       []string // lead candidates for new directives
	rr          atomic.Uint64
	seq         atomic.Uint64
}

func (h *harness) base() string { return h.targets[h.rr.Add(1)%uint64(len(h.targets))] }

func (h *harness) pool() int {
	n := 0
	for _, a := range h.agencies {
		n += len(a.open)
	}
	return n
}

func (h *harness) call(method, path, token string, body any, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.targets[0]+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (h *harness) login(user string) (string, error) {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := h.call("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": h.password}, &tok)
	return tok.AccessToken, err
}

// setup logs every seeded user in and gathers each agency's tasks.
func (h *harness) setup(day models.Date) error {
	var err error
	if h.secretariat, err = h.login("seed.thuky"); err != nil {
		return fmt.Errorf("log in as the seeded secretariat (run `dondoc seed` first): %w", err)
	}
	if h.leader, err = h.login("seed.lanhdao"); err != nil {
		return err
	}
	list, err := catalog.Load()
	if err != nil {
		return err
	}
	for _, a := range list {
		if !a.ActiveOn(day) || a.Kind == catalog.KindOther {
			continue
		}
		tok, err := h.login("seed." + strings.ToLower(a.Code))
		if err != nil {
			continue // an agency the seed gave no officer
		}
		la := &loadAgency{code: a.Code, token: tok}
		cursor := ""
		for range 20 { // up to 2,000 tasks in progress per agency
			var page struct {
				Items []struct {
					ID int64 `json:"id"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			q := "/api/v1/tasks?status=in_progress&limit=100"
			if cursor != "" {
				q += "&cursor=" + cursor
			}
			if err := h.call("GET", q, tok, nil, &page); err != nil {
				return err
			}
			for _, it := range page.Items {
				la.open = append(la.open, it.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		la.all = append([]int64(nil), la.open...)
		rand.Shuffle(len(la.open), func(i, j int) { la.open[i], la.open[j] = la.open[j], la.open[i] })
		// Some tasks only take progress reports and are never moved, so a
		// report never races a transition of the same task (409).
		n := max(1, min(50, len(la.open)/5))
		la.reportable, la.open = la.open[:n:n], la.open[n:]
		if len(la.all) > 0 {
			h.agencies = append(h.agencies, la)
			h.codes = append(h.codes, a.Code)
		}
	}
	if len(h.agencies) == 0 {
		return fmt.Errorf("no agency has tasks in progress: seed the database first (dondoc seed --tasks N)")
	}
	var doc struct {
		ID int64 `json:"id"`
	}
	err = h.call("POST", "/api/v1/documents", h.secretariat, map[string]any{
		"number": fmt.Sprintf("%d/TB-VPCP", time.Now().UnixNano()%1_000_000), "kind": "conclusion_notice",
		"title": "Kết luận (thử tải)", "issued_on": day.String(),
	}, &doc)
	h.documentID = doc.ID
	return err
}

// next is the vegeta targeter: the next request of the mix.
func (h *harness) next(t *vegeta.Target) error {
	r := rand.IntN(100)
	op := loadMix[len(loadMix)-1].op
	for _, m := range loadMix {
		if r < m.weight {
			op = m.op
			break
		}
		r -= m.weight
	}
	a := h.agencies[rand.IntN(len(h.agencies))]
	base := h.base()
	t.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + a.token}}
	t.Body = nil
	if op == "transition" {
		a.mu.Lock()
		if len(a.open) == 0 {
			op = "read_task" // this agency has moved every task it had
		} else {
			id := a.open[len(a.open)-1]
			a.open = a.open[:len(a.open)-1]
			t.Method, t.URL = "POST", fmt.Sprintf("%s/api/v1/tasks/%d/transitions", base, id)
			t.Body = []byte(`{"action":"report_done","report":"Đã hoàn thành nhiệm vụ, báo cáo kèm theo."}`)
		}
		a.mu.Unlock()
		if t.Body != nil {
			return nil
		}
	}
	switch op {
	case "list_open":
		t.Method, t.URL = "GET", base+"/api/v1/tasks?status=open&sort=due_on&limit=20"
	case "read_task":
		t.Method, t.URL = "GET", fmt.Sprintf("%s/api/v1/tasks/%d", base, a.all[rand.IntN(len(a.all))])
	case "report":
		// On a task that stays in progress: one moved to "reported" takes
		// no progress report (409).
		id := a.all[rand.IntN(len(a.all))]
		if len(a.reportable) > 0 {
			id = a.reportable[rand.IntN(len(a.reportable))]
		}
		t.Method, t.URL = "POST", fmt.Sprintf("%s/api/v1/tasks/%d/reports", base, id)
		t.Body = []byte(fmt.Sprintf(`{"body":"Báo cáo tiến độ tháng: đã triển khai %d%% khối lượng.","percent":%d}`, 50, 50))
	case "overdue_list":
		t.Header.Set("Authorization", "Bearer "+h.leader)
		t.Method, t.URL = "GET", base+"/api/v1/tasks?overdue=true&sort=-days_overdue&limit=20"
	case "stats":
		t.Header.Set("Authorization", "Bearer "+h.leader)
		t.Method, t.URL = "GET", base+"/api/v1/stats/agencies"
	case "create_directive":
		t.Header.Set("Authorization", "Bearer "+h.secretariat)
		lead := h.codes[rand.IntN(len(h.codes))]
		co := h.codes[rand.IntN(len(h.codes))]
		b, _ := json.Marshal(map[string]any{"document_id": h.documentID, "content": fmt.Sprintf("Nhiệm vụ thử tải số %d", h.seq.Add(1)),
			"lead": lead, "coordinators": coordinators(lead, co), "due_on": "2027-06-30"})
		t.Method, t.URL, t.Body = "POST", base+"/api/v1/directives", b
	}
	return nil
}

func coordinators(lead, co string) []string {
	if co == lead {
		return nil
	}
	return []string{co}
}

// spawnServer starts `dondoc serve` on a free port with this process's
// environment (the database settings) and waits until it is ready.
func spawnServer(i int, env func(string) string, stderr io.Writer) (*exec.Cmd, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	exe, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(exe, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "DONDOC_LOG_LEVEL=warn", "DONDOC_REPLICA="+strconv.Itoa(i+1))
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, base, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	cmd.Process.Kill()
	return nil, "", fmt.Errorf("server %d did not become ready at %s", i+1, base)
}

func stopAll(procs []*exec.Cmd) {
	for _, p := range procs {
		p.Process.Signal(os.Interrupt)
	}
	for _, p := range procs {
		p.Wait()
	}
}

// vmHWM is a process's peak resident memory, from /proc.
func vmHWM(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM")
}

// peakRSS samples the servers' resident memory from their /metrics while
// the mix runs: for servers the harness did not start.
type peakRSS struct {
	mu  sync.Mutex
	max int64
}

func (p *peakRSS) sample(targets []string, c *http.Client) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			for _, t := range targets {
				if v := rssFromMetrics(ctx, c, t); v > 0 {
					p.mu.Lock()
					p.max = max(p.max, v)
					p.mu.Unlock()
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

func rssFromMetrics(ctx context.Context, c *http.Client, base string) int64 {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return int64(f)
		}
	}
	return 0
}
