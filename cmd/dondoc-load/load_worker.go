package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/valyala/fasthttp"
)

// Latencies are kept in microseconds, from 1 µs to a minute, to three
// significant digits.
const maxLatencyMicros = 60_000_000

func newLatencyHistogram() *hdrhistogram.Histogram { return hdrhistogram.New(1, maxLatencyMicros, 3) }

// opFigures are one operation's figures, a worker's or merged.
type opFigures struct {
	hist             *hdrhistogram.Histogram
	requests, errors int64
}

func (s *opFigures) add(o *opFigures) {
	s.hist.Merge(o.hist)
	s.requests += o.requests
	s.errors += o.errors
}

// The operations, in the order of loadMix.
const (
	opListOpen = iota
	opReadTask
	opReport
	opTransition
	opOverdueList
	opStats
	opCreateDirective
)

func init() {
	for i, name := range []string{"list_open", "read_task", "report", "transition", "overdue_list", "stats", "create_directive"} {
		if loadMix[i].op != name {
			panic("load: loadMix and the op constants disagree at " + name)
		}
	}
}

// The requests' fixed parts.
var (
	pathListOpen  = []byte("/api/v1/tasks?status=open&sort=due_on&limit=20")
	pathOverdue   = []byte("/api/v1/tasks?overdue=true&sort=-days_overdue&limit=20")
	pathStats     = []byte("/api/v1/stats/agencies")
	pathDirective = []byte("/api/v1/directives")
	pathTask      = []byte("/api/v1/tasks/")
	bodyMove      = []byte(`{"action":"report_done","report":"Đã hoàn thành nhiệm vụ, báo cáo kèm theo."}`)
	bodyReport    = []byte(`{"body":"Báo cáo tiến độ tháng: đã triển khai 50% khối lượng.","percent":50}`)
	jsonType      = []byte("application/json")
)

// worker is one connection's closed loop, with everything it needs of its
// own: a request and a response reused for every call, a buffer for URLs,
// a random source, and its figures.
type worker struct {
	h         *harness
	clients   []*fasthttp.HostClient
	bases     [][]byte // the targets' base URLs
	rnd       *rand.Rand
	req       *fasthttp.Request
	resp      *fasthttp.Response
	url       []byte
	rr        int
	auth      [][]byte // "Bearer …" per agency, as h.agencies
	leader    []byte
	secretary []byte

	ops       []opFigures
	perTarget []int64
	errs      map[string]int
	seconds   []secondFigures // by the second of the measured run a request was meant for
}

// secondFigures are one second's requests, for --timeline: a stall shows as
// seconds whose requests all waited.
type secondFigures struct {
	requests, slow int64 // slow: over slowMicros
	max            int64 // µs
}

const slowMicros = 50_000

func (s *secondFigures) add(o secondFigures) {
	s.requests += o.requests
	s.slow += o.slow
	s.max = max(s.max, o.max)
}

func (h *harness) newWorker(i int, clients []*fasthttp.HostClient) *worker {
	w := &worker{h: h, clients: clients, rnd: rand.New(rand.NewPCG(rand.Uint64(), uint64(i))),
		req: fasthttp.AcquireRequest(), resp: fasthttp.AcquireResponse(), url: make([]byte, 0, 256), rr: i,
		leader: []byte("Bearer " + h.leader), secretary: []byte("Bearer " + h.secretariat),
		ops: make([]opFigures, len(loadMix)), perTarget: make([]int64, len(clients))}
	for _, t := range h.targets {
		w.bases = append(w.bases, []byte(t))
	}
	for _, a := range h.agencies {
		w.auth = append(w.auth, []byte("Bearer "+a.token))
	}
	w.req.Header.SetContentTypeBytes(jsonType)
	return w
}

// pick draws the next operation of the mix.
func (w *worker) pick() int {
	r := w.rnd.IntN(100)
	for i, weight := range w.h.mix {
		if r < weight {
			return i
		}
		r -= weight
	}
	return len(loadMix) - 1
}

