package auth

import (
	"testing"
	"time"
)

// TestLoginLimitsPerUsernameAndAddress: failures from one address lock
// that username out from that address only; the owner elsewhere still gets
// in, and their success does not unlock the attacker.
func TestLoginLimitsPerUsernameAndAddress(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(DefaultLoginLimits, func() time.Time { return now })
	for i := 0; i < DefaultLoginLimits.PerUser; i++ {
		if w, s := l.wait("bo.truong", "203.0.113.9"); w != 0 || s != 0 {
			t.Fatalf("failure %d: refused %v, slowed %v", i, w, s)
		}
		l.failed("bo.truong", "203.0.113.9")
	}
	if w, _ := l.wait("BO.TRUONG ", "203.0.113.9"); w <= 0 || w > time.Minute {
		t.Errorf("the attacker's address is not held back: %v", w)
	}
	if w, s := l.wait("bo.truong", "10.1.2.3"); w != 0 || s != 0 {
		t.Errorf("the officer's own address is locked out: refused %v, slowed %v", w, s)
	}
	l.succeeded("bo.truong", "10.1.2.3")
	if w, _ := l.wait("bo.truong", "203.0.113.9"); w <= 0 {
		t.Error("the officer's login unlocked the attacker's address")
	}
	now = now.Add(time.Minute)
	if w, _ := l.wait("bo.truong", "203.0.113.9"); w != 0 {
		t.Errorf("a minute later: %v", w)
	}
}

// TestLoginLimitsSlowDownGlobally: failures from many addresses, none over
// its own limits, empty the global bucket; then every login (even a new
// user from a new address) waits, and over MaxSlowDown is refused.
func TestLoginLimitsSlowDownGlobally(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lim := LoginLimits{PerUser: 5, PerUserEvery: time.Minute, PerAddress: 30, PerAddressEvery: 10 * time.Second,
		Global: 50, GlobalEvery: 100 * time.Millisecond, MaxSlowDown: 2 * time.Second}
	l := newLoginLimiter(lim, func() time.Time { return now })
	for i := 0; i < lim.Global; i++ {
		addr := "198.51.100." + string(rune('0'+i%10)) + string(rune('0'+i/10))
		if w, s := l.wait("thu.ky", addr); w != 0 || s != 0 {
			t.Fatalf("failure %d: refused %v, slowed %v", i, w, s)
		}
		l.failed("thu.ky", addr)
	}
	w, s := l.wait("lanh.dao", "10.9.9.9")
	if w != 0 || s <= 0 || s > lim.GlobalEvery {
		t.Fatalf("after a global burst: refused %v, slowed %v; want slowed up to %v", w, s, lim.GlobalEvery)
	}
	for i := 0; i < 30; i++ { // 3 s of failures owed: beyond MaxSlowDown
		l.failed("x", "192.0.2.1"+string(rune('0'+i%10)))
	}
	if w, s := l.wait("lanh.dao", "10.9.9.9"); w <= lim.MaxSlowDown || s != 0 {
		t.Errorf("deep in debt: refused %v, slowed %v; want refused over %v", w, s, lim.MaxSlowDown)
	}
	now = now.Add(10 * time.Second)
	if w, s := l.wait("lanh.dao", "10.9.9.9"); w != 0 || s != 0 {
		t.Errorf("10 s later: refused %v, slowed %v", w, s)
	}
}
