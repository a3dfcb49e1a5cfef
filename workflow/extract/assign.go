package extract

// How a sentence assigns work. Three shapes carry nearly every directive of
// a conclusion notice:
//
//   - a cue before the agencies: "Thủ tướng Chính phủ yêu cầu Bộ Công an
//     khẩn trương …", "giao Bộ Tài chính chủ trì, phối hợp với …",
//     "đề nghị các đơn vị, địa phương …";
//   - the agencies as the subject of a clause, followed by what they are to
//     do: "Bộ Y tế chủ trì, phối hợp với Bộ Thông tin và Truyền thông thúc
//     đẩy …", "…; các địa phương cần triển khai …";
//   - a heading that names the agencies, and the items under it:
//     "Bộ trưởng, Thủ trưởng cơ quan ngang bộ …; Chủ tịch Ủy ban nhân dân
//     các tỉnh …:" then one paragraph per task.
//
// Agencies after "phối hợp (chặt chẽ) với" coordinate. Agencies anywhere
// else (objects: "hướng dẫn các địa phương", "của Bộ Tài chính") are not
// assigned anything.

type assignKind int

const (
	cueLed assignKind = iota
	subjectLed
	inherited
)

// assignment is one list of agencies given work in a sentence.
type assignment struct {
	kind assignKind
	head int // first token: the cue, or the list
	list agencyList
	src  []token // the tokens the list's mentions index, when not the sentence's (a heading's)
	// partners is where a heading names the lead's partners in src.
	partners [2]int
	pred     int // first token of what is to be done
	end      int // token after the assignment's part of the sentence
	strong   bool
}

// cues are the verbs by which the Prime Minister gives work.
var cues = [][]string{
	{"giao"}, {"yêu", "cầu"}, {"đề", "nghị"}, {"chỉ", "đạo"}, {"phân", "công"}, {"ủy", "quyền"}, {"ủy", "nhiệm"},
}

// cueBlockers before a cue make it a noun or a report: "theo đề nghị",
// "đã giao", "sự chỉ đạo", "Ban Chỉ đạo", "đồng ý đề nghị".
var cueBlockers = map[string]bool{
	"đã": true, "như": true, "theo": true, "được": true, "xét": true, "có": true, "các": true, "những": true,
	"sự": true, "ban": true, "đang": true, "vừa": true, "chưa": true, "ý": true, "đồng": true, "nhất": true,
	"trí": true, "tại": true, "của": true, "đáp": true, "ứng": true, "cầu": true, "nghị": true, "bản": true,
}

// cueBefore returns the index of the cue that gives work to the list at t0,
// or -1.
func cueBefore(toks []token, t0 int) int {
	k := t0
	// "Thủ tướng yêu cầu: Bộ …", and "Thủ tướng yêu cầu, Ủy ban Quốc gia
	// …, Bộ trưởng Bộ Quốc phòng …": a colon or a comma may set the
	// addressees off from the cue.
	if k > 0 && (toks[k-1].low == ":" || toks[k-1].low == ",") {
		k--
	}
	if k > 0 && toks[k-1].low == "cho" {
		k--
		if k >= 2 && toks[k-2].low == "cụ" && toks[k-1].low == "thể" { // "giao nhiệm vụ cụ thể cho"
			k -= 2
		}
		if k >= 2 && ((toks[k-2].low == "nhiệm" && toks[k-1].low == "vụ") || (toks[k-2].low == "trách" && toks[k-1].low == "nhiệm")) {
			k -= 2
		}
	}
	for _, c := range cues {
		s := k - len(c)
		if s < 0 {
			continue
		}
		if end, ok := wordsAt(toks, s, c...); !ok || end != k || !toks[s].word {
			continue
		}
		if s > 0 && toks[s-1].word && cueBlockers[toks[s-1].low] && !letterInstructs(toks, s) && !justInstructed(toks, s) {
			return -1
		}
		if s > 0 && toks[s-1].word && c[0] == "giao" && toks[s-1].low == "được" {
			return -1
		}
		if proposedToPremier(toks, s) || recountedClause(toks, s) {
			return -1
		}
		return s
	}
	return -1
}

