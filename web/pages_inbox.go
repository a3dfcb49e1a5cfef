package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

// myTasksQuery is the filters of "Nhiệm vụ của tôi".
type myTasksQuery struct {
	Status, Document, Field, Month string
}

func (q myTasksQuery) encode() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"status": q.Status, "document": q.Document, "field": q.Field, "month": q.Month} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// filter turns the query into the service's filter: open tasks by default,
// the earliest due first, so that overdue tasks come first.
func (q myTasksQuery) filter() (workflow.TaskFilter, error) {
	f := workflow.TaskFilter{Sort: "due_on", Field: strings.TrimSpace(q.Field)}
	var bad workflow.Invalid
	st := q.Status
	if st == "" {
		st = "open"
	}
	if st != "all" {
		var word string
		if f.Statuses, word = workflow.ParseStatuses(st); word != "" {
			bad.Add("status", "is not a status")
		}
	}
	if q.Document != "" {
		id, err := strconv.ParseInt(q.Document, 10, 64)
		if err != nil || id < 1 {
			bad.Add("document", "is not a document")
		}
		f.DocumentID = id
	}
	if q.Month != "" {
		m, err := time.Parse("2006-01", q.Month)
		if err != nil || m.Year() < 1945 || m.Year() > 2100 {
			bad.Add("month", "is not a month")
		} else {
			first := civil.Date{Year: m.Year(), Month: m.Month(), Day: 1}
			f.DueAfter = first.AddDays(-1)
			f.DueBefore = civil.Date{Year: m.AddDate(0, 1, 0).Year(), Month: m.AddDate(0, 1, 0).Month(), Day: 1}
		}
	}
	if len(f.Field) > 200 {
		bad.Add("field", "is too long")
	}
	return f, bad.Err()
}

var myStatusOptions = []option{{"open", "Chưa hoàn thành"}, {"assigned", "Mới giao (chưa tiếp nhận)"}, {"in_progress", "Đang thực hiện"},
	{"reported", "Đã báo cáo hoàn thành"}, {"completed", "Đã hoàn thành"}, {"cancelled", "Đã hủy"}, {"all", "Tất cả"}}

// myTasks is an agency's list of its own tasks: overdue first, then by due
// date.
func (w *webUI) myTasks(c echo.Context, actor workflow.Actor) error {
	if actor.Role != workflow.RoleAgency {
		return c.Redirect(http.StatusSeeOther, "/tasks")
	}
	q := myTasksQuery{Status: c.QueryParam("status"), Document: c.QueryParam("document"), Field: c.QueryParam("field"), Month: c.QueryParam("month")}
	f, err := q.filter()
	if err != nil {
		return w.failErr(c, actor, err)
	}
	f.Agency = actor.AgencyCode
	f.Page = workflow.Page{Limit: 50, Cursor: c.QueryParam("cursor")}
	views, next, err := w.svc.Tasks(c.Request().Context(), actor, f)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	nextURL := ""
	if next != "" {
		v := q.encode()
		v.Set("cursor", next)
		nextURL = "/my/tasks?" + v.Encode()
	}
	if q.Status == "" {
		q.Status = "open"
	}
	return w.render(c, http.StatusOK, "mytasks", view{Title: "Nhiệm vụ của tôi", Nav: "mytasks", Actor: actor, Data: map[string]any{
		"Rows": rows, "Q": q, "Next": nextURL, "Statuses": myStatusOptions,
	}})
}

// notifications lists the actor's in-app notifications, newest first.
func (w *webUI) notifications(c echo.Context, actor workflow.Actor) error {
	unread := c.QueryParam("unread") == "1"
	ns, next, err := w.svc.MyNotifications(c.Request().Context(), actor, unread, workflow.Page{Limit: 50, Cursor: c.QueryParam("cursor")})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	nextURL := ""
	if next != "" {
		v := url.Values{"cursor": {next}}
		if unread {
			v.Set("unread", "1")
		}
		nextURL = "/notifications?" + v.Encode()
	}
	return w.render(c, http.StatusOK, "notifications", view{Title: "Thông báo", Nav: "notifications", Actor: actor, Data: map[string]any{
		"Items": ns, "Next": nextURL, "Unread": unread,
	}})
}

func (w *webUI) markRead(c echo.Context, actor workflow.Actor) error {
	id, err := strconv.ParseInt(c.Param("nid"), 10, 64)
	if err != nil || id < 1 {
		return w.failErr(c, actor, workflow.NotFound("notification"))
	}
	if err := w.svc.MarkNotificationRead(c.Request().Context(), actor, id); err != nil {
		return w.failErr(c, actor, err)
	}
	// Straight to the task when the notification was opened from its link.
	if to := c.FormValue("open"); strings.HasPrefix(to, "/tasks/") && safeNext(to) == to {
		return c.Redirect(http.StatusSeeOther, to)
	}
	return c.Redirect(http.StatusSeeOther, "/notifications")
}

func (w *webUI) markAllRead(c echo.Context, actor workflow.Actor) error {
	if _, err := w.svc.MarkAllNotificationsRead(c.Request().Context(), actor); err != nil {
		return w.failErr(c, actor, err)
	}
	return c.Redirect(http.StatusSeeOther, "/notifications")
}
