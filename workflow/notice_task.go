package workflow

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// Every step that hands a task to someone else tells them, in the
// transaction of the step: report_done and extension requests go to the
// secretariat (notify.Queue.Secretariat says which of its users); return,
// confirm, cancel, reopen, an extension's decision, a changed due date and
// a hand-over go to the agency that holds the task. Each notice links to
// the task's page and is keyed on the event that caused it, so that it is
// queued once.

// noticeTask is what a notice says of a task: the task as changed, with
// its directive and document (from the cache of those, which never
// change) and its agency's name.
func (s *Service) noticeTask(tx *gorm.DB, t models.Task) (TaskView, error) {
	// The directive and document were committed before the task that
	// names them: read from the read pool, they are kept in the cache.
	views := []TaskView{{Task: t}}
	if err := s.fillDirectives(tx.Statement.Context, s.reader(tx.Statement.Context), views); err != nil {
		return TaskView{}, err
	}
	v := views[0]
	v.AgencyName = s.agencyName(t.AgencyCode)
	return v, nil
}

// agencyName is an agency's name from the catalog last read, or its code
// before the catalog was read: a notice does not pay for a query to name it.
func (s *Service) agencyName(code string) string {
	c := &s.agencies
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.idx[code]; ok && a.Name != "" {
		return a.Name
	}
	return code
}

// taskLink is the address of a task's page.
func (s *Service) taskLink(id int64) string { return fmt.Sprintf("%s/tasks/%d", s.base, id) }

// noticeBody is a notice's text: what happened, the comment if any, the
// task, and the link to it.
func (s *Service) noticeBody(v TaskView, lead, comment string) string {
	body := lead
	if comment != "" {
		body += "\n\nÝ kiến: " + comment
	}
	due := "không có"
	if !v.DueOn.IsZero() {
		due = v.DueOn.Time().Format("02/01/2006")
	}
	return fmt.Sprintf("%s\n\nCơ quan: %s\nVăn bản: %s\nNội dung: %s\nThời hạn: %s\n\nXem nhiệm vụ: %s",
		body, v.AgencyName, v.DocumentNumber, truncate(v.DirectiveContent, 600), due, s.taskLink(v.ID))
}

// transitionNotices are the notices of the state table's actions: whom
// they go to (the secretariat or the agency), the title and the opening
// line. Acknowledge tells nobody: the task stays with the agency.
var transitionNotices = map[Action]struct {
	kind        string
	secretariat bool
	title, lead string
}{
	ActionReportDone: {notify.KindReported, true, "%s báo cáo hoàn thành nhiệm vụ #%d", "%s đã báo cáo hoàn thành nhiệm vụ; đề nghị xem xét, xác nhận hoặc trả lại."},
	ActionReturn:     {notify.KindReturned, false, "Báo cáo hoàn thành nhiệm vụ #%[2]d bị trả lại", "Văn phòng Chính phủ trả lại báo cáo hoàn thành nhiệm vụ; đề nghị tiếp tục thực hiện."},
	ActionConfirm:    {notify.KindConfirmed, false, "Nhiệm vụ #%[2]d được xác nhận hoàn thành", "Văn phòng Chính phủ xác nhận nhiệm vụ đã hoàn thành."},
	ActionCancel:     {notify.KindCancelled, false, "Nhiệm vụ #%[2]d bị hủy", "Văn phòng Chính phủ hủy nhiệm vụ."},
	ActionReopen:     {notify.KindReopened, false, "Nhiệm vụ #%[2]d được mở lại", "Văn phòng Chính phủ mở lại nhiệm vụ; đề nghị tiếp tục thực hiện."},
}

// noticeLead names the agency in a lead that has a place for it; the
// agency's own notices have none, and Sprintf would append
// "%!(EXTRA string=…)" to them.
func noticeLead(lead, agency string) string {
	if !strings.Contains(lead, "%s") {
		return lead
	}
	return fmt.Sprintf(lead, agency)
}

