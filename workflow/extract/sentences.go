package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// markerKind is the kind of list marker a sentence starts with.
type markerKind int

const (
	noMarker    markerKind = iota
	dashMarker             // "-", "+", "•"
	numMarker              // "1.", "2)", "(3)"
	romanMarker            // "I.", "IV."
	alphaMarker            // "a)", "đ)", "(b)"
)

// sentence is one sentence of the normalised text: what a secretary reads
// as one statement. A list item is a sentence of its own.
type sentence struct {
	start, end int // byte offsets in the normalised text, spaces trimmed
	body       int // where the text starts after the list marker
	marker     markerKind
	toks       []token // the tokens of [body, end)
}

// splitSentences cuts the normalised text into sentences. A blank line
// always ends one; a single line break ends one only after final
// punctuation or before a list marker, since copied documents wrap lines in
// mid-sentence ("giao Bộ\nTài chính chủ trì"). Inside a line a sentence ends
// at ".", "!", "?" or "…" followed by a capital, a digit or a list marker,
// except after an abbreviation ("TP. Hà Nội", "TS. Nguyễn") or an initial.
func splitSentences(s string) []sentence {
	var out []sentence
	segStart, segEnd := -1, -1
	flush := func() {
		if segStart >= 0 {
			out = splitSegment(s, segStart, segEnd, out)
		}
		segStart, segEnd = -1, -1
	}
	for lineStart := 0; lineStart <= len(s); {
		lineEnd := strings.IndexByte(s[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(s)
		} else {
			lineEnd += lineStart
		}
		line := s[lineStart:lineEnd]
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case segStart < 0:
			segStart, segEnd = lineStart, lineEnd
		case endsSentence(s[segStart:segEnd]) || startsWithMarker(line):
			flush()
			segStart, segEnd = lineStart, lineEnd
		default:
			segEnd = lineEnd
		}
		lineStart = lineEnd + 1
	}
	flush()
	return out
}

// endsSentence reports whether text ends with final punctuation, ignoring
// closing quotes and brackets.
func endsSentence(text string) bool {
	text = strings.TrimRightFunc(text, func(r rune) bool { return unicode.IsSpace(r) || isCloser(r) })
	r, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".!?:;…", r)
}

func isCloser(r rune) bool { return strings.ContainsRune(`"'”’»)]`, r) }

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"tp": true, "tx": true, "tt": true, "ths": true, "ts": true, "pgs": true, "gs": true, "bs": true, "ks": true,
	"cn": true, "ncs": true, "st": true, "tr": true, "ông": true, "bà": true, "no": true, "vs": true, "đ": true,
	"c": true, "q": true, "p": true, "h": true, "x": true, "v": true, "tp.hcm": true,
}

// splitSegment cuts a paragraph-like segment into sentences.
func splitSegment(s string, from, to int, out []sentence) []sentence {
	start := from
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(".!?…", r) {
			i += n
			continue
		}
		j := i + n
		for j < to && (s[j] == '.' || strings.HasPrefix(s[j:], "…")) { // "...", "…"
			_, m := utf8.DecodeRuneInString(s[j:])
			j += m
		}
		if strings.HasPrefix(s[j:to], "/.") { // the "./." that closes official letters
			j += 2
		}
		for j < to {
			c, m := utf8.DecodeRuneInString(s[j:])
			if !isCloser(c) {
				break
			}
			j += m
		}
		if j >= to || !unicode.IsSpace(rune(s[j])) || (r == '.' && abbreviationBefore(s, from, i)) {
			i = j
			continue
		}
		k := j
		for k < to && unicode.IsSpace(rune(s[k])) {
			k++
		}
		if k < to {
			next, _ := utf8.DecodeRuneInString(s[k:])
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`-+•("“'`, next)) {
				i = j
				continue
			}
		}
		out = addSentence(s, start, j, out)
		start, i = k, k
	}
	return addSentence(s, start, to, out)
}

// abbreviationBefore reports whether the word that ends at s[i] (a period)
// is an abbreviation or a one-letter initial.
func abbreviationBefore(s string, from, i int) bool {
	j := i
	for j > from {
		r, n := utf8.DecodeLastRuneInString(s[from:j])
		if !isWordRune(r) && r != '.' {
			break
		}
		j -= n
	}
	w := strings.ToLower(s[j:i])
	if abbreviations[w] {
		return true
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(s[j:i])
		return unicode.IsLetter(r)
	}
	return false
}

func addSentence(s string, from, to int, out []sentence) []sentence {
	for from < to {
		r, n := utf8.DecodeRuneInString(s[from:])
		if !unicode.IsSpace(r) {
			break
		}
		from += n
	}
	for to > from {
		r, n := utf8.DecodeLastRuneInString(s[from:to])
		if !unicode.IsSpace(r) {
			break
		}
		to -= n
	}
	if from >= to {
		return out
	}
	kind, body := listMarker(s, from, to)
	return append(out, sentence{start: from, end: to, body: body, marker: kind, toks: tokenize(s, body, to)})
}

var romans = map[string]bool{"I": true, "II": true, "III": true, "IV": true, "V": true, "VI": true, "VII": true, "VIII": true, "IX": true, "X": true}

// listMarker recognises the marker a list item starts with and returns its
// kind and where the item's text starts.
func listMarker(s string, from, to int) (markerKind, int) {
	t := s[from:to]
	skip := func(n int) int {
		i := from + n
		for i < to && unicode.IsSpace(rune(s[i])) {
			i++
		}
		return i
	}
	r, n := utf8.DecodeRuneInString(t)
	if strings.ContainsRune("-+•–*·", r) && n < len(t) && unicode.IsSpace(rune(t[n])) {
		return dashMarker, skip(n)
	}
	paren := 0
	if r == '(' {
		paren = 1
	}
	i := paren
	for i < len(t) && i < paren+3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > paren && i < len(t) && (t[i] == '.' || t[i] == ')') && (i+1 == len(t) || t[i+1] == ' ') {
		if paren == 0 || t[i] == ')' {
			return numMarker, skip(i + 1)
		}
	}
	if word, rest, ok := strings.Cut(t, ". "); ok && romans[word] && rest != "" {
		return romanMarker, skip(len(word) + 1)
	}
	if r2, n2 := utf8.DecodeRuneInString(t[paren:]); unicode.IsLower(r2) && paren+n2 < len(t) && t[paren+n2] == ')' {
		return alphaMarker, skip(paren + n2 + 1)
	}
	return noMarker, from
}

// startsWithMarker reports whether a line starts a list item.
func startsWithMarker(line string) bool {
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	kind, _ := listMarker(line, 0, len(line))
	return kind != noMarker
}
