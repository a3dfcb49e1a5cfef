package workflow

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow/extract"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// Proposal fields whose changes are counted: what the secretariat may edit
// in a proposal before it becomes a directive.
const (
	FieldLead         = "lead"
	FieldCoordinators = "coordinators"
	FieldGroup        = "group"
	FieldDue          = "due"
	FieldAction       = "action"
)

// ProposalFields lists the fields in the order reports give them.
var ProposalFields = []string{FieldLead, FieldCoordinators, FieldGroup, FieldDue, FieldAction}

// ProposedDirective is a proposal as recorded: the fields the secretariat
// may change, in the form a directive holds them. An agency outside the
// catalog is kept by its name as written, so that mapping it shows as an
// edit.
type ProposedDirective struct {
	Lead           string   `json:"lead,omitempty"`
	LeadName       string   `json:"lead_name,omitempty"`
	Coordinators   []string `json:"coordinators,omitempty"`
	Group          string   `json:"group,omitempty"`
	GroupAsWritten string   `json:"group_as_written,omitempty"`
	DueOn          string   `json:"due_on,omitempty"`
	DuePeriod      string   `json:"due_period,omitempty"`
	DueKind        string   `json:"due_kind,omitempty"`
	DueText        string   `json:"due_text,omitempty"`
	Recurring      bool     `json:"recurring,omitempty"`
	Action         string   `json:"action"`
}

func proposedOf(p extract.Proposal) ProposedDirective {
	name := func(a extract.Agency) string { return cmpOr(a.Code, a.AsWritten, a.Name) }
	out := ProposedDirective{
		Action: p.Action, DuePeriod: p.DuePeriod, DueKind: p.DueKind, DueText: p.DueText, Recurring: p.Recurring,
		GroupAsWritten: p.GroupAsWritten,
	}
	if p.Lead != nil {
		out.Lead, out.LeadName = name(*p.Lead), p.Lead.Name
	}
	for _, c := range p.Coordinators {
		out.Coordinators = append(out.Coordinators, name(c))
	}
	if p.Group != nil {
		out.Group = string(*p.Group)
	}
	if !p.DueOn.IsZero() {
		out.DueOn = p.DueOn.String()
	}
	return out
}