// run sends requests until end. With an interval, the first is meant for
// first and each next one interval later; a request's latency counts from
// the time it was meant for, so a server that stalls shows in the latencies
// even though this worker could not send while it waited.
// Requests sent before measured are the warm-up's: not recorded.
func (w *worker) run(first, measured, end time.Time, interval time.Duration) {
	defer func() {
		fasthttp.ReleaseRequest(w.req)
		fasthttp.ReleaseResponse(w.resp)
		w.req, w.resp = nil, nil
	}()
	next := first
	w.seconds = make([]secondFigures, int(end.Sub(measured)/time.Second)+1)
	for {
		var sent time.Time
		if interval > 0 {
			now := time.Now()
			if !next.Before(end) || !now.Before(end) {
				return
			}
			if d := next.Sub(now); d > 0 {
				time.Sleep(d)
			}
			sent, next = next, next.Add(interval)
		} else if sent = time.Now(); !sent.Before(end) {
			return
		}
		t := w.rr % len(w.clients)
		w.rr++
		op := w.prepare(w.bases[t])
		err := w.clients[t].Do(w.req, w.resp)
		us := time.Since(sent).Microseconds()
		code := w.resp.StatusCode()
		failed := err != nil || code < 200 || code > 299
		if failed {
			// Counted in the warm-up too: a request that failed failed.
			msg := ""
			if err != nil {
				code, msg = 0, err.Error()
			}
			if w.errs == nil {
				w.errs = map[string]int{}
			}
			w.errs[fmt.Sprintf("%s %d %s", loadMix[op].op, code, firstLine(msg, w.resp.Body()))]++
		}
		if sent.Before(measured) {
			continue
		}
		s := &w.ops[op]
		if s.hist == nil {
			s.hist = newLatencyHistogram()
		}
		s.hist.RecordValue(min(max(us, 1), maxLatencyMicros))
		s.requests++
		sec := &w.seconds[min(int(sent.Sub(measured)/time.Second), len(w.seconds)-1)]
		sec.requests++
		sec.max = max(sec.max, us)
		if us > slowMicros {
			sec.slow++
		}
		w.perTarget[t]++
		if failed {
			s.errors++
		}
	}
}

// prepare fills w.req with the next request of the mix, for the server at
// base, and returns its operation.
func (w *worker) prepare(base []byte) int {
	h, req := w.h, w.req
	op := w.pick()
	ai := w.rnd.IntN(len(h.agencies))
	a := h.agencies[ai]
	auth := w.auth[ai]
	u := append(w.url[:0], base...)
	var body []byte
	if op == opTransition {
		a.mu.Lock()
		if len(a.open) == 0 {
			op = opReadTask // this agency has moved every task it had
		} else {
			id := a.open[len(a.open)-1]
			a.open = a.open[:len(a.open)-1]
			u = append(strconv.AppendInt(append(u, pathTask...), id, 10), "/transitions"...)
			body = bodyMove
		}
		a.mu.Unlock()
	}
	switch op {
	case opListOpen:
		u = append(u, pathListOpen...)
	case opReadTask:
		u = strconv.AppendInt(append(u, pathTask...), a.all[w.rnd.IntN(len(a.all))], 10)
	case opReport:
		// On a task that stays in progress: one moved to "reported" takes
		// no progress report (409).
		id := a.all[w.rnd.IntN(len(a.all))]
		if len(a.reportable) > 0 {
			id = a.reportable[w.rnd.IntN(len(a.reportable))]
		}
		u = append(strconv.AppendInt(append(u, pathTask...), id, 10), "/reports"...)
		body = bodyReport
	case opOverdueList:
		auth = w.leader
		u = append(u, pathOverdue...)
	case opStats:
		auth = w.leader
		u = append(u, pathStats...)
	case opCreateDirective:
		auth = w.secretary
		lead := h.codes[w.rnd.IntN(len(h.codes))]
		co := h.codes[w.rnd.IntN(len(h.codes))]
		body, _ = json.Marshal(map[string]any{"document_id": h.documentID, "content": fmt.Sprintf("Nhiệm vụ thử tải số %d", h.seq.Add(1)),
			"lead": lead, "coordinators": coordinators(lead, co), "due_on": "2027-06-30"})
		u = append(u, pathDirective...)
	}
	w.url = u
	req.SetRequestURIBytes(u)
	req.Header.SetBytesV("Authorization", auth)
	if body == nil {
		req.Header.SetMethod(fasthttp.MethodGet)
		req.ResetBody()
	} else {
		req.Header.SetMethod(fasthttp.MethodPost)
		req.SetBodyRaw(body)
	}
	return op
}

// selfCPU is the CPU time (user and system) this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procsCPU is each process's CPU time (user and system) so far, from
// /proc/PID/stat, or -1 where it cannot be read.
func procsCPU(procs []*exec.Cmd) []time.Duration {
	out := make([]time.Duration, len(procs))
	for i, p := range procs {
		out[i] = procCPU(p.Process.Pid)
	}
	return out
}

// procCPU reads utime and stime (fields 14 and 15, in clock ticks of
// 1/100 s) from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:])) // from field 3, the state
	if len(f) < 13 {
		return -1
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(ut+st) * (time.Second / 100)
}
