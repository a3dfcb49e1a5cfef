package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// agencyActive reports whether an agency existed on day d.
func agencyActive(a models.Agency, d civil.Date) bool {
	if !a.ValidFrom.IsZero() && d.Before(a.ValidFrom) {
		return false
	}
	return a.ValidTo.IsZero() || !d.After(a.ValidTo)
}

// agencyRow turns a catalog entry into its row.
func agencyRow(a catalog.Agency, now time.Time) models.Agency {
	aliases, _ := json.Marshal(a.Aliases)
	return models.Agency{
		Code: a.Code, Name: a.Name, ShortName: a.ShortName, Kind: string(a.Kind),
		ValidFrom: a.ValidFrom, ValidTo: a.ValidTo, SuccessorCode: a.SuccessorCode,
		Aliases: string(aliases), GSOCode: a.GSOCode, SearchText: catalog.SearchText(a), Source: a.Source, UpdatedAt: now,
	}
}

// catalogAgency turns a row back into a catalog entry.
func catalogAgency(r models.Agency) catalog.Agency {
	var aliases []string
	_ = json.Unmarshal([]byte(r.Aliases), &aliases)
	return catalog.Agency{
		Code: r.Code, Name: r.Name, ShortName: r.ShortName, Kind: catalog.Kind(r.Kind),
		ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, SuccessorCode: r.SuccessorCode,
		Aliases: aliases, GSOCode: r.GSOCode, Source: r.Source,
	}
}

// LoadCatalog adds the shipped catalog's agencies that the database does not
// have yet. Agencies already stored are left as they are: admins may have
// edited them, and their edits win.
func (s *Service) LoadCatalog(ctx context.Context) (int, error) {
	shipped, err := catalog.Load()
	if err != nil {
		return 0, fmt.Errorf("agency catalog: %w", err)
	}
	now := s.clock.Now()
	rows := make([]models.Agency, len(shipped))
	for i, a := range shipped {
		rows[i] = agencyRow(a, now)
	}
	var added int64
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 50)
		added = res.RowsAffected
		return res.Error
	})
	s.agencies.forget()
	return int(added), err
}

// CatalogVersion changes whenever an agency is added or changed (an admin's
// edit sets its updated_at): for caches built over the catalog.
func (s *Service) CatalogVersion(ctx context.Context) (string, error) {
	var v string
	_, err := s.db.QueryRow(ctx, s.db.R, "SELECT CAST(COUNT(*) AS TEXT) || '/' || COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM agencies", nil, &v)
	return v, err
}

// agencyCache keeps agencyIndex's map and catalog for as long as
// CatalogVersion stays the same: the catalog changes a few times a year,
// and reading its hundred rows through gorm for each new directive took a
// twelfth of the server's time in the month-end mix; building its search
// keys again for every extraction and group was as costly.
type agencyCache struct {
	mu      sync.Mutex
	version string
	idx     map[string]models.Agency // shared: callers only read it
	cat     *catalog.Catalog         // the same rows, shared: a Catalog is read-only
}

// forget drops the map, after a change through this replica: two changes
// in the same instant would leave the version as it was.
func (c *agencyCache) forget() {
	c.mu.Lock()
	c.idx, c.cat = nil, nil
	c.mu.Unlock()
}

// agencyIndex returns every agency, by code. The catalog holds a few hundred
// rows: reading it whole is cheaper than many small queries, and it is read
// again only when its version changed (an admin's edit here or on another
// replica). The map is shared and must not be changed.
func (s *Service) agencyIndex(ctx context.Context) (map[string]models.Agency, error) {
	idx, _, err := s.agencySnapshot(ctx)
	return idx, err
}

