package app_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dondoc/dondoc/storage/testdb"
)

// crashLoad drives the crash test's writes.
type crashLoad struct {
	t      *testing.T
	c      *crashClient
	admin  string
	sec    string
	agency map[string]string // agency code → its user's token
	docID  int64
	seq    atomic.Int64

	mu   sync.Mutex
	pool []*crashTask // the tasks to act on, as the load believes them to be

	reminders int64 // reminders in the database at the last check
}

type crashTask struct {
	id     int64
	agency string
	status string
}

// crashLedger is what the server acknowledged with a 2xx.
type crashLedger struct {
	mu          sync.Mutex
	directives  []int64
	tasks       []int64
	transitions []crashTransition
	reports     []int64
	urges       []int64 // event ids

	// The moments of the run are counted in acknowledged writes, not in
	// time: the kill comes after the load's n-th answer however slowly the
	// machine (or a server on a starved core) runs.
	count   int
	waiters map[int]chan struct{} // closed when count reaches the key
}

// acked notes that a write was acknowledged.
func (l *crashLedger) acked() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count++
	if ch, ok := l.waiters[l.count]; ok {
		close(ch)
		delete(l.waiters, l.count)
	}
}

// at returns a channel closed once n writes have been acknowledged.
func (l *crashLedger) at(n int) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch := make(chan struct{})
	if l.count >= n {
		close(ch)
		return ch
	}
	if l.waiters == nil {
		l.waiters = make(map[int]chan struct{})
	}
	if old, ok := l.waiters[n]; ok {
		return old
	}
	l.waiters[n] = ch
	return ch
}

type crashTransition struct {
	task    int64
	action  string
	version int
}

func (l *crashLedger) merge(o *crashLedger) {
	l.directives = append(l.directives, o.directives...)
	l.tasks = append(l.tasks, o.tasks...)
	l.transitions = append(l.transitions, o.transitions...)
	l.reports = append(l.reports, o.reports...)
	l.urges = append(l.urges, o.urges...)
}

func (l *crashLedger) writes() int {
	return len(l.directives) + len(l.transitions) + len(l.reports) + len(l.urges)
}

type crashFigures struct{ acked, found, noAnswer int }

func (f *crashFigures) add(o crashFigures) {
	f.acked, f.found, f.noAnswer = f.acked+o.acked, f.found+o.found, f.noAnswer+o.noAnswer
}

func setUpCrashLoad(t *testing.T, c *crashClient) *crashLoad {
	l := &crashLoad{t: t, c: c, agency: map[string]string{}}
	l.admin = c.login(t, "admin", crashAdminPass)
	user := func(name, role, agency string) string {
		body := map[string]any{"username": name, "password": crashUserPass, "role": role, "display_name": name}
		if agency != "" {
			body["agency_code"] = agency
		}
		c.must(t, l.admin, "POST", "/users", body, nil)
		return c.login(t, name, crashUserPass)
	}
	l.sec = user("thuky", "secretariat", "")
	for _, a := range crashAgencies {
		l.agency[a] = user("cb."+a, "agency", a)
	}
	var doc struct{ ID int64 }
	c.must(t, l.sec, "POST", "/documents", map[string]any{"number": "7/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận", "issued_on": "2026-02-26"}, &doc)
	l.docID = doc.ID
	return l
}

// loadPool reads the tasks back from the database: after a kill the load's
// picture may be behind (a request in flight may or may not have committed).
func (l *crashLoad) loadPool(tg testdb.Target) {
	db := openCrashDB(l.t, tg)
	defer db.Close()
	rows, err := db.Query("SELECT id, agency_code, status FROM tasks ORDER BY id")
	if err != nil {
		l.t.Fatal(err)
	}
	defer rows.Close()
	l.pool = l.pool[:0]
	for rows.Next() {
		ct := &crashTask{}
		if err := rows.Scan(&ct.id, &ct.agency, &ct.status); err != nil {
			l.t.Fatal(err)
		}
		l.pool = append(l.pool, ct)
	}
	if err := rows.Err(); err != nil {
		l.t.Fatal(err)
	}
}

type crashRunStats struct{ noAnswer int }

// crashLoadTimeout is how long the load may take to reach the kill: past
// it the server answers nothing, which fails the test.
const crashLoadTimeout = 20 * time.Second

// run sends writes from crashWorkers goroutines, and a reminder scan from
// one more after scanAt acknowledged writes, kills the server right after
// the killAt-th write is acknowledged (its workers' other requests are then
// anywhere in their course) and returns once every worker has stopped. It
// fails the test when the load does not reach killAt.
func (l *crashLoad) run(led *crashLedger, scanAt, killAt int, kill func()) crashRunStats {
	var stop atomic.Bool
	var noAnswer atomic.Int64
	var wg sync.WaitGroup
	note := func(err error) {
		// A request that got no answer may or may not have been applied;
		// one refused never reached the (dead) server.
		if !errors.Is(err, syscall.ECONNREFUSED) {
			noAnswer.Add(1)
		}
	}
	for w := 0; w < crashWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if err := l.step(led); err != nil {
					note(err)
				}
			}
		}()
	}
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-led.at(scanAt):
		case <-done:
			return
		}
		if _, err := l.call(l.admin, "POST", "/admin/reminders/scan", map[string]any{}, nil); err != nil {
			note(err)
		}
	}()
	reached := true
	select {
	case <-led.at(killAt):
	case <-time.After(crashLoadTimeout):
		reached = false
	}
	kill()
	stop.Store(true)
	close(done)
	wg.Wait()
	l.c.http.CloseIdleConnections()
	if !reached {
		l.t.Fatalf("the load did not reach %d acknowledged writes in %s (%d): the server answered too little", killAt, crashLoadTimeout, led.writes())
	}
	return crashRunStats{noAnswer: int(noAnswer.Load())}
}

