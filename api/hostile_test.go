package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"

	"github.com/dondoc/dondoc/api"
	"github.com/dondoc/dondoc/storage/testdb"
)

// Task is the API's task, as the checks here read it.
type Task = api.Task

// Hostile values: SQL fragments, invalid UTF-8, numbers no int64 holds,
// dates out of range, formulas for spreadsheets.
var (
	hostileStrings = []string{"' OR 1=1 --", "1; DROP TABLE tasks; --", "\xff\xfe\xfd", "a\x00b", "\x00", "a\x1bb", "\u0085", "=HYPERLINK(\"http://evil.example/\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)"}
	hostileNumbers = []string{"1e400", "9223372036854775808", "-1"}
	hostileDates   = []string{"0000-01-01", "9999-12-31", "2026-02-30", "-2026-01-01", "1944-12-31", "2101-01-01"}
	hostileQuery   = []string{"' OR 1=1 --", "; DROP TABLE tasks", "\xff\xfe", "1e400", "0000-01-01", "9999-12-31", "a\x00b", "a\tb", "2101-01-01"}
	hostileParams  = []string{"99999999999999999999", "-1", "abc", "1%27%20OR%201%3D1%20--", "%FF%FE", "0000-01-01", "2026-02-30"}
	// The dashboard reads these from the query string; the API's routes
	// are read from the OpenAPI document.
	webQuery = []string{"q", "agency", "status", "overdue", "role", "kind", "sort", "period", "cursor", "next", "f"}
	dateLike = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

type hostile struct {
	what string
	call call
}

// hostileBodies are the whole bodies sent to every route that takes one,
// built once: the test sends them to each of a hundred routes.
var hostileBodies = sync.OnceValue(func() map[string][]byte {
	return map[string][]byte{
		"a 10 MB body":            append(append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), 10<<20)...), `"}`...),
		"JSON nested 100k deep":   append(bytes.Repeat([]byte(`{"a":`), 100_000), bytes.Repeat([]byte("}"), 100_000)...),
		"arrays nested 100k deep": append(bytes.Repeat([]byte("["), 100_000), bytes.Repeat([]byte("]"), 100_000)...),
		"invalid UTF-8 bytes":     []byte("{\"\xff\xfe\": \"\xc3\x28\"}"),
		"a lone surrogate":        []byte(`{"content": "a\ud800b", "text": "\udfff"}`),
		"NUL escaped":             []byte(`{"content": "a\u0000b", "a\u0000": 1}`),
		"null":                    []byte("null"),
		"truncated":               []byte(`{"a": [1, 2`),
	}
})

// variants returns the hostile requests made from one valid request of a
// route: each path parameter, each query parameter and each top-level body
// or form field replaced in turn, and whole bodies that no decoder should
// choke on.
func variants(route string, base call, query []string) []hostile {
	var out []hostile
	u, _ := url.Parse(base.path)
	segs, rsegs := strings.Split(u.Path, "/"), strings.Split(route, "/")
	for i, s := range rsegs {
		if !strings.HasPrefix(s, ":") || i >= len(segs) {
			continue
		}
		for _, v := range hostileParams {
			p := slices.Clone(segs)
			p[i] = v
			c := base
			c.path = strings.Join(p, "/")
			if u.RawQuery != "" {
				c.path += "?" + u.RawQuery
			}
			out = append(out, hostile{"path " + s + "=" + v, c})
		}
	}
	for _, name := range append(query, "no_such_filter") {
		for _, v := range hostileQuery {
			q := u.Query()
			q.Set(name, v)
			c := base
			c.path = u.Path + "?" + q.Encode()
			out = append(out, hostile{fmt.Sprintf("query %s=%q", name, v), c})
		}
	}
	if m, ok := base.body.(map[string]any); ok {
		for k, v := range m {
			var raws []string
			switch x := v.(type) {
			case string:
				vals := hostileStrings
				if dateLike.MatchString(x) {
					vals = append(slices.Clone(hostileDates), vals...)
				}
				for _, s := range vals {
					b, _ := json.Marshal(s)
					raws = append(raws, string(bytes.ReplaceAll(b, []byte(`\ufffd`), []byte("\xff"))))
				}
				raws = append(raws, `"`+strings.Repeat("x", 100_001)+`"`)
			case int, int64, float64, bool:
				raws = hostileNumbers
			}
			raws = append(raws, `{"$ne": null}`, `null`)
			for _, r := range raws {
				c := base
				c.body = nil
				m2 := map[string]any{}
				for k2, v2 := range m {
					m2[k2] = v2
				}
				m2[k] = "@@HOSTILE@@"
				b, _ := json.Marshal(m2)
				c.raw = bytes.Replace(b, []byte(`"@@HOSTILE@@"`), []byte(r), 1)
				out = append(out, hostile{fmt.Sprintf("body %s=%.40q", k, r), c})
			}
		}
	}
	if base.form != nil {
		for k := range base.form {
			for _, s := range append(slices.Clone(hostileStrings), strings.Repeat("x", 100_001)) {
				c := base
				c.form = url.Values{}
				for k2, v2 := range base.form {
					c.form[k2] = slices.Clone(v2)
				}
				c.form.Set(k, s)
				out = append(out, hostile{fmt.Sprintf("form %s=%.40q", k, s), c})
			}
		}
	}
	if base.body != nil || base.form != nil {
		whole := maps.Clone(hostileBodies())
		whole["duplicate names"] = duplicateNames(base)
		for what, b := range whole {
			c := base
			c.body, c.form, c.raw = nil, nil, b
			out = append(out, hostile{what, c})
		}
		for _, h := range [][2]string{{"If-Match", `"99999999999999999999"`}, {"If-Match", "W/\"-1\""}, {"Idempotency-Key", strings.Repeat("k", 5000)}, {"Idempotency-Key", "\xff\xfe"}, {"Host", "h" + randomLabel() + ".example"}, {"Host", "evil.example:1"}} {
			c := base
			c.headers = map[string]string{h[0]: h[1]}
			out = append(out, hostile{"header " + h[0] + "=" + h[1][:min(len(h[1]), 20)], c})
		}
	}
	return out
}

