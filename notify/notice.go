// Package notify is the outbox: the one owner of the notifications table.
// Commands and the reminder scan queue notices in their own transactions
// (in the app for each user, by e-mail, to the webhooks that follow an
// agency or an event); users read and mark their notifications; admins
// list the deliveries and put dead ones back; the dispatcher claims due
// deliveries under a lease and records how each went. Webhooks are signed
// here too, as Standard Webhooks specifies. It sits below the rules
// (workflow) and the delivery (app/deliver), and imports only storage and
// the persistent types.
package notify

// Channels a notice is delivered on.
const (
	ChannelInApp   = "inapp"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// Statuses of a delivery. An in-app notification is sent when written: the
// row is the delivery.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusDead    = "dead" // no attempt left; an admin may retry it
)

// Notice kinds, which are also the webhook event types ("task." + kind).
const (
	KindAssign     = "assign"
	KindUrge       = "urge"
	KindReminder   = "reminder"
	KindEscalation = "escalation"
)

// EventTypes are the webhook event types a subscription may name.
var EventTypes = []string{"task." + KindAssign, "task." + KindUrge, "task." + KindReminder, "task." + KindEscalation}

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
