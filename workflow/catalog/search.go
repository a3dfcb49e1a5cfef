package catalog

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// Catalog answers questions about a list of agencies. It never changes after
// New, so one Catalog may serve many goroutines.
type Catalog struct {
	agencies []Agency       // sorted by kind, then code
	keys     [][]string     // keys[i]: the search keys of agencies[i]
	byCode   map[string]int // index into agencies
}

// New builds a catalog from agencies, which it copies. It accepts any list,
// valid or not (rows an admin edited, say): it never panics, and when a code
// appears twice the first one wins. A catalog never changes once built, so
// goroutines may share it.
func New(agencies []Agency) *Catalog {
	c := &Catalog{byCode: make(map[string]int, len(agencies))}
	for _, a := range agencies {
		if _, dup := c.byCode[a.Code]; dup {
			continue
		}
		// Clipped, so that a caller appending to an agency it was handed
		// gets a new array: a catalog is shared (workflow keeps one per
		// version of the agencies) and must not change.
		a.Aliases = slices.Clip(slices.Clone(a.Aliases))
		c.byCode[a.Code] = len(c.agencies)
		c.agencies = append(c.agencies, a)
	}
	slices.SortStableFunc(c.agencies, compareAgencies)
	c.keys = make([][]string, len(c.agencies))
	for i, a := range c.agencies {
		c.byCode[a.Code] = i
		c.keys[i] = keysOf(a)
	}
	return c
}

// compareAgencies orders agencies by kind, then code.
func compareAgencies(a, b Agency) int {
	return cmp.Or(cmp.Compare(a.Kind.order(), b.Kind.order()), cmp.Compare(a.Code, b.Code))
}

// Get returns the agency with this code.
func (c *Catalog) Get(code string) (Agency, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return Agency{}, false
	}
	return c.agencies[i], true
}

// All returns every agency, by kind, then code.
func (c *Catalog) All() []Agency {
	return slices.Clone(c.agencies)
}

// ActiveOn returns the agencies that existed on day d, by kind, then code.
func (c *Catalog) ActiveOn(d civil.Date) []Agency {
	var out []Agency
	for _, a := range c.agencies {
		if a.ActiveOn(d) {
			out = append(out, a)
		}
	}
	return out
}

// CurrentSuccessor follows the successors of code until it reaches an agency
// that exists on day on, and returns it. It answers false when code is
// unknown, when it exists on that day itself (nothing to follow), or when its
// chain of successors ends without reaching one that does.
func (c *Catalog) CurrentSuccessor(code string, on civil.Date) (Agency, bool) {
	a, ok := c.Get(code)
	if !ok || a.ActiveOn(on) {
		return Agency{}, false
	}
	// A valid catalog has no cycles; the bound guards rows an admin edited.
	for range len(c.agencies) {
		if a, ok = c.Get(a.SuccessorCode); !ok {
			return Agency{}, false
		}
		if a.ActiveOn(on) {
			return a, true
		}
	}
	return Agency{}, false
}

// Search finds the agencies whose code, name, short name or an alias matches
// q, with or without diacritics, in any case, with punctuation ignored ("bo y
// te" finds Bộ Y tế, "tp hcm" finds TP.HCM). Only agencies that existed on day
// on are considered, or all of them if on is zero; only those of kind kind,
// or all kinds if kind is "".
//
// Results come best first: agencies that a key names exactly, then those with
// a key that starts with q, then those with a key that contains q; within one
// rank, agencies that still exist before those that ended, then by kind and
// code. An empty q (once folded) matches every agency, in catalog order.
func (c *Catalog) Search(q string, on civil.Date, kind Kind) []Agency {
	query := SearchKey(q)
	type hit struct {
		i, rank int
		ended   bool
	}
	var hits []hit
	for i, a := range c.agencies {
		if (kind != "" && a.Kind != kind) || (!on.IsZero() && !a.ActiveOn(on)) {
			continue
		}
		if rank, ok := matchRank(c.keys[i], query); ok {
			hits = append(hits, hit{i: i, rank: rank, ended: !a.ValidTo.IsZero()})
		}
	}
	slices.SortStableFunc(hits, func(x, y hit) int {
		return cmp.Or(cmp.Compare(x.rank, y.rank), compareBool(x.ended, y.ended), cmp.Compare(x.i, y.i))
	})
	out := make([]Agency, len(hits))
	for k, h := range hits {
		out[k] = c.agencies[h.i]
	}
	return out
}

const (
	rankExact = iota
	rankPrefix
	rankContains
)

// matchRank returns how well the best of keys matches query.
func matchRank(keys []string, query string) (int, bool) {
	if query == "" {
		return rankExact, true
	}
	best, found := rankContains, false
	for _, k := range keys {
		switch {
		case k == query:
			return rankExact, true
		case strings.HasPrefix(k, query):
			best, found = rankPrefix, true
		case !found && strings.Contains(k, query):
			found = true
		}
	}
	return best, found
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// SearchKey is the form in which Search compares text: vntext.Fold (no
// diacritics, lower case, đ as d), then every character that is not a letter
// or a digit as a space, and runs of spaces as one. "Bộ TT&TT" becomes
// "bo tt tt"; "TP.HCM" becomes "tp hcm". The result has no punctuation, so it
// can go into a SQL LIKE pattern without escaping.
func SearchKey(s string) string {
	folded := vntext.Fold(s)
	var b strings.Builder
	b.Grow(len(folded))
	space := true // drop leading spaces
	for _, r := range folded {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// keysOf returns the distinct, non-empty search keys of a: its code, names
// and aliases.
func keysOf(a Agency) []string {
	keys := make([]string, 0, 3+len(a.Aliases))
	for _, s := range append([]string{a.Code, a.Name, a.ShortName}, a.Aliases...) {
		if k := SearchKey(s); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// SearchText returns one string holding every search key of a, each between
// bars: "|byt|bo y te|". The database stores it in a column so that the same
// search runs in SQL on k := SearchKey(q) (which never holds a bar, % or _):
// exact with LIKE '%|k|%', prefix with LIKE '%|k%', substring with
// LIKE '%k%'.
func SearchText(a Agency) string {
	return "|" + strings.Join(keysOf(a), "|") + "|"
}
