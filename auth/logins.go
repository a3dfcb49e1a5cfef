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

// LoginLimits bound failed logins, counted per username and per client
// address, each in a token bucket: a user may mistype a password a few times
// and then try once a minute; one address (an office behind one NAT) gets
// more. Successful logins do not count. While a bucket is empty every login
// for that user or from that address is refused with 429 before the password
// is looked at, whether the user exists or not, so the answer tells an
// attacker nothing about which usernames exist.
type LoginLimits struct {
	PerUser         int           // failures allowed in a burst, per username
	PerUserEvery    time.Duration // one more failure allowed after each such interval
	PerAddress      int           // failures allowed in a burst, per client address
	PerAddressEvery time.Duration
}

// DefaultLoginLimits are the limits unless configured otherwise.
var DefaultLoginLimits = LoginLimits{PerUser: 5, PerUserEvery: time.Minute, PerAddress: 30, PerAddressEvery: 10 * time.Second}

// maxBuckets caps the memory an attack with random usernames can take;
// buckets that have refilled are the first dropped.
const maxBuckets = 100_000

type loginLimiter struct {
	mu    sync.Mutex
	lim   LoginLimits
	users map[string]*rate.Limiter
	addrs map[string]*rate.Limiter
	now   func() time.Time
}

func newLoginLimiter(l LoginLimits, now func() time.Time) *loginLimiter {
	if l.PerUser <= 0 {
		l = DefaultLoginLimits
	}
	return &loginLimiter{lim: l, users: map[string]*rate.Limiter{}, addrs: map[string]*rate.Limiter{}, now: now}
}

func userKey(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// wait is how long the caller must wait before trying again; 0 when it may
// try now.
func (l *loginLimiter) wait(username, addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var w time.Duration
	for _, b := range []*rate.Limiter{l.users[userKey(username)], l.addrs[addr]} {
		if b == nil {
			continue
		}
		if tokens := b.TokensAt(now); tokens < 1 {
			// The time until the bucket holds one token again.
			w = max(w, time.Duration((1-tokens)/float64(b.Limit())*float64(time.Second)))
		}
	}
	return w
}

// failed counts a failed login.
func (l *loginLimiter) failed(username, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.bucket(l.users, userKey(username), l.lim.PerUserEvery, l.lim.PerUser, now).AllowN(now, 1)
	l.bucket(l.addrs, addr, l.lim.PerAddressEvery, l.lim.PerAddress, now).AllowN(now, 1)
}

// succeeded forgets the user's failures: the owner got in.
func (l *loginLimiter) succeeded(username string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.users, userKey(username))
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
	if wait := a.logins.wait(username, addr); wait > 0 {
		return u, wait, nil
	}
	u, err = a.svc.Authenticate(ctx, username, password)
	switch {
	case errors.Is(err, workflow.ErrUnauthenticated):
		a.logins.failed(username, addr)
	case err == nil:
		a.logins.succeeded(username)
	}
	return u, 0, err
}
