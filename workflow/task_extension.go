package workflow

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/storage"
)

// Extension request statuses.
const (
	ExtensionPending  = "pending"
	ExtensionApproved = "approved"
	ExtensionRejected = "rejected"
)

// NewExtension asks to move a task's due date.
type NewExtension struct {
	RequestedDueOn civil.Date
	Reason         string
	// Files are attachments staged by StageAttachment, kept with the
	// request or not at all; the caller removes them after.
	Files   []*StagedFile
	IfMatch *int // the task's version the caller read; nil to skip the check
}

// RequestExtension records an agency's request for more time on one of its
// open tasks. A task has at most one pending request.
func (s *Service) RequestExtension(ctx context.Context, actor Actor, taskID int64, in NewExtension) (models.ExtensionRequest, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	var req models.ExtensionRequest
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t, err := s.lockTask(tx, actor, taskID, in.IfMatch)
		if err != nil {
			return err
		}
		if actor.Role != RoleAgency {
			return E(KindForbidden, "role_not_allowed", "only the task's agency asks for more time")
		}
		if !Status(t.Status).CanBeOverdue() {
			return E(KindConflict, "task_not_open", "a task that is %s needs no more time", t.Status)
		}
		if t.DueOn.IsZero() {
			return E(KindConflict, "no_due_date", "the task has no due date to move")
		}
		var bad Invalid
		today := s.Today()
		switch {
		case in.RequestedDueOn.IsZero():
			bad.Add("requested_due_on", "is required")
		case !in.RequestedDueOn.After(t.DueOn):
			bad.AddValue("requested_due_on", in.RequestedDueOn.String(), "must be after the current due date %s", t.DueOn)
		case in.RequestedDueOn.After(today.AddDays(5 * 366)):
			bad.AddValue("requested_due_on", in.RequestedDueOn.String(), "is more than five years away")
		}
		if in.Reason == "" {
			bad.Add("reason", "is required")
		}
		checkLen(&bad, "reason", in.Reason, MaxCommentLen)
		if err := bad.Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		req = models.ExtensionRequest{TaskID: t.ID, RequestedDueOn: in.RequestedDueOn, CurrentDueOn: t.DueOn,
			Reason: in.Reason, Status: ExtensionPending, RequestedBy: actor.Username, RequestedAt: now}
		if err := tx.Create(&req).Error; err != nil {
			if storage.IsDuplicate(err) {
				return E(KindConflict, "extension_pending", "the task already has a pending extension request")
			}
			return err
		}
		var files []models.Attachment
		if len(in.Files) > 0 {
			files, err = s.keepFiles(ctx, tx, in.Files, attachTo{taskID: &t.ID, extensionID: &req.ID}, actor.UserID, now)
			if err != nil {
				return err
			}
		}
		ev, err := s.appendEvent(tx, models.Event{
			TaskID: t.ID, Action: EventExtensionRequest, FromStatus: t.Status, ToStatus: t.Status,
			Actor: actor.Username, ActorRole: string(actor.Role), At: now, Comment: in.Reason,
			Data: eventData(withFiles(map[string]any{"extension_id": req.ID, "requested_due_on": in.RequestedDueOn.String(), "due_on": t.DueOn.String()}, files)),
		})
		if err != nil {
			return err
		}
		return s.noticeExtensionRequested(tx, t, ev, req)
	})
	if err == nil {
		s.outbox.Wake()
	}
	return req, err
}

// Decision is the secretariat's answer to an extension request.
type Decision struct {
	Approve bool
	// DueOn is the due date an approval grants, earlier or later than the
	// requested one; nil grants the requested date. It is checked as a
	// requested date is (after the task's due date, within five years).
	DueOn   *civil.Date
	Comment string
	IfMatch *int // the task's version the caller read; nil to skip the check
}

