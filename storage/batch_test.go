package storage

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/storage/testdb"
)

// The commands queued while a transaction runs share the next one; one that
// fails or panics is undone alone and answers its own error or panic.
func TestBatcherGroupsCommandsAndIsolatesFailures(t *testing.T) {
	tg := testdb.SQLite(t)
	db, err := Open(context.Background(), Options{SQLitePath: tg.SQLitePath, MaxConns: 2, Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.W.Exec("CREATE TABLE b (k INTEGER PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	b := NewBatcher(db.W)
	defer b.Close()
	ctx := context.Background()
	insert := func(tx *gorm.DB, k int) error { return tx.Exec("INSERT INTO b (k) VALUES (?)", k).Error }

	// The first command holds its transaction until the others are queued.
	release, started := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(release) }) }
	defer letGo()
	first := make(chan error)
	go func() {
		first <- b.Do(ctx, func(tx *gorm.DB) error { close(started); <-release; return insert(tx, 1000) })
	}()
	<-started

	const n = 20
	failing := errors.New("refused")
	type answer struct {
		err      error
		panicked any
		tx       gorm.ConnPool
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { answers[i].panicked = recover() }()
			answers[i].err = b.Do(ctx, func(tx *gorm.DB) error {
				answers[i].tx = tx.Statement.ConnPool
				if err := insert(tx, i); err != nil {
					return err
				}
				switch i {
				case 5:
					return failing
				case 7:
					panic("command 7 broke")
				case 9:
					return insert(tx, 1000) // a duplicate of the first command's row
				}
				return nil
			})
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); len(b.jobs) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d commands queued", len(b.jobs), n)
		}
		time.Sleep(time.Millisecond)
	}
	letGo()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()

	var keys []int
	if err := db.R.Raw("SELECT k FROM b ORDER BY k").Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{1000: true}
	for i := range n {
		if i != 5 && i != 7 && i != 9 {
			want[i] = true
		}
	}
	if len(keys) != len(want) {
		t.Fatalf("rows %v, want the keys %v", keys, want)
	}
	for _, k := range keys {
		if !want[k] {
			t.Fatalf("row %d was kept; rows %v", k, keys)
		}
	}
	if !errors.Is(answers[5].err, failing) {
		t.Errorf("command 5 answered %v, want its own error", answers[5].err)
	}
	if answers[7].panicked != "command 7 broke" {
		t.Errorf("command 7's caller saw the panic %v", answers[7].panicked)
	}
	if !IsDuplicate(answers[9].err) {
		t.Errorf("command 9 answered %v, want the duplicate key", answers[9].err)
	}
	for i, a := range answers {
		if i != 5 && i != 7 && i != 9 && (a.err != nil || a.panicked != nil) {
			t.Errorf("command %d answered %v, %v", i, a.err, a.panicked)
		}
		if a.tx != answers[0].tx {
			t.Errorf("command %d ran in another transaction than command 0", i)
		}
	}

	// Closed, it still runs commands, each in a transaction of its own.
	b.Close()
	if err := b.Do(ctx, func(tx *gorm.DB) error { return insert(tx, 2000) }); err != nil {
		t.Fatal(err)
	}
	var n2 int64
	db.R.Raw("SELECT COUNT(*) FROM b WHERE k = 2000").Scan(&n2)
	if n2 != 1 {
		t.Fatal("the command given after close was not committed")
	}
}
