package extract

import (
	"strings"

	"github.com/dondoc/dondoc/workflow/catalog"
)

// Names the catalog does not hold, which a directive still addresses:
//
//   - bodies outside the catalog, named as proper names: a steering
//     committee ("Ban Chỉ đạo quốc gia phòng, chống dịch COVID-19"), a
//     working group ("Tổ công tác"), a national committee, a state
//     corporation ("Tổng công ty Truyền tải điện quốc gia"), an association,
//     a military region ("Quân khu 4"). They become agencies without a code,
//     flagged for the secretariat to map;
//   - groups the catalog cannot expand, named with common nouns: "các cơ
//     quan liên quan", "các đơn vị thi công", "ngành chức năng", "chính
//     quyền các cấp". They become the group "other", kept as written.

// bodyHeads open the name of a body outside the catalog; the first word
// must be capitalised, as a proper name's is.
var bodyHeads = [][]string{
	{"ban", "chỉ", "đạo"}, {"tổ", "công", "tác"}, {"ủy", "ban", "quốc", "gia"}, {"ủy", "ban", "an", "toàn"},
	{"hội", "đồng", "quốc", "gia"}, {"tập", "đoàn"}, {"tổng", "công", "ty"}, {"hiệp", "hội"},
	{"phòng", "thương", "mại", "và", "công", "nghiệp"}, {"quân", "khu"}, {"bộ", "tư", "lệnh"}, {"bộ", "tổng", "tham", "mưu"},
	{"tổng", "cục"}, {"cục"}, {"ngân", "hàng", "phát", "triển"}, {"ngân", "hàng", "chính", "sách"},
	{"đại", "học", "quốc", "gia"}, {"liên", "đoàn"}, {"quỹ"}, {"ban", "quản", "lý"}, {"ủy", "ban", "chứng", "khoán"},
}

// bodyEnds end a body's name: the words that open what the body is to do
// or how it stands in the sentence.
var bodyEnds = map[string]bool{
	"có": true, "là": true, "chủ": true, "phối": true, "phải": true, "cần": true, "khẩn": true, "sớm": true,
	"tiếp": true, "tập": true, "chỉ": true, "xây": true, "nghiên": true, "rà": true, "triển": true, "thực": true,
	"báo": true, "hướng": true, "tổ": true, "đẩy": true, "kiểm": true, "theo": true, "bảo": true, "đảm": true,
	"căn": true, "chịu": true, "kịp": true, "tham": true, "trình": true, "hoàn": true, "tăng": true, "nâng": true,
	"đôn": true, "cùng": true, "với": true, "của": true, "tại": true, "trong": true, "được": true, "đã": true,
	"đang": true, "sẽ": true, "thì": true, "để": true, "cho": true, "khi": true, "nếu": true, "tích": true,
	"quyết": true, "yêu": true, "đề": true, "huy": true, "lập": true, "ban": true, "xử": true,
	"nắm": true, "giám": true, "tổng": true, "tháo": true, "giải": true, "bố": true, "khắc": true, "sắp": true,
	"thúc": true, "xem": true, "thẩm": true, "lựa": true, "sẵn": true, "cập": true, "giúp": true, "vừa": true, "trực": true, "thuộc": true,
}

const maxBodyWords = 18

// namedBody recognises the name of a body outside the catalog at token i
// and returns the token after it.
func namedBody(toks []token, i int) (int, bool) {
	if !toks[i].upper {
		return 0, false
	}
	end := 0
	for _, h := range bodyHeads {
		if e, ok := wordsAt(toks, i, h...); ok && e > end {
			end = e
		}
	}
	if end == 0 || lowAt(toks, end) == "nhân" {
		return 0, false
	}
	// "Cục", "Quỹ", "Tập đoàn" alone are common nouns: the name needs a
	// capitalised word after its head, or is a head that names one body.
	// A head that holds a capitalised word after its first ("Ủy ban An
	// toàn", "Ban Chỉ đạo") or names one kind of body ("Tổ công tác",
	// "Ban chỉ đạo") is a name by itself.
	complete := lowAt(toks, i) == "tổ" || lowAt(toks, i) == "ban" && lowAt(toks, i+1) == "chỉ"
	for k := i + 1; k < end; k++ {
		complete = complete || toks[k].upper
	}
	if end >= len(toks) || !toks[end].word || (!toks[end].upper && !toks[end].digit && !complete) {
		if !complete {
			return 0, false
		}
	}
	words := 0
	for end < len(toks) && words < maxBodyWords {
		t := toks[end]
		switch {
		case !t.word:
			if (t.low == "," && lowAt(toks, end+1) == "chống") || t.low == "-" || t.low == "–" || t.low == "&" {
				end++
				continue
			}
			return end, true
		case t.low == "và":
			if next := end + 1; next < len(toks) && (toks[next].upper || toks[next].low == "các") {
				return end, true
			}
		case t.low == "của" && lowAt(toks, end+1) == "thủ" && lowAt(toks, end+2) == "tướng":
			// "Tổ công tác của Thủ tướng Chính phủ": whose body it is
			// belongs to its name.
			end += 3
			if e, ok := wordsAt(toks, end, "chính", "phủ"); ok {
				end = e
			}
			continue
		case t.low == "nam" && lowAt(toks, end-1) == "việt" && t.upper:
			// "Hiệp hội Ngân hàng Việt Nam", "Tập đoàn Dầu khí Việt Nam":
			// the country closes a national body's name.
			if next := end + 1; next < len(toks) && toks[next].word && !toks[next].upper {
				return end + 1, true
			}
		case t.low == "vừa" && lowAt(toks, end-1) == "và" && lowAt(toks, end-2) == "nhỏ":
			// "Hiệp hội Doanh nghiệp nhỏ và vừa Việt Nam": small and
			// medium, not "vừa" (just).
		case !t.upper && bodyEnds[t.low] && !(t.low == "triển" && lowAt(toks, end-1) == "phát"):
			// "triển khai" opens the work; "phát triển" is the subject
			// of the body's name ("Ban Chỉ đạo … về phát triển …").
			return end, true
		}
		end++
		words++
	}
	return end, true
}