// proposedToPremier reports whether the words before a cue at s ask the
// Prime Minister to give the work: "Bộ Công an báo cáo, đề xuất Thủ tướng
// Chính phủ chỉ đạo: …" is a ministry's proposal, not a directive.
func proposedToPremier(toks []token, s int) bool {
	k := s
	if lowAt(toks, k-1) == "phủ" && lowAt(toks, k-2) == "chính" {
		k -= 2
	}
	if !(lowAt(toks, k-1) == "tướng" && lowAt(toks, k-2) == "thủ") {
		return false
	}
	k -= 2
	for _, p := range [][2]string{{"đề", "xuất"}, {"kiến", "nghị"}, {"đề", "nghị"}, {"trình", ""}} {
		if p[1] == "" && lowAt(toks, k-1) == p[0] || lowAt(toks, k-2) == p[0] && lowAt(toks, k-1) == p[1] {
			return true
		}
	}
	return false
}

// coordinatingAt returns where "phối hợp" starts when the list at t0
// follows "phối hợp (chặt chẽ) với" or "phối hợp cùng".
func coordinatingAt(toks []token, t0 int) (int, bool) {
	if leadsThenPartners(toks, t0) {
		return t0 - 2, true
	}
	k := t0 - 1
	if w := lowAt(toks, k); w != "với" && w != "cùng" || !toks[k].word {
		return 0, false
	}
	k--
	if lowAt(toks, k) == "chẽ" && lowAt(toks, k-1) == "chặt" {
		k -= 2
	}
	if lowAt(toks, k) == "hợp" && lowAt(toks, k-1) == "phối" {
		return k - 1, true
	}
	return 0, false
}

// coordinating reports whether the list at t0 follows "phối hợp (chặt chẽ)
// với", "phối hợp cùng", "sự phối hợp của" or "sự tham gia của".
func coordinating(toks []token, t0 int) bool {
	if leadsThenPartners(toks, t0) {
		return true
	}
	k := t0 - 1
	if k < 0 || !toks[k].word {
		return false
	}
	switch toks[k].low {
	case "với", "cùng":
		k--
		if lowAt(toks, k) == "chẽ" && lowAt(toks, k-1) == "chặt" {
			k -= 2
		}
		return lowAt(toks, k) == "hợp" && lowAt(toks, k-1) == "phối"
	case "của":
		return lowAt(toks, k-2) == "sự" && (lowAt(toks, k-1) == "hợp" || lowAt(toks, k-1) == "gia") ||
			lowAt(toks, k-3) == "sự" && (lowAt(toks, k-1) == "hợp" || lowAt(toks, k-1) == "gia")
	}
	return false
}

// leadsThenPartners reports whether the list at t0 follows "chủ trì(,)
// phối hợp" without its "với", as Government texts often write it: "Bộ
// Ngoại giao chủ trì, phối hợp Bộ Công an bảo hộ công dân". After "chủ
// trì" the partners can be nothing else.
func leadsThenPartners(toks []token, t0 int) bool {
	if lowAt(toks, t0-1) != "hợp" || lowAt(toks, t0-2) != "phối" {
		return false
	}
	k := t0 - 3
	if lowAt(toks, k) == "," {
		k--
	}
	return lowAt(toks, k) == "trì" && lowAt(toks, k-1) == "chủ"
}

// connectors may open a clause before its subject: "Đồng thời, Bộ Y tế …".
var connectors = [][]string{
	{"đồng", "thời"}, {"trong", "đó"}, {"ngoài", "ra"}, {"riêng"}, {"đối", "với"}, {"về", "phía"}, {"còn"},
	{"mặt", "khác"}, {"bên", "cạnh", "đó"}, {"cùng", "với", "đó"}, {"trên", "cơ", "sở", "đó"}, {"theo", "đó"},
	{"thời", "gian", "tới"}, {"sau", "đó"}, {"tiếp", "theo"},
}

// continuations end a line that a copied document wrapped in mid-phrase.
var continuations = map[string]bool{
	"của": true, "với": true, "và": true, "cho": true, "do": true, "bởi": true, "được": true, "giao": true,
	"các": true, "những": true, "theo": true, "tại": true, "về": true, "đến": true, "từ": true, "là": true,
}

// clauseStart reports whether the list at t0 opens a clause.
func clauseStart(toks []token, t0 int) bool {
	if t0 == 0 {
		return true
	}
	prev := toks[t0-1]
	switch {
	case prev.low == "," && apposition(toks, t0-1):
		return false
	case prev.low == ";" || prev.low == ":" || prev.low == ",":
		return true
	case toks[t0].lineStart && !(prev.word && continuations[prev.low]):
		return true
	}
	cs := t0 - 1
	for cs >= 0 && toks[cs].word {
		cs--
	}
	for _, c := range connectors {
		if end, ok := wordsAt(toks, cs+1, c...); ok && end == t0 && cs+1+len(c) == t0 {
			return true
		}
	}
	return false
}

