package doctext

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// A glyph is one character PDFium found on a page, with its box in PDF
// points (y grows upwards). Spaces and PDFium's generated line ends carry
// no useful box; they only separate words.
type glyph struct {
	s              string
	x0, y0, x1, y1 float64
}

// A frag is a piece of one line of text: the glyphs of a line up to a gap
// wide enough to be a column's gutter or a table's border.
type frag struct {
	text           string
	x0, y0, x1, y1 float64
	base           float64 // the baseline, as the median bottom of its glyphs
	firstWord      float64 // width of its first word, to tell a short line from a full one
	col            box     // the column it was found in, set by the reading order
}

type box struct{ x0, y0, x1, y1 float64 }

func (f *frag) height() float64 { return f.y1 - f.y0 }

// gutter is the gap, in line heights, past which two pieces on one line are
// read apart: wider than the loosest justified word space (about one em),
// narrower than a column gutter of a centimetre.
const gutter = 1.2

// pageFrags turns a page's glyphs, in PDFium's order, into line pieces.
func pageFrags(glyphs []glyph) []*frag {
	return joinRows(spans(glyphs))
}

// span gathers glyphs that follow each other on one line, in the order
// the page draws them.
type span struct {
	b         strings.Builder
	x0, y0    float64
	x1, y1    float64
	bottoms   []float64
	firstWord float64
	wordEnded bool
}

func (s *span) h() float64 { return s.y1 - s.y0 }

func spans(glyphs []glyph) []*span {
	var out []*span
	var cur *span
	space := false
	for _, g := range glyphs {
		r := []rune(g.s)
		switch {
		case len(r) == 0:
			continue
		case g.s == "\r" || g.s == "\n" || g.s == "\r\n":
			cur, space = nil, false
			continue
		case unicode.IsSpace(r[0]):
			space = true
			continue
		case unicode.Is(unicode.Mn, r[0]) || g.x1 <= g.x0 || g.y1 <= g.y0:
			// A combining mark sits over its letter, not after it; a glyph
			// without a box has no place: both belong to the run they
			// follow.
			if cur != nil {
				cur.b.WriteString(g.s)
			}
			continue
		}
		h := g.y1 - g.y0
		if cur != nil {
			hh := max(cur.h(), h)
			gap := g.x0 - cur.x1
			// Same line: the glyph's middle lies within the run's height, a
			// little lower allowed for punctuation, which sits low and short.
			mid := (g.y0 + g.y1) / 2
			if mid > cur.y0-0.25*hh && mid < cur.y1 && gap > -0.5*hh && gap < gutter*hh {
				if space || gap > 0.25*hh {
					cur.b.WriteByte(' ')
					cur.wordEnded = true
				}
				cur.add(g)
				space = false
				continue
			}
		}
		cur = &span{x0: g.x0, y0: g.y0, x1: g.x1, y1: g.y1}
		cur.add(g)
		out = append(out, cur)
		space = false
	}
	return out
}

func (s *span) add(g glyph) {
	s.b.WriteString(g.s)
	s.x0, s.x1 = min(s.x0, g.x0), max(s.x1, g.x1)
	s.y0, s.y1 = min(s.y0, g.y0), max(s.y1, g.y1)
	s.bottoms = append(s.bottoms, g.y0)
	if !s.wordEnded {
		s.firstWord = s.x1 - s.x0
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// joinRows puts spans that share a baseline into rows, left to right, and
// joins neighbours closer than a gutter into one frag. A page drawn out of
// order (one column's line, then the other's) comes out the same as one
// drawn column by column.
func joinRows(ss []*span) []*frag {
	type item struct {
		s    *span
		base float64
	}
	items := make([]item, len(ss))
	for i, s := range ss {
		items[i] = item{s, median(s.bottoms)}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].base > items[j].base })
	var out []*frag
	for i := 0; i < len(items); {
		// A row: spans whose baselines lie within a third of a line.
		j := i + 1
		for j < len(items) && items[i].base-items[j].base < 0.3*max(items[i].s.h(), items[j].s.h()) {
			j++
		}
		row := items[i:j]
		sort.SliceStable(row, func(a, b int) bool { return row[a].s.x0 < row[b].s.x0 })
		var f *frag
		for _, it := range row {
			s := it.s
			text := strings.TrimSpace(s.b.String())
			if f != nil && s.x0-f.x1 < gutter*max(f.height(), s.h()) {
				if s.x0-f.x1 > 0.25*max(f.height(), s.h()) || !strings.HasSuffix(f.text, " ") {
					f.text += " "
				}
				f.text += text
				f.x1, f.y0, f.y1 = max(f.x1, s.x1), min(f.y0, s.y0), max(f.y1, s.y1)
				continue
			}
			f = &frag{text: text, x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1, base: it.base, firstWord: s.firstWord}
			out = append(out, f)
		}
		i = j
	}
	for _, f := range out {
		f.text = strings.Join(strings.Fields(f.text), " ")
	}
	return out
}

