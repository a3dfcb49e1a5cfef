package catalog

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/vntext"
)

func mustCatalog(t testing.TB) *Catalog {
	t.Helper()
	list, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return New(list)
}

func d(s string) civil.Date { return civil.MustDate(s) }

func codes(list []Agency) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Code
	}
	return out
}

func countKind(list []Agency, k Kind) int {
	n := 0
	for _, a := range list {
		if a.Kind == k {
			n++
		}
	}
	return n
}

func TestLoadValidates(t *testing.T) {
	list, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(list); err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Source == "" || a.Name == "" {
			t.Errorf("%s: missing name or source", a.Code)
		}
	}
}

// The shipped file is written as official names are: NFC, "Ủy", "Hòa". Only
// aliases may carry old spellings, which Load folds into the official ones.
func TestShippedNamesAreOfficialSpelling(t *testing.T) {
	var raw []Agency
	if err := json.Unmarshal(shipped, &raw); err != nil {
		t.Fatal(err)
	}
	for _, a := range raw {
		for _, s := range []string{a.Name, a.ShortName} {
			if vntext.Normalize(s) != s {
				t.Errorf("%s: %q is not in official spelling, want %q", a.Code, s, vntext.Normalize(s))
			}
		}
	}
}

func TestProvinceCounts(t *testing.T) {
	c := mustCatalog(t)
	for _, tc := range []struct {
		day  string
		want int
	}{
		{"2022-04-27", 63},
		{"2024-12-31", 63}, // Thừa Thiên Huế, on its last day
		{"2025-01-01", 63}, // the city of Huế instead
		{"2025-06-30", 63},
		{"2025-07-01", 34},
		{"2026-11-23", 34},
	} {
		if got := countKind(c.ActiveOn(d(tc.day)), KindProvince); got != tc.want {
			t.Errorf("provincial units on %s: got %d, want %d", tc.day, got, tc.want)
		}
	}
	on := func(code, day string) bool { a, _ := c.Get(code); return a.ActiveOn(d(day)) }
	if !on("THUATHIENHUE", "2024-12-31") || on("THUATHIENHUE", "2025-01-01") || !on("HUE", "2025-01-01") || on("HUE", "2024-12-31") {
		t.Error("Thừa Thiên Huế must end on 2024-12-31 and Huế begin on 2025-01-01")
	}
}

func TestGovernmentStructure(t *testing.T) {
	c := mustCatalog(t)
	for _, tc := range []struct {
		day                           string
		ministries, ministerial, govt int
	}{
		{"2022-04-27", 18, 4, 8},
		{"2025-02-28", 18, 4, 8},
		{"2025-03-01", 14, 3, 5},
		{"2026-11-23", 14, 3, 5},
	} {
		active := c.ActiveOn(d(tc.day))
		got := [3]int{countKind(active, KindMinistry), countKind(active, KindMinisterialAgency), countKind(active, KindGovernmentAgency)}
		if want := [3]int{tc.ministries, tc.ministerial, tc.govt}; got != want {
			t.Errorf("on %s: ministries, ministerial-level and government agencies %v, want %v", tc.day, got, want)
		}
	}
}

// The numeric codes in force today are those of QĐ 19/2025/QĐ-TTg, one per
// provincial unit.
func TestGSOCodesToday(t *testing.T) {
	c := mustCatalog(t)
	want := map[string]string{
		"HANOI": "01", "CAOBANG": "04", "TUYENQUANG": "08", "DIENBIEN": "11", "LAICHAU": "12", "SONLA": "14",
		"LAOCAI": "15", "THAINGUYEN": "19", "LANGSON": "20", "QUANGNINH": "22", "BACNINH": "24", "PHUTHO": "25",
		"HAIPHONG": "31", "HUNGYEN": "33", "NINHBINH": "37", "THANHHOA": "38", "NGHEAN": "40", "HATINH": "42",
		"QUANGTRI": "44", "HUE": "46", "DANANG": "48", "QUANGNGAI": "51", "GIALAI": "52", "KHANHHOA": "56",
		"DAKLAK": "66", "LAMDONG": "68", "DONGNAI": "75", "HOCHIMINH": "79", "TAYNINH": "80", "DONGTHAP": "82",
		"VINHLONG": "86", "ANGIANG": "91", "CANTHO": "92", "CAMAU": "96",
	}
	got := map[string]string{}
	for _, a := range c.Expand(AllProvinces, d("2026-11-23")) {
		got[a.Code] = a.GSOCode
	}
	if len(got) != len(want) {
		t.Fatalf("got %d provincial units, want %d", len(got), len(want))
	}
	for code, gso := range want {
		if got[code] != gso {
			t.Errorf("%s: gso_code %q, want %q", code, got[code], gso)
		}
	}
	// 44 was Quảng Bình and is now Quảng Trị: the number moved, the codes did not.
	if qb, _ := c.Get("QUANGBINH"); qb.GSOCode != "44" || !qb.ActiveOn(d("2025-06-30")) || qb.ActiveOn(d("2025-07-01")) {
		t.Errorf("QUANGBINH: %+v", qb)
	}
}

