package apptest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestFindAllIsContains: the one-pass search finds exactly the needles
// strings.Contains finds, on texts built to hold needles whole, cut short
// at the end, and sharing their first 8 bytes with others.
func TestFindAllIsContains(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab01-_.!"[r.IntN(8)]
		}
		return string(b)
	}
	found := 0
	for range 2000 {
		var needles []string
		for range 1 + r.IntN(8) {
			n := word(8 + r.IntN(12))
			needles = append(needles, n)
			if r.IntN(3) == 0 { // one with the same first 8 bytes
				needles = append(needles, n[:8]+word(r.IntN(6)))
			}
		}
		var text strings.Builder
		for range r.IntN(12) {
			text.WriteString(word(r.IntN(10)))
			if r.IntN(2) == 0 {
				n := needles[r.IntN(len(needles))]
				text.WriteString(n[:len(n)-r.IntN(2)]) // whole, or one byte short
			}
		}
		var want []string
		for _, n := range needles {
			if strings.Contains(text.String(), n) {
				want = append(want, n)
			}
		}
		got := findAll(text.String(), needles)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("in %q of %q: found %q, strings.Contains %q", text.String(), needles, got, want)
		}
		found += len(want)
	}
	if found < 1000 {
		t.Fatalf("only %d needles were in their texts: the cases test little", found)
	}
}

// TestLeakedSecretsFindsALoggedSecret: a secret that reaches the record is
// reported, one that does not is not.
func TestLeakedSecretsFindsALoggedSecret(t *testing.T) {
	t.Parallel()
	Secret("tok-logged-4f1c9a7e")
	Secret("tok-never-logged-8b2d")
	if _, err := record.Write([]byte("level=DEBUG msg=x token=tok-logged-4f1c9a7e\n")); err != nil {
		t.Fatal(err)
	}
	leaked, searched := LeakedSecrets()
	if !slices.Equal(leaked, []string{"tok-logged-4f1c9a7e"}) || searched == 0 {
		t.Fatalf("leaked %q in %d bytes", leaked, searched)
	}
}
