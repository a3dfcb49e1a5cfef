package extract

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/catalog"
	"github.com/dondoc/dondoc/workflow/deadline"
)

// The development set (testdata/devset.txt, its format described at its
// top) is extracted document by document; each proposal belongs to the
// unit its span starts in.

type devDoc struct {
	name  string
	date  civil.Date
	units []devUnit
}

type devUnit struct {
	text      string
	directive bool
	want      []devWant
	line      int
}

type devWant struct {
	lead   string
	coords []string
	group  string
	due    string // as written in the file
}

func loadDevset(t testing.TB) []devDoc {
	t.Helper()
	f, err := os.Open("testdata/devset.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []devDoc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		fail := func(msg string) { t.Fatalf("devset.txt:%d: %s", n, msg) }
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "doc "):
			f := strings.Fields(line)
			if len(f) != 3 {
				fail("want: doc DATE NAME")
			}
			d, err := civil.ParseDate(f[1])
			if err != nil {
				fail(err.Error())
			}
			docs = append(docs, devDoc{name: f[2], date: d})
		case len(docs) == 0:
			fail("a unit before the first doc line")
		case strings.HasPrefix(line, ". "), strings.HasPrefix(line, "> "):
			d := &docs[len(docs)-1]
			d.units = append(d.units, devUnit{text: line[2:], directive: line[0] == '>', line: n})
		case strings.HasPrefix(line, "= "):
			d := &docs[len(docs)-1]
			if len(d.units) == 0 || !d.units[len(d.units)-1].directive {
				fail("an expectation after a unit that gives no work")
			}
			w, err := parseWant(line[2:])
			if err != nil {
				fail(err.Error())
			}
			u := &d.units[len(d.units)-1]
			u.want = append(u.want, w)
		default:
			fail("unknown line")
		}
	}
	for _, d := range docs {
		for _, u := range d.units {
			if u.directive && len(u.want) == 0 {
				t.Fatalf("devset.txt:%d: a unit that gives work without expectations", u.line)
			}
		}
	}
	return docs
}

func parseWant(s string) (devWant, error) {
	w := devWant{due: "-"}
	for _, part := range strings.Split(s, ";") {
		f := strings.Fields(part)
		if len(f) < 2 {
			return w, fmt.Errorf("bad part %q", part)
		}
		switch f[0] {
		case "lead":
			w.lead = f[1]
		case "coord":
			w.coords = f[1:]
		case "group":
			if _, err := catalog.ParseGroup(f[1]); err != nil && f[1] != string(GroupOther) {
				return w, err
			}
			w.group = f[1]
		case "due":
			w.due = f[1]
		default:
			return w, fmt.Errorf("bad part %q", part)
		}
	}
	if w.lead == "" && w.group == "" {
		return w, fmt.Errorf("neither lead nor group in %q", s)
	}
	return w, nil
}

// resolveDue turns an expected due into a date (zero for none) as of the
// document's date.
func resolveDue(t testing.TB, due string, doc civil.Date, cal *calendar.Calendar) civil.Date {
	t.Helper()
	switch {
	case due == "-":
		return civil.Date{}
	case strings.HasSuffix(due, "wd"):
		n, err := strconv.Atoi(strings.TrimSuffix(due, "wd"))
		if err != nil {
			t.Fatalf("due %q: %v", due, err)
		}
		d, _ := deadline.Expr{Kind: deadline.KindWorkingDays, N: n}.Resolve(doc, cal)
		return d
	case len(due) == 10:
		d, err := civil.ParseDate(due)
		if err != nil {
			t.Fatalf("due %q: %v", due, err)
		}
		return d
	}
	e, err := deadline.ParsePeriod(due)
	if err != nil {
		t.Fatalf("due %q: %v", due, err)
	}
	if end, ok := e.PeriodEnd(); ok {
		return end // a period is due on its last day; due_period keeps it
	}
	d, ok := e.Resolve(doc, cal)
	if !ok {
		t.Fatalf("due %q does not resolve", due)
	}
	return d
}

type prf struct{ tp, fp, fn int }

