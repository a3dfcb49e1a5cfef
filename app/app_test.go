package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestGracefulShutdown: on SIGTERM (a cancelled context) the server stops
// taking connections but the request in flight finishes and is answered.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		cfg := config.Default()
		cfg.DataDir, cfg.DatabaseURL, cfg.AdminPassword = tg.DataDir, tg.URL, "Adm1n-Passw0rd!"
		a, err := app.New(context.Background(), cfg, app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		inner, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		// The server tells when it has read the start of the late request's
		// body: the request is then in flight, not merely sent.
		ln := &watchListener{Listener: inner, mark: []byte(`"username":"late"`), seen: make(chan struct{})}
		base := "http://" + ln.Addr().String()
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, ln) }()

		resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"Adm1n-Passw0rd!"}`))
		if err != nil {
			t.Fatal(err)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		err = json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		if err != nil || tok.AccessToken == "" {
			t.Fatalf("login: %v (token %q)", err, tok.AccessToken)
		}

		// A request whose body is still arriving when the shutdown starts.
		pr, pw := io.Pipe()
		req, err := http.NewRequest("POST", base+"/api/v1/users", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		answered := make(chan *http.Response, 1)
		go func() {
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("in-flight request failed: %v", err)
				answered <- nil
				return
			}
			answered <- r
		}()
		if _, err := pw.Write([]byte(`{"username":"late","password":"Str0ng-Passw0rd",`)); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ln.seen:
		case <-time.After(5 * time.Second):
			t.Fatal("the server never read the late request")
		}
		cancel() // SIGTERM
		// The shutdown has begun once the listener refuses connections.
		for deadline := time.Now().Add(5 * time.Second); ; {
			c, err := net.DialTimeout("tcp", inner.Addr().String(), time.Second)
			if err != nil {
				break
			}
			c.Close()
			if time.Now().After(deadline) {
				t.Fatal("the server still accepts connections 5 s after the shutdown began")
			}
			runtime.Gosched()
		}
		if _, err := pw.Write([]byte(`"role":"leader"}`)); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		if r := <-answered; r == nil || r.StatusCode != http.StatusCreated {
			t.Fatalf("the in-flight request was not completed: %+v", r)
		}
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve returned %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return after the shutdown")
		}
		if _, err := http.Get(base + "/healthz"); err == nil {
			t.Error("the server still takes new connections after shutdown")
		}
	})
}

// watchListener closes seen the first time a connection it accepted reads
// mark: a signal that the server has a request in hand.
type watchListener struct {
	net.Listener
	mark []byte
	seen chan struct{}
	once sync.Once
}

func (l *watchListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &watchConn{Conn: c, l: l}, nil
}

type watchConn struct {
	net.Conn
	l *watchListener
}

func (c *watchConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && bytes.Contains(p[:n], c.l.mark) {
		c.l.once.Do(func() { close(c.l.seen) })
	}
	return n, err
}
