package api

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humaecho"

	"github.com/dondoc/dondoc/workflow"
)

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// byteSize writes a size in the form echo's BodyLimit reads.
func byteSize(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%dM", n>>20)
	}
	if n%(1<<10) == 0 {
		return fmt.Sprintf("%dK", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// op fills what every operation shares.
func (s *Server) op(id, method, path, summary, tag string, status ...int) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: []string{tag},
		MaxBodyBytes: s.opts.BodyLimit}
	if len(status) > 0 {
		o.DefaultStatus = status[0]
	}
	errs := []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusUnprocessableEntity}
	switch method {
	case http.MethodGet:
		errs = append(errs, http.StatusNotFound)
	default:
		errs = append(errs, http.StatusForbidden, http.StatusNotFound, http.StatusConflict)
	}
	o.Errors = errs
	return o
}

// public marks an operation that needs no token.
func public(o huma.Operation) huma.Operation {
	o.Security = []map[string][]string{}
	return o
}

// parseIfMatch reads an If-Match header holding a task's ETag ("3", W/"3"
// or 3). It returns nil when the header is absent or "*".
func parseIfMatch(h string) (*int, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return nil, nil
	}
	v := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return nil, newProblem(http.StatusBadRequest, "invalid_if_match", "If-Match must be the ETag of GET /tasks/{id}, e.g. \"3\"",
			&ProblemItem{Location: "header.If-Match", Message: "is not a task version", Value: h})
	}
	return &n, nil
}

func etag(version int) string { return strconv.Quote(strconv.Itoa(version)) }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// only lets roles reach an operation before its input is read, so that a
// caller who may not use it learns that (403) rather than what its body
// lacks (issue 17, item 8). The service checks the role again: this gate
// only orders the answers.
func (s *Server) only(o huma.Operation, roles ...workflow.Role) huma.Operation {
	o.Middlewares = append(o.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
		if err := actorFrom(ctx.Context()).Require(roles...); err != nil {
			p := domainProblem(err)
			p.Instance = requestIDFrom(ctx)
			b, _ := json.Marshal(p)
			ctx.SetHeader("Content-Type", "application/problem+json")
			ctx.SetStatus(p.Status)
			_, _ = ctx.BodyWriter().Write(b)
			return
		}
		next(ctx)
	})
	return o
}

// requestIDFrom is the request id of a huma request.
func requestIDFrom(ctx huma.Context) string {
	return requestID(humaecho.Unwrap(ctx))
}
