package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/catalog"
	"github.com/dondoc/dondoc/workflow/extract"
)

// maxBlocks bounds the directives one form gives.
const maxBlocks = 300

// extractors keeps the extractor built over the current catalog and
// calendar, as the API's /extract does: the same proposals on both.
type extractors struct {
	mu  sync.Mutex
	key string
	cal *calendar.Calendar
	x   *extract.Extractor
}

func (c *extractors) get(ctx context.Context, svc *workflow.Service) (*extract.Extractor, error) {
	version, err := svc.CatalogVersion(ctx)
	if err != nil {
		return nil, err
	}
	cal := svc.Calendars().Current()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.x != nil && c.key == version && c.cal == cal {
		return c.x, nil
	}
	cat, err := svc.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	c.key, c.cal, c.x = version, cal, extract.New(cat, cal).WithToday(svc.Today)
	return c.x, nil
}

// block is one directive of the proposals form, as typed.
type block struct {
	I                                                                     int
	Give                                                                  bool
	Proposal                                                              string
	Action, Lead, Coordinators, Group, DueOn, DueDays, DuePeriod, DueKind string
	ReportingPeriod, Field                                                string
	// What the page shows beside the fields.
	Source   string   // the id of the source span's <mark>, if any
	DueText  string   // the deadline as the text wrote it
	Notes    []string // what the secretariat should check
	LeadName string   // the agency the lead resolves to
	DueHint  string   // the date a number of working days gives
	Errors   map[string]string
}

// segment is a piece of the document's text, marked when a proposal came
// from it.
type segment struct {
	Text string
	Mark string // the <mark>'s id, or ""
}

var groupOptions = []option{{"", "Không giao theo nhóm"}, {string(catalog.AllMinistries), "Các bộ, cơ quan ngang bộ"},
	{string(catalog.AllProvinces), "UBND các tỉnh, thành phố trực thuộc Trung ương"},
	{string(catalog.AllMinistriesAndProvinces), "Các bộ, ngành, địa phương"}, {string(catalog.GovernmentMembers), "Các thành viên Chính phủ"}}

var dueKindOptions = []option{{"", "Theo hạn ghi bên cạnh"}, {workflow.DueUrgent, "Khẩn trương (không có ngày cụ thể)"},
	{workflow.DueOngoing, "Thường xuyên"}}

// proposalData extracts the document's proposals and its marked text.
func (w *webUI) proposalData(ctx context.Context, px *extractors, doc models.Document) ([]extract.Proposal, []segment, error) {
	x, err := px.get(ctx, w.svc)
	if err != nil {
		return nil, nil, err
	}
	props := x.Extract(doc.Body, doc.IssuedOn)
	return props, markText(doc.Body, props), nil
}

// markText cuts text at the proposals' spans (in code points); a span
// that overlaps one before it is not marked again.
func markText(text string, props []extract.Proposal) []segment {
	type span struct {
		start, end int
		id         string
	}
	var spans []span
	for i, p := range props {
		spans = append(spans, span{p.Span.Start, p.Span.End, "src-" + strconv.Itoa(i)})
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.start - b.start })
	runes := []rune(text)
	var out []segment
	pos := 0
	for _, s := range spans {
		if s.start < pos || s.end > len(runes) || s.start >= s.end {
			continue
		}
		if s.start > pos {
			out = append(out, segment{Text: string(runes[pos:s.start])})
		}
		out = append(out, segment{Text: string(runes[s.start:s.end]), Mark: s.id})
		pos = s.end
	}
	if pos < len(runes) {
		out = append(out, segment{Text: string(runes[pos:])})
	}
	return out
}

// agencyText is how a proposed agency goes into a field: its code, or its
// successor's, or the name as written for the secretariat to map.
func agencyText(a extract.Agency, notes *[]string) string {
	switch {
	case a.Code != "" && a.ValidOnDocDate:
		return a.Code
	case a.CurrentSuccessor != nil:
		*notes = append(*notes, fmt.Sprintf("Văn bản ghi “%s”, cơ quan không còn tồn tại: đã đề xuất cơ quan kế thừa %s (%s).",
			a.AsWritten, a.CurrentSuccessor.Name, a.CurrentSuccessor.Code))
		return a.CurrentSuccessor.Code
	}
	*notes = append(*notes, fmt.Sprintf("“%s” không có trong danh mục cơ quan: hãy chọn cơ quan nhận nhiệm vụ hoặc bỏ.", a.AsWritten))
	return a.AsWritten
}

