package workflow

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

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
