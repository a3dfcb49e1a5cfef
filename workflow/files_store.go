package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
)

// What an attachment belongs to, one of which is set.
type attachTo struct {
	documentID, taskID, reportID, extensionID *int64
}

// keepFiles stores staged files in tx and links them as attachments: each
// content once, whatever number of times it is uploaded. It runs inside the
// command's transaction, so that the files commit with what they belong to
// or not at all.
func (s *Service) keepFiles(ctx context.Context, tx *gorm.DB, files []*StagedFile, to attachTo, by int64, now time.Time) ([]models.Attachment, error) {
	out := make([]models.Attachment, 0, len(files))
	for _, f := range files {
		if err := s.putBlob(ctx, tx, f, now); err != nil {
			return nil, err
		}
		a := models.Attachment{SHA256: f.SHA256, Name: f.Name, Size: f.Size, ContentType: f.ContentType(),
			DocumentID: to.documentID, TaskID: to.taskID, ReportID: to.reportID, ExtensionID: to.extensionID,
			CreatedBy: by, CreatedAt: now}
		id, err := s.db.InsertReturningID(tx, `INSERT INTO attachments
			(sha256, name, size, content_type, document_id, task_id, report_id, extension_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.SHA256, a.Name, a.Size, a.ContentType, a.DocumentID, a.TaskID, a.ReportID, a.ExtensionID, a.CreatedBy, a.CreatedAt)
		if err != nil {
			return nil, fmt.Errorf("attachment %s: %w", f.Name, err)
		}
		a.ID = id
		out = append(out, a)
	}
	return out, nil
}

// putBlob writes a staged file's content chunk by chunk, unless the same
// content is already kept. On PostgreSQL a concurrent upload of the same
// bytes waits on the unique key and then finds the blob there.
func (s *Service) putBlob(ctx context.Context, tx *gorm.DB, f *StagedFile, now time.Time) error {
	size := int64(s.files.ChunkSize)
	chunks := int((f.Size + size - 1) / size)
	res, err := s.db.Exec(tx, `INSERT INTO blobs (sha256, size, chunks, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, f.SHA256, f.Size, chunks, now)
	if err != nil {
		return fmt.Errorf("blob %s: %w", f.SHA256, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // kept already
	}
	buf := make([]byte, min(size, f.Size))
	for seq := range chunks {
		if s.files.BeforeChunk != nil {
			if err := s.files.BeforeChunk(ctx, f.SHA256, seq); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.ReadAt(buf, int64(seq)*size)
		if err != nil && !(errors.Is(err, io.EOF) && n > 0) {
			return fmt.Errorf("read staged file: %w", err)
		}
		if _, err := s.db.Exec(tx, `INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)`, f.SHA256, seq, buf[:n]); err != nil {
			return fmt.Errorf("blob %s chunk %d: %w", f.SHA256, seq, err)
		}
	}
	return nil
}

// WriteBlob writes a kept content to w chunk by chunk, one short query per
// chunk, so that neither the whole file nor a long-running read is held
// while a slow client downloads it.
func (s *Service) WriteBlob(ctx context.Context, sha string, w io.Writer) error {
	var chunks int
	found, err := s.db.QueryRow(ctx, s.db.R, "SELECT chunks FROM blobs WHERE sha256 = ?", []any{sha}, &chunks)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("blob %s is missing", sha)
	}
	var data []byte
	for seq := range chunks {
		data = data[:0]
		found, err := s.db.QueryRow(ctx, s.db.R, "SELECT data FROM blob_chunks WHERE sha256 = ? AND seq = ?", []any{sha, seq}, &data)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("blob %s: chunk %d is missing", sha, seq)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// blobSum recomputes the SHA-256 of a kept content from its chunks.
func (s *Service) blobSum(ctx context.Context, sha string) (string, int64, error) {
	h := sha256.New()
	cw := &countWriter{w: h}
	if err := s.WriteBlob(ctx, sha, cw); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Attachment returns a task's file for whoever may see the task; to anyone
// else it does not exist. A document's file is for every signed-in user,
// as the document is.
func (s *Service) Attachment(ctx context.Context, actor Actor, id int64) (models.Attachment, error) {
	var a models.Attachment
	err := s.reader(ctx).First(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, NotFound("attachment")
	}
	if err != nil {
		return a, err
	}
	if a.TaskID != nil {
		if _, err := s.Task(ctx, actor, *a.TaskID); err != nil {
			if KindOf(err) == KindNotFound || KindOf(err) == KindForbidden {
				return models.Attachment{}, NotFound("attachment")
			}
			return models.Attachment{}, err
		}
	}
	return a, nil
}

// DocumentFile returns the source file of a document.
func (s *Service) DocumentFile(ctx context.Context, docID int64) (models.Attachment, error) {
	var a models.Attachment
	err := s.reader(ctx).Where("document_id = ?", docID).First(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, NotFound("document file")
	}
	return a, err
}

// attachmentsOf returns the attachments of reports or extension requests
// (column report_id or extension_id), by owner id.
func (s *Service) attachmentsOf(ctx context.Context, column string, ids []int64) (map[int64][]models.Attachment, error) {
	out := map[int64][]models.Attachment{}
	if len(ids) == 0 {
		return out, nil
	}
	var as []models.Attachment
	if err := s.reader(ctx).Where(column+" IN ?", ids).Order("id").Find(&as).Error; err != nil {
		return nil, err
	}
	for _, a := range as {
		owner := a.ReportID
		if column == "extension_id" {
			owner = a.ExtensionID
		}
		out[*owner] = append(out[*owner], a)
	}
	return out, nil
}

// attachmentData is what a task's event records of its files: the audit
// chain then covers their bytes (VerifyAudit recomputes each SHA-256).
func attachmentData(as []models.Attachment) []map[string]any {
	out := make([]map[string]any, len(as))
	for i, a := range as {
		out[i] = map[string]any{"id": a.ID, "name": a.Name, "size": a.Size, "sha256": a.SHA256}
	}
	return out
}
