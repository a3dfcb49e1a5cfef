package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/deadline"
)

// dueInfo is the deadline of one proposal.
type dueInfo struct {
	on         civil.Date
	expr       deadline.Expr
	kind       string // "urgent" or "ongoing" when there is no date
	reporting  string // monthly, quarterly: for an ongoing duty
	start, end int    // byte offsets of the phrase in the normalised text
	recurring  bool
	found      bool
}

// dueWords may start or carry a deadline phrase without a digit:
// "quý III", "trước Tết", "khẩn trương", "hằng tháng", "cuối năm nay".
var dueWords = map[string]bool{
	"quý": true, "quí": true, "nửa": true, "sáu": true, "tết": true, "khẩn": true, "sớm": true, "ngay": true,
	"thường": true, "hằng": true, "hàng": true, "cuối": true, "nay": true, "dịp": true,
}

// dateNeighbours stand next to a number that is part of a date or period.
var dateNeighbours = map[string]bool{
	"ngày": true, "tháng": true, "quý": true, "quí": true, "năm": true, "trong": true, "vòng": true, "hạn": true,
	"trước": true, "đến": true, "nhất": true, "là": true, "hết": true, "cuối": true, "chót": true,
}

// dueTrigger reports whether token k may be part of a deadline phrase. The
// phrase finder is exact but slow on long text; it only reads short windows
// around these tokens.
func dueTrigger(toks []token, k int) bool {
	t := toks[k]
	if !t.word {
		return false
	}
	if !t.digit {
		return dueWords[t.low]
	}
	if k > 0 && toks[k-1].word && dateNeighbours[toks[k-1].low] {
		return true
	}
	if w := lowAt(toks, k+1); w == "ngày" || w == "tháng" {
		return true
	}
	sepDigit := func(sep, dig int) bool {
		return sep >= 0 && dig >= 0 && dig < len(toks) && sep < len(toks) &&
			strings.Contains("/.-", toks[sep].low) && !toks[sep].word && toks[dig].digit
	}
	return sepDigit(k+1, k+2) || sepDigit(k-1, k-2)
}

// leadWords open a phrase that is a deadline wherever it stands; a bare
// "ngày 8/8" before the assignment is the meeting's date, not a deadline.
var leadWords = []string{"trước", "trong", "đến", "chậm", "hạn", "cuối", "hết", "khẩn", "sớm", "ngay", "thường", "hằng", "hàng", "định", "xong", "hoàn", "vào dịp"}

// deadlineLeads make a date a deadline even right after a document's name:
// a document is dated "ngày 13/4/2015", never "trước ngày 13/4/2015".
var deadlineLeads = []string{"trước", "chậm", "hạn", "đến", "trong"}

// findDue finds the deadline of the tokens [from, to); phrases before token
// head count only when they read as deadlines.
func (x *Extractor) findDue(norm string, toks []token, from, to, head int, doc civil.Date) dueInfo {
	var d, fallback dueInfo
	recurring, reporting := false, ""
	for a := from; a < to; {
		k := a
		for k < to && !dueTrigger(toks, k) {
			k++
		}
		if k >= to {
			break
		}
		ws, we := max(from, k-5), min(to, k+13)
		for j := k + 1; j < we; j++ { // take in the triggers the window reaches
			if dueTrigger(toks, j) {
				we = min(to, max(we, j+13))
			}
		}
		a = we
		base := toks[ws].start
		window := norm[base:toks[we-1].end]
		for _, m := range deadline.Find(window, doc, x.cal) {
			start, end := base+m.Start, base+m.End
			switch {
			case !m.DueOn.IsZero() && m.DueOn.Before(doc):
				continue // a past date reports; it does not ask
			case m.Expr.Kind == deadline.KindDate && legalReference(norm[:start]) &&
				!startsWithAny(strings.ToLower(m.Text), deadlineLeads):
				continue // "Nghị định số 35/2015/NĐ-CP ngày 13/4/2015"; "trình Nghị định trước ngày 15/4" is a deadline
			case head < len(toks) && start < toks[head].start && !startsWithAny(strings.ToLower(m.Text), leadWords):
				continue
			case m.Expr.Kind == deadline.KindOngoing && recurrentNoun(norm[:start]):
				continue // "chi thường xuyên": recurrent spending, not an ongoing duty
			}
			end = withComing(norm, end)
			recurring = recurring || m.Recurring
			if reporting == "" {
				reporting = m.Expr.ReportingPeriod
			}
			info := dueInfo{on: m.DueOn, expr: m.Expr, start: start, end: end, found: true, recurring: m.Recurring}
			if m.DueOn.IsZero() {
				info.kind = string(m.Expr.Kind)
				info.reporting = m.Expr.ReportingPeriod
				if !fallback.found {
					fallback = info
				}
				continue
			}
			if !d.found {
				d = info
			}
		}
	}
	if !d.found {
		d = fallback
	}
	d.recurring = d.recurring || recurring
	if d.kind == string(deadline.KindOngoing) && d.reporting == "" {
		d.reporting = reporting // "thường xuyên rà soát, báo cáo hằng quý"
	}
	return d
}

// withComing takes "tới" (coming) after a date or a month into the phrase
// that ends at end: "báo cáo Thủ tướng trong tháng 6 tới" is to "báo cáo
// Thủ tướng", due in June.
func withComing(norm string, end int) int {
	rest, ok := strings.CutPrefix(norm[end:], " tới")
	if !ok {
		return end
	}
	if r, _ := utf8.DecodeRuneInString(rest); rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return end
	}
	return end + len(" tới")
}

// legalReference reports whether text ends with a document number, such as
// "Quyết định số 1376/QĐ-TTg" or "(công văn số 864/BNG-LS", so that the date
// that follows is the document's.
func legalReference(text string) bool {
	text = strings.TrimRightFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	i := strings.LastIndexFunc(text, unicode.IsSpace)
	chunk := text[i+1:]
	if strings.Contains(chunk, "/") && strings.IndexFunc(chunk, unicode.IsLetter) >= 0 {
		return true
	}
	// "Thông báo 121 ngày 23/3", "thông báo ngày 10/4", "Công văn số 25
	// ngày …": a document named by its kind, with or without its number.
	words := strings.Fields(strings.ToLower(text[max(0, len(text)-60):]))
	for len(words) > 0 && (words[len(words)-1] == "số" || strings.IndexFunc(words[len(words)-1], unicode.IsDigit) >= 0) {
		words = words[:len(words)-1]
	}
	if len(words) < 2 {
		return false
	}
	return documentKinds[words[len(words)-2]+" "+words[len(words)-1]]
}

// documentKinds name the documents whose dates a text cites.
var documentKinds = map[string]bool{
	"thông báo": true, "công văn": true, "quyết định": true, "nghị định": true, "nghị quyết": true, "chỉ thị": true,
	"kết luận": true, "văn bản": true, "công điện": true, "tờ trình": true, "thông tư": true, "chỉ đạo": true,
}

func startsWithAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// recurrentNouns are the nouns that "thường xuyên" qualifies as a term of
// public finance or administration: "chi thường xuyên", "kinh phí thường
// xuyên", "nhiệm vụ thường xuyên" name a kind of spending or duty, and the
// word says nothing of the deadline.
var recurrentNouns = []string{" chi", " phí", " vụ", " động"}

// recurrentNoun reports whether text ends with one of recurrentNouns.
func recurrentNoun(text string) bool {
	text = strings.ToLower(strings.TrimRight(text, " "))
	for _, n := range recurrentNouns {
		if strings.HasSuffix(text, n) {
			return true
		}
	}
	return false
}
