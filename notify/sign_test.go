package notify_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/notify"
)

// The example of the Standard Webhooks specification signs as it says, and
// a receiver's check accepts it within the tolerance only, and unchanged.
func TestSignAsStandardWebhooks(t *testing.T) {
	t.Parallel()
	const secret, id, ts = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330"
	body := []byte(`{"test": 2432232314}`)
	sig, err := notify.Sign(secret, id, ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; sig != want {
		t.Fatalf("signature %s, want %s", sig, want)
	}
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", "v1,bm90IHRoaXMgb25l "+sig) // a receiver may get several; one must match
	at := time.Unix(1614265330, 0)
	if err := notify.Verify(secret, h, body, at.Add(4*time.Minute), 5*time.Minute); err != nil {
		t.Errorf("within the tolerance: %v", err)
	}
	if err := notify.Verify(secret, h, body, at.Add(6*time.Minute), 5*time.Minute); err == nil {
		t.Error("six minutes late: accepted")
	}
	if err := notify.Verify(secret, h, []byte(`{"test": 2432232315}`), at, 5*time.Minute); err == nil {
		t.Error("a changed body: accepted")
	}
	if s := notify.NewSecret(); !strings.HasPrefix(s, "whsec_") || s == notify.NewSecret() {
		t.Errorf("NewSecret = %q", s)
	}
}
