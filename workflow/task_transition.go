package workflow

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
)

// TransitionInput is a request to move a task (POST /tasks/{id}/transitions).
type TransitionInput struct {
	Action  Action
	Comment string
	Report  string // the completion report's body, for report_done
	IfMatch *int   // the version the caller read; nil to skip the check
	// Files are the completion report's attachments, staged by
	// StageAttachment (report_done only); the caller removes them after.
	Files []*StagedFile
}

// MaxAttachments is how many files one report or extension request may
// carry, through the API and the pages alike.
const MaxAttachments = 20

// Longest free texts accepted, in bytes: a report or comment is prose, not a
// file upload.
const (
	MaxCommentLen = 4000
	MaxBodyLen    = 100_000
)

// Transition applies one action of the state table to a task: it checks who
// may, from which status, and what the action needs, then changes the task
// and writes its event (and, for report_done, the completion report) in one
// transaction.
func (s *Service) Transition(ctx context.Context, actor Actor, taskID int64, in TransitionInput) (TaskView, error) {
	in.Comment = strings.TrimSpace(in.Comment)
	in.Report = strings.TrimSpace(in.Report)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t, err := s.lockTask(tx, actor, taskID, in.IfMatch)
		if err != nil {
			return err
		}
		tr, err := Decide(actor, Status(t.Status), t.AgencyCode, in.Action)
		if err != nil {
			return err
		}
		var bad Invalid
		if tr.NeedsComment && in.Comment == "" {
			bad.Add("comment", "is required to %s a task", in.Action)
		}
		if tr.NeedsReport && in.Report == "" {
			bad.Add("report", "is required: the completion report's text")
		}
		if len(in.Files) > 0 && !tr.NeedsReport {
			bad.Add("files", "only a completion report carries files, not %s", in.Action)
		}
		if len(in.Files) > MaxAttachments {
			bad.Add("files", "at most %d files", MaxAttachments)
		}
		checkLen(&bad, "comment", in.Comment, MaxCommentLen)
		checkLen(&bad, "report", in.Report, MaxBodyLen)
		if err := bad.Err(); err != nil {
			return err
		}

		now, today := s.clock.Now(), s.Today()
		before, from := t, t.Status
		t.Status = string(tr.To)
		if tr.Apply != nil {
			tr.Apply(&t, today)
		}
		if tr.Action == ActionReopen && from == string(StatusCompleted) {
			// The confirmation's 100% no longer stands: back to the last
			// percent the agency reported, which a cancellation then keeps.
			var last []int
			if err := tx.Raw("SELECT percent FROM reports WHERE task_id = ? AND kind = 'progress' ORDER BY at DESC, id DESC LIMIT 1", t.ID).Scan(&last).Error; err != nil {
				return err
			}
			t.Percent = 0
			if len(last) > 0 {
				t.Percent = last[0]
			}
		}
		var data map[string]any
		if tr.NeedsReport {
			rep := models.Report{TaskID: t.ID, Kind: "completion", Body: in.Report, Percent: 100,
				Author: actor.Username, AuthorID: actor.UserID, At: now}
			if err := s.insertReport(tx, &rep); err != nil {
				return err
			}
			t.LastReportAt, t.LastReportID = &now, &rep.ID
			// The files commit with the report, and the event records
			// each one's name, size and SHA-256, as a progress report's.
			var files []models.Attachment
			if len(in.Files) > 0 {
				if files, err = s.keepFiles(ctx, tx, in.Files, attachTo{taskID: &t.ID, reportID: &rep.ID}, actor.UserID, now); err != nil {
					return err
				}
			}
			data = withFiles(map[string]any{"report_id": rep.ID}, files)
		}
		if err := s.saveTask(tx, before, &t, now, true); err != nil {
			return err
		}
		ev, err := s.appendEvent(tx, models.Event{
			TaskID: t.ID, Action: string(in.Action), FromStatus: from, ToStatus: t.Status,
			Actor: actor.Username, ActorRole: string(actor.Role), At: now, Comment: in.Comment, Data: eventData(data),
		})
		if err != nil {
			return err
		}
		return s.noticeTransition(tx, t, in.Action, ev, data)
	})
	if err != nil {
		return TaskView{}, err
	}
	s.outbox.Wake()
	// The answer is read after the commit, from the read pool, to keep the
	// one writer's transactions short. A later change committed in between
	// shows in it, with its ETag.
	return s.taskView(s.reader(ctx), actor, taskID)
}

func checkLen(bad *Invalid, field, s string, max int) {
	if len(s) > max {
		bad.Add(field, "is longer than %d bytes", max)
	}
}
