package deliver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/workflow"
)

// WebhookSender posts notifications to the webhooks admins registered,
// signed as Standard Webhooks specifies: the headers webhook-id,
// webhook-timestamp and webhook-signature "v1,<base64 HMAC-SHA256 of
// id.timestamp.body>" under the webhook's secret. The id is the
// notification's, the same on every retry, so that a receiver can drop a
// delivery it already has.
type WebhookSender struct {
	DB     *storage.DB
	Client *http.Client
	Clock  workflow.Clock
}

// Send delivers one webhook notification.
func (w WebhookSender) Send(ctx context.Context, n models.Notification) error {
	var hook models.Webhook
	if err := w.DB.R.WithContext(ctx).Where("id = ?", n.Recipient).Take(&hook).Error; err != nil {
		return fmt.Errorf("webhook %s: %w", n.Recipient, err)
	}
	if !hook.Active {
		return fmt.Errorf("webhook %d is disabled", hook.ID)
	}
	body, err := webhookBody(n)
	if err != nil {
		return err
	}
	id := MessageID(n)
	ts := strconv.FormatInt(w.Clock.Now().Unix(), 10)
	sig, err := Sign(hook.Secret, id, ts, body)
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

// MessageID is the id a notification carries on every attempt: webhook-id,
// and the e-mail Message-ID's local part.
func MessageID(n models.Notification) string { return fmt.Sprintf("msg_dondoc_%d", n.ID) }

// NewSecret makes a webhook secret in the Standard Webhooks form: whsec_
// and 32 random bytes in base64.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// Sign returns the webhook-signature header value for a delivery.
func Sign(secret, id, timestamp string, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.", id, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Verify checks a delivery as a receiver would: the signature matches and
// the timestamp is within tolerance of now.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(h.Get("webhook-timestamp"), 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp: %w", err)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook-timestamp is %s away", d)
	}
	want, err := Sign(secret, h.Get("webhook-id"), h.Get("webhook-timestamp"), body)
	if err != nil {
		return err
	}
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return nil
		}
	}
	return fmt.Errorf("no valid signature")
}
