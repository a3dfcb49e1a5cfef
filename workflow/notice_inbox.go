package workflow

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// The notifications are the outbox's (package notify); what is decided
// here is who may read or change which.

// MyNotifications lists the actor's in-app notifications, newest first.
func (s *Service) MyNotifications(ctx context.Context, actor Actor, unreadOnly bool, p Page) ([]models.Notification, string, error) {
	return s.notificationPage(ctx, notify.Filter{UserID: actor.UserID, Channel: notify.ChannelInApp, UnreadOnly: unreadOnly}, p)
}

// Notifications lists the outbox for admins: by status (dead letters with
// status=dead) and channel, newest first.
func (s *Service) Notifications(ctx context.Context, actor Actor, status, channel string, p Page) ([]models.Notification, string, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return nil, "", err
	}
	return s.notificationPage(ctx, notify.Filter{Status: status, Channel: channel}, p)
}

// notificationPage reads one page of the notifications f selects, newest
// first, and the cursor of the next.
func (s *Service) notificationPage(ctx context.Context, f notify.Filter, p Page) ([]models.Notification, string, error) {
	return keysetPage(p, func(after *cursor, limit int) ([]models.Notification, error) {
		var before int64
		if after != nil {
			before = after.ID
		}
		return s.outbox.List(ctx, f, before, limit)
	}, func(n models.Notification) cursor { return cursor{ID: n.ID} })
}

// MarkNotificationRead marks one of the actor's notifications as read.
func (s *Service) MarkNotificationRead(ctx context.Context, actor Actor, id int64) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		err := s.outbox.MarkRead(tx, actor.UserID, id, s.clock.Now())
		if errors.Is(err, notify.ErrNotFound) {
			return NotFound("notification")
		}
		return err
	})
}

// RetryNotification puts a dead delivery back in the queue with a fresh
// count of attempts (admins).
func (s *Service) RetryNotification(ctx context.Context, actor Actor, id int64) (models.Notification, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return models.Notification{}, err
	}
	var n models.Notification
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = s.outbox.Retry(tx, id, s.clock.Now())
		switch {
		case errors.Is(err, notify.ErrNotFound):
			return NotFound("notification")
		case errors.Is(err, notify.ErrNotDead):
			return E(KindConflict, "not_dead", "only a dead delivery can be retried; this one is %s", n.Status)
		}
		return err
	})
	if err == nil {
		s.outbox.Wake()
	}
	return n, err
}
