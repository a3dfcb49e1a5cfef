package extract

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// GroupOther is the group of a lead or coordinator set that the catalog
// cannot expand: "các cơ quan liên quan", "các đơn vị thi công", "chính
// quyền các cấp". The proposal keeps it as written for the secretariat to
// name the agencies.
const GroupOther catalog.Group = "other"

// Proposal is one proposed directive: one lead (or one group), as a
// directive has. A sentence that gives one task to several leads proposes
// one directive per lead, with the same action.
type Proposal struct {
	// ID is stable for the same text: it is derived from the text and
	// the proposal's place in it, so that a directive created from the
	// proposal can name it.
	ID           string   `json:"id"`
	Action       string   `json:"action"`
	Lead         *Agency  `json:"lead"`
	Coordinators []Agency `json:"coordinators"`
	// Group is one of catalog.Groups, GroupOther, or nil (JSON null) when
	// the directive names its lead only.
	Group *catalog.Group `json:"group"`
	// GroupAsWritten is the group as the text names it, for every group.
	GroupAsWritten string `json:"group_as_written,omitempty"`
	// CoordinatorGroups are the groups that coordinate: "phối hợp với các
	// bộ, ngành, địa phương", "… và các cơ quan liên quan".
	CoordinatorGroups []GroupMention `json:"coordinator_groups"`
	// DueOn is the deadline; zero when the text gives none. For a period
	// (a month, quarter, half-year, year) it is the period's last day, as
	// Civil Code Art. 146(2)(c) and 146(3)(c) read "the end of" it, and
	// DuePeriod keeps the period.
	DueOn     civil.Date `json:"due_on"`
	DuePeriod string     `json:"due_period,omitempty"`
	// DueKind is "urgent" (khẩn trương, sớm) or "ongoing" (thường xuyên,
	// hằng tháng) for a directive without a date, else empty. It and
	// ReportingPeriod are the fields of POST /directives of the same names,
	// so that a posted proposal keeps what the text says of its urgency.
	DueKind string `json:"due_kind,omitempty"`
	// ReportingPeriod is "monthly" or "quarterly" for an ongoing duty.
	ReportingPeriod string  `json:"reporting_period,omitempty"`
	DueText         string  `json:"due_text"`
	Recurring       bool    `json:"recurring"`
	Span            Span    `json:"span"`
	Confidence      float64 `json:"confidence"`

	sentence [2]int // byte offsets of the sentence in the input
}

// GroupMention is a group as a proposal names it.
type GroupMention struct {
	Group     catalog.Group `json:"group"`
	AsWritten string        `json:"as_written"`
}

// Agency is an agency as a proposal names it. A body that the catalog does
// not hold (an association, a state corporation, a working group) has no
// code and NeedsMapping: the secretariat maps it to an agency or drops it,
// but it is never silently lost.
type Agency struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	AsWritten string `json:"as_written"`
	// ValidOnDocDate is false when the text names an agency that did not
	// exist on the document's date (a 2026 text naming Bộ Thông tin và
	// Truyền thông), or one outside the catalog: the secretariat must
	// choose who does the work.
	ValidOnDocDate bool `json:"valid_on_doc_date"`
	// CurrentSuccessor is the agency that does its work today, when it no
	// longer exists.
	CurrentSuccessor *Successor `json:"current_successor"`
	NeedsMapping     bool       `json:"needs_mapping"`
}

// MarshalJSON writes an agency outside the catalog with "code": null.
func (a Agency) MarshalJSON() ([]byte, error) {
	type plain Agency
	out := struct {
		Code *string `json:"code"`
		plain
	}{plain: plain(a)}
	if a.Code != "" {
		out.Code = &a.Code
	}
	return json.Marshal(out)
}

// Successor names the agency that took over a dissolved agency's work.
type Successor struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Span is where a proposal's sentence is in the input: [Start, End) in
// characters (Unicode code points, as Go's []rune, Python's str and
// JavaScript's Array.from count them; not UTF-16 units, not bytes) of the
// original text as it was given, before any normalisation. Each byte of
// invalid UTF-8 counts as one character, as Go's decoder reads it.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// SentenceBytes returns the byte offsets of the proposal's sentence in the
// input.
func (p Proposal) SentenceBytes() (int, int) { return p.sentence[0], p.sentence[1] }

// proposalID derives a proposal's id from the hash of the whole text, the
// proposal's span and where its lead or group is named in the text (several
// leads of one sentence share the span), and the clause it came from.
func proposalID(textHash [32]byte, span Span, who, clause int) string {
	h := sha256.New()
	h.Write(textHash[:])
	var b [32]byte
	binary.BigEndian.PutUint64(b[0:], uint64(span.Start))
	binary.BigEndian.PutUint64(b[8:], uint64(span.End))
	binary.BigEndian.PutUint64(b[16:], uint64(who))
	binary.BigEndian.PutUint64(b[24:], uint64(clause))
	h.Write(b[:])
	return "p_" + hex.EncodeToString(h.Sum(nil)[:8])
}
