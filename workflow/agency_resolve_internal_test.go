package workflow

import (
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// A typed agency resolves alike by code, name and folded name; a text
// that names several lists them; one gone by the day names its successor.
func TestResolveAgency(t *testing.T) {
	t.Parallel()
	list, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := catalog.New(list)
	on2022, on2026 := civil.MustDate("2022-08-08"), civil.MustDate("2026-03-02")
	for _, text := range []string{"BYT", "byt", "Bộ Y tế", "bo y te", "  BỘ Y TẾ "} {
		if m := resolveAgency(c, text, on2022); !m.Found || m.Agency.Code != "BYT" || m.Gone {
			t.Errorf("%q resolves to %+v, want BYT", text, m)
		}
	}
	if m := resolveAgency(c, "Bộ", on2022); m.Found || len(m.Candidates) < 2 {
		t.Errorf("“Bộ” resolves to %+v, want several candidates", m)
	}
	if m := resolveAgency(c, "Bộ Không Có Thật", on2022); m.Found || len(m.Candidates) != 0 {
		t.Errorf("an unknown name resolves to %+v", m)
	}
	if m := resolveAgency(c, "", on2022); m.Found {
		t.Errorf("empty text resolves to %+v", m)
	}
	m := resolveAgency(c, "Bộ Thông tin và Truyền thông", on2022)
	if !m.Found || m.Agency.Code != "BTTTT" || m.Gone {
		t.Errorf("in 2022 Bộ TT&TT resolves to %+v, want BTTTT", m)
	}
	m = resolveAgency(c, "bo tt&tt", on2026)
	if !m.Found || m.Agency.Code != "BTTTT" || !m.Gone || m.Successor == nil || m.Successor.Code != "BKHCN" {
		t.Errorf("in 2026 Bộ TT&TT resolves to %+v, want BTTTT gone, succeeded by BKHCN", m)
	}
}
