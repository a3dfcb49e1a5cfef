package extract

import "github.com/dondoc/dondoc/workflow/catalog"

// item is one agency or group of a list.
type item struct {
	m mention
	// related: "các bộ, ngành liên quan", the ministries concerned, which
	// names no one in particular.
	related bool
	end     int // the token after the item's qualifiers ("liên quan")
}

// agencyList is agencies and groups named together: "Bộ Y tế, Bộ Công an
// và các địa phương", "Bộ trưởng Bộ Tài chính", "các Bộ: Y tế, Tài chính".
type agencyList struct {
	t0, t1 int // token range, with the titles before the first name and the qualifiers after the last
	items  []item
}

// titles name the head of an agency: "yêu cầu Bộ trưởng Bộ Tài chính" asks
// the ministry.
var titles = [][]string{
	{"bộ", "trưởng"}, {"thủ", "trưởng"}, {"thống", "đốc"}, {"chủ", "tịch"}, {"phó", "chủ", "tịch"},
	{"tổng", "giám", "đốc"}, {"giám", "đốc"}, {"chủ", "nhiệm"}, {"tổng"}, {"lãnh", "đạo"}, {"tư", "lệnh"}, {"bí", "thư"},
	{"người", "đứng", "đầu"}, {"trưởng", "ban"},
}

// provinceHeads open a list of provinces named by their bare names:
// "Ủy ban nhân dân các tỉnh: Quảng Ninh, Hải Dương", "các tỉnh Hà Giang, Cao Bằng".
var provinceListHeads = [][]string{
	{"ủy", "ban", "nhân", "dân", "các", "tỉnh", "thành", "phố"}, {"ubnd", "các", "tỉnh", "thành", "phố"},
	{"ủy", "ban", "nhân", "dân", "các", "tỉnh"}, {"ubnd", "các", "tỉnh"}, {"chủ", "tịch", "ubnd", "các", "tỉnh"},
	{"chủ", "tịch", "ủy", "ban", "nhân", "dân", "các", "tỉnh"}, {"các", "tỉnh", "thành", "phố"}, {"các", "tỉnh"},
	{"các", "thành", "phố"}, {"các", "địa", "phương"}, {"hai", "tỉnh"}, {"ba", "tỉnh"},
}

// headStart returns where the titles and list heads before a name start:
// "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ" starts at "Bộ", "các tỉnh Hà
// Giang, Cao Bằng" at "các".
func headStart(toks []token, m mention) int {
	t0 := titleStart(toks, m.t0)
	if !m.province || t0 != m.t0 {
		return t0
	}
	end := t0
	if end > 0 && toks[end-1].low == ":" {
		end--
	}
	for _, h := range provinceListHeads {
		// "Ủy ban nhân dân các tỉnh Thanh Hóa, Nghệ An": the name "tỉnh
		// Thanh Hóa" holds the head's last word.
		if w := lowAt(toks, end); end == m.t0 && w == h[len(h)-1] && (w == "tỉnh" || w == "phố") {
			h = h[:len(h)-1]
		}
		if len(h) == 0 {
			continue
		}
		for s := end - len(h); s >= 0 && s >= end-len(h)-2; s-- {
			if e, ok := wordsAt(toks, s, h...); ok && e == end && toks[s].word {
				return s
			}
		}
	}
	return t0
}

// titleStart returns where the titles before token t0 start.
func titleStart(toks []token, t0 int) int {
	for {
		moved := false
		for _, title := range titles {
			s := t0 - len(title)
			if s < 0 {
				continue
			}
			if end, ok := wordsAt(toks, s, title...); ok && end == t0 && toks[s].word {
				t0, moved = s, true
				break
			}
		}
		if !moved {
			return t0
		}
		if t0 >= 2 && toks[t0-1].low == "," && isTitleEnd(toks, t0-1) {
			t0--
			continue
		}
		return t0
	}
}

// isTitleEnd reports whether a title ends just before token i.
func isTitleEnd(toks []token, i int) bool {
	for _, title := range titles[:len(titles)-1] {
		if s := i - len(title); s >= 0 {
			if end, ok := wordsAt(toks, s, title...); ok && end == i {
				return true
			}
		}
	}
	return false
}

