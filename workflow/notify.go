package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// Notification channels and statuses.
const (
	ChannelInApp   = "inapp"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"

	NotificationPending = "pending"
	NotificationSent    = "sent"
	NotificationDead    = "dead"
)

// Notice kinds, which are also the webhook event types ("task." + kind).
const (
	NoticeAssign     = "assign"
	NoticeUrge       = "urge"
	NoticeReminder   = "reminder"
	NoticeEscalation = "escalation"
)

// EventTypes are the webhook event types a subscription may name.
var EventTypes = []string{"task." + NoticeAssign, "task." + NoticeUrge, "task." + NoticeReminder, "task." + NoticeEscalation}

// Notice is one message, before it is addressed.
type Notice struct {
	Kind   string
	TaskID int64 // 0 for a digest
	Title  string
	Body   string
	// Key makes the notice's outbox rows unique (with the channel and the
	// recipient): the event or reminder that caused it, so that nothing
	// queues the same message twice.
	Key string
	// Data is what webhooks receive as the event's data.
	Data map[string]any
}

// notifyAgency queues notice for an agency, in the caller's transaction: in
// the app for each of its active users (the row is the delivery), by e-mail
// to those with an address, and to the webhooks that follow the agency.
func (s *Service) notifyAgency(tx *gorm.DB, agencyCode string, n Notice, now time.Time) error {
	q := s.queue(tx, now)
	if err := q.agency(agencyCode, n); err != nil {
		return err
	}
	return q.flush()
}

// notifyUsers queues notice in the app and by e-mail for each user.
func (s *Service) notifyUsers(tx *gorm.DB, users []models.User, n Notice, now time.Time) error {
	q := s.queue(tx, now)
	q.users(users, n)
	return q.flush()
}

// notifyWebhooks queues notice for the webhooks only.
func (s *Service) notifyWebhooks(tx *gorm.DB, agencyCode string, n Notice, now time.Time) error {
	q := s.queue(tx, now)
	if err := q.webhooks(agencyCode, n); err != nil {
		return err
	}
	return q.flush()
}

// outboxQueue addresses notices and collects their outbox rows, written
// together by flush: the reminder scan addresses hundreds of notices per
// transaction, and looking the recipients up once per agency and writing
// the rows in multi-row INSERTs is what keeps it fast.
type outboxQueue struct {
	s        *Service
	tx       *gorm.DB
	now      time.Time
	byAgency map[string][]models.User
	hooks    []models.Webhook
	loaded   bool // hooks
	rows     []models.Notification
}

func (s *Service) queue(tx *gorm.DB, now time.Time) *outboxQueue {
	return &outboxQueue{s: s, tx: tx, now: now, byAgency: map[string][]models.User{}}
}

// agency addresses n to an agency's active users and its webhooks.
func (q *outboxQueue) agency(code string, n Notice) error {
	users, ok := q.byAgency[code]
	if !ok {
		if err := q.tx.Where("agency_code = ? AND NOT disabled", code).Order("id").Find(&users).Error; err != nil {
			return err
		}
		q.byAgency[code] = users
	}
	q.users(users, n)
	return q.webhooks(code, n)
}

// users addresses n in the app and by e-mail to each user.
func (q *outboxQueue) users(users []models.User, n Notice) {
	for _, u := range users {
		uid := u.ID
		q.rows = append(q.rows, q.s.outboxRow(n, ChannelInApp, &uid, u.Username, q.now))
		if q.s.email && u.Email != "" {
			q.rows = append(q.rows, q.s.outboxRow(n, ChannelEmail, &uid, u.Email, q.now))
		}
	}
}

// webhooks addresses n to the active webhooks that take its event type and,
// if they follow one agency, that agency (any agency when agencyCode is "":
// a digest concerns them all).
func (q *outboxQueue) webhooks(agencyCode string, n Notice) error {
	if !q.loaded {
		if err := q.tx.Where("active").Find(&q.hooks).Error; err != nil {
			return err
		}
		q.loaded = true
	}
	event := "task." + n.Kind
	for _, h := range q.hooks {
		var events []string
		_ = json.Unmarshal([]byte(h.Events), &events)
		if len(events) > 0 && !slices.Contains(events, event) {
			continue
		}
		if h.AgencyCode != nil && *h.AgencyCode != agencyCode && agencyCode != "" {
			continue
		}
		q.rows = append(q.rows, q.s.outboxRow(n, ChannelWebhook, nil, fmt.Sprint(h.ID), q.now))
	}
	return nil
}

