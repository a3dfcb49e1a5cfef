package api

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"
)

// The reference page at /api/docs is rendered on the server from the OpenAPI
// document: it needs no JavaScript and nothing from the internet, so it works
// on an office network cut off from the outside.

type docOp struct {
	Method, Path, Summary, ID string
	Description               template.HTML
	Params                    []docParam
	Body                      string
	Responses                 []docResponse
	Public                    bool
}

type docParam struct{ Name, In, Type, Doc string }

type docResponse struct{ Status, Doc, Schema string }

type docTag struct {
	Name string
	Ops  []docOp
}

var docsTmpl = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dondoc API</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
header,main{max-width:60rem;margin:auto;padding:1rem}
header{border-bottom:2px solid #a00}
h1{margin:.2em 0}
nav ul{columns:2;padding-left:1.2em}
a{color:#0645ad}
section{border-top:1px solid #ccc;margin-top:1.5rem}
.op{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #555;background:#f7f7f7}
.m{font:bold .9em monospace;padding:.1em .4em;border-radius:3px;color:#fff;background:#333}
.GET{background:#1a5e20}.POST{background:#0d47a1}.PUT{background:#6a1b9a}.PATCH{background:#8a5300}.DELETE{background:#b71c1c}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}
pre{background:#fff;border:1px solid #ddd;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
</style></head><body>
<header><h1>dondoc API {{.Version}}</h1><p>{{.Description}}</p>
<p>Base path <code>/api/v1</code>. Log in with <code>POST /api/v1/auth/login</code>, then send <code>Authorization: Bearer &lt;access_token&gt;</code>. Errors are <code>application/problem+json</code> (RFC 9457). The machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p></header>
<main><nav aria-label="Mục lục"><ul>{{range .Tags}}<li><a href="#{{.Name}}">{{.Name}}</a></li>{{end}}</ul></nav>
{{range .Tags}}<section id="{{.Name}}"><h2>{{.Name}}</h2>
{{range .Ops}}<div class="op" id="{{.ID}}"><h3><span class="m {{.Method}}">{{.Method}}</span> <code>/api/v1{{.Path}}</code></h3>
<p>{{.Summary}}{{if .Public}} (no token needed){{end}}</p>{{if .Description}}<div>{{.Description}}</div>{{end}}
{{if .Params}}<table><caption>Parameters</caption><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">type</th><th scope="col">meaning</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{.Type}}</td><td>{{.Doc}}</td></tr>{{end}}</table>{{end}}
{{if .Body}}<h4>Request body</h4><pre>{{.Body}}</pre>{{end}}
{{range .Responses}}<h4>{{.Status}} {{.Doc}}</h4>{{if .Schema}}<pre>{{.Schema}}</pre>{{end}}{{end}}
</div>{{end}}</section>{{end}}</main></body></html>`))

func (s *Server) docsPage(c echo.Context) error {
	oapi := s.api.OpenAPI()
	reg := oapi.Components.Schemas
	tags := map[string]*docTag{}
	for path, item := range oapi.Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			d := docOp{Method: method, Path: path, Summary: op.Summary, ID: op.OperationID, Public: op.Security != nil && len(op.Security) == 0,
				Description: template.HTML(markdownTable(op.Description))}
			for _, p := range op.Parameters {
				typ := ""
				if p.Schema != nil {
					typ = schemaType(p.Schema)
				}
				d.Params = append(d.Params, docParam{Name: p.Name, In: p.In, Type: typ, Doc: p.Description})
			}
			if op.RequestBody != nil {
				if mt := op.RequestBody.Content["application/json"]; mt != nil && mt.Schema != nil {
					d.Body = renderSchema(reg, mt.Schema)
				}
			}
			codes := make([]string, 0, len(op.Responses))
			for code := range op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			for _, code := range codes {
				r := op.Responses[code]
				dr := docResponse{Status: code, Doc: r.Description}
				if mt := r.Content["application/json"]; mt != nil && mt.Schema != nil {
					dr.Schema = renderSchema(reg, mt.Schema)
				}
				d.Responses = append(d.Responses, dr)
			}
			tag := "Other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			if tags[tag] == nil {
				tags[tag] = &docTag{Name: tag}
			}
			tags[tag].Ops = append(tags[tag].Ops, d)
		}
	}
	var list []*docTag
	for _, t := range tags {
		sort.Slice(t.Ops, func(i, j int) bool {
			if t.Ops[i].Path != t.Ops[j].Path {
				return t.Ops[i].Path < t.Ops[j].Path
			}
			return t.Ops[i].Method < t.Ops[j].Method
		})
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	var buf bytes.Buffer
	err := docsTmpl.Execute(&buf, map[string]any{"Version": oapi.Info.Version, "Description": oapi.Info.Description, "Tags": list})
	if err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

func schemaType(s *huma.Schema) string {
	t := s.Type
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if len(s.Enum) > 0 {
		b, _ := json.Marshal(s.Enum)
		t += " " + string(b)
	}
	return t
}

// renderSchema writes a schema as an indented JSON-like outline, resolving
// references, so that a reader sees every field of a body.
func renderSchema(reg huma.Registry, s *huma.Schema) string {
	var b strings.Builder
	writeSchema(&b, reg, s, 0, map[string]bool{})
	return b.String()
}

func writeSchema(b *strings.Builder, reg huma.Registry, s *huma.Schema, depth int, seen map[string]bool) {
	if s.Ref != "" {
		if seen[s.Ref] || depth > 6 {
			b.WriteString(strings.TrimPrefix(s.Ref, "#/components/schemas/"))
			return
		}
		seen[s.Ref] = true
		defer delete(seen, s.Ref)
		s = reg.SchemaFromRef(s.Ref)
	}
	ind := strings.Repeat("  ", depth)
	switch {
	case len(s.OneOf) > 0:
		for i, o := range s.OneOf {
			if i > 0 {
				b.WriteString(" | ")
			}
			writeSchema(b, reg, o, depth, seen)
		}
	case s.Type == huma.TypeObject && len(s.Properties) > 0:
		b.WriteString("{\n")
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		for _, n := range names {
			p := s.Properties[n]
			b.WriteString(ind + "  " + n)
			if !required[n] {
				b.WriteString("?")
			}
			b.WriteString(": ")
			writeSchema(b, reg, p, depth+1, seen)
			if p.Description != "" {
				b.WriteString("  // " + p.Description)
			}
			b.WriteString("\n")
		}
		b.WriteString(ind + "}")
	case s.Type == huma.TypeArray && s.Items != nil:
		b.WriteString("[")
		writeSchema(b, reg, s.Items, depth, seen)
		b.WriteString("]")
	default:
		b.WriteString(schemaType(s))
		if s.Nullable {
			b.WriteString(" | null")
		}
	}
}

// markdownTable renders the few Markdown constructs the descriptions use
// (paragraphs, `code` and pipe tables) as HTML, escaping everything else.
func markdownTable(md string) string {
	if md == "" {
		return ""
	}
	var b strings.Builder
	inTable := false
	for _, line := range strings.Split(md, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
				continue
			}
			tag := "td"
			if !inTable {
				b.WriteString("<table>")
				inTable, tag = true, "th"
			}
			b.WriteString("<tr>")
			for _, c := range cells {
				b.WriteString("<" + tag + ">" + inlineCode(strings.TrimSpace(c)) + "</" + tag + ">")
			}
			b.WriteString("</tr>")
		default:
			if inTable {
				b.WriteString("</table>")
				inTable = false
			}
			if line != "" {
				b.WriteString("<p>" + inlineCode(line) + "</p>")
			}
		}
	}
	if inTable {
		b.WriteString("</table>")
	}
	return b.String()
}

func inlineCode(s string) string {
	parts := strings.Split(template.HTMLEscapeString(s), "`")
	for i := 1; i < len(parts); i += 2 {
		parts[i] = "<code>" + parts[i] + "</code>"
	}
	return strings.Join(parts, "")
}
