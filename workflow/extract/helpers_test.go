package extract

import (
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
