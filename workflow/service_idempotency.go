package workflow

import (
	"context"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// IdempotentRequest is a POST sent with an Idempotency-Key (docs/DESIGN.md
// §9). The key is recorded inside the transaction of each command
// the request runs, so that the change and the key commit together: a
// retry after a lost answer finds the key, never a second change.
type IdempotentRequest struct {
	UserID      int64
	Key         string
	Method      string
	Path        string
	RequestHash string // of the method, path and body: a key reused for another request is refused

	row      models.IdempotencyKey
	recorded bool
}

// Recorded reports whether a command recorded the key.
func (r *IdempotentRequest) Recorded() bool { return r.recorded }

type idempotencyKey struct{}

// WithIdempotency returns a context whose commands record r's key.
func WithIdempotency(ctx context.Context, r *IdempotentRequest) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, r)
}

// recordIdempotency records the context's key, if any, in tx: the last
// write of the request's first command (a request that runs several, as
// the reminder scan does, records it once). A key recorded already by
// another request (still at work, or one that died before its answer was
// stored) is a conflict.
func (s *Service) recordIdempotency(ctx context.Context, tx *gorm.DB) error {
	r, _ := ctx.Value(idempotencyKey{}).(*IdempotentRequest)
	if r == nil || r.recorded {
		return nil
	}
	row := models.IdempotencyKey{UserID: r.UserID, Key: r.Key, Method: r.Method, Path: r.Path, RequestHash: r.RequestHash, CreatedAt: s.clock.Now()}
	if err := tx.Create(&row).Error; err != nil {
		if storage.IsDuplicate(err) {
			return E(KindConflict, "idempotency_in_progress", "a request with this Idempotency-Key is being processed")
		}
		return err
	}
	r.row, r.recorded = row, true
	return nil
}

// IdempotentAnswer returns what was recorded of the user's request under
// key; found is false when nothing was.
func (s *Service) IdempotentAnswer(ctx context.Context, userID int64, key string) (k models.IdempotencyKey, found bool, err error) {
	var prior []models.IdempotencyKey
	if err := s.reader(ctx).Where("user_id = ? AND key = ?", userID, key).Limit(1).Find(&prior).Error; err != nil || len(prior) == 0 {
		return k, false, err
	}
	return prior[0], true, nil
}

// SaveIdempotentAnswer stores the answer to r, for its retries. A request
// that ran no command (a read-only computation) is remembered after the
// fact, unless another with its key got there first.
func (s *Service) SaveIdempotentAnswer(ctx context.Context, r *IdempotentRequest, status int, body []byte, headers string) error {
	if r.recorded {
		return s.db.W.WithContext(ctx).Model(&models.IdempotencyKey{}).Where("id = ?", r.row.ID).
			Updates(map[string]any{"status_code": status, "response_body": body, "response_headers": headers}).Error
	}
	row := models.IdempotencyKey{UserID: r.UserID, Key: r.Key, Method: r.Method, Path: r.Path, RequestHash: r.RequestHash,
		StatusCode: status, ResponseBody: body, ResponseHeaders: headers, CreatedAt: s.clock.Now()}
	err := s.db.W.WithContext(ctx).Create(&row).Error
	if storage.IsDuplicate(err) {
		return nil
	}
	return err
}
