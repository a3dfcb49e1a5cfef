package catalog

import (
	"errors"
	"slices"
	"testing"

	"github.com/dondoc/dondoc/civil"
)

func TestExpand(t *testing.T) {
	c := mustCatalog(t)
	for _, tc := range []struct {
		g    Group
		day  string
		want int
	}{
		// 2022: 18 ministries, 4 ministerial-level and 8 government agencies, 63 provinces.
		{AllMinistries, "2022-04-27", 30},
		{GovernmentMembers, "2022-04-27", 22},
		{AllProvinces, "2022-04-27", 63},
		{AllMinistriesAndProvinces, "2022-04-27", 93},
		// 2026: 14 ministries, 3 ministerial-level and 5 government agencies, 34 provincial units.
		{AllMinistries, "2026-01-01", 22},
		{GovernmentMembers, "2026-01-01", 17},
		{AllProvinces, "2026-01-01", 34},
		{AllMinistriesAndProvinces, "2026-01-01", 56},
	} {
		got := c.Expand(tc.g, d(tc.day))
		if len(got) != tc.want {
			t.Errorf("Expand(%s, %s): %d agencies, want %d: %v", tc.g, tc.day, len(got), tc.want, codes(got))
		}
		if !slices.IsSortedFunc(got, compareAgencies) {
			t.Errorf("Expand(%s, %s) is not sorted by kind, then code", tc.g, tc.day)
		}
		for _, a := range got {
			if !a.ActiveOn(d(tc.day)) || !slices.Contains(tc.g.Kinds(), a.Kind) {
				t.Errorf("Expand(%s, %s) holds %s", tc.g, tc.day, a.Code)
			}
		}
	}
	members := codes(c.Expand(GovernmentMembers, d("2022-04-27")))
	for _, code := range []string{"BTTTT", "BKHDT", "UBDT", "VPCP"} {
		if !slices.Contains(members, code) {
			t.Errorf("government members in 2022 lack %s", code)
		}
	}
	if slices.Contains(codes(c.Expand(AllMinistries, d("2026-01-01"))), "TANDTC") {
		t.Error("the Supreme People's Court is not one of the Government's ministries")
	}
	if c.Expand("no_such_group", d("2026-01-01")) != nil || c.Expand(AllProvinces, civil.Date{}) != nil {
		t.Error("an unknown group or an impossible day has no members")
	}
}

func TestParseGroup(t *testing.T) {
	for in, want := range map[string]Group{
		"all_ministries":               AllMinistries,
		"all_provinces":                AllProvinces,
		"all_ministries_and_provinces": AllMinistriesAndProvinces,
		"government_members":           GovernmentMembers,
		"các bộ, ngành":                AllMinistries,
		"Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ":         AllMinistries,
		"UBND các tỉnh, thành phố trực thuộc Trung ương":            AllProvinces,
		"Uỷ ban nhân dân các tỉnh, thành phố trực thuộc Trung ương": AllProvinces,
		"cac dia phuong":            AllProvinces,
		"các bộ, ngành, địa phương": AllMinistriesAndProvinces,
		"cac bo nganh dia phuong":   AllMinistriesAndProvinces,
		"các thành viên Chính phủ":  GovernmentMembers,
		"các bộ, cơ quan ngang bộ":  GovernmentMembers,
	} {
		got, err := ParseGroup(in)
		if err != nil || got != want {
			t.Errorf("ParseGroup(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "all", "Bộ Y tế", "các bộ, ngành, địa phương và các doanh nghiệp"} {
		if _, err := ParseGroup(in); !errors.Is(err, ErrUnknownGroup) {
			t.Errorf("ParseGroup(%q): got %v, want ErrUnknownGroup", in, err)
		}
	}
}

// A phrase names one group only, and no phrase is an agency's name.
func TestGroupTermsAreDistinct(t *testing.T) {
	c := mustCatalog(t)
	owner := map[string]Group{}
	for _, g := range Groups() {
		if len(g.Terms()) == 0 {
			t.Errorf("%s has no phrases", g)
		}
		for _, term := range g.Terms() {
			k := SearchKey(term)
			if o, ok := owner[k]; ok && o != g {
				t.Errorf("%q names both %s and %s", term, o, g)
			}
			owner[k] = g
			if got := c.Search(term, d("2026-01-01"), ""); len(got) > 0 && SearchKey(got[0].Name) == k {
				t.Errorf("%q is also the name of %s", term, got[0].Code)
			}
		}
	}
}
