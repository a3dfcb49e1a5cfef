package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// The HTTP benchmarks run the month-end operations through the whole
// handler (middleware, authentication, huma, JSON) from 64 callers, in
// process: no sockets and no load generator share the two cores, so ns/op
// is the server's own cost of one request, and what a change to the
// request path gains or loses shows here first.
//
//	go test ./app -run '^$' -bench 'HTTP' -benchtime 20000x

// httpCaller answers requests with a's handler as the given actor.
type httpCaller struct {
	h      http.Handler
	tokens map[int64]string // by user id
}

func newHTTPCaller(b *testing.B, a *app.App, actors []workflow.Actor) *httpCaller {
	b.Helper()
	c := &httpCaller{h: a.API.Handler(), tokens: map[int64]string{}}
	for _, actor := range actors {
		if _, ok := c.tokens[actor.UserID]; ok {
			continue
		}
		u, err := a.Service.User(b.Context(), actor.UserID)
		if err != nil {
			b.Fatal(err)
		}
		tok, _, err := a.Auth.Issue(u)
		if err != nil {
			b.Fatal(err)
		}
		c.tokens[actor.UserID] = tok
	}
	return c
}

// do sends one request and fails the benchmark unless it answers want.
func (c *httpCaller) do(b *testing.B, actor workflow.Actor, method, path, body string, want int) {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	r.Header.Set("Authorization", "Bearer "+c.tokens[actor.UserID])
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	if w.Code != want {
		b.Errorf("%s %s: %d %s", method, path, w.Code, w.Body.String())
	}
}

func BenchmarkHTTPReadTask(b *testing.B) {
	a := openBench(b)
	ids, who := inProgress(b, a)
	c := newHTTPCaller(b, a, who)
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int((next.Add(7919) - 7919) % int64(len(ids)))
			c.do(b, who[i], "GET", fmt.Sprintf("/api/v1/tasks/%d", ids[i]), "", http.StatusOK)
		}
	})
}

func BenchmarkHTTPTransition(b *testing.B) {
	a := openBench(b)
	ids, who := inProgress(b, a)
	if len(ids) < b.N {
		b.Skipf("only %d tasks in progress; run with a smaller -benchtime", len(ids))
	}
	c := newHTTPCaller(b, a, who)
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			c.do(b, who[i], "POST", fmt.Sprintf("/api/v1/tasks/%d/transitions", ids[i]),
				`{"action":"report_done","report":"Đã hoàn thành nhiệm vụ, báo cáo kèm theo."}`, http.StatusOK)
		}
	})
}

func BenchmarkHTTPListOpen(b *testing.B) {
	a := openBench(b)
	ids, who := inProgress(b, a)
	c := newHTTPCaller(b, a, who)
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int((next.Add(7919) - 7919) % int64(len(ids)))
			c.do(b, who[i], "GET", "/api/v1/tasks?status=open&sort=due_on&limit=20", "", http.StatusOK)
		}
	})
}

func BenchmarkHTTPOverdueList(b *testing.B) {
	a := openBench(b)
	leader := leaderActor(b, a)
	c := newHTTPCaller(b, a, []workflow.Actor{leader})
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.do(b, leader, "GET", "/api/v1/tasks?overdue=true&sort=-days_overdue&limit=20", "", http.StatusOK)
		}
	})
}

// leaderActor is the seeded leader.
func leaderActor(b *testing.B, a *app.App) workflow.Actor {
	b.Helper()
	var u models.User
	if err := a.DB.R.Where("username = ?", "seed.lanhdao").First(&u).Error; err != nil {
		b.Fatal(err)
	}
	return workflow.ActorOf(u)
}
