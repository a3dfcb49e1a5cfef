// Package extract reads the Vietnamese text of a conclusion (thông báo kết
// luận) and proposes its directives: what is to be done, the agency that
// leads it, those that coordinate, a group when one is named, and the
// deadline. It is rule-based and deterministic: a gazetteer built from the
// agency catalog, the phrasing of assignment ("giao", "yêu cầu", "đề nghị",
// "chủ trì, phối hợp với"), and the deadline expressions of package
// deadline, resolved on the working calendar against the document's date.
// It holds no database: the API builds an Extractor from the stored catalog
// and the working calendar for each request (a few milliseconds), the
// command line from the shipped ones.
//
// Offsets: a proposal's Span counts Unicode code points of the text as it
// was given, before normalisation (see Span).
//
// Sentences that report figures, attendance, praise or background propose
// nothing: only a sentence that gives an agency work does.
package extract

import (
	"crypto/sha256"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/catalog"
	"github.com/dondoc/dondoc/workflow/vntext"
)

// Extractor proposes directives. It never changes after New, so one
// Extractor may serve many goroutines.
type Extractor struct {
	cat   *catalog.Catalog
	cal   *calendar.Calendar
	gaz   *gazetteer
	today func() civil.Date
}

// New builds an extractor over the agencies of c and the working calendar
// cal (the shipped one if nil).
func New(c *catalog.Catalog, cal *calendar.Calendar) *Extractor {
	if cal == nil {
		cal = calendar.New(nil)
	}
	return &Extractor{cat: c, cal: cal, gaz: newGazetteer(c), today: todayInVietnam}
}

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}()

func todayInVietnam() civil.Date { return civil.DateOf(time.Now().In(hcm)) }

// WithToday returns an extractor that takes today's date, by which it finds
// the current successor of a dissolved agency, from today.
func (x *Extractor) WithToday(today func() civil.Date) *Extractor {
	y := *x
	y.today = today
	return &y
}

// Extract proposes the directives of text, a conclusion dated docDate.
func (x *Extractor) Extract(text string, docDate civil.Date) []Proposal {
	norm, offs := vntext.NormalizeWithMap(text)
	sents := splitSentences(norm)
	zoneStart, zoneEnd := zone(norm, sents)
	r := reader{x: x, text: text, norm: norm, offs: offs, doc: docDate, today: x.today(), runes: newRuneIndex(text),
		textHash: sha256.Sum256([]byte(text))}
	var hdr *header
	var prev *carried
	var lastMinistry []string // the codes of the ministry named last, for "Bộ này"
	prevOut := 0              // where the proposals of the sentence before start in r.out
	for i := range sents {
		s := &sents[i]
		inZone := s.start >= zoneStart && s.start < zoneEnd
		ms := r.thisMinistry(s.toks, x.gaz.mentions(s.toks), &lastMinistry)
		from := prevOut
		prevOut = len(r.out)
		if len(ms) == 0 && from < len(r.out) && r.deadlineSentence(s, r.out[from:]) {
			continue
		}
		lists := buildLists(s.toks, ms)
		as := assignments(s.toks, lists, inZone)
		if len(as) == 0 {
			as = r.recounted(s.toks, lists)
		}
		if len(as) == 0 && prev != nil {
			// A continuing sentence is a directive of its own when it has a
			// deadline of its own; else it only says more of the last one.
			if a, ok := prev.continuation(s); ok && r.x.findDue(r.norm, s.toks, a.pred, a.end, a.pred, r.doc).on != (civil.Date{}) {
				r.emit(s, []assignment{a})
				continue
			}
		}
		switch {
		case len(as) > 0:
			prev = &carried{as: as, toks: s.toks}
		case len(ms) > 0 || prev != nil && prev.skipped > 0:
			prev = nil
		case prev != nil:
			prev.skipped++ // "Việc thanh tra này để làm rõ …" between the two
		}
		if !inZone {
			hdr = nil
			r.emit(s, as)
			continue
		}
		if h, ok := headerOf(s, lists); ok {
			hdr = &h
			continue
		}
		if len(as) > 0 || endsWithColon(s.toks) {
			hdr = nil
			r.emit(s, as)
			if h, ok := dashItemsAfter(s, as); ok {
				hdr = &h
			}
			continue
		}
		if hdr != nil {
			if !hdr.covers(s) {
				hdr = nil
				continue
			}
			if start, ok, strong := predicate(s.toks, 0, true); ok && !responsibility(s.toks, start) {
				r.emit(s, []assignment{{kind: inherited, list: hdr.list, src: hdr.toks, pred: start, end: len(s.toks), strong: strong,
					partners: hdr.partners}})
			}
		}
	}
	return r.out
}

