package workflow

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
)

// Event actions beyond the state table's: what else a task's history records.
const (
	EventAssign           = "assign"
	EventProgress         = "report_progress"
	EventExtensionRequest = "request_extension"
	EventExtensionApprove = "approve_extension"
	EventExtensionReject  = "reject_extension"
	EventUrge             = "urge"
	EventTransfer         = "transfer" // handed to the successor of a dissolved agency
)

// EventHash is the hash of an event over a canonical encoding of every field
// that matters, chained to the event before it in the same task: changing,
// removing or reordering a stored event breaks the chain from there on.
//
// The encoding is length-prefixed fields in a fixed order, so no choice of
// text in one field can imitate another field.
func EventHash(e models.Event) string {
	h := sha256.New()
	var n [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("dondoc-event-v1")
	field(fmt.Sprint(e.TaskID))
	field(fmt.Sprint(e.Seq))
	field(e.Action)
	field(e.FromStatus)
	field(e.ToStatus)
	field(e.Actor)
	field(e.ActorRole)
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(e.Comment)
	field(e.Data)
	field(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// eventData encodes an event's details canonically (encoding/json sorts map
// keys), or "" when there are none.
func eventData(data map[string]any) string {
	if len(data) == 0 {
		return ""
	}
	b, err := json.Marshal(data)
	if err != nil {
		panic(err) // only plain values are ever passed
	}
	return string(b)
}

// appendEvent writes the next event of a task's history, in the caller's
// transaction. It reads the head of the task's chain under the transaction's
// lock on the task row (taken by the caller), so two writers never chain to
// the same predecessor; (task_id, seq) is unique besides.
func appendEvent(tx *gorm.DB, e models.Event) (models.Event, error) {
	var head struct {
		Seq  int
		Hash string
	}
	err := tx.Raw("SELECT seq, hash FROM events WHERE task_id = ? ORDER BY seq DESC LIMIT 1", e.TaskID).Scan(&head).Error
	if err != nil {
		return e, err
	}
	e.Seq = head.Seq + 1
	e.PrevHash = head.Hash
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Hash = EventHash(e)
	if err := tx.Create(&e).Error; err != nil {
		return e, fmt.Errorf("append event: %w", err)
	}
	return e, nil
}
