package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
	"github.com/dondoc/dondoc/workflow/catalog"
	"github.com/dondoc/dondoc/workflow/deadline"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// Priority is a directive's urgency, as Vietnamese documents mark it (độ khẩn).
type Priority string

const (
	PriorityNormal     Priority = "normal"      // thường
	PriorityUrgent     Priority = "urgent"      // khẩn
	PriorityVeryUrgent Priority = "very_urgent" // thượng khẩn
	PriorityFlash      Priority = "flash"       // hỏa tốc
)

// Priorities lists the priorities, least urgent first.
var Priorities = []Priority{PriorityNormal, PriorityUrgent, PriorityVeryUrgent, PriorityFlash}

// Due kinds: how a directive's deadline was given.
const (
	DueDate        = "date"         // a date
	DueWorkingDays = "working_days" // N working days from the document's date
	DuePeriod      = "period"       // the end of a month, quarter, half-year or year, or before Tết
	DueUrgent      = "urgent"       // khẩn trương: no date
	DueOngoing     = "ongoing"      // thường xuyên: no date, maybe a reporting period
	DueNone        = "none"
)

// Reporting periods of an ongoing directive.
var ReportingPeriods = []string{"monthly", "quarterly", "half_yearly", "yearly"}

// NewDirective is one instruction of a document to turn into tasks.
type NewDirective struct {
	DocumentID       int64
	Content          string
	Field            string
	Priority         Priority
	DueOn            civil.Date
	DueInWorkingDays *int
	// DueIn is a period from the document's date: "trong 2 tuần", "trong
	// 03 tháng kể từ ngày ký" (deadline.AddPeriod, Civil Code Arts.
	// 147-148: 31 January + 1 month ends on February's last day).
	DueIn           *DuePeriodFrom
	DuePeriod       string // 2023-10, 2023-Q3, 2023-H1, 2023, tet-2024
	DueKind         string // urgent or ongoing when there is no date
	ReportingPeriod string
	Lead            string
	Coordinators    []string
	Group           string
	// ProposalID is the id of the proposal (from /documents/{id}/extract)
	// the directive is made from; empty for one added by hand.
	ProposalID string
	// ProposalIfRecorded makes an unknown ProposalID no error: the
	// directive then counts as added by hand (a proposal posted as it is
	// from POST /extract, which records nothing).
	ProposalIfRecorded bool
}

// DuePeriodFrom is a deadline given as n units after the document's date.
type DuePeriodFrom struct {
	Value int
	Unit  deadline.Unit
}

// DirectiveView is a directive with its document and its tasks.
type DirectiveView struct {
	models.Directive
	DocumentNumber string
	Tasks          []TaskView
}

// CreateDirective records a directive and creates its tasks: one for the
// lead, one per coordinator, and, for a group, one per agency of the group
// active on the document's date. Each task starts assigned with its event.
// When in.ProposalID names a proposal recorded for the document, the
// directive is linked to it and the fields the secretariat changed are
// recorded (see RecordProposals).
func (s *Service) CreateDirective(ctx context.Context, actor Actor, in NewDirective) (DirectiveView, error) {
	views, err := s.createDirectives(ctx, actor, in.DocumentID, []NewDirective{in}, "")
	if err != nil {
		return DirectiveView{}, err
	}
	return views[0], nil
}

// CreateDirectivesFromProposals records several directives of one document
// in one transaction: all are created or none. Each may name the proposal
// it comes from (ProposalID, the id /extract gave it); one without is a
// directive added by hand. The document's proposals that no directive
// names count as dropped from then on. Each directive's DocumentID must be
// docID or zero. Field errors name the directive: directives[i].lead.
func (s *Service) CreateDirectivesFromProposals(ctx context.Context, actor Actor, docID int64, ins []NewDirective) ([]DirectiveView, error) {
	if len(ins) == 0 {
		return nil, Invalid{{Field: "directives", Message: "is empty: give at least one directive"}}.Err()
	}
	return s.createDirectives(ctx, actor, docID, ins, "directives")
}