// deadlineCarriers are the words that only carry a deadline that follows
// them, longest first: "hoàn thành trong tháng 9" is due in September, and
// the action is the work before them.
var deadlineCarriers = []string{
	"thời hạn hoàn thành", "thời gian hoàn thành", "thời gian thực hiện", "thời hạn", "hoàn thành", "hoàn tất", "xong",
}

// mannerAfterPartners open a phrase of time or manner after "phối hợp với
// X": what follows is no task of its own.
var mannerAfterPartners = map[string]bool{"trong": true, "khi": true, "để": true, "theo": true, "": true, ".": true}

// deadlineOpeners open a sentence that only states the deadline of the
// work given just before: "Hoàn thành trong tháng 9.", "Thời hạn hoàn
// thành: quý IV/2026.", "Thời gian thực hiện: trước ngày 30/6/2026."
var deadlineOpeners = [][]string{
	{"hoàn", "thành"}, {"thời", "hạn", "hoàn", "thành"}, {"thời", "hạn"}, {"thời", "gian", "hoàn", "thành"}, {"thời", "gian", "thực", "hiện"},
	{"thời", "gian", "trình"}, {"thời", "hạn", "trình"},
}

// deadlineSentence reads a sentence that names no one and opens on a
// deadline opener followed at once by a deadline: the date is that of the
// proposals ps of the sentence before which have none. It reports whether
// the sentence was such.
func (r *reader) deadlineSentence(s *sentence, ps []Proposal) bool {
	for _, w := range deadlineOpeners {
		e, ok := wordsAt(s.toks, 0, w...)
		if !ok || e != len(w) {
			continue
		}
		for e < len(s.toks) && !s.toks[e].word && s.toks[e].low == ":" {
			e++
		}
		d := r.x.findDue(r.norm, s.toks, e, len(s.toks), e, r.doc)
		if !d.found || d.on.IsZero() || d.start != s.toks[e].start {
			continue // a longer opener may match: "Thời hạn trình: …"
		}
		// Only the words of the deadline itself may follow it.
		if last := s.toks[len(s.toks)-1]; d.end < last.start || d.end < last.end && last.word {
			return false
		}
		for i := range ps {
			if ps[i].DueOn.IsZero() && ps[i].DueKind == "" {
				r.setDue(&ps[i], d)
			}
		}
		return true
	}
	return false
}

// carried is what a sentence assigned, which the next may continue.
type carried struct {
	as      []assignment
	toks    []token
	skipped int // sentences since, which named no one
}

// continuers open a sentence that gives the same addressee more work:
// "Đồng thời làm rõ …", "Ngoài ra, …".
var continuers = [][]string{
	{"đồng", "thời"}, {"ngoài", "ra"}, {"bên", "cạnh", "đó"}, {"cùng", "với", "đó"}, {"sau", "đó"}, {"trên", "cơ", "sở", "đó"},
}

// continuation reads a sentence that names no agency but opens with a
// connector and a verb: the last addressee of the sentence before does
// that work too.
func (c *carried) continuation(s *sentence) (assignment, bool) {
	for _, w := range continuers {
		e, ok := wordsAt(s.toks, 0, w...)
		if !ok || e != len(w) {
			continue
		}
		start, ok, strong := predicate(s.toks, e, true)
		if !ok || start >= len(s.toks) || s.toks[start].upper {
			return assignment{}, false
		}
		last := c.as[len(c.as)-1]
		src := last.src
		if src == nil {
			src = c.toks
		}
		return assignment{kind: inherited, list: last.list, src: src, pred: start, end: len(s.toks), strong: strong}, true
	}
	return assignment{}, false
}

// reader turns the assignments of sentences into proposals.
type reader struct {
	x     *Extractor
	text  string
	norm  string
	offs  []int // byte offset in text of each byte of norm
	runes *runeIndex
	doc   civil.Date
	today civil.Date
	out   []Proposal

	textHash [32]byte
}

func (r *reader) orig(b int) int { return r.offs[b] }

