// Package auth signs users in: it issues and verifies bearer tokens
// (access tokens as JWTs under a key every replica shares, and long-lived
// API tokens), revokes them, bounds failed logins, and keys the dashboard's
// CSRF tokens. What it stores goes through workflow's services; the HTTP
// around it (headers, cookies, problem answers) is the adapters' (api,
// web).
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

const (
	tokenIssuer    = "dondoc"
	tokenAudience  = "dondoc-api"
	apiTokenPrefix = "ddt_"
	// userCacheTTL is how long a user or an API token read from the
	// database is reused: verification reads it at most once per TTL, not on
	// every request. Revocations do not wait for it: see RevocationBound.
	userCacheTTL = 15 * time.Second
)

// RevocationBound is how long a revocation made on one replica (a disabled
// user, a new password, a revoked token, a logout) may take to reach the
// others: each replica reads the revocation epoch at most this long after
// it last did, and drops its cached users and tokens when the epoch has
// moved on. On the replica that revoked, it takes effect at once.
const RevocationBound = time.Second

// Auth issues and verifies bearer tokens.
type Auth struct {
	svc    *workflow.Service
	key    []byte
	ttl    time.Duration
	clock  workflow.Clock
	logins *loginLimiter

	mu    sync.Mutex
	users map[int64]cachedUser
	keys  map[string]cachedAPIToken // by hash

	tmu    sync.Mutex
	tokens map[[sha256.Size]byte]verifiedToken // access tokens verified, by the token's hash

	// The revocation epoch as last read, when (on the process's monotonic
	// clock, whatever the service's clock says) and the cache generation:
	// it moves on with the epoch, and cached entries of an older
	// generation are not used.
	emu     sync.Mutex
	epoch   int64
	epochAt time.Time
	gen     uint64
	wall    func() time.Time
}

// verifiedToken is what verifying an access token's signature and claims
// found, kept so that its next request skips the work: decoding the claims
// was a quarter of the CPU of a small authenticated request. The same bytes
// always verify the same way but for time, so a token found here is checked
// against its time window again on every request; the user it names is
// looked up (in the user cache) every time too.
type verifiedToken struct {
	userID int64
	ver    int
	jti    string // the session's id
	// The window in which the token is accepted, the leeway applied:
	// from notBefore (inclusive) to expires (exclusive).
	notBefore, expires time.Time
}

// maxVerifiedTokens bounds the verified tokens kept: about one per signed-in
// user and client, 100 bytes each.
const maxVerifiedTokens = 1 << 16

// tokenLeeway is the clock skew tolerated between replicas.
const tokenLeeway = 30 * time.Second

type cachedUser struct {
	user models.User
	at   time.Time
	gen  uint64
}

type cachedAPIToken struct {
	token models.APIToken
	at    time.Time
	gen   uint64
}

// Options are an Auth's settings.
type Options struct {
	TTL         time.Duration // how long an access token lasts
	LoginLimits LoginLimits   // default: DefaultLoginLimits
}

// New loads (or on the first start creates) the signing key that every
// replica shares, stored in the database.
func New(ctx context.Context, svc *workflow.Service, o Options) (*Auth, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	key, err := svc.SigningKey(ctx, fresh)
	if err != nil {
		return nil, err
	}
	return &Auth{svc: svc, key: key, ttl: o.TTL, clock: svc.Clock(), logins: newLoginLimiter(o.LoginLimits, svc.Clock().Now),
		users: map[int64]cachedUser{}, keys: map[string]cachedAPIToken{}, tokens: map[[sha256.Size]byte]verifiedToken{}, wall: time.Now}, nil
}

// generation reads the revocation epoch if it was last read
// RevocationBound ago or more, and returns the cache generation that
// entries must carry to be used. Entries are tagged with the generation
// current when their database read began, so that an entry read before a
// revocation and stored after the epoch moved on is never used.
func (a *Auth) generation(ctx context.Context) (uint64, error) {
	a.emu.Lock()
	defer a.emu.Unlock()
	start := a.wall()
	if !a.epochAt.IsZero() && start.Sub(a.epochAt) < RevocationBound {
		return a.gen, nil
	}
	e, err := a.svc.AuthEpoch(ctx)
	if err != nil {
		return 0, err
	}
	if e != a.epoch || a.epochAt.IsZero() {
		a.epoch = e
		a.gen++
	}
	a.epochAt = start
	return a.gen, nil
}

type claims struct {
	jwt.RegisteredClaims
	Ver int `json:"ver"` // the user's token version when issued
}

