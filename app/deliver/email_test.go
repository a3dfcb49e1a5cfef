package deliver_test

import (
	"context"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/deliver"
	"github.com/dondoc/dondoc/models"
)

func emailTo(id int64) models.Notification {
	return models.Notification{ID: id, Channel: "email", Kind: "urge", Recipient: "vanphong@moh.gov.vn",
		Title: "Đôn đốc thực hiện nhiệm vụ", Body: "Đề nghị Bộ Y tế khẩn trương hoàn thành.", CreatedAt: time.Now().UTC()}
}

func counts(box *mailbox) (msgs, logouts int) {
	box.mu.Lock()
	defer box.mu.Unlock()
	return len(box.msgs), box.logouts
}

// The sender keeps one connection for many messages, finds out when the
// server has dropped it, sends the next message over a new one, and quits
// it on Close.
func TestEmailKeepsItsConnection(t *testing.T) {
	t.Parallel()
	box, srv := startSMTPAt(t, "127.0.0.1:0")
	sender, err := deliver.ParseSMTPURL("smtp://"+srv.Addr+"?tls=none&from=dondoc@vpcp.gov.vn", "dondoc.vpcp.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for id := range int64(3) {
		if err := sender.Send(ctx, emailTo(id+1)); err != nil {
			t.Fatal(err)
		}
	}
	if msgs, logouts := counts(box); msgs != 3 || logouts != 0 {
		t.Fatalf("after three messages: %d received, %d sessions ended; want 3 over one session still open", msgs, logouts)
	}

	// The server goes away with the connection, and another takes its
	// address: the kept connection is dead, and the next message must not be.
	addr := srv.Addr
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	box2, _ := startSMTPAt(t, addr)
	if err := sender.Send(ctx, emailTo(4)); err != nil {
		t.Fatalf("after the server dropped the connection: %v", err)
	}
	if msgs, _ := counts(box2); msgs != 1 {
		t.Fatalf("the new server received %d messages, want 1", msgs)
	}

	if err := sender.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, logouts := counts(box2); logouts != 1; _, logouts = counts(box2) {
		if time.Now().After(deadline) {
			t.Fatalf("Close: %d sessions ended, want 1", logouts)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