// queryParams reads each API operation's query parameters from the OpenAPI
// document, by echo route key.
func queryParams(m *matrix) map[string][]string {
	out := map[string][]string{}
	for p, item := range m.f.in.App.API.OpenAPI().Paths {
		key := regexp.MustCompile(`\{([^}]+)\}`).ReplaceAllString("/api/v1"+p, ":$1")
		ops := map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete}
		for method, op := range ops {
			if op == nil {
				continue
			}
			for _, prm := range op.Parameters {
				if prm.In == "query" {
					out[method+" "+key] = append(out[method+" "+key], prm.Name)
				}
			}
		}
	}
	return out
}

// rowCounter returns a function counting the rows of every table, in one
// query built once: it runs after each of thousands of requests.
func rowCounter(t *testing.T, m *matrix) func() map[string]int64 {
	t.Helper()
	db := m.f.in.App.DB.W
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, tb := range tables {
		parts = append(parts, fmt.Sprintf("SELECT '%s' AS name, COUNT(*) AS n FROM %s", tb, tb))
	}
	query := strings.Join(parts, " UNION ALL ")
	return func() map[string]int64 {
		t.Helper()
		var rows []struct {
			Name string
			N    int64
		}
		if err := db.Raw(query).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := make(map[string]int64, len(rows))
		for _, r := range rows {
			out[r.Name] = r.N
		}
		return out
	}
}

// caller picks who may use a route, so that hostile input gets past the
// role checks to the decoders and the queries behind them.
func caller(w want) who {
	for _, r := range []who{secretariat, admin, leader, own, other, anon} {
		if w[r] < 400 {
			return r
		}
	}
	return secretariat
}

// TestHostileInput sends hostile input to every route and wants a 4xx (or
// a 2xx where the input is fine as text), never a 5xx, and a 4xx must
// change nothing in the database.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		// Thousands of requests one after another on each database: the
		// two databases' runs go side by side, each on its own instance.
		t.Parallel()
		m := newMatrix(t, tg)
		table := m.apiTable()
		for k, v := range m.webTable() {
			table[k] = v
		}
		qp := queryParams(m)
		type job struct {
			route, method string
			r             who
			base          call
			query         []string
		}
		// Every valid request first: they log in and make resources, and
		// the hostile logins that follow spend this address's allowance.
		var jobs []job
		for _, rt := range m.f.in.App.API.Echo().Routes() {
			key := rt.Method + " " + rt.Path
			for _, c := range table[key] {
				r := caller(c.want)
				q := qp[key]
				if !strings.HasPrefix(rt.Path, "/api/v1/") {
					q = webQuery
				}
				jobs = append(jobs, job{rt.Path, rt.Method, r, c.prep(r), q})
			}
		}
		n, accepted := 0, 0
		rowCounts := rowCounter(t, m)
		before := rowCounts()
		for _, j := range jobs {
			for _, h := range variants(j.route, j.base, j.query) {
				n++
				resp, body := m.send(j.r, j.method, h.call)
				name := fmt.Sprintf("%s %s as %s, %s", j.method, j.route, whoNames[j.r], h.what)
				switch {
				case resp.StatusCode >= 500:
					t.Errorf("%s: %d; %.300s", name, resp.StatusCode, body)
				case resp.StatusCode >= 400:
					if strings.HasPrefix(h.call.path, "/api/v1/") && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
						t.Errorf("%s: %d as %q", name, resp.StatusCode, resp.Header.Get("Content-Type"))
					}
					after := rowCounts()
					for tb, c := range after {
						if before[tb] != c {
							t.Errorf("%s: %d, yet table %s went from %d to %d rows", name, resp.StatusCode, tb, before[tb], c)
						}
					}
					before = after
				default:
					accepted++
					before = rowCounts()
				}
			}
		}
		t.Logf("%d hostile requests, %d accepted", n, accepted)
		if n < 1000 {
			t.Errorf("only %d hostile requests", n)
		}
		m.checkSearchIsNotSQL(t)
		m.checkExportsNeutraliseFormulas(t)
	})
}

