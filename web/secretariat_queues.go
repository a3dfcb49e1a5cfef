package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// The secretariat's three queues. Each action posts to a route of its
// queue and comes back to it, so that an officer works down a queue without
// leaving it; the routes call the same workflow services as the task page.

const queueLimit = 50

// defaultUrge is the message the overdue queue offers.
const defaultUrge = "Đề nghị Quý cơ quan khẩn trương hoàn thành nhiệm vụ và báo cáo kết quả về Văn phòng Chính phủ."

func (w *webUI) queueReports(c echo.Context, actor workflow.Actor) error {
	return w.queueReportsPage(c, actor, http.StatusOK, "", c.QueryParam("task"))
}

// queueReportsPage shows the queue; an action that failed shows it again
// with its message (never taken from the URL, so that a link cannot put
// words in the page).
func (w *webUI) queueReportsPage(c echo.Context, actor workflow.Actor, status int, msg, task string) error {
	views, next, err := w.svc.Tasks(c.Request().Context(), actor, workflow.TaskFilter{Statuses: []workflow.Status{workflow.StatusReported},
		Sort: "id", Page: workflow.Page{Limit: queueLimit, Cursor: c.QueryParam("cursor")}})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	done := c.QueryParam("done")
	if msg != "" {
		done = ""
	}
	if _, err := strconv.ParseInt(task, 10, 64); err != nil {
		task = ""
	}
	return w.render(c, status, "queue_reports", view{Title: "Báo cáo chờ xác nhận", Nav: "queue-reports", Actor: actor, Data: map[string]any{
		"Rows": rows, "Next": nextPage("/queue/reports", next), "Done": done, "Error": msg, "ErrorTask": task,
	}})
}

func nextPage(path, cursor string) string {
	if cursor == "" {
		return ""
	}
	return path + "?cursor=" + url.QueryEscape(cursor)
}

// queueReportAct confirms a reported task or returns it with a comment.
func (w *webUI) queueReportAct(c echo.Context, actor workflow.Actor) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("task"))
	}
	action := workflow.Action(c.Param("action"))
	if action != workflow.ActionConfirm && action != workflow.ActionReturn {
		return w.failErr(c, actor, workflow.NotFound("action"))
	}
	task := strconv.FormatInt(id, 10)
	failed := func(status int, msg string) error { return w.queueReportsPage(c, actor, status, msg, task) }
	comment := strings.TrimSpace(c.FormValue("comment"))
	if action == workflow.ActionReturn && comment == "" {
		return failed(http.StatusUnprocessableEntity, "Ghi lý do trả lại báo cáo để cơ quan biết cần làm gì thêm.")
	}
	in := workflow.TransitionInput{Action: action, Comment: comment}
	if v, err := strconv.Atoi(c.FormValue("version")); err == nil {
		in.IfMatch = &v
	}
	if _, err := w.svc.Transition(c.Request().Context(), actor, id, in); err != nil {
		switch workflow.KindOf(err) {
		case workflow.KindNotFound, workflow.KindForbidden:
			return w.failErr(c, actor, err)
		case workflow.KindStale, workflow.KindConflict:
			return failed(http.StatusConflict, "Nhiệm vụ vừa được người khác thay đổi; danh sách dưới đây là tình trạng mới nhất.")
		case workflow.KindInvalid:
			return failed(http.StatusUnprocessableEntity, "Không thực hiện được: "+err.Error())
		}
		return w.failErr(c, actor, err)
	}
	v := url.Values{"done": {string(action)}, "task": {task}}
	return c.Redirect(http.StatusSeeOther, "/queue/reports?"+v.Encode())
}

// extensionRow is a pending request with its task, and its decision form:
// the granted date offered (the requested one) or, after a failed post,
// what was typed and what is wrong with it.
type extensionRow struct {
	models.ExtensionRequest
	Task    workflow.TaskView
	DueOn   string // the "Gia hạn đến" field, dd/mm/yyyy
	DueErr  string
	Comment string
}

// decisionForm is a decision as it was posted, for the queue to show it
// again beside its request when it failed.
type decisionForm struct {
	ID             int64
	DueOn, Comment string
	DueErr         string
}

func (w *webUI) queueExtensions(c echo.Context, actor workflow.Actor) error {
	return w.queueExtensionsPage(c, actor, http.StatusOK, "", c.QueryParam("ext"), nil)
}

