package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

var today = civil.MustDate("2026-03-02") // a Monday

// fixture is a running dondoc with one user of each kind.
type fixture struct {
	in          *apptest.Instance
	secretariat *apptest.Client
	leader      *apptest.Client
	byt         *apptest.Client // an officer of Bộ Y tế
	bca         *apptest.Client // an officer of Bộ Công an
	docID       int64
}

func newFixture(t *testing.T, tg testdb.Target) *fixture {
	in := apptest.Start(t, tg, today)
	f := &fixture{
		in:          in,
		secretariat: in.User("vpcp.tk", workflow.RoleSecretariat, ""),
		leader:      in.User("lanhdao", workflow.RoleLeader, ""),
		byt:         in.User("byt.cb", workflow.RoleAgency, "BYT"),
		bca:         in.User("bca.cb", workflow.RoleAgency, "BCA"),
	}
	var doc struct{ ID int64 }
	f.secretariat.Do("POST", "/api/v1/documents", map[string]any{
		"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận của Thủ tướng Chính phủ tại phiên họp",
		"issued_on": "2026-02-25", "signer": "Trần Văn Sơn",
	}).Want(201).JSON(&doc)
	f.docID = doc.ID
	return f
}

type task struct {
	ID             int64    `json:"id"`
	DirectiveID    int64    `json:"directive_id"`
	AgencyCode     string   `json:"agency_code"`
	Role           string   `json:"role"`
	Status         string   `json:"status"`
	DueOn          *string  `json:"due_on"`
	OriginalDueOn  *string  `json:"original_due_on"`
	ReportedOn     *string  `json:"reported_on"`
	CompletedOn    *string  `json:"completed_on"`
	Overdue        bool     `json:"overdue"`
	Version        int      `json:"version"`
	AllowedActions []string `json:"allowed_actions"`
}

type directive struct {
	ID    int64  `json:"id"`
	Tasks []task `json:"tasks"`
}

// directive creates a directive for BYT (lead) and returns its lead task.
func (f *fixture) leadTask(t *testing.T, extra map[string]any) task {
	body := map[string]any{"document_id": f.docID, "content": "Khẩn trương hoàn thiện hồ sơ sức khỏe điện tử", "lead": "BYT", "due_on": "2026-03-31"}
	for k, v := range extra {
		body[k] = v
	}
	var d directive
	f.secretariat.Do("POST", "/api/v1/directives", body).Want(201).JSON(&d)
	if len(d.Tasks) == 0 {
		t.Fatal("directive has no tasks")
	}
	return d.Tasks[0]
}

func (f *fixture) move(c *apptest.Client, id int64, action string, want int) *apptest.Response {
	return c.Transition(id, action).Want(want)
}

func (f *fixture) task(c *apptest.Client, id int64) task {
	var tk task
	c.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil).Want(200).JSON(&tk)
	return tk
}

func (f *fixture) events(c *apptest.Client, id int64) []map[string]any {
	var evs struct{ Items []map[string]any }
	c.Do("GET", fmt.Sprintf("/api/v1/tasks/%d/events", id), nil).Want(200).JSON(&evs)
	return evs.Items
}

