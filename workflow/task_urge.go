package workflow

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// Urge is đôn đốc by hand: a leader or the secretariat presses an agency on
// one open task. It writes one event and notifies the agency.
func (s *Service) Urge(ctx context.Context, actor Actor, taskID int64, message string) (models.Event, error) {
	message = strings.TrimSpace(message)
	var ev models.Event
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t, err := s.lockTask(tx, actor, taskID, nil)
		if err != nil {
			return err
		}
		if err := actor.Require(RoleLeader, RoleSecretariat); err != nil {
			return err
		}
		if !Status(t.Status).Open() {
			return E(KindConflict, "task_not_open", "a task that is %s needs no urging", t.Status)
		}
		var bad Invalid
		if message == "" {
			bad.Add("message", "is required")
		}
		checkLen(&bad, "message", message, MaxCommentLen)
		if err := bad.Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		ev, err = s.appendEvent(tx, models.Event{
			TaskID: t.ID, Action: EventUrge, FromStatus: t.Status, ToStatus: t.Status,
			Actor: actor.Username, ActorRole: string(actor.Role), At: now, Comment: message,
		})
		if err != nil {
			return err
		}
		// The count readers see beside the task; not a change of the task,
		// so its version stays.
		if _, err := s.db.Exec(tx, "UPDATE tasks SET urges = urges + 1, last_urge_at = ? WHERE id = ?", ev.At, t.ID); err != nil {
			return err
		}
		view, err := s.taskView(tx, actor, t.ID)
		if err != nil {
			return err
		}
		q := s.outbox.Queue(tx, now)
		err = q.Agency(t.AgencyCode, notify.Notice{
			Kind: notify.KindUrge, TaskID: t.ID, Key: fmt.Sprintf("event-%d", ev.ID),
			Title: fmt.Sprintf("Đôn đốc thực hiện nhiệm vụ #%d", t.ID),
			Body:  fmt.Sprintf("%s đôn đốc nhiệm vụ theo văn bản số %s: %s\n\n%s", actor.Username, view.DocumentNumber, truncate(view.DirectiveContent, 300), message),
			Data:  map[string]any{"task": taskData(view), "message": message, "by": actor.Username},
		})
		if err != nil {
			return err
		}
		return q.Flush()
	})
	if err == nil {
		s.outbox.Wake()
	}
	return ev, err
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
