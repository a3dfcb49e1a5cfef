package api

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dondoc/dondoc/civil"
)

// TestTaskJSONMatchesEncodingJSON writes random tasks and pages of tasks
// both ways, the fast path and encoding/json as huma configures it, and
// wants the same bytes: every field, nil and zero values, and strings with
// every character class JSON treats specially.
func TestTaskJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(7, 11))
	for i := range 5000 {
		l := List[Task]{NextCursor: randomText(rnd)}
		for range rnd.IntN(4) {
			l.Items = append(l.Items, randomTask(rnd))
		}
		if rnd.IntN(10) == 0 {
			l.Items = nil
		}
		for _, v := range []any{l, &l, l.Items, nil} {
			var want, got bytes.Buffer
			if v == nil {
				if len(l.Items) == 0 {
					continue
				}
				v = l.Items[0]
			}
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			if err := jsonFormat.Marshal(&got, v); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("case %d (%T):\n got %s\nwant %s", i, v, got.Bytes(), want.Bytes())
			}
		}
	}
}

func randomText(rnd *rand.Rand) string {
	pieces := []string{"", "Bộ Y tế", "\"quoted\"", `back\slash`, "<b>&amp;</b>", "\u2028\u2029", "\x00\x01\x1f\x7f",
		"\b\f\n\r\t", "\xff\xfe invalid", "đôn đốc 😀", "45/TB-VPCP", "\xe2\x80"}
	var b strings.Builder
	for range rnd.IntN(4) {
		b.WriteString(pieces[rnd.IntN(len(pieces))])
		if rnd.IntN(3) == 0 {
			b.WriteByte(byte(rnd.IntN(256)))
		}
	}
	return b.String()
}

func randomDate(rnd *rand.Rand) civil.Date {
	if rnd.IntN(4) == 0 {
		return civil.Date{}
	}
	return civil.NewDate(1990+rnd.IntN(60), time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28))
}

func randomDatePtr(rnd *rand.Rand) *civil.Date {
	switch rnd.IntN(3) {
	case 0:
		return nil
	case 1:
		return &civil.Date{}
	}
	d := randomDate(rnd)
	return &d
}

func randomTime(rnd *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("ICT", 7*3600), time.FixedZone("", -90*60)}
	if rnd.IntN(8) == 0 {
		return time.Time{}
	}
	return time.Unix(rnd.Int64N(2e9), rnd.Int64N(1e9)*int64(rnd.IntN(2))).In(zones[rnd.IntN(len(zones))])
}

func randomTask(rnd *rand.Rand) Task {
	t := Task{
		ID: rnd.Int64N(1 << 40), DirectiveID: rnd.Int64N(1000), DirectiveContent: randomText(rnd), Field: randomText(rnd),
		DocumentID: rnd.Int64N(1000) - 5, DocumentNumber: randomText(rnd), DocumentIssuedOn: randomDate(rnd),
		AgencyCode: randomText(rnd), AgencyName: randomText(rnd), Role: "lead", Status: randomText(rnd), StatusLabel: randomText(rnd),
		DueOn: randomDatePtr(rnd), OriginalDueOn: randomDatePtr(rnd), AssignedOn: randomDate(rnd), ReportedOn: randomDatePtr(rnd),
		CompletedOn: randomDatePtr(rnd), Overdue: rnd.IntN(2) == 0, DaysOverdue: rnd.IntN(400) - 1, Percent: rnd.IntN(101),
		Version: rnd.IntN(50), CreatedAt: randomTime(rnd), UpdatedAt: randomTime(rnd),
	}
	switch rnd.IntN(3) {
	case 0:
		t.AllowedActions = []string{}
	case 1:
		t.AllowedActions = []string{"report_done", randomText(rnd)}
	}
	if rnd.IntN(2) == 0 {
		n := rnd.IntN(30)
		t.DaysOverdueWorking = &n
	}
	if rnd.IntN(2) == 0 {
		t.LastReport = &TaskReportRef{ID: rnd.Int64N(1e6), Kind: "progress", At: randomTime(rnd), Percent: rnd.IntN(101),
			Author: randomText(rnd), Excerpt: randomText(rnd)}
	}
	if rnd.IntN(2) == 0 {
		r := &RemindersSent{Count: rnd.IntN(9), LastOn: randomDatePtr(rnd), Escalated: rnd.IntN(2) == 0, Urges: rnd.IntN(3)}
		if rnd.IntN(2) == 0 {
			r.LastRule = randomText(rnd)
		}
		if rnd.IntN(2) == 0 {
			at := randomTime(rnd)
			r.LastUrgeAt = &at
		}
		t.RemindersSent = r
	}
	return t
}

// BenchmarkTaskPageJSON writes a page of 50 tasks, the list's default, with
// the hand-written encoder and with encoding/json as huma would: the speed
// difference is the reason jsonfast.go exists, and this keeps it measured.
//
//	go test ./api -run '^$' -bench TaskPageJSON -benchmem
func BenchmarkTaskPageJSON(b *testing.B) {
	rnd := rand.New(rand.NewPCG(3, 5))
	page := List[Task]{NextCursor: "eyJpZCI6MTIzNDV9"}
	for range 50 {
		t := randomTask(rnd)
		t.DirectiveContent = "Khẩn trương hoàn thiện hồ sơ sức khỏe điện tử, báo cáo Thủ tướng Chính phủ trong tháng 3/2026"
		t.AgencyName, t.StatusLabel = "Bộ Y tế", "Đang thực hiện"
		page.Items = append(page.Items, t)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&page); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		mar  func(w *bytes.Buffer) error
	}{
		{"jsonfast", func(w *bytes.Buffer) error { return jsonFormat.Marshal(w, &page) }},
		{"encoding_json", func(w *bytes.Buffer) error {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			return enc.Encode(&page)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var w bytes.Buffer
			b.SetBytes(int64(want.Len()))
			b.ReportAllocs()
			for b.Loop() {
				w.Reset()
				if err := c.mar(&w); err != nil {
					b.Fatal(err)
				}
			}
			if !bytes.Equal(w.Bytes(), want.Bytes()) {
				b.Fatal("the two encoders disagree")
			}
		})
	}
}
