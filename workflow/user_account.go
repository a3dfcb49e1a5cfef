package workflow

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// NewUser is what an admin fills in to create a user.
type NewUser struct {
	Username    string
	Password    string
	Role        Role
	AgencyCode  string
	DisplayName string
	Email       string
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// CreateUser adds a user. Only admins create users.
func (s *Service) CreateUser(ctx context.Context, actor Actor, in NewUser) (models.User, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return models.User{}, err
	}
	return s.createUser(ctx, in)
}

func (s *Service) createUser(ctx context.Context, in NewUser) (models.User, error) {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.Email = strings.TrimSpace(in.Email)
	var bad Invalid
	if !usernameRE.MatchString(in.Username) {
		bad.AddValue("username", in.Username, "must be 2-64 characters: lower-case letters, digits, '.', '_' or '-'")
	}
	if p := PasswordProblem(in.Username, in.Password); p != "" {
		bad.Add("password", "%s", p)
	}
	if !in.Role.Valid() {
		bad.AddValue("role", string(in.Role), "must be one of admin, secretariat, agency, leader")
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			bad.AddValue("email", in.Email, "is not an e-mail address")
		}
	}
	var agency *string
	switch {
	case in.Role == RoleAgency && in.AgencyCode == "":
		bad.Add("agency_code", "is required for role agency")
	case in.Role != RoleAgency && in.AgencyCode != "":
		bad.Add("agency_code", "is only for role agency")
	case in.Role == RoleAgency:
		var a models.Agency
		err := s.reader(ctx).Where("code = ?", in.AgencyCode).Limit(1).Find(&a).Error
		if err != nil {
			return models.User{}, err
		}
		switch {
		case a.Code == "":
			bad.AddValue("agency_code", in.AgencyCode, "is not an agency code")
		case !agencyActive(a, s.Today()):
			bad.AddValue("agency_code", in.AgencyCode, "names an agency that no longer exists (its successor is %s)", a.SuccessorCode)
		}
		agency = &in.AgencyCode
	}
	if err := bad.Err(); err != nil {
		return models.User{}, err
	}
	now := s.clock.Now()
	u := models.User{Username: in.Username, PasswordHash: HashPassword(in.Password), Role: string(in.Role),
		AgencyCode: agency, DisplayName: strings.TrimSpace(in.DisplayName), Email: in.Email, CreatedAt: now, UpdatedAt: now}
	err := s.inTx(ctx, func(tx *gorm.DB) error { return tx.Create(&u).Error })
	if storage.IsDuplicate(err) {
		return u, E(KindConflict, "username_taken", "the username %q is taken", in.Username)
	}
	return u, err
}

// EnsureAdmin creates the user "admin" on the very first start, when there
// are no users. It returns the password it set, or "" if users existed.
func (s *Service) EnsureAdmin(ctx context.Context, password string) (string, error) {
	var n int64
	if err := s.reader(ctx).Model(&models.User{}).Count(&n).Error; err != nil {
		return "", err
	}
	if n > 0 {
		return "", nil
	}
	if password == "" {
		password = RandomPassword()
	}
	_, err := s.createUser(ctx, NewUser{Username: "admin", Password: password, Role: RoleAdmin, DisplayName: "Quản trị hệ thống"})
	if errors.Is(err, ErrConflict) {
		return "", nil // another replica created it first
	}
	if err != nil {
		return "", fmt.Errorf("create the admin user: %w", err)
	}
	return password, nil
}

// Authenticate checks a username and password. Whatever is wrong (no such
// user, a disabled one, a wrong password) the answer and the time taken are
// the same.
func (s *Service) Authenticate(ctx context.Context, username, password string) (models.User, error) {
	var u models.User
	err := s.reader(ctx).Where("username = ?", strings.ToLower(strings.TrimSpace(username))).Limit(1).Find(&u).Error
	if err != nil {
		return u, err
	}
	hash := u.PasswordHash
	if u.ID == 0 {
		hash = *dummyHash.Load()
	}
	ok := CheckPassword(hash, password)
	if !ok || u.ID == 0 || u.Disabled {
		return models.User{}, E(KindUnauthenticated, "bad_credentials", "wrong username or password")
	}
	return u, nil
}

// User returns one user by id.
func (s *Service) User(ctx context.Context, id int64) (models.User, error) {
	var u models.User
	err := s.reader(ctx).First(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, NotFound("user")
	}
	return u, err
}

// ActorOf is the actor a user acts as.
func ActorOf(u models.User) Actor {
	a := Actor{UserID: u.ID, Username: u.Username, Role: Role(u.Role)}
	if u.AgencyCode != nil {
		a.AgencyCode = *u.AgencyCode
	}
	return a
}

// UserChange is what an admin may change of a user.
type UserChange struct {
	Password    *string
	Disabled    *bool
	DisplayName *string
	Email       *string
}

// UpdateUser changes a user. A new password or disabling the user revokes
// every token the user holds: the access tokens of their sessions and their
// API tokens, which stay revoked if the user is enabled again.
func (s *Service) UpdateUser(ctx context.Context, actor Actor, id int64, ch UserChange) (models.User, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return models.User{}, err
	}
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&u, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return NotFound("user")
			}
			return err
		}
		var bad Invalid
		updates := map[string]any{"updated_at": s.clock.Now()}
		revoke := false
		if ch.Password != nil {
			if p := PasswordProblem(u.Username, *ch.Password); p != "" {
				bad.Add("password", "%s", p)
			} else {
				updates["password_hash"] = HashPassword(*ch.Password)
				revoke = true
			}
		}
		if ch.Disabled != nil {
			if *ch.Disabled && u.ID == actor.UserID {
				bad.Add("disabled", "an admin cannot disable themself")
			}
			updates["disabled"] = *ch.Disabled
			revoke = revoke || *ch.Disabled
		}
		if ch.DisplayName != nil {
			updates["display_name"] = strings.TrimSpace(*ch.DisplayName)
		}
		if ch.Email != nil {
			e := strings.TrimSpace(*ch.Email)
			if a, err := mail.ParseAddress(e); e != "" && (err != nil || a.Address != e) {
				bad.AddValue("email", e, "is not an e-mail address")
			}
			updates["email"] = e
		}
		if err := bad.Err(); err != nil {
			return err
		}
		if revoke {
			updates["token_version"] = gorm.Expr("token_version + 1")
			updates["kept_session"] = ""
			if err := s.revokeAPITokens(tx, id, 0); err != nil {
				return err
			}
		}
		if err := tx.Model(&models.User{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return err
		}
		// Any change (enabling too) reaches the other replicas' caches.
		if err := bumpAuthEpoch(tx); err != nil {
			return err
		}
		return tx.First(&u, id).Error
	})
	return u, err
}

// Users lists users, for admins, in id order.
func (s *Service) Users(ctx context.Context, actor Actor, role Role, agency string, p Page) ([]models.User, string, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return nil, "", err
	}
	q := s.reader(ctx).Model(&models.User{})
	if role != "" {
		q = q.Where("role = ?", string(role))
	}
	if agency != "" {
		q = q.Where("agency_code = ?", agency)
	}
	return keysetPage(p, func(after *cursor, limit int) ([]models.User, error) {
		if after != nil {
			q = q.Where("id > ?", after.ID)
		}
		var us []models.User
		err := q.Order("id").Limit(limit).Find(&us).Error
		return us, err
	}, func(u models.User) cursor { return cursor{ID: u.ID} })
}
