package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/workflow"
)

const (
	tokenIssuer    = "dondoc"
	tokenAudience  = "dondoc-api"
	apiTokenPrefix = "ddt_"
	// userCacheTTL bounds how long a disabled user's or a revoked token's
	// requests may still pass on one replica: verification reads the
	// database at most once per user per TTL, not on every request.
	userCacheTTL = 15 * time.Second
)

// Auth issues and verifies bearer tokens.
type Auth struct {
	svc   *workflow.Service
	key   []byte
	ttl   time.Duration
	clock workflow.Clock

	mu    sync.Mutex
	users map[int64]cachedUser
	keys  map[string]cachedAPIToken // by hash

	tmu    sync.Mutex
	tokens map[[sha256.Size]byte]verifiedToken // access tokens verified, by the token's hash
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
}

type cachedAPIToken struct {
	token models.APIToken
	at    time.Time
}

// NewAuth loads (or on the first start creates) the signing key that every
// replica shares, stored in the database.
func NewAuth(ctx context.Context, svc *workflow.Service, ttl time.Duration) (*Auth, error) {
	key, err := signingKey(ctx, svc.DB())
	if err != nil {
		return nil, err
	}
	return &Auth{svc: svc, key: key, ttl: ttl, clock: svc.Clock(), users: map[int64]cachedUser{}, keys: map[string]cachedAPIToken{},
		tokens: map[[sha256.Size]byte]verifiedToken{}}, nil
}

func signingKey(ctx context.Context, db *storage.DB) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	err := db.W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&models.Setting{Key: "token_signing_key", Value: hex.EncodeToString(fresh)}).Error
	if err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	var s models.Setting
	if err := db.W.WithContext(ctx).First(&s, "key = ?", "token_signing_key").Error; err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	return hex.DecodeString(s.Value)
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

var errBadToken = errors.New("the bearer token is missing, malformed, expired or revoked")

// Verify resolves a bearer token to its actor.
func (a *Auth) Verify(ctx context.Context, token string) (workflow.Actor, error) {
	if strings.HasPrefix(token, apiTokenPrefix) {
		return a.verifyAPIToken(ctx, token)
	}
	vt, err := a.verifyAccessToken(token)
	if err != nil {
		return workflow.Actor{}, err
	}
	u, err := a.user(ctx, vt.userID)
	if err != nil {
		return workflow.Actor{}, err
	}
	if u.Disabled || u.TokenVersion != vt.ver {
		return workflow.Actor{}, errBadToken
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
			return verifiedToken{}, errBadToken
		}
		return vt, nil
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return a.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(tokenIssuer), jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithLeeway(tokenLeeway))
	if err != nil {
		return verifiedToken{}, errBadToken
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil {
		return verifiedToken{}, errBadToken
	}
	// The parser accepted now; these bounds are the ones it applied.
	vt = verifiedToken{userID: id, ver: c.Ver, expires: c.ExpiresAt.Add(tokenLeeway)}
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
func (a *Auth) user(ctx context.Context, id int64) (models.User, error) {
	now := a.clock.Now()
	a.mu.Lock()
	cu, ok := a.users[id]
	a.mu.Unlock()
	if ok && now.Sub(cu.at) < userCacheTTL {
		return cu.user, nil
	}
	u, err := a.svc.User(ctx, id)
	if errors.Is(err, workflow.ErrNotFound) {
		return u, errBadToken
	}
	if err != nil {
		return u, err
	}
	a.mu.Lock()
	a.users[id] = cachedUser{user: u, at: now}
	a.mu.Unlock()
	return u, nil
}

// Forget drops a user from the cache, after a change on this replica.
func (a *Auth) Forget(userID int64) {
	a.mu.Lock()
	delete(a.users, userID)
	a.mu.Unlock()
}

func hashAPIToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (a *Auth) verifyAPIToken(ctx context.Context, token string) (workflow.Actor, error) {
	if len(token) > 200 {
		return workflow.Actor{}, errBadToken
	}
	hash := hashAPIToken(token)
	now := a.clock.Now()
	a.mu.Lock()
	ct, ok := a.keys[hash]
	a.mu.Unlock()
	if !ok || now.Sub(ct.at) >= userCacheTTL {
		var rows []models.APIToken
		if err := a.svc.DB().R.WithContext(ctx).Where("hash = ?", hash).Limit(1).Find(&rows).Error; err != nil {
			return workflow.Actor{}, err
		}
		if len(rows) == 0 {
			return workflow.Actor{}, errBadToken
		}
		ct = cachedAPIToken{token: rows[0], at: now}
		a.mu.Lock()
		a.keys[hash] = ct
		a.mu.Unlock()
	}
	t := ct.token
	if t.RevokedAt != nil || (t.ExpiresAt != nil && now.After(*t.ExpiresAt)) {
		return workflow.Actor{}, errBadToken
	}
	u, err := a.user(ctx, t.UserID)
	if err != nil {
		return workflow.Actor{}, err
	}
	if u.Disabled {
		return workflow.Actor{}, errBadToken
	}
	return workflow.ActorOf(u), nil
}

// CreateAPIToken makes a long-lived token for the actor, returned once; only
// its hash is stored.
func (a *Auth) CreateAPIToken(ctx context.Context, actor workflow.Actor, name string, expires *time.Time) (string, models.APIToken, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", models.APIToken{}, err
	}
	token := apiTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	row := models.APIToken{UserID: actor.UserID, Name: name, Prefix: token[:len(apiTokenPrefix)+6], Hash: hashAPIToken(token),
		CreatedAt: a.clock.Now(), ExpiresAt: expires}
	err := a.svc.DB().W.WithContext(ctx).Create(&row).Error
	return token, row, err
}