// genericNouns make up "các cơ quan, đơn vị liên quan" and the like, which
// name no agency in particular.
var genericNouns = map[string]bool{
	"cơ": true, "quan": true, "đơn": true, "vị": true, "tổ": true, "chức": true, "bộ": true, "ngành": true,
	"địa": true, "phương": true, "doanh": true, "nghiệp": true, "ban": true, "sở": true, "hiệp": true, "hội": true,
	"tập": true, "đoàn": true, "viện": true, "trường": true, "lực": true, "lượng": true, "chủ": true, "đầu": true,
	"tư": true, "bên": true, "chức năng": true, "năng": true, "thành": true, "viên": true, "cấp": true,
}

// filler recognises "các cơ quan (có) liên quan" at i and returns the token
// after it, or i.
func filler(toks []token, i int) int {
	j := i
	if lowAt(toks, j) == "các" {
		j++
	}
	nouns := 0
	for j < len(toks) && (genericNouns[toks[j].low] || toks[j].low == ",") {
		if toks[j].word {
			nouns++
		}
		j++
	}
	if nouns == 0 {
		return i
	}
	if lowAt(toks, j) == "có" {
		j++
	}
	if end, ok := wordsAt(toks, j, "liên", "quan"); ok {
		return end
	}
	return i
}

// skipParen skips a parenthesis that starts at i: "Bộ Công an (Cục C06)".
func skipParen(toks []token, i int) int {
	if lowAt(toks, i) != "(" {
		return i
	}
	for j := i + 1; j < len(toks) && j < i+30; j++ {
		if toks[j].low == ")" {
			return j + 1
		}
	}
	return i
}

// afterItem skips what may follow a name inside a list: a parenthesis,
// "thành viên", "(có) liên quan", "trực thuộc Trung ương".
func afterItem(toks []token, j int, it *item) int {
	for {
		switch {
		case lowAt(toks, j) == "(":
			k := skipParen(toks, j)
			if k == j {
				return j
			}
			j = k
		case lowAt(toks, j) == "thành" && lowAt(toks, j+1) == "viên":
			j += 2
		case lowAt(toks, j) == "có" && lowAt(toks, j+1) == "liên" && lowAt(toks, j+2) == "quan":
			it.related = true
			j += 3
		case lowAt(toks, j) == "liên" && lowAt(toks, j+1) == "quan":
			it.related = true
			j += 2
		case it.m.group != "" && (lowAt(toks, j) == "trong" && (lowAt(toks, j+1) == "vùng" || lowAt(toks, j+1) == "khu") ||
			lowAt(toks, j) == "trên" && lowAt(toks, j+1) == "địa" && lowAt(toks, j+2) == "bàn" ||
			lowAt(toks, j) == "bị" || lowAt(toks, j) == "ven" || lowAt(toks, j) == "vùng" || lowAt(toks, j) == "miền"):
			// "các địa phương trong vùng", "các địa phương bị thiệt hại", "các
			// tỉnh miền núi": some members of the group, not the group; as
			// written up to the predicate.
			it.related = true
			if k, ok := narrowedUntilPredicate(toks, j); ok {
				return k
			}
			return j
		case it.m.group != "" && lowAt(toks, j) == "có" && !afterCo[lowAt(toks, j+1)]:
			// "các địa phương có công dân nhập cảnh chủ động …": "có" and
			// what they have narrow the group, up to the predicate.
			if k, ok := narrowedUntilPredicate(toks, j+1); ok {
				it.related = true
				return k
			}
			return j
		case lowAt(toks, j) == "trực" && lowAt(toks, j+1) == "thuộc":
			if end, ok := wordsAt(toks, j, "trực", "thuộc", "trung", "ương"); ok {
				j = end
			} else {
				return j
			}
		default:
			return j
		}
	}
}

// narrowedUntilPredicate reads the words that narrow a group, from token i
// ("có cá chết", "ven biển", "miền núi"): a few words
// without punctuation other than a dash, up to the first word that opens an
// order (see strongWords, predicateVerbs). It returns where the predicate
// starts.
func narrowedUntilPredicate(toks []token, i int) (int, bool) {
	for k := i + 1; k < len(toks) && k <= i+8; k++ {
		switch {
		case !toks[k].word && toks[k].low != "-" && toks[k].low != "–":
			return 0, false
		case !toks[k].word || toks[k].upper:
			continue
		case strongWords[toks[k].low] || strongWords[toks[k].low+" "+lowAt(toks, k+1)] ||
			predicateVerbs[toks[k].low+" "+lowAt(toks, k+1)]:
			return k, true
		}
	}
	return 0, false
}

