// Package models holds dondoc's persistent types: one struct per table, with
// gorm column tags and nothing else. Rules live in workflow/, HTTP shapes in
// api/; neither binds requests into these types nor serialises them.
package models

import (
	"time"

	"github.com/dondoc/dondoc/civil"
)

// Agency is a body that receives tasks. Codes are stable ASCII and never
// reused: a code names one agency in one era.
type Agency struct {
	Code          string `gorm:"primaryKey"`
	Name          string
	ShortName     string
	Kind          string
	ValidFrom     civil.Date
	ValidTo       civil.Date // the last day the agency existed; zero while it exists
	SuccessorCode string
	Aliases       string // JSON array of strings
	GSOCode       string `gorm:"column:gso_code"`
	SearchText    string // names and aliases folded (vntext.Fold), for search without diacritics
	Source        string
	UpdatedAt     time.Time
}

// User is a person or an integration that signs in.
type User struct {
	ID           int64 `gorm:"primaryKey"`
	Username     string
	PasswordHash string
	Role         string
	AgencyCode   *string
	DisplayName  string
	Email        string
	Disabled     bool
	TokenVersion int    // bumped to revoke every token issued before
	KeptSession  string // the session that changed the password, valid at TokenVersion-1
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// APIToken is a long-lived token for an integration. Only its SHA-256 is
// stored; the token itself is shown once, when it is created.
type APIToken struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Name       string
	Prefix     string
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

func (APIToken) TableName() string { return "api_tokens" }

// Setting is one key of the process-wide settings shared by every replica
// (the token signing key, for one).
type Setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

// Document is the source text of directives: a conclusion notice, a
// resolution, a decision, a directive or an official letter.
type Document struct {
	ID        int64 `gorm:"primaryKey"`
	Number    string
	Kind      string
	Title     string
	IssuedOn  civil.Date
	Signer    string
	Body      string
	CreatedBy int64
	CreatedAt time.Time
}

// Directive is one instruction in a document.
type Directive struct {
	ID               int64 `gorm:"primaryKey"`
	DocumentID       int64
	Content          string
	Field            string
	Priority         string
	DueKind          string
	DueOn            civil.Date
	DueInWorkingDays *int
	DuePeriod        string
	ReportingPeriod  string
	AgencyGroup      string
	SearchText       string // content and field folded, for search without diacritics
	CreatedBy        int64
	CreatedAt        time.Time
}

// Task is one agency's share of one directive.
type Task struct {
	ID            int64 `gorm:"primaryKey"`
	DirectiveID   int64
	AgencyCode    string
	Role          string
	Status        string
	DueOn         civil.Date // the effective due date: moved by approved extensions
	OriginalDueOn civil.Date
	AssignedOn    civil.Date // the document's issue date
	ReportedOn    civil.Date
	CompletedOn   civil.Date
	Percent       int
	LastReportAt  *time.Time
	NextRemindOn  civil.Date // the next day a reminder may be due: the scan's index
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// What readers see beside the task, kept here by the transactions that
	// add reports, reminders and urgings (migration 00007).
	LastReportID     *int64
	RemindersSent    int // automatic reminders recorded, every rule and due date
	Escalations      int // of which escalations to leaders
	LastReminderRule string
	LastReminderOn   civil.Date
	Urges            int // urgings by hand (đôn đốc)
	LastUrgeAt       *time.Time
}

// Event is one immutable entry of a task's history. Each event carries the
// hash of the one before it in the same task, so a changed row is detected.
type Event struct {
	ID         int64 `gorm:"primaryKey"`
	TaskID     int64
	Seq        int
	Action     string
	FromStatus string
	ToStatus   string
	Actor      string
	ActorRole  string
	At         time.Time
	Comment    string
	Data       string // canonical JSON of the action's details, "" if none
	PrevHash   string
	Hash       string
}

// Report is a progress or completion report on a task.
type Report struct {
	ID       int64 `gorm:"primaryKey"`
	TaskID   int64
	Kind     string
	Body     string
	Percent  int
	Author   string
	AuthorID int64
	At       time.Time
}

// ExtensionRequest asks to move a task's due date.
type ExtensionRequest struct {
	ID              int64 `gorm:"primaryKey"`
	TaskID          int64
	RequestedDueOn  civil.Date
	CurrentDueOn    civil.Date
	GrantedDueOn    civil.Date // the due date an approval set (zero until approved); may differ from the requested one
	Reason          string
	Status          string
	RequestedBy     string
	RequestedAt     time.Time
	DecidedBy       string
	DecidedAt       *time.Time
	DecisionComment string
}

// Notification is one message to deliver, written to the outbox in the same
// transaction as what caused it and delivered by the dispatcher.
type Notification struct {
	ID            int64 `gorm:"primaryKey"`
	Channel       string
	Kind          string
	UserID        *int64
	Recipient     string
	TaskID        *int64
	Title         string
	Body          string
	Payload       string
	DedupKey      string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	ClaimedUntil  *time.Time
	ClaimedBy     string // the replica that holds, or last held, the claim
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	ReadAt        *time.Time
}

// IdempotencyKey remembers the first response to a POST sent with an
// Idempotency-Key, so that a retry gets that response instead of a second
// change.
type IdempotencyKey struct {
	ID              int64 `gorm:"primaryKey"`
	UserID          int64
	Key             string
	Method          string
	Path            string
	RequestHash     string
	StatusCode      int
	ResponseBody    []byte
	ResponseHeaders string
	CreatedAt       time.Time
}

// CalendarDay is a day an admin declared off or working.
type CalendarDay struct {
	Day       civil.Date `gorm:"primaryKey"`
	Kind      string
	Name      string
	UpdatedBy string
	UpdatedAt time.Time
}

// CalendarYear is one entry of a year's announced schedule, as an admin
// entered it (PUT /calendar/years/{year}); the latest per year is in force.
// Rows are never changed or removed: they are the calendar's audit.
type CalendarYear struct {
	ID             int64 `gorm:"primaryKey"`
	Year           int
	DocumentNumber string
	Schedule       string // JSON of calendar.Schedule
	Changes        string // JSON of what the entry changed
	CreatedBy      string
	CreatedAt      time.Time
}

// Reminder is one reminder that was due, recorded once: (task, rule, due
// date) is unique.
type Reminder struct {
	ID         int64 `gorm:"primaryKey"`
	TaskID     int64
	Rule       string
	DueOn      civil.Date
	FireOn     civil.Date
	AsOf       civil.Date
	CreatedAt  time.Time
	DigestedAt *time.Time
}

// Webhook is an address that receives signed notifications.
type Webhook struct {
	ID         int64 `gorm:"primaryKey"`
	URL        string
	Secret     string
	Events     string // JSON array of event types; empty: all
	AgencyCode *string
	Active     bool
	CreatedBy  string
	CreatedAt  time.Time
}

// ScanRun is one run of the reminder scan.
type ScanRun struct {
	ID          int64 `gorm:"primaryKey"`
	AsOf        civil.Date
	Replica     string
	StartedAt   time.Time
	FinishedAt  *time.Time
	Tasks       int
	Reminders   int
	Escalations int
	Error       string
}

// Blob is a file's content, addressed by its SHA-256 and kept in chunks
// (BlobChunk rows) so that no statement carries a whole file.
type Blob struct {
	SHA256    string `gorm:"primaryKey;column:sha256"`
	Size      int64
	Chunks    int
	CreatedAt time.Time
}

// Attachment is a stored file: a document's source file, or a file of a
// task's report or extension request.
type Attachment struct {
	ID          int64  `gorm:"primaryKey"`
	SHA256      string `gorm:"column:sha256"`
	Name        string
	Size        int64
	ContentType string
	DocumentID  *int64
	TaskID      *int64
	ReportID    *int64
	ExtensionID *int64
	CreatedBy   int64
	CreatedAt   time.Time
}

// Proposal is a directive that the extractor proposed for a document, and
// what became of it: the directive created from it, and which of its
// fields the secretariat changed.
type Proposal struct {
	ID          int64 `gorm:"primaryKey"`
	DocumentID  int64
	ProposalKey string
	Passage     string
	Proposed    string // JSON
	CreatedAt   time.Time
	DirectiveID *int64
	Edited      string
	DecidedAt   *time.Time
}
