package workflow_test

import (
	"errors"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

// Each kind of reporting period, with its first and last day written out
// from Nghị định 09/2019/NĐ-CP Art. 12, and the days either side of its
// cut-offs: the 14th is in, the 15th out, at both ends.
func TestReportingPeriodsCutOnThe14th(t *testing.T) {
	t.Parallel()
	today := civil.MustDate("2026-07-01")
	cases := []struct {
		period, from, to, label string
	}{
		{"reporting-2026-03", "2026-02-15", "2026-03-14", "Tháng báo cáo 3/2026 (từ 15/02/2026 đến 14/03/2026)"},
		{"reporting-2026-01", "2025-12-15", "2026-01-14", "Tháng báo cáo 1/2026 (từ 15/12/2025 đến 14/01/2026)"},
		{"reporting-2026-Q1", "2025-12-15", "2026-03-14", "Quý báo cáo I/2026 (từ 15/12/2025 đến 14/03/2026)"},
		{"reporting-2026-Q2", "2026-03-15", "2026-06-14", "Quý báo cáo II/2026 (từ 15/03/2026 đến 14/06/2026)"},
		{"reporting-2026-Q3", "2026-06-15", "2026-09-14", "Quý báo cáo III/2026 (từ 15/06/2026 đến 14/09/2026)"},
		{"reporting-2026-Q4", "2026-09-15", "2026-12-14", "Quý báo cáo IV/2026 (từ 15/09/2026 đến 14/12/2026)"},
		{"reporting-2026-H1", "2025-12-15", "2026-06-14", "Kỳ báo cáo 6 tháng đầu năm 2026 (từ 15/12/2025 đến 14/06/2026)"},
		{"reporting-2026-H2", "2026-06-15", "2026-12-14", "Kỳ báo cáo 6 tháng cuối năm 2026 (từ 15/06/2026 đến 14/12/2026)"},
		{"reporting-2026", "2025-12-15", "2026-12-14", "Năm báo cáo 2026 (từ 15/12/2025 đến 14/12/2026)"},
	}
	for _, c := range cases {
		p, err := workflow.ParsePeriod(c.period, today)
		if err != nil {
			t.Errorf("%s: %v", c.period, err)
			continue
		}
		from, to := civil.MustDate(c.from), civil.MustDate(c.to)
		if p.From != from || p.To != to || p.Label != c.label {
			t.Errorf("%s = %v..%v %q, want %s..%s %q", c.period, p.From, p.To, p.Label, c.from, c.to, c.label)
		}
		if key := c.period[len("reporting-"):]; p.Reporting != key {
			t.Errorf("%s: key %q, want %q", c.period, p.Reporting, key)
		}
		for d, in := range map[civil.Date]bool{from.AddDays(-1): false, from: true, to: true, to.AddDays(1): false} {
			if p.Contains(d) != in {
				t.Errorf("%s contains %v = %v, want %v", c.period, d, !in, in)
			}
		}
		// The same bounds given as from/to are the same reporting period,
		// so that its snapshot serves them.
		q, err := workflow.PeriodOf(from, to)
		if err != nil || q != p {
			t.Errorf("PeriodOf(%s, %s) = %+v, %v; want %+v", c.from, c.to, q, err, p)
		}
		// One day off at either end is an ordinary span.
		if q, _ := workflow.PeriodOf(from.AddDays(1), to); q.Reporting != "" {
			t.Errorf("PeriodOf(%v, %s) = reporting period %s", from.AddDays(1), c.to, q.Reporting)
		}
	}
	if p, _ := workflow.ParsePeriod("reporting-2026-03", today); p.Month != "2026-03" {
		t.Errorf("a reporting month's Month = %q", p.Month)
	}
	if p, _ := workflow.ParsePeriod("reporting-2026-Q1", today); p.Month != "" {
		t.Errorf("a reporting quarter's Month = %q, want none", p.Month)
	}
}

func TestPeriodShortcuts(t *testing.T) {
	t.Parallel()
	today := civil.MustDate("2026-04-20")
	all, err := workflow.ParsePeriod("all", today)
	if err != nil || !all.From.IsZero() || !all.To.IsZero() || all.Reporting != "" || all.Label != "Toàn bộ thời gian" {
		t.Errorf("all = %+v, %v", all, err)
	}
	cur, _ := workflow.ParsePeriod("reporting-current", today)
	if cur.Reporting != "2026-05" {
		t.Errorf("reporting-current on 20/04/2026 = %s", cur.Reporting)
	}
	for _, bad := range []string{"reporting-2026-13", "reporting-2026-00", "reporting-2026-Q5", "reporting-2026-H3", "reporting-26", "All", "2026-Q0"} {
		_, err := workflow.ParsePeriod(bad, today)
		if !errors.Is(err, workflow.ErrInvalid) {
			t.Errorf("%s: %v, want invalid", bad, err)
		}
	}
}
