package workflow

import (
	"context"
	"strings"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// AgencyMatch is what a typed agency (a code, a name, a short name, with or
// without diacritics) names in the catalog.
type AgencyMatch struct {
	// Agency is the one agency the text names, when it names exactly one.
	Agency catalog.Agency
	Found  bool
	// Candidates are the agencies it may name when it names several (the
	// best few), or none.
	Candidates []catalog.Agency
	// Gone is true when the agency did not exist on the day asked, and
	// Successor then names the agency that took over its work on that day,
	// when there is one.
	Gone      bool
	Successor *catalog.Agency
}

// maxCandidates bounds the agencies an ambiguous text lists.
const maxCandidates = 6

// ResolveAgency finds the agency that text names as of day on: its code
// (any case) first, then a name, short name or alias that matches exactly
// once folded ("bo y te", "BYT" and "Bộ Y tế" alike), then the only agency
// whose keys start with or contain it. A text that matches several is
// ambiguous: the caller shows the candidates rather than guess.
func (s *Service) ResolveAgency(ctx context.Context, text string, on civil.Date) (AgencyMatch, error) {
	c, err := s.Catalog(ctx)
	if err != nil {
		return AgencyMatch{}, err
	}
	return resolveAgency(c, text, on), nil
}

func resolveAgency(c *catalog.Catalog, text string, on civil.Date) AgencyMatch {
	text = strings.TrimSpace(text)
	if text == "" {
		return AgencyMatch{}
	}
	if a, ok := c.Get(strings.ToUpper(text)); ok {
		return matched(c, a, on)
	}
	hits := c.Search(text, civil.Date{}, "")
	// Prefer the agencies that exist on the day: a name can pass from a
	// dissolved body to its successor.
	var live []catalog.Agency
	for _, a := range hits {
		if on.IsZero() || a.ActiveOn(on) {
			live = append(live, a)
		}
	}
	key := catalog.SearchKey(text)
	for _, set := range [][]catalog.Agency{live, hits} {
		var exact []catalog.Agency
		for _, a := range set {
			if strings.Contains(catalog.SearchText(a), "|"+key+"|") {
				exact = append(exact, a)
			}
		}
		if len(exact) == 1 {
			return matched(c, exact[0], on)
		}
		if len(exact) > 1 {
			return AgencyMatch{Candidates: exact[:min(len(exact), maxCandidates)]}
		}
	}
	switch {
	case len(live) == 1:
		return matched(c, live[0], on)
	case len(live) > 1:
		return AgencyMatch{Candidates: live[:min(len(live), maxCandidates)]}
	case len(hits) == 1:
		return matched(c, hits[0], on)
	}
	return AgencyMatch{Candidates: hits[:min(len(hits), maxCandidates)]}
}

func matched(c *catalog.Catalog, a catalog.Agency, on civil.Date) AgencyMatch {
	m := AgencyMatch{Agency: a, Found: true}
	if !on.IsZero() && !a.ActiveOn(on) {
		m.Gone = true
		if succ, ok := c.CurrentSuccessor(a.Code, on); ok {
			m.Successor = &succ
		}
	}
	return m
}