func TestSuccessors(t *testing.T) {
	c := mustCatalog(t)
	if a, _ := c.Get("BTTTT"); !a.ActiveOn(d("2022-04-27")) || a.Name != "Bộ Thông tin và Truyền thông" {
		t.Errorf("Bộ Thông tin và Truyền thông must exist on 2022-04-27: %+v", a)
	}
	for _, tc := range []struct {
		code, on, want string // want "" means no successor answer
	}{
		{"BTTTT", "2026-01-01", "BKHCN"},
		{"BKHDT", "2026-01-01", "BTC"},
		{"BLDTBXH", "2026-01-01", "BNV"},
		{"BGTVT", "2026-01-01", "BXD"},
		{"BTNMT", "2026-01-01", "BNNMT"},
		{"BNNPTNT", "2026-01-01", "BNNMT"},
		{"UBDT", "2026-01-01", "BDTTG"},
		{"UBQLV", "2026-01-01", "BTC"},
		{"BHXH", "2026-01-01", "BTC"},
		{"QUANGBINH", "2026-01-01", "QUANGTRI"},
		{"HANAM", "2026-01-01", "NINHBINH"},
		{"NAMDINH", "2025-07-01", "NINHBINH"},
		{"HAGIANG", "2025-07-01", "TUYENQUANG"},
		{"BARIAVUNGTAU", "2025-07-01", "HOCHIMINH"},
		{"KIENGIANG", "2025-07-01", "ANGIANG"},
		{"THUATHIENHUE", "2025-03-01", "HUE"},
		{"BTTTT", "2022-04-27", ""},      // itself active
		{"BYT", "2026-01-01", ""},        // itself active, never ended
		{"HANAM", "2025-06-30", ""},      // still active on its last day
		{"BNNMT", "2022-04-27", ""},      // not yet created, and no successor
		{"NOSUCHCODE", "2026-01-01", ""}, // unknown
	} {
		got, ok := c.CurrentSuccessor(tc.code, d(tc.on))
		if ok != (tc.want != "") || got.Code != tc.want {
			t.Errorf("CurrentSuccessor(%s, %s) = %q, %v; want %q", tc.code, tc.on, got.Code, ok, tc.want)
		}
	}
	// Every agency that ended, ended into one that exists today, or was
	// dissolved without a successor on purpose (none is, today).
	today := d("2026-11-23")
	for _, a := range c.All() {
		if a.ActiveOn(today) {
			continue
		}
		if _, ok := c.CurrentSuccessor(a.Code, today); !ok {
			t.Errorf("%s ended with no successor that exists on %s", a.Code, today)
		}
	}
}

func TestCurrentSuccessorFollowsChains(t *testing.T) {
	c := New([]Agency{
		{Code: "A", Kind: KindOther, ValidTo: d("2020-12-31"), SuccessorCode: "B"},
		{Code: "B", Kind: KindOther, ValidFrom: d("2021-01-01"), ValidTo: d("2022-12-31"), SuccessorCode: "C"},
		{Code: "C", Kind: KindOther, ValidFrom: d("2023-01-01")},
		// A cycle, as an admin's edits might leave one: no answer, no hang.
		{Code: "X", Kind: KindOther, ValidTo: d("2000-01-01"), SuccessorCode: "Y"},
		{Code: "Y", Kind: KindOther, ValidTo: d("2000-01-01"), SuccessorCode: "X"},
	})
	if got, ok := c.CurrentSuccessor("A", d("2024-01-01")); !ok || got.Code != "C" {
		t.Errorf("A on 2024: %q %v, want C", got.Code, ok)
	}
	if got, ok := c.CurrentSuccessor("A", d("2021-06-01")); !ok || got.Code != "B" {
		t.Errorf("A on 2021: %q %v, want B", got.Code, ok)
	}
	if _, ok := c.CurrentSuccessor("X", d("2024-01-01")); ok {
		t.Error("a cycle must answer false")
	}
}

