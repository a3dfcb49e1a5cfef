package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// The task page and its forms: each form posts to the same workflow service
// as the API, carries the task's version (the API's If-Match), and comes
// back with what was typed and the error beside the field when it fails.

// formState is a posted form that failed: which one, what was typed, and
// what is wrong, by field.
type formState struct {
	Form    string // "acknowledge", "progress", …, "extension", "decide-<id>"
	Values  url.Values
	Errors  map[string]string
	Message string // above the forms
	Stale   bool
}

// Is reports whether the failed form is name.
func (f *formState) Is(name string) bool { return f != nil && f.Form == name }

// Val is what was typed in field of form name.
func (f *formState) Val(name, field string) string {
	if !f.Is(name) {
		return ""
	}
	return f.Values.Get(field)
}

// Err is the error of field of form name.
func (f *formState) Err(name, field string) string {
	if !f.Is(name) {
		return ""
	}
	return f.Errors[field]
}

// actionForms are the task's forms, in the order the page shows them.
var actionForms = []string{"acknowledge", "progress", "report_done", "confirm", "return", "cancel", "reopen"}

var doneMessages = map[string]string{
	"acknowledge": "Đã tiếp nhận nhiệm vụ.", "progress": "Đã gửi báo cáo tiến độ.", "report_done": "Đã gửi báo cáo hoàn thành.",
	"confirm": "Đã xác nhận hoàn thành.", "return": "Đã trả lại nhiệm vụ kèm ý kiến.", "cancel": "Đã hủy nhiệm vụ.",
	"reopen": "Đã mở lại nhiệm vụ.", "extension": "Đã gửi đề nghị gia hạn.", "approve": "Đã đồng ý gia hạn.",
	"reject": "Đã từ chối đề nghị gia hạn.",
}

// fieldMessage says in Vietnamese what is wrong with a field.
func fieldMessage(fe workflow.FieldError, value string) string {
	if strings.Contains(fe.Message, "longer than") {
		return "Nội dung quá dài."
	}
	switch fe.Field {
	case "comment":
		return "Vui lòng nhập ý kiến."
	case "report", "body":
		return "Vui lòng nhập nội dung báo cáo."
	case "percent":
		return "Tỷ lệ hoàn thành phải là số từ 0 đến 100."
	case "reason":
		return "Vui lòng nêu lý do."
	case "files":
		if strings.Contains(fe.Message, "at most") {
			return "Chỉ gửi kèm tối đa " + strconv.Itoa(workflow.MaxAttachments) + " tệp mỗi lần."
		}
		return "Thao tác này không nhận tệp đính kèm."
	case "requested_due_on":
		switch {
		case value == "":
			return "Vui lòng chọn ngày đề nghị gia hạn."
		case strings.Contains(fe.Message, "after"):
			return "Ngày đề nghị phải sau hạn hiện tại."
		case strings.Contains(fe.Message, "years"):
			return "Ngày đề nghị không được quá 5 năm kể từ hôm nay."
		}
		return "Ngày không hợp lệ (ngày/tháng/năm)."
	case "due_on": // the date an extension is granted to
		switch {
		case strings.Contains(fe.Message, "after"):
			return "Ngày gia hạn phải sau hạn hiện tại của nhiệm vụ."
		case strings.Contains(fe.Message, "years"):
			return "Ngày gia hạn không được quá 5 năm kể từ hôm nay."
		}
		return "Ngày gia hạn không hợp lệ."
	}
	return "Giá trị không hợp lệ."
}

func taskID(c echo.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

// version reads the form's task version; nil when absent.
func version(c echo.Context) *int {
	v, err := strconv.Atoi(c.FormValue("version"))
	if err != nil {
		return nil
	}
	return &v
}

func (w *webUI) task(c echo.Context, actor workflow.Actor) error {
	id, ok := taskID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("task"))
	}
	return w.taskPage(c, actor, id, http.StatusOK, nil)
}

