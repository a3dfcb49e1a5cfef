package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
)

func TestSearch(t *testing.T) {
	c := mustCatalog(t)
	var any civil.Date
	for _, tc := range []struct {
		q     string
		on    civil.Date
		kind  Kind
		first string // "" means no result
	}{
		{"bo y te", any, "", "BYT"},
		{"Bộ Y tế", any, "", "BYT"},
		{"BỘ Y TẾ", any, "", "BYT"},
		{"byt", any, "", "BYT"},
		{"ubnd tinh ha nam", d("2022-04-27"), "", "HANAM"},
		{"ubnd tinh ha nam", d("2026-01-01"), "", ""},
		{"Bộ TT&TT", any, "", "BTTTT"},
		{"bo tt&tt", d("2022-04-27"), "", "BTTTT"},
		{"Bộ TT&TT", d("2026-01-01"), "", ""},
		{"tp.hcm", any, "", "HOCHIMINH"},
		{"tp hcm", any, "", "HOCHIMINH"},
		{"hanoi", any, "", "HANOI"},
		{"ha noi", any, KindProvince, "HANOI"},
		{"ha noi", any, KindMinistry, ""},
		{"thanh hoa", any, "", "THANHHOA"},
		{"Thanh Hoá", any, "", "THANHHOA"},
		{"dak lak", any, "", "DAKLAK"},
		{"hue", d("2025-02-01"), "", "HUE"},
		{"thua thien", d("2024-06-01"), "", "THUATHIENHUE"},
		{"quang tri", any, "", "QUANGTRI"},
		{"ngan hang nha nuoc", any, "", "NHNN"},
		{"  Văn   phòng Chính phủ ", any, "", "VPCP"},
		{"khoa hoc va cong nghe", any, "", "BKHCN"},
		{"no such agency", any, "", ""},
	} {
		got := c.Search(tc.q, tc.on, tc.kind)
		switch {
		case tc.first == "" && len(got) > 0:
			t.Errorf("Search(%q, %s, %q) = %v, want nothing", tc.q, tc.on, tc.kind, codes(got))
		case tc.first != "" && (len(got) == 0 || got[0].Code != tc.first):
			t.Errorf("Search(%q, %s, %q) = %v, want %s first", tc.q, tc.on, tc.kind, codes(got), tc.first)
		}
	}
}

func TestSearchRanksExactThenPrefixThenSubstring(t *testing.T) {
	c := New([]Agency{
		{Code: "C", Name: "Ban Quản lý khu kinh tế", ShortName: "BQL", Kind: KindOther},          // contains "kinh te"
		{Code: "B", Name: "Kinh tế Trung ương", ShortName: "KTTW", Kind: KindOther},              // starts with it
		{Code: "A", Name: "Kinh tế", ShortName: "KT", Kind: KindOther, ValidTo: d("2000-01-01")}, // is it, but ended
	})
	if got := codes(c.Search("kinh te", civil.Date{}, "")); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("got %v, want exact, prefix, substring", got)
	}
	// Within one rank, agencies that still exist come first.
	real := mustCatalog(t)
	got := codes(real.Search("Bộ Tài", civil.Date{}, ""))
	if len(got) < 2 || got[0] != "BTC" || !slices.Contains(got, "BTNMT") {
		t.Errorf("Bộ Tài: got %v, want BTC first and BTNMT after", got)
	}
	// Filters by date and kind.
	got = codes(real.Search("quang", d("2026-01-01"), KindProvince))
	if !slices.Equal(got, []string{"QUANGNGAI", "QUANGNINH", "QUANGTRI", "TUYENQUANG"}) {
		t.Errorf("quang in 2026: got %v", got)
	}
	if n := len(real.Search("", civil.Date{}, "")); n != len(real.All()) {
		t.Errorf("an empty query must list all %d agencies, got %d", len(real.All()), n)
	}
}

func TestSearchKeyAndText(t *testing.T) {
	for in, want := range map[string]string{
		"Bộ Y tế":              "bo y te",
		"Bộ TT&TT":             "bo tt tt",
		"TP.HCM":               "tp hcm",
		"  Bà Rịa – Vũng Tàu ": "ba ria vung tau",
		"Bộ LĐ-TB&XH":          "bo ld tb xh",
		"Uỷ ban nhân dân tỉnh Đắk Lắk": "uy ban nhan dan tinh dak lak",
		"50%_off|": "50 off",
		"":         "",
	} {
		if got := SearchKey(in); got != want {
			t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
		}
	}
	c := mustCatalog(t)
	byt, _ := c.Get("BYT")
	if st := SearchText(byt); !strings.Contains(st, "|bo y te|") || !strings.Contains(st, "|byt|") || !strings.HasPrefix(st, "|") || !strings.HasSuffix(st, "|") {
		t.Errorf("SearchText(BYT) = %q", st)
	}
}

// checkSearch asserts what must hold for any query: results obey the
// filters, appear once, and are exactly the agencies whose SearchText holds
// the folded query, so that SQL LIKE on the stored column finds the same set.
func checkSearch(t *testing.T, c *Catalog, q string, on civil.Date, kind Kind) {
	got := c.Search(q, on, kind)
	key := SearchKey(q)
	seen := map[string]bool{}
	for _, a := range got {
		if seen[a.Code] {
			t.Fatalf("Search(%q): %s twice", q, a.Code)
		}
		seen[a.Code] = true
		if (kind != "" && a.Kind != kind) || (!on.IsZero() && !a.ActiveOn(on)) {
			t.Fatalf("Search(%q, %s, %q): %s does not pass the filters", q, on, kind, a.Code)
		}
	}
	want := 0
	for _, a := range c.All() {
		if (kind == "" || a.Kind == kind) && (on.IsZero() || a.ActiveOn(on)) && strings.Contains(SearchText(a), key) {
			want++
		}
	}
	if len(got) != want {
		t.Fatalf("Search(%q, %s, %q): %d results, but %d SearchTexts contain %q", q, on, kind, len(got), want, key)
	}
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"bo y te", "Bộ TT&TT", "ubnd tinh ha nam", "TP.HCM", "", " ", "|", "%", "\xff\xfe", "u\u0309y", "Đ", "İ", "ǅ", "ﬁ", "\u0301", "bo  y\tte"} {
		f.Add(s)
	}
	c := mustCatalog(f)
	f.Fuzz(func(t *testing.T, q string) {
		checkSearch(t, c, q, civil.Date{}, "")
		checkSearch(t, c, q, d("2022-04-27"), KindProvince)
		checkSearch(t, c, q, d("2026-01-01"), "")
		k := SearchKey(q)
		if strings.ContainsAny(k, "|%_") || strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") || strings.Contains(k, "  ") {
			t.Fatalf("SearchKey(%q) = %q: punctuation or stray spaces", q, k)
		}
	})
}
