package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/catalog"
)

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
	mix      []int // weights out of 100, by operation in the order of loadMix
	client   *http.Client

	agencies    []*loadAgency
	secretariat string
	leader      string
	documentID  int64
	codes       []string // lead candidates for new directives
	seq         atomic.Uint64
}

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
func (h *harness) setup(day civil.Date) error {
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
		n := min(len(la.open), max(1, min(50, len(la.open)/5))) // none of an agency that has none
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

func coordinators(lead, co string) []string {
	if co == lead {
		return nil
	}
	return []string{co}
}

// dondocBinary finds the server that --spawn starts: the one given, or
// dondoc beside this program (go build -o bin/ ./cmd/...), or on PATH.
func dondocBinary(given string) (string, error) {
	if given != "" {
		return exec.LookPath(given)
	}
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), "dondoc")
		if _, err := os.Stat(beside); err == nil {
			return beside, nil
		}
	}
	path, err := exec.LookPath("dondoc")
	if err != nil {
		return "", fmt.Errorf("--spawn: no dondoc binary beside this program or on PATH: build both (go build -o bin/ ./cmd/...) or give --dondoc PATH")
	}
	return path, nil
}

// spawnServer starts `dondoc serve` on a free port with this process's
// environment (the database settings) and waits until it is ready.
func spawnServer(exe string, i int, stderr io.Writer) (*exec.Cmd, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := ln.Addr().String()
	ln.Close()
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