// apposition reports whether the comma at c follows a leader's name after
// their title: in "Thủ tướng Chính phủ Phạm Minh Chính, Chủ tịch Ủy ban
// Quốc gia về chuyển đổi số khẳng định …" what follows the comma is the
// speaker's other title, not an addressee.
func apposition(toks []token, c int) bool {
	if !isTitleAt(toks, c+1) {
		return false
	}
	k, names := capitalisedBefore(toks, c-1)
	if names < 2 || k < 0 {
		return false
	}
	for _, title := range [][]string{{"thủ", "tướng"}, {"chính", "phủ"}, {"bộ", "trưởng"}, {"chủ", "tịch"}} {
		if lowAt(toks, k+1) == title[0] && lowAt(toks, k+2) == title[1] {
			return true // the capitals began with the title itself: "Thủ tướng Phạm Minh Chính"
		}
	}
	switch lowAt(toks, k) {
	case "tướng", "trưởng", "tịch", "phủ":
		return true
	}
	return false
}

// isTitleAt reports whether a person's title starts at token i.
func isTitleAt(toks []token, i int) bool {
	for _, t := range titles {
		if e, ok := wordsAt(toks, i, t...); ok && e == i+len(t) {
			return true
		}
	}
	return false
}

// predicate checks what follows a subject list: a verb phrase, not a
// person's name, a preposition or a report ("đã", "cho biết", "tham dự").
// It returns where the predicate starts and whether it reads as an order
// (chủ trì, khẩn trương, cần …).
func predicate(toks []token, j int, sentenceStart bool) (start int, ok, strong bool) {
	colon, dash := false, false
	for j < len(toks) && !toks[j].word {
		switch toks[j].low {
		case "-", "–":
			dash = true
			j++
		case ",":
			j++
		case ":":
			colon = true
			j++
		case "(":
			k := skipParen(toks, j)
			if k == j {
				return j, false, false
			}
			j = k
		default:
			return j, false, false
		}
	}
	if j >= len(toks) || (toks[j].upper && !colon && !toks[j].lineStart && !(sentenceStart && j == 0)) {
		return j, false, false
	}
	if dash {
		j = skipApposition(toks, j)
	}
	for lowAt(toks, j) == "cũng" || (lowAt(toks, j) == "đồng" && lowAt(toks, j+1) == "thời") {
		if toks[j].low == "cũng" && (lowAt(toks, j+1) == "đề" && lowAt(toks, j+2) == "xuất" || lowAt(toks, j+1) == "kiến") {
			return j, false, false // "… cũng đề xuất", "cũng kiến nghị": what they asked for
		}
		if toks[j].low == "đồng" {
			j++
		}
		j++
	}
	w1, w2, w3 := lowAt(toks, j), nextWord(toks, j, 1), nextWord(toks, j, 2)
	// "Ngân hàng Nhà nước được yêu cầu can thiệp …", "… được giao chủ
	// trì": the passive of a cue gives work as the cue does.
	if w1 == "được" {
		for _, c := range [][]string{{"yêu", "cầu"}, {"giao", "nhiệm", "vụ"}, {"giao"}, {"đề", "nghị"}} {
			if e, ok := wordsAt(toks, j+1, c...); ok && e == j+1+len(c) && !reportWords[nextWord(toks, e, 0)] {
				return e, e < len(toks), true
			}
		}
	}
	// "Bộ Tài nguyên và Môi trường là đầu mối cung cấp thông tin".
	if w1 == "là" && w2 == "đầu" && w3 == "mối" {
		return j, true, true
	}
	// "Bộ GTVT sẽ đề xuất giải pháp …, báo cáo Thủ tướng Chính phủ trong
	// tháng 8": a future duty answerable to the Premier is work given.
	if w1 == "sẽ" && !reportWords[w2] && reportsToPremier(toks, j) {
		return j + 1, true, true
	}
	// "Bộ X đánh giá cụ thể về tác động …": an assessment asked for in a
	// manner ("cụ thể", "kỹ", "lại", "đầy đủ") is work, where "Bộ X đánh
	// giá …" alone reports the ministry's view.
	if w1 == "đánh" && w2 == "giá" && (w3 == "cụ" && nextWord(toks, j, 3) == "thể" || w3 == "kỹ" || w3 == "lại" ||
		w3 == "đầy" && nextWord(toks, j, 3) == "đủ") {
		return j, true, true
	}
	if stopWords[w1] || stopPairs[w1+" "+w2] || stopTriples[w1+" "+w2+" "+w3] {
		return j, false, false
	}
	if w1 == "có" && !afterCo[w2] {
		return j, false, false
	}
	// "Bộ Y tế phấn đấu 100% bệnh viện …", "tỉnh X phấn đấu đạt …": a
	// target quoted, a figure to reach, not work given.
	if w1 == "phấn" && w2 == "đấu" {
		if e, ok := wordsAt(toks, j, "phấn", "đấu"); ok && (w3 == "đạt" || e < len(toks) && toks[e].digit) {
			return j, false, false
		}
	}
	// "Bộ X đề xuất, các thí sinh …", "… đề xuất: …": a body's proposal
	// reported as speech, not work given to it ("Bộ X đề xuất giải pháp
	// …" is).
	if w1 == "đề" && w2 == "xuất" {
		if e, ok := wordsAt(toks, j, "đề", "xuất"); ok && e < len(toks) && (toks[e].low == "," || toks[e].low == ":" || lowAt(toks, e) == "rằng") {
			return j, false, false
		}
		// "UBND tỉnh X đề xuất Thủ tướng cho phép …": a body asking the
		// Premier or the Government for something is asked nothing.
		if n1, n2 := nextWord(toks, j, 2), nextWord(toks, j, 3); n1 == "thủ" && n2 == "tướng" || n1 == "chính" && n2 == "phủ" {
			return j, false, false
		}
	}
	// "Văn phòng Chính phủ có văn bản truyền đạt ý kiến chỉ đạo của Phó Thủ
	// tướng …": the Office conveys someone's instructions; it is the
	// sender, not the addressee.
	for k := 0; k < 6; k++ {
		if nextWord(toks, j, k) == "truyền" && nextWord(toks, j, k+1) == "đạt" {
			return j, false, false
		}
	}
	for k := 0; k < 3; k++ {
		if reportWords[nextWord(toks, j, k)] {
			return j, false, false
		}
	}
	return j, true, strongWords[w1] || strongWords[w1+" "+w2]
}

