package workflow

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/dondoc/dondoc/civil"
)

// statsCache keeps live statistics for a short while. Counting every
// agency's tasks costs about a tenth of a second of CPU at a million tasks;
// at the month-end rush leaders asking for them a few times a second took
// most of the machine from everyone else. Figures at most StatsMaxAge old
// (their computed_at says when) are what a leader reading a report needs;
// concurrent requests for the same figures share one count, and figures
// two thirds of that age are counted again in the background while they
// are still served.
type statsCache struct {
	maxAge  time.Duration
	mu      sync.Mutex
	entries map[string]statsEntry
	flight  singleflight.Group
}

type statsEntry struct {
	at    time.Time
	items []AgencyCounts
}

// maxStatsEntries bounds the cache: filters are few in practice.
const maxStatsEntries = 256

// cachedLiveCounts is liveCounts, from the cache when it is fresh enough.
// It returns when the figures were counted.
func (s *Service) cachedLiveCounts(ctx context.Context, f StatsFilter, asOf civil.Date) ([]AgencyCounts, time.Time, error) {
	c := &s.stats
	if c.maxAge <= 0 {
		items, err := s.liveCounts(ctx, f, asOf)
		return items, s.clock.Now(), err
	}
	f.Sort = "" // sorting happens after
	key := fmt.Sprintf("%#v|%s", f, asOf)
	now := s.clock.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	count := func() (any, error) {
		// Shared by every caller waiting: one caller going away must not
		// fail the others.
		items, err := s.liveCounts(context.WithoutCancel(ctx), f, asOf)
		if err != nil {
			return nil, err
		}
		e := statsEntry{at: s.clock.Now(), items: items}
		c.mu.Lock()
		if c.entries == nil || len(c.entries) >= maxStatsEntries {
			c.entries = map[string]statsEntry{}
		}
		c.entries[key] = e
		c.mu.Unlock()
		return e, nil
	}
	if ok && !now.Before(e.at) && now.Sub(e.at) < c.maxAge {
		if now.Sub(e.at) >= c.maxAge*2/3 {
			// Counted again ahead of time, in the background, so that
			// under steady demand no leader waits for the count.
			c.flight.DoChan(key, count)
		}
		return slices.Clone(e.items), e.at, nil
	}
	v, err, _ := c.flight.Do(key, count)
	if err != nil {
		return nil, time.Time{}, err
	}
	e = v.(statsEntry)
	return slices.Clone(e.items), e.at, nil
}
