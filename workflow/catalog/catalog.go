// Package catalog is dondoc's agency catalog: the ministries, agencies and
// provinces that receive tasks, across the reorganisations of 2025, and the
// pure rules about them (validity, successors, search, groups). It holds no
// database; the workflow package stores what Load returns.
//
// A code names one agency in one era, forever: an agency that ends keeps its
// code, with valid_to its last day and successor_code the agency that took
// over its work. README.md gives the sources and the rules of the data.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// Kind classifies an agency.
type Kind string

const (
	KindMinistry          Kind = "ministry"           // bộ
	KindMinisterialAgency Kind = "ministerial_agency" // cơ quan ngang bộ
	KindGovernmentAgency  Kind = "government_agency"  // cơ quan thuộc Chính phủ
	KindProvince          Kind = "province"           // tỉnh, thành phố trực thuộc Trung ương
	KindCommittee         Kind = "committee"          // ủy ban, ban chỉ đạo
	KindOther             Kind = "other"              // courts, audit, enterprises, mass organisations
)

// kinds lists the kinds in the order in which lists are sorted.
var kinds = []Kind{KindMinistry, KindMinisterialAgency, KindGovernmentAgency, KindProvince, KindCommittee, KindOther}

// Kinds returns every kind, in the order lists are sorted by.
func Kinds() []Kind { return slices.Clone(kinds) }

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { return slices.Contains(kinds, k) }

// order ranks k for sorting; unknown kinds sort last.
func (k Kind) order() int {
	if i := slices.Index(kinds, k); i >= 0 {
		return i
	}
	return len(kinds)
}

// Agency is a body that receives tasks.
type Agency struct {
	Code      string `json:"code"`
	Name      string `json:"name"`       // the official Vietnamese name of the body that receives tasks
	ShortName string `json:"short_name"` // how lists and tables show it
	Kind      Kind   `json:"kind"`
	// ValidFrom is the first day the agency existed; zero for bodies older
	// than the catalog's horizon (see README.md).
	ValidFrom civil.Date `json:"valid_from"`
	// ValidTo is the last day the agency existed; zero while it exists.
	ValidTo civil.Date `json:"valid_to"`
	// SuccessorCode names the agency that took over its work, from the day
	// after ValidTo.
	SuccessorCode string   `json:"successor_code"`
	Aliases       []string `json:"aliases"`
	// GSOCode is a province's numeric administrative code (mã đơn vị hành
	// chính), for information only: numbers are reused across eras, codes are
	// not. For a province that spans 2025 it is the code in force today.
	GSOCode string `json:"gso_code,omitempty"`
	Source  string `json:"source"` // the legal documents the entry rests on
}

// MarshalJSON writes an absent successor as null, as the shipped file does.
func (a Agency) MarshalJSON() ([]byte, error) {
	type plain Agency
	var successor *string
	if a.SuccessorCode != "" {
		successor = &a.SuccessorCode
	}
	aliases := a.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return json.Marshal(struct {
		plain
		SuccessorCode *string  `json:"successor_code"`
		Aliases       []string `json:"aliases"`
	}{plain(a), successor, aliases})
}

// ActiveOn reports whether the agency existed on day d. The zero date is no
// day at all: nothing is active on it.
func (a Agency) ActiveOn(d civil.Date) bool {
	if d.IsZero() {
		return false
	}
	if !a.ValidFrom.IsZero() && d.Before(a.ValidFrom) {
		return false
	}
	return a.ValidTo.IsZero() || !d.After(a.ValidTo)
}

// overlaps reports whether a and b existed on at least one common day.
func (a Agency) overlaps(b Agency) bool {
	aEndsBeforeB := !a.ValidTo.IsZero() && !b.ValidFrom.IsZero() && a.ValidTo.Before(b.ValidFrom)
	bEndsBeforeA := !b.ValidTo.IsZero() && !a.ValidFrom.IsZero() && b.ValidTo.Before(a.ValidFrom)
	return !aEndsBeforeB && !bEndsBeforeA
}

//go:embed agencies.json
var shipped []byte

// Load returns the catalog shipped with dondoc, parsed, normalised and
// validated once per process (each server start, and each test's, loads
// it); every call gets its own copy to change.
func Load() ([]Agency, error) {
	list, err := loadShipped()
	if err != nil {
		return nil, err
	}
	out := make([]Agency, len(list))
	for i, a := range list {
		a.Aliases = slices.Clone(a.Aliases)
		out[i] = a
	}
	return out, nil
}

var loadShipped = sync.OnceValues(func() ([]Agency, error) { return Parse(shipped) })

// Parse reads a catalog in the format of agencies.json, normalises every
// string (Unicode NFC, official tone placement, see vntext.Normalize; aliases
// that become equal are kept once) and validates the result.
func Parse(data []byte) ([]Agency, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list []Agency
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("agency catalog: %w", err)
	}
	if dec.More() {
		return nil, errors.New("agency catalog: unexpected data after the array")
	}
	for i := range list {
		list[i] = Normalize(list[i])
	}
	if err := Validate(list); err != nil {
		return nil, err
	}
	return list, nil
}

