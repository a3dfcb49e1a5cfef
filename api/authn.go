package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/auth"
	"github.com/dondoc/dondoc/workflow"
)

// The HTTP side of signing in: the bearer token on every request, the
// actor in the request's context, the client's address for the login
// limits, and the 429 answer. Tokens themselves are package auth's.

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

// bearer requires a valid bearer token on every route but the public ones.
func bearer(a *auth.Auth, public func(path string) bool) echo.MiddlewareFunc {
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
				if errors.Is(err, auth.ErrBadToken) {
					c.Response().Header().Set("WWW-Authenticate", `Bearer realm="dondoc", error="invalid_token"`)
					return writeProblem(c, newProblem(http.StatusUnauthorized, "invalid_token", err.Error()))
				}
				return err
			}
			c.Set("actor", actor.Username)
			ctx := context.WithValue(withActor(c.Request().Context(), actor), presentedKey{}, strings.TrimSpace(token))
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// presentedKey holds the bearer token a request came with, for the one
// route that must know which credential to keep (POST /me/password).
type presentedKey struct{}

func presentedFrom(ctx context.Context) string {
	t, _ := ctx.Value(presentedKey{}).(string)
	return t
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

// retryAfter is a wait in whole seconds, rounded up, for Retry-After.
func retryAfter(wait time.Duration) int { return int(math.Ceil(wait.Seconds())) }

// tooManyLogins is the 429 answer, with Retry-After in whole seconds.
func tooManyLogins(wait time.Duration) error {
	secs := retryAfter(wait)
	p := newProblem(http.StatusTooManyRequests, "rate_limited", "too many failed logins; try again in "+strconv.Itoa(secs)+" s")
	return huma.ErrorWithHeaders(p, http.Header{"Retry-After": {strconv.Itoa(secs)}})
}
