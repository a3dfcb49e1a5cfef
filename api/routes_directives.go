package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/deadline"
)

// AgencyRef names an agency in a request: its code, or an object with a
// "code" (such as a proposal from /extract, whose other fields are ignored).
type AgencyRef struct {
	Code string
}

// UnmarshalJSON accepts "BYT" or {"code": "BYT", …}.
func (r *AgencyRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &r.Code)
	}
	var obj struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return errors.New("an agency is a code or an object with a code")
	}
	r.Code = obj.Code
	return nil
}

// Schema describes both forms.
func (AgencyRef) Schema(huma.Registry) *huma.Schema {
	minLen, maxLen := 1, 40
	return &huma.Schema{
		Description: "An agency code, or an object with a code (other fields are ignored)",
		OneOf: []*huma.Schema{
			{Type: huma.TypeString, MinLength: &minLen, MaxLength: &maxLen, Examples: []any{"BYT"}},
			{Type: huma.TypeObject, Required: []string{"code"}, AdditionalProperties: true,
				Properties: map[string]*huma.Schema{"code": {Type: huma.TypeString, MinLength: &minLen, MaxLength: &maxLen}}},
		},
	}
}

type directiveBody struct {
	DocumentID       int64       `json:"document_id" minimum:"1"`
	Content          string      `json:"content,omitempty" maxLength:"100000" doc:"What is to be done; required unless action is given"`
	Action           string      `json:"action,omitempty" maxLength:"100000" doc:"What is to be done, as POST /extract proposes it: used when content is empty"`
	Field            string      `json:"field,omitempty" maxLength:"200" doc:"Lĩnh vực"`
	Priority         string      `json:"priority,omitempty" enum:"normal,urgent,very_urgent,flash" default:"normal"`
	DueOn            *civil.Date `json:"due_on,omitempty" format:"date" doc:"A due date; or give due_in_working_days, or due_period"`
	DueInWorkingDays *int        `json:"due_in_working_days,omitempty" minimum:"1" maximum:"1000" doc:"Working days from the document's date (Civil Code Art. 147: the first day does not count)"`
	DueIn            *dueIn      `json:"due_in,omitempty" doc:"A period from the document's date: {\"value\":2,\"unit\":\"week\"} for trong 2 tuần, {\"value\":3,\"unit\":\"month\"} for trong 03 tháng kể từ ngày ký (Civil Code Arts. 147-148: the day after the date starts it; a month ends on the corresponding day, or the month's last day: 31 Jan + 1 month = end of February; a day off moves the end to the next working day)"`
	DuePeriod        string      `json:"due_period,omitempty" maxLength:"20" example:"2023-Q3" doc:"The end of a month (2023-10), quarter (2023-Q3), half-year (2023-H1) or year (2023), or before Tết (tet-2024)"`
	DueKind          string      `json:"due_kind,omitempty" enum:"urgent,ongoing,none" doc:"For a directive without a date: urgent (khẩn trương) or ongoing (thường xuyên)"`
	ReportingPeriod  string      `json:"reporting_period,omitempty" enum:"monthly,quarterly,half_yearly,yearly" doc:"For an ongoing directive: how often the agency reports"`
	Lead             *AgencyRef  `json:"lead,omitempty" doc:"The agency that leads (chủ trì)"`
	Coordinators     []AgencyRef `json:"coordinators,omitempty" maxItems:"100" doc:"Agencies that coordinate (phối hợp)"`
	Group            *string     `json:"group,omitempty" enum:"all_ministries,all_provinces,all_ministries_and_provinces,government_members" nullable:"true" doc:"A group that expands to one task per member agency active on the document's date"`
	ID               string      `json:"id,omitempty" maxLength:"100" doc:"A proposal's id, when a proposal is posted as it is: taken as proposal_id if the document's proposals hold it, else ignored"`
	ProposalID       string      `json:"proposal_id,omitempty" maxLength:"100" doc:"The id of the proposal (from POST /documents/{id}/extract) this directive is made from: dondoc records which of its fields were changed (GET /extract/quality). Omit for a directive added by hand"`

	// What POST /extract proposes besides, so that a proposal can be posted
	// as it is: read by no one.
	DueText    string        `json:"due_text,omitempty" maxLength:"1000" doc:"Ignored: the deadline as the text wrote it (from /extract)"`
	Recurring  *bool         `json:"recurring,omitempty" doc:"Ignored (from /extract); give due_kind ongoing and reporting_period"`
	Span       *proposalSpan `json:"span,omitempty" doc:"Ignored (from /extract)"`
	Confidence *float64      `json:"confidence,omitempty" doc:"Ignored (from /extract)"`
}

type dueIn struct {
	Value int    `json:"value" minimum:"1" maximum:"1000"`
	Unit  string `json:"unit" enum:"day,working_day,week,month,year"`
}

type proposalSpan struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

type directiveInput struct {
	Body directiveBody
}

type directiveOutput struct {
	Body Directive
}

func (b directiveBody) domain() workflow.NewDirective {
	in := workflow.NewDirective{
		DocumentID: b.DocumentID, Content: cmp.Or(b.Content, b.Action), Field: b.Field, Priority: workflow.Priority(b.Priority),
		DueInWorkingDays: b.DueInWorkingDays, DuePeriod: b.DuePeriod, DueKind: b.DueKind, ReportingPeriod: b.ReportingPeriod,
	}
	if b.DueOn != nil {
		in.DueOn = *b.DueOn
	}
	if b.DueIn != nil {
		in.DueIn = &workflow.DuePeriodFrom{Value: b.DueIn.Value, Unit: deadline.Unit(b.DueIn.Unit)}
	}
	if b.Lead != nil {
		in.Lead = b.Lead.Code
	}
	for _, c := range b.Coordinators {
		in.Coordinators = append(in.Coordinators, c.Code)
	}
	if b.Group != nil {
		in.Group = *b.Group
	}
	in.ProposalID = b.ProposalID
	if in.ProposalID == "" && b.ID != "" {
		in.ProposalID, in.ProposalIfRecorded = b.ID, true
	}
	return in
}

func (s *Server) registerDirectives() {
	huma.Register(s.api, s.op("create-directive", http.MethodPost, "/directives", "Record a directive and assign its tasks", "Directives", http.StatusCreated),
		func(ctx context.Context, in *directiveInput) (*directiveOutput, error) {
			actor := actorFrom(ctx)
			d, err := s.svc.CreateDirective(ctx, actor, in.Body.domain())
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &directiveOutput{Body: directiveOut(d, actor, s.svc.Today())}, nil
		})
	huma.Register(s.api, s.op("get-directive", http.MethodGet, "/directives/{id}", "One directive with its tasks", "Directives"),
		func(ctx context.Context, in *idInput) (*directiveOutput, error) {
			actor := actorFrom(ctx)
			d, err := s.svc.Directive(ctx, actor, in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &directiveOutput{Body: directiveOut(d, actor, s.svc.Today())}, nil
		})
}
