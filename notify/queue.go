package notify

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// Outbox is the notifications table's one owner: it queues notices inside
// the transactions of the commands that cause them, answers the queries on
// them, and lets the dispatcher claim and settle their deliveries.
type Outbox struct {
	db    *storage.DB
	email bool
	wake  chan struct{}
}

// Options are an Outbox's settings.
type Options struct {
	// Email queues e-mails too (an SMTP server is configured).
	Email bool
}

// New returns the outbox of db.
func New(db *storage.DB, o Options) *Outbox {
	return &Outbox{db: db, email: o.Email, wake: make(chan struct{}, 1)}
}

// Wake tells the dispatcher that deliveries were queued, without waiting:
// a signal already pending is enough.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Woken has a value after Wake, so that the dispatcher need not wait for
// its next poll.
func (o *Outbox) Woken() <-chan struct{} { return o.wake }

// Queue addresses notices and collects their outbox rows, written together
// by Flush in the caller's transaction: the reminder scan addresses
// hundreds of notices per transaction, and looking the recipients up once
// per agency and writing the rows in multi-row INSERTs is what keeps it
// fast.
type Queue struct {
	o        *Outbox
	tx       *gorm.DB
	now      time.Time
	byAgency map[string][]models.User
	hooks    []models.Webhook
	loaded   bool // hooks
	rows     []models.Notification
}

// Queue starts a queue of notices to write in tx, as of now.
func (o *Outbox) Queue(tx *gorm.DB, now time.Time) *Queue {
	return &Queue{o: o, tx: tx, now: now, byAgency: map[string][]models.User{}}
}

// Agency addresses n to an agency's active users (in the app, where the row
// is the delivery, and by e-mail to those with an address) and to the
// webhooks that follow the agency.
func (q *Queue) Agency(code string, n Notice) error {
	users, ok := q.byAgency[code]
	if !ok {
		if err := q.tx.Where("agency_code = ? AND NOT disabled", code).Order("id").Find(&users).Error; err != nil {
			return err
		}
		q.byAgency[code] = users
	}
	q.Users(users, n)
	return q.Webhooks(code, n)
}

// Users addresses n in the app and by e-mail to each user.
func (q *Queue) Users(users []models.User, n Notice) {
	for _, u := range users {
		uid := u.ID
		q.rows = append(q.rows, q.o.row(n, ChannelInApp, &uid, u.Username, q.now))
		if q.o.email && u.Email != "" {
			q.rows = append(q.rows, q.o.row(n, ChannelEmail, &uid, u.Email, q.now))
		}
	}
}

// Webhooks addresses n to the active webhooks that take its event type and,
// if they follow one agency, that agency (any agency when agencyCode is "":
// a digest concerns them all).
func (q *Queue) Webhooks(agencyCode string, n Notice) error {
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
		q.rows = append(q.rows, q.o.row(n, ChannelWebhook, nil, fmt.Sprint(h.ID), q.now))
	}
	return nil
}

// Flush writes the rows collected so far.
func (q *Queue) Flush() error {
	err := q.o.insert(q.tx, q.rows)
	q.rows = q.rows[:0]
	return err
}

func (o *Outbox) row(n Notice, channel string, userID *int64, recipient string, now time.Time) models.Notification {
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
		Status:   StatusPending, NextAttemptAt: now, CreatedAt: now,
	}
	if channel == ChannelInApp {
		row.Status, row.SentAt = StatusSent, &now
	}
	return row
}

// insert writes outbox rows with multi-row INSERTs (13 values a row, 500
// rows a statement: below SQLite's limit on bound variables). gorm's
// CreateInBatches reflected over every field of every row: a third of the
// reminder scan's time.
func (o *Outbox) insert(tx *gorm.DB, rows []models.Notification) error {
	const cols = 13
	for chunk := range slices.Chunk(rows, 500) {
		args := make([]any, 0, cols*len(chunk))
		for _, n := range chunk {
			args = append(args, n.Channel, n.Kind, n.UserID, n.Recipient, n.TaskID, n.Title, n.Body, n.Payload, n.DedupKey,
				n.Status, n.NextAttemptAt, n.CreatedAt, n.SentAt)
		}
		q := `INSERT INTO notifications (channel, kind, user_id, recipient, task_id, title, body, payload, dedup_key,
			status, next_attempt_at, created_at, sent_at) VALUES ` + storage.RowValues(len(chunk), cols)
		if _, err := o.db.Exec(tx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
