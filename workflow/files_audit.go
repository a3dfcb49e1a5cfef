package workflow

import (
	"context"
	"fmt"

	"github.com/dondoc/dondoc/models"
)

// auditFiles checks every stored file after the events: its content's
// SHA-256, recomputed from the stored chunks, must be the one recorded,
// and a task's file must be named, with that SHA-256, by an event of the
// task's chain. A changed byte, a swapped blob or a file slipped in after
// the fact is reported with the file's id and name.
func (s *Service) auditFiles(ctx context.Context, res *AuditResult) error {
	var after int64
	for {
		var batch []models.Attachment
		if err := s.reader(ctx).Where("id > ?", after).Order("id").Limit(500).Find(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, a := range batch {
			after = a.ID
			res.Files++
			brk, err := s.auditFile(ctx, a)
			if err != nil {
				return err
			}
			if brk != nil {
				res.OK, res.Mismatch = false, brk
				return nil
			}
		}
	}
}

func (s *Service) auditFile(ctx context.Context, a models.Attachment) (*AuditBreak, error) {
	brk := &AuditBreak{AttachmentID: a.ID, FileName: a.Name}
	if a.TaskID != nil {
		brk.TaskID = *a.TaskID
		// The event that recorded the file; its hash, checked by the walk
		// of the chain, covers the SHA-256 in its data.
		found, err := s.db.QueryRow(ctx, s.db.R, `SELECT id, seq FROM events WHERE task_id = ? AND data LIKE ? ORDER BY seq LIMIT 1`,
			[]any{*a.TaskID, `%"sha256":"` + a.SHA256 + `"%`}, &brk.EventID, &brk.Seq)
		if err != nil {
			return nil, err
		}
		if !found {
			brk.Reason = fmt.Sprintf("file %d %q: no event of the task records its SHA-256 %s", a.ID, a.Name, a.SHA256)
			return brk, nil
		}
	}
	sum, size, err := s.blobSum(ctx, a.SHA256)
	if err != nil {
		brk.Reason = fmt.Sprintf("file %d %q: its stored content cannot be read: %v", a.ID, a.Name, err)
		return brk, nil
	}
	if sum != a.SHA256 || size != a.Size {
		brk.Reason = fmt.Sprintf("file %d %q: its stored bytes were altered (SHA-256 %s, %d bytes; recorded %s, %d bytes)",
			a.ID, a.Name, sum, size, a.SHA256, a.Size)
		return brk, nil
	}
	return nil, nil
}