// Normalize returns a with every string normalised and trimmed, and its
// aliases without blanks and duplicates.
func Normalize(a Agency) Agency {
	clean := func(s string) string { return strings.TrimSpace(vntext.Normalize(s)) }
	a.Code = clean(a.Code)
	a.Name = clean(a.Name)
	a.ShortName = clean(a.ShortName)
	a.Kind = Kind(clean(string(a.Kind)))
	a.SuccessorCode = clean(a.SuccessorCode)
	a.GSOCode = clean(a.GSOCode)
	a.Source = clean(a.Source)
	var aliases []string
	for _, s := range a.Aliases {
		if s = clean(s); s != "" && !slices.Contains(aliases, s) {
			aliases = append(aliases, s)
		}
	}
	a.Aliases = aliases
	return a
}

var (
	codePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_-]*$`)
	gsoPattern  = regexp.MustCompile(`^[0-9]{2,3}$`)
)

// ValidationError lists everything wrong with a catalog, one problem a line.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "agency catalog is invalid:\n\t" + strings.Join(e.Problems, "\n\t")
}

// Validate checks a normalised catalog: unique ASCII codes, known kinds,
// names, validity periods in order, successors that exist and take over the
// day after, no successor cycles, and no search key (code, name, short name or
// alias, folded) naming two agencies that existed on the same day. It returns
// a *ValidationError listing every problem, or nil.
func Validate(list []Agency) error {
	var problems []string
	bad := func(code, format string, args ...any) {
		problems = append(problems, code+": "+fmt.Sprintf(format, args...))
	}
	byCode := make(map[string]Agency, len(list))
	for _, a := range list {
		if !codePattern.MatchString(a.Code) {
			bad(fmt.Sprintf("%q", a.Code), "code must match %s", codePattern)
		}
		if _, dup := byCode[a.Code]; dup {
			bad(a.Code, "code is used twice")
		}
		byCode[a.Code] = a
	}
	for _, a := range list {
		if !a.Kind.Valid() {
			bad(a.Code, "unknown kind %q", a.Kind)
		}
		if a.Name == "" || a.ShortName == "" {
			bad(a.Code, "name and short_name are required")
		}
		if a.Source == "" {
			bad(a.Code, "source is required: cite the document the entry rests on")
		}
		if !a.ValidFrom.IsZero() && !a.ValidTo.IsZero() && a.ValidTo.Before(a.ValidFrom) {
			bad(a.Code, "valid_to %s is before valid_from %s", a.ValidTo, a.ValidFrom)
		}
		if a.Kind == KindProvince && !gsoPattern.MatchString(a.GSOCode) {
			bad(a.Code, "a province needs its numeric gso_code, got %q", a.GSOCode)
		}
		if a.Kind != KindProvince && a.GSOCode != "" {
			bad(a.Code, "only provinces have a gso_code")
		}
		if a.SuccessorCode == "" {
			continue
		}
		next, ok := byCode[a.SuccessorCode]
		switch {
		case a.ValidTo.IsZero():
			bad(a.Code, "has successor %s but no valid_to", a.SuccessorCode)
		case !ok:
			bad(a.Code, "successor %s is not in the catalog", a.SuccessorCode)
		case !next.ActiveOn(a.ValidTo.AddDays(1)):
			bad(a.Code, "successor %s does not exist on %s, the day after valid_to", a.SuccessorCode, a.ValidTo.AddDays(1))
		}
	}
	for _, code := range successorCycles(byCode) {
		bad(code, "successors lead back to it")
	}
	problems = append(problems, ambiguousKeys(list)...)
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// successorCycles returns the codes whose chain of successors loops.
func successorCycles(byCode map[string]Agency) []string {
	var cyclic []string
	for code := range byCode {
		seen := map[string]bool{code: true}
		for next := byCode[code].SuccessorCode; next != ""; next = byCode[next].SuccessorCode {
			if next == code {
				cyclic = append(cyclic, code)
				break
			}
			if seen[next] {
				break // a loop further on; reported from its own members
			}
			seen[next] = true
		}
	}
	slices.Sort(cyclic)
	return cyclic
}

// ambiguousKeys reports search keys shared by agencies that existed on the
// same day: in that era, the name would not say which agency is meant.
func ambiguousKeys(list []Agency) []string {
	owners := make(map[string][]int)
	var problems []string
	for i, a := range list {
		for _, s := range append([]string{a.Name, a.ShortName}, a.Aliases...) {
			if SearchKey(s) == "" {
				problems = append(problems, fmt.Sprintf("%s: %q has no letters or digits to search by", a.Code, s))
			}
		}
		for _, k := range keysOf(a) {
			owners[k] = append(owners[k], i)
		}
	}
	keys := make([]string, 0, len(owners))
	for k := range owners {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		idx := owners[k]
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				a, b := list[idx[x]], list[idx[y]]
				if a.overlaps(b) {
					problems = append(problems, fmt.Sprintf("%s: %q also names %s, which existed at the same time", a.Code, k, b.Code))
				}
			}
		}
	}
	return problems
}