// Two agencies that existed on the same day must not share a name, alias or
// code once folded: the name would not say which one is meant. Checked on
// the days around each change, independently of Validate.
func TestAliasesUnambiguousPerEra(t *testing.T) {
	c := mustCatalog(t)
	for _, day := range []string{"2010-01-01", "2022-04-27", "2024-12-31", "2025-01-01", "2025-02-28", "2025-03-01", "2025-06-30", "2025-07-01", "2026-11-23"} {
		owner := map[string]string{}
		for _, a := range c.ActiveOn(d(day)) {
			for _, k := range keysOf(a) {
				if o, dup := owner[k]; dup {
					t.Errorf("on %s, %q names both %s and %s", day, k, o, a.Code)
				}
				owner[k] = a.Code
			}
		}
	}
}

func TestAliasesFromConclusions(t *testing.T) {
	c := mustCatalog(t)
	for alias, code := range map[string]string{
		"Bộ TT&TT": "BTTTT", "Bộ TTTT": "BTTTT", "Bộ KH&ĐT": "BKHDT", "Bộ KHĐT": "BKHDT", "Bộ LĐ-TB&XH": "BLDTBXH",
		"Bộ NN&PTNT": "BNNPTNT", "Bộ TN&MT": "BTNMT", "Bộ GD&ĐT": "BGDDT", "Bộ VHTTDL": "BVHTTDL", "Bộ KH&CN": "BKHCN",
		"Bộ GTVT": "BGTVT", "Ngân hàng Nhà nước": "NHNN", "NHNN": "NHNN", "Văn phòng Chính phủ": "VPCP", "VPCP": "VPCP",
		"UBND tỉnh Hà Nam": "HANAM", "tỉnh An Giang": "ANGIANG", "An Giang": "ANGIANG", "Ủy ban nhân dân tỉnh An Giang": "ANGIANG",
		"TP. Hồ Chí Minh": "HOCHIMINH", "Thành phố Hồ Chí Minh": "HOCHIMINH", "TP.HCM": "HOCHIMINH", "TPHCM": "HOCHIMINH",
		"Uỷ ban nhân dân tỉnh Thanh Hoá": "THANHHOA", "Hoà Bình": "HOABINH", "Khánh Hoà": "KHANHHOA",
		"Đắc Lắc": "DAKLAK", "Đắk Lắc": "DAKLAK", "Đắk Lắk": "DAKLAK", "UBND TP. Hà Nội": "HANOI",
	} {
		got := c.Search(alias, civil.Date{}, "")
		if len(got) == 0 || got[0].Code != code || !slices.ContainsFunc(keysOf(got[0]), func(k string) bool { return k == SearchKey(alias) }) {
			t.Errorf("%q: got %v, want %s named exactly", alias, codes(got), code)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	base := func() []Agency {
		return []Agency{
			{Code: "OLD", Name: "Bộ Cũ", ShortName: "Bộ Cũ", Kind: KindMinistry, ValidTo: d("2025-02-28"), SuccessorCode: "NEW", Source: "x"},
			{Code: "NEW", Name: "Bộ Mới", ShortName: "Bộ Mới", Kind: KindMinistry, ValidFrom: d("2025-03-01"), Source: "x"},
			{Code: "P", Name: "Ủy ban nhân dân tỉnh P", ShortName: "UBND tỉnh P", Kind: KindProvince, GSOCode: "01", Source: "x"},
		}
	}
	if err := Validate(base()); err != nil {
		t.Fatalf("base catalog: %v", err)
	}
	for _, tc := range []struct {
		name, want string
		edit       func([]Agency) []Agency
	}{
		{"duplicate code", "used twice", func(l []Agency) []Agency { l[1].Code = "OLD"; return l }},
		{"lower-case code", "code must match", func(l []Agency) []Agency { l[2].Code = "p"; return l }},
		{"code with diacritics", "code must match", func(l []Agency) []Agency { l[2].Code = "HÀNAM"; return l }},
		{"unknown kind", "unknown kind", func(l []Agency) []Agency { l[0].Kind = "department"; return l }},
		{"no name", "required", func(l []Agency) []Agency { l[0].Name = ""; return l }},
		{"no source", "source", func(l []Agency) []Agency { l[0].Source = ""; return l }},
		{"ends before it starts", "before valid_from", func(l []Agency) []Agency { l[1].ValidTo = d("2025-01-01"); return l }},
		{"missing successor", "not in the catalog", func(l []Agency) []Agency { l[0].SuccessorCode = "NONE"; return l }},
		{"successor without end", "no valid_to", func(l []Agency) []Agency { l[1].SuccessorCode = "P"; return l }},
		{"gap before successor", "day after valid_to", func(l []Agency) []Agency { l[0].ValidTo = d("2025-01-31"); return l }},
		{"successor cycle", "lead back", func(l []Agency) []Agency {
			l[0].ValidFrom, l[1].ValidTo, l[1].SuccessorCode = d("2025-03-01"), d("2025-02-28"), "OLD"
			l[0].ValidTo, l[1].ValidFrom = d("2025-02-28"), d("2025-03-01")
			return l
		}},
		{"province without number", "gso_code", func(l []Agency) []Agency { l[2].GSOCode = ""; return l }},
		{"ministry with number", "only provinces", func(l []Agency) []Agency { l[1].GSOCode = "12"; return l }},
		{"alias shared in one era", "existed at the same time", func(l []Agency) []Agency { l[2].Aliases = []string{"bo moi"}; return l }},
		{"alias of punctuation only", "no letters", func(l []Agency) []Agency { l[2].Aliases = []string{"&-."}; return l }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.edit(base()))
			var ve *ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a ValidationError mentioning %q", err, tc.want)
			}
		})
	}
	// The same alias in two eras is fine: "Bộ Cũ" ended before "Bộ Mới" began.
	l := base()
	l[0].Aliases, l[1].Aliases = []string{"Bộ X"}, []string{"Bộ X"}
	if err := Validate(l); err != nil {
		t.Errorf("an alias reused across eras must be allowed: %v", err)
	}
}

