package workflow_test

import (
	"testing"

	"github.com/dondoc/dondoc/workflow"
)

func TestCompletionRate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		c      workflow.Counts
		ok     bool
		rate   float64
		pct    float64 // as reports show it
		format string
	}{
		// The Government Office's own example: 16,051 ÷ (16,051 + 223).
		{"the Office's figure", workflow.Counts{CompletedOnTime: 15000, CompletedLate: 1051, InProgressOverdue: 223, InProgressOnTime: 900, NoDeadline: 40},
			true, 16051.0 / 16274.0, 98.62, "98,62%"},
		// Within the deadline is not late: it does not lower the rate.
		{"nothing late", workflow.Counts{CompletedLate: 1, InProgressOnTime: 50}, true, 1, 100, "100,00%"},
		{"only overdue", workflow.Counts{InProgressOverdue: 3, InProgressOnTime: 2}, true, 0, 0, "0,00%"},
		{"two of three", workflow.Counts{CompletedOnTime: 2, InProgressOverdue: 1}, true, 2.0 / 3, 66.66, "66,66%"},
		// Cut, not rounded: 99.996% is not all done.
		{"one late in 25,000", workflow.Counts{CompletedOnTime: 24999, InProgressOverdue: 1}, true, 24999.0 / 25000, 99.99, "99,99%"},
		// Where a float cut would give 28.99.
		{"29 of 100", workflow.Counts{CompletedOnTime: 29, InProgressOverdue: 71}, true, 0.29, 29, "29,00%"},
		// Nothing completed and nothing overdue: no rate, rather than 0 or 100.
		{"nothing to divide by", workflow.Counts{InProgressOnTime: 4, NoDeadline: 7}, false, 0, 0, ""},
		{"no tasks", workflow.Counts{}, false, 0, 0, ""},
	}
	for _, c := range cases {
		rate, ok := c.c.CompletionRate()
		if ok != c.ok || rate != c.rate {
			t.Errorf("%s: rate %v, %v; want %v, %v", c.name, rate, ok, c.rate, c.ok)
		}
		pct, ok := c.c.CompletionPercent()
		if ok != c.ok || pct != c.pct {
			t.Errorf("%s: per cent %v, %v; want %v, %v", c.name, pct, ok, c.pct, c.ok)
		}
		if ok && workflow.FormatPercent(pct) != c.format {
			t.Errorf("%s: %s, want %s", c.name, workflow.FormatPercent(pct), c.format)
		}
	}
}

// The four categories sit under the Office's two headings; tasks without a
// deadline sit under none.
func TestCategoryLabels(t *testing.T) {
	t.Parallel()
	want := map[workflow.Category][3]string{
		workflow.CategoryCompletedOnTime:   {"Đã hoàn thành", "Đúng hạn", "Đã hoàn thành đúng hạn"},
		workflow.CategoryCompletedLate:     {"Đã hoàn thành", "Quá hạn", "Đã hoàn thành quá hạn"},
		workflow.CategoryInProgressOnTime:  {"Chưa hoàn thành", "Trong hạn", "Chưa hoàn thành trong hạn"},
		workflow.CategoryInProgressOverdue: {"Chưa hoàn thành", "Quá hạn", "Chưa hoàn thành quá hạn"},
		workflow.CategoryNoDeadline:        {"", "Không có thời hạn", "Không có thời hạn"},
	}
	if len(workflow.Categories) != len(want) || len(workflow.DeadlineCategories) != 4 {
		t.Fatalf("categories %v, of which with a deadline %v", workflow.Categories, workflow.DeadlineCategories)
	}
	for _, c := range workflow.Categories {
		got := [3]string{workflow.CategoryHeadings[c], workflow.CategoryColumns[c], workflow.CategoryLabels[c]}
		if got != want[c] {
			t.Errorf("%s: %q, want %q", c, got, want[c])
		}
	}
	for _, c := range workflow.DeadlineCategories {
		if c == workflow.CategoryNoDeadline {
			t.Error("no deadline is among the four categories")
		}
	}
}