// taskPage shows a task with the forms of what the actor may do now; form
// is the form that failed, if any.
func (w *webUI) taskPage(c echo.Context, actor workflow.Actor, id int64, status int, form *formState) error {
	ctx := c.Request().Context()
	t, err := w.svc.Task(ctx, actor, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	evs, err := w.svc.Events(ctx, actor, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	reports, reportFiles, err := w.svc.ReportsWithFiles(ctx, actor, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	exts, err := w.svc.Extensions(ctx, actor, id)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	extFiles, err := w.svc.ExtensionFiles(ctx, exts)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, []workflow.TaskView{t})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	pending := slices.ContainsFunc(exts, func(e models.ExtensionRequest) bool { return e.Status == workflow.ExtensionPending })
	allowed := map[string]bool{}
	for _, a := range workflow.AllowedActions(actor, workflow.Status(t.Status), t.AgencyCode) {
		allowed[string(a)] = true
	}
	allowed["progress"] = workflow.CanAddReport(actor, t.Task)
	allowed["extension"] = workflow.CanRequestExtension(actor, t.Task, pending)
	cat, _ := workflow.CategoryOf(t.Task, w.svc.Today())
	if form == nil {
		form = &formState{}
	}
	return w.render(c, status, "task", view{Title: "Nhiệm vụ #" + strconv.FormatInt(id, 10), Nav: "tasks", Actor: actor, Data: map[string]any{
		"T": rows[0], "Events": evs, "Reports": reports, "Extensions": exts, "ReportFiles": reportFiles, "ExtensionFiles": extFiles,
		"MaxFiles": workflow.MaxAttachments, "MaxFileSize": sizeWords(w.svc.MaxFileSize()), "Category": cat, "Urged": c.QueryParam("urged") != "",
		"CanUrge":   actor.Is(workflow.RoleLeader, workflow.RoleSecretariat) && workflow.Status(t.Status).Open(),
		"Allowed":   allowed,
		"CanDecide": workflow.CanDecideExtension(actor),
		"Form":      form,
		"Done":      doneMessages[c.QueryParam("done")],
		"Due":       w.dueWords(t),
	}})
}

// formFailed shows the task page again after a form failed: a stale page
// gets the fresh task and a message, a wrong field its error beside it.
func (w *webUI) formFailed(c echo.Context, actor workflow.Actor, id int64, name string, err error) error {
	form := typedForm(c, name)
	if st, msg, ok := fileRefusal(err); ok {
		form.Errors["files"] = msg + " Vui lòng chọn lại tệp."
		form.Message = "Biểu mẫu có lỗi, vui lòng xem các ô được đánh dấu."
		return w.taskPage(c, actor, id, st, form)
	}
	status := http.StatusUnprocessableEntity
	switch workflow.KindOf(err) {
	case workflow.KindNotFound:
		return w.failErr(c, actor, err)
	case workflow.KindStale:
		status, form.Stale = http.StatusConflict, true
		form.Message = "Nhiệm vụ vừa được người khác cập nhật sau khi bạn mở trang. Dưới đây là nhiệm vụ mới nhất; nội dung bạn đã nhập vẫn được giữ. Vui lòng xem lại rồi gửi lại."
	case workflow.KindConflict:
		status = http.StatusConflict
		form.Message = "Không thể thực hiện thao tác này với nhiệm vụ ở trạng thái hiện tại. Trang đã được cập nhật."
	case workflow.KindForbidden:
		status = http.StatusForbidden
		form.Message = "Bạn không có quyền thực hiện thao tác này."
	case workflow.KindInvalid:
		var de *workflow.Error
		if errors.As(err, &de) {
			for _, fe := range de.Fields {
				form.Errors[fe.Field] = fieldMessage(fe, c.FormValue(fe.Field))
			}
		}
		form.Message = "Biểu mẫu có lỗi, vui lòng xem các ô được đánh dấu."
	default:
		return w.failErr(c, actor, err)
	}
	return w.taskPage(c, actor, id, status, form)
}

// grantedDateFailed shows the task page again with the decision form as
// typed and text beside its date field.
func (w *webUI) grantedDateFailed(c echo.Context, actor workflow.Actor, id int64, name, text string) error {
	form := typedForm(c, name)
	form.Errors["due_on"] = text
	form.Message = "Biểu mẫu có lỗi, vui lòng xem các ô được đánh dấu."
	return w.taskPage(c, actor, id, http.StatusUnprocessableEntity, form)
}

// typedForm is form name as it was typed, for the page to show it again.
func typedForm(c echo.Context, name string) *formState {
	form := &formState{Form: name, Values: url.Values{}, Errors: map[string]string{}}
	if ps, err := c.FormParams(); err == nil {
		for k, v := range ps {
			if k != csrfField && k != "version" {
				form.Values[k] = v
			}
		}
	}
	return form
}

func taskURL(id int64, done string) string {
	return "/tasks/" + strconv.FormatInt(id, 10) + "?" + url.Values{"done": {done}}.Encode()
}

// taskAction applies one of the task's actions: a transition of the state
// table, or a progress report.
func (w *webUI) taskAction(c echo.Context, actor workflow.Actor) error {
	ctx := c.Request().Context()
	id, ok := taskID(c)
	name := c.Param("action")
	if !ok || !slices.Contains(actionForms, name) {
		return w.failErr(c, actor, workflow.NotFound("task action"))
	}
	files, err := uploaded(c)
	if err != nil {
		return w.formFailed(c, actor, id, name, err)
	}
	if name == "progress" {
		in := workflow.NewReport{Body: c.FormValue("body"), IfMatch: version(c), Files: files}
		if p := strings.TrimSpace(c.FormValue("percent")); p != "" {
			n, perr := strconv.Atoi(p)
			if perr != nil {
				return w.formFailed(c, actor, id, name, workflow.Invalid{{Field: "percent", Message: "is not a number"}}.Err())
			}
			in.Percent = &n
		}
		_, err = w.svc.AddReport(ctx, actor, id, in)
	} else {
		_, err = w.svc.Transition(ctx, actor, id, workflow.TransitionInput{Action: workflow.Action(name),
			Comment: c.FormValue("comment"), Report: c.FormValue("report"), IfMatch: version(c), Files: files})
	}
	if err != nil {
		return w.formFailed(c, actor, id, name, err)
	}
	return c.Redirect(http.StatusSeeOther, taskURL(id, name))
}

func (w *webUI) requestExtension(c echo.Context, actor workflow.Actor) error {
	id, ok := taskID(c)
	if !ok {
		return w.failErr(c, actor, workflow.NotFound("task"))
	}
	files, err := uploaded(c)
	if err != nil {
		return w.formFailed(c, actor, id, "extension", err)
	}
	day, ok := parseDay(c.FormValue("requested_due_on"))
	if !ok {
		return w.formFailed(c, actor, id, "extension", workflow.Invalid{{Field: "requested_due_on", Message: "is not a date"}}.Err())
	}
	_, err = w.svc.RequestExtension(c.Request().Context(), actor, id, workflow.NewExtension{RequestedDueOn: day,
		Reason: c.FormValue("reason"), IfMatch: version(c), Files: files})
	if err != nil {
		return w.formFailed(c, actor, id, "extension", err)
	}
	return c.Redirect(http.StatusSeeOther, taskURL(id, "extension"))
}

func (w *webUI) decideExtension(c echo.Context, actor workflow.Actor) error {
	id, ok := taskID(c)
	eid, err := strconv.ParseInt(c.Param("eid"), 10, 64)
	if !ok || err != nil || eid < 1 {
		return w.failErr(c, actor, workflow.NotFound("extension request"))
	}
	approve := c.FormValue("decision") == "approve"
	name := "decide-" + strconv.FormatInt(eid, 10)
	in := workflow.Decision{Approve: approve, Comment: c.FormValue("comment"), IfMatch: version(c)}
	if approve {
		// The date granted, as on the extensions queue: empty grants the
		// requested one.
		day, ok := parseDay(c.FormValue("due_on"))
		if !ok {
			return w.grantedDateFailed(c, actor, id, name, "Ngày không hợp lệ, nhập theo dạng ngày/tháng/năm (ví dụ 30/09/2022).")
		}
		if !day.IsZero() {
			in.DueOn = &day
		}
	}
	if _, err := w.svc.DecideExtension(c.Request().Context(), actor, eid, in); err != nil {
		return w.formFailed(c, actor, id, name, err)
	}
	done := "reject"
	if approve {
		done = "approve"
	}
	back := c.FormValue("back")
	if back == "/queue/extensions" {
		return c.Redirect(http.StatusSeeOther, back+"?"+url.Values{"done": {done}}.Encode())
	}
	return c.Redirect(http.StatusSeeOther, taskURL(id, done))
}