// readingOrder orders a page's frags by recursive XY-cut: split the set at
// its widest empty band, across or down the page, and read the parts top
// to bottom, left to right. A gutter between columns is wider than the gap
// between lines, so two columns are read one after the other; a title
// across both is cut off above them first. Each frag learns the bounds of
// the column it was read in.
func readingOrder(fs []*frag) []*frag {
	if len(fs) == 0 {
		return nil
	}
	if len(fs) > maxCutFrags {
		// Too many pieces for the quadratic cut: top to bottom.
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].base > fs[j].base })
		b := bounds(fs)
		for _, f := range fs {
			f.col = b
		}
		return fs
	}
	out := make([]*frag, 0, len(fs))
	xyCut(fs, bounds(fs), &out)
	return out
}

const maxCutFrags = 4000

func bounds(fs []*frag) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, f := range fs {
		b = box{min(b.x0, f.x0), min(b.y0, f.y0), max(b.x1, f.x1), max(b.y1, f.y1)}
	}
	return b
}

func xyCut(fs []*frag, col box, out *[]*frag) {
	if len(fs) == 1 {
		fs[0].col = col
		*out = append(*out, fs[0])
		return
	}
	hAt, hGap := widestGap(fs, func(f *frag) (float64, float64) { return -f.y1, -f.y0 })
	vAt, vGap := widestGap(fs, func(f *frag) (float64, float64) { return f.x0, f.x1 })
	switch {
	case vGap > 0 && vGap >= hGap:
		var left, right []*frag
		for _, f := range fs {
			if f.x1 <= vAt {
				left = append(left, f)
			} else {
				right = append(right, f)
			}
		}
		xyCut(left, bounds(left), out)
		xyCut(right, bounds(right), out)
	case hGap > 0:
		var top, bottom []*frag
		for _, f := range fs {
			if -f.y0 <= hAt {
				top = append(top, f)
			} else {
				bottom = append(bottom, f)
			}
		}
		xyCut(top, col, out)
		xyCut(bottom, col, out)
	default:
		// Pieces that overlap both ways (overprinted text): by baseline.
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].base != fs[j].base {
				return fs[i].base > fs[j].base
			}
			return fs[i].x0 < fs[j].x0
		})
		for _, f := range fs {
			f.col = col
			*out = append(*out, f)
		}
	}
}

// widestGap projects the frags on one axis and returns the position just
// past the end of the interval before the widest gap, and its width (0 if
// the projection has no gap).
func widestGap(fs []*frag, span func(*frag) (float64, float64)) (at, width float64) {
	iv := make([][2]float64, len(fs))
	for i, f := range fs {
		a, b := span(f)
		iv[i] = [2]float64{a, b}
	}
	sort.Slice(iv, func(i, j int) bool { return iv[i][0] < iv[j][0] })
	end := iv[0][1]
	for _, v := range iv[1:] {
		if g := v[0] - end; g > width {
			at, width = end, g
		}
		end = max(end, v[1])
	}
	return at, width
}