// noticeTransition queues the notice of an action taken on t (as changed
// by it), with the event that recorded it.
func (s *Service) noticeTransition(tx *gorm.DB, t models.Task, action Action, ev models.Event, data map[string]any) error {
	tn, ok := transitionNotices[action]
	if !ok {
		return nil
	}
	v, err := s.noticeTask(tx, t)
	if err != nil {
		return err
	}
	n := notify.Notice{
		Kind: tn.kind, TaskID: t.ID, Key: fmt.Sprintf("event-%d", ev.ID),
		Title: fmt.Sprintf(tn.title, v.AgencyName, t.ID),
		Body:  s.noticeBody(v, noticeLead(tn.lead, v.AgencyName), ev.Comment),
		Data:  map[string]any{"task": taskData(v), "action": string(action), "comment": ev.Comment, "by": ev.Actor},
	}
	for k, x := range data {
		n.Data[k] = x
	}
	return s.queueNotice(tx, v, tn.secretariat, n)
}

// queueNotice addresses n to the secretariat or to the task's agency and
// writes it.
func (s *Service) queueNotice(tx *gorm.DB, v TaskView, secretariat bool, ns ...notify.Notice) error {
	q := s.outbox.Queue(tx, s.clock.Now())
	for _, n := range ns {
		var err error
		if secretariat {
			err = q.Secretariat(v.AgencyCode, v.DocumentID, n)
		} else {
			err = q.Agency(v.AgencyCode, n)
		}
		if err != nil {
			return err
		}
	}
	return q.Flush()
}

// noticeProgress queues a progress report's notice to the secretariat
// (only when turned on: Options.NotifyProgress).
func (s *Service) noticeProgress(tx *gorm.DB, t models.Task, ev models.Event, rep models.Report) error {
	if !s.notifyProgress {
		return nil
	}
	v, err := s.noticeTask(tx, t)
	if err != nil {
		return err
	}
	return s.queueNotice(tx, v, true, notify.Notice{
		Kind: notify.KindProgress, TaskID: t.ID, Key: fmt.Sprintf("event-%d", ev.ID),
		Title: fmt.Sprintf("%s báo cáo tiến độ nhiệm vụ #%d (%d%%)", v.AgencyName, t.ID, rep.Percent),
		Body:  s.noticeBody(v, fmt.Sprintf("%s báo cáo tiến độ: %d%%.", v.AgencyName, rep.Percent), truncate(rep.Body, 1000)),
		Data:  map[string]any{"task": taskData(v), "report_id": rep.ID, "percent": rep.Percent, "by": ev.Actor},
	})
}

// noticeExtensionRequested tells the secretariat of an extension request.
func (s *Service) noticeExtensionRequested(tx *gorm.DB, t models.Task, ev models.Event, req models.ExtensionRequest) error {
	v, err := s.noticeTask(tx, t)
	if err != nil {
		return err
	}
	return s.queueNotice(tx, v, true, notify.Notice{
		Kind: notify.KindExtensionRequested, TaskID: t.ID, Key: fmt.Sprintf("event-%d", ev.ID),
		Title: fmt.Sprintf("%s đề nghị gia hạn nhiệm vụ #%d", v.AgencyName, t.ID),
		Body: s.noticeBody(v, fmt.Sprintf("%s đề nghị gia hạn nhiệm vụ đến ngày %s; đề nghị xem xét, quyết định.",
			v.AgencyName, dmy(req.RequestedDueOn)), "Lý do: "+req.Reason),
		Data: map[string]any{"task": taskData(v), "extension_id": req.ID, "requested_due_on": req.RequestedDueOn.String(),
			"reason": req.Reason, "by": ev.Actor},
	})
}