func (w *webUI) queueExtensionsPage(c echo.Context, actor workflow.Actor, status int, msg, ext string, typed *decisionForm) error {
	ctx := c.Request().Context()
	reqs, next, err := w.svc.ExtensionQueue(ctx, actor, "pending", workflow.Page{Limit: queueLimit, Cursor: c.QueryParam("cursor")})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows := make([]extensionRow, 0, len(reqs))
	for _, r := range reqs {
		t, err := w.svc.Task(ctx, actor, r.TaskID)
		if err != nil {
			return w.failErr(c, actor, err)
		}
		row := extensionRow{ExtensionRequest: r, Task: t, DueOn: workflow.FormatDate(r.RequestedDueOn)}
		if typed != nil && typed.ID == r.ID {
			row.DueOn, row.DueErr, row.Comment = typed.DueOn, typed.DueErr, typed.Comment
		}
		rows = append(rows, row)
	}
	done := c.QueryParam("done")
	if msg != "" {
		done = ""
	}
	if _, err := strconv.ParseInt(ext, 10, 64); err != nil {
		ext = ""
	}
	return w.render(c, status, "queue_extensions", view{Title: "Đề nghị gia hạn", Nav: "queue-extensions", Actor: actor, Data: map[string]any{
		"Rows": rows, "Next": nextPage("/queue/extensions", next), "Done": done, "Error": msg, "ErrorID": ext,
	}})
}

// queueExtensionDecide approves a request, with the date typed beside it
// (empty: the requested date), or rejects it with a reason.
func (w *webUI) queueExtensionDecide(c echo.Context, actor workflow.Actor) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("extension"))
	}
	ext := strconv.FormatInt(id, 10)
	decision, comment := c.FormValue("decision"), strings.TrimSpace(c.FormValue("comment"))
	typed := &decisionForm{ID: id, DueOn: c.FormValue("due_on"), Comment: c.FormValue("comment")}
	failed := func(status int, msg string) error { return w.queueExtensionsPage(c, actor, status, msg, ext, typed) }
	badDate := func(text string) error {
		typed.DueErr = text
		return failed(http.StatusUnprocessableEntity, "Ngày gia hạn chưa đúng, xem ô “Gia hạn đến”.")
	}
	if decision != "approve" && decision != "reject" {
		return failed(http.StatusUnprocessableEntity, "Chọn đồng ý hoặc không đồng ý gia hạn.")
	}
	if decision == "reject" && comment == "" {
		return failed(http.StatusUnprocessableEntity, "Ghi lý do không đồng ý gia hạn.")
	}
	in := workflow.Decision{Approve: decision == "approve", Comment: comment}
	if in.Approve {
		day, ok := parseDay(typed.DueOn)
		if !ok {
			return badDate("Ngày không hợp lệ, nhập theo dạng ngày/tháng/năm (ví dụ 30/09/2022).")
		}
		if !day.IsZero() {
			in.DueOn = &day
		}
	}
	if _, err := w.svc.DecideExtension(c.Request().Context(), actor, id, in); err != nil {
		switch workflow.KindOf(err) {
		case workflow.KindNotFound, workflow.KindForbidden:
			return w.failErr(c, actor, err)
		case workflow.KindConflict, workflow.KindStale:
			return failed(http.StatusConflict, "Đề nghị này đã được xử lý.")
		case workflow.KindInvalid:
			if text := grantedDueMessage(err); text != "" {
				return badDate(text)
			}
			return failed(http.StatusUnprocessableEntity, "Không thực hiện được: "+err.Error())
		}
		return w.failErr(c, actor, err)
	}
	return c.Redirect(http.StatusSeeOther, "/queue/extensions?"+url.Values{"done": {decision}, "ext": {ext}}.Encode())
}

// grantedDueMessage says in Vietnamese what is wrong with a granted date,
// or "" when err is not about it.
func grantedDueMessage(err error) string {
	var de *workflow.Error
	if !errors.As(err, &de) {
		return ""
	}
	for _, fe := range de.Fields {
		if fe.Field == "due_on" {
			return fieldMessage(fe, "")
		}
	}
	return ""
}

func (w *webUI) queueOverdue(c echo.Context, actor workflow.Actor) error {
	return w.queueOverduePage(c, actor, http.StatusOK, "", defaultUrge)
}