// reportsToPremier reports whether the words from j on say "báo cáo" or
// "trình" to the Prime Minister or the Government.
func reportsToPremier(toks []token, j int) bool {
	for k := j; k+2 < len(toks); k++ {
		if toks[k].low == "trình" || toks[k].low == "cáo" && lowAt(toks, k-1) == "báo" {
			n1, n2 := nextWord(toks, k+1, 0), nextWord(toks, k+1, 1)
			if n1 == "thủ" && n2 == "tướng" || n1 == "chính" && n2 == "phủ" {
				return true
			}
		}
	}
	return false
}

// skipApposition skips what a dash after an agency says it is: "Bộ Thông
// tin và Truyền thông - cơ quan thường trực Ủy ban Quốc gia tổng hợp …"
// leaves "tổng hợp …". The apposition is a common noun followed by a name.
func skipApposition(toks []token, j int) int {
	if !(lowAt(toks, j) == "cơ" && lowAt(toks, j+1) == "quan") && !(lowAt(toks, j) == "đơn" && lowAt(toks, j+1) == "vị") {
		return j
	}
	// A capitalised name's last word may be followed by one lower-case
	// syllable of the same word ("Quốc gia", "Quốc hội"); the predicate
	// starts at the second lower-case word after it.
	lastUpper := -1
	for k := j + 2; k < len(toks) && k < j+25; k++ {
		t := toks[k]
		switch {
		case !t.word:
			if t.low != "," && t.low != "-" && t.low != "–" {
				return j
			}
		case t.upper:
			lastUpper = k
		case lastUpper >= 0 && k-lastUpper >= 2 && !(k+1 < len(toks) && toks[k+1].upper):
			return k
		}
	}
	return j
}

// nextWord returns the n-th word from token j on (0: the word at j).
func nextWord(toks []token, j, n int) string {
	for ; j < len(toks); j++ {
		if !toks[j].word {
			continue
		}
		if n == 0 {
			return toks[j].low
		}
		n--
	}
	return ""
}

