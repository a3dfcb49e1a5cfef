package notify

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/models"
)

// Errors of the queries on notifications; the rules above say what they
// mean to a user.
var (
	ErrNotFound = errors.New("no such notification")
	ErrNotDead  = errors.New("the delivery is not dead")
)

// Filter selects notifications.
type Filter struct {
	UserID     int64 // only this user's; 0: anyone's
	Channel    string
	Status     string
	UnreadOnly bool
}

// List reads the notifications f selects, newest first: at most limit of
// them, all older than beforeID when it is not 0 (the keyset of a page).
func (o *Outbox) List(ctx context.Context, f Filter, beforeID int64, limit int) ([]models.Notification, error) {
	q := o.db.R.WithContext(ctx).Model(&models.Notification{})
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.UnreadOnly {
		q = q.Where("read_at IS NULL")
	}
	if beforeID != 0 {
		q = q.Where("id < ?", beforeID)
	}
	var ns []models.Notification
	err := q.Order("id DESC").Limit(limit).Find(&ns).Error
	return ns, err
}

// MarkRead marks one of a user's in-app notifications as read, in tx; one
// already read stays as it was. ErrNotFound: the user has no such
// notification.
func (o *Outbox) MarkRead(tx *gorm.DB, userID, id int64, now time.Time) error {
	mine := func() *gorm.DB {
		return tx.Model(&models.Notification{}).Where("id = ? AND user_id = ? AND channel = ?", id, userID, ChannelInApp)
	}
	res := mine().Where("read_at IS NULL").Update("read_at", now)
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error
	}
	var n int64
	if err := mine().Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil // already read
}

// Retry puts a dead delivery back in the queue, in tx, with a fresh count
// of attempts, and returns it as it now is. ErrNotDead comes with the
// delivery as it was.
func (o *Outbox) Retry(tx *gorm.DB, id int64, now time.Time) (models.Notification, error) {
	var n models.Notification
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&n, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return n, ErrNotFound
		}
		return n, err
	}
	if n.Status != StatusDead {
		return n, ErrNotDead
	}
	n.Status, n.Attempts, n.NextAttemptAt, n.ClaimedUntil = StatusPending, 0, now, nil
	err := tx.Model(&models.Notification{}).Where("id = ?", id).
		Updates(map[string]any{"status": n.Status, "attempts": 0, "next_attempt_at": now, "claimed_until": nil}).Error
	return n, err
}
