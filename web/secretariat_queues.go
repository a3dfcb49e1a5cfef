package web

import (
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
	views, next, err := w.svc.Tasks(c.Request().Context(), actor, workflow.TaskFilter{Statuses: []workflow.Status{workflow.StatusReported},
		Sort: "id", Page: workflow.Page{Limit: queueLimit, Cursor: c.QueryParam("cursor")}})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	return w.render(c, http.StatusOK, "queue_reports", view{Title: "Báo cáo chờ xác nhận", Nav: "queue-reports", Actor: actor, Data: map[string]any{
		"Rows": rows, "Next": nextPage("/queue/reports", next), "Done": c.QueryParam("done"), "Error": c.QueryParam("error"), "ErrorTask": c.QueryParam("task"),
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
	back := func(key, value string) error {
		v := url.Values{key: {value}, "task": {strconv.FormatInt(id, 10)}}
		return c.Redirect(http.StatusSeeOther, "/queue/reports?"+v.Encode()+"#task-"+strconv.FormatInt(id, 10))
	}
	comment := strings.TrimSpace(c.FormValue("comment"))
	if action == workflow.ActionReturn && comment == "" {
		return back("error", "Ghi lý do trả lại báo cáo để cơ quan biết cần làm gì thêm.")
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
			return back("error", "Nhiệm vụ vừa được người khác thay đổi; danh sách dưới đây là tình trạng mới nhất.")
		}
		return back("error", "Không thực hiện được: "+err.Error())
	}
	return back("done", string(action))
}

// extensionRow is a pending request with its task.
type extensionRow struct {
	models.ExtensionRequest
	Task workflow.TaskView
}

func (w *webUI) queueExtensions(c echo.Context, actor workflow.Actor) error {
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
		rows = append(rows, extensionRow{ExtensionRequest: r, Task: t})
	}
	return w.render(c, http.StatusOK, "queue_extensions", view{Title: "Đề nghị gia hạn", Nav: "queue-extensions", Actor: actor, Data: map[string]any{
		"Rows": rows, "Next": nextPage("/queue/extensions", next), "Done": c.QueryParam("done"), "Error": c.QueryParam("error"), "ErrorID": c.QueryParam("ext"),
	}})
}

func (w *webUI) queueExtensionDecide(c echo.Context, actor workflow.Actor) error {
	id, ok := pathID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("extension"))
	}
	back := func(key, value string) error {
		v := url.Values{key: {value}, "ext": {strconv.FormatInt(id, 10)}}
		return c.Redirect(http.StatusSeeOther, "/queue/extensions?"+v.Encode())
	}
	decision, comment := c.FormValue("decision"), strings.TrimSpace(c.FormValue("comment"))
	if decision != "approve" && decision != "reject" {
		return back("error", "Chọn đồng ý hoặc không đồng ý gia hạn.")
	}
	if decision == "reject" && comment == "" {
		return back("error", "Ghi lý do không đồng ý gia hạn.")
	}
	if _, err := w.svc.DecideExtension(c.Request().Context(), actor, id, workflow.Decision{Approve: decision == "approve", Comment: comment}); err != nil {
		switch workflow.KindOf(err) {
		case workflow.KindNotFound, workflow.KindForbidden:
			return w.failErr(c, actor, err)
		case workflow.KindConflict, workflow.KindStale:
			return back("error", "Đề nghị này đã được xử lý.")
		}
		return back("error", "Không thực hiện được: "+err.Error())
	}
	return back("done", decision)
}

func (w *webUI) queueOverdue(c echo.Context, actor workflow.Actor) error {
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
	return w.render(c, http.StatusOK, "queue_overdue", view{Title: "Nhiệm vụ quá hạn", Nav: "queue-overdue", Actor: actor, Data: map[string]any{
		"Rows": rows, "Next": nextPage("/queue/overdue", next), "Urged": urged, "Error": c.QueryParam("error"), "Message": defaultUrge,
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
	back := func(key, value string) error {
		return c.Redirect(http.StatusSeeOther, "/queue/overdue?"+url.Values{key: {value}}.Encode())
	}
	msg := strings.TrimSpace(c.FormValue("message"))
	switch {
	case len(ids) == 0:
		return back("error", "Chọn ít nhất một nhiệm vụ để đôn đốc.")
	case msg == "":
		return back("error", "Ghi nội dung đôn đốc.")
	case len(ids) > queueLimit:
		return back("error", "Mỗi lần đôn đốc tối đa 50 nhiệm vụ.")
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
			return back("error", "Đã đôn đốc "+strconv.Itoa(n)+" nhiệm vụ; nhiệm vụ #"+s+" không đôn đốc được: "+err.Error())
		}
		n++
	}
	return back("urged", strconv.Itoa(n))
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
