package workflow

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// noticeDueChanged tells a task's agency that its due date moved from
// oldDue to newDue, and why (in Vietnamese, e.g. "lịch làm việc năm 2027
// thay đổi"), in tx: so that its calendar feed and its reminders are
// understood. t is the task as changed (its version after the change keys
// the notice, so that the same change is queued once). An extension's
// approval tells the agency through its decision instead, and webhooks
// through this notice too (noticeExtensionDecided).
func (s *Service) noticeDueChanged(tx *gorm.DB, t *models.Task, oldDue, newDue civil.Date, why string) error {
	if oldDue == newDue {
		return nil
	}
	v, err := s.noticeTask(tx, *t)
	if err != nil {
		return err
	}
	n := s.dueChangedNotice(v, oldDue, newDue, why)
	n.Key = fmt.Sprintf("due-%d-v%d-%s", t.ID, t.Version, newDue)
	q := s.outbox.Queue(tx, s.clock.Now())
	if err := q.Agency(t.AgencyCode, n); err != nil {
		return err
	}
	return q.Flush()
}

// dueChangedNotice is the notice of a due date moved, without its key.
func (s *Service) dueChangedNotice(v TaskView, oldDue, newDue civil.Date, why string) notify.Notice {
	lead := fmt.Sprintf("Thời hạn nhiệm vụ thay đổi từ ngày %s thành ngày %s.", dmy(oldDue), dmy(newDue))
	if why != "" {
		lead += " Lý do: " + why + "."
	}
	return notify.Notice{
		Kind: notify.KindDueChanged, TaskID: v.ID,
		Title: fmt.Sprintf("Thời hạn nhiệm vụ #%d thay đổi: %s", v.ID, dmy(newDue)),
		Body:  s.noticeBody(v, lead, ""),
		Data:  map[string]any{"task": taskData(v), "from_due_on": oldDue.Ptr(), "to_due_on": newDue.Ptr(), "reason": why},
	}
}
