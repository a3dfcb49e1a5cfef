package catalog

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dondoc/dondoc/civil"
)

// Group is a set of agencies that a directive may name instead of listing
// them ("các bộ, ngành, địa phương"). It expands, on the directive's date, to
// the agencies of its kinds that existed that day.
type Group string

const (
	// AllMinistries is "các bộ, ngành": every ministry, ministerial-level
	// agency and government agency (cơ quan thuộc Chính phủ). The Government
	// Office is a ministerial-level agency and is a member, as the law
	// counts it; bodies outside the Government (courts, the State Audit,
	// enterprises) are not.
	AllMinistries Group = "all_ministries"
	// AllProvinces is "các địa phương", "UBND các tỉnh, thành phố trực thuộc
	// Trung ương": every province and centrally-run city.
	AllProvinces Group = "all_provinces"
	// AllMinistriesAndProvinces is "các bộ, ngành, địa phương": the two above.
	AllMinistriesAndProvinces Group = "all_ministries_and_provinces"
	// GovernmentMembers is "các thành viên Chính phủ": the bodies whose heads
	// sit in the Government, that is every ministry and ministerial-level
	// agency (the Government Office included), without the government
	// agencies, whose heads are not members.
	GovernmentMembers Group = "government_members"
)

// groupKinds says which kinds of agency each group holds.
var groupKinds = map[Group][]Kind{
	AllMinistries:             {KindMinistry, KindMinisterialAgency, KindGovernmentAgency},
	AllProvinces:              {KindProvince},
	AllMinistriesAndProvinces: {KindMinistry, KindMinisterialAgency, KindGovernmentAgency, KindProvince},
	GovernmentMembers:         {KindMinistry, KindMinisterialAgency},
}

// groupTerms are the phrases of conclusion notices that name each group.
// "Các bộ, cơ quan ngang bộ" names exactly the government's members, so it
// parses as GovernmentMembers.
var groupTerms = map[Group][]string{
	AllMinistries: {
		"các bộ, ngành",
		"các bộ ngành",
		"các bộ, ngành Trung ương",
		"các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
		"các bộ, cơ quan ngang bộ, cơ quan thuộc CP",
		"các bộ, cơ quan",
	},
	AllProvinces: {
		"các địa phương",
		"các tỉnh, thành phố",
		"các tỉnh, thành phố trực thuộc Trung ương",
		"UBND các tỉnh, thành phố",
		"UBND các tỉnh, thành phố trực thuộc Trung ương",
		"UBND các tỉnh, TP trực thuộc TW",
		"Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
	},
	AllMinistriesAndProvinces: {
		"các bộ, ngành, địa phương",
		"các bộ, ngành và địa phương",
		"các bộ, ngành Trung ương và địa phương",
		"các bộ, cơ quan, địa phương",
		"các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, UBND các tỉnh, thành phố trực thuộc Trung ương",
		"các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
	},
	GovernmentMembers: {
		"các thành viên Chính phủ",
		"thành viên Chính phủ",
		"các bộ, cơ quan ngang bộ",
		"các Bộ trưởng, Thủ trưởng cơ quan ngang bộ",
	},
}

// Groups returns every group.
func Groups() []Group {
	return []Group{AllMinistries, AllProvinces, AllMinistriesAndProvinces, GovernmentMembers}
}

// Terms returns the Vietnamese phrases that name g, for a gazetteer.
func (g Group) Terms() []string { return slices.Clone(groupTerms[g]) }

// Kinds returns the kinds of agency that g holds.
func (g Group) Kinds() []Kind { return slices.Clone(groupKinds[g]) }

// ErrUnknownGroup is the error of ParseGroup for text that names no group.
var ErrUnknownGroup = errors.New("unknown agency group")

// ParseGroup reads a group from its value ("all_provinces") or from one of
// its Vietnamese phrases, with or without diacritics ("UBND các tỉnh, thành
// phố trực thuộc Trung ương"). Anything else is an error wrapping
// ErrUnknownGroup.
func ParseGroup(s string) (Group, error) {
	key := SearchKey(s)
	for _, g := range Groups() {
		if key == SearchKey(string(g)) {
			return g, nil
		}
		for _, t := range groupTerms[g] {
			if key == SearchKey(t) {
				return g, nil
			}
		}
	}
	return "", fmt.Errorf("%w %q: want one of all_ministries, all_provinces, all_ministries_and_provinces, government_members", ErrUnknownGroup, s)
}

// Expand returns the members of g that existed on day on, by kind, then
// code: the agencies that get one task each. An unknown group or a zero date
// has no members.
func (c *Catalog) Expand(g Group, on civil.Date) []Agency {
	ks := groupKinds[g]
	var out []Agency
	for _, a := range c.agencies {
		if slices.Contains(ks, a.Kind) && a.ActiveOn(on) {
			out = append(out, a)
		}
	}
	return out
}