func (w *webUI) queueOverduePage(c echo.Context, actor workflow.Actor, status int, msg, message string) error {
	yes := true
	views, next, err := w.svc.Tasks(c.Request().Context(), actor, workflow.TaskFilter{Overdue: &yes, Sort: "-days_overdue",
		Page: workflow.Page{Limit: queueLimit, Cursor: c.QueryParam("cursor")}})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	urged, _ := strconv.Atoi(c.QueryParam("urged"))
	if msg != "" {
		urged = 0
	}
	return w.render(c, status, "queue_overdue", view{Title: "Nhiệm vụ quá hạn", Nav: "queue-overdue", Actor: actor, Data: map[string]any{
		"Rows": rows, "Next": nextPage("/queue/overdue", next), "Urged": urged, "Error": msg, "Message": message,
	}})
}

// queueOverdueUrge urges the checked tasks, or the one whose button was
// pressed, with one message.
func (w *webUI) queueOverdueUrge(c echo.Context, actor workflow.Actor) error {
	form, err := c.FormParams()
	if err != nil {
		return w.fail(c, actor, http.StatusBadRequest, "Biểu mẫu không hợp lệ.")
	}
	ids := form["task"]
	if only := c.FormValue("only"); only != "" {
		ids = []string{only}
	}
	msg := strings.TrimSpace(c.FormValue("message"))
	failed := func(status int, text string) error {
		return w.queueOverduePage(c, actor, status, text, c.FormValue("message"))
	}
	switch {
	case len(ids) == 0:
		return failed(http.StatusUnprocessableEntity, "Chọn ít nhất một nhiệm vụ để đôn đốc.")
	case msg == "":
		return failed(http.StatusUnprocessableEntity, "Ghi nội dung đôn đốc.")
	case len(ids) > queueLimit:
		return failed(http.StatusUnprocessableEntity, "Mỗi lần đôn đốc tối đa 50 nhiệm vụ.")
	}
	n := 0
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return w.failErr(c, actor, workflow.NotFound("task"))
		}
		if _, err := w.svc.Urge(c.Request().Context(), actor, id, msg); err != nil {
			if k := workflow.KindOf(err); k == workflow.KindNotFound || k == workflow.KindForbidden || k == workflow.KindInternal {
				return w.failErr(c, actor, err)
			}
			return failed(http.StatusConflict, "Đã đôn đốc "+strconv.Itoa(n)+" nhiệm vụ; nhiệm vụ #"+s+" không đôn đốc được (đã hoàn thành hoặc đã hủy).")
		}
		n++
	}
	return c.Redirect(http.StatusSeeOther, "/queue/overdue?"+url.Values{"urged": {strconv.Itoa(n)}}.Encode())
}

// agencySearch is the catalog's folded search as a page ("bo y te", "BYT"
// and "Bộ Y tế" alike), with each dissolved agency's successor; JSON for a
// client that asks for it.
func (w *webUI) agencySearch(c echo.Context, actor workflow.Actor) error {
	ctx := c.Request().Context()
	q := c.QueryParam("q")
	if len(q) > 200 {
		return w.fail(c, actor, http.StatusUnprocessableEntity, "Từ khóa quá dài.")
	}
	type hit struct {
		Code, Name, Kind string
		Ended            bool
		Successor        *catalog.Agency `json:",omitempty"`
	}
	var hits []hit
	if strings.TrimSpace(q) != "" {
		found, err := w.svc.Agencies(ctx, workflow.AgencyFilter{Q: q})
		if err != nil {
			return w.failErr(c, actor, err)
		}
		cat, err := w.svc.Catalog(ctx)
		if err != nil {
			return w.failErr(c, actor, err)
		}
		today := w.svc.Today()
		for _, a := range found[:min(len(found), 20)] {
			h := hit{Code: a.Code, Name: a.Name, Kind: string(a.Kind), Ended: !a.ActiveOn(today)}
			if s, ok := cat.CurrentSuccessor(a.Code, today); ok {
				h.Successor = &s
			}
			hits = append(hits, h)
		}
	}
	if strings.Contains(c.Request().Header.Get("Accept"), "application/json") {
		if hits == nil {
			hits = []hit{}
		}
		return c.JSON(http.StatusOK, hits)
	}
	return w.render(c, http.StatusOK, "agency_search", view{Title: "Tra cứu cơ quan", Nav: "documents", Actor: actor, Data: map[string]any{"Q": q, "Hits": hits}})
}
