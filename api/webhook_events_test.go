package api_test

import (
	"slices"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestWebhookEventTypesInOpenAPI: the OpenAPI document lists exactly the
// event types the outbox sends, and a webhook may follow each.
func TestWebhookEventTypesInOpenAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, testdb.SQLite(t), today)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Items struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	in.Anonymous().Do("GET", "/api/v1/openapi.json", nil).Want(200).JSON(&doc)
	found := false
	for name, s := range doc.Components.Schemas {
		enum := s.Properties["events"].Items.Enum
		if len(enum) == 0 {
			continue
		}
		found = true
		if !slices.Equal(slices.Sorted(slices.Values(enum)), slices.Sorted(slices.Values(notify.EventTypes))) {
			t.Errorf("schema %s lists events %v, want %v", name, enum, notify.EventTypes)
		}
	}
	if !found {
		t.Fatal("no schema lists the webhook event types")
	}
	var hook struct {
		Events []string `json:"events"`
	}
	in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.org/dondoc", "events": notify.EventTypes}).Want(201).JSON(&hook)
	if !slices.Equal(hook.Events, notify.EventTypes) {
		t.Errorf("webhook follows %v", hook.Events)
	}
	in.Admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.org/x", "events": []string{"task.exploded"}}).Want(422)
}