// predicateVerbs open the work given to a group in most directives.
var predicateVerbs = map[string]bool{
	"triển khai": true, "thực hiện": true, "tổ chức": true, "bảo đảm": true, "đảm bảo": true, "xây dựng": true,
	"kiểm tra": true, "hướng dẫn": true, "báo cáo": true, "theo dõi": true, "sơ tán": true, "di dời": true,
	"khắc phục": true, "hỗ trợ": true, "tăng cường": true, "đẩy mạnh": true, "đẩy nhanh": true, "chuẩn bị": true,
	"xử lý": true, "giám sát": true, "cập nhật": true, "huy động": true, "ứng phó": true, "rà soát": true,
	"sẵn sàng": true, "cung cấp": true, "tuyên truyền": true, "vận động": true, "hoàn thành": true,
}

// buildLists joins the mentions of a sentence into lists: names next to
// each other, separated by commas, "và" or "cùng (với)".
func buildLists(toks []token, ms []mention) []agencyList {
	var out []agencyList
	for k := 0; k < len(ms); {
		l := agencyList{t0: headStart(toks, ms[k]), t1: ms[k].t1, items: []item{{m: ms[k]}}}
		k++
		for {
			j := afterItem(toks, l.t1, &l.items[len(l.items)-1])
			l.items[len(l.items)-1].end = j
			l.t1 = j
			s := j
			for s < len(toks) && (toks[s].low == "," || toks[s].low == "và" || toks[s].low == "cùng" ||
				(toks[s].low == "với" && lowAt(toks, s-1) == "cùng") || (toks[s].low == ":" && l.items[len(l.items)-1].m.group != "")) {
				s++
			}
			if s == j {
				break
			}
			// "Các bộ, ngành, trước hết là Bộ Y tế, …": the ones named
			// first are in the list too.
			for _, p := range [][]string{{"trước", "hết", "là"}, {"nhất", "là"}, {"đặc", "biệt", "là"}, {"trong", "đó", "có"}} {
				if e, ok := wordsAt(toks, s, p...); ok && e == s+len(p) && k < len(ms) && ms[k].t0 == e {
					s = e
					break
				}
			}
			if k < len(ms) && (titleStart(toks, ms[k].t0) == s || headStart(toks, ms[k]) == s) {
				l.items = append(l.items, item{m: ms[k]})
				l.t1 = ms[k].t1
				k++
				continue
			}
			if f := filler(toks, s); f > s {
				l.t1 = f
				continue
			}
			// "các bộ trưởng, doanh nghiệp và chủ tịch UBND các tỉnh": bare
			// enterprises among the addressees do not end the list.
			if e, ok := bareEnterprises(toks, s); ok && k < len(ms) {
				if n := skipSeparators(toks, e); n > e && (titleStart(toks, ms[k].t0) == n || headStart(toks, ms[k]) == n) {
					l.t1 = e
					continue
				}
			}
			// "Các bộ, ngành thành viên và địa phương": a bare "địa phương"
			// after a group is the provinces.
			if end, ok := wordsAt(toks, s, "địa", "phương"); ok && l.hasGroup() {
				l.items = append(l.items, item{m: mention{t0: s, t1: end, n0: s, group: catalog.AllProvinces}})
				l.t1 = end
				continue
			}
			break
		}
		out = append(out, l.dropProvinceHead())
	}
	return out
}

// bareEnterprises recognises "(các) doanh nghiệp" or "(các) tập đoàn,
// tổng công ty" at i, and returns the token after it.
func bareEnterprises(toks []token, i int) (int, bool) {
	if lowAt(toks, i) == "các" {
		i++
	}
	for _, w := range [][]string{{"doanh", "nghiệp"}, {"tập", "đoàn"}, {"tổng", "công", "ty"}, {"hiệp", "hội"}} {
		if e, ok := wordsAt(toks, i, w...); ok && e == i+len(w) {
			return e, true
		}
	}
	return i, false
}

func (l agencyList) hasGroup() bool {
	for _, it := range l.items {
		if it.m.group != "" {
			return true
		}
	}
	return false
}

// dropProvinceHead turns "UBND các tỉnh, thành phố: Hà Nội, Hải Phòng"
// into the provinces named: the group phrase only heads the list.
func (l agencyList) dropProvinceHead() agencyList {
	if len(l.items) < 2 || l.items[0].m.group != catalog.AllProvinces || l.items[1].m.group != "" {
		return l
	}
	l.items = l.items[1:]
	return l
}
