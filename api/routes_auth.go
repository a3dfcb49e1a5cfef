package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/models"
)

type loginInput struct {
	Body struct {
		Username string `json:"username" minLength:"1" maxLength:"64"`
		Password string `json:"password" minLength:"1" maxLength:"256"`
	}
}

type tokenOutput struct {
	Body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type" enum:"Bearer"`
		ExpiresIn   int    `json:"expires_in" doc:"Seconds until the token expires"`
	}
}

type meOutput struct {
	Body struct {
		User
		Agency *Agency `json:"agency,omitempty"`
	}
}

type notificationsInput struct {
	Unread bool `query:"unread" doc:"Only notifications not yet read"`
	PageParams
}

type notificationIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type apiTokenInput struct {
	Body struct {
		Name      string     `json:"name" minLength:"1" maxLength:"100" doc:"What the token is for"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When it stops working; none: until revoked"`
	}
}

type apiTokenOutput struct {
	Body struct {
		ID        int64      `json:"id"`
		Name      string     `json:"name"`
		Prefix    string     `json:"prefix" doc:"The token's first characters, to recognise it"`
		Token     string     `json:"token,omitempty" doc:"The token itself: shown this once, never again"`
		CreatedAt time.Time  `json:"created_at"`
		ExpiresAt *time.Time `json:"expires_at"`
	}
}

type passwordInput struct {
	Body struct {
		CurrentPassword string `json:"current_password" minLength:"1" maxLength:"256"`
		NewPassword     string `json:"new_password" minLength:"1" maxLength:"256" doc:"At least 10 characters, not containing the username, and either 16 characters or three of: lower case, upper case, digits, symbols"`
	}
}

type idInput struct {
	ID int64 `path:"id" minimum:"1"`
}

func (s *Server) registerAuth() {
	huma.Register(s.api, public(s.op("login", http.MethodPost, "/auth/login", "Log in with a username and password", "Auth")),
		func(ctx context.Context, in *loginInput) (*tokenOutput, error) {
			u, wait, err := s.auth.Authenticate(ctx, in.Body.Username, in.Body.Password, addrFrom(ctx))
			if wait > 0 {
				return nil, tooManyLogins(wait)
			}
			if err != nil {
				return nil, fail(s.log, err)
			}
			tok, ttl, err := s.auth.Issue(u)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &tokenOutput{}
			out.Body.AccessToken, out.Body.TokenType, out.Body.ExpiresIn = tok, "Bearer", int(ttl.Seconds())
			return out, nil
		})

	logout := s.op("logout", http.MethodPost, "/auth/logout", "End every session of the caller", "Auth", http.StatusNoContent)
	logout.Description = "Every access token (session) of the caller stops working, on every device. API tokens are not sessions " +
		"and stay valid: revoke one with DELETE /me/tokens/{id}; a password change, an admin's password reset and disabling revoke them all."
	huma.Register(s.api, logout,
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			return nil, fail(s.log, s.auth.RevokeSessions(ctx, actorFrom(ctx).UserID))
		})

	huma.Register(s.api, s.op("me", http.MethodGet, "/me", "Who the caller is", "Me"),
		func(ctx context.Context, _ *struct{}) (*meOutput, error) {
			actor := actorFrom(ctx)
			u, err := s.svc.User(ctx, actor.UserID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &meOutput{}
			out.Body.User = userOut(u)
			if actor.AgencyCode != "" {
				a, err := s.svc.Agency(ctx, actor.AgencyCode)
				if err != nil {
					return nil, fail(s.log, err)
				}
				ao := agencyOut(a)
				out.Body.Agency = &ao
			}
			return out, nil
		})

	huma.Register(s.api, s.op("my-notifications", http.MethodGet, "/me/notifications", "The caller's in-app notifications, newest first", "Me"),
		func(ctx context.Context, in *notificationsInput) (*struct{ Body List[Notification] }, error) {
			ns, next, err := s.svc.MyNotifications(ctx, actorFrom(ctx), in.Unread, in.page())
			if err != nil {
				return nil, fail(s.log, err)
			}
			return listOut(ns, next, notificationOut), nil
		})

	huma.Register(s.api, s.op("read-notification", http.MethodPost, "/me/notifications/{id}/read", "Mark a notification as read", "Me", http.StatusNoContent),
		func(ctx context.Context, in *notificationIDInput) (*struct{}, error) {
			return nil, fail(s.log, s.svc.MarkNotificationRead(ctx, actorFrom(ctx), in.ID))
		})

	huma.Register(s.api, s.op("create-api-token", http.MethodPost, "/me/tokens", "Create a long-lived API token for an integration", "Me", http.StatusCreated),
		func(ctx context.Context, in *apiTokenInput) (*apiTokenOutput, error) {
			tok, row, err := s.auth.CreateAPIToken(ctx, actorFrom(ctx), in.Body.Name, in.Body.ExpiresAt)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := apiTokenOut(row)
			out.Body.Token = tok
			return out, nil
		})

	password := s.op("change-password", http.MethodPost, "/me/password", "Change your password", "Me", http.StatusNoContent)
	password.Description = "Give the current password and the new one, which must follow the password rule. Every other session " +
		"and every API token of yours is revoked; the token this request came with stays valid. A wrong current password " +
		"counts as a failed login (429 once over the login limits)."
	password.Errors = append(password.Errors, http.StatusTooManyRequests)
	huma.Register(s.api, password, func(ctx context.Context, in *passwordInput) (*struct{}, error) {
		wait, err := s.auth.ChangePassword(ctx, actorFrom(ctx), presentedFrom(ctx), addrFrom(ctx), in.Body.CurrentPassword, in.Body.NewPassword)
		if wait > 0 {
			return nil, tooManyLogins(wait)
		}
		return nil, fail(s.log, err)
	})

	huma.Register(s.api, s.op("list-api-tokens", http.MethodGet, "/me/tokens", "List your API tokens that are not revoked (never the tokens themselves)", "Me"),
		func(ctx context.Context, in *PageParams) (*struct{ Body List[APIToken] }, error) {
			ts, next, err := s.svc.APITokens(ctx, actorFrom(ctx), in.page())
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			return listOut(ts, next, apiTokenListOut), nil
		})

	huma.Register(s.api, s.op("revoke-api-token", http.MethodDelete, "/me/tokens/{id}", "Revoke an API token", "Me", http.StatusNoContent),
		func(ctx context.Context, in *idInput) (*struct{}, error) {
			return nil, fail(s.log, s.auth.RevokeAPIToken(ctx, actorFrom(ctx), in.ID))
		})
}

func apiTokenOut(t models.APIToken) *apiTokenOutput {
	out := &apiTokenOutput{}
	out.Body.ID, out.Body.Name, out.Body.Prefix, out.Body.CreatedAt, out.Body.ExpiresAt = t.ID, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt
	return out
}

// APIToken is an API token as listed: what recognises it, never the token.
type APIToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"The token's first characters, to recognise it"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at" nullable:"true" doc:"When it stops working; null: until revoked"`
	LastUsedAt *time.Time `json:"last_used_at" nullable:"true" doc:"When it was last used, to the minute; null: never"`
}

func apiTokenListOut(t models.APIToken) APIToken {
	return APIToken{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt}
}
