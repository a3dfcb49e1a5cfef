package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/auth"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestDisablingReachesEveryReplica: two replicas on one database. A user
// disabled on A is refused on B within auth.RevocationBound of the answer
// to the disabling, for their session and their API token alike, and stays
// refused.
func TestDisablingReachesEveryReplica(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		day := civil.MustDate("2026-03-02")
		a := apptest.Start(t, tg, day)
		b := apptest.Start(t, tg, day)
		a.User("byt.cb", workflow.RoleAgency, "BYT")
		session := b.Login("byt.cb", apptest.Password)
		var me struct{ ID int64 }
		session.Do("GET", "/api/v1/me", nil).Want(200).JSON(&me)
		var tok struct{ Token string }
		session.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "tích hợp"}).Want(201).JSON(&tok)
		apptest.Secret(tok.Token)
		integ := b.Anonymous()
		integ.Token, integ.Name = tok.Token, "integration"
		// Both are now cached on B.
		session.Do("GET", "/api/v1/me", nil).Want(200)
		integ.Do("GET", "/api/v1/me", nil).Want(200)

		a.Admin.Do("PATCH", fmt.Sprintf("/api/v1/users/%d", me.ID), map[string]any{"disabled": true}).Want(200)
		disabled := time.Now()
		for _, c := range []*apptest.Client{session, integ} {
			for {
				sent := time.Now()
				st := c.Do("GET", "/api/v1/me", nil).Status
				if st == 401 {
					t.Logf("%s refused on the other replica %v after the disabling", c.Name, sent.Sub(disabled).Round(time.Millisecond))
					break
				}
				if st != 200 {
					t.Fatalf("%s: status %d", c.Name, st)
				}
				if sent.Sub(disabled) > auth.RevocationBound {
					t.Fatalf("%s still accepted on the other replica %v after the disabling (bound %v)", c.Name, sent.Sub(disabled), auth.RevocationBound)
				}
			}
		}
		for i := 0; i < 5; i++ {
			session.Do("GET", "/api/v1/me", nil).Want(401)
			integ.Do("GET", "/api/v1/me", nil).Want(401)
		}
	})
}