// call is do for the load: it returns nil for an answer that is not 2xx
// (the write was refused, not lost) and the transport error otherwise.
func (l *crashLoad) call(token, method, path string, body, out any) (bool, error) {
	status, err := l.c.do(token, method, path, body, out)
	if status == 0 {
		return false, err
	}
	if err != nil && status/100 == 2 {
		l.t.Errorf("%s %s: %v", method, path, err)
	}
	return status/100 == 2 && err == nil, nil
}

// pick returns a random task in one of statuses, or nil.
func (l *crashLoad) pick(statuses ...string) *crashTask {
	l.mu.Lock()
	defer l.mu.Unlock()
	for try := 0; try < 12 && len(l.pool) > 0; try++ {
		ct := l.pool[rand.IntN(len(l.pool))]
		for _, s := range statuses {
			if ct.status == s {
				return ct
			}
		}
	}
	return nil
}

func (l *crashLoad) setStatus(ct *crashTask, status string) {
	l.mu.Lock()
	ct.status = status
	l.mu.Unlock()
}

// step sends one write, chosen at random among what the API offers.
func (l *crashLoad) step(led *crashLedger) error {
	r := rand.IntN(100)
	var ct *crashTask
	switch {
	case r < 12:
	case r < 35:
		ct = l.pick("assigned")
	case r < 47:
		ct = l.pick("in_progress")
	case r < 87:
		ct = l.pick("assigned", "in_progress")
	default:
		ct = l.pick("assigned", "in_progress", "reported")
	}
	if ct == nil {
		return l.createDirective(led)
	}
	switch {
	case r < 35:
		return l.transition(led, ct, "acknowledge")
	case r < 47:
		return l.transition(led, ct, "report_done")
	case r < 87:
		return l.progress(led, ct)
	default:
		return l.urge(led, ct)
	}
}

func (l *crashLoad) createDirective(led *crashLedger) error {
	n := l.seq.Add(1)
	i := rand.IntN(len(crashAgencies))
	lead, coord := crashAgencies[i], crashAgencies[(i+1+rand.IntN(len(crashAgencies)-1))%len(crashAgencies)]
	var d struct {
		ID    int64
		Tasks []struct {
			ID         int64
			AgencyCode string `json:"agency_code"`
			Status     string
		}
	}
	ok, err := l.call(l.sec, "POST", "/directives", map[string]any{"document_id": l.docID, "content": fmt.Sprintf("Nhiệm vụ %d", n),
		"lead": lead, "coordinators": []string{coord}, "due_on": "2026-03-05"}, &d)
	if !ok {
		return err
	}
	led.mu.Lock()
	led.directives = append(led.directives, d.ID)
	for _, tk := range d.Tasks {
		led.tasks = append(led.tasks, tk.ID)
	}
	led.mu.Unlock()
	led.acked()
	l.mu.Lock()
	for _, tk := range d.Tasks {
		l.pool = append(l.pool, &crashTask{id: tk.ID, agency: tk.AgencyCode, status: tk.Status})
	}
	l.mu.Unlock()
	return nil
}

func (l *crashLoad) transition(led *crashLedger, ct *crashTask, action string) error {
	var tk struct {
		Version int
		Status  string
	}
	body := map[string]any{"action": action}
	if action == "report_done" {
		body["report"] = "Đã hoàn thành."
	}
	ok, err := l.call(l.agency[ct.agency], "POST", fmt.Sprintf("/tasks/%d/transitions", ct.id), body, &tk)
	if !ok {
		return err
	}
	led.mu.Lock()
	led.transitions = append(led.transitions, crashTransition{task: ct.id, action: action, version: tk.Version})
	led.mu.Unlock()
	led.acked()
	l.setStatus(ct, tk.Status)
	return nil
}

func (l *crashLoad) progress(led *crashLedger, ct *crashTask) error {
	var rep struct{ ID int64 }
	ok, err := l.call(l.agency[ct.agency], "POST", fmt.Sprintf("/tasks/%d/reports", ct.id),
		map[string]any{"body": "Đang triển khai.", "percent": rand.IntN(100)}, &rep)
	if ok {
		led.mu.Lock()
		led.reports = append(led.reports, rep.ID)
		led.mu.Unlock()
		led.acked()
	}
	return err
}

func (l *crashLoad) urge(led *crashLedger, ct *crashTask) error {
	var ev struct{ ID int64 }
	ok, err := l.call(l.sec, "POST", fmt.Sprintf("/tasks/%d/urge", ct.id), map[string]any{"message": "Đề nghị khẩn trương thực hiện."}, &ev)
	if ok {
		led.mu.Lock()
		led.urges = append(led.urges, ev.ID)
		led.mu.Unlock()
		led.acked()
	}
	return err
}