func cmpOr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// RecordProposals keeps the proposals the extractor made for a stored
// document (text is the text they were read from), so that directives made
// from them can name them and what the secretariat changes is counted. A
// proposal already recorded for the document (same id: same text, same
// place) is kept as it was.
func (s *Service) RecordProposals(ctx context.Context, actor Actor, docID int64, text string, ps []extract.Proposal) error {
	if err := actor.Require(RoleSecretariat, RoleLeader, RoleAdmin); err != nil {
		return err
	}
	if len(ps) == 0 {
		return nil
	}
	now := s.clock.Now()
	return s.inTx(ctx, func(tx *gorm.DB) error {
		for _, p := range ps {
			b, e := p.SentenceBytes()
			passage := ""
			if 0 <= b && b <= e && e <= len(text) {
				passage = strings.TrimSpace(text[b:e])
			}
			proposed, err := json.Marshal(proposedOf(p))
			if err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO proposals (document_id, proposal_key, passage, proposed, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id, proposal_key) DO NOTHING`,
				docID, p.ID, passage, string(proposed), now).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// documentProposals returns a document's recorded proposals by their id.
func (s *Service) documentProposals(ctx context.Context, docID int64) (map[string]models.Proposal, error) {
	var rows []models.Proposal
	if err := s.reader(ctx).Where("document_id = ?", docID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]models.Proposal, len(rows))
	for _, r := range rows {
		out[r.ProposalKey] = r
	}
	return out, nil
}

// decideProposal links a proposal to the directive made from it, with the
// fields the secretariat changed. The guard on directive_id refuses a
// proposal that another request made into a directive meanwhile.
func (s *Service) decideProposal(tx *gorm.DB, plan directivePlan, d models.Directive, now time.Time) error {
	var p ProposedDirective
	if err := json.Unmarshal([]byte(plan.proposal.Proposed), &p); err != nil {
		return err
	}
	edited := strings.Join(editedFields(p, plan, d), ",")
	res := tx.Exec(`UPDATE proposals SET directive_id = ?, edited = ?, decided_at = ? WHERE id = ? AND directive_id IS NULL`,
		d.ID, edited, now, plan.proposal.ID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return E(KindConflict, "proposal_used", "the proposal %s was made into a directive meanwhile", plan.proposal.ProposalKey)
	}
	return nil
}

// editedFields compares a proposal with the directive made from it.
func editedFields(p ProposedDirective, plan directivePlan, d models.Directive) []string {
	var out []string
	if p.Lead != plan.lead {
		out = append(out, FieldLead)
	}
	a, b := slices.Clone(p.Coordinators), slices.Clone(plan.coordinators)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		out = append(out, FieldCoordinators)
	}
	if p.Group != d.AgencyGroup {
		out = append(out, FieldGroup)
	}
	due := d.DueOn.String()
	if d.DueOn.IsZero() {
		due = ""
	}
	kind := p.DueKind
	if kind == "" && p.DueOn == "" {
		kind = DueNone
	}
	if p.DueOn != due || (due == "" && kind != d.DueKind) {
		out = append(out, FieldDue)
	}
	if strings.TrimSpace(vntext.Normalize(p.Action)) != d.Content {
		out = append(out, FieldAction)
	}
	return out
}

// FieldQuality counts, for one field, the proposals whose value the
// secretariat kept, changed, or that it dropped whole.
type FieldQuality struct {
	Kept    int `json:"kept"`
	Edited  int `json:"edited"`
	Dropped int `json:"dropped"`
}

// ExtractQuality is how right the extractor's proposals were in use.
type ExtractQuality struct {
	From, To civil.Date
	// Proposals made into directives, dropped (their document got
	// directives after them, none from them), and pending (not decided yet).
	Used, Dropped, Pending int
	// KeptWhole counts the proposals made into directives unchanged.
	KeptWhole int
	Fields    map[string]FieldQuality
	// HandAdded counts the directives added by hand to documents that had
	// proposals: what the extractor missed.
	HandAdded int
	// Recall is Used / (Used + HandAdded): the share of the directives
	// recorded that the extractor found; 0 when there are none.
	Recall float64
}

// checkRange checks a quality report's range.
func checkRange(from, to civil.Date) error {
	var bad Invalid
	if from.IsZero() {
		bad.Add("from", "is required")
	}
	if to.IsZero() {
		bad.Add("to", "is required")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		bad.AddValue("to", to.String(), "is before from %s", from)
	}
	return bad.Err()
}

// dayStart is the instant a Vietnamese day begins.
func dayStart(d civil.Date) time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, Location).UTC()
}

// ExtractQuality reports, over the proposals recorded and the directives
// created from from to to (inclusive, Vietnamese days), how often each field
// of a proposal was kept, edited or dropped, and the recall of the
// directives added by hand. For the secretariat and leaders.
func (s *Service) ExtractQuality(ctx context.Context, actor Actor, from, to civil.Date) (ExtractQuality, error) {
	q := ExtractQuality{From: from, To: to, Fields: map[string]FieldQuality{}}
	if err := actor.Require(RoleSecretariat, RoleLeader, RoleAdmin); err != nil {
		return q, err
	}
	if err := checkRange(from, to); err != nil {
		return q, err
	}
	lo, hi := dayStart(from), dayStart(to.AddDays(1))
	db := s.reader(ctx)

	var used []models.Proposal
	if err := db.Where("directive_id IS NOT NULL AND decided_at >= ? AND decided_at < ?", lo, hi).Find(&used).Error; err != nil {
		return q, err
	}
	for _, f := range ProposalFields {
		q.Fields[f] = FieldQuality{}
	}
	for _, p := range used {
		q.Used++
		edited := strings.Split(p.Edited, ",")
		if p.Edited == "" {
			q.KeptWhole++
		}
		for _, f := range ProposalFields {
			fq := q.Fields[f]
			if slices.Contains(edited, f) {
				fq.Edited++
			} else {
				fq.Kept++
			}
			q.Fields[f] = fq
		}
	}

	dropped, pending, err := s.undecidedProposals(db, lo, hi)
	if err != nil {
		return q, err
	}
	q.Dropped, q.Pending = len(dropped), pending
	for _, f := range ProposalFields {
		fq := q.Fields[f]
		fq.Dropped = q.Dropped
		q.Fields[f] = fq
	}

	hand, err := s.handAddedDirectives(db, lo, hi)
	if err != nil {
		return q, err
	}
	q.HandAdded = len(hand)
	if q.Used+q.HandAdded > 0 {
		q.Recall = float64(q.Used) / float64(q.Used+q.HandAdded)
	}
	return q, nil
}

// undecidedProposals returns the proposals recorded in [lo, hi) that no
// directive was made from although their document got directives after
// them (dropped), and counts those whose document got none yet (pending).
func (s *Service) undecidedProposals(db *gorm.DB, lo, hi time.Time) ([]models.Proposal, int, error) {
	var rows []models.Proposal
	if err := db.Where("directive_id IS NULL AND created_at >= ? AND created_at < ?", lo, hi).Order("document_id, id").Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	var dropped []models.Proposal
	pending := 0
	for _, p := range rows {
		var n int64
		if err := db.Model(&models.Directive{}).Where("document_id = ? AND created_at >= ?", p.DocumentID, p.CreatedAt).Count(&n).Error; err != nil {
			return nil, 0, err
		}
		if n > 0 {
			dropped = append(dropped, p)
		} else {
			pending++
		}
	}
	return dropped, pending, nil
}

// handAddedDirectives returns the directives created in [lo, hi) on a
// document that had proposals before them, made from none of them.
func (s *Service) handAddedDirectives(db *gorm.DB, lo, hi time.Time) ([]models.Directive, error) {
	var out []models.Directive
	err := db.Where(`created_at >= ? AND created_at < ?
		AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.directive_id = directives.id)
		AND EXISTS (SELECT 1 FROM proposals p WHERE p.document_id = directives.document_id AND p.created_at <= directives.created_at)`, lo, hi).
		Order("id").Find(&out).Error
	return out, err
}