// genericNouns name kinds of bodies: a list of them names no one in
// particular ("các cơ quan, tổ chức liên quan"). Each is one or more words.
var genericHeads = [][]string{
	{"cơ", "quan"}, {"đơn", "vị"}, {"tổ", "chức"}, {"lực", "lượng"}, {"doanh", "nghiệp"}, {"địa", "phương"},
	{"bộ"}, {"ngành"}, {"ban"}, {"sở"}, {"tập", "đoàn"}, {"tổng", "công", "ty"}, {"công", "ty"}, {"hiệp", "hội"},
	{"nhà", "thầu"}, {"chủ", "đầu", "tư"}, {"cá", "nhân"}, {"thương", "nhân"}, {"đoàn", "thể"}, {"ngân", "hàng"},
	{"tổ", "chức", "tín", "dụng"}, {"cấp"}, {"bộ", "ngành"}, {"viện"}, {"trường"}, {"bệnh", "viện"},
}

// bodyNouns name bodies and nothing else, so that "các" and one of them is
// a group by itself.
var bodyNouns = map[string]bool{
	"cơ quan": true, "đơn vị": true, "tổ chức": true, "lực lượng": true, "doanh nghiệp": true, "bộ": true,
	"tập đoàn": true, "tổng công ty": true, "nhà thầu": true, "chủ đầu tư": true, "thương nhân": true, "hiệp hội": true,
	"bộ ngành": true, "địa phương": true,
}

// genericTails qualify such a list: "liên quan", "chức năng", "thi công".
var genericTails = [][]string{
	{"có", "liên", "quan"}, {"liên", "quan"}, {"chức", "năng"}, {"thi", "công"}, {"thành", "viên"},
	{"thương", "mại"}, {"đầu", "mối"}, {"trực", "thuộc"}, {"trung", "ương"}, {"nhà", "nước"},
	{"chính", "trị", "xã", "hội"}, // "các tổ chức chính trị - xã hội", the dash between
	{"báo", "chí"},                // "các cơ quan báo chí"
}

// standaloneGroups are groups without "các": "ngành chức năng", "chính
// quyền các cấp".
var standaloneGroups = [][]string{
	{"ngành", "chức", "năng"}, {"cơ", "quan", "chức", "năng"}, {"lực", "lượng", "chức", "năng"},
	{"chính", "quyền", "các", "cấp"}, {"chính", "quyền", "địa", "phương"},
}

