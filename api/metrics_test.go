package api_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestMetricsSeriesDoNotGrow: requests with random Host headers, unknown
// paths and invented methods add no series to /metrics (issue 17, item 1).
func TestMetricsSeriesDoNotGrow(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	series := func() (int, string) {
		t.Helper()
		r := in.Anonymous().Do("GET", "/metrics", nil).Want(200)
		n := 0
		sc := bufio.NewScanner(bytes.NewReader(r.Body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") && strings.HasPrefix(l, "dondoc_http_") {
				n++
			}
		}
		return n, string(r.Body)
	}
	send := func(i int) error {
		methods := []string{"GET", "POST", "FOO" + fmt.Sprint(i)}
		paths := []string{"/healthz", fmt.Sprintf("/nope-%d", i), fmt.Sprintf("/api/v1/nope-%d", i), fmt.Sprintf("/api/v1/tasks/%d", i)}
		req, err := http.NewRequest(methods[i%len(methods)], in.Server.URL+paths[i%len(paths)], nil)
		if err != nil {
			return err
		}
		req.Host = fmt.Sprintf("h%d.example", i)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	run := func(from, to int) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Go(func() {
				for i := from + w; i < to; i += 8 {
					if err := send(i); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	run(0, 96) // every kind of request once
	before, _ := series()
	run(96, 5096)
	after, body := series()
	if after != before || before == 0 {
		t.Errorf("series went from %d to %d over 5,000 requests", before, after)
	}
	for _, leak := range []string{"h4001.example", "nope-4001", "FOO", "/api/v1/tasks/4001"} {
		if strings.Contains(body, leak) {
			t.Errorf("/metrics holds %q, from a request", leak)
		}
	}
	if !strings.Contains(body, `route="unmatched"`) || !strings.Contains(body, `route="/healthz"`) {
		t.Errorf("/metrics lacks the unmatched or /healthz routes")
	}
}

// TestProblemsNeverEchoSecrets: a 422 names the password field but does
// not send its value back, nor a whole body that holds one (issue 17, item 7).
func TestProblemsNeverEchoSecrets(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	const secret = "shortpw-Q7"
	for _, body := range []any{
		map[string]any{"username": "nv.a", "password": "sh-Q7", "role": "secretariat", "display_name": "A"},
		map[string]any{"username": "nv.b", "password": secret, "role": "no-such-role", "display_name": "B"},
		map[string]any{"password": secret, "role": "secretariat", "display_name": "C"},
		map[string]any{"username": "nv.d", "password": secret + "\x00", "role": "secretariat", "display_name": "D"},
	} {
		r := in.Admin.Do("POST", "/api/v1/users", body).Want(400, 422)
		if bytes.Contains(r.Body, []byte("sh-Q7")) || bytes.Contains(r.Body, []byte(secret)) {
			t.Errorf("the problem echoes the password: %s", r.Body)
		}
	}
	r := in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": secret, "extra": 1}).Want(400, 422)
	if bytes.Contains(r.Body, []byte(secret)) {
		t.Errorf("login's problem echoes the password: %s", r.Body)
	}
}
