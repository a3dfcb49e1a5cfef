package storage

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// maxBatch is how many commands one SQLite transaction carries at most.
const maxBatch = 64

// Batcher commits SQLite's commands in groups. SQLite has one writer, so
// commands run one after another whatever dondoc does; what the batcher
// saves is the transaction around each: beginning, committing (writing the
// changed pages to the WAL) and the wait for the one connection, which
// together were a third of a transition's time. The commands that arrive
// while a transaction runs share the next one.
//
// Each command runs inside a savepoint of its own: one that fails is rolled
// back to its savepoint and answers its error, and the others go on. The
// commands of a transaction are answered only after it commits, so nothing
// is acknowledged before it is durable; if the commit fails, every command
// in it answers that error. A command sees the changes of those before it in
// the same transaction, exactly as if they had committed one by one.
type Batcher struct {
	db     *gorm.DB
	jobs   chan *txJob
	mu     sync.RWMutex // held for reading while queueing, for writing to close
	closed bool
	quit   chan struct{}
	done   sync.WaitGroup
}

type txJob struct {
	ctx      context.Context
	fn       func(tx *gorm.DB) error
	err      error
	panicked any
	done     chan struct{}
}

// NewBatcher starts a batcher of transactions on db (SQLite's one writer).
func NewBatcher(db *gorm.DB) *Batcher {
	b := &Batcher{db: db, jobs: make(chan *txJob, maxBatch), quit: make(chan struct{})}
	b.done.Add(1)
	go b.run()
	return b
}

// Do runs fn in the next transaction and returns once that has committed or
// rolled back. A panic in fn is raised again in the caller. Once the batcher
// is closed, fn runs in a transaction of its own.
func (b *Batcher) Do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return b.db.WithContext(ctx).Transaction(fn)
	}
	j := &txJob{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case b.jobs <- j:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	// Wait even if ctx ends: the command may be committing.
	<-j.done
	if j.panicked != nil {
		panic(j.panicked)
	}
	return j.err
}

// Close answers the commands queued and stops the batcher.
func (b *Batcher) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	b.mu.Unlock()
	close(b.quit)
	b.done.Wait()
}

func (b *Batcher) run() {
	defer b.done.Done()
	batch := make([]*txJob, 0, maxBatch)
	for {
		select {
		case j := <-b.jobs:
			batch = append(batch[:0], j)
		case <-b.quit:
			batch = batch[:0]
			for len(b.jobs) > 0 {
				batch = append(batch, <-b.jobs)
			}
			if len(batch) > 0 {
				b.commit(batch)
			}
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case j := <-b.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		b.commit(batch)
	}
}

// commit runs the batch in one transaction and answers each command.
func (b *Batcher) commit(batch []*txJob) {
	err := b.db.Transaction(func(tx *gorm.DB) error {
		for _, j := range batch {
			if err := j.ctx.Err(); err != nil {
				j.err = err
				continue
			}
			if err := tx.Exec("SAVEPOINT command").Error; err != nil {
				return err
			}
			j.panicked, j.err = call(j.fn, tx.WithContext(j.ctx))
			if j.err != nil || j.panicked != nil {
				if err := tx.Exec("ROLLBACK TO command").Error; err != nil {
					return err
				}
			}
			if err := tx.Exec("RELEASE command").Error; err != nil {
				return err
			}
		}
		return nil
	})
	for _, j := range batch {
		if err != nil && j.err == nil && j.panicked == nil {
			j.err = err
		}
		close(j.done)
	}
}

// call runs fn, turning a panic into a value to raise in the caller.
func call(fn func(tx *gorm.DB) error, tx *gorm.DB) (panicked any, err error) {
	defer func() { panicked = recover() }()
	return nil, fn(tx)
}