func (s *Service) createDirectives(ctx context.Context, actor Actor, docID int64, ins []NewDirective, prefix string) ([]DirectiveView, error) {
	if err := actor.Require(RoleSecretariat); err != nil {
		return nil, err
	}
	doc, err := s.Document(ctx, docID)
	if errors.Is(err, ErrNotFound) {
		return nil, &Error{Kind: KindInvalid, Code: "invalid_input", Message: "the request has invalid fields",
			Fields: []FieldError{{Field: "document_id", Message: "no such document", Value: docID}}}
	}
	if err != nil {
		return nil, err
	}
	agencies, cat, err := s.agencySnapshot(ctx)
	if err != nil {
		return nil, err
	}
	proposals, err := s.documentProposals(ctx, doc.ID)
	if err != nil {
		return nil, err
	}
	var bad Invalid
	plans := make([]directivePlan, len(ins))
	used := map[string]int{}
	for i, in := range ins {
		name := func(f string) string {
			if prefix == "" {
				return f
			}
			return fmt.Sprintf("%s[%d].%s", prefix, i, f)
		}
		if in.DocumentID != 0 && in.DocumentID != doc.ID {
			bad.AddValue(name("document_id"), in.DocumentID, "differs from the document %d", doc.ID)
			continue
		}
		plan, err := s.planDirective(in, doc, agencies, cat)
		var e *Error
		if errors.As(err, &e) && e.Kind == KindInvalid {
			for _, f := range e.Fields {
				f.Field = name(f.Field)
				bad = append(bad, f)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if in.ProposalID != "" {
			p, ok := proposals[in.ProposalID]
			switch {
			case !ok && in.ProposalIfRecorded:
			case !ok:
				bad.AddValue(name("proposal_id"), in.ProposalID, "is not a proposal of this document: propose with POST /documents/%d/extract", doc.ID)
			case p.DirectiveID != nil:
				bad.AddValue(name("proposal_id"), in.ProposalID, "was already made into directive %d", *p.DirectiveID)
			case used[in.ProposalID] > 0:
				bad.AddValue(name("proposal_id"), in.ProposalID, "is named by directive %d of this request too", used[in.ProposalID]-1)
			default:
				used[in.ProposalID] = i + 1
				plan.proposal = &p
			}
		}
		plans[i] = plan
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}

	now, today := s.clock.Now(), s.Today()
	views := make([]DirectiveView, 0, len(plans))
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		views = views[:0]
		out := s.outbox.Queue(tx, now)
		for _, plan := range plans {
			view, err := s.insertPlannedDirective(tx, out, actor, doc, plan, agencies, now, today)
			if err != nil {
				return err
			}
			if plan.proposal != nil {
				if err := s.decideProposal(tx, plan, view.Directive, now); err != nil {
					return err
				}
			}
			views = append(views, view)
		}
		return out.Flush()
	})
	if err == nil {
		s.outbox.Wake()
	}
	return views, err
}

