package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		f := newFixture(t, tg)
		// An API token for an integration: shown once, usable, revocable.
		var tok struct {
			ID     int64  `json:"id"`
			Token  string `json:"token"`
			Prefix string `json:"prefix"`
		}
		f.byt.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "hệ thống quản lý văn bản"}).Want(201).JSON(&tok)
		if !strings.HasPrefix(tok.Token, "ddt_") || !strings.HasPrefix(tok.Token, tok.Prefix) {
			t.Fatalf("token %+v", tok)
		}
		integ := &apptest.Client{}
		*integ = *f.byt
		integ.Token, integ.Name = tok.Token, "integration"
		var me struct {
			Username string                 `json:"username"`
			Agency   *struct{ Code string } `json:"agency"`
		}
		integ.Do("GET", "/api/v1/me", nil).Want(200).JSON(&me)
		if me.Username != "byt.cb" || me.Agency == nil || me.Agency.Code != "BYT" {
			t.Errorf("me = %+v", me)
		}
		f.bca.Do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", tok.ID), nil).Want(404)
		f.byt.Do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", tok.ID), nil).Want(204)
		integ.Do("GET", "/api/v1/me", nil).Want(401)

		// Logging out revokes the access tokens (after the cache's few seconds).
		f.leader.Do("POST", "/api/v1/auth/logout", nil).Want(204)
		f.in.Clock.Advance(20 * time.Second)
		f.leader.Do("GET", "/api/v1/me", nil).Want(401)

		// Disabling a user locks it out at once on this replica.
		var u struct{ ID int64 }
		f.in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "tmp", "password": "Str0ng-Passw0rd", "role": "leader"}).Want(201).JSON(&u)
		tmp := f.in.Login("tmp", "Str0ng-Passw0rd")
		tmp.Do("GET", "/api/v1/me", nil).Want(200)
		f.in.Admin.Do("PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), map[string]any{"disabled": true}).Want(200)
		tmp.Do("GET", "/api/v1/me", nil).Want(401)
		f.in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "tmp", "password": "Str0ng-Passw0rd"}).Want(401)

		// Users: weak passwords, agency rules, duplicates.
		for _, body := range []map[string]any{
			{"username": "weak", "password": "password12", "role": "leader"},
			{"username": "noagency", "password": "Str0ng-Passw0rd", "role": "agency"},
			{"username": "oldagency", "password": "Str0ng-Passw0rd", "role": "agency", "agency_code": "BTTTT"},
			{"username": "leaderagency", "password": "Str0ng-Passw0rd", "role": "leader", "agency_code": "BYT"},
		} {
			f.in.Admin.Do("POST", "/api/v1/users", body).Want(422)
		}
		f.in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "TMP", "password": "Str0ng-Passw0rd", "role": "leader"}).Want(409)
		f.secretariat.Do("POST", "/api/v1/users", map[string]any{"username": "x2", "password": "Str0ng-Passw0rd", "role": "leader"}).Want(403)

		// An access token verified before is refused once it expires (the
		// leeway for clock skew past): verifications are remembered, but
		// their time window is checked on every request.
		f.in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "tmp2", "password": "Str0ng-Passw0rd", "role": "leader"}).Want(201)
		tmp2 := f.in.Login("tmp2", "Str0ng-Passw0rd")
		tmp2.Do("GET", "/api/v1/me", nil).Want(200)
		f.in.Clock.Advance(f.in.App.Config.TokenTTL + 20*time.Second)
		tmp2.Do("GET", "/api/v1/me", nil).Want(200)
		f.in.Clock.Advance(15 * time.Second)
		tmp2.Do("GET", "/api/v1/me", nil).Want(401)
	})
}