// flush writes the rows collected so far.
func (q *outboxQueue) flush() error {
	err := q.s.insertOutbox(q.tx, q.rows)
	q.rows = q.rows[:0]
	return err
}

func (s *Service) outboxRow(n Notice, channel string, userID *int64, recipient string, now time.Time) models.Notification {
	var taskID *int64
	if n.TaskID != 0 {
		taskID = &n.TaskID
	}
	payload := ""
	if channel == ChannelWebhook {
		b, _ := json.Marshal(map[string]any{"type": "task." + n.Kind, "data": n.Data})
		payload = string(b)
	}
	row := models.Notification{
		Channel: channel, Kind: n.Kind, UserID: userID, Recipient: recipient, TaskID: taskID,
		Title: n.Title, Body: n.Body, Payload: payload,
		DedupKey: fmt.Sprintf("%s:%s:%s:%s", n.Kind, n.Key, channel, recipient),
		Status:   NotificationPending, NextAttemptAt: now, CreatedAt: now,
	}
	if channel == ChannelInApp {
		row.Status, row.SentAt = NotificationSent, &now
	}
	return row
}

// insertOutbox writes outbox rows with multi-row INSERTs (13 values a
// row, 500 rows a statement: below SQLite's limit on bound variables).
// gorm's CreateInBatches reflected over every field of every row: a third
// of the reminder scan's time.
func (s *Service) insertOutbox(tx *gorm.DB, rows []models.Notification) error {
	const cols = 13
	for chunk := range slices.Chunk(rows, 500) {
		args := make([]any, 0, cols*len(chunk))
		for _, n := range chunk {
			args = append(args, n.Channel, n.Kind, n.UserID, n.Recipient, n.TaskID, n.Title, n.Body, n.Payload, n.DedupKey,
				n.Status, n.NextAttemptAt, n.CreatedAt, n.SentAt)
		}
		q := `INSERT INTO notifications (channel, kind, user_id, recipient, task_id, title, body, payload, dedup_key,
			status, next_attempt_at, created_at, sent_at) VALUES ` + storage.RowValues(len(chunk), cols)
		if _, err := s.db.Exec(tx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// wake tells the dispatcher that deliveries were queued.
func (s *Service) wake() {
	select {
	case s.Wake <- struct{}{}:
	default:
	}
}

// MyNotifications lists the actor's in-app notifications, newest first.
func (s *Service) MyNotifications(ctx context.Context, actor Actor, unreadOnly bool, p Page) ([]models.Notification, string, error) {
	q := s.reader(ctx).Where("user_id = ? AND channel = ?", actor.UserID, ChannelInApp)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	return notificationPage(q, p)
}

// notificationPage reads one page of the notifications q selects, newest
// first, and the cursor of the next.
func notificationPage(q *gorm.DB, p Page) ([]models.Notification, string, error) {
	cur, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	if cur != nil {
		q = q.Where("id < ?", cur.ID)
	}
	limit := p.limit()
	var ns []models.Notification
	if err := q.Order("id DESC").Limit(limit + 1).Find(&ns).Error; err != nil {
		return nil, "", err
	}
	ns, next := trimPage(ns, limit, func(n models.Notification) cursor { return cursor{ID: n.ID} })
	return ns, next, nil
}

// MarkNotificationRead marks one of the actor's notifications as read.
func (s *Service) MarkNotificationRead(ctx context.Context, actor Actor, id int64) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.Notification{}).Where("id = ? AND user_id = ? AND channel = ?", id, actor.UserID, ChannelInApp).
			Where("read_at IS NULL").Update("read_at", s.clock.Now())
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
		var n int64
		if err := tx.Model(&models.Notification{}).Where("id = ? AND user_id = ? AND channel = ?", id, actor.UserID, ChannelInApp).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return NotFound("notification")
		}
		return nil // already read
	})
}