func (r *reader) emit(s *sentence, as []assignment) {
	var split []assignment
	var clauses []int
	for i, a := range as {
		parts := r.tasks(s, a, i == 0)
		split = append(split, parts...)
		for j := range parts {
			c := a.head
			if j > 0 {
				c = parts[j].pred
			}
			clauses = append(clauses, c)
		}
	}
	as = split
	for i, a := range as {
		from := a.head
		if i == 0 {
			from = 0
		}
		if clauses[i] != a.head {
			from = a.pred
		}
		due := r.x.findDue(r.norm, s.toks, from, a.end, a.head, r.doc)
		src := a.src
		if src == nil {
			src = s.toks
		}
		coords, coordGroups := r.coordinators(s.toks, a)
		if a.partners[1] > 0 { // the heading's "phối hợp với …"
			hc, hg := r.coordinators(src, assignment{pred: a.partners[0], end: a.partners[1]})
			for _, c := range hc {
				if !hasAgency(coords, c) {
					coords = append(coords, c)
				}
			}
			coordGroups = append(coordGroups, hg...)
		}
		base := Proposal{
			Action:            r.action(s, a, due),
			Coordinators:      []Agency{},
			CoordinatorGroups: coordGroups,
			Span:              Span{Start: r.runes.offset(r.orig(s.start)), End: r.runes.offset(r.orig(s.end))},
			sentence:          [2]int{r.orig(s.start), r.orig(s.end)},
		}
		r.setDue(&base, due)
		confidence := 0.7
		switch {
		case a.kind == cueLed:
			confidence = 0.9
		case a.kind == inherited:
			confidence = 0.75
		case a.strong:
			confidence = 0.85
		}
		add := func(p Proposal, who int) {
			p.ID = proposalID(r.textHash, p.Span, r.orig(src[who].start), clauses[i])
			r.out = append(r.out, p)
		}
		if lead, helpers, ok := r.supportedLead(s.toks, src, a, coords, coordGroups); ok {
			p := base
			p.Lead = &lead
			p.Coordinators = helpers
			p.CoordinatorGroups = []GroupMention{}
			p.Confidence = score(confidence, append([]Agency{lead}, helpers...))
			add(p, a.list.items[0].m.n0)
			continue
		}
		var groups []catalog.Group
		groupFrom, groupTo := -1, -1
		for _, it := range a.list.items {
			if it.m.group != "" {
				g := it.m.group
				if it.related { // "các bộ, ngành liên quan": some of them
					g = GroupOther
				}
				groups = append(groups, g)
				if groupFrom < 0 {
					groupFrom = it.m.n0
				}
				groupTo = max(it.m.t1, it.end)
				continue
			}
			lead := r.agency(src, it.m)
			if lead.Code == "" && !lead.NeedsMapping {
				continue
			}
			p := base
			p.Lead = &lead
			p.Coordinators = without(coords, lead)
			p.Confidence = score(confidence, append([]Agency{lead}, p.Coordinators...))
			add(p, it.m.n0)
		}
		if g := combine(groups); g != "" {
			p := base
			p.Group = groupPtr(g)
			p.GroupAsWritten = r.written(src, groupFrom, groupTo)
			p.Coordinators = coords
			p.Confidence = score(confidence, coords)
			add(p, groupFrom)
		}
	}
}

// written returns the text of tokens [t0, t1) as the input writes it.
func (r *reader) written(toks []token, t0, t1 int) string {
	return clean(r.text[r.orig(toks[t0].start):r.orig(toks[t1-1].end)])
}

func (r *reader) setDue(p *Proposal, d dueInfo) {
	if !d.found {
		return
	}
	p.DueText = clean(r.text[r.orig(d.start):r.orig(d.end)])
	p.Recurring = d.recurring
	if end, ok := d.expr.PeriodEnd(); ok {
		p.DueOn, p.DuePeriod = end, d.expr.Period()
		return
	}
	if !d.on.IsZero() {
		p.DueOn = d.on
		p.DuePeriod = d.expr.Period() // before Tết: tet-YYYY
		return
	}
	p.DueKind = d.kind
	if d.kind == "ongoing" {
		p.ReportingPeriod = d.reporting
	}
}

// score is the confidence of a proposal, lower when it names an agency that
// did not exist on the document's date.
func score(c float64, agencies []Agency) float64 {
	for _, a := range agencies {
		if !a.ValidOnDocDate {
			c *= 0.7
			break
		}
	}
	return math.Round(c*100) / 100
}

