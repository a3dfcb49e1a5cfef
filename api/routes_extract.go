package api

import (
	"context"
	"net/http"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/extract"
)

// MaxExtractText is the longest text /extract reads, in characters: a
// conclusion notice runs to some tens of thousands; the request body limit
// (1 MB by default) usually answers 413 first.
const MaxExtractText = 1_000_000

// ProposedAgency is an agency as a proposal names it.
type ProposedAgency struct {
	Code             *string          `json:"code" nullable:"true" doc:"The catalog's code; null for a body the catalog does not hold (needs_mapping)"`
	Name             string           `json:"name"`
	AsWritten        string           `json:"as_written" doc:"The name as the text writes it"`
	ValidOnDocDate   bool             `json:"valid_on_doc_date" doc:"False when the agency did not exist on the document's date: choose another before posting"`
	CurrentSuccessor *SuccessorAgency `json:"current_successor" doc:"The agency that does its work today, when it no longer exists"`
	NeedsMapping     bool             `json:"needs_mapping" doc:"True for a body the catalog does not hold (an association, a state corporation, a working group): map it to an agency or drop it"`
}

// ProposedGroup is a group that coordinates a proposed directive.
type ProposedGroup struct {
	Group     string `json:"group" enum:"all_ministries,all_provinces,all_ministries_and_provinces,government_members,other" doc:"other: a set the catalog cannot expand, named in as_written"`
	AsWritten string `json:"as_written" doc:"The group as the text names it"`
}

// SuccessorAgency names the agency that took over a dissolved one's work.
type SuccessorAgency struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// TextSpan is where a proposal's sentence is in the text sent.
type TextSpan struct {
	Start int `json:"start" doc:"First character, counted in Unicode code points from 0 (not UTF-16 units, not bytes)"`
	End   int `json:"end" doc:"The character after the last"`
}

// ProposedDirective is one directive that /extract proposes. Its fields are
// those of POST /directives, which accepts it as it is once document_id is
// set (the documents/{id}/extract route sets it).
type ProposedDirective struct {
	ID                string           `json:"id" doc:"Stable for the same text: derived from the text and where the proposal is in it. From /documents/{id}/extract the proposal is recorded: POST /directives with proposal_id set to it records what the secretariat changed"`
	DocumentID        int64            `json:"document_id,omitempty" doc:"The stored document, for /documents/{id}/extract"`
	Action            string           `json:"action" doc:"What is to be done; POST /directives takes it as the content"`
	Lead              *ProposedAgency  `json:"lead" doc:"The agency that leads (chủ trì), or null when a group does the work. Several leads of one task come as one proposal each, with the same action"`
	Coordinators      []ProposedAgency `json:"coordinators" doc:"Agencies that coordinate (phối hợp)"`
	Group             *string          `json:"group" enum:"all_ministries,all_provinces,all_ministries_and_provinces,government_members,other" nullable:"true" doc:"The group that leads, when the text names one instead of an agency; other: a set the catalog cannot expand (group_as_written says which)"`
	GroupAsWritten    *string          `json:"group_as_written" nullable:"true" doc:"The group as the text names it; null without a group"`
	CoordinatorGroups []ProposedGroup  `json:"coordinator_groups" doc:"Groups that coordinate: phối hợp với các bộ, ngành, địa phương; … và các cơ quan liên quan"`
	DueOn             *civil.Date      `json:"due_on" format:"date" nullable:"true" doc:"The deadline from doc_date, or null; for a period deadline the period's last day (due_period keeps the period)"`
	DuePeriod         *string          `json:"due_period" nullable:"true" example:"2026-Q3" doc:"For a deadline at the end of a month (2026-09), quarter (2026-Q3), half-year (2026-H2) or year (2026), or before Tết (tet-2027): the period, as POST /directives takes it; else null"`
	DueKind           string           `json:"due_kind,omitempty" enum:"urgent,ongoing" doc:"For a directive without a date: urgent (khẩn trương, sớm) or ongoing (thường xuyên)"`
	ReportingPeriod   string           `json:"reporting_period,omitempty" enum:"monthly,quarterly" doc:"For an ongoing directive reported on a period (hằng tháng, hằng quý)"`
	DueText           string           `json:"due_text" doc:"The deadline as written"`
	Recurring         bool             `json:"recurring" doc:"A recurring duty (hằng tháng, định kỳ)"`
	Span              TextSpan         `json:"span"`
	Confidence        float64          `json:"confidence" minimum:"0" maximum:"1"`
}

type extractInput struct {
	Body struct {
		Text    string     `json:"text" minLength:"1" maxLength:"1000000" doc:"The Vietnamese text of the conclusion"`
		DocDate civil.Date `json:"doc_date" format:"date" doc:"The document's date: deadlines count from it and agencies are resolved as of it"`
	}
}

type extractOutput struct {
	Body struct {
		Directives []ProposedDirective `json:"directives"`
	}
}