func blockOf(i int, p extract.Proposal) block {
	b := block{I: i, Give: true, Proposal: p.ID, Action: p.Action, DueKind: p.DueKind, ReportingPeriod: p.ReportingPeriod,
		DueText: p.DueText, Source: "src-" + strconv.Itoa(i)}
	if p.Lead != nil {
		b.Lead = agencyText(*p.Lead, &b.Notes)
	}
	var coords []string
	for _, c := range p.Coordinators {
		coords = append(coords, agencyText(c, &b.Notes))
	}
	b.Coordinators = strings.Join(coords, "; ")
	if p.Group != nil {
		if *p.Group == extract.GroupOther {
			b.Notes = append(b.Notes, fmt.Sprintf("Văn bản giao cho “%s”: hãy ghi cơ quan cụ thể.", p.GroupAsWritten))
		} else {
			b.Group = string(*p.Group)
		}
	}
	for _, g := range p.CoordinatorGroups {
		b.Notes = append(b.Notes, fmt.Sprintf("Phối hợp: “%s”.", g.AsWritten))
	}
	switch {
	case p.DuePeriod != "":
		b.DuePeriod = p.DuePeriod
		b.DueHint = "tức ngày " + workflow.FormatDate(p.DueOn)
	case !p.DueOn.IsZero():
		b.DueOn = workflow.FormatDate(p.DueOn)
	}
	return b
}

func (w *webUI) proposals(c echo.Context, actor workflow.Actor, px *extractors) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("document"))
	}
	ctx := c.Request().Context()
	doc, err := w.svc.Document(ctx, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	props, segs, err := w.proposalData(ctx, px, doc)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	// Recorded when shown, as POST /documents/{id}/extract records them, so
	// that the directives given from them name them and what the secretariat
	// changed is counted (GET /extract/quality). The form's posts only read.
	if err := w.svc.RecordProposals(ctx, actor, doc.ID, doc.Body, props); err != nil {
		return w.failErr(c, actor, err)
	}
	blocks := make([]block, 0, len(props)+1)
	for i, p := range props {
		blocks = append(blocks, blockOf(i, p))
	}
	if len(blocks) == 0 {
		blocks = append(blocks, block{I: 0, Give: true})
	}
	w.annotate(ctx, doc, blocks)
	return w.proposalsPage(c, actor, http.StatusOK, doc, segs, blocks, "")
}

func (w *webUI) proposalsPage(c echo.Context, actor workflow.Actor, status int, doc models.Document, segs []segment, blocks []block, msg string) error {
	agencies, err := w.svc.Agencies(c.Request().Context(), workflow.AgencyFilter{ActiveOn: doc.IssuedOn})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	// Giving the same proposals twice makes every task twice: say so.
	given, _, err := w.svc.Tasks(c.Request().Context(), actor, workflow.TaskFilter{DocumentID: doc.ID, Page: workflow.Page{Limit: 1}})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	return w.render(c, status, "documents_proposals", view{Title: "Đề xuất nhiệm vụ – văn bản số " + doc.Number, Nav: "documents", Actor: actor,
		Data: map[string]any{"Doc": doc, "Segments": segs, "Blocks": blocks, "Count": len(blocks), "Agencies": agencies,
			"Groups": groupOptions, "DueKinds": dueKindOptions, "Error": msg, "AlreadyGiven": len(given) > 0}})
}

// readBlocks reads the blocks of a posted proposals form.
func readBlocks(c echo.Context) []block {
	n, _ := strconv.Atoi(c.FormValue("count"))
	n = min(max(n, 0), maxBlocks)
	blocks := make([]block, n)
	for i := range blocks {
		v := func(name string) string { return strings.TrimSpace(c.FormValue("p" + strconv.Itoa(i) + "-" + name)) }
		blocks[i] = block{I: i, Give: v("give") == "1", Proposal: v("proposal"), Action: v("action"), Lead: v("lead"),
			Coordinators: v("coordinators"), Group: v("group"), DueOn: v("due_on"), DueDays: v("due_days"),
			DuePeriod: v("due_period"), DueKind: v("due_kind"), ReportingPeriod: v("reporting_period"), Field: v("field")}
	}
	return blocks
}

