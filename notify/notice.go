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

import "strings"

// Channels a notice is delivered on.
const (
	ChannelInApp   = "inapp"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// Channels lists every channel.
var Channels = []string{ChannelInApp, ChannelEmail, ChannelWebhook}

// Statuses of a delivery. An in-app notification is sent when written: the
// row is the delivery.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusDead    = "dead" // no attempt left; an admin may retry it
)

// Notice kinds. Each is also a webhook event type: "task." + kind, except
// the extension kinds, which are "extension." + what happened (EventType).
const (
	KindAssign     = "assign"
	KindUrge       = "urge"
	KindReminder   = "reminder"
	KindEscalation = "escalation"

	KindReported   = "reported"  // report_done: to the secretariat
	KindReturned   = "returned"  // to the agency, with the comment
	KindConfirmed  = "confirmed" // to the agency
	KindCancelled  = "cancelled" // to the agency, with the comment
	KindReopened   = "reopened"  // to the agency, with the comment
	KindProgress   = "progress"  // a progress report: to the secretariat, only when turned on
	KindHandedOver = "handed_over"
	KindDueChanged = "due_changed"

	KindExtensionRequested = "extension_requested" // to the secretariat
	KindExtensionDecided   = "extension_decided"   // to the agency, with the new date or the reason
)

// Kinds lists every notice kind.
var Kinds = []string{KindAssign, KindUrge, KindReminder, KindEscalation, KindReported, KindReturned, KindConfirmed,
	KindCancelled, KindReopened, KindProgress, KindHandedOver, KindDueChanged, KindExtensionRequested, KindExtensionDecided}

// EventType is the webhook event type of a notice kind.
func EventType(kind string) string {
	if rest, ok := strings.CutPrefix(kind, "extension_"); ok {
		return "extension." + rest
	}
	return "task." + kind
}

// EventTypes are the webhook event types a subscription may name.
var EventTypes = func() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = EventType(k)
	}
	return out
}()

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
