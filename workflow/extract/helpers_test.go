package extract

import (
	"fmt"
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// newTestExtractor builds an extractor over the shipped catalog, with today
// fixed so that current successors do not depend on the day tests run.
func newTestExtractor(t testing.TB) *Extractor {
	t.Helper()
	list, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return New(catalog.New(list), nil).WithToday(func() civil.Date { return civil.MustDate("2026-03-02") })
}

// describeProposals renders proposals as "lead-or-group[+coordinators]
// due[/period] | action", a body outside the catalog by its name and "#".
func describeProposals(ps []Proposal) []string {
	var got []string
	for _, p := range ps {
		who := "?"
		if p.Lead != nil {
			who = p.Lead.Code
			if who == "" {
				who = p.Lead.Name + "#"
			}
		} else if p.Group != nil {
			who = string(*p.Group)
			if *p.Group == GroupOther {
				who += ":" + p.GroupAsWritten
			}
		}
		for _, c := range p.Coordinators {
			if c.Code == "" {
				who += "+" + c.Name + "#"
			} else {
				who += "+" + c.Code
			}
		}
		for _, g := range p.CoordinatorGroups {
			who += "+" + string(g.Group)
		}
		due := "-"
		if !p.DueOn.IsZero() {
			due = p.DueOn.String()
		}
		if p.DuePeriod != "" {
			due += "/" + p.DuePeriod
		}
		got = append(got, fmt.Sprintf("%s %s | %s", who, due, p.Action))
	}
	return got
}
