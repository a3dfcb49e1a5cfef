package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"
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

type addrKey struct{}

// clientAddr puts the client's address (echo's IPExtractor decides how it
// is read) in the request's context, for handlers that limit by it.
func clientAddr(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), addrKey{}, c.RealIP())))
		return next(c)
	}
}

func addrFrom(ctx context.Context) string {
	a, _ := ctx.Value(addrKey{}).(string)
	return a
}

// authenticate checks a username and password under the login limits, for
// the API and the dashboard's form alike. A caller over a limit gets the
// wait before which to try again, and the password is not looked at.
func (s *Server) authenticate(ctx context.Context, username, password, addr string) (u models.User, wait time.Duration, err error) {
	if wait := s.logins.wait(username, addr); wait > 0 {
		return u, wait, nil
	}
	u, err = s.svc.Authenticate(ctx, username, password)
	switch {
	case errors.Is(err, workflow.ErrUnauthenticated):
		s.logins.failed(username, addr)
	case err == nil:
		s.logins.succeeded(username)
	}
	return u, 0, err
}

// retryAfter is a wait in whole seconds, rounded up, for Retry-After.
func retryAfter(wait time.Duration) int { return int(math.Ceil(wait.Seconds())) }

// tooManyLogins is the 429 answer, with Retry-After in whole seconds.
func tooManyLogins(wait time.Duration) error {
	secs := retryAfter(wait)
	p := newProblem(http.StatusTooManyRequests, "rate_limited", "too many failed logins; try again in "+strconv.Itoa(secs)+" s")
	return huma.ErrorWithHeaders(p, http.Header{"Retry-After": {strconv.Itoa(secs)}})
}
