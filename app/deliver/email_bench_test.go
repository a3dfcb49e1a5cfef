package deliver_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/app/deliver"
	"github.com/dondoc/dondoc/models"
)

// BenchmarkEmail sends notifications by e-mail through the in-process SMTP
// server, one caller after another and from as many callers as the
// dispatcher has workers, and reports messages a second.
func BenchmarkEmail(b *testing.B) {
	for _, callers := range []int{1, 4} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			box, addr := startSMTP(b)
			sender, err := deliver.ParseSMTPURL("smtp://"+addr+"?tls=none&from=dondoc@vpcp.gov.vn", "dondoc.vpcp.gov.vn")
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
			work := make(chan int64)
			errs := make(chan error, callers)
			var wg sync.WaitGroup
			b.ResetTimer()
			for range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for id := range work {
						n := models.Notification{ID: id, Channel: "email", Kind: "reminder", Recipient: "vanphong@moh.gov.vn",
							Title: fmt.Sprintf("Nhắc việc: nhiệm vụ #%d còn 3 ngày làm việc đến hạn", id),
							Body:  "Nhiệm vụ có thời hạn ngày 05/03/2026, còn 3 ngày làm việc.", CreatedAt: now}
						if err := sender.Send(ctx, n); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			for i := range b.N {
				work <- int64(i + 1)
			}
			close(work)
			wg.Wait()
			b.StopTimer()
			close(errs)
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
			box.mu.Lock()
			got := len(box.msgs)
			box.mu.Unlock()
			if got != b.N {
				b.Fatalf("the server received %d messages of %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
