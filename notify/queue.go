package notify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// Outbox is the notifications table's one owner: it queues notices inside
// the transactions of the commands that cause them, answers the queries on
// them, and lets the dispatcher claim and settle their deliveries.
type Outbox struct {
	db     *storage.DB
	email  bool
	off    map[string]bool // "channel:event type"
	digest time.Duration
	wake   chan struct{}
}

// Options are an Outbox's settings.
type Options struct {
	// Email queues e-mails too (an SMTP server is configured).
	Email bool
	// Off lists what is not sent, as "channel:event type" (ParseOff).
	Off []string
	// Digest, when not 0, holds each e-mail until the end of its window
	// (the hour, for 1h), so that the dispatcher sends a user's mails of
	// one window as one digest. In-app notices stay one per event.
	Digest time.Duration
}

// New returns the outbox of db.
func New(db *storage.DB, o Options) *Outbox {
	off := map[string]bool{}
	for _, k := range o.Off {
		off[k] = true
	}
	return &Outbox{db: db, email: o.Email, off: off, digest: o.Digest, wake: make(chan struct{}, 1)}
}

// Digest is the e-mail digest's window; 0 when every e-mail goes alone.
func (o *Outbox) Digest() time.Duration { return o.digest }

// ParseOff reads DONDOC_NOTIFY_OFF: comma-separated "channel:event type"
// pairs (email:task.reported), where a bare event type stands for every
// channel and "channel:*" for every event type of a channel.
func ParseOff(list string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		channel, event, ok := strings.Cut(item, ":")
		if !ok {
			channel, event = "*", item
		}
		channels := []string{channel}
		if channel == "*" {
			channels = Channels
		} else if !slices.Contains(Channels, channel) {
			return nil, fmt.Errorf("%q: channel %q is not one of %v", item, channel, Channels)
		}
		events := []string{event}
		if event == "*" {
			events = EventTypes
		} else if !slices.Contains(EventTypes, event) {
			return nil, fmt.Errorf("%q: event type %q is not one of %v", item, event, EventTypes)
		}
		for _, c := range channels {
			for _, e := range events {
				out = append(out, c+":"+e)
			}
		}
	}
	return out, nil
}

// sends reports whether notices of kind go out on channel.
func (o *Outbox) sends(channel, kind string) bool { return !o.off[channel+":"+EventType(kind)] }

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
		if err := q.read().Where("agency_code = ? AND NOT disabled", code).Order("id").Find(&users).Error; err != nil {
			return err
		}
		q.byAgency[code] = users
	}
	q.Users(users, n)
	return q.Webhooks(code, n)
}

// Secretariat addresses n to the secretariat about a task of agency code
// whose document is documentID: to the secretariat users who gave the
// document's tasks (they follow them up), or, when none of them is still
// an active secretariat user, to every active secretariat user, so that
// nothing waits unnoticed; and to the webhooks that follow the agency.
func (q *Queue) Secretariat(code string, documentID int64, n Notice) error {
	// One query: every active secretariat user, marked if they gave one
	// of the document's tasks.
	var all []struct {
		models.User
		Gave bool
	}
	err := q.read().Model(&models.User{}).
		Select("users.*, EXISTS (SELECT 1 FROM directives d WHERE d.document_id = ? AND d.created_by = users.id) AS gave", documentID).
		Where("role = ? AND NOT disabled", roleSecretariat).Order("id").Find(&all).Error
	if err != nil {
		return err
	}
	var gave, users []models.User
	for _, u := range all {
		users = append(users, u.User)
		if u.Gave {
			gave = append(gave, u.User)
		}
	}
	if len(gave) > 0 {
		users = gave
	}
	q.Users(users, n)
	return q.Webhooks(code, n)
}

// roleSecretariat is workflow's RoleSecretariat, the users' role column.
const roleSecretariat = "secretariat"

// Users addresses n in the app and by e-mail to each user.
func (q *Queue) Users(users []models.User, n Notice) {
	inApp, email := q.o.sends(ChannelInApp, n.Kind), q.o.email && q.o.sends(ChannelEmail, n.Kind)
	for _, u := range users {
		uid := u.ID
		if inApp {
			q.rows = append(q.rows, q.o.row(n, ChannelInApp, &uid, u.Username, q.now))
		}
		if email && u.Email != "" {
			q.rows = append(q.rows, q.o.row(n, ChannelEmail, &uid, u.Email, q.now))
		}
	}
}

// Webhooks addresses n to the active webhooks that take its event type and,
// if they follow one agency, that agency (any agency when agencyCode is "":
// a digest concerns them all).
func (q *Queue) Webhooks(agencyCode string, n Notice) error {
	if !q.loaded {
		if err := q.read().Where("active").Find(&q.hooks).Error; err != nil {
			return err
		}
		q.loaded = true
	}
	if !q.o.sends(ChannelWebhook, n.Kind) {
		return nil
	}
	event := EventType(n.Kind)
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

// read is where recipients are looked up: the read pool, not the
// caller's transaction. Users and webhooks are an admin's, not the
// command's, and on SQLite the one writer's transaction is the bottleneck
// of every command: what it need not read, it does not.
func (q *Queue) read() *gorm.DB { return q.o.db.R.WithContext(q.tx.Statement.Context) }

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
		b, _ := json.Marshal(map[string]any{"type": EventType(n.Kind), "data": n.Data})
		payload = string(b)
	}
	row := models.Notification{
		Channel: channel, Kind: n.Kind, UserID: userID, Recipient: recipient, TaskID: taskID,
		Title: n.Title, Body: n.Body, Payload: payload,
		DedupKey: fmt.Sprintf("%s:%s:%s:%s", n.Kind, n.Key, channel, recipient),
		Status:   StatusPending, NextAttemptAt: now, CreatedAt: now,
	}
	switch {
	case channel == ChannelInApp:
		row.Status, row.SentAt = StatusSent, &now
	case channel == ChannelEmail && o.digest > 0:
		// Held to the end of its window, with the user's other mails of
		// the window: the dispatcher sends them together.
		row.NextAttemptAt = now.Truncate(o.digest).Add(o.digest)
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
