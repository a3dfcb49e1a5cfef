package api_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestChangeOwnPassword: POST /me/password checks the current password and
// the rule, then revokes every other session and every API token while the
// credential it came with stays valid, on SQLite and PostgreSQL.
func TestChangeOwnPassword(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		in := apptest.Start(t, tg, today)
		s1 := in.User("byt.cb", workflow.RoleAgency, "BYT")
		s2 := in.Login("byt.cb", apptest.Password)
		integ, _ := apiToken(t, s2, "văn bản")
		change := func(c *apptest.Client, cur, next string) *apptest.Response {
			return c.Do("POST", "/api/v1/me/password", map[string]any{"current_password": cur, "new_password": next})
		}
		if p := change(s1, "Sai-mat-khau-1", "Mat-khau-moi-2026").Want(422).Map(); p["code"] != "wrong_password" {
			t.Errorf("wrong current password: %v", p)
		}
		change(s1, apptest.Password, "ngan").Want(422)
		change(s1, apptest.Password, "byt.cb-Passw0rd!").Want(422) // contains the username
		s1.Do("GET", "/api/v1/me", nil).Want(200)                  // nothing changed yet
		s2.Do("GET", "/api/v1/me", nil).Want(200)

		change(s1, apptest.Password, "Mat-khau-moi-2026").Want(204)
		s1.Do("GET", "/api/v1/me", nil).Want(200)
		s2.Do("GET", "/api/v1/me", nil).Want(401)
		integ.Do("GET", "/api/v1/me", nil).Want(401)
		in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "byt.cb", "password": apptest.Password}).Want(401)
		s3 := in.Login("byt.cb", "Mat-khau-moi-2026")
		apptest.Secret("Mat-khau-moi-2026")

		// Changed again from the same session: it is still the one kept.
		change(s1, "Mat-khau-moi-2026", "Mat-khau-thu-3-2026").Want(204)
		apptest.Secret("Mat-khau-thu-3-2026")
		s1.Do("GET", "/api/v1/me", nil).Want(200)
		s3.Do("GET", "/api/v1/me", nil).Want(401)
		// Logging out ends the kept session too.
		s1.Do("POST", "/api/v1/auth/logout", nil).Want(204)
		s1.Do("GET", "/api/v1/me", nil).Want(401)

		// Through an API token: that token stays, the others and the sessions go.
		s4 := in.Login("byt.cb", "Mat-khau-thu-3-2026")
		keep, _ := apiToken(t, s4, "giữ lại")
		other, _ := apiToken(t, s4, "thu hồi")
		change(keep, "Mat-khau-thu-3-2026", "Mat-khau-thu-4-2026").Want(204)
		apptest.Secret("Mat-khau-thu-4-2026")
		keep.Do("GET", "/api/v1/me", nil).Want(200)
		other.Do("GET", "/api/v1/me", nil).Want(401)
		s4.Do("GET", "/api/v1/me", nil).Want(401)
	})
}

// TestLoginLockoutIsPerAddress: failures from one address lock the
// username out from that address only; the officer at another address
// still signs in.
func TestLoginLockoutIsPerAddress(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	in.User("bo.truong", workflow.RoleLeader, "")
	from := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	}
	login := func(c *http.Client, pass string) int {
		b, err := json.Marshal(map[string]string{"username": "bo.truong", "password": pass})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Post(in.Server.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	attacker, officer := from("127.0.0.2"), from("127.0.0.1")
	for i := 0; i < 5; i++ {
		if st := login(attacker, "doan-mo-"+string(rune('a'+i))); st != 401 {
			t.Fatalf("guess %d: %d", i, st)
		}
	}
	if st := login(attacker, apptest.Password); st != 429 {
		t.Errorf("the attacker's address after 5 failures: %d, want 429", st)
	}
	if st := login(officer, apptest.Password); st != 200 {
		t.Errorf("the officer from their own address: %d, want 200", st)
	}
}