// insertPlannedDirective writes one planned directive, its tasks, their
// events and notices in tx.
func (s *Service) insertPlannedDirective(tx *gorm.DB, out *notify.Queue, actor Actor, doc models.Document, plan directivePlan,
	agencies map[string]models.Agency, now time.Time, today civil.Date) (DirectiveView, error) {
	var view DirectiveView
	d := plan.directive
	d.CreatedBy, d.CreatedAt = actor.UserID, now
	if err := s.insertDirective(tx, &d); err != nil {
		return view, err
	}
	for _, pt := range plan.tasks {
		t := models.Task{
			DirectiveID: d.ID, AgencyCode: pt.agency, Role: string(pt.role), Status: string(StatusAssigned),
			DueOn: d.DueOn, OriginalDueOn: d.DueOn, AssignedOn: doc.IssuedOn, NextRemindOn: today, Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := s.insertTask(tx, &t); err != nil {
			return view, err
		}
		if _, err := s.appendEvent(tx, models.Event{
			TaskID: t.ID, Action: EventAssign, ToStatus: t.Status, Actor: actor.Username, ActorRole: string(actor.Role), At: now,
			Data: eventData(map[string]any{"agency_code": t.AgencyCode, "role": t.Role, "due_on": t.DueOn.String()}),
		}); err != nil {
			return view, err
		}
		// An agency named as of an older document's date may be gone
		// today: its successor does the work.
		if a := agencies[pt.agency]; !agencyActive(a, today) {
			if _, err := s.transfer(tx, &t, agencies, today, now); err != nil {
				return view, err
			}
		}
		if err := out.Agency(t.AgencyCode, notify.Notice{
			Kind: notify.KindAssign, TaskID: t.ID, Key: fmt.Sprintf("task-%d", t.ID),
			Title: fmt.Sprintf("Nhiệm vụ mới theo văn bản số %s", doc.Number),
			Body:  assignBody(doc, d, pt.role),
			Data: map[string]any{"task": map[string]any{"id": t.ID, "agency_code": t.AgencyCode, "role": t.Role, "status": t.Status,
				"due_on": t.DueOn.Ptr(), "directive_id": d.ID, "directive": d.Content, "document_number": doc.Number}},
		}); err != nil {
			return view, err
		}
		a := agencies[t.AgencyCode]
		view.Tasks = append(view.Tasks, TaskView{Task: t, DirectiveContent: d.Content, DirectiveField: d.Field,
			DocumentID: doc.ID, DocumentNumber: doc.Number, DocumentIssuedOn: doc.IssuedOn, AgencyName: a.Name, AgencyShortName: a.ShortName})
	}
	view.Directive, view.DocumentNumber = d, doc.Number
	return view, nil
}

func assignBody(doc models.Document, d models.Directive, role TaskRole) string {
	part := "chủ trì"
	if role == RoleCoordinator {
		part = "phối hợp"
	}
	due := "không có thời hạn cụ thể"
	if !d.DueOn.IsZero() {
		due = "hạn " + d.DueOn.Time().Format("02/01/2006")
	}
	return fmt.Sprintf("Cơ quan được giao %s thực hiện nhiệm vụ (%s): %s", part, due, truncate(d.Content, 500))
}

type plannedTask struct {
	agency string
	role   TaskRole
}

type directivePlan struct {
	directive    models.Directive
	tasks        []plannedTask
	lead         string
	coordinators []string         // the coordinators named, without a group's members
	proposal     *models.Proposal // the proposal it comes from, if any
}

// planDirective validates a new directive against its document and the
// catalog, resolves its deadline and lists its tasks, touching nothing.
func (s *Service) planDirective(in NewDirective, doc models.Document, agencies map[string]models.Agency, cat *catalog.Catalog) (directivePlan, error) {
	var bad Invalid
	content := strings.TrimSpace(vntext.Normalize(in.Content))
	if content == "" {
		bad.Add("content", "is required: what is to be done")
	}
	checkLen(&bad, "content", content, MaxBodyLen)
	if in.Priority == "" {
		in.Priority = PriorityNormal
	}
	if !slices.Contains(Priorities, in.Priority) {
		bad.AddValue("priority", string(in.Priority), "must be one of %v", Priorities)
	}
	d := models.Directive{
		DocumentID: doc.ID, Content: content, Field: strings.TrimSpace(in.Field), Priority: string(in.Priority),
		ReportingPeriod: in.ReportingPeriod, AgencyGroup: in.Group,
	}
	d.SearchText = vntext.Fold(content + " " + d.Field)
	s.planDeadline(&bad, in, doc, &d)

	var tasks []plannedTask
	seen := map[string]string{}
	addAgency := func(field, code string, role TaskRole) {
		code = strings.TrimSpace(code)
		a, ok := agencies[code]
		switch {
		case code == "":
			bad.Add(field, "is empty: give an agency code")
		case !ok:
			bad.AddValue(field, code, "is not an agency code")
		case !agencyActive(a, doc.IssuedOn):
			bad.AddValue(field, code, "names %s, which did not exist on the document's date %s", a.Name, doc.IssuedOn)
		case seen[code] != "":
			bad.AddValue(field, code, "names the same agency as %s", seen[code])
		default:
			seen[code] = field
			tasks = append(tasks, plannedTask{agency: code, role: role})
		}
	}
	if in.Lead != "" {
		addAgency("lead", in.Lead, RoleLead)
	}
	for i, c := range in.Coordinators {
		addAgency(fmt.Sprintf("coordinators[%d]", i), c, RoleCoordinator)
	}
	if in.Group != "" {
		g, err := catalog.ParseGroup(in.Group)
		if err != nil {
			bad.AddValue("group", in.Group, "must be one of all_ministries, all_provinces, all_ministries_and_provinces, government_members")
		} else {
			// Each member of a group gets its own share; when a lead is
			// named, the group's members coordinate with it.
			role := RoleLead
			if in.Lead != "" {
				role = RoleCoordinator
			}
			for _, a := range expandGroup(g, cat, doc.IssuedOn) {
				if seen[a] == "" {
					seen[a] = "group"
					tasks = append(tasks, plannedTask{agency: a, role: role})
				}
			}
		}
	}
	if in.Lead == "" && in.Group == "" && len(bad) == 0 {
		bad.Add("lead", "is required unless a group is named: a directive needs an agency to lead it")
	}
	if err := bad.Err(); err != nil {
		return directivePlan{}, err
	}
	var coordinators []string
	for _, t := range tasks {
		if t.role == RoleCoordinator && seen[t.agency] != "group" {
			coordinators = append(coordinators, t.agency)
		}
	}
	return directivePlan{directive: d, tasks: tasks, lead: strings.TrimSpace(in.Lead), coordinators: coordinators}, nil
}

// planDeadline fills the directive's deadline from the one form given.
func (s *Service) planDeadline(bad *Invalid, in NewDirective, doc models.Document, d *models.Directive) {
	given := 0
	for _, set := range []bool{!in.DueOn.IsZero(), in.DueInWorkingDays != nil, in.DuePeriod != "", in.DueIn != nil} {
		if set {
			given++
		}
	}
	if given > 1 {
		bad.Add("due_on", "give one of due_on, due_in_working_days, due_in and due_period, not several")
		return
	}
	cal := s.cal.Current()
	switch {
	case !in.DueOn.IsZero():
		d.DueKind, d.DueOn = DueDate, in.DueOn
		if in.DueOn.Before(doc.IssuedOn) {
			bad.AddValue("due_on", in.DueOn.String(), "is before the document's date %s", doc.IssuedOn)
		}
	case in.DueInWorkingDays != nil:
		n := *in.DueInWorkingDays
		if n < 1 || n > 1000 {
			bad.AddValue("due_in_working_days", n, "must be between 1 and 1000")
			return
		}
		d.DueKind, d.DueInWorkingDays = DueWorkingDays, &n
		d.DueOn, _ = deadline.Expr{Kind: deadline.KindWorkingDays, N: n}.Resolve(doc.IssuedOn, cal)
	case in.DueIn != nil && in.DueIn.Unit == deadline.UnitWorkingDay:
		// Kept as working days, so that a change of the calendar moves it.
		n := in.DueIn.Value
		if n < 1 || n > 1000 {
			bad.AddValue("due_in.value", n, "must be between 1 and 1000")
			return
		}
		d.DueKind, d.DueInWorkingDays = DueWorkingDays, &n
		d.DueOn, _ = deadline.Expr{Kind: deadline.KindWorkingDays, N: n}.Resolve(doc.IssuedOn, cal)
	case in.DueIn != nil:
		if !slices.Contains(deadline.Units(), in.DueIn.Unit) {
			bad.AddValue("due_in.unit", string(in.DueIn.Unit), "must be one of %v", deadline.Units())
			return
		}
		due, err := deadline.AddPeriod(doc.IssuedOn, in.DueIn.Value, in.DueIn.Unit, cal)
		if err != nil {
			bad.AddValue("due_in.value", in.DueIn.Value, "%v", err)
			return
		}
		d.DueKind, d.DueOn = DueDate, due
	case in.DuePeriod != "":
		e, err := deadline.ParsePeriod(in.DuePeriod)
		if err != nil {
			bad.AddValue("due_period", in.DuePeriod, "%v", err)
			return
		}
		due, ok := e.Resolve(doc.IssuedOn, cal)
		if !ok || due.Before(doc.IssuedOn) {
			bad.AddValue("due_period", in.DuePeriod, "ends before the document's date %s", doc.IssuedOn)
			return
		}
		d.DueKind, d.DuePeriod, d.DueOn = DuePeriod, e.Period(), due
	case in.DueKind == DueUrgent || in.DueKind == DueOngoing:
		d.DueKind = in.DueKind
	case in.DueKind == "" || in.DueKind == DueNone:
		d.DueKind = DueNone
	default:
		bad.AddValue("due_kind", in.DueKind, "must be urgent or ongoing when no date is given")
	}
	if in.DueKind != "" && given > 0 && in.DueKind != d.DueKind {
		bad.AddValue("due_kind", in.DueKind, "contradicts the date given")
	}
	if in.ReportingPeriod != "" {
		if !slices.Contains(ReportingPeriods, in.ReportingPeriod) {
			bad.AddValue("reporting_period", in.ReportingPeriod, "must be one of %v", ReportingPeriods)
		} else if d.DueKind != DueOngoing {
			bad.Add("reporting_period", "is only for ongoing directives (due_kind ongoing)")
		}
	}
}

// Directive returns a directive with its tasks, or ErrNotFound if it does
// not exist or none of its tasks is the actor's to see.
func (s *Service) Directive(ctx context.Context, actor Actor, id int64) (DirectiveView, error) {
	var view DirectiveView
	err := s.reader(ctx).First(&view.Directive, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return view, NotFound("directive")
	}
	if err != nil {
		return view, err
	}
	q := taskViews(s.reader(ctx)).Where("t.directive_id = ?", id)
	if !actor.SeesAllAgencies() {
		q = q.Where("t.agency_code = ?", actor.AgencyCode)
	}
	if err := q.Order("t.id").Scan(&view.Tasks).Error; err != nil {
		return view, err
	}
	if !actor.SeesAllAgencies() && len(view.Tasks) == 0 {
		return DirectiveView{}, NotFound("directive")
	}
	var doc models.Document
	if err := s.reader(ctx).Select("number").First(&doc, view.DocumentID).Error; err != nil {
		return view, err
	}
	view.DocumentNumber = doc.Number
	return view, nil
}