// checkSearchIsNotSQL: SQL in a filter is text to look for: every task
// found holds it (some do: the hostile requests stored it as text), and an
// agency code with SQL in it names no agency.
func (m *matrix) checkSearchIsNotSQL(t *testing.T) {
	var all struct{ Items []Task }
	m.f.secretariat.Do("GET", "/api/v1/tasks?limit=500", nil).Want(200).JSON(&all)
	for _, q := range [][2]string{{"q", "' OR 1=1 --"}, {"q", "1; DROP TABLE tasks"}, {"agency", "' OR '1'='1"}, {"agency", "BYT' --"}} {
		v := url.Values{q[0]: {q[1]}}
		resp, body := m.send(secretariat, "GET", call{path: "/api/v1/tasks?limit=500&" + v.Encode()})
		if resp.StatusCode == 422 {
			continue
		}
		var list struct{ Items []Task }
		if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /tasks?%s: %d %s", q, resp.StatusCode, body)
		}
		for _, it := range list.Items {
			if text := v.Get("q"); text == "" || !strings.Contains(it.DirectiveContent, text) {
				t.Errorf("GET /tasks?%s found task %d (%q)", q, it.ID, it.DirectiveContent)
			}
		}
		if len(list.Items) == len(all.Items) {
			t.Errorf("GET /tasks?%s found every task", q)
		}
	}
}

// checkExportsNeutraliseFormulas stores directives whose text is a
// spreadsheet formula and reads them back from the CSV and XLSX exports:
// no cell may begin like a formula, and no cell may be one.
func (m *matrix) checkExportsNeutraliseFormulas(t *testing.T) {
	formulas := []string{`=HYPERLINK("http://evil.example/","x")`, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1", "\r=1+1"}
	for _, f := range formulas {
		field := f
		if strings.ContainsAny(f, "\t\r") {
			field = "x" // a short text holds no tab or line break
		}
		m.f.secretariat.Do("POST", "/api/v1/directives", map[string]any{"document_id": m.f.docID, "content": f, "field": field, "lead": "BYT", "due_on": "2026-03-31"}).Want(201)
	}
	_, b := m.send(secretariat, "GET", call{path: "/api/v1/tasks.csv"})
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatalf("tasks.csv: %v", err)
	}
	found := 0
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("tasks.csv has a cell that reads as a formula: %q", cell)
			}
			if strings.Contains(cell, "HYPERLINK") {
				found++
			}
		}
	}
	if found == 0 {
		t.Error("tasks.csv does not hold the stored formula text at all")
	}
	resp, b := m.send(secretariat, "GET", call{path: "/api/v1/reports/agencies.xlsx?period=2026"})
	if resp.StatusCode != 200 {
		t.Fatalf("agencies.xlsx: %d %s", resp.StatusCode, b)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	found = 0
	for _, sheet := range x.GetSheetList() {
		rows, _ := x.GetRows(sheet)
		for i, row := range rows {
			for j, cell := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if f, _ := x.GetCellFormula(sheet, ref); f != "" {
					t.Errorf("agencies.xlsx %s!%s is a formula: %q", sheet, ref, f)
				}
				if strings.Contains(cell, "HYPERLINK") {
					found++
				}
			}
		}
	}
	if found == 0 {
		t.Error("agencies.xlsx does not hold the stored formula text at all")
	}
}

// duplicateNames is the base request's body with its first member twice.
func duplicateNames(base call) []byte {
	m, ok := base.body.(map[string]any)
	if !ok || len(m) == 0 {
		return []byte(`{"a": 1, "a": 2}`)
	}
	b, _ := json.Marshal(m)
	for k, v := range m {
		one, _ := json.Marshal(map[string]any{k: v})
		return append(append(b[:len(b)-1:len(b)-1], ','), one[1:]...)
	}
	return b
}

// randomLabel is a fresh host name label: no two requests share a Host.
func randomLabel() string { return strconv.FormatUint(rand.Uint64(), 36) }
