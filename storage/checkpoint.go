package storage

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"time"
)

// checkpointInterval is how often the WAL is copied into the database file.
const checkpointInterval = 500 * time.Millisecond

// walRestartFrames is the WAL's length, in pages, past which the
// checkpointer also asks for a RESTART, so that the writer can start the
// WAL again from its beginning. PASSIVE checkpoints alone never get that
// chance while reads run all the time: the WAL grew by a gigabyte in a
// 20-second load run. A RESTART holds the writer back while it copies what
// the last PASSIVE pass left and syncs the file, 20 to 600 ms under load,
// so it waits until the WAL is large; with the pauses of ordinary use the
// WAL restarts long before that.
const walRestartFrames = 131072 // 512 MiB of 4 KiB pages

// walSizeLimit is what the WAL file is cut back to when it restarts: the
// size it restarts at, so that the file keeps its blocks. Cut back further,
// it grew again through new blocks, which the file system allocates and
// zeroes on every write (a tenth of the writer's time).
const walSizeLimit = walRestartFrames * 4096

// checkpointer copies the WAL into the database file every
// checkpointInterval, in PASSIVE mode: beside the writer and the readers,
// never waiting for them. When the WAL has grown past walRestartFrames, it
// asks for a RESTART too, waiting at most 10 ms for the readers; if they
// are not done, the next tick tries again. It returns the function that
// stops it.
//
// After each pass that copied pages, it syncs the database file itself.
// SQLite syncs it only when a pass copies the whole WAL, which never
// happens while reads run all the time; the pages copied then stayed dirty
// in the operating system's cache, hundreds of megabytes of them, until the
// kernel wrote them all at once after 30 seconds (vm.dirty_expire_centisecs)
// and every request waited a quarter of a second for it.
func checkpointer(c *sql.DB, path string, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointInterval)
		defer t.Stop()
		var file *os.File // opened at the first pass, once the file surely exists
		defer func() {
			if file != nil {
				file.Close()
			}
		}()
		failed := false
		copied := -1
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			n, err := checkpoint(ctx, c)
			if err == nil && n != copied {
				copied = n
				if file == nil {
					file, err = os.Open(path)
				}
				if err == nil {
					err = file.Sync()
				}
			}
			if err != nil && ctx.Err() == nil && !failed && log != nil {
				log.Warn("sqlite: checkpoint failed; retrying", "err", err)
			}
			failed = err != nil
		}
	}()
	return func() { cancel(); <-done }
}

// checkpoint runs one pass and returns how many WAL frames have been copied
// into the database file since the WAL last started again.
func checkpoint(ctx context.Context, c *sql.DB) (int, error) {
	conn, err := c.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var busy, frames, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done); err != nil {
		return 0, err
	}
	if frames < walRestartFrames {
		return done, nil
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 10"); err != nil {
		return done, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = 10000")
	// SQLITE_BUSY is reported as the first column, not an error: the
	// readers were not done in time, and the next tick tries again.
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &done)
	return done, err
}
