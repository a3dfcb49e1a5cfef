package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/dondoc/dondoc/models"
)

// AuditResult is what a walk of the audit trail found.
type AuditResult struct {
	OK       bool          `json:"ok"`
	Tasks    int64         `json:"tasks"`  // task histories walked
	Events   int64         `json:"events"` // events checked
	Files    int64         `json:"files"`  // stored files checked
	Mismatch *AuditBreak   `json:"first_mismatch"`
	Duration time.Duration `json:"-"`
}

// AuditBreak names the first event that does not match its chain.
type AuditBreak struct {
	EventID int64  `json:"event_id"`
	TaskID  int64  `json:"task_id"`
	Seq     int    `json:"seq"`
	Reason  string `json:"reason"`
	// A stored file that does not match: its id and name.
	AttachmentID int64  `json:"attachment_id,omitempty"`
	FileName     string `json:"file_name,omitempty"`
}

// VerifyAuditAs is VerifyAudit for an admin.
func (s *Service) VerifyAuditAs(ctx context.Context, actor Actor) (AuditResult, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return AuditResult{}, err
	}
	return s.VerifyAudit(ctx)
}

// auditTasks is how many task ids' histories are read at a time: the walk
// holds one batch in memory, whatever the size of the trail.
const auditTasks = 1000

// VerifyAudit walks every task's history in order and recomputes each
// event's hash over its fields and its predecessor's hash. It stops at the
// first event that does not match: a changed field (the hash differs), a
// removed or reordered event (the sequence or the link to the previous
// hash breaks). A task's last events removed together leave a shorter chain
// that still verifies: the append-only triggers are what refuse that.
func (s *Service) VerifyAudit(ctx context.Context) (AuditResult, error) {
	start := time.Now()
	res := AuditResult{OK: true}
	var bounds struct{ Lo, Hi int64 }
	if _, err := s.db.QueryRow(ctx, s.db.R, "SELECT COALESCE(MIN(task_id), 0), COALESCE(MAX(task_id), -1) FROM events", nil, &bounds.Lo, &bounds.Hi); err != nil {
		return res, err
	}
	// Ranges of task ids: each a range of the (task_id, seq) index, read in
	// its order.
	for lo := bounds.Lo; lo <= bounds.Hi; lo += auditTasks {
		var batch []models.Event
		err := s.reader(ctx).Where("task_id >= ? AND task_id < ?", lo, lo+auditTasks).Order("task_id, seq").Find(&batch).Error
		if err != nil {
			return res, err
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		var (
			lastTask int64 = -1
			lastSeq  int
			prevHash string
		)
		for _, e := range batch {
			if e.TaskID != lastTask {
				lastTask, lastSeq, prevHash = e.TaskID, 0, ""
				res.Tasks++
			}
			res.Events++
			var reason string
			switch {
			case e.Seq != lastSeq+1:
				reason = fmt.Sprintf("sequence jumps from %d to %d: an event was removed", lastSeq, e.Seq)
			case e.PrevHash != prevHash:
				reason = "the link to the previous event's hash is broken"
			case EventHash(e) != e.Hash:
				reason = "the event's fields do not match its hash: it was altered"
			}
			if reason != "" {
				res.OK = false
				res.Mismatch = &AuditBreak{EventID: e.ID, TaskID: e.TaskID, Seq: e.Seq, Reason: reason}
				res.Duration = time.Since(start)
				return res, nil
			}
			lastSeq, prevHash = e.Seq, e.Hash
		}
	}
	err := s.auditFiles(ctx, &res)
	res.Duration = time.Since(start)
	return res, err
}