// Issue returns an access token for u.
func (a *Auth) Issue(u models.User) (string, time.Duration, error) {
	now := a.clock.Now()
	jti := make([]byte, 12)
	_, _ = rand.Read(jti)
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: tokenIssuer, Audience: jwt.ClaimStrings{tokenAudience}, Subject: strconv.FormatInt(u.ID, 10),
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(now.Add(a.ttl)), ID: base64.RawURLEncoding.EncodeToString(jti),
		},
		Ver: u.TokenVersion,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(a.key)
	return s, a.ttl, err
}

// ErrBadToken is the answer to a token that does not sign anyone in.
var ErrBadToken = errors.New("the bearer token is missing, malformed, expired or revoked")

// Verify resolves a bearer token to its actor.
func (a *Auth) Verify(ctx context.Context, token string) (workflow.Actor, error) {
	if strings.HasPrefix(token, apiTokenPrefix) {
		return a.verifyAPIToken(ctx, token)
	}
	vt, err := a.verifyAccessToken(token)
	if err != nil {
		return workflow.Actor{}, err
	}
	u, err := a.User(ctx, vt.userID)
	if err != nil {
		return workflow.Actor{}, err
	}
	// A session is valid at the user's token version, or as the session
	// that changed the password (which revoked every other).
	if u.Disabled || u.TokenVersion != vt.ver && (u.KeptSession == "" || u.KeptSession != vt.jti) {
		return workflow.Actor{}, ErrBadToken
	}
	return workflow.ActorOf(u), nil
}

