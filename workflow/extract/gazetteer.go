package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dondoc/dondoc/workflow/catalog"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// caseMode says how a name must be capitalised in the text to count.
type caseMode int

const (
	anyCase     caseMode = iota // "Bộ Y tế", "bộ Y tế"
	capitalized                 // a bare place name: "Hòa Bình" the province, not "hòa bình" (peace)
	exactCase                   // an acronym: "BYT", not "byt"
	firstUpper                  // a ministry without its "Bộ": "các Bộ: Xây dựng", not "các bộ xây dựng kế hoạch"
)

// entry is what a name in the gazetteer stands for: an agency or a group.
type entry struct {
	code     string
	group    catalog.Group
	province bool
	ministry bool // a ministry named with its "Bộ", which may head an elliptic list
	mode     caseMode
	words    []string // the name's words as written in the catalog, for case checks
}

// node is a node of a trie over lower-case words.
type node struct {
	next    map[string]*node
	entries []entry
	// unmarked holds the children by their words without diacritics; a
	// word two children share maps to nil.
	unmarked map[string]*node
}

func (n *node) add(words []string, e entry) {
	for _, w := range words {
		if n.next == nil {
			n.next = map[string]*node{}
		}
		c := n.next[w]
		if c == nil {
			c = &node{}
			n.next[w] = c
			if n.unmarked == nil {
				n.unmarked = map[string]*node{}
			}
			f := vntext.Fold(w)
			if _, dup := n.unmarked[f]; dup {
				n.unmarked[f] = nil
			} else {
				n.unmarked[f] = c
			}
		}
		n = c
	}
	for _, old := range n.entries {
		if old.code == e.code && old.group == e.group {
			return
		}
	}
	n.entries = append(n.entries, e)
}

// gazetteer knows every way the catalog's agencies and the groups are
// written: names, short names, aliases, group phrases, and the names of
// ministries without their "Bộ" after "các Bộ:" ("các Bộ: Y tế, Tài chính").
type gazetteer struct {
	names    node
	elliptic node
}

// groupPhrases adds, to the catalog's own group terms, the phrases that
// conclusions use for the same groups.
var groupPhrases = map[catalog.Group][]string{
	catalog.AllMinistriesAndProvinces: {
		"các bộ, ngành, cơ quan, địa phương", "các bộ, ngành và các địa phương", "các bộ, ngành Trung ương, địa phương",
		"các bộ, ngành, cơ quan Trung ương và địa phương", "các bộ, cơ quan, đơn vị, địa phương",
		"các bộ, ngành, địa phương, cơ quan",
	},
	catalog.AllMinistries: {
		"các bộ", "các bộ, cơ quan Trung ương", "các bộ, ngành, cơ quan Trung ương",
		"Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ",
		"Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ",
		"các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ",
		"Bộ trưởng các bộ, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ",
		"các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ", "các bộ trưởng, trưởng ngành",
		"các bộ trưởng, thủ trưởng cơ quan", "Bộ trưởng, Thủ trưởng các bộ, ngành", "Bộ trưởng, Thủ trưởng các bộ, cơ quan",
	},
	catalog.AllProvinces: {
		"Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương",
		"Chủ tịch UBND các tỉnh, thành phố", "Ủy ban nhân dân các tỉnh, thành phố", "UBND các tỉnh, TP", "Ủy ban nhân dân các cấp",
		"UBND các cấp", "chính quyền địa phương các cấp", "UBND các tỉnh, thành phố trực thuộc TW", "UBND các tỉnh, thành",
		"UBND tỉnh, thành phố", "UBND tỉnh, TP", "Ủy ban nhân dân tỉnh, thành phố", "UBND cấp tỉnh", "Ủy ban nhân dân cấp tỉnh",
		"Chủ tịch UBND cấp tỉnh", "Chủ tịch Ủy ban nhân dân cấp tỉnh", "lãnh đạo các địa phương", "Chủ tịch UBND tỉnh, thành phố",
		"Chủ tịch Ủy ban nhân dân tỉnh, thành phố", "UBND tỉnh, TP trực thuộc TW", "UBND tỉnh, thành phố trực thuộc Trung ương",
		"từng địa phương", "mỗi địa phương", "UBND các tỉnh", "Ủy ban nhân dân các tỉnh",
	},
}

