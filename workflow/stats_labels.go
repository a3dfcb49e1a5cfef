package workflow

import (
	"strconv"
	"strings"
)

// The words of the Government Office's reports on the tasks the Government
// and the Prime Minister gave ("tình hình thực hiện nhiệm vụ Chính phủ, Thủ
// tướng Chính phủ giao"), in one place, so that the API's labels, the
// exports and the dashboard say the same thing. Their table has two
// headings of two columns each:
//
//	Đã hoàn thành   | Đúng hạn  | Quá hạn
//	Chưa hoàn thành | Trong hạn | Quá hạn
//
// Tasks without a deadline are not a category there: they are counted, and
// shown apart. The headline figure is the completion rate (CompletionRate).
const (
	LabelCompleted      = "Đã hoàn thành"
	LabelUnfinished     = "Chưa hoàn thành"
	LabelNoDeadline     = "Không có thời hạn"
	LabelCompletionRate = "Tỷ lệ hoàn thành"
	LabelTotal          = "Tổng số nhiệm vụ"
)

// CategoryHeadings are the heading each category sits under in the
// Office's table ("" for tasks without a deadline, shown apart).
var CategoryHeadings = map[Category]string{
	CategoryCompletedOnTime:   LabelCompleted,
	CategoryCompletedLate:     LabelCompleted,
	CategoryInProgressOnTime:  LabelUnfinished,
	CategoryInProgressOverdue: LabelUnfinished,
	CategoryNoDeadline:        "",
}

// CategoryColumns are the categories' column names under their heading.
var CategoryColumns = map[Category]string{
	CategoryCompletedOnTime:   "Đúng hạn",
	CategoryCompletedLate:     "Quá hạn",
	CategoryInProgressOnTime:  "Trong hạn",
	CategoryInProgressOverdue: "Quá hạn",
	CategoryNoDeadline:        LabelNoDeadline,
}

// CategoryLabels are the categories' full names, heading and column in one
// ("Chưa hoàn thành quá hạn"), for a category named on its own.
var CategoryLabels = map[Category]string{
	CategoryCompletedOnTime:   LabelCompleted + " đúng hạn",
	CategoryCompletedLate:     LabelCompleted + " quá hạn",
	CategoryInProgressOnTime:  LabelUnfinished + " trong hạn",
	CategoryInProgressOverdue: LabelUnfinished + " quá hạn",
	CategoryNoDeadline:        LabelNoDeadline,
}

// Completed is the number of tasks completed, on time or late. Tasks
// without a deadline are not in it, completed or not: they are counted
// apart.
func (c Counts) Completed() int { return c.CompletedOnTime + c.CompletedLate }

// Unfinished is the number of tasks with a deadline not yet completed.
func (c Counts) Unfinished() int { return c.InProgressOnTime + c.InProgressOverdue }

// CompletionRate is the headline figure of the Office's reports: the tasks
// completed over those completed and those unfinished past their deadline,
// as a fraction from 0 to 1; e.g. 16,051 ÷ (16,051 + 223) = 0.98629….
// Unfinished tasks still within their deadline do not lower it: they are not
// yet late. false when there is nothing to divide by (no task completed and
// none overdue).
func (c Counts) CompletionRate() (float64, bool) {
	d := c.Completed() + c.InProgressOverdue
	if d == 0 {
		return 0, false
	}
	return float64(c.Completed()) / float64(d), true
}

// CompletionPercent is CompletionRate as reports show it: a percentage cut
// to two decimals, not rounded, as the Office's figure is (98.62 for
// 16,051 ÷ 16,274 = 98.6297…%). Cutting also keeps a rate that is not 100%
// from showing as 100.00 while tasks are overdue. Integer arithmetic cuts
// exactly where a float would misplace the cut (0.29 × 10000 is 2899.99…).
func (c Counts) CompletionPercent() (float64, bool) {
	d := c.Completed() + c.InProgressOverdue
	if d == 0 {
		return 0, false
	}
	return float64(int64(c.Completed())*10000/int64(d)) / 100, true
}

// FormatPercent writes a percentage as Vietnamese reports do: two decimals
// and a decimal comma ("98,62%").
func FormatPercent(pct float64) string {
	return strings.Replace(strconv.FormatFloat(pct, 'f', 2, 64), ".", ",", 1) + "%"
}