// DecideExtension approves or rejects a pending request. An approval moves
// the task's effective due date to the granted one (the requested date
// unless the decision names another); its original due date stays.
func (s *Service) DecideExtension(ctx context.Context, actor Actor, extID int64, in Decision) (models.ExtensionRequest, error) {
	in.Comment = strings.TrimSpace(in.Comment)
	var req models.ExtensionRequest
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&req, extID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return NotFound("extension request")
			}
			return err
		}
		t, err := s.lockTask(tx, actor, req.TaskID, in.IfMatch)
		if err != nil {
			if KindOf(err) == KindStale {
				return err
			}
			return NotFound("extension request")
		}
		if err := actor.Require(RoleSecretariat); err != nil {
			return err
		}
		if req.Status != ExtensionPending {
			return E(KindConflict, "extension_decided", "the request was already %s", req.Status)
		}
		if in.Approve && !Status(t.Status).CanBeOverdue() {
			return E(KindConflict, "task_not_open", "the task is %s: there is no due date left to move", t.Status)
		}
		var bad Invalid
		if !in.Approve && in.Comment == "" {
			bad.Add("comment", "is required to reject a request")
		}
		granted := req.RequestedDueOn
		if in.Approve && in.DueOn != nil && *in.DueOn != req.RequestedDueOn {
			// The requested date was checked when it was asked for; a
			// different one is checked here, by the same rules.
			granted = *in.DueOn
			switch {
			case granted.IsZero():
				bad.Add("due_on", "is not a date")
			case !granted.After(t.DueOn):
				bad.AddValue("due_on", granted.String(), "must be after the current due date %s", t.DueOn)
			case granted.After(s.Today().AddDays(5 * 366)):
				bad.AddValue("due_on", granted.String(), "is more than five years away")
			}
		}
		checkLen(&bad, "comment", in.Comment, MaxCommentLen)
		if err := bad.Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		req.DecidedBy, req.DecidedAt, req.DecisionComment = actor.Username, &now, in.Comment
		action, oldDue := EventExtensionReject, t.DueOn
		req.Status = ExtensionRejected
		data := map[string]any{"extension_id": req.ID, "requested_due_on": req.RequestedDueOn.String()}
		set := map[string]any{"decided_by": req.DecidedBy, "decided_at": now, "decision_comment": req.DecisionComment}
		if in.Approve {
			action, req.Status, req.GrantedDueOn = EventExtensionApprove, ExtensionApproved, granted
			data["from_due_on"], data["to_due_on"] = t.DueOn.String(), granted.String()
			set["granted_due_on"] = granted
			before := t
			if t.OriginalDueOn.IsZero() {
				t.OriginalDueOn = t.DueOn
			}
			t.DueOn = granted
			if err := s.saveTask(tx, before, &t, now, true); err != nil {
				return err
			}
		}
		set["status"] = req.Status
		res := tx.Model(&models.ExtensionRequest{}).Where("id = ? AND status = ?", req.ID, ExtensionPending).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		ev, err := s.appendEvent(tx, models.Event{
			TaskID: t.ID, Action: action, FromStatus: t.Status, ToStatus: t.Status,
			Actor: actor.Username, ActorRole: string(actor.Role), At: now, Comment: in.Comment, Data: eventData(data),
		})
		if err != nil {
			return err
		}
		return s.noticeExtensionDecided(tx, t, ev, req, oldDue)
	})
	if err == nil {
		s.outbox.Wake()
	}
	return req, err
}

// Extensions lists a task's extension requests, oldest first.
func (s *Service) Extensions(ctx context.Context, actor Actor, taskID int64) ([]models.ExtensionRequest, error) {
	if _, err := s.Task(ctx, actor, taskID); err != nil {
		return nil, err
	}
	var reqs []models.ExtensionRequest
	err := s.reader(ctx).Where("task_id = ?", taskID).Order("id").Find(&reqs).Error
	return reqs, err
}

// ExtensionQueue lists extension requests in a status across the tasks the
// actor may see, oldest first: the secretariat's queue of decisions.
func (s *Service) ExtensionQueue(ctx context.Context, actor Actor, status string, p Page) ([]models.ExtensionRequest, string, error) {
	q := s.reader(ctx).Table("extension_requests e").Select("e.*").Where("e.status = ?", status)
	if !actor.SeesAllAgencies() {
		q = q.Joins("JOIN tasks t ON t.id = e.task_id").Where("t.agency_code = ?", actor.AgencyCode)
	}
	return keysetPage(p, func(after *cursor, limit int) ([]models.ExtensionRequest, error) {
		if after != nil {
			q = q.Where("e.id > ?", after.ID)
		}
		var out []models.ExtensionRequest
		err := q.Order("e.id").Limit(limit).Scan(&out).Error
		return out, err
	}, func(e models.ExtensionRequest) cursor { return cursor{ID: e.ID} })
}

// ExtensionFiles returns the attachments of extension requests by request
// id, for requests the caller has already been allowed to read.
func (s *Service) ExtensionFiles(ctx context.Context, reqs []models.ExtensionRequest) (map[int64][]models.Attachment, error) {
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	return s.attachmentsOf(ctx, "extension_id", ids)
}