// RevokeAPIToken revokes one of the actor's tokens (any token, for admins).
func (a *Auth) RevokeAPIToken(ctx context.Context, actor workflow.Actor, id int64) error {
	q := a.svc.DB().W.WithContext(ctx).Model(&models.APIToken{}).Where("id = ? AND revoked_at IS NULL", id)
	if actor.Role != workflow.RoleAdmin {
		q = q.Where("user_id = ?", actor.UserID)
	}
	res := q.Update("revoked_at", a.clock.Now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return workflow.NotFound("API token")
	}
	a.mu.Lock()
	clear(a.keys)
	a.mu.Unlock()
	return nil
}

// RevokeSessions invalidates every access token the user holds.
func (a *Auth) RevokeSessions(ctx context.Context, userID int64) error {
	err := a.svc.DB().W.WithContext(ctx).Model(&models.User{}).Where("id = ?", userID).
		Update("token_version", gorm.Expr("token_version + 1")).Error
	a.Forget(userID)
	return err
}

type actorKey struct{}

// withActor puts the signed-in actor in the request's context, where huma
// handlers find it (values set with echo's c.Set are invisible to them).
func withActor(ctx context.Context, a workflow.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// actorFrom returns the signed-in actor; the auth middleware guarantees one
// on every route that is not public.
func actorFrom(ctx context.Context) workflow.Actor {
	a, _ := ctx.Value(actorKey{}).(workflow.Actor)
	return a
}

// middleware requires a valid bearer token on every route but the public ones.
func (a *Auth) middleware(public func(path string) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if public(c.Path()) {
				return next(c)
			}
			h := c.Request().Header.Get("Authorization")
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="dondoc"`)
				return writeProblem(c, newProblem(http.StatusUnauthorized, "unauthenticated", "send Authorization: Bearer <token>; get a token from POST /api/v1/auth/login"))
			}
			actor, err := a.Verify(c.Request().Context(), strings.TrimSpace(token))
			if err != nil {
				if errors.Is(err, errBadToken) {
					c.Response().Header().Set("WWW-Authenticate", `Bearer realm="dondoc", error="invalid_token"`)
					return writeProblem(c, newProblem(http.StatusUnauthorized, "invalid_token", err.Error()))
				}
				return err
			}
			c.Set("actor", actor.Username)
			c.SetRequest(c.Request().WithContext(withActor(c.Request().Context(), actor)))
			return next(c)
		}
	}
}
