package deliver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// WebhookSender posts notifications to the webhooks admins registered,
// signed as Standard Webhooks specifies (notify.Sign). The webhook-id is
// the notification's, the same on every retry, so that a receiver can drop
// a delivery it already has.
type WebhookSender struct {
	Outbox *notify.Outbox
	Client *http.Client
	Clock  Clock
}

// Send delivers one webhook notification.
func (w WebhookSender) Send(ctx context.Context, n models.Notification) error {
	hook, err := w.Outbox.Webhook(ctx, n.Recipient)
	if err != nil {
		return err
	}
	if !hook.Active {
		return fmt.Errorf("webhook %d is disabled", hook.ID)
	}
	body, err := webhookBody(n)
	if err != nil {
		return err
	}
	id := notify.MessageID(n)
	ts := strconv.FormatInt(w.Clock.Now().Unix(), 10)
	sig, err := notify.Sign(hook.Secret, id, ts, body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "dondoc-webhooks/1")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", sig)
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %d answered %s", hook.ID, resp.Status)
	}
	return nil
}

// webhookBody is the event as sent: {type, timestamp, data}.
func webhookBody(n models.Notification) ([]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
		return nil, fmt.Errorf("notification %d: payload: %w", n.ID, err)
	}
	ev["timestamp"] = n.CreatedAt.UTC().Format(time.RFC3339)
	return json.Marshal(ev)
}
