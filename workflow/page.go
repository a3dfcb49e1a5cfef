package workflow

import (
	"encoding/base64"
	"encoding/json"

	"github.com/dondoc/dondoc/civil"
)

// Page asks for one page of a list.
type Page struct {
	Limit  int    // default DefaultLimit, at most MaxLimit
	Cursor string // opaque, from the previous page's next_cursor
}

// List sizes (docs/DESIGN.md §9).
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// cursor is the position after the last row of a page in a keyset-ordered
// list: the sort key of that row and its id, which breaks ties so that the
// order is total and stable while rows are added.
type cursor struct {
	Phase int        `json:"p,omitempty"` // 1: the rows whose sort key is NULL, listed after the others
	Date  civil.Date `json:"d,omitzero"`
	ID    int64      `json:"i"`
	Sort  string     `json:"s,omitempty"` // the sort the cursor was made for
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := &Error{Kind: KindInvalid, Code: "invalid_cursor", Message: "invalid cursor",
		Fields: []FieldError{{Field: "cursor", Message: "is not a cursor this list returned"}}}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 {
		return nil, bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID < 0 || c.Phase < 0 || c.Phase > 1 {
		return nil, bad
	}
	return &c, nil
}

// keysetPage reads one page of a list in keyset order: it decodes p's
// cursor, asks read for up to limit rows after it (after is nil on the
// first page), and turns the extra row it asked for into the cursor of the
// next page, made by key from the page's last row.
func keysetPage[T any](p Page, read func(after *cursor, limit int) ([]T, error), key func(last T) cursor) ([]T, string, error) {
	cur, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.limit()
	rows, err := read(cur, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, next := trimPage(rows, limit, key)
	return rows, next, nil
}

// trimPage cuts rows read with a limit of limit+1 down to the page, and
// returns the cursor of the next page made from its last row by key, or ""
// when this page is the last.
func trimPage[T any](rows []T, limit int, key func(last T) cursor) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, encodeCursor(key(rows[limit-1]))
}
