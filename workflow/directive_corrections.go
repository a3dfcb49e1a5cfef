package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
)

// Correction is one passage as the secretariat made it into directives, in
// the format of the extractor's development set
// (workflow/extract/testdata/dev.jsonl): what real use teaches the
// extractor.
type Correction struct {
	ID          string                `json:"id"`
	Source      string                `json:"source"`
	DocDate     *string               `json:"doc_date"`
	SourceType  string                `json:"source_type"`
	Text        string                `json:"text"`
	IsDirective bool                  `json:"is_directive"`
	Directives  []CorrectionDirective `json:"directives"`
	Note        string                `json:"note,omitempty"`
}

// CorrectionDirective is a directive in the development set's terms: full
// agency names, groups as keys.
type CorrectionDirective struct {
	Lead         []string `json:"lead"`
	Coordinators []string `json:"coordinators"`
	Group        *string  `json:"group"`
	Action       string   `json:"action"`
	Due          *string  `json:"due"`
	DueText      *string  `json:"due_text"`
	Recurring    bool     `json:"recurring"`
}

// ExtractCorrections returns, for the proposals decided (made into a
// directive, or dropped) and the directives added by hand since the day
// given, one record per passage: the directives the secretariat made of it
// (none for a passage whose proposals were all dropped: a negative case).
// A directive added by hand has no recorded passage: its record holds the
// directive's content and says so in its note.
func (s *Service) ExtractCorrections(ctx context.Context, since civil.Date) ([]Correction, error) {
	lo, hi := dayStart(since), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	db := s.reader(ctx)
	agencies, err := s.agencyIndex(ctx)
	if err != nil {
		return nil, err
	}
	var used []models.Proposal
	if err := db.Where("directive_id IS NOT NULL AND decided_at >= ?", lo).Order("document_id, id").Find(&used).Error; err != nil {
		return nil, err
	}
	dropped, _, err := s.undecidedProposals(db, lo, hi)
	if err != nil {
		return nil, err
	}
	hand, err := s.handAddedDirectives(db, lo, hi)
	if err != nil {
		return nil, err
	}
	docs := map[int64]models.Document{}
	doc := func(id int64) (models.Document, error) {
		if d, ok := docs[id]; ok {
			return d, nil
		}
		var d models.Document
		err := db.Select("id, number, issued_on").First(&d, id).Error
		docs[id] = d
		return d, err
	}

	type passageKey struct {
		doc  int64
		text string
	}
	var out []Correction
	at := map[passageKey]int{}
	record := func(docID int64, text string) (*Correction, error) {
		k := passageKey{docID, text}
		if i, ok := at[k]; ok {
			return &out[i], nil
		}
		d, err := doc(docID)
		if err != nil {
			return nil, err
		}
		date := d.IssuedOn.String()
		at[k] = len(out)
		out = append(out, Correction{
			ID: fmt.Sprintf("doc%d-%d", docID, len(out)+1), Source: fmt.Sprintf("dondoc:documents/%d (%s)", docID, d.Number),
			DocDate: &date, SourceType: "official_text", Text: text, Directives: []CorrectionDirective{},
		})
		return &out[len(out)-1], nil
	}
	all := append(slices.Clone(used), dropped...)
	slices.SortStableFunc(all, func(a, b models.Proposal) int { return int(a.ID - b.ID) })
	for _, p := range all {
		c, err := record(p.DocumentID, p.Passage)
		if err != nil {
			return nil, err
		}
		if p.DirectiveID == nil {
			continue
		}
		var proposed ProposedDirective
		if err := json.Unmarshal([]byte(p.Proposed), &proposed); err != nil {
			return nil, err
		}
		cd, err := s.correctionDirective(ctx, *p.DirectiveID, agencies, proposed)
		if err != nil {
			return nil, err
		}
		c.IsDirective = true
		c.Directives = append(c.Directives, cd)
	}
	for _, d := range hand {
		c, err := record(d.DocumentID, d.Content)
		if err != nil {
			return nil, err
		}
		cd, err := s.correctionDirective(ctx, d.ID, agencies, ProposedDirective{})
		if err != nil {
			return nil, err
		}
		c.IsDirective, c.Note = true, "added by hand: the passage it came from is not recorded; the text is the directive's content"
		c.Directives = append(c.Directives, cd)
	}
	return out, nil
}

// correctionDirective describes a recorded directive as the development
// set does; proposed gives the deadline as written when the date was kept.
func (s *Service) correctionDirective(ctx context.Context, id int64, agencies map[string]models.Agency, proposed ProposedDirective) (CorrectionDirective, error) {
	var d models.Directive
	db := s.reader(ctx)
	if err := db.First(&d, id).Error; err != nil {
		return CorrectionDirective{}, err
	}
	var tasks []models.Task
	if err := db.Where("directive_id = ?", id).Order("id").Find(&tasks).Error; err != nil {
		return CorrectionDirective{}, err
	}
	cd := CorrectionDirective{Lead: []string{}, Coordinators: []string{}, Action: d.Content, Recurring: d.DueKind == DueOngoing && d.ReportingPeriod != ""}
	name := func(code string) string {
		if a, ok := agencies[code]; ok {
			return a.Name
		}
		return code
	}
	hasLead := false
	for _, t := range tasks {
		if t.Role == string(RoleLead) && d.AgencyGroup == "" {
			cd.Lead, hasLead = append(cd.Lead, name(t.AgencyCode)), true
		}
	}
	if d.AgencyGroup != "" {
		g := d.AgencyGroup
		// A group with a named lead coordinates, and the lead is the one
		// lead task; alone, the group leads and every member's task is a
		// lead task (a group has more than one member).
		var leads []string
		for _, t := range tasks {
			if t.Role == string(RoleLead) {
				leads = append(leads, name(t.AgencyCode))
			}
		}
		if len(leads) == 1 {
			cd.Lead, hasLead = leads, true
		}
		if hasLead {
			cd.Coordinators = append(cd.Coordinators, "group:"+g)
		} else {
			cd.Group = &g
		}
	}
	for _, t := range tasks {
		if t.Role == string(RoleCoordinator) && (d.AgencyGroup == "" || slices.Contains(proposed.Coordinators, t.AgencyCode)) {
			cd.Coordinators = append(cd.Coordinators, name(t.AgencyCode))
		}
	}
	if !d.DueOn.IsZero() {
		due := d.DueOn.String()
		cd.Due = &due
		if proposed.DueOn == due && proposed.DueText != "" {
			text := proposed.DueText
			cd.DueText = &text
		}
	}
	return cd, nil
}