// TestFirstSession is the README's first session: a directive with a lead and
// two coordinators, its tasks listed, one moved through every state.
func TestFirstSession(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		var d directive
		f.secretariat.Do("POST", "/api/v1/directives", map[string]any{
			"document_id": f.docID, "content": "Bộ Y tế chủ trì, phối hợp với Bộ Công an và Bộ Khoa học và Công nghệ thúc đẩy hồ sơ sức khỏe điện tử",
			"field": "Y tế", "due_on": "2026-04-30", "lead": "BYT", "coordinators": []any{"BCA", map[string]any{"code": "BKHCN"}},
		}).Want(201).JSON(&d)
		if len(d.Tasks) != 3 {
			t.Fatalf("tasks = %d, want 3", len(d.Tasks))
		}
		roles := map[string]string{}
		for _, tk := range d.Tasks {
			roles[tk.AgencyCode] = tk.Role
			if tk.Status != "assigned" || *tk.DueOn != "2026-04-30" || *tk.OriginalDueOn != "2026-04-30" || tk.Version != 1 {
				t.Errorf("new task = %+v", tk)
			}
		}
		if roles["BYT"] != "lead" || roles["BCA"] != "coordinator" || roles["BKHCN"] != "coordinator" {
			t.Errorf("roles = %v", roles)
		}

		var list struct {
			Items      []task `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		f.secretariat.Do("GET", fmt.Sprintf("/api/v1/tasks?directive_id=%d", d.ID), nil).Want(200).JSON(&list)
		if len(list.Items) != 3 {
			t.Fatalf("secretariat sees %d tasks, want 3", len(list.Items))
		}
		f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks?directive_id=%d", d.ID), nil).Want(200).JSON(&list)
		if len(list.Items) != 1 || list.Items[0].AgencyCode != "BYT" {
			t.Fatalf("BYT sees %+v, want only its own task", list.Items)
		}
		lead := list.Items[0]
		if !slices.Equal(lead.AllowedActions, []string{"acknowledge", "report_done"}) {
			t.Errorf("BYT's allowed actions on a new task = %v", lead.AllowedActions)
		}

		f.move(f.byt, lead.ID, "acknowledge", 200)
		f.move(f.byt, lead.ID, "report_done", 200)
		f.move(f.secretariat, lead.ID, "return", 200)
		f.move(f.byt, lead.ID, "report_done", 200)
		f.move(f.secretariat, lead.ID, "confirm", 200)
		f.move(f.secretariat, lead.ID, "reopen", 200)
		f.move(f.secretariat, lead.ID, "cancel", 200)
		got := f.task(f.secretariat, lead.ID)
		if got.Status != "cancelled" || got.Version != 8 {
			t.Errorf("after the walk: status %s version %d", got.Status, got.Version)
		}
		var actions []string
		for _, e := range f.events(f.secretariat, lead.ID) {
			actions = append(actions, e["action"].(string))
		}
		want := []string{"assign", "acknowledge", "report_done", "return", "report_done", "confirm", "reopen", "cancel"}
		if !slices.Equal(actions, want) {
			t.Errorf("history = %v, want %v", actions, want)
		}
	})
}

// expected is the state table of docs/DESIGN.md §3, written out by hand
// so that the test checks the code's table rather than reading it.
var expected = map[string]struct {
	from  []string
	to    string
	roles []string // "agency" means the task's own agency
}{
	"acknowledge": {[]string{"assigned"}, "in_progress", []string{"agency"}},
	"report_done": {[]string{"assigned", "in_progress"}, "reported", []string{"agency"}},
	"confirm":     {[]string{"reported"}, "completed", []string{"secretariat"}},
	"return":      {[]string{"reported"}, "in_progress", []string{"secretariat"}},
	"cancel":      {[]string{"assigned", "in_progress", "reported"}, "cancelled", []string{"secretariat"}},
	"reopen":      {[]string{"completed", "cancelled"}, "in_progress", []string{"secretariat"}},
}

// path brings a new task to each state.
var path = map[string][][2]string{ // {who, action}
	"assigned":    nil,
	"in_progress": {{"agency", "acknowledge"}},
	"reported":    {{"agency", "report_done"}},
	"completed":   {{"agency", "report_done"}, {"secretariat", "confirm"}},
	"cancelled":   {{"secretariat", "cancel"}},
}

// TestStateMachineEveryCombination walks every (state, action, caller)
// through the HTTP API and checks the answer, the stored state and the
// history.
func TestStateMachineEveryCombination(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		callers := map[string]*apptest.Client{
			"admin": f.in.Admin, "secretariat": f.secretariat, "leader": f.leader, "agency": f.byt, "other_agency": f.bca,
		}
		for _, state := range []string{"assigned", "in_progress", "reported", "completed", "cancelled"} {
			for action, rule := range expected {
				for caller, c := range callers {
					tk := f.leadTask(t, nil)
					for _, step := range path[state] {
						f.move(callers[step[0]], tk.ID, step[1], 200)
					}
					before := f.events(f.secretariat, tk.ID)

					var want int
					switch {
					case caller == "other_agency":
						want = http.StatusNotFound // another agency's task is invisible
					case !slices.Contains(rule.roles, caller):
						want = http.StatusForbidden
					case !slices.Contains(rule.from, state):
						want = http.StatusConflict
					default:
						want = http.StatusOK
					}
					name := fmt.Sprintf("%s/%s/%s", state, action, caller)
					resp := f.move(c, tk.ID, action, want)
					if want >= 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
						t.Errorf("%s: error content type %q", name, resp.Header.Get("Content-Type"))
					}
					got := f.task(f.secretariat, tk.ID)
					after := f.events(f.secretariat, tk.ID)
					if want == http.StatusOK {
						if got.Status != rule.to {
							t.Errorf("%s: stored status %s, want %s", name, got.Status, rule.to)
						}
						if len(after) != len(before)+1 || after[len(after)-1]["action"] != action ||
							after[len(after)-1]["from"] != state || after[len(after)-1]["to"] != rule.to {
							t.Errorf("%s: history %v does not end with the action", name, after)
						}
					} else {
						if got.Status != state {
							t.Errorf("%s: refused with %d but the status moved to %s", name, want, got.Status)
						}
						if len(after) != len(before) {
							t.Errorf("%s: a refused action wrote an event", name)
						}
					}
					for i, e := range after {
						if int(e["seq"].(float64)) != i+1 || (i > 0 && e["prev_hash"] != after[i-1]["hash"]) {
							t.Errorf("%s: history is not one ordered chain at %d", name, i)
						}
					}
				}
			}
		}
	})
}

// TestConcurrentTransitionsSameVersion sends 50 acknowledgements of one task
// at once, all with the version read before: one wins, 49 are stale.
func TestConcurrentTransitionsSameVersion(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		tk := f.leadTask(t, nil)
		resp := f.byt.Do("GET", fmt.Sprintf("/api/v1/tasks/%d", tk.ID), nil).Want(200)
		etag := resp.Header.Get("ETag")
		if etag != `"1"` {
			t.Fatalf("ETag = %q", etag)
		}
		var wg sync.WaitGroup
		codes := make([]int, 50)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = f.byt.Do("POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", tk.ID), map[string]any{"action": "acknowledge"}, "If-Match", etag).Status
			}()
		}
		wg.Wait()
		count := map[int]int{}
		for _, c := range codes {
			count[c]++
		}
		if count[200] != 1 || count[412] != 49 {
			t.Fatalf("answers = %v, want one 200 and 49 412", count)
		}
		acks := 0
		for _, e := range f.events(f.secretariat, tk.ID) {
			if e["action"] == "acknowledge" {
				acks++
			}
		}
		if acks != 1 {
			t.Errorf("%d acknowledge events, want 1", acks)
		}
		if got := f.task(f.byt, tk.ID); got.Version != 2 || got.Status != "in_progress" {
			t.Errorf("task = %+v", got)
		}
	})
}
