package workflow

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/models"
)

// The persistence behind sign-in (package auth issues and checks the
// tokens): the key that signs access tokens, the API tokens, and the
// version that revokes a user's access tokens.

const signingKeySetting = "token_signing_key"

// SigningKey returns the key that signs access tokens, shared by every
// replica; the first call on a new database stores fresh, which becomes
// the key unless another replica stored its own first.
func (s *Service) SigningKey(ctx context.Context, fresh []byte) ([]byte, error) {
	var row models.Setting
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&models.Setting{Key: signingKeySetting, Value: hex.EncodeToString(fresh)}).Error
		if err != nil {
			return err
		}
		return tx.First(&row, "key = ?", signingKeySetting).Error
	})
	if err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	return hex.DecodeString(row.Value)
}

// APITokenByHash returns the API token whose SHA-256 is hash; found is
// false when there is none.
func (s *Service) APITokenByHash(ctx context.Context, hash string) (t models.APIToken, found bool, err error) {
	var rows []models.APIToken
	if err := s.reader(ctx).Where("hash = ?", hash).Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return t, false, err
	}
	return rows[0], true, nil
}

// AddAPIToken records an API token of the actor's: t carries its name,
// prefix, hash and expiry; never the token itself.
func (s *Service) AddAPIToken(ctx context.Context, actor Actor, t models.APIToken) (models.APIToken, error) {
	t.UserID, t.CreatedAt = actor.UserID, s.clock.Now()
	err := s.inTx(ctx, func(tx *gorm.DB) error { return tx.Create(&t).Error })
	return t, err
}

// RevokeAPIToken revokes one of the actor's API tokens (any, for admins).
func (s *Service) RevokeAPIToken(ctx context.Context, actor Actor, id int64) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&models.APIToken{}).Where("id = ? AND revoked_at IS NULL", id)
		if actor.Role != RoleAdmin {
			q = q.Where("user_id = ?", actor.UserID)
		}
		res := q.Update("revoked_at", s.clock.Now())
		if res.Error == nil && res.RowsAffected == 0 {
			return NotFound("API token")
		}
		if res.Error != nil {
			return res.Error
		}
		return bumpAuthEpoch(tx)
	})
}

// bumpAuthEpoch moves the revocation epoch on, in the revoking
// transaction: every replica drops what it cached of users and tokens when
// it next reads the epoch (package auth, at most a second later).
func bumpAuthEpoch(tx *gorm.DB) error {
	return tx.Exec("UPDATE auth_epoch SET epoch = epoch + 1 WHERE id = 1").Error
}

// AuthEpoch returns the revocation epoch: it has moved on since a caller
// last read it when anything was revoked in between.
func (s *Service) AuthEpoch(ctx context.Context) (int64, error) {
	var e int64
	err := s.reader(ctx).Raw("SELECT epoch FROM auth_epoch WHERE id = 1").Scan(&e).Error
	return e, err
}

// revokeAPITokens revokes, in the caller's transaction, every API token of
// the user that is still valid but keep (0: none kept). A revoked token
// stays revoked: enabling the user again brings none back.
func (s *Service) revokeAPITokens(tx *gorm.DB, userID, keep int64) error {
	return tx.Model(&models.APIToken{}).Where("user_id = ? AND revoked_at IS NULL AND id <> ?", userID, keep).
		Update("revoked_at", s.clock.Now()).Error
}

// APITokens lists the actor's API tokens that are not revoked (expired
// ones included, with their expiry), in id order. Only the prefix of each
// is known: the token itself is never stored.
func (s *Service) APITokens(ctx context.Context, actor Actor, p Page) ([]models.APIToken, string, error) {
	return keysetPage(p, func(after *cursor, limit int) ([]models.APIToken, error) {
		q := s.reader(ctx).Where("user_id = ? AND revoked_at IS NULL", actor.UserID)
		if after != nil {
			q = q.Where("id > ?", after.ID)
		}
		var ts []models.APIToken
		err := q.Order("id").Limit(limit).Find(&ts).Error
		return ts, err
	}, func(t models.APIToken) cursor { return cursor{ID: t.ID} })
}

// TouchAPIToken records that an API token was used at; callers do it at
// most about once a minute per token, so that a busy integration does not
// turn every read into a write.
func (s *Service) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&models.APIToken{}).Where("id = ?", id).Update("last_used_at", at).Error
	})
}

// RevokeSessions invalidates every access token the user holds: their
// token version moves on.
func (s *Service) RevokeSessions(ctx context.Context, userID int64) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&models.User{}).Where("id = ?", userID).
			Updates(map[string]any{"token_version": gorm.Expr("token_version + 1"), "kept_session": ""}).Error
		if err != nil {
			return err
		}
		return bumpAuthEpoch(tx)
	})
}