// provinceHeads are the words a province's name starts with when it is
// written as an institution rather than a bare place name.
var provinceHeads = []string{"tỉnh", "thành", "tp", "ubnd", "ủy", "chủ", "thủ"}

func newGazetteer(c *catalog.Catalog) *gazetteer {
	g := &gazetteer{}
	for _, a := range c.All() {
		names := append([]string{a.Name, a.ShortName}, a.Aliases...)
		for _, name := range names {
			name = strings.TrimSpace(vntext.Normalize(name))
			words := wordsOf(name)
			if len(words) == 0 {
				continue
			}
			low := lowerAll(words)
			if a.Code == "HOCHIMINH" && strings.Join(low, " ") == "hồ chí minh" {
				continue // the bare name is more often the President's than the city's
			}
			e := entry{code: a.Code, mode: anyCase, words: words, province: a.Kind == catalog.KindProvince,
				ministry: a.Kind == catalog.KindMinistry && low[0] == "bộ" && len(low) > 1}
			switch {
			case len(words) == 1 && words[0] == strings.ToUpper(words[0]) && words[0] != low[0]:
				e.mode = exactCase
			case a.Kind == catalog.KindProvince && !containsStr(provinceHeads, low[0]):
				e.mode = capitalized
			}
			g.names.add(low, e)
			// "Bộ Khoa học" for "Bộ Khoa học và Công nghệ", "Bộ Lao động"
			// for "Bộ Lao động - Thương binh và Xã hội": a ministry's name
			// cut before its second field.
			if cut := firstField(words); a.Kind == catalog.KindMinistry && low[0] == "bộ" && cut > 1 && name == a.Name {
				g.names.add(low[:cut], entry{code: a.Code, mode: anyCase, words: words[:cut], ministry: true})
			}
			// "các Bộ: Y tế, Tài chính" names ministries without their "Bộ".
			if (a.Kind == catalog.KindMinistry) && low[0] == "bộ" && len(low) > 1 {
				g.elliptic.add(low[1:], entry{code: a.Code, mode: firstUpper, words: words[1:]})
			}
		}
	}
	for _, grp := range catalog.Groups() {
		for _, phrase := range append(grp.Terms(), groupPhrases[grp]...) {
			words := wordsOf(vntext.Normalize(phrase))
			g.names.add(lowerAll(words), entry{group: grp, mode: anyCase, words: words})
		}
	}
	return g
}

// firstField returns how many words of a ministry's name come before its
// second field ("và", a comma, a dash), or 0 if it has one field.
func firstField(words []string) int {
	for i, w := range words {
		if i > 1 && (w == "và" || strings.HasSuffix(w, ",")) {
			return i
		}
	}
	return 0
}

// wordsOf returns the words of s, without punctuation.
func wordsOf(s string) []string {
	var words []string
	for _, t := range tokenize(s, 0, len(s)) {
		if t.word {
			words = append(words, s[t.start:t.end])
		}
	}
	return words
}

func lowerAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ToLower(w)
	}
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// match finds the longest name in trie that starts at token i and is written
// with the right case. It returns the token after the match and the
// entries of the name.
func match(trie *node, toks []token, i int) (int, []entry) {
	n := trie
	bestEnd, best := 0, []entry(nil)
	var words []int // indexes of the matched word tokens
	for j := i; j < len(toks); {
		t := toks[j]
		if !t.word {
			if weakPunct(t.low) && len(words) > 0 {
				j++
				continue
			}
			break
		}
		c := n.next[t.low]
		if c == nil && len(words) == 0 {
			c = n.next[restoredHead(toks, j)]
		}
		if c == nil && len(words) > 0 && n.unmarked != nil {
			// "Bộ Giáo duc và Đào tạo": a syllable of a name typed without
			// its marks is the one word of the name it can be.
			c = n.unmarked[vntext.Fold(t.low)]
		}
		if c == nil {
			break
		}
		n = c
		words = append(words, j)
		j++
		if ok := caseFits(n.entries, toks, words); len(ok) > 0 {
			bestEnd, best = j, ok
		}
	}
	return bestEnd, best
}