// annotate resolves each block's agencies and deadline for the page: the
// names they give and what is wrong, beside the field. It returns the
// directives of the blocks to give, valid as far as the page can tell.
func (w *webUI) annotate(ctx context.Context, doc models.Document, blocks []block) ([]workflow.NewDirective, []int, error) {
	var ins []workflow.NewDirective
	var idx []int
	for i := range blocks {
		b := &blocks[i]
		b.Errors = map[string]string{}
		// A block from a proposal names it (a hand-added one has none), so
		// that what the secretariat changed is counted; ProposalIfRecorded:
		// a page older than the recorded proposals still gives its tasks.
		in := workflow.NewDirective{DocumentID: doc.ID, Content: b.Action, Field: b.Field, DuePeriod: b.DuePeriod,
			DueKind: b.DueKind, ReportingPeriod: b.ReportingPeriod, Group: b.Group,
			ProposalID: b.Proposal, ProposalIfRecorded: true}
		if b.Lead != "" {
			code, name, msg, err := w.resolve(ctx, b.Lead, doc.IssuedOn)
			if err != nil {
				return nil, nil, err
			}
			in.Lead, b.LeadName = code, name
			if msg != "" {
				b.Errors["lead"] = msg
			}
		}
		var cmsgs []string
		for _, part := range strings.FieldsFunc(b.Coordinators, func(r rune) bool { return r == ';' || r == '\n' }) {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			code, _, msg, err := w.resolve(ctx, part, doc.IssuedOn)
			if err != nil {
				return nil, nil, err
			}
			if msg != "" {
				cmsgs = append(cmsgs, msg)
			}
			in.Coordinators = append(in.Coordinators, code)
		}
		if len(cmsgs) > 0 {
			b.Errors["coordinators"] = strings.Join(cmsgs, " ")
		}
		if d, ok := parseDay(b.DueOn); ok {
			in.DueOn = d
		} else {
			b.Errors["due_on"] = "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 31/12/2026."
		}
		if b.DueDays != "" {
			n, err := strconv.Atoi(b.DueDays)
			if err != nil || n < 1 || n > 1000 {
				b.Errors["due_days"] = "Ghi một số ngày làm việc từ 1 đến 1000."
			} else {
				in.DueInWorkingDays = &n
				if d, err := w.svc.AddWorkingDays(doc.IssuedOn, n); err == nil {
					b.DueHint = fmt.Sprintf("%d ngày làm việc kể từ ngày %s: hạn %s", n, workflow.FormatDate(doc.IssuedOn), workflow.FormatDate(d))
				}
			}
		}
		if b.Give && len(b.Errors) == 0 {
			ins, idx = append(ins, in), append(idx, i)
		}
	}
	return ins, idx, nil
}

// resolve reads a typed agency: its code, its name for the page, or what
// is wrong with it, in Vietnamese.
func (w *webUI) resolve(ctx context.Context, text string, on civil.Date) (code, name, msg string, err error) {
	m, err := w.svc.ResolveAgency(ctx, text, on)
	if err != nil {
		return "", "", "", err
	}
	switch {
	case m.Found && m.Gone && m.Successor != nil:
		return m.Agency.Code, m.Agency.Name, fmt.Sprintf("%s không còn tồn tại vào ngày %s; cơ quan kế thừa: %s (mã %s).",
			m.Agency.Name, workflow.FormatDate(on), m.Successor.Name, m.Successor.Code), nil
	case m.Found && m.Gone:
		return m.Agency.Code, m.Agency.Name, fmt.Sprintf("%s không tồn tại vào ngày %s.", m.Agency.Name, workflow.FormatDate(on)), nil
	case m.Found:
		return m.Agency.Code, m.Agency.Name, "", nil
	case len(m.Candidates) > 0:
		names := make([]string, len(m.Candidates))
		for i, a := range m.Candidates {
			names[i] = a.Name + " (mã " + a.Code + ")"
		}
		return text, "", fmt.Sprintf("“%s” khớp với nhiều cơ quan: %s. Hãy ghi mã cơ quan.", text, strings.Join(names, "; ")), nil
	}
	return text, "", fmt.Sprintf("Không tìm thấy cơ quan “%s” trong danh mục.", text), nil
}