// agencySnapshot returns agencyIndex's map and the same rows as a catalog.
func (s *Service) agencySnapshot(ctx context.Context) (map[string]models.Agency, *catalog.Catalog, error) {
	version, err := s.CatalogVersion(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := &s.agencies
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != nil && c.version == version {
		return c.idx, c.cat, nil
	}
	// Read after the version: the rows are at least as new as it says, so
	// a change in between only makes the next call read them again.
	var rows []models.Agency
	if err := s.reader(ctx).Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	idx := make(map[string]models.Agency, len(rows))
	list := make([]catalog.Agency, 0, len(rows))
	for _, r := range rows {
		idx[r.Code] = r
		list = append(list, catalogAgency(r))
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Code < list[j].Code })
	c.version, c.idx, c.cat = version, idx, catalog.New(list)
	return c.idx, c.cat, nil
}

// Catalog returns the stored agencies as a catalog, for search and for
// resolving names in text. It is shared and read-only.
func (s *Service) Catalog(ctx context.Context) (*catalog.Catalog, error) {
	_, cat, err := s.agencySnapshot(ctx)
	return cat, err
}

// expandGroup lists the codes of a group's members active on day d.
func expandGroup(g catalog.Group, cat *catalog.Catalog, d civil.Date) []string {
	var codes []string
	for _, a := range cat.Expand(g, d) {
		codes = append(codes, a.Code)
	}
	return codes
}

// AgencyFilter selects agencies (GET /agencies).
type AgencyFilter struct {
	Q        string
	Kind     string
	ActiveOn civil.Date
}

// Agencies searches the catalog: q matches names, short names, aliases and
// codes, with or without diacritics.
func (s *Service) Agencies(ctx context.Context, f AgencyFilter) ([]catalog.Agency, error) {
	c, err := s.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	if f.Q != "" {
		return c.Search(f.Q, f.ActiveOn, catalog.Kind(f.Kind)), nil
	}
	var out []catalog.Agency
	for _, a := range c.All() {
		if (f.Kind == "" || string(a.Kind) == f.Kind) && (f.ActiveOn.IsZero() || a.ActiveOn(f.ActiveOn)) {
			out = append(out, a)
		}
	}
	return out, nil
}

// Agency returns one agency.
func (s *Service) Agency(ctx context.Context, code string) (catalog.Agency, error) {
	var rows []models.Agency
	if err := s.reader(ctx).Where("code = ?", code).Limit(1).Find(&rows).Error; err != nil {
		return catalog.Agency{}, err
	}
	if len(rows) == 0 {
		return catalog.Agency{}, NotFound("agency")
	}
	return catalogAgency(rows[0]), nil
}

// SaveAgency creates or changes an agency of the catalog (admins). The
// catalog must stay valid as a whole: unique codes, successors that exist
// the day after, no alias naming two agencies at once. Dissolving an agency
// (a valid_to in the past, with a successor) hands its open tasks over at
// once.
func (s *Service) SaveAgency(ctx context.Context, actor Actor, a catalog.Agency) (catalog.Agency, bool, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return a, false, err
	}
	a = catalog.Normalize(a)
	if a.Source == "" {
		a.Source = "entered by " + actor.Username
	}
	created := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var rows []models.Agency
		if err := tx.Find(&rows).Error; err != nil {
			return err
		}
		list := make([]catalog.Agency, 0, len(rows)+1)
		created = true
		for _, r := range rows {
			if r.Code == a.Code {
				created = false
				continue
			}
			list = append(list, catalogAgency(r))
		}
		list = append(list, a)
		if err := catalog.Validate(list); err != nil {
			var ve *catalog.ValidationError
			if errors.As(err, &ve) {
				var bad Invalid
				for _, p := range ve.Problems {
					bad.Add("body", "%s", p)
				}
				return bad.Err()
			}
			return err
		}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "code"}}, UpdateAll: true}).Create(ptr(agencyRow(a, s.clock.Now()))).Error
	})
	s.agencies.forget()
	if err != nil {
		return a, false, err
	}
	if !a.ValidTo.IsZero() && a.ValidTo.Before(s.Today()) {
		if n, err := s.HandOverDissolved(ctx); err != nil {
			return a, created, err
		} else if n > 0 {
			s.log.Info("tasks handed over to a successor", "agency", a.Code, "successor", a.SuccessorCode, "tasks", n)
		}
	}
	return a, created, nil
}

func ptr[T any](v T) *T { return &v }
