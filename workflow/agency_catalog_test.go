package workflow_test

import (
	"testing"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
)

// The catalog is built once per version of the agencies and shared; an
// admin's edit makes the next call build it again, with the edit.
func TestCatalogFollowsAgencyEdits(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		t.Parallel()
		w := newWorld(t, tg, civil.MustDate("2026-03-02"))
		first, err := w.svc.Catalog(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.svc.Catalog(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if first != again {
			t.Error("the catalog was built again though no agency changed")
		}
		byt, ok := first.Get("BYT")
		if !ok {
			t.Fatal("no BYT in the catalog")
		}
		if m, err := w.svc.ResolveAgency(w.ctx, "bo suc khoe", civil.Date{}); err != nil || m.Found {
			t.Fatalf("before the edit, \"bo suc khoe\" resolved to %+v (%v)", m, err)
		}
		byt.Aliases = append(byt.Aliases, "Bộ Sức khỏe")
		if _, _, err := w.svc.SaveAgency(w.ctx, w.admin, byt); err != nil {
			t.Fatal(err)
		}
		edited, err := w.svc.Catalog(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if edited == first {
			t.Fatal("the catalog was not built again after an agency changed")
		}
		if got, _ := edited.Get("BYT"); len(got.Aliases) != len(byt.Aliases) {
			t.Errorf("BYT's aliases after the edit: %q, want %q", got.Aliases, byt.Aliases)
		}
		if before, _ := first.Get("BYT"); len(before.Aliases) == len(byt.Aliases) {
			t.Error("the edit changed the catalog handed out before it")
		}
		m, err := w.svc.ResolveAgency(w.ctx, "bo suc khoe", civil.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Found || m.Agency.Code != "BYT" {
			t.Errorf("after the edit, \"bo suc khoe\" resolved to %+v, want BYT", m)
		}
	})
}

// BenchmarkResolveAgency is the agency picker's and the extractor's first
// step: the catalog as a searchable list, then one name resolved in it.
func BenchmarkResolveAgency(b *testing.B) {
	w := newWorld(b, testdb.SQLite(b), civil.MustDate("2026-03-02"))
	for b.Loop() {
		m, err := w.svc.ResolveAgency(w.ctx, "bo y te", civil.Date{})
		if err != nil {
			b.Fatal(err)
		}
		if !m.Found || m.Agency.Code != "BYT" {
			b.Fatalf("resolved to %+v", m)
		}
	}
}
