package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/workflow"
)

type userInput struct {
	Body struct {
		Username    string `json:"username" minLength:"2" maxLength:"64" pattern:"^[A-Za-z0-9][A-Za-z0-9._-]*$"`
		Password    string `json:"password" minLength:"10" maxLength:"256"`
		Role        string `json:"role" enum:"admin,secretariat,agency,leader"`
		AgencyCode  string `json:"agency_code,omitempty" maxLength:"40" doc:"Only, and required, for role agency"`
		DisplayName string `json:"display_name,omitempty" maxLength:"200"`
		Email       string `json:"email,omitempty" maxLength:"254" format:"email"`
	}
}

type userChangeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Password    *string `json:"password,omitempty" minLength:"10" maxLength:"256"`
		Disabled    *bool   `json:"disabled,omitempty"`
		DisplayName *string `json:"display_name,omitempty" maxLength:"200"`
		Email       *string `json:"email,omitempty" maxLength:"254"`
	}
}

type usersInput struct {
	Role   string `query:"role" enum:"admin,secretariat,agency,leader"`
	Agency string `query:"agency" maxLength:"40"`
	PageParams
}

func (s *Server) registerUsers() {
	huma.Register(s.api, s.only(s.op("create-user", http.MethodPost, "/users", "Create a user", "Users", http.StatusCreated), workflow.RoleAdmin),
		func(ctx context.Context, in *userInput) (*struct{ Body User }, error) {
			b := in.Body
			u, err := s.svc.CreateUser(ctx, actorFrom(ctx), workflow.NewUser{Username: b.Username, Password: b.Password,
				Role: workflow.Role(b.Role), AgencyCode: b.AgencyCode, DisplayName: b.DisplayName, Email: b.Email})
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &struct{ Body User }{Body: userOut(u)}, nil
		})
	huma.Register(s.api, s.op("list-users", http.MethodGet, "/users", "List users", "Users"),
		func(ctx context.Context, in *usersInput) (*struct{ Body List[User] }, error) {
			us, next, err := s.svc.Users(ctx, actorFrom(ctx), workflow.Role(in.Role), in.Agency, in.page())
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			return listOut(us, next, userOut), nil
		})
	huma.Register(s.api, s.only(s.op("update-user", http.MethodPatch, "/users/{id}", "Change a user; a new password or disabling revokes their tokens", "Users"), workflow.RoleAdmin),
		func(ctx context.Context, in *userChangeInput) (*struct{ Body User }, error) {
			b := in.Body
			u, err := s.svc.UpdateUser(ctx, actorFrom(ctx), in.ID, workflow.UserChange{Password: b.Password, Disabled: b.Disabled, DisplayName: b.DisplayName, Email: b.Email})
			if err != nil {
				return nil, fail(s.log, err)
			}
			s.auth.Forget(u.ID)
			return &struct{ Body User }{Body: userOut(u)}, nil
		})
}