// agency resolves a mention as of the document's date.
func (r *reader) agency(toks []token, m mention) Agency {
	if m.outside {
		name := r.written(toks, m.n0, m.t1)
		return Agency{Name: name, AsWritten: name, NeedsMapping: true}
	}
	var best catalog.Agency
	found := false
	for _, code := range m.codes {
		a, ok := r.x.cat.Get(code)
		if !ok {
			continue
		}
		if a.ActiveOn(r.doc) {
			best, found = a, true
			break
		}
		if !found || closer(a, best, r.doc) {
			best, found = a, true
		}
	}
	if !found {
		return Agency{}
	}
	out := Agency{
		Code: best.Code, Name: best.Name, ValidOnDocDate: best.ActiveOn(r.doc),
		AsWritten: clean(r.text[r.orig(toks[m.n0].start):r.orig(toks[m.t1-1].end)]),
	}
	if s, ok := r.x.cat.CurrentSuccessor(best.Code, r.today); ok {
		out.CurrentSuccessor = &Successor{Code: s.Code, Name: s.Name}
	}
	return out
}

// closer reports whether a existed nearer to day d than b did.
func closer(a, b catalog.Agency, d civil.Date) bool {
	dist := func(x catalog.Agency) int {
		switch {
		case !x.ValidTo.IsZero() && x.ValidTo.Before(d):
			return x.ValidTo.DaysUntil(d)
		case !x.ValidFrom.IsZero() && d.Before(x.ValidFrom):
			return d.DaysUntil(x.ValidFrom)
		}
		return 0
	}
	return dist(a) < dist(b)
}

// coordinators returns the agencies that coordinate an assignment, and
// the groups that do ("phối hợp với các bộ, ngành, địa phương", "… và các
// cơ quan liên quan").
func (r *reader) coordinators(toks []token, a assignment) ([]Agency, []GroupMention) {
	var out []Agency
	groups := []GroupMention{}
	sub := toks[a.pred:a.end]
	for _, l := range buildLists(sub, r.x.gaz.mentions(sub)) {
		if p, ok := coordinatingAt(sub, l.t0); ok && !opensTask(sub, 0, p) && lowAt(sub, p-1) != "," {
			continue
		}
		if !coordinating(sub, l.t0) && !(l.t0 > 0 && clauseStart(sub, l.t0) && coordinatesBefore(sub, l)) {
			continue
		}
		for _, it := range l.items {
			m := it.m
			m.t0, m.t1, m.n0 = m.t0+a.pred, m.t1+a.pred, m.n0+a.pred
			if m.group != "" {
				g := m.group
				if it.related { // "các địa phương trong vùng": some of them
					g = GroupOther
				}
				to := m.t1
				if it.related {
					to = max(to, it.end+a.pred) // "UBND các tỉnh có cá chết": as narrowed
				}
				groups = append(groups, GroupMention{Group: g, AsWritten: r.written(toks, m.n0, to)})
				continue
			}
			if ag := r.agency(toks, m); (ag.Code != "" || ag.NeedsMapping) && !hasAgency(out, ag) {
				out = append(out, ag)
			}
		}
	}
	if out == nil {
		out = []Agency{}
	}
	return out, groups
}

func groupPtr(g catalog.Group) *catalog.Group {
	if g == "" {
		return nil
	}
	return &g
}

func sameAgency(a, b Agency) bool {
	if a.Code != "" || b.Code != "" {
		return a.Code == b.Code
	}
	return a.Name == b.Name
}

func hasAgency(list []Agency, a Agency) bool {
	for _, b := range list {
		if sameAgency(a, b) {
			return true
		}
	}
	return false
}

func without(list []Agency, a Agency) []Agency {
	out := make([]Agency, 0, len(list))
	for _, b := range list {
		if !sameAgency(a, b) {
			out = append(out, b)
		}
	}
	return out
}

// combine merges the groups named together: ministries and provinces are
// all_ministries_and_provinces; with a group the catalog cannot expand
// ("các bộ, ngành liên quan và địa phương") they are some bodies: other.
func combine(groups []catalog.Group) catalog.Group {
	if slices.Contains(groups, GroupOther) {
		return GroupOther
	}
	var ministries, provinces bool
	var only catalog.Group
	for _, g := range groups {
		switch g {
		case catalog.AllMinistriesAndProvinces:
			ministries, provinces = true, true
		case catalog.AllProvinces:
			provinces = true
		default:
			ministries = true
		}
		if only == "" || only == g {
			only = g
		} else {
			only = catalog.AllMinistriesAndProvinces
		}
	}
	switch {
	case ministries && provinces:
		return catalog.AllMinistriesAndProvinces
	case only == catalog.AllMinistriesAndProvinces:
		return catalog.AllMinistries
	}
	return only
}