func (s *Server) registerExtract() {
	s.registerExtractQuality()
	huma.Register(s.api, s.op("extract-directives", http.MethodPost, "/extract", "Propose the directives of a conclusion's text", "Directives"),
		func(ctx context.Context, in *extractInput) (*extractOutput, error) {
			if err := checkDocDate("doc_date", in.Body.DocDate); err != nil {
				return nil, fail(s.log, err)
			}
			return s.extract(ctx, in.Body.Text, in.Body.DocDate, 0)
		})
	huma.Register(s.api, s.op("extract-document", http.MethodPost, "/documents/{id}/extract", "Propose the directives of a stored document", "Directives"),
		func(ctx context.Context, in *idInput) (*extractOutput, error) {
			if err := mayExtract(actorFrom(ctx)); err != nil {
				return nil, fail(s.log, err)
			}
			d, err := s.svc.Document(ctx, in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			if err := checkDocDate("issued_on", d.IssuedOn); err != nil {
				return nil, fail(s.log, err)
			}
			return s.extract(ctx, d.Body, d.IssuedOn, d.ID)
		})
}

// mayExtract lets the secretariat, who records directives, and leaders and
// admins, who review them, read proposals; an agency's officers do not
// record directives.
func mayExtract(a workflow.Actor) error {
	return a.Require(workflow.RoleSecretariat, workflow.RoleLeader, workflow.RoleAdmin)
}

func checkDocDate(field string, d civil.Date) error {
	var bad workflow.Invalid
	switch {
	case d.IsZero():
		bad.Add(field, "is required: deadlines count from the document's date")
	case d.Year < calendar.MinYear || d.Year > calendar.MaxYear:
		bad.AddValue(field, d.String(), "must be between %d and %d", calendar.MinYear, calendar.MaxYear)
	}
	return bad.Err()
}

func (s *Server) extract(ctx context.Context, text string, docDate civil.Date, docID int64) (*extractOutput, error) {
	if err := mayExtract(actorFrom(ctx)); err != nil {
		return nil, fail(s.log, err)
	}
	x, err := s.extractor(ctx)
	if err != nil {
		return nil, fail(s.log, err)
	}
	out := &extractOutput{}
	out.Body.Directives = []ProposedDirective{}
	ps := x.Extract(text, docDate)
	if docID != 0 {
		// A stored document's proposals are kept, so that directives made
		// from them (proposal_id) show what the secretariat changed.
		if err := s.svc.RecordProposals(ctx, actorFrom(ctx), docID, text, ps); err != nil {
			return nil, fail(s.log, err)
		}
	}
	for _, p := range ps {
		out.Body.Directives = append(out.Body.Directives, proposedOut(p, docID))
	}
	return out, nil
}

// extractors keeps the extractor built over the current catalog and
// calendar: building its gazetteer takes some milliseconds, reading the
// catalog's version a fraction of one.
type extractors struct {
	mu  sync.Mutex
	key string
	cal *calendar.Calendar
	x   *extract.Extractor
}

func (s *Server) extractor(ctx context.Context) (*extract.Extractor, error) {
	version, err := s.svc.CatalogVersion(ctx)
	if err != nil {
		return nil, err
	}
	cal := s.svc.Calendars().Current()
	c := &s.extractors
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.x != nil && c.key == version && c.cal == cal {
		return c.x, nil
	}
	cat, err := s.svc.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	c.key, c.cal, c.x = version, cal, extract.New(cat, cal).WithToday(s.svc.Today)
	return c.x, nil
}

func proposedOut(p extract.Proposal, docID int64) ProposedDirective {
	out := ProposedDirective{
		ID: p.ID, DocumentID: docID, Action: p.Action, Coordinators: make([]ProposedAgency, 0, len(p.Coordinators)),
		CoordinatorGroups: make([]ProposedGroup, 0, len(p.CoordinatorGroups)),
		DueOn:             p.DueOn.Ptr(), DueKind: p.DueKind, ReportingPeriod: p.ReportingPeriod, DueText: p.DueText, Recurring: p.Recurring,
		Span: TextSpan{Start: p.Span.Start, End: p.Span.End}, Confidence: p.Confidence,
	}
	if p.Lead != nil {
		a := proposedAgencyOut(*p.Lead)
		out.Lead = &a
	}
	for _, c := range p.Coordinators {
		out.Coordinators = append(out.Coordinators, proposedAgencyOut(c))
	}
	if p.Group != nil {
		g, w := string(*p.Group), p.GroupAsWritten
		out.Group, out.GroupAsWritten = &g, &w
	}
	for _, g := range p.CoordinatorGroups {
		out.CoordinatorGroups = append(out.CoordinatorGroups, ProposedGroup{Group: string(g.Group), AsWritten: g.AsWritten})
	}
	if p.DuePeriod != "" {
		period := p.DuePeriod
		out.DuePeriod = &period
	}
	return out
}

func proposedAgencyOut(a extract.Agency) ProposedAgency {
	out := ProposedAgency{Name: a.Name, AsWritten: a.AsWritten, ValidOnDocDate: a.ValidOnDocDate, NeedsMapping: a.NeedsMapping}
	if a.Code != "" {
		code := a.Code
		out.Code = &code
	}
	if a.CurrentSuccessor != nil {
		out.CurrentSuccessor = &SuccessorAgency{Code: a.CurrentSuccessor.Code, Name: a.CurrentSuccessor.Name}
	}
	return out
}
