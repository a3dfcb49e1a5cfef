package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestGracefulShutdown: on SIGTERM (a cancelled context) the server stops
// taking connections but the request in flight finishes and is answered.
func TestGracefulShutdown(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		cfg := config.Default()
		cfg.DataDir, cfg.DatabaseURL, cfg.AdminPassword = tg.DataDir, tg.URL, "Adm1n-Passw0rd!"
		a, err := app.New(context.Background(), cfg, app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
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
		json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()

		// A request whose body is still arriving when the shutdown starts.
		pr, pw := io.Pipe()
		req, _ := http.NewRequest("POST", base+"/api/v1/users", pr)
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
		pw.Write([]byte(`{"username":"late","password":"Str0ng-Passw0rd",`))
		time.Sleep(100 * time.Millisecond)
		cancel() // SIGTERM
		time.Sleep(200 * time.Millisecond)
		pw.Write([]byte(`"role":"leader"}`))
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
