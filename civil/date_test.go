package civil

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func TestParseDateRejectsImpossibleDates(t *testing.T) {
	for _, s := range []string{"2023-02-30", "2023-13-01", "2023-1-1", "20230101", "", "2024-02-29x"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted an impossible date", s)
		}
	}
	if d, err := ParseDate("2024-02-29"); err != nil || d != (Date{2024, time.February, 29}) {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", d, err)
	}
}

// TestParseDateAgreesWithTimeParse: the hand-written parser accepts
// exactly what time.Parse accepts with DateLayout (less year 0), with the
// same date, over every day of four centuries and a million strings made
// of the characters a date is written with.
func TestParseDateAgreesWithTimeParse(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, err := ParseDate(s)
		ref, refErr := time.Parse(DateLayout, s)
		if refErr == nil && ref.Year() < 1 {
			refErr = errYearZero
		}
		switch {
		case (err == nil) != (refErr == nil):
			t.Fatalf("ParseDate(%q) = %v, %v; time.Parse says %v", s, got, err, refErr)
		case err == nil && got != DateOf(ref):
			t.Fatalf("ParseDate(%q) = %v, want %v", s, got, DateOf(ref))
		}
	}
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2300; d = d.AddDate(0, 0, 1) {
		check(d.Format(DateLayout))
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	const chars = "0123456789-+ x"
	b := make([]byte, 12)
	for range 1_000_000 {
		n := 8 + rnd.IntN(5)
		for i := range n {
			b[i] = chars[rnd.IntN(len(chars))]
			if rnd.IntN(3) > 0 { // mostly digits where a date has them, so that many are near-dates
				b[i] = "0123456789"[rnd.IntN(10)]
				if i == 4 || i == 7 {
					b[i] = '-'
				}
			}
		}
		check(string(b[:n]))
	}
}

var errYearZero = errors.New("year 0")

func TestDateArithmeticAndOrder(t *testing.T) {
	d := MustDate("2024-12-30")
	if got := d.AddDays(3); got != MustDate("2025-01-02") {
		t.Errorf("AddDays across a year = %v", got)
	}
	if n := MustDate("2024-02-01").DaysUntil(MustDate("2024-03-01")); n != 29 {
		t.Errorf("DaysUntil in a leap February = %d, want 29", n)
	}
	if !MustDate("2024-01-31").Before(MustDate("2024-02-01")) || MustDate("2024-02-01").Before(MustDate("2024-02-01")) {
		t.Error("Before is wrong")
	}
	if got := DateFromEpochDays(MustDate("1999-12-31").DaysSinceEpoch()); got != MustDate("1999-12-31") {
		t.Errorf("epoch round trip = %v", got)
	}
}

func TestDateJSONAndScan(t *testing.T) {
	type wrap struct {
		D Date  `json:"d"`
		P *Date `json:"p"`
	}
	b, err := json.Marshal(wrap{D: MustDate("2025-04-30")})
	if err != nil || string(b) != `{"d":"2025-04-30","p":null}` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"d":"2023-02-30"}`), &w); err == nil {
		t.Error("unmarshal accepted 2023-02-30")
	}
	var d Date
	for _, src := range []any{"2025-01-02", []byte("2025-01-02"), "2025-01-02T00:00:00Z", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)} {
		if err := d.Scan(src); err != nil || d != MustDate("2025-01-02") {
			t.Errorf("Scan(%#v) = %v, %v", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", d, err)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero Date stored as %v, want NULL", v)
	}
}

func TestUnmarshalBoundsInputDates(t *testing.T) {
	for s, ok := range map[string]bool{"1945-01-01": true, "2100-12-31": true, "1944-12-31": false, "2101-01-01": false, "9999-12-31": false, "0001-01-01": false} {
		var d Date
		if err := d.UnmarshalText([]byte(s)); (err == nil) != ok {
			t.Errorf("UnmarshalText(%s): %v", s, err)
		}
		if err := d.UnmarshalJSON([]byte(`"` + s + `"`)); (err == nil) != ok {
			t.Errorf("UnmarshalJSON(%s): %v", s, err)
		}
	}
	if _, err := ParseDate("9999-12-31"); err != nil {
		t.Errorf("ParseDate, for stored rows, must keep any real date: %v", err)
	}
}
