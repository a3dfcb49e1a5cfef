package workflow

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/storage/testdb"
)

// TestCalendarChangeReachesEveryReplica: a day an admin changes holds at
// once on the replica that took the change, and on another replica after
// its recheck; that replica looks at the stored days once per recheck,
// however many requests ask for the calendar meanwhile, and none of them
// waits for the look.
func TestCalendarChangeReachesEveryReplica(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		ctx := context.Background()
		db, err := storage.Open(ctx, storage.Options{URL: tg.URL, SQLitePath: tg.SQLitePath, MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		mine, err := LoadCalendars(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		other, err := LoadCalendars(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		day := civil.MustDate("2026-03-02") // a Monday
		if !mine.Current().IsWorkingDay(day) || !other.Current().IsWorkingDay(day) {
			t.Fatal("2 March 2026 should be a working day")
		}

		row := models.CalendarDay{Day: day, Kind: "holiday", Name: "Nghỉ đột xuất", UpdatedBy: "admin", UpdatedAt: time.Now()}
		if err := db.W.Create(&row).Error; err != nil {
			t.Fatal(err)
		}
		mine.changed(ctx)
		if mine.Current().IsWorkingDay(day) {
			t.Error("the replica that took the change still counts 2 March as a working day")
		}

		// The other replica's recheck comes (as if 30 s had passed), and its
		// look takes its time: the test holds the lock a look needs.
		other.checked.Store(0)
		looks := other.looks.Load()
		other.mu.Lock()
		var wg sync.WaitGroup
		for range 200 {
			wg.Go(func() { other.Current() })
		}
		answered := make(chan struct{})
		go func() { wg.Wait(); close(answered) }()
		select {
		case <-answered:
		case <-time.After(5 * time.Second):
			other.mu.Unlock()
			t.Fatal("requests waited for the look at the stored days")
		}
		other.mu.Unlock()
		for deadline := time.Now().Add(5 * time.Second); other.refreshing.Load(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the other replica's look did not end in 5 s")
			}
		}
		// No further look can be under way: a look starts only from Current,
		// which sets refreshing before it starts one, and every Current
		// call has returned.
		if n := other.looks.Load() - looks; n != 1 {
			t.Errorf("200 requests after the recheck made %d looks at the stored days, want 1", n)
		}
		if other.cur.Load().IsWorkingDay(day) {
			t.Error("after its recheck, the other replica still counts 2 March as a working day")
		}
	})
}
