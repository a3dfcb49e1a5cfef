package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/exports"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// option is one choice of a <select>.
type option struct{ Value, Label string }

// statsQuery is the dashboard's filters, from the query string.
type statsQuery struct {
	Period, Role, Kind, Sort, Field string
}

func (w *webUI) statsQuery(c echo.Context) statsQuery {
	q := statsQuery{Period: c.QueryParam("period"), Role: c.QueryParam("role"), Kind: c.QueryParam("kind"), Sort: c.QueryParam("sort"),
		Field: strings.TrimSpace(c.QueryParam("field"))}
	if q.Period == "" {
		q.Period = strconv.Itoa(w.svc.Today().Year)
	}
	return q
}

func (q statsQuery) encode() string {
	v := url.Values{}
	for k, x := range map[string]string{"period": q.Period, "role": q.Role, "kind": q.Kind, "sort": q.Sort, "field": q.Field} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

func (w *webUI) statsFilter(q statsQuery) (workflow.StatsFilter, error) {
	f := workflow.StatsFilter{Role: q.Role, Kind: q.Kind, Sort: q.Sort, Field: q.Field}
	var err error
	if q.Period == "all" {
		f.Period, err = workflow.PeriodOf(civil.Date{}, civil.Date{})
	} else {
		f.Period, err = workflow.ParsePeriod(q.Period, w.svc.Today())
	}
	return f, err
}

func (w *webUI) periodOptions() []option {
	today := w.svc.Today()
	cur, prev := workflow.ReportingMonthOf(today), workflow.ReportingMonthOf(today).Previous()
	y := strconv.Itoa(today.Year)
	q := y + "-Q" + strconv.Itoa((int(today.Month)+2)/3)
	qp, _ := workflow.ParsePeriod(q, today)
	return []option{
		{y, "Năm " + y},
		{q, qp.Label},
		{"reporting-current", cur.Label},
		{"reporting-previous", prev.Label},
		{strconv.Itoa(today.Year - 1), "Năm " + strconv.Itoa(today.Year-1)},
		{"all", "Toàn bộ thời gian"},
	}
}

var (
	roleOptions = []option{{"lead", "Nhiệm vụ chủ trì"}, {"coordinator", "Nhiệm vụ phối hợp"}, {"all", "Chủ trì và phối hợp"}}
	sortOptions = []option{{"agency", "Theo thứ tự cơ quan"}, {"-in_progress_overdue", "Nhiều nhiệm vụ quá hạn nhất"},
		{"-total", "Nhiều nhiệm vụ nhất"}, {"-completed_late", "Nhiều nhiệm vụ hoàn thành quá hạn nhất"}}
)

func kindOptions() []option {
	out := []option{{"", "Tất cả các loại cơ quan"}}
	for _, k := range catalog.Kinds() {
		out = append(out, option{string(k), kindLabels[string(k)]})
	}
	return out
}

// card is one of the dashboard's five totals.
type card struct {
	Key   string
	Label string
	Value int
	Of    int
}

// bar is one agency in the chart of overdue tasks.
type bar struct {
	Code, Name string
	Value      int
	Width      float64 // percent of the longest bar
}

func overdueBars(items []workflow.AgencyCounts, n int) []bar {
	var bars []bar
	for _, it := range items {
		if it.InProgressOverdue > 0 {
			name := it.AgencyShortName
			if name == "" {
				name = it.AgencyName
			}
			bars = append(bars, bar{Code: it.AgencyCode, Name: name, Value: it.InProgressOverdue})
		}
	}
	slices.SortStableFunc(bars, func(a, b bar) int { return b.Value - a.Value })
	if len(bars) > n {
		bars = bars[:n]
	}
	for i := range bars {
		bars[i].Width = 100 * float64(bars[i].Value) / float64(bars[0].Value)
	}
	return bars
}

func (w *webUI) dashboard(c echo.Context, actor workflow.Actor) error {
	if !actor.SeesAllAgencies() {
		return c.Redirect(http.StatusSeeOther, "/my/tasks")
	}
	q := w.statsQuery(c)
	f, err := w.statsFilter(q)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	st, err := w.svc.AgencyStats(c.Request().Context(), actor, f)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	dueSoon, overdue, err := w.dueLists(c, actor, q.Field)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	cards := []card{{Key: "total", Label: "Tổng số nhiệm vụ", Value: st.Totals.Total, Of: st.Totals.Total}}
	for _, cat := range workflow.Categories {
		cards = append(cards, card{Key: string(cat), Label: workflow.CategoryLabels[cat], Value: st.Totals.Of(cat), Of: st.Totals.Total})
	}
	return w.render(c, http.StatusOK, "dashboard", view{Title: "Tổng quan", Nav: "dashboard", Actor: actor, Data: map[string]any{
		"DueSoon": dueSoon, "Overdue": overdue,
		"OverdueURL": "/tasks?" + tasksQuery{Overdue: "true", Sort: "-days_overdue"}.encode(),
		"Stats":      st, "Q": q, "XLSXURL": "/export/agencies.xlsx?" + q.encode(), "Cards": cards, "Bars": overdueBars(st.Items, 15), "Categories": workflow.Categories,
		"Periods": w.periodOptions(), "Roles": roleOptions, "Kinds": kindOptions(), "Sorts": sortOptions,
	}})
}

// tasksQuery is the task list's filters. With none given the list is the
// overdue review: overdue tasks, the longest overdue first.
type tasksQuery struct {
	Agency, Role, Status, Overdue, Q, Sort string
}

func (w *webUI) tasksQuery(c echo.Context) tasksQuery {
	if c.QueryParam("f") == "" {
		return tasksQuery{Agency: c.QueryParam("agency"), Overdue: "true", Sort: "-days_overdue"}
	}
	return tasksQuery{Agency: c.QueryParam("agency"), Role: c.QueryParam("role"), Status: c.QueryParam("status"),
		Overdue: c.QueryParam("overdue"), Q: c.QueryParam("q"), Sort: c.QueryParam("sort")}
}

func (q tasksQuery) encode() string {
	v := url.Values{"f": {"1"}}
	for k, x := range map[string]string{"agency": q.Agency, "role": q.Role, "status": q.Status, "overdue": q.Overdue, "q": q.Q, "sort": q.Sort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

func (q tasksQuery) filter(actor workflow.Actor) (workflow.TaskFilter, error) {
	f := workflow.TaskFilter{Agency: q.Agency, Q: q.Q, Sort: q.Sort}
	if q.Role == "lead" || q.Role == "coordinator" {
		f.Role = workflow.TaskRole(q.Role)
	}
	if q.Overdue == "true" || q.Overdue == "false" {
		v := q.Overdue == "true"
		f.Overdue = &v
	}
	if !slices.Contains(workflow.TaskSorts, f.Sort) {
		f.Sort = "id"
	}
	if len(q.Q) > 200 || len(q.Agency) > 40 || len(q.Status) > 100 {
		return workflow.TaskFilter{}, workflow.Invalid{{Field: "q", Message: "is too long"}}.Err()
	}
	var bad string
	if f.Statuses, bad = workflow.ParseStatuses(q.Status); bad != "" {
		return f, workflow.Invalid{{Field: "status", Message: "is not a status"}}.Err()
	}
	if !actor.SeesAllAgencies() {
		f.Agency = actor.AgencyCode
	}
	return f, nil
}

// taskRow is a task in the list, with what the overdue review shows.
type taskRow struct {
	workflow.TaskView
	Overdue     bool
	DaysOverdue int
	Extras      *workflow.TaskExtras
}

var statusOptions = []option{{"", "Tất cả trạng thái"}, {"open", "Chưa hoàn thành"}, {"assigned", "Mới giao"}, {"in_progress", "Đang thực hiện"},
	{"reported", "Đã báo cáo hoàn thành"}, {"completed", "Đã hoàn thành"}, {"cancelled", "Đã hủy"}}
var overdueOptions = []option{{"", "Tất cả"}, {"true", "Chỉ nhiệm vụ quá hạn"}, {"false", "Không quá hạn"}}
var taskSortOptions = []option{{"-days_overdue", "Quá hạn lâu nhất trước"}, {"due_on", "Hạn gần nhất trước"}, {"-due_on", "Hạn xa nhất trước"},
	{"-id", "Mới giao nhất trước"}, {"id", "Giao sớm nhất trước"}}

func (w *webUI) taskRows(c echo.Context, views []workflow.TaskView) ([]taskRow, error) {
	extras, err := w.svc.TaskExtrasFor(c.Request().Context(), views)
	if err != nil {
		return nil, err
	}
	today := w.svc.Today()
	rows := make([]taskRow, len(views))
	for i, v := range views {
		rows[i] = taskRow{TaskView: v, Overdue: v.Overdue(today), DaysOverdue: v.DaysOverdue(today), Extras: extras[v.ID]}
	}
	return rows, nil
}

func (w *webUI) tasks(c echo.Context, actor workflow.Actor) error {
	ctx := c.Request().Context()
	q := w.tasksQuery(c)
	if !actor.SeesAllAgencies() {
		q.Agency = actor.AgencyCode // what the list shows, whatever the link asked for
	}
	f, err := q.filter(actor)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	agencyName := q.Agency
	if q.Agency != "" {
		if a, err := w.svc.Agency(ctx, q.Agency); err == nil {
			agencyName = a.Name
		}
	}
	f.Page = workflow.Page{Limit: 50, Cursor: c.QueryParam("cursor")}
	views, next, err := w.svc.Tasks(ctx, actor, f)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	var agencies []catalog.Agency
	if actor.SeesAllAgencies() {
		if agencies, err = w.svc.Agencies(ctx, workflow.AgencyFilter{ActiveOn: w.svc.Today()}); err != nil {
			return w.failErr(c, actor, err)
		}
	}
	nextURL := ""
	if next != "" {
		nextURL = "/tasks?" + q.encode() + "&cursor=" + url.QueryEscape(next)
	}
	return w.render(c, http.StatusOK, "tasks", view{Title: "Danh sách nhiệm vụ", Nav: "tasks", Actor: actor, Data: map[string]any{
		"Rows": rows, "Q": q, "CSVURL": "/export/tasks.csv?" + q.encode(), "FirstURL": "/tasks?" + q.encode(), "Next": nextURL, "First": c.QueryParam("cursor") == "", "Agencies": agencies, "AgencyName": agencyName,
		"Statuses": statusOptions, "Overdues": overdueOptions, "Roles": roleOptions[:2], "Sorts": taskSortOptions,
	}})
}

func (w *webUI) urge(c echo.Context, actor workflow.Actor) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return w.failErr(c, actor, workflow.NotFound("task"))
	}
	if _, err := w.svc.Urge(c.Request().Context(), actor, id, c.FormValue("message")); err != nil {
		return w.failErr(c, actor, err)
	}
	return c.Redirect(http.StatusSeeOther, "/tasks/"+strconv.FormatInt(id, 10)+"?urged=1#lich-su")
}

func (w *webUI) agency(c echo.Context, actor workflow.Actor) error {
	return w.agencyPage(c, actor, c.Param("code"), "")
}

func (w *webUI) agencyPage(c echo.Context, actor workflow.Actor, code, feedURL string) error {
	ctx := c.Request().Context()
	if !actor.CanSeeAgency(code) {
		return w.failErr(c, actor, workflow.NotFound("agency"))
	}
	a, err := w.svc.Agency(ctx, code)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	today := w.svc.Today()
	year, _ := workflow.ParsePeriod(strconv.Itoa(today.Year), today)
	st, err := w.svc.AgencyStats(ctx, actor, workflow.StatsFilter{Agency: code, Period: year})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	trend, err := w.svc.Trend(ctx, actor, code, 12, workflow.StatsFilter{})
	if err != nil {
		return w.failErr(c, actor, err)
	}
	chart := trendSVG(trend)
	slices.Reverse(trend) // the latest month first
	// The list counts the same period as the cards above it (issue 17.10):
	// the tasks behind the card "in progress, overdue".
	var views []workflow.TaskView
	errEnough := errors.New("enough")
	err = w.svc.StatsTasks(ctx, actor, workflow.StatsFilter{Agency: code, Period: year}, st.AsOf, workflow.CategoryInProgressOverdue,
		func(t workflow.TaskView) error {
			views = append(views, t)
			if len(views) == 20 {
				return errEnough
			}
			return nil
		})
	if err != nil && !errors.Is(err, errEnough) {
		return w.failErr(c, actor, err)
	}
	slices.SortStableFunc(views, func(a, b workflow.TaskView) int { return a.DueOn.Compare(b.DueOn) })
	rows, err := w.taskRows(c, views)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	return w.render(c, http.StatusOK, "agency", view{Title: a.Name, Nav: "agency", Actor: actor, Data: map[string]any{
		"A": a, "Year": st, "Trend": trend, "Chart": chart, "Rows": rows, "Categories": workflow.Categories, "FeedURL": feedURL,
		"TasksURL": "/tasks?" + tasksQuery{Agency: code}.encode(),
	}})
}

// feedBase is where the API serves the calendar feeds (api.BasePath).
const feedBase = "/api/v1"

// feedToken makes the user a calendar feed token and shows the agency page
// with the feed's address, once: it is not put in a URL of this site.
func (w *webUI) feedToken(c echo.Context, actor workflow.Actor) error {
	code := c.FormValue("agency")
	if !actor.CanSeeAgency(code) {
		return w.failErr(c, actor, workflow.NotFound("agency"))
	}
	tok, err := w.svc.CreateFeedToken(c.Request().Context(), actor)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	feed := w.svc.BaseURL() + feedBase + "/agencies/" + url.PathEscape(code) + "/deadlines.ics?token=" + tok
	return w.agencyPage(c, actor, code, feed)
}

func (w *webUI) exportCSV(c echo.Context, actor workflow.Actor) error {
	f, err := w.tasksQuery(c).filter(actor)
	if err != nil {
		return w.failErr(c, actor, err)
	}
	probe := f
	probe.Page = workflow.Page{Limit: 1}
	if _, _, err := w.svc.Tasks(c.Request().Context(), actor, probe); err != nil {
		return w.failErr(c, actor, err)
	}
	h := c.Response().Header()
	h.Set("Content-Type", exports.CSVType)
	h.Set("Content-Disposition", exports.Attachment(exports.TasksCSVName))
	c.Response().WriteHeader(http.StatusOK)
	if err := exports.WriteTasksCSV(c.Request().Context(), c.Response(), w.svc, actor, f); err != nil {
		w.log.Error("tasks.csv stopped part way", "err", err)
	}
	return nil
}

func (w *webUI) exportXLSX(c echo.Context, actor workflow.Actor) error {
	f, err := w.statsFilter(w.statsQuery(c))
	if err != nil {
		return w.failErr(c, actor, err)
	}
	var buf bytes.Buffer
	if err := exports.WriteAgenciesXLSX(c.Request().Context(), &buf, w.svc, actor, f); err != nil {
		return w.failErr(c, actor, err)
	}
	c.Response().Header().Set("Content-Disposition", exports.Attachment(exports.AgenciesXLSXName))
	return c.Blob(http.StatusOK, exports.XLSXType, buf.Bytes())
}

// dueLists are the dashboard's two short lists: the open tasks due within
// the next 5 working days, and the longest overdue, in field when given.
func (w *webUI) dueLists(c echo.Context, actor workflow.Actor, field string) (soon, overdue []taskRow, err error) {
	ctx := c.Request().Context()
	today := w.svc.Today()
	until, err := w.svc.AddWorkingDays(today, 5)
	if err != nil {
		return nil, nil, err
	}
	views, _, err := w.svc.Tasks(ctx, actor, workflow.TaskFilter{Statuses: []workflow.Status{workflow.StatusAssigned, workflow.StatusInProgress},
		DueAfter: today.AddDays(-1), DueBefore: until.AddDays(1), Field: field, Sort: "due_on", Page: workflow.Page{Limit: 10}})
	if err != nil {
		return nil, nil, err
	}
	if soon, err = w.taskRows(c, views); err != nil {
		return nil, nil, err
	}
	yes := true
	views, _, err = w.svc.Tasks(ctx, actor, workflow.TaskFilter{Overdue: &yes, Field: field, Sort: "-days_overdue", Page: workflow.Page{Limit: 10}})
	if err != nil {
		return nil, nil, err
	}
	overdue, err = w.taskRows(c, views)
	return soon, overdue, err
}
