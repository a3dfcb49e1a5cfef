package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// LoginLimits bound failed logins, each in a token bucket. A username is
// limited per client address: someone mistyping their password may try a
// few times and then once a minute, but failures from elsewhere never lock
// an officer out of their own office. One address (an office behind one
// NAT) gets more failures across usernames. Successful logins do not count.
// While a bucket is empty, logins for that username from that address, or
// from that address at all, are refused with 429 before the password is
// looked at, whether the user exists or not, so the answer tells an
// attacker nothing about which usernames exist.
//
// Across every address, failures fill one more bucket: when it is empty,
// every login waits for it (up to MaxSlowDown, then 429) before its password
// is checked. Guessing from many addresses is slowed to Global failures per
// GlobalEvery, while a legitimate login is only delayed.
type LoginLimits struct {
	PerUser         int           // failures allowed in a burst, per username and client address
	PerUserEvery    time.Duration // one more failure allowed after each such interval
	PerAddress      int           // failures allowed in a burst, per client address
	PerAddressEvery time.Duration
	Global          int // failures allowed in a burst, all addresses together
	GlobalEvery     time.Duration
	MaxSlowDown     time.Duration // longest a login waits for the global bucket before 429
}

// DefaultLoginLimits are the limits unless configured otherwise.
var DefaultLoginLimits = LoginLimits{PerUser: 5, PerUserEvery: time.Minute, PerAddress: 30, PerAddressEvery: 10 * time.Second,
	Global: 200, GlobalEvery: 100 * time.Millisecond, MaxSlowDown: 5 * time.Second}

// maxBuckets caps the memory an attack with random usernames can take;
// buckets that have refilled are the first dropped.
const maxBuckets = 100_000

type loginLimiter struct {
	mu     sync.Mutex
	lim    LoginLimits
	users  map[string]*rate.Limiter // by username and address
	addrs  map[string]*rate.Limiter
	global *rate.Limiter
	now    func() time.Time
}

func newLoginLimiter(l LoginLimits, now func() time.Time) *loginLimiter {
	if l.PerUser <= 0 {
		l = DefaultLoginLimits
	}
	return &loginLimiter{lim: l, users: map[string]*rate.Limiter{}, addrs: map[string]*rate.Limiter{},
		global: rate.NewLimiter(rate.Every(l.GlobalEvery), l.Global), now: now}
}

func userKey(username, addr string) string {
	return strings.ToLower(strings.TrimSpace(username)) + "\x00" + addr
}

// untilToken is how long until b holds one token again; 0 if it does.
func untilToken(b *rate.Limiter, now time.Time) time.Duration {
	if tokens := b.TokensAt(now); tokens < 1 {
		return time.Duration((1 - tokens) / float64(b.Limit()) * float64(time.Second))
	}
	return 0
}

// wait is how long the caller must wait before trying again (refused), or
// else how long to slow down before the password is checked.
func (l *loginLimiter) wait(username, addr string) (refused, slow time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, b := range []*rate.Limiter{l.users[userKey(username, addr)], l.addrs[addr]} {
		if b != nil {
			refused = max(refused, untilToken(b, now))
		}
	}
	if refused > 0 {
		return refused, 0
	}
	slow = untilToken(l.global, now)
	if slow > l.lim.MaxSlowDown {
		return slow, 0
	}
	return 0, slow
}

// failed counts a failed login.
func (l *loginLimiter) failed(username, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.bucket(l.users, userKey(username, addr), l.lim.PerUserEvery, l.lim.PerUser, now).AllowN(now, 1)
	l.bucket(l.addrs, addr, l.lim.PerAddressEvery, l.lim.PerAddress, now).AllowN(now, 1)
	// Into debt if need be: the more failures, the longer every login
	// waits, until the wait passes MaxSlowDown and logins are refused
	// (and no longer counted) until the bucket refills.
	l.global.ReserveN(now, 1)
}

// succeeded forgets the user's failures from that address: the owner got in.
func (l *loginLimiter) succeeded(username, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.users, userKey(username, addr))
}

func (l *loginLimiter) bucket(m map[string]*rate.Limiter, key string, every time.Duration, burst int, now time.Time) *rate.Limiter {
	if b, ok := m[key]; ok {
		return b
	}
	if len(m) >= maxBuckets {
		for k, b := range m {
			if b.TokensAt(now) >= float64(b.Burst()) {
				delete(m, k)
			}
		}
		if len(m) >= maxBuckets { // all busy: drop an arbitrary one
			for k := range m {
				delete(m, k)
				break
			}
		}
	}
	b := rate.NewLimiter(rate.Every(every), burst)
	m[key] = b
	return b
}

// Authenticate checks a username and password under the login limits, for
// the API and the dashboard's form alike: addr is the client's address. A
// caller over a limit gets the wait before which to try again, and the
// password is not looked at.
func (a *Auth) Authenticate(ctx context.Context, username, password, addr string) (u models.User, wait time.Duration, err error) {
	wait, slow := a.logins.wait(username, addr)
	if wait > 0 {
		return u, wait, nil
	}
	if slow > 0 {
		t := time.NewTimer(slow)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return u, 0, ctx.Err()
		}
	}
	u, err = a.svc.Authenticate(ctx, username, password)
	switch {
	case errors.Is(err, workflow.ErrUnauthenticated):
		a.logins.failed(username, addr)
	case err == nil:
		a.logins.succeeded(username, addr)
	}
	return u, 0, err
}
