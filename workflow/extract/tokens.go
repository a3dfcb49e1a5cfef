package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word (a run of letters, digits and combining marks) or one
// punctuation character of the normalised text.
type token struct {
	start, end int    // byte offsets in the normalised text
	low        string // lower case
	word       bool
	upper      bool // a word whose first letter is upper case
	caps       bool // a word of two letters or more, all upper case ("BYT")
	digit      bool // a word that holds a digit
	lineStart  bool // the first token after a line break inside a sentence
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits s[from:to] into tokens. Spaces separate tokens and are not
// tokens themselves; a line break marks the next token.
func tokenize(s string, from, to int) []token {
	toks := make([]token, 0, (to-from)/5+1)
	newline := false
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			newline = true
			i += n
		case unicode.IsSpace(r):
			i += n
		case isWordRune(r):
			j := i + n
			for j < to {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
			w := s[i:j]
			t := token{start: i, end: j, low: strings.ToLower(w), word: true, lineStart: newline}
			t.upper = unicode.IsUpper(r)
			t.caps = utf8.RuneCountInString(w) > 1 && w == strings.ToUpper(w) && w != t.low
			t.digit = strings.ContainsFunc(w, unicode.IsDigit)
			toks = append(toks, t)
			newline = false
			i = j
		case r == '&' && i > from && i+1 < to && s[i-1] == ' ' && s[i+1] == ' ':
			// "Bộ Nông nghiệp & Phát triển nông thôn": a spaced ampersand
			// is "và" (GD&ĐT, unspaced, is an abbreviation's).
			toks = append(toks, token{start: i, end: i + n, low: "và", word: true, lineStart: newline})
			newline = false
			i += n
		default:
			toks = append(toks, token{start: i, end: i + n, low: s[i : i+n], lineStart: newline})
			newline = false
			i += n
		}
	}
	return toks
}

// is reports whether the tokens from i on are the words of phrase, ignoring
// punctuation between them but not inside phrase's own punctuation-free
// words; it returns the index after the last one.
func wordsAt(toks []token, i int, phrase ...string) (int, bool) {
	for _, w := range phrase {
		for i < len(toks) && !toks[i].word && weakPunct(toks[i].low) {
			i++
		}
		if i >= len(toks) || !toks[i].word || toks[i].low != w {
			return 0, false
		}
		i++
	}
	return i, true
}

// lowAt returns the lower-case text of token i, or "" out of range.
func lowAt(toks []token, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return toks[i].low
}

// weakPunct is punctuation that may sit inside a name: "Bộ TT&TT",
// "Bộ Văn hóa, Thể thao và Du lịch", "TP.HCM", "Bà Rịa - Vũng Tàu".
func weakPunct(p string) bool {
	switch p {
	case ",", "-", "–", "&", ".", "/", "'", "’":
		return true
	}
	return false
}

// runeIndex converts byte offsets of a text into counts of characters
// (code points; each byte of invalid UTF-8 counts as one, as decoders read
// it) without counting from the start each time.
type runeIndex struct {
	s     string
	marks []int // marks[i]: characters before byte i*runeStride, or before the rune that straddles it
	bytes []int // where each mark really is: the start of a rune
}

const runeStride = 1024

func newRuneIndex(s string) *runeIndex {
	x := &runeIndex{s: s}
	n, b := 0, 0
	for next := 0; next <= len(s); next += runeStride {
		for b < next {
			_, size := utf8.DecodeRuneInString(s[b:])
			b += size
			n++
		}
		x.marks = append(x.marks, n)
		x.bytes = append(x.bytes, b)
	}
	return x
}

// offset returns the characters of s before byte b (clamped to s).
func (x *runeIndex) offset(b int) int {
	b = min(max(b, 0), len(x.s))
	i := b / runeStride
	for i > 0 && x.bytes[i] > b {
		i--
	}
	return x.marks[i] + utf8.RuneCountInString(x.s[x.bytes[i]:b])
}

// clean collapses runs of spaces and line breaks into one space.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