// verifyAccessToken checks a JWT's signature and claims, or finds it
// verified before and still inside its time window.
func (a *Auth) verifyAccessToken(token string) (verifiedToken, error) {
	now := a.clock.Now()
	sum := sha256.Sum256([]byte(token))
	a.tmu.Lock()
	vt, ok := a.tokens[sum]
	a.tmu.Unlock()
	if ok {
		if now.Before(vt.notBefore) || !now.Before(vt.expires) {
			return verifiedToken{}, ErrBadToken
		}
		return vt, nil
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return a.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(tokenIssuer), jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithLeeway(tokenLeeway))
	if err != nil {
		return verifiedToken{}, ErrBadToken
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil {
		return verifiedToken{}, ErrBadToken
	}
	// The parser accepted now; these bounds are the ones it applied.
	vt = verifiedToken{userID: id, ver: c.Ver, jti: c.ID, expires: c.ExpiresAt.Add(tokenLeeway)}
	if c.IssuedAt != nil {
		vt.notBefore = c.IssuedAt.Add(-tokenLeeway)
	}
	if c.NotBefore != nil && c.NotBefore.Add(-tokenLeeway).After(vt.notBefore) {
		vt.notBefore = c.NotBefore.Add(-tokenLeeway)
	}
	a.tmu.Lock()
	if len(a.tokens) >= maxVerifiedTokens {
		for k, t := range a.tokens {
			if !now.Before(t.expires) {
				delete(a.tokens, k)
			}
		}
		if len(a.tokens) >= maxVerifiedTokens {
			clear(a.tokens)
		}
	}
	a.tokens[sum] = vt
	a.tmu.Unlock()
	return vt, nil
}

// User returns a user as the cache of the last userCacheTTL has it;
// ErrBadToken when there is no such user.
func (a *Auth) User(ctx context.Context, id int64) (models.User, error) {
	gen, err := a.generation(ctx)
	if err != nil {
		return models.User{}, err
	}
	now := a.clock.Now()
	a.mu.Lock()
	cu, ok := a.users[id]
	a.mu.Unlock()
	if ok && cu.gen == gen && now.Sub(cu.at) < userCacheTTL {
		return cu.user, nil
	}
	u, err := a.svc.User(ctx, id)
	if errors.Is(err, workflow.ErrNotFound) {
		return u, ErrBadToken
	}
	if err != nil {
		return u, err
	}
	a.mu.Lock()
	a.users[id] = cachedUser{user: u, at: now, gen: gen}
	a.mu.Unlock()
	return u, nil
}

// Forget drops a user and their API tokens from the caches, after a change
// on this replica.
func (a *Auth) Forget(userID int64) {
	a.mu.Lock()
	delete(a.users, userID)
	for h, ct := range a.keys {
		if ct.token.UserID == userID {
			delete(a.keys, h)
		}
	}
	a.mu.Unlock()
}

func hashAPIToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (a *Auth) verifyAPIToken(ctx context.Context, token string) (workflow.Actor, error) {
	if len(token) > 200 {
		return workflow.Actor{}, ErrBadToken
	}
	hash := hashAPIToken(token)
	gen, err := a.generation(ctx)
	if err != nil {
		return workflow.Actor{}, err
	}
	now := a.clock.Now()
	a.mu.Lock()
	ct, ok := a.keys[hash]
	a.mu.Unlock()
	if !ok || ct.gen != gen || now.Sub(ct.at) >= userCacheTTL {
		t, found, err := a.svc.APITokenByHash(ctx, hash)
		if err != nil {
			return workflow.Actor{}, err
		}
		if !found {
			return workflow.Actor{}, ErrBadToken
		}
		ct = cachedAPIToken{token: t, at: now, gen: gen}
		a.mu.Lock()
		a.keys[hash] = ct
		a.mu.Unlock()
	}
	t := ct.token
	if t.RevokedAt != nil || (t.ExpiresAt != nil && now.After(*t.ExpiresAt)) {
		return workflow.Actor{}, ErrBadToken
	}
	u, err := a.User(ctx, t.UserID)
	if err != nil {
		return workflow.Actor{}, err
	}
	if u.Disabled {
		return workflow.Actor{}, ErrBadToken
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUsedEvery {
		// Best effort: a failed write of when the token was last used is no
		// reason to refuse the request it was used for.
		if a.svc.TouchAPIToken(ctx, t.ID, now) == nil {
			a.mu.Lock()
			if cur, ok := a.keys[hash]; ok {
				cur.token.LastUsedAt = &now
				a.keys[hash] = cur
			}
			a.mu.Unlock()
		}
	}
	return workflow.ActorOf(u), nil
}

// lastUsedEvery is how precisely an API token's last use is recorded: its
// last_used_at is written at most once per interval.
const lastUsedEvery = time.Minute

// CreateAPIToken makes a long-lived token for the actor, returned once; only
// its hash is stored.
func (a *Auth) CreateAPIToken(ctx context.Context, actor workflow.Actor, name string, expires *time.Time) (string, models.APIToken, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", models.APIToken{}, err
	}
	token := apiTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	row, err := a.svc.AddAPIToken(ctx, actor, models.APIToken{Name: name, Prefix: token[:len(apiTokenPrefix)+6], Hash: hashAPIToken(token),
		ExpiresAt: expires})
	return token, row, err
}

// RevokeAPIToken revokes one of the actor's tokens (any token, for admins).
func (a *Auth) RevokeAPIToken(ctx context.Context, actor workflow.Actor, id int64) error {
	if err := a.svc.RevokeAPIToken(ctx, actor, id); err != nil {
		return err
	}
	a.mu.Lock()
	clear(a.keys)
	a.mu.Unlock()
	return nil
}

// RevokeSessions invalidates every access token the user holds.
func (a *Auth) RevokeSessions(ctx context.Context, userID int64) error {
	err := a.svc.RevokeSessions(ctx, userID)
	a.Forget(userID)
	return err
}

// ChangePassword changes the actor's own password, given the current one,
// under the login limits (a wrong current password counts as a failed
// login from addr; over a limit, wait says how long to wait). presented is
// the token the request came with: it stays valid, while every other
// session and API token of the actor is revoked.
func (a *Auth) ChangePassword(ctx context.Context, actor workflow.Actor, presented, addr, current, next string) (wait time.Duration, err error) {
	var keep workflow.Keep
	if strings.HasPrefix(presented, apiTokenPrefix) {
		t, found, err := a.svc.APITokenByHash(ctx, hashAPIToken(presented))
		if err != nil {
			return 0, err
		}
		if found {
			keep.APIToken = t.ID
		}
	} else if vt, err := a.verifyAccessToken(presented); err == nil {
		keep.Session = vt.jti
	}
	wait, slow := a.logins.wait(actor.Username, addr)
	if wait > 0 {
		return wait, nil
	}
	if slow > 0 {
		t := time.NewTimer(slow)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return 0, ctx.Err()
		}
	}
	err = a.svc.ChangePassword(ctx, actor, current, next, keep)
	if err == workflow.ErrWrongPassword {
		a.logins.failed(actor.Username, addr)
	}
	a.Forget(actor.UserID)
	return 0, err
}

// CSRFToken is the token a browser's forms carry: an HMAC of its random
// seed under the signing key, so that no other site can make one.
func (a *Auth) CSRFToken(seed string) string {
	mac := hmac.New(sha256.New, a.key)
	mac.Write([]byte("dondoc-csrf|" + seed))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
