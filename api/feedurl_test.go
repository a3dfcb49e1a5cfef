package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// TestFeedURLIgnoresTheHostHeader: the feed address handed out is built
// from DONDOC_PUBLIC_URL (or the listen address), never from the request's
// Host header, which anyone can forge.
func TestFeedURLIgnoresTheHostHeader(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ public, want string }{
		{"https://dondoc.vpcp.gov.vn/", "https://dondoc.vpcp.gov.vn/api/v1/agencies/BYT/deadlines.ics?token="},
		{"", "http://127.0.0.1:8080/api/v1/agencies/BYT/deadlines.ics?token="}, // the default listen address
	} {
		in := apptest.Start(t, testdb.SQLite(t), today, func(cfg *config.Config) { cfg.PublicURL = c.public })
		byt := in.User("byt.cb", workflow.RoleAgency, "BYT")
		req, err := http.NewRequest("POST", in.Server.URL+"/api/v1/me/feed-token", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "evil.example"
		req.Header.Set("Authorization", "Bearer "+byt.Token)
		req.Header.Set("X-Forwarded-Host", "evil.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 201 {
			t.Fatalf("POST /me/feed-token with Host: evil.example: %d %s", resp.StatusCode, body)
		}
		var out struct {
			Token           string `json:"token"`
			FeedURL         string `json:"feed_url"`
			FeedURLTemplate string `json:"feed_url_template"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		apptest.Secret(out.Token)
		if out.FeedURL != c.want+out.Token || !strings.HasPrefix(out.FeedURLTemplate, strings.TrimSuffix(c.want, "BYT/deadlines.ics?token=")) ||
			strings.Contains(string(body), "evil") {
			t.Errorf("public URL %q: feed_url %q, template %q", c.public, out.FeedURL, out.FeedURLTemplate)
		}
	}
}