// action is the text of what is to be done: the assignment's part of the
// sentence without the agencies, their roles and the modal verbs, as one
// line that starts with a capital.
func (r *reader) action(s *sentence, a assignment, due dueInfo) string {
	toks := s.toks
	j := a.pred
	for j < a.end {
		switch {
		case !toks[j].word:
			j++
			continue
		case toks[j].low == "chủ" && lowAt(toks, j+1) == "trì":
			j += 2
			continue
		case toks[j].low == "phối" && lowAt(toks, j+1) == "hợp" && j+2 < a.end:
			k := j + 2
			for k < a.end && (toks[k].low == "chặt" || toks[k].low == "chẽ" || toks[k].low == "với" || toks[k].low == "cùng") {
				k++
			}
			if ls := buildLists(toks[k:a.end], r.x.gaz.mentions(toks[k:a.end])); len(ls) > 0 && ls[0].t0 == 0 {
				e := k + ls[0].t1
				if f := filler(toks, skipSeparators(toks, e)); f > e {
					e = f
				}
				if mannerAfterPartners[lowAt(toks, e)] {
					// "phối hợp chặt chẽ với Bộ Tài chính trong quá
					// trình thực hiện": no verb of its own follows, so
					// the partnership is the work itself.
					break
				}
				j = e
				continue
			}
		case toks[j].low == "cần" || toks[j].low == "phải":
			j++
			continue
		}
		break
	}
	if j >= a.end {
		j = a.pred
	}
	if j >= a.end {
		j = a.head // the assignment is all names: show them
	}
	from, to := toks[j].start, toks[a.end-1].end
	text := r.norm[from:to]
	if due.found && due.start == from && due.end < to && (due.recurring || !due.on.IsZero()) &&
		strings.IndexFunc(r.norm[due.end:to], unicode.IsLetter) >= 0 {
		// "trong 30 ngày kể từ ngày ký, hướng dẫn …", "hằng ngày báo cáo
		// …": a deadline or a rhythm opening the action is a field.
		text = strings.TrimLeft(r.norm[due.end:to], " ,")
	} else if due.found && due.start >= from && due.end <= to && due.start > from {
		// The deadline is a field of its own: "hoàn thành đề án trong quý
		// III" is to "hoàn thành đề án".
		head := strings.TrimRight(r.norm[from:due.start], " ,;:")
		// "…, hoàn thành trong tháng 9": the verb that only carries the
		// deadline goes with it, unless it is all the action says.
		// "…, thời hạn hoàn thành trong tháng 6", "… (hoàn thành trong
		// tháng 6)": the words that name the deadline go with it too.
		paren := false
		for _, verb := range deadlineCarriers {
			for _, lead := range []string{", ", "; ", " (", "("} {
				if h, ok := strings.CutSuffix(head, lead+verb); ok {
					head, paren = h, strings.Contains(lead, "(")
					break
				}
			}
			if head != strings.TrimRight(r.norm[from:due.start], " ,;:") {
				break
			}
		}
		head = strings.TrimSuffix(head, " xong") // "hoàn thiện đề án xong trước …"
		if strings.HasSuffix(head, " (") || strings.HasSuffix(head, "(") {
			head, paren = strings.TrimRight(strings.TrimSuffix(head, "("), " "), true
		}
		rest := strings.TrimLeft(r.norm[due.end:to], " ")
		if paren {
			rest = strings.TrimLeft(strings.TrimPrefix(rest, ")"), " ")
		}
		text = head + " " + rest
		text = strings.ReplaceAll(text, " ,", ",")
	}
	text = strings.TrimRight(strings.TrimSpace(text), ".,;:/ ")
	if t, ok := strings.CutSuffix(text, " và"); ok { // "… và giao cho X …": the next addressee's cue
		text = strings.TrimRight(t, ".,;:/ ")
	}
	return capitalize(clean(truncate(text, maxAction)))
}

// maxAction bounds an action, in bytes: a directive reads in a few
// sentences; a longer one is a text the splitter could not cut, and each of
// its agencies' proposals would carry a copy.
const maxAction = 8000

// truncate cuts s to at most n bytes at a space, marking the cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + "…"
}

func skipSeparators(toks []token, j int) int {
	for j < len(toks) && (toks[j].low == "," || toks[j].low == "và") {
		j++
	}
	return j
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
