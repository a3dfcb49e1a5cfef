package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestLoginRateLimits: five failed logins lock a username for about a
// minute, whatever password comes next, and a stranger's username is
// treated exactly like a real one, so neither the status, the message nor
// the Retry-After tells which usernames exist. Failures from one address
// across many usernames are limited too.
func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	in.User("thuky", workflow.RoleSecretariat, "")
	anon := in.Anonymous()
	login := func(user, pass string) *apptest.Response {
		return anon.Do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pass})
	}

	var details []string
	for _, user := range []string{"thuky", "nobody-here"} {
		for i := range 5 {
			r := login(user, "wrong-"+strconv.Itoa(i)).Want(401)
			details = append(details, fmt.Sprint(r.Map()["detail"]))
		}
		r := login(user, apptest.Password).Want(429)
		retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || retry < 50 || retry > 60 {
			t.Errorf("%s: Retry-After %q, want about 60 s", user, r.Header.Get("Retry-After"))
		}
		if r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("429 content type %q", r.Header.Get("Content-Type"))
		}
	}
	for _, d := range details {
		if d != details[0] {
			t.Errorf("failed logins answer differently: %q vs %q", d, details[0])
		}
	}
	// Another user is not affected by thuky's lock.
	in.Login("admin", apptest.AdminPassword)

	// A minute later thuky may try again, and a success clears the count.
	in.Clock.Advance(61 * time.Second)
	in.Login("thuky", apptest.Password)
	for range 4 {
		login("thuky", "wrong").Want(401)
	}
	login("thuky", apptest.Password).Want(200)

	// One address trying many usernames: its bucket holds 30 failures and
	// gains one each 10 s. 14 are spent and 6 came back during the minute,
	// so 22 more guesses are answered, then the address is refused.
	guesses := 0
	for ; guesses < 40; guesses++ {
		if login(fmt.Sprintf("guess-%d", guesses), "x").Want(401, 429).Status == 429 {
			break
		}
	}
	if guesses != 22 {
		t.Errorf("the address was refused after %d guesses, want 22", guesses)
	}
	login("admin", apptest.AdminPassword).Want(429)
	in.Clock.Advance(11 * time.Second)
	login("admin", apptest.AdminPassword).Want(200)
}

// TestDashboardLoginSharesTheLimits: the dashboard's login form counts
// against the same limits as the API's, so it is no way around them.
func TestDashboardLoginSharesTheLimits(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	in.User("lanhdao", workflow.RoleLeader, "")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := c.Get(in.Server.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the login page: %s", body)
	}
	form := func(pass string) int {
		resp, err := c.PostForm(in.Server.URL+"/login", url.Values{"csrf": {string(m[1])}, "username": {"lanhdao"}, "password": {pass}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Three failures through the API and two through the form use up the five.
	for range 3 {
		in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "lanhdao", "password": "wrong"}).Want(401)
	}
	for range 2 {
		if got := form("wrong"); got != 401 {
			t.Fatalf("a wrong password in the form: %d, want 401", got)
		}
	}
	if got := form(apptest.Password); got != 429 {
		t.Errorf("the right password after five failures, through the form: %d, want 429", got)
	}
	in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "lanhdao", "password": apptest.Password}).Want(429)
	in.Clock.Advance(61 * time.Second)
	if got := form(apptest.Password); got != http.StatusSeeOther {
		t.Errorf("a minute later, through the form: %d, want 303", got)
	}
}

// TestSecretsStayOutOfTheLogs uses every kind of secret dondoc handles — a
// wrong password, a new password, an API token, a webhook's signing secret,
// a calendar feed token, in bodies, headers and query strings — and checks
// that none reached the logs (TestMain checks again over the whole run).
func TestSecretsStayOutOfTheLogs(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	sec := in.User("thuky", workflow.RoleSecretariat, "")
	wrong := "Wr0ng-Passw0rd-7f3a"
	apptest.Secret(wrong)
	in.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"username": "thuky", "password": wrong}).Want(401)

	var u struct{ ID int64 }
	in.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "lanhdao", "password": "L4nh-dao-Passw0rd", "role": "leader", "display_name": "Lãnh đạo"}).Want(201).JSON(&u)
	apptest.Secret("L4nh-dao-Passw0rd")
	newPass := "M0i-Passw0rd-2026!"
	apptest.Secret(newPass)
	in.Admin.Do("PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), map[string]any{"password": newPass}).Want(200)
	leader := in.Login("lanhdao", newPass)

	var tok struct{ Token string }
	sec.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "tích hợp"}).Want(201).JSON(&tok)
	apptest.Secret(tok.Token)
	sec.Do("GET", "/api/v1/tasks", nil, "Authorization", "Bearer "+tok.Token).Want(200)
	in.Anonymous().Do("GET", "/api/v1/tasks", nil, "Authorization", "Bearer "+tok.Token+"x").Want(401)

	var hook struct{ Secret string }
	in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": "http://127.0.0.1:9/hook"}).Want(201).JSON(&hook)
	apptest.Secret(hook.Secret)

	var feed struct {
		Token string `json:"token"`
	}
	leader.Do("POST", "/api/v1/me/feed-token", nil).Want(201).JSON(&feed)
	apptest.Secret(feed.Token)
	in.Anonymous().Do("GET", "/api/v1/agencies/BYT/deadlines.ics?token="+feed.Token, nil).Want(200)
	in.Anonymous().Do("GET", "/api/v1/agencies/BYT/deadlines.ics?token="+feed.Token+"x", nil).Want(401, 404)

	for _, s := range []string{wrong, newPass, tok.Token, hook.Secret, feed.Token} {
		if s == "" {
			t.Fatal("a secret was not returned")
		}
	}
	if leaked, searched := apptest.LeakedSecrets(); len(leaked) > 0 || searched == 0 {
		t.Errorf("secrets in the logs: %q (%d bytes searched)", leaked, searched)
	}
}