// blockFields maps the service's field names to the form's.
var blockFields = map[string]string{"content": "action", "lead": "lead", "group": "group", "due_on": "due_on",
	"due_in_working_days": "due_days", "due_period": "due_period", "due_kind": "due_kind", "reporting_period": "due_kind", "field": "field"}

var directiveFieldRE = regexp.MustCompile(`^directives\[(\d+)\]\.([a-z_]+)`)

func (w *webUI) giveDirectives(c echo.Context, actor workflow.Actor, px *extractors) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("document"))
	}
	ctx := c.Request().Context()
	doc, err := w.svc.Document(ctx, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	_, segs, err := w.proposalData(ctx, px, doc)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	blocks := readBlocks(c)
	op := c.FormValue("op")
	if op == "add" && len(blocks) < maxBlocks {
		blocks = append(blocks, block{I: len(blocks), Give: true})
	}
	ins, idx, err := w.annotate(ctx, doc, blocks)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	if op != "give" {
		return w.proposalsPage(c, actor, http.StatusOK, doc, segs, blocks, "")
	}
	wrong := 0
	for _, b := range blocks {
		if b.Give && len(b.Errors) > 0 {
			wrong++
		}
	}
	if wrong > 0 {
		return w.proposalsPage(c, actor, http.StatusUnprocessableEntity, doc, segs, blocks,
			fmt.Sprintf("%d nhiệm vụ có thông tin chưa đúng (ghi bên cạnh từng ô). Chưa giao nhiệm vụ nào.", wrong))
	}
	if len(ins) == 0 {
		return w.proposalsPage(c, actor, http.StatusUnprocessableEntity, doc, segs, blocks, "Chưa chọn nhiệm vụ nào để giao (ô “Giao”).")
	}
	made, err := w.svc.CreateDirectivesFromProposals(ctx, actor, doc.ID, ins)
	if err != nil {
		var de *workflow.Error
		if workflow.KindOf(err) != workflow.KindInvalid || !errors.As(err, &de) || len(made) > 0 {
			return w.failErr(c, actor, err)
		}
		for _, f := range de.Fields {
			m := directiveFieldRE.FindStringSubmatch(f.Field)
			if m == nil {
				continue
			}
			k, _ := strconv.Atoi(m[1])
			if k >= len(idx) {
				continue
			}
			field := blockFields[m[2]]
			if strings.HasPrefix(m[2], "coordinators") {
				field = "coordinators"
			}
			if field == "" {
				field = "action"
			}
			blocks[idx[k]].Errors[field] = strings.TrimSpace(blocks[idx[k]].Errors[field] + " " + directiveMessage(m[2], f.Message))
		}
		return w.proposalsPage(c, actor, http.StatusUnprocessableEntity, doc, segs, blocks,
			"Có nhiệm vụ chưa đúng (ghi bên cạnh từng ô). Chưa giao nhiệm vụ nào.")
	}
	tasks := 0
	for _, d := range made {
		tasks += len(d.Tasks)
	}
	return c.Redirect(http.StatusSeeOther, "/documents/"+strconv.FormatInt(doc.ID, 10)+"?given="+strconv.Itoa(tasks)+"#document-tasks")
}

// directiveMessage says in Vietnamese what the service found wrong.
func directiveMessage(field, msg string) string {
	switch {
	case field == "content":
		return "Ghi nội dung nhiệm vụ."
	case field == "lead" && strings.Contains(msg, "required"):
		return "Chọn cơ quan chủ trì, hoặc một nhóm cơ quan."
	case strings.HasPrefix(field, "due") && strings.Contains(msg, "not several"):
		return "Chỉ ghi một trong ba: hạn (ngày), số ngày làm việc, hoặc kỳ."
	case field == "due_on" && strings.Contains(msg, "before"):
		return "Hạn xử lý trước ngày ban hành văn bản."
	case strings.Contains(msg, "same agency"):
		return "Một cơ quan được ghi hai lần."
	}
	return "Không hợp lệ: " + msg
}
