package exports

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/dondoc/dondoc/workflow"
)

// AgenciesCSVName is GET /reports/agencies.csv as browsers save it.
const AgenciesCSVName = "bao-cao-nhiem-vu.csv"

// AgenciesCSVHeader is the header row of GET /reports/agencies.csv: the
// Government Office's four categories, each as "heading — column"
// ("Chưa hoàn thành — Quá hạn"), with the tasks they add up to, the
// completion rate, and apart, last, the tasks without a deadline.
func AgenciesCSVHeader() []string {
	h := []string{"STT", "Mã cơ quan", "Cơ quan", XLSXWithDeadline}
	for _, cat := range workflow.DeadlineCategories {
		h = append(h, workflow.CategoryHeadings[cat]+" — "+workflow.CategoryColumns[cat])
	}
	return append(h, workflow.LabelCompletionRate, XLSXNoDeadline)
}

// WriteAgenciesCSV writes the statistics of a filter as CSV, one row per
// agency and a last row of totals ("Tổng cộng"), the rate as the reports
// write it ("98,62%", empty when there is none).
func WriteAgenciesCSV(ctx context.Context, w io.Writer, s *workflow.Service, actor workflow.Actor, f workflow.StatsFilter) error {
	st, err := s.AgencyStats(ctx, actor, f)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(AgenciesCSVHeader()); err != nil {
		return err
	}
	row := func(n, code, name string, c workflow.Counts) []string {
		r := []string{n, Neutralise(code), Neutralise(name), strconv.Itoa(c.Completed() + c.Unfinished())}
		for _, cat := range workflow.DeadlineCategories {
			r = append(r, strconv.Itoa(c.Of(cat)))
		}
		rate := ""
		if pct, ok := c.CompletionPercent(); ok {
			rate = workflow.FormatPercent(pct)
		}
		return append(r, rate, strconv.Itoa(c.NoDeadline))
	}
	for i, it := range st.Items {
		if err := cw.Write(row(strconv.Itoa(i+1), it.AgencyCode, it.AgencyName, it.Counts)); err != nil {
			return err
		}
	}
	if err := cw.Write(row("Tổng cộng", "", "", st.Totals)); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
