package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// apiToken makes an API token for c and returns a client that uses it.
func apiToken(t *testing.T, c *apptest.Client, name string) (*apptest.Client, int64) {
	t.Helper()
	var tok struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	c.Do("POST", "/api/v1/me/tokens", map[string]any{"name": name}).Want(201).JSON(&tok)
	apptest.Secret(tok.Token)
	integ := &apptest.Client{}
	*integ = *c
	integ.Token, integ.Name = tok.Token, c.Name+"'s "+name
	return integ, tok.ID
}

// TestAPITokensRevokedAsPromised: logout ends sessions but not API tokens;
// an admin's password reset and disabling revoke API tokens for good
// (enabling again brings none back); GET /me/tokens lists them without
// the secret.
func TestAPITokensRevokedAsPromised(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		in := apptest.Start(t, tg, today)
		byt := in.User("byt.cb", workflow.RoleAgency, "BYT")
		var me struct{ ID int64 }
		byt.Do("GET", "/api/v1/me", nil).Want(200).JSON(&me)
		user := fmt.Sprintf("/api/v1/users/%d", me.ID)

		integ, id := apiToken(t, byt, "văn bản")
		integ.Do("GET", "/api/v1/me", nil).Want(200)
		resp := byt.Do("GET", "/api/v1/me/tokens", nil).Want(200)
		var list struct {
			Items []struct {
				ID         int64   `json:"id"`
				Name       string  `json:"name"`
				Prefix     string  `json:"prefix"`
				CreatedAt  string  `json:"created_at"`
				LastUsedAt *string `json:"last_used_at"`
			} `json:"items"`
		}
		resp.JSON(&list)
		if len(list.Items) != 1 || list.Items[0].ID != id || list.Items[0].Name != "văn bản" || !strings.HasPrefix(integ.Token, list.Items[0].Prefix) ||
			list.Items[0].CreatedAt == "" || list.Items[0].LastUsedAt == nil {
			t.Fatalf("GET /me/tokens = %s", resp.Body)
		}
		if strings.Contains(string(resp.Body), integ.Token) || strings.Contains(string(resp.Body), `"token"`) {
			t.Fatalf("GET /me/tokens shows the secret: %s", resp.Body)
		}
		in.User("bca.cb", workflow.RoleAgency, "BCA").Do("GET", "/api/v1/me/tokens", nil).Want(200).JSON(&list)
		if len(list.Items) != 0 {
			t.Errorf("another user sees BYT's tokens: %+v", list.Items)
		}

		// Logout ends the sessions; the API token is not a session.
		byt.Do("POST", "/api/v1/auth/logout", nil).Want(204)
		byt.Do("GET", "/api/v1/me", nil).Want(401)
		integ.Do("GET", "/api/v1/me", nil).Want(200)

		// An admin's password reset revokes it.
		in.Admin.Do("PATCH", user, map[string]any{"password": "Mat-khau-moi-2026"}).Want(200)
		integ.Do("GET", "/api/v1/me", nil).Want(401)

		// Disabling revokes it too, and enabling again does not bring it back.
		byt = in.Login("byt.cb", "Mat-khau-moi-2026")
		integ, _ = apiToken(t, byt, "báo cáo")
		integ.Do("GET", "/api/v1/me", nil).Want(200)
		in.Admin.Do("PATCH", user, map[string]any{"disabled": true}).Want(200)
		integ.Do("GET", "/api/v1/me", nil).Want(401)
		in.Admin.Do("PATCH", user, map[string]any{"disabled": false}).Want(200)
		integ.Do("GET", "/api/v1/me", nil).Want(401)
		byt = in.Login("byt.cb", "Mat-khau-moi-2026")
		byt.Do("GET", "/api/v1/me/tokens", nil).Want(200).JSON(&list)
		if len(list.Items) != 0 {
			t.Errorf("revoked tokens still listed: %+v", list.Items)
		}
	})
}