// otherGroup recognises a group named with common nouns at token i ("các
// cơ quan, tổ chức liên quan") and returns the token after it and the
// group. A list of such nouns that names ministries ("bộ") and localities
// ("địa phương") and nothing narrower is all ministries and provinces
// ("các cơ quan, bộ ngành, địa phương"); ministries alone, all ministries;
// any other list, or one qualified ("liên quan", "chức năng"), names some
// bodies only: GroupOther.
func otherGroup(toks []token, i int) (int, catalog.Group, bool) {
	for _, g := range standaloneGroups {
		if e, ok := wordsAt(toks, i, g...); ok && toks[i].word {
			return e, GroupOther, true
		}
	}
	if t := lowAt(toks, i); t != "các" && t != "những" {
		return 0, "", false
	}
	j, nouns := i+1, 0
	ministries, provinces, narrow := false, false, false
	for {
		k := j
		if nouns > 0 {
			for k < len(toks) && (toks[k].low == "," || toks[k].low == "và") {
				k++
			}
			if lowAt(toks, k) == "các" {
				k++
			}
			if k == j {
				// The nouns of a list stand apart by commas or "và": a
				// noun right after one is a verb ("các bộ, ngành, địa
				// phương tổ chức thực hiện").
				break
			}
		}
		best := 0
		for _, h := range genericHeads {
			if e, ok := wordsAt(toks, k, h...); ok && e > best && e == k+len(h) {
				best = e
			}
		}
		if best == 0 || splitsWord(toks, best) {
			break
		}
		if e, ok := wordsAt(toks, best, "trung", "ương"); ok && e == best+2 { // "các bộ, ban, ngành Trung ương"
			best = e
		}
		switch noun := strings.Join(lowWords(toks[k:best]), " "); strings.TrimSuffix(noun, " trung ương") {
		case "bộ", "bộ ngành":
			ministries = true
		case "địa phương":
			provinces = true
		case "ngành", "cơ quan", "ban", "cấp":
		default:
			narrow = true
		}
		j, nouns = best, nouns+1
	}
	if nouns == 0 {
		return 0, "", false
	}
	tailed := false
	for _, tail := range genericTails {
		if e, ok := wordsAt(toks, j, tail...); ok && (e == j+len(tail) || tail[0] == "chính" && e == j+len(tail)+1) {
			j, tailed = e, true
			narrow = narrow || !(tail[0] == "trung" || tail[0] == "thành")
			break
		}
	}
	// "các ngành nghề", "các cấp học", "các trường": one noun that also
	// names things other than bodies needs a qualifier to be a group.
	if nouns == 1 && !tailed && !bodyNouns[strings.Join(lowWords(toks[i+1:j]), " ")] {
		return 0, "", false
	}
	switch {
	case narrow:
		return j, GroupOther, true
	case ministries && provinces:
		return j, catalog.AllMinistriesAndProvinces, true
	case ministries:
		return j, catalog.AllMinistries, true
	}
	return j, GroupOther, true
}

func lowWords(toks []token) []string {
	var out []string
	for _, t := range toks {
		if t.word {
			out = append(out, t.low)
		}
	}
	return out
}

// headGroups name a group by its members' heads, in the forms of address of
// Government texts: "các Bộ trưởng", "Thủ trưởng (các) cơ quan ngang bộ",
// "(Thủ trưởng) cơ quan thuộc Chính phủ", "Chủ tịch UBND (các) tỉnh, thành
// phố (trực thuộc Trung ương)". Written in a list, they join as the groups
// do.
var headGroups = []struct {
	words []string
	group catalog.Group
}{
	{[]string{"thủ", "trưởng", "các", "cơ", "quan", "ngang", "bộ"}, catalog.AllMinistries},
	{[]string{"thủ", "trưởng", "cơ", "quan", "ngang", "bộ"}, catalog.AllMinistries},
	{[]string{"thủ", "trưởng", "các", "cơ", "quan", "thuộc", "chính", "phủ"}, catalog.AllMinistries},
	{[]string{"thủ", "trưởng", "cơ", "quan", "thuộc", "chính", "phủ"}, catalog.AllMinistries},
	{[]string{"các", "cơ", "quan", "ngang", "bộ"}, catalog.AllMinistries},
	{[]string{"cơ", "quan", "ngang", "bộ"}, catalog.AllMinistries},
	{[]string{"cơ", "quan", "thuộc", "chính", "phủ"}, catalog.AllMinistries},
	{[]string{"các", "bộ", "trưởng"}, catalog.AllMinistries},
	{[]string{"chủ", "tịch", "ubnd", "các", "tỉnh", "thành", "phố"}, catalog.AllProvinces},
	{[]string{"chủ", "tịch", "ủy", "ban", "nhân", "dân", "các", "tỉnh", "thành", "phố"}, catalog.AllProvinces},
	{[]string{"chủ", "tịch", "ubnd", "tỉnh", "thành", "phố"}, catalog.AllProvinces},
	{[]string{"chủ", "tịch", "ủy", "ban", "nhân", "dân", "tỉnh", "thành", "phố"}, catalog.AllProvinces},
}

// headGroup recognises one of headGroups at token i, with "trực thuộc
// Trung ương" after a province group, and returns the token after it.
func headGroup(toks []token, i int) (int, catalog.Group, bool) {
	for _, h := range headGroups {
		e, ok := wordsAt(toks, i, h.words...)
		if !ok || !toks[i].word {
			continue
		}
		if h.group == catalog.AllMinistries && lowAt(toks, e) == "bộ" { // "các Bộ trưởng Bộ Y tế, …" names the ministers of some
			return 0, "", false
		}
		if h.group == catalog.AllProvinces {
			for _, tail := range [][]string{{"trực", "thuộc", "trung", "ương"}, {"trực", "thuộc", "tw"}, {"trực", "thuộc", "tư"}} {
				if te, ok := wordsAt(toks, e, tail...); ok {
					e = te
					break
				}
			}
		}
		return e, h.group, true
	}
	return 0, "", false
}