var stopWords = map[string]bool{
	"đã": true, "đang": true, "vừa": true, "mới": true, "từng": true, "được": true, "bị": true, "là": true, "của": true,
	"về": true, "tại": true, "ở": true, "với": true, "cho": true, "thì": true, "mà": true, "này": true, "đó": true,
	"xin": true, "kính": true, "trân": true, "và": true, "hoặc": true, "nhằm": true, "để": true, "gồm": true, "không": true,
	"kiến": true, "nêu": true, "dự": true, "đều": true, "sẽ": true, "nhận": true, "cùng": true,
}

var stopPairs = map[string]bool{
	"tham dự": true, "tham gia": true, "cho biết": true, "thông báo": true, "trình bày": true, "phát biểu": true,
	"đồng chủ": true, "cho rằng": true, "nhận định": true, "khẳng định": true, "nhấn mạnh": true,
	"đánh giá": true, "ghi nhận": true, "biểu dương": true, "đề nghị": true, "kiến nghị": true, "đồng ý": true,
	"nhất trí": true, "thống nhất": true, "trả lời": true, "giải trình": true, "tiếp thu": true, "cảm ơn": true,
	// A subject's own pledge or target ("Tỉnh X cam kết …", "… đặt mục
	// tiêu …") is what it undertook, not work the text gives it.
	"cam kết": true, "đặt mục": true,
}

var stopTriples = map[string]bool{
	"báo cáo tại": true, "báo cáo cho": true, "chủ trì phiên": true, "chủ trì cuộc": true, "chủ trì hội": true,
	"chủ trì buổi": true, "tổ chức phiên": true, "tổ chức lễ": true,
}

// afterCo are the objects with which "có" gives work: "có trách nhiệm",
// "có ý kiến", "có văn bản"; "có 5 đơn vị" reports.
var afterCo = map[string]bool{
	"trách": true, "nhiệm": true, "ý": true, "văn": true, "báo": true, "kế": true, "phương": true, "giải": true, "biện": true,
	"chương": true, "hướng": true, "cơ": true,
}

// reportWords among the first words of a predicate make it a report.
var reportWords = map[string]bool{"đã": true, "đang": true, "vừa": true, "đạt": true}

// strongWords open a predicate that is certainly an order.
var strongWords = map[string]bool{
	"chủ trì": true, "phối hợp": true, "cần": true, "phải": true, "khẩn trương": true, "sớm": true, "tiếp tục": true,
	"tích cực": true, "chủ động": true, "tập trung": true, "có trách": true, "nghiên cứu": true, "theo chức": true,
	"kịp thời": true, "nghiêm túc": true, "quyết liệt": true, "khẩn cấp": true, "rà soát": true, "hoàn thiện": true,
	"khẩn": true, "chịu trách": true, "trình": true, "tham mưu": true, "chỉ đạo": true,
}

// responsibility is "chịu trách nhiệm về …" or "chịu trách nhiệm trước …":
// an agency answering for what it did, which is not a task.
func responsibility(toks []token, j int) bool {
	if nextWord(toks, j, 0) != "chịu" || nextWord(toks, j, 1) != "trách" {
		return false
	}
	switch nextWord(toks, j, 3) {
	case "về", "trước", "toàn":
		return true
	}
	return false
}

// premierBefore reports whether the clause before token c names the Prime
// Minister, a Deputy or the Government as the one who speaks: outside the
// conclusion proper, only their words give work.
func premierBefore(toks []token, c int) bool {
	for k := c - 1; k >= 0 && k >= c-10; k-- {
		t := toks[k]
		if !t.word {
			return false
		}
		if t.low == "tướng" && lowAt(toks, k-1) == "thủ" || t.low == "phủ" && lowAt(toks, k-1) == "chính" {
			return true
		}
		if !t.upper && t.low != "chính" && t.low != "phủ" {
			return false
		}
	}
	return false
}

// holdsPost reports whether a list names who heads a body being set up:
// "thành lập Ban Chỉ đạo do Bộ trưởng, Chủ tịch Ủy ban nhân dân tỉnh làm
// Trưởng ban": the post's holder, not an addressee of the sentence's work.
func holdsPost(toks []token, l agencyList) bool {
	if nextWord(toks, l.t1, 0) != "làm" {
		return false
	}
	switch nextWord(toks, l.t1, 1) {
	case "trưởng", "tổ", "phó", "chủ":
		return true
	}
	return false
}

