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

// DocumentKind is the legal form of a source document.
type DocumentKind string

const (
	DocConclusionNotice DocumentKind = "conclusion_notice" // thông báo kết luận
	DocResolution       DocumentKind = "resolution"        // nghị quyết
	DocDecision         DocumentKind = "decision"          // quyết định
	DocDirective        DocumentKind = "directive"         // chỉ thị
	DocOfficialLetter   DocumentKind = "official_letter"   // công văn
	DocOther            DocumentKind = "other"
)

// DocumentKindLabels are the Vietnamese names of the kinds.
var DocumentKindLabels = map[DocumentKind]string{
	DocConclusionNotice: "Thông báo kết luận",
	DocResolution:       "Nghị quyết",
	DocDecision:         "Quyết định",
	DocDirective:        "Chỉ thị",
	DocOfficialLetter:   "Công văn",
	DocOther:            "Văn bản khác",
}

// DocumentKinds lists the kinds.
var DocumentKinds = []DocumentKind{DocConclusionNotice, DocResolution, DocDecision, DocDirective, DocOfficialLetter, DocOther}

// EarliestDate bounds the dates dondoc accepts: nothing it tracks predates the
// founding of the state, and a date before it is a typing mistake.
var EarliestDate = civil.MustDate("1945-09-02")

// NewDocument is what the secretariat records.
type NewDocument struct {
	Number   string
	Kind     DocumentKind
	Title    string
	IssuedOn civil.Date
	Signer   string
	Body     string
	// RequireText refuses a document left without text: no body given and
	// none read from its file (a scan). The pages need the text to propose
	// tasks; the API keeps such a document and says so (Note).
	RequireText bool
}

// CreateDocument records a source document.
func (s *Service) CreateDocument(ctx context.Context, actor Actor, in NewDocument) (models.Document, error) {
	rec, err := s.RecordDocument(ctx, actor, in, nil)
	return rec.Document, err
}

// RecordedDocument is a document as recorded, with its source file.
type RecordedDocument struct {
	Document models.Document
	File     *models.Attachment // nil without a file
	// TextExtracted says whether the body was read from the file; Note
	// says what to do when it could not be (a scan: paste the text).
	TextExtracted bool
	Note          string
}

// RecordDocument records a source document with its file, staged by
// StageSource (nil for none). The file's text becomes the body unless a
// body is given too (the text pasted beside a scan); a file without a text
// layer is kept all the same, with TextExtracted false and a Note. The
// caller removes the staged file after.
func (s *Service) RecordDocument(ctx context.Context, actor Actor, in NewDocument, file *StagedFile) (RecordedDocument, error) {
	var rec RecordedDocument
	if err := actor.Require(RoleSecretariat); err != nil {
		return rec, err
	}
	in.Number = strings.TrimSpace(in.Number)
	in.Title = strings.TrimSpace(in.Title)
	var bad Invalid
	if in.Number == "" {
		bad.Add("number", "is required (the số ký hiệu, e.g. 123/TB-VPCP)")
	}
	if in.Title == "" {
		bad.Add("title", "is required")
	}
	validDate(&bad, "issued_on", in.IssuedOn, s.Today(), true)
	if err := bad.Err(); err != nil {
		return rec, err
	}
	if file != nil && strings.TrimSpace(in.Body) == "" {
		res, err := s.files.Extractor.Text(ctx, file, file.Size, file.Kind)
		if err != nil {
			return rec, err
		}
		in.Body, rec.TextExtracted, rec.Note = res.Text, res.TextExtracted, res.Note
	}
	if in.RequireText && strings.TrimSpace(in.Body) == "" {
		if file != nil {
			bad.Add("file", "holds no text to read (a scan without a text layer): paste the text beside it")
		} else {
			bad.Add("body", "is required")
		}
		return rec, bad.Err()
	}
	doc := models.Document{
		Number: in.Number, Kind: string(in.Kind), Title: in.Title, IssuedOn: in.IssuedOn,
		Signer: strings.TrimSpace(in.Signer), Body: in.Body, CreatedBy: actor.UserID, CreatedAt: s.clock.Now(),
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&doc).Error; err != nil {
			return err
		}
		if file == nil {
			return nil
		}
		files, err := s.keepFiles(ctx, tx, []*StagedFile{file}, attachTo{documentID: &doc.ID}, actor.UserID, doc.CreatedAt)
		if err != nil {
			return err
		}
		rec.File = &files[0]
		return nil
	})
	if storage.IsDuplicate(err) {
		return rec, E(KindConflict, "duplicate_document", "a document numbered %s issued on %s is already recorded", in.Number, in.IssuedOn)
	}
	rec.Document = doc
	return rec, err
}

// validDate checks that a required date is set and plausible: not before
// EarliestDate and, when notFuture, not after today.
func validDate(bad *Invalid, field string, d, today civil.Date, notFuture bool) {
	switch {
	case d.IsZero():
		bad.Add(field, "is required")
	case d.Before(EarliestDate):
		bad.AddValue(field, d.String(), "is before %s", EarliestDate)
	case notFuture && d.After(today):
		bad.AddValue(field, d.String(), "is in the future (today is %s)", today)
	}
}

// Document returns one document.
func (s *Service) Document(ctx context.Context, id int64) (models.Document, error) {
	var doc models.Document
	err := s.reader(ctx).First(&doc, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return doc, NotFound("document")
	}
	return doc, err
}

// DocumentFilter selects documents.
type DocumentFilter struct {
	IssuedFrom, IssuedTo civil.Date
	Number               string
	// Q finds documents whose number or title contains it, in any case of
	// its ASCII letters (the web page's search box).
	Q    string
	Page Page
}

// Documents lists documents, newest issue date first.
func (s *Service) Documents(ctx context.Context, f DocumentFilter) ([]models.Document, string, error) {
	q := s.reader(ctx).Model(&models.Document{})
	if !f.IssuedFrom.IsZero() {
		q = q.Where("issued_on >= ?", f.IssuedFrom)
	}
	if !f.IssuedTo.IsZero() {
		q = q.Where("issued_on <= ?", f.IssuedTo)
	}
	if f.Number != "" {
		q = q.Where("number = ?", f.Number)
	}
	if words := strings.TrimSpace(f.Q); words != "" {
		like := "%" + escapeLike(strings.ToLower(words)) + "%"
		q = q.Where("(LOWER(number) LIKE ? ESCAPE '\\' OR LOWER(title) LIKE ? ESCAPE '\\')", like, like)
	}
	return keysetPage(f.Page, func(after *cursor, limit int) ([]models.Document, error) {
		if after != nil {
			q = q.Where("(issued_on, id) < (?, ?)", after.Date, after.ID)
		}
		var docs []models.Document
		err := q.Order("issued_on DESC, id DESC").Limit(limit).Find(&docs).Error
		return docs, err
	}, func(d models.Document) cursor { return cursor{Date: d.IssuedOn, ID: d.ID} })
}
