package deadline

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// Match is one deadline phrase found in a text.
type Match struct {
	Start, End int    // byte offsets of the phrase in the text given to Find
	Text       string // text[Start:End]
	Expr       Expr
	DueOn      civil.Date // zero when the phrase has no date (urgent, ongoing)
	Recurring  bool       // a recurring duty: hằng tháng, định kỳ hằng quý
}

// Find returns the deadline phrases of text, in order, for a document dated
// docDate: "trước ngày 15/3/2023", "trong tháng 10/2022", "quý III/2023",
// "6 tháng đầu năm 2023", "trong năm 2023", "trong 10 ngày làm việc",
// "trước Tết Nguyên đán", "khẩn trương", "hằng tháng" and their variants.
//
// Find only finds phrases: a date in a sentence that reports a fact ("Đến
// hết quý I/2022, 100% bộ, ngành...") is found all the same, and the caller
// decides whether the sentence is a directive. Where phrases overlap the
// longest, most specific one wins. A phrase without a year takes it from
// docDate, and the next year if the date or period would already be over
// ("ngày 15/3" in a document of May means next March). Impossible dates
// ("30/2") and dates outside the calendar's range are not matches.
//
// Text is matched after vntext normalisation ("Uỷ"/"Ủy", decomposed
// accents, non-breaking spaces), case-insensitively; offsets point into the
// original text, whatever its encoding quirks.
func Find(text string, docDate civil.Date, cal *calendar.Calendar) []Match {
	if cal == nil {
		cal = calendar.New(nil)
	}
	norm, normOffs := vntext.NormalizeWithMap(text)
	low, lowOffs := lowerWithMap(norm)
	ctx := &findContext{doc: docDate, cal: cal}

	type cand struct {
		start, end int // in low
		rank       int
		m          Match
	}
	var cands []cand
	for rank, r := range rules {
		if r.need != "" && !strings.Contains(low, r.need) {
			continue
		}
		for _, idx := range r.re.FindAllStringSubmatchIndex(low, -1) {
			s, e := idx[0], idx[1]
			if s == e || !wordBoundary(low, s, e) || (r.reject != nil && r.reject(low, s, e)) {
				continue
			}
			groups := make([]string, len(idx)/2)
			for g := range groups {
				if idx[2*g] >= 0 {
					groups[g] = low[idx[2*g]:idx[2*g+1]]
				}
			}
			expr, ok := r.build(groups, ctx)
			if !ok {
				continue
			}
			m := Match{Expr: expr, Recurring: r.recurring}
			if due, has := expr.Resolve(docDate, cal); has {
				if !cal.Covers(due) {
					continue
				}
				m.DueOn = due
			} else if expr.Kind != KindUrgent && expr.Kind != KindOngoing {
				continue
			}
			cands = append(cands, cand{start: s, end: e, rank: rank, m: m})
		}
	}

	// The longest phrase wins an overlap; among equals, the earlier rule.
	sort.SliceStable(cands, func(i, j int) bool {
		li, lj := cands[i].end-cands[i].start, cands[j].end-cands[j].start
		if li != lj {
			return li > lj
		}
		return cands[i].rank < cands[j].rank
	})
	var kept []cand
	taken := make([]bool, len(low))
	for _, c := range cands {
		free := true
		for i := c.start; i < c.end && free; i++ {
			free = !taken[i]
		}
		if !free {
			continue
		}
		for i := c.start; i < c.end; i++ {
			taken[i] = true
		}
		kept = append(kept, c)
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })

	out := make([]Match, 0, len(kept))
	for _, c := range kept {
		m := c.m
		m.Start = normOffs[lowOffs[c.start]]
		m.End = normOffs[lowOffs[c.end]]
		m.Text = text[m.Start:m.End]
		out = append(out, m)
	}
	return out
}

// lowerWithMap lower-cases s rune by rune and returns, for every byte of the
// result and one past its end, the offset in s it came from: lower-casing
// may change a letter's length in UTF-8.
func lowerWithMap(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		l := unicode.ToLower(r)
		n := utf8.RuneLen(l)
		if n < 0 { // not encodable: keep the rune as it was
			l, n = utf8.RuneError, 3
		}
		for k := 0; k < n; k++ {
			offs = append(offs, i)
		}
		b.WriteRune(l)
	}
	offs = append(offs, len(s))
	return b.String(), offs
}

// wordBoundary reports whether low[s:e] stands as whole words: no letter or
// digit touches it, and a number is not cut out of a longer one ("15/3" in
// "15/3/2023", "2023" in "20234").
func wordBoundary(low string, s, e int) bool {
	if s > 0 {
		r, _ := utf8.DecodeLastRuneInString(low[:s])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	if e < len(low) {
		r, n := utf8.DecodeRuneInString(low[e:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			return false
		}
		last, _ := utf8.DecodeLastRuneInString(low[:e])
		if unicode.IsDigit(last) && strings.ContainsRune("/.-", r) && e+n < len(low) {
			if next, _ := utf8.DecodeRuneInString(low[e+n:]); unicode.IsDigit(next) {
				return false
			}
		}
	}
	return true
}