// assignments finds the lists of a sentence that are given work, in order,
// each with its part of the sentence. Outside the conclusion only the
// Prime Minister's own cue gives work.
func assignments(toks []token, lists []agencyList, inZone bool) []assignment {
	var out []assignment
	proposal := proposalToPremier(toks)
	praise := praiseAt(toks)
	for _, l := range lists {
		if coordinating(toks, l.t0) || l.t0 > proposal || holdsPost(toks, l) || inAddress(toks, l.t0) {
			continue
		}
		if pred, ok := passiveLead(toks, l); ok && inZone {
			out = append(out, assignment{kind: subjectLed, head: l.t0, list: l, pred: pred, strong: true})
			continue
		}
		if c := cueBefore(toks, l.t0); c >= 0 && !endsList(lists, c) {
			if !inZone && !premierBefore(toks, c) || insidePredicate(toks, out, c) {
				continue
			}
			pred, dash := l.t1, false
			for pred < len(toks) && !toks[pred].word {
				dash = dash || toks[pred].low == "-" || toks[pred].low == "–"
				pred = max(pred+1, skipParen(toks, pred))
			}
			if dash {
				pred = skipApposition(toks, pred)
			}
			if pred >= len(toks) {
				continue
			}
			out = append(out, assignment{kind: cueLed, head: c, list: l, pred: pred, strong: true})
			continue
		}
		if !inZone || !clauseStart(toks, l.t0) || l.t0 > praise {
			continue
		}
		start, ok, strong := predicate(toks, l.t1, false)
		if !ok || responsibility(toks, start) || start < proposal && proposal < len(toks) {
			continue
		}
		// "Bộ A chủ trì, Bộ B phối hợp": B coordinates A's task.
		if len(out) > 0 && coordinatesBefore(toks, l) {
			continue
		}
		out = append(out, assignment{kind: subjectLed, head: l.t0, list: l, pred: start, strong: strong})
	}
	if len(out) == 0 {
		if a, ok := frontedAddressee(toks, lists, inZone); ok {
			out = append(out, a)
		}
	}
	for i := range out {
		out[i].end = len(toks)
		if i+1 < len(out) {
			out[i].end = out[i+1].head
		}
	}
	return out
}

// localUnits are the administrative units below a province.
var localUnits = map[string]bool{"huyện": true, "quận": true, "xã": true, "phường": true}

// inAddress reports whether the name at t0 closes an address: in "khai
// thác cát tại huyện Phù Ninh, tỉnh Phú Thọ theo đúng quy định" the
// province says where the district is; it is a place, not an addressee.
func inAddress(toks []token, t0 int) bool {
	if lowAt(toks, t0-1) != "," {
		return false
	}
	k, names := capitalisedBefore(toks, t0-2)
	if names == 0 || k < 0 {
		return false
	}
	return localUnits[toks[k].low] || toks[k].low == "trấn" && lowAt(toks, k-1) == "thị"
}

// proposalToPremier returns where a sentence asks the Prime Minister or
// the Government to act ("Bộ Công an báo cáo, đề xuất Thủ tướng Chính phủ
// chỉ đạo: …", "kiến nghị Chính phủ …"), or len(toks): from there on the
// sentence is an agency's proposal, and what it names is not yet anyone's
// task.
func proposalToPremier(toks []token) int {
	for k := 0; k+2 < len(toks); k++ {
		w := toks[k].low
		if !(w == "đề" && (toks[k+1].low == "xuất" || toks[k+1].low == "nghị") || w == "kiến" && toks[k+1].low == "nghị") {
			continue
		}
		if lowAt(toks, k-1) == "theo" || lowAt(toks, k+2) == "của" {
			continue // "theo đề nghị của Bộ X": the reason for a directive
		}
		if n := lowAt(toks, k+2); n == "thủ" && lowAt(toks, k+3) == "tướng" || n == "chính" && lowAt(toks, k+3) == "phủ" {
			return k
		}
	}
	return len(toks)
}

// praiseWords open praise or acknowledgement: "Thủ tướng biểu dương: Bộ
// Công an, Bộ Quốc phòng nỗ lực …". The agencies named after them are
// praised for what they did, not given work.
var praiseWords = [][]string{
	{"biểu", "dương"}, {"khen", "ngợi"}, {"đánh", "giá", "cao"}, {"ghi", "nhận"}, {"hoan", "nghênh"}, {"cảm", "ơn"},
	{"chúc", "mừng"}, {"khen", "thưởng"}, {"tuyên", "dương"},
}

