package workflow

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
)

// NewReport is a progress report from the task's agency.
type NewReport struct {
	Body    string
	Percent *int // how far along, 0-100; nil keeps the last figure
	IfMatch *int
	// Files are the report's attachments, staged by StageAttachment; they
	// commit with the report or not at all. The caller removes them after.
	Files []*StagedFile
}

// AddReport records a progress report on an open task of the actor's own
// agency, with its event. A completion report goes through the report_done
// transition instead, so that it moves the task.
func (s *Service) AddReport(ctx context.Context, actor Actor, taskID int64, in NewReport) (models.Report, error) {
	in.Body = strings.TrimSpace(in.Body)
	var rep models.Report
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t, err := s.lockTask(tx, actor, taskID, in.IfMatch)
		if err != nil {
			return err
		}
		if actor.Role != RoleAgency {
			return E(KindForbidden, "role_not_allowed", "only the task's agency reports on it")
		}
		if st := Status(t.Status); st != StatusAssigned && st != StatusInProgress {
			return E(KindConflict, "task_not_open", "a task that is %s takes no progress report", st)
		}
		var bad Invalid
		if in.Body == "" {
			bad.Add("body", "is required")
		}
		checkLen(&bad, "body", in.Body, MaxBodyLen)
		if in.Percent != nil && (*in.Percent < 0 || *in.Percent > 100) {
			bad.AddValue("percent", *in.Percent, "must be between 0 and 100")
		}
		if err := bad.Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		percent := t.Percent
		if in.Percent != nil {
			percent = *in.Percent
		}
		rep = models.Report{TaskID: t.ID, Kind: "progress", Body: in.Body, Percent: percent,
			Author: actor.Username, AuthorID: actor.UserID, At: now}
		if err := s.insertReport(tx, &rep); err != nil {
			return err
		}
		var files []models.Attachment
		if len(in.Files) > 0 {
			files, err = s.keepFiles(ctx, tx, in.Files, attachTo{taskID: &t.ID, reportID: &rep.ID}, actor.UserID, now)
			if err != nil {
				return err
			}
		}
		before := t
		t.Percent = percent
		t.LastReportAt, t.LastReportID = &now, &rep.ID
		if err := s.saveTask(tx, before, &t, now, false); err != nil {
			return err
		}
		ev, err := s.appendEvent(tx, models.Event{
			TaskID: t.ID, Action: EventProgress, FromStatus: t.Status, ToStatus: t.Status,
			Actor: actor.Username, ActorRole: string(actor.Role), At: now,
			Data: eventData(withFiles(map[string]any{"report_id": rep.ID, "percent": percent}, files)),
		})
		if err != nil {
			return err
		}
		return s.noticeProgress(tx, t, ev, rep)
	})
	if err == nil && s.notifyProgress {
		s.outbox.Wake()
	}
	return rep, err
}

// Reports lists a task's reports, oldest first.
func (s *Service) Reports(ctx context.Context, actor Actor, taskID int64) ([]models.Report, error) {
	if _, err := s.Task(ctx, actor, taskID); err != nil {
		return nil, err
	}
	var reps []models.Report
	err := s.reader(ctx).Where("task_id = ?", taskID).Order("id").Find(&reps).Error
	return reps, err
}

// ReportsWithFiles lists a task's reports, oldest first, with the
// attachments of each by report id.
func (s *Service) ReportsWithFiles(ctx context.Context, actor Actor, taskID int64) ([]models.Report, map[int64][]models.Attachment, error) {
	reps, err := s.Reports(ctx, actor, taskID)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(reps))
	for i, r := range reps {
		ids[i] = r.ID
	}
	files, err := s.attachmentsOf(ctx, "report_id", ids)
	return reps, files, err
}

// ReportFiles returns the attachments of one report the actor just wrote
// or may see through its task.
func (s *Service) ReportFiles(ctx context.Context, actor Actor, rep models.Report) ([]models.Attachment, error) {
	if _, err := s.Task(ctx, actor, rep.TaskID); err != nil {
		return nil, err
	}
	files, err := s.attachmentsOf(ctx, "report_id", []int64{rep.ID})
	return files[rep.ID], err
}

// withFiles adds a command's attachments to its event's data; an event
// without files keeps the data (and so the hash) it always had.
func withFiles(data map[string]any, files []models.Attachment) map[string]any {
	if len(files) > 0 {
		data["attachments"] = attachmentData(files)
	}
	return data
}