// noticeExtensionDecided tells the agency how its request was decided: an
// approval with the granted due date, and the requested one when they
// differ (and, to webhooks, also as a change of the due date, for those
// that keep calendars), a rejection with the reason.
func (s *Service) noticeExtensionDecided(tx *gorm.DB, t models.Task, ev models.Event, req models.ExtensionRequest, oldDue civil.Date) error {
	v, err := s.noticeTask(tx, t)
	if err != nil {
		return err
	}
	n := notify.Notice{
		Kind: notify.KindExtensionDecided, TaskID: t.ID, Key: fmt.Sprintf("event-%d", ev.ID),
		Data: map[string]any{"task": taskData(v), "extension_id": req.ID, "status": req.Status,
			"requested_due_on": req.RequestedDueOn.String(), "comment": req.DecisionComment, "by": ev.Actor},
	}
	why := "gia hạn theo đề nghị của cơ quan"
	if req.Status == ExtensionApproved {
		granted := req.GrantedDueOn
		lead := fmt.Sprintf("Văn phòng Chính phủ đồng ý gia hạn nhiệm vụ từ ngày %s đến ngày %s.", dmy(oldDue), dmy(granted))
		if granted != req.RequestedDueOn {
			// The agency asked for another date: say so, lest it read
			// the one it asked for.
			lead = fmt.Sprintf("Văn phòng Chính phủ đồng ý gia hạn nhiệm vụ từ ngày %s đến ngày %s (cơ quan đề nghị đến ngày %s).",
				dmy(oldDue), dmy(granted), dmy(req.RequestedDueOn))
			why = fmt.Sprintf("gia hạn theo quyết định của Văn phòng Chính phủ (cơ quan đề nghị đến ngày %s)", dmy(req.RequestedDueOn))
		}
		n.Title = fmt.Sprintf("Nhiệm vụ #%d được gia hạn đến ngày %s", t.ID, dmy(granted))
		n.Body = s.noticeBody(v, lead, req.DecisionComment)
		n.Data["from_due_on"], n.Data["to_due_on"], n.Data["granted_due_on"] = oldDue.String(), granted.String(), granted.String()
	} else {
		n.Title = fmt.Sprintf("Đề nghị gia hạn nhiệm vụ #%d không được chấp thuận", t.ID)
		n.Body = s.noticeBody(v, fmt.Sprintf("Văn phòng Chính phủ không chấp thuận đề nghị gia hạn đến ngày %s; thời hạn vẫn là ngày %s.",
			dmy(req.RequestedDueOn), dmy(t.DueOn)), req.DecisionComment)
	}
	q := s.outbox.Queue(tx, s.clock.Now())
	if err := q.Agency(t.AgencyCode, n); err != nil {
		return err
	}
	if req.Status == ExtensionApproved {
		due := s.dueChangedNotice(v, oldDue, req.GrantedDueOn, why)
		due.Key = fmt.Sprintf("event-%d", ev.ID)
		if err := q.Webhooks(t.AgencyCode, due); err != nil {
			return err
		}
	}
	return q.Flush()
}

// noticeHandedOver tells the successor's users of a task handed to them.
func (s *Service) noticeHandedOver(tx *gorm.DB, q *notify.Queue, t models.Task, ev models.Event, from models.Agency) error {
	v, err := s.noticeTask(tx, t)
	if err != nil {
		return err
	}
	return q.Agency(t.AgencyCode, notify.Notice{
		Kind: notify.KindHandedOver, TaskID: t.ID, Key: fmt.Sprintf("event-%d", ev.ID),
		Title: fmt.Sprintf("Tiếp nhận nhiệm vụ #%d từ %s", t.ID, from.Name),
		Body: s.noticeBody(v, fmt.Sprintf("Nhiệm vụ của %s được chuyển giao cho %s, cơ quan kế thừa; đề nghị tiếp tục thực hiện.",
			from.Name, v.AgencyName), ""),
		Data: map[string]any{"task": taskData(v), "from_agency": from.Code, "to_agency": t.AgencyCode},
	})
}

// dmy is a date as people read it.
func dmy(d civil.Date) string {
	if d.IsZero() {
		return "(không có)"
	}
	return d.Time().Format("02/01/2006")
}