// praiseAt returns where a sentence starts to praise, or len(toks).
func praiseAt(toks []token) int {
	for k := range toks {
		for _, w := range praiseWords {
			if e, ok := wordsAt(toks, k, w...); ok && e == k+len(w) && toks[k].word {
				return k
			}
		}
	}
	return len(toks)
}

// passiveLead reads "… do Bộ Nội vụ chủ trì cần phải đẩy nhanh …" and "do
// từng địa phương và UBND các tỉnh chịu trách nhiệm tổ chức": the agencies
// after "do" that lead (chủ trì) or answer for (chịu trách nhiệm) what
// follows. It returns where the work starts.
func passiveLead(toks []token, l agencyList) (int, bool) {
	if lowAt(toks, l.t0-1) != "do" {
		return 0, false
	}
	j := l.t1
	switch {
	case lowAt(toks, j) == "chủ" && lowAt(toks, j+1) == "trì":
		j += 2
	case lowAt(toks, j) == "chịu" && lowAt(toks, j+1) == "trách" && lowAt(toks, j+2) == "nhiệm" && lowAt(toks, j+3) != "về":
		return j, true
	default:
		return 0, false
	}
	for j < len(toks) && !toks[j].word {
		j++
	}
	return j, j < len(toks)
}

// frontedAddressee reads "Riêng đối với Bộ Công Thương, Chính phủ yêu cầu
// thực hiện …": a cue followed by the work itself takes as its addressee
// the agencies named first, after "đối với".
func frontedAddressee(toks []token, lists []agencyList, inZone bool) (assignment, bool) {
	for _, l := range lists {
		if lowAt(toks, l.t0-1) != "với" || lowAt(toks, l.t0-2) != "đối" || lowAt(toks, l.t1) != "," {
			continue
		}
		for c := l.t1 + 1; c < len(toks) && c < l.t1+8; c++ {
			for _, cue := range cues {
				e, ok := wordsAt(toks, c, cue...)
				if !ok || e != c+len(cue) || e >= len(toks) || !toks[e].word || toks[e].upper {
					continue
				}
				if !inZone && !premierBefore(toks, c) {
					return assignment{}, false
				}
				return assignment{kind: cueLed, head: c, list: l, pred: e, strong: true}, true
			}
		}
	}
	return assignment{}, false
}

// insidePredicate reports whether the cue at c stands in the clause of an
// earlier assignment: in "Bộ Quốc phòng, Bộ Công an tiếp tục chỉ đạo các
// lực lượng …" the ministries direct their forces; the forces get no task
// of their own. A semicolon, or "đồng thời", opens a new clause.
func insidePredicate(toks []token, out []assignment, c int) bool {
	if len(out) == 0 {
		return false
	}
	last := out[len(out)-1]
	if last.pred > c || lowAt(toks, c-1) == "thời" && lowAt(toks, c-2) == "đồng" {
		return false
	}
	// "yêu cầu Bộ A thực hiện …, và giao cho Chủ tịch UBND các tỉnh …":
	// "và giao cho" joins a second addressee to the speaker's cue.
	if lowAt(toks, c-1) == "và" && toks[c].low == "giao" && lowAt(toks, c+1) == "cho" {
		return false
	}
	for k := last.pred; k < c; k++ {
		if toks[k].low == ";" {
			return false
		}
	}
	return true
}

// endsList reports whether a list ends just before token c: "Bộ Y tế yêu
// cầu các địa phương …" is the ministry's own request, not a cue.
func endsList(lists []agencyList, c int) bool {
	for _, l := range lists {
		if l.t1 == c {
			return true
		}
	}
	return false
}

// coordinatesBefore reports whether a list is followed by "phối hợp": in
// "Bộ A chủ trì, Bộ B phối hợp", B coordinates.
func coordinatesBefore(toks []token, l agencyList) bool {
	return nextWord(toks, l.t1, 0) == "phối" && nextWord(toks, l.t1, 1) == "hợp"
}

// header is a heading that names agencies ("Giao Bộ Tài chính:",
// "Bộ trưởng, Thủ trưởng cơ quan ngang bộ …; Chủ tịch UBND các tỉnh …:"):
// the items under it are their tasks.
type header struct {
	list   agencyList
	toks   []token
	marker markerKind // the heading's own list marker
	first  markerKind // the first item's
	items  int
	// partners is where "phối hợp với …" runs in toks, when the heading
	// names the lead's partners: "Bộ Công Thương chủ trì, phối hợp với Bộ
	// Tài chính:" gives each item the same coordinators.
	partners [2]int
}