func (m prf) scores() (p, r, f float64) {
	if m.tp+m.fp > 0 {
		p = float64(m.tp) / float64(m.tp+m.fp)
	}
	if m.tp+m.fn > 0 {
		r = float64(m.tp) / float64(m.tp+m.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func (m prf) String() string {
	p, r, f := m.scores()
	return fmt.Sprintf("precision %.3f  recall %.3f  F1 %.3f  (tp %d, fp %d, fn %d)", p, r, f, m.tp, m.fp, m.fn)
}

// compareSets adds to m the agreement of two sets and returns what one has
// and the other lacks.
func compareSets(m *prf, want, got map[string]bool) (missing, extra []string) {
	for k := range want {
		if got[k] {
			m.tp++
		} else {
			m.fn++
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			m.fp++
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}

// TestDevset is the extractor's evaluation: precision, recall and F1 of
// (agency, role) pairs and of groups, and the accuracy of due dates, over
// the development set. It fails on any miss, and on any proposal from a
// unit that gives no work.
func TestDevset(t *testing.T) {
	x := newTestExtractor(t)
	cal := calendar.New(nil)
	docs := loadDevset(t)
	var pairs, groups prf
	dueRight, dueTotal, units, directives, quiet := 0, 0, 0, 0, 0
	var mismatches, falseAlarms []string
	for _, d := range docs {
		text, starts := joinUnits(d.units)
		unitOf := func(r int) int {
			i := sort.SearchInts(starts, r+1) - 1
			return max(i, 0)
		}
		got := make([][]Proposal, len(d.units))
		for _, p := range x.Extract(text, d.date) {
			u := unitOf(p.Span.Start)
			got[u] = append(got[u], p)
		}
		for i, u := range d.units {
			units++
			where := fmt.Sprintf("devset.txt:%d (%s)", u.line, d.name)
			if !u.directive {
				quiet++
				for _, p := range got[i] {
					falseAlarms = append(falseAlarms, fmt.Sprintf("%s: %s\n    proposed %s", where, short(u.text), describe(p)))
				}
				continue
			}
			directives += len(u.want)
			wantPairs, gotPairs := map[string]bool{}, map[string]bool{}
			wantGroups, gotGroups := map[string]bool{}, map[string]bool{}
			for _, w := range u.want {
				if w.lead != "" {
					wantPairs[w.lead+"/lead"] = true
				}
				for _, c := range w.coords {
					wantPairs[c+"/coordinator"] = true
				}
				if w.group != "" {
					wantGroups[w.group] = true
				}
			}
			// This set's expectations name catalog agencies only, and a
			// lead's group is the one that coordinates with it; bodies
			// outside the catalog are scored on dev.jsonl.
			for _, p := range got[i] {
				if p.Lead != nil && !p.Lead.NeedsMapping {
					gotPairs[p.Lead.Code+"/lead"] = true
				}
				for _, c := range p.Coordinators {
					if !c.NeedsMapping {
						gotPairs[c.Code+"/coordinator"] = true
					}
				}
				if p.Group != nil {
					gotGroups[string(*p.Group)] = true
				}
				if p.Lead != nil {
					for _, g := range p.CoordinatorGroups {
						if g.Group != GroupOther {
							gotGroups[string(g.Group)] = true
						}
					}
				}
			}
			m1, e1 := compareSets(&pairs, wantPairs, gotPairs)
			m2, e2 := compareSets(&groups, wantGroups, gotGroups)
			var msg []string
			if len(m1)+len(m2) > 0 {
				msg = append(msg, fmt.Sprintf("missing %v", append(m1, m2...)))
			}
			if len(e1)+len(e2) > 0 {
				msg = append(msg, fmt.Sprintf("extra %v", append(e1, e2...)))
			}
			for _, w := range u.want {
				p, ok := findProposal(got[i], w)
				if !ok {
					continue
				}
				dueTotal++
				want := resolveDue(t, w.due, d.date, cal)
				if p.DueOn == want {
					dueRight++
				} else {
					msg = append(msg, fmt.Sprintf("due of %s: want %s (%s), got %s (%q)", w.who(), orDash(want), w.due, orDash(p.DueOn), p.DueText))
				}
			}
			if len(msg) > 0 {
				mismatches = append(mismatches, fmt.Sprintf("%s: %s\n    %s", where, short(u.text), strings.Join(msg, "; ")))
			}
		}
	}
	for _, m := range mismatches {
		t.Log("mismatch " + m)
	}
	_, _, f1 := pairs.scores()
	_, _, gf1 := groups.scores()
	acc := 0.0
	if dueTotal > 0 {
		acc = float64(dueRight) / float64(dueTotal)
	}
	t.Logf("dev set: %d documents, %d units (%d give no work), %d expected directives", len(docs), units, quiet, directives)
	t.Logf("(agency, role) pairs: %s", pairs)
	t.Logf("groups:               %s", groups)
	t.Logf("due dates:            accuracy %.3f (%d of %d directives found)", acc, dueRight, dueTotal)
	for _, f := range falseAlarms {
		t.Error("proposal from a unit that gives no work: " + f)
	}
	// The set is the extractor's own regression set: every unit it holds
	// is read right today, so any miss is a regression.
	if f1 < 1 {
		t.Errorf("F1 on (agency, role) pairs is %.3f, below 1.00", f1)
	}
	if gf1 < 1 {
		t.Errorf("F1 on groups is %.3f, below 1.00", gf1)
	}
	if acc < 1 {
		t.Errorf("due-date accuracy is %.3f, below 1.00", acc)
	}
	if units < 150 {
		t.Errorf("the dev set has %d units; keep at least 150", units)
	}
}

func (w devWant) who() string {
	if w.lead != "" {
		return w.lead
	}
	return w.group
}

// findProposal finds the proposal for an expected directive: by its lead,
// or by its group when it names none.
func findProposal(ps []Proposal, w devWant) (Proposal, bool) {
	for _, p := range ps {
		switch {
		case w.lead != "" && p.Lead != nil && p.Lead.Code == w.lead:
			return p, true
		case w.lead == "" && p.Lead == nil && p.Group != nil && string(*p.Group) == w.group:
			return p, true
		}
	}
	return Proposal{}, false
}

// joinUnits joins the units by blank lines and returns where each starts,
// in characters.
func joinUnits(us []devUnit) (string, []int) {
	var b strings.Builder
	starts := make([]int, len(us))
	n := 0
	for i, u := range us {
		if i > 0 {
			b.WriteString("\n\n")
			n += 2
		}
		starts[i] = n
		b.WriteString(u.text)
		n += utf8.RuneCountInString(u.text)
	}
	return b.String(), starts
}

func describe(p Proposal) string {
	var parts []string
	if p.Lead != nil {
		parts = append(parts, "lead "+p.Lead.Code)
	}
	var cs []string
	for _, c := range p.Coordinators {
		cs = append(cs, c.Code)
	}
	if len(cs) > 0 {
		parts = append(parts, "coord "+strings.Join(cs, " "))
	}
	if p.Group != nil {
		parts = append(parts, "group "+string(*p.Group))
	}
	parts = append(parts, "due "+orDash(p.DueOn))
	return strings.Join(parts, "; ")
}

func orDash(d civil.Date) string {
	if d.IsZero() {
		return "-"
	}
	return d.String()
}

func short(s string) string {
	r := []rune(s)
	if len(r) > 90 {
		return string(r[:90]) + "…"
	}
	return s
}