// caseFits returns the entries whose case rule the matched words obey.
func caseFits(entries []entry, toks []token, words []int) []entry {
	var out []entry
	for _, e := range entries {
		ok := len(e.words) == len(words)
		for k := 0; ok && k < len(words); k++ {
			t := toks[words[k]]
			switch e.mode {
			case exactCase:
				ok = t.caps && strings.ToUpper(t.low) == e.words[k]
			case capitalized:
				ok = t.upper || !startsUpper(e.words[k])
			case firstUpper:
				ok = k > 0 || t.upper
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// mention is a name of an agency or a group found in a sentence.
type mention struct {
	t0, t1   int      // token range in the sentence, with the head of a list ("các Bộ:") it opens
	n0       int      // where the name itself starts
	codes    []string // the agencies the name may mean, in different eras
	group    catalog.Group
	province bool
	ministry bool
	outside  bool // a body outside the catalog, named as a proper name
}

// splitsWord reports whether a name that ends before token end would cut a
// word in two: "các Bộ trưởng" is ministers, not "các Bộ" (the ministries)
// followed by "trưởng"; "toàn bộ máy" is no ministry.
func splitsWord(toks []token, end int) bool {
	if lowAt(toks, end-1) != "bộ" || end >= len(toks) || !toks[end].word {
		return false
	}
	switch toks[end].low {
	case "trưởng", "máy", "phận", "luật", "đội", "môn", "hồ", "tiêu", "phim", "đề", "mặt", "sậu", "khung":
		return true
	}
	return false
}

// ellipticHeads open a list of ministries named without "Bộ":
// "các Bộ: Tài chính, Y tế", "hai Bộ Công an, Quốc phòng".
var ellipticHeads = map[string]bool{"các": true, "hai": true, "ba": true, "bốn": true, "năm": true}

// mentions finds every agency and group named in toks.
func (g *gazetteer) mentions(toks []token) []mention {
	var out []mention
	for i := 0; i < len(toks); {
		if !toks[i].word {
			i++
			continue
		}
		if ms, next := g.ellipticList(toks, i); len(ms) > 0 {
			out = append(out, ms...)
			i = next
			continue
		}
		end, entries := match(&g.names, toks, i)
		if end > 0 && splitsWord(toks, end) {
			end = 0
		}
		if end > 0 && barePlace(entries) && inPersonName(toks, i) {
			i = end // "Phó Thủ tướng Nguyễn Hòa Bình": a man, not the province
			continue
		}
		if hEnd, grp, ok := headGroup(toks, i); ok && hEnd > end {
			out = append(out, mention{t0: i, t1: hEnd, n0: i, group: grp})
			i = hEnd
			continue
		}
		// "Bộ trưởng Công Thương": a minister named by the ministry's name
		// without its "Bộ".
		if e, ok := wordsAt(toks, i, "bộ", "trưởng"); ok && end == 0 {
			if me, entries := match(&g.elliptic, toks, e); me > 0 {
				m := newMention(i, me, entries)
				out = append(out, m)
				i = me
				continue
			}
		}
		if gEnd, grp, ok := otherGroup(toks, i); ok && gEnd > end {
			out = append(out, mention{t0: i, t1: gEnd, n0: i, group: grp})
			i = gEnd
			continue
		}
		if end > 0 {
			m := newMention(i, end, entries)
			out = append(out, m)
			i = end
			if m.ministry {
				ms, next := g.ellipticTail(toks, i)
				out = append(out, ms...)
				i = max(i, next)
			}
			continue
		}
		if end, ok := steeringCommittees(toks, i); ok {
			out = append(out, mention{t0: i, t1: end, n0: i, group: catalog.AllMinistriesAndProvinces})
			i = end
			continue
		}
		if end, ok := namedBody(toks, i); ok {
			out = append(out, mention{t0: i, t1: end, n0: i, outside: true})
			i = end
			continue
		}
		i++
	}
	return out
}

// ellipticTail reads the ministries named without their "Bộ" after one
// named with it: "Bộ Công Thương, Y tế", "Bộ Công thương, Tài chính".
func (g *gazetteer) ellipticTail(toks []token, i int) ([]mention, int) {
	var out []mention
	for {
		k := i
		if k >= len(toks) || (toks[k].low != "," && toks[k].low != "và") {
			return out, i
		}
		k++
		end, entries := match(&g.elliptic, toks, k)
		if end == 0 {
			return out, i
		}
		if full, _ := match(&g.names, toks, k); full > end {
			return out, i
		}
		out = append(out, newMention(k, end, entries))
		i = end
	}
}

func newMention(t0, t1 int, entries []entry) mention {
	m := mention{t0: t0, t1: t1, n0: t0}
	for _, e := range entries {
		if e.group != "" {
			m.group = e.group
			return m
		}
		m.codes = append(m.codes, e.code)
		m.province = m.province || e.province
		m.ministry = m.ministry || e.ministry
	}
	return m
}

// ellipticList reads "các Bộ: Y tế, Tài chính và Công an" at i: one
// mention per ministry, named without its "Bộ".
func (g *gazetteer) ellipticList(toks []token, i int) ([]mention, int) {
	if !ellipticHeads[toks[i].low] || lowAt(toks, i+1) != "bộ" {
		return nil, 0
	}
	j := i + 2
	var out []mention
	for j < len(toks) {
		k := j
		for k < len(toks) && !toks[k].word && (toks[k].low == ":" || toks[k].low == ",") {
			k++
		}
		if len(out) > 0 && lowAt(toks, k) == "và" {
			k++
		}
		end, entries := match(&g.elliptic, toks, k)
		if end == 0 {
			// Full names may stand in the same list: "các Bộ: Tài chính, Ngân hàng Nhà nước Việt Nam".
			if end, entries = match(&g.names, toks, k); end == 0 || len(out) == 0 || newMention(k, end, entries).group != "" {
				break
			}
		}
		m := newMention(k, end, entries)
		if len(out) == 0 {
			m.t0 = i // the list's head "các Bộ" belongs to its first name
		}
		out = append(out, m)
		j = end
	}
	return out, j
}

// steeringCommittees recognises "Ban Chỉ đạo … các cấp": the steering
// committees of every ministry and province.
func steeringCommittees(toks []token, i int) (int, bool) {
	j, ok := wordsAt(toks, i, "ban", "chỉ", "đạo")
	if !ok {
		return 0, false
	}
	for k := j; k < len(toks) && k < j+14; k++ {
		if !toks[k].word && !weakPunct(toks[k].low) {
			return 0, false
		}
		if end, ok := wordsAt(toks, k, "các", "cấp"); ok {
			return end, true
		}
	}
	return 0, false
}

// barePlace reports whether every entry is a place named bare ("Hòa Bình",
// not "tỉnh Hòa Bình").
func barePlace(entries []entry) bool {
	for _, e := range entries {
		if e.mode != capitalized {
			return false
		}
	}
	return len(entries) > 0
}

// surnames are the family names that open most Vietnamese names.
var surnames = map[string]bool{
	"nguyễn": true, "trần": true, "lê": true, "phạm": true, "hoàng": true, "huỳnh": true, "phan": true, "vũ": true,
	"võ": true, "đặng": true, "bùi": true, "đỗ": true, "hồ": true, "ngô": true, "dương": true, "lý": true, "đinh": true,
	"đào": true, "trịnh": true, "đoàn": true, "lương": true, "mai": true, "trương": true, "lâm": true, "tô": true,
	"hà": true, "cao": true, "châu": true, "lưu": true, "tạ": true, "thái": true, "nông": true, "triệu": true,
}

// inPersonName reports whether the capitalised word at i goes on a person's
// name: a Vietnamese name is a surname and one or two more capitalised
// words, so a place's name right after a capitalised surname, or after a
// surname and a middle name, is the person's given name ("Nguyễn Hòa
// Bình", "Trần Văn Sơn La" is not written). A place after a comma or a
// lower-case word ("tỉnh Hòa Bình", "Đồng Nai, Bình Dương") is a place.
func inPersonName(toks []token, i int) bool {
	for back := 1; back <= 2; back++ {
		k := i - back
		if k < 0 || !toks[k].word || !toks[k].upper {
			return false
		}
		if surnames[toks[k].low] {
			return true
		}
	}
	return false
}

// restoredHead returns the head of an agency's name that the source wrote
// without its diacritics, a common slip of typing: "Uy ban" (or "Uỷ ban"
// spelt "Uy") is "Ủy ban", and "Bô"/"Bo" before a capitalised word is "Bộ".
// The slip is read only where the next word makes the head certain.
func restoredHead(toks []token, j int) string {
	switch toks[j].low {
	case "uy", "ủy", "uỷ":
		if lowAt(toks, j+1) == "ban" {
			return "ủy"
		}
	case "bô", "bo", "bộ":
		if j+1 < len(toks) && toks[j+1].word && toks[j+1].upper && toks[j].upper {
			return "bộ"
		}
	}
	return ""
}
