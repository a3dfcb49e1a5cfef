package notify

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// Claim takes up to limit due deliveries under a lease until lease, in a
// transaction of its own so that the lease is visible to other replicas
// while this one delivers. On PostgreSQL rows another replica is claiming
// are skipped (FOR UPDATE SKIP LOCKED); a claim whose lease ran out (its
// replica died) is due again.
func (o *Outbox) Claim(ctx context.Context, now, lease time.Time, limit int, replica string) ([]models.Notification, error) {
	var batch []models.Notification
	err := o.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", StatusPending, now, now).
			Order("next_attempt_at, id").Limit(limit).
			Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).Find(&batch).Error
		if err != nil || len(batch) == 0 {
			return err
		}
		ids := make([]int64, len(batch))
		for i, n := range batch {
			ids[i] = n.ID
		}
		return tx.Model(&models.Notification{}).Where("id IN ?", ids).
			Updates(map[string]any{"claimed_until": lease, "claimed_by": replica}).Error
	})
	return batch, err
}

// MarkSent records a delivery that went out, guarded by the lease it was
// claimed under: if the lease ran out and another replica took the
// delivery over, this one's outcome is not written over it.
func (o *Outbox) MarkSent(ctx context.Context, n models.Notification, lease, now time.Time) error {
	return o.settle(ctx, n, lease, map[string]any{"status": StatusSent, "sent_at": now, "last_error": ""})
}

// MarkFailed records a failed attempt, guarded by the lease as MarkSent
// is: the delivery is tried again at retryAt, or, when retryAt is zero (no
// attempt is left), it is dead.
func (o *Outbox) MarkFailed(ctx context.Context, n models.Notification, lease time.Time, failure error, retryAt time.Time) error {
	upd := map[string]any{"last_error": truncateErr(failure)}
	if retryAt.IsZero() {
		upd["status"] = StatusDead
	} else {
		upd["next_attempt_at"] = retryAt
	}
	return o.settle(ctx, n, lease, upd)
}

func (o *Outbox) settle(ctx context.Context, n models.Notification, lease time.Time, upd map[string]any) error {
	upd["attempts"], upd["claimed_until"] = n.Attempts+1, nil
	return o.db.W.WithContext(ctx).Model(&models.Notification{}).
		Where("id = ? AND status = ? AND claimed_until = ?", n.ID, StatusPending, lease).Updates(upd).Error
}

func truncateErr(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

// Webhook returns the webhook a delivery is addressed to (its recipient is
// the webhook's id).
func (o *Outbox) Webhook(ctx context.Context, recipient string) (models.Webhook, error) {
	var hook models.Webhook
	if err := o.db.R.WithContext(ctx).Where("id = ?", recipient).Take(&hook).Error; err != nil {
		return hook, fmt.Errorf("webhook %s: %w", recipient, err)
	}
	return hook, nil
}

// Count is how many deliveries of a channel are in a status.
type Count struct {
	Channel, Status string
	N               int64
}

// Counts counts the outbox by channel and status, for metrics.
func (o *Outbox) Counts(ctx context.Context) ([]Count, error) {
	rows, err := o.db.Query(ctx, o.db.R, "SELECT channel, status, COUNT(*) FROM notifications GROUP BY channel, status")
	if err != nil {
		return nil, err
	}
	var out []Count
	err = storage.EachRow(rows, func() error {
		var c Count
		if err := rows.Scan(&c.Channel, &c.Status, &c.N); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// OldestPending is when the longest-waiting delivery of a channel was
// queued; found is false when none waits.
func (o *Outbox) OldestPending(ctx context.Context, channel string) (queued time.Time, found bool, err error) {
	var oldest []models.Notification
	err = o.db.R.WithContext(ctx).Select("created_at").Where("status = ? AND channel = ?", StatusPending, channel).
		Order("next_attempt_at, id").Limit(1).Find(&oldest).Error
	if err != nil || len(oldest) == 0 {
		return time.Time{}, false, err
	}
	return oldest[0].CreatedAt, true, nil
}

// ClaimRecipient takes, under the lease of a batch already claimed, the
// other due deliveries of one recipient on one channel: the rest of an
// e-mail digest that the batch's limit left out.
func (o *Outbox) ClaimRecipient(ctx context.Context, channel, recipient string, now, lease time.Time, replica string) ([]models.Notification, error) {
	var more []models.Notification
	err := o.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("status = ? AND channel = ? AND recipient = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)",
			StatusPending, channel, recipient, now, now).Order("id").Limit(500).
			Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).Find(&more).Error
		if err != nil || len(more) == 0 {
			return err
		}
		ids := make([]int64, len(more))
		for i, n := range more {
			ids[i] = n.ID
		}
		return tx.Model(&models.Notification{}).Where("id IN ?", ids).
			Updates(map[string]any{"claimed_until": lease, "claimed_by": replica}).Error
	})
	return more, err
}
