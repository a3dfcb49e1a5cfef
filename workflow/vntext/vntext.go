// Package vntext normalises and folds Vietnamese text so that the same words
// compare equal however they were typed: composed or decomposed Unicode, the
// old and new placement of tone marks ("Uỷ" and "Ủy"), non-breaking spaces,
// with or without diacritics.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in NFC with the tone marks of "oa", "oe", "uy" placed as
// official names write them ("Ủy", "hòa", "khỏe") and every kind of space turned into an
// ASCII space. Invalid UTF-8 is replaced by U+FFFD. Byte offsets change, so
// callers that report spans into the original text must map them back
// (see NormalizeWithMap).
func Normalize(s string) string {
	out, _ := NormalizeWithMap(s)
	return out
}

// NormalizeWithMap is Normalize that also returns, for every byte offset of
// the result (and one past its end), the byte offset in s where that
// character came from, so that a span found in normalised text can be
// reported against the text the user sent.
func NormalizeWithMap(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	offsets := make([]int, 0, len(s)+1)
	// Normalise rune by rune within grapheme-ish segments: a base letter and
	// its combining marks are composed together, and the whole segment maps to
	// the offset of its first byte.
	i := 0
	for i < len(s) {
		start := i
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			r = unicode.ReplacementChar
		}
		seg := []rune{r}
		for i < len(s) {
			r2, size2 := utf8.DecodeRuneInString(s[i:])
			if r2 == utf8.RuneError && size2 <= 1 {
				break
			}
			if !unicode.Is(unicode.Mn, r2) {
				break
			}
			seg = append(seg, r2)
			i += size2
		}
		composed := norm.NFC.String(string(seg))
		if isSpace(r) && len(seg) == 1 {
			composed = " "
		}
		for k := 0; k < len(composed); k++ {
			offsets = append(offsets, start)
		}
		b.WriteString(composed)
	}
	offsets = append(offsets, len(s))
	out := b.String()
	fixed := fixToneMarks(out)
	if len(fixed) != len(out) {
		// Tone-mark moves keep lengths equal in practice (both forms are
		// precomposed two-byte or three-byte letters), but never trust it.
		return fixed, remap(out, fixed, offsets)
	}
	return fixed, offsets
}

func isSpace(r rune) bool {
	return r == '\u00a0' || r == '\u2007' || r == '\u202f' || r == '\u2009' || r == '\u200a' || r == '\u3000' || r == '\t'
}

// toneStyle maps the "new" placement of the tone mark in the open syllables
// oa, oe and uy ("hoà", "khoẻ", "Uỷ": mark on the second vowel) to the
// placement that official documents and the agency names use ("hòa",
// "khỏe", "Ủy": mark on the first vowel). Closed syllables ("hoàng",
// "thuyết") are written the same way in both styles and are left alone.
var toneStyle = func() []struct{ old, new string } {
	tones := []struct{ o, a, e, u, y string }{
		{"ò", "à", "è", "ù", "ỳ"},
		{"ó", "á", "é", "ú", "ý"},
		{"ỏ", "ả", "ẻ", "ủ", "ỷ"},
		{"õ", "ã", "ẽ", "ũ", "ỹ"},
		{"ọ", "ạ", "ẹ", "ụ", "ỵ"},
	}
	var pairs []struct{ old, new string }
	add := func(old, new string) {
		pairs = append(pairs, struct{ old, new string }{old, new})
		up := func(s string) string { return strings.ToUpper(s[:len(s)-len(lastRune(s))]) + lastRune(s) }
		pairs = append(pairs, struct{ old, new string }{up(old), up(new)})
		pairs = append(pairs, struct{ old, new string }{strings.ToUpper(old), strings.ToUpper(new)})
	}
	for _, t := range tones {
		add("o"+t.a, t.o+"a")
		add("o"+t.e, t.o+"e")
		add("u"+t.y, t.u+"y")
	}
	return pairs
}()

func lastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[len(s)-size:]
}

// fixToneMarks rewrites open syllables written with the new tone placement
// into the one official names use, so "Uỷ ban" and "Ủy ban" are the same words.
func fixToneMarks(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		matched := false
		// Every pattern starts with o, O, u or U: skip the search elsewhere.
		if c := s[i]; c != 'o' && c != 'O' && c != 'u' && c != 'U' {
			_, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		for _, p := range toneStyle {
			if strings.HasPrefix(s[i:], p.old) && openSyllableEnd(s, i+len(p.old)) && !hasLetterBefore(s, i, "qQ") {
				b.WriteString(p.new)
				i += len(p.old)
				matched = true
				break
			}
		}
		if !matched {
			_, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// openSyllableEnd reports whether the syllable ends at byte j.
func openSyllableEnd(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return !unicode.IsLetter(r)
}

// hasLetterBefore reports whether the rune before i is one of letters
// ("quý", "quả": after q the u is a consonant, and the mark stays on y/a).
func hasLetterBefore(s string, i int, letters string) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return strings.ContainsRune(letters, r)
}

func remap(before, after string, offsets []int) []int {
	// Rune-by-rune alignment: both strings have the same number of runes.
	out := make([]int, 0, len(after)+1)
	bi := 0
	for _, r := range after {
		_, bsize := utf8.DecodeRuneInString(before[bi:])
		for k := 0; k < utf8.RuneLen(r); k++ {
			out = append(out, offsets[bi])
		}
		bi += bsize
	}
	out = append(out, offsets[len(before)])
	return out
}

// Fold returns s normalised, lower-cased, without diacritics, with đ as d and
// with runs of spaces and punctuation that do not separate words collapsed to
// one space: the key on which "bo y te" finds "Bộ Y tế".
func Fold(s string) string {
	s = Normalize(s)
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	space := true
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}
