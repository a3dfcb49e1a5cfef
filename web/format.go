package web

import (
	"strconv"
	"strings"

	"github.com/dondoc/dondoc/workflow"
)

// formatInt writes n the Vietnamese way: a dot between thousands (1.439).
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatDecimal writes x with prec decimals the Vietnamese way: a dot
// between thousands and a comma before the decimals (1.439,5; 43,2).
func formatDecimal(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(whole)
	out := formatInt(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-0"
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// dueWords says where a task stands against its deadline in words a person
// reads: "quá hạn 12 ngày", "đến hạn hôm nay", "còn 3 ngày làm việc".
func (w *webUI) dueWords(t workflow.TaskView) string {
	today := w.svc.Today()
	switch {
	case t.DueOn.IsZero():
		return "không có thời hạn"
	case !workflow.Status(t.Status).CanBeOverdue():
		return ""
	case t.Overdue(today):
		return "quá hạn " + formatInt(t.DaysOverdue(today)) + " ngày"
	case t.DueOn == today:
		return "đến hạn hôm nay"
	}
	n := w.svc.WorkingDaysLeft(t.DueOn, today)
	if n <= 0 {
		return "đến hạn vào ngày nghỉ sắp tới"
	}
	return "còn " + formatInt(n) + " ngày làm việc"
}