// headerOf recognises a heading: the sentence is only agencies, perhaps
// after a cue or "Đối với", and ends with a colon.
func headerOf(s *sentence, lists []agencyList) (header, bool) {
	toks := s.toks
	n := len(toks)
	if n < 2 || toks[n-1].low != ":" || len(lists) == 0 {
		return header{}, false
	}
	i := 0
	for _, p := range [][]string{{"đối", "với"}, {"về", "phía"}, {"riêng"}, {"giao"}, {"đề", "nghị"}, {"yêu", "cầu"}, {"giao", "cho"}} {
		if end, ok := wordsAt(toks, 0, p...); ok && end <= lists[0].t0 {
			i = max(i, end)
		}
	}
	h := header{toks: toks, marker: s.marker}
	for _, l := range lists {
		for i < n && (toks[i].low == ";" || toks[i].low == "," || toks[i].low == "và") {
			i++
		}
		if l.t0 != i {
			break
		}
		h.list.items = append(h.list.items, l.items...)
		i = l.t1
	}
	for i < n && (toks[i].low == ";" || toks[i].low == ",") {
		i++
	}
	if len(h.list.items) > 0 && i < n-1 {
		for _, p := range [][]string{{"chủ", "trì", "phối", "hợp", "với"}, {"phối", "hợp", "với"}} {
			if _, ok := wordsAt(toks, i, p...); ok {
				h.partners = [2]int{i, n - 1}
				return h, true
			}
		}
	}
	if len(h.list.items) > 0 && i < n-1 && headingTail(toks, i) {
		i = n - 1
	}
	return h, len(h.list.items) > 0 && i == n-1
}

// dashItemsAfter reads "giao Bộ Nông nghiệp và Phát triển nông thôn: -
// Nghiên cứu …. - Nghiên cứu, đánh giá …": a cue's addressees, a colon and
// a first dash item on the same line head the dash items that follow.
func dashItemsAfter(s *sentence, as []assignment) (header, bool) {
	if len(as) != 1 || as[0].kind != cueLed {
		return header{}, false
	}
	a := as[0]
	if t := lowAt(s.toks, a.list.t1); t != ":" {
		return header{}, false
	}
	if d := lowAt(s.toks, a.list.t1+1); d != "-" && d != "–" {
		return header{}, false
	}
	return header{list: a.list, toks: s.toks, marker: s.marker, first: dashMarker, items: 1}, true
}

// headingTails may follow the agencies of a heading before its colon: "Các
// Bộ: Tài chính, Công Thương theo chức năng, nhiệm vụ được giao:".
var headingTails = [][]string{
	{"theo"}, {"trong", "phạm", "vi"}, {"có", "trách", "nhiệm"}, {"chịu", "trách", "nhiệm"}, {"cần"},
	{"thực", "hiện"}, {"tập", "trung"}, {"khẩn", "trương"}, {"tiếp", "tục"}, {"triển", "khai"},
	{"căn", "cứ"}, {"trên", "cơ", "sở"}, {"chủ", "động"},
}

// headingTail reports whether toks[i:] up to the final colon is a heading's
// tail: one of headingTails, short, naming no agency and reporting nothing.
func headingTail(toks []token, i int) bool {
	if len(toks)-i > 20 {
		return false
	}
	for _, t := range toks[i : len(toks)-1] {
		if t.word && reportWords[t.low] || t.low == ";" || t.low == "." {
			return false
		}
	}
	for _, p := range headingTails {
		if _, ok := wordsAt(toks, i, p...); ok {
			return true
		}
	}
	return false
}

// covers reports whether s is an item under the heading: items share one
// kind of list marker, and a point at the heading's own level ends them.
func (h *header) covers(s *sentence) bool {
	if h.marker != noMarker && s.marker == h.marker {
		return false
	}
	if h.items == 0 {
		h.first = s.marker
	} else if h.first != noMarker && s.marker != h.first {
		return false
	}
	h.items++
	return true
}

func endsWithColon(toks []token) bool {
	return len(toks) > 0 && toks[len(toks)-1].low == ":"
}

// capitalisedBefore walks back from toks[k] over at most five capitalised
// words (a person's or a place's name) and returns the index before them
// and how many there were.
func capitalisedBefore(toks []token, k int) (int, int) {
	names := 0
	for k >= 0 && toks[k].word && toks[k].upper && names < 5 {
		k--
		names++
	}
	return k, names
}
