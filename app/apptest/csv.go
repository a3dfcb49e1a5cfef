package apptest

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/exports"
)

// ReadTasksCSV checks the envelope of a task list exported as CSV (a byte
// order mark, CRLF line ends, the header, no cell a spreadsheet could read
// as a formula) and returns its records under the header. The API's and
// the pages' exports tests read theirs through it.
func ReadTasksCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Error("the CSV does not start with a byte order mark")
	}
	if !bytes.Contains(body, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\n")) {
		// Line breaks inside quoted cells would be allowed; the tests' data has none.
		t.Error("the CSV's lines do not end with CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], exports.TasksCSVHeader) {
		t.Fatalf("CSV header = %v", recs)
	}
	for _, r := range recs[1:] {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a CSV cell could be read as a formula: %q", cell)
			}
		}
	}
	return recs[1:]
}