func TestParseNormalises(t *testing.T) {
	// Decomposed Unicode and the old tone placement, as a file edited
	// elsewhere might carry them.
	in := `[{"code":"P","name":"U\u0309y ban nhân dân tỉnh Thanh Hoá","short_name":"UBND tỉnh Thanh Hoá","kind":"province",
	"valid_from":null,"valid_to":null,"successor_code":null,"aliases":["Thanh Hoá"," Thanh Hóa ",""],"gso_code":"38","source":"x"}]`
	list, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	a := list[0]
	if a.Name != "Ủy ban nhân dân tỉnh Thanh Hóa" || !slices.Equal(a.Aliases, []string{"Thanh Hóa"}) {
		t.Errorf("got %q %q", a.Name, a.Aliases)
	}
	if _, err := Parse([]byte(`[{"code":"P","nmae":"typo"}]`)); err == nil {
		t.Error("unknown fields must be rejected")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	list, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"successor_code":null`) || !strings.Contains(string(b), `"valid_from":null`) {
		t.Error("absent successors and dates must be written as null")
	}
	again, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if !agencyEqual(list[i], again[i]) {
			t.Errorf("%s changed in a round trip: %+v", list[i].Code, again[i])
		}
	}
}

func agencyEqual(a, b Agency) bool {
	return a.Code == b.Code && a.Name == b.Name && a.ShortName == b.ShortName && a.Kind == b.Kind &&
		a.ValidFrom == b.ValidFrom && a.ValidTo == b.ValidTo && a.SuccessorCode == b.SuccessorCode &&
		a.GSOCode == b.GSOCode && a.Source == b.Source && slices.Equal(a.Aliases, b.Aliases)
}
