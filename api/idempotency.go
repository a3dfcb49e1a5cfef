package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
)

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{"Content-Type", "ETag", "Location"}

// idempotency makes a POST sent again with the same Idempotency-Key return
// the first answer instead of acting twice (docs/DESIGN.md §9).
//
// The key is recorded inside the command's own transaction
// (workflow.WithIdempotency), so the change and the key commit together: a
// retry after a lost answer finds the key, never a second change. The
// answer is stored just after; if the process dies in between, a retry is
// told that the request was processed.
func (s *Server) idempotency() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key := req.Header.Get("Idempotency-Key")
			if req.Method != http.MethodPost || key == "" || !strings.HasPrefix(c.Path(), BasePath) || publicPaths[c.Path()] {
				return next(c)
			}
			if len(key) > 255 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
				return writeProblem(c, newProblem(http.StatusBadRequest, "invalid_idempotency_key", "Idempotency-Key must be 1-255 visible ASCII characters",
					&ProblemItem{Location: "header.Idempotency-Key", Message: "is not a valid key"}))
			}
			actor := actorFrom(req.Context())
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return err // the body limit answers 413 through the error handler
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.Sum256(append([]byte(req.Method+" "+req.URL.Path+"\n"), body...))
			hash := hex.EncodeToString(sum[:])

			prior, found, err := s.svc.IdempotentAnswer(req.Context(), actor.UserID, key)
			if err != nil {
				return err
			}
			if found {
				return replay(c, prior, hash)
			}

			r := &workflow.IdempotentRequest{UserID: actor.UserID, Key: key, Method: req.Method, Path: req.URL.Path, RequestHash: hash}
			c.SetRequest(req.WithContext(workflow.WithIdempotency(req.Context(), r)))
			rec := &recorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			if err := next(c); err != nil {
				return err
			}
			status := c.Response().Status
			if status >= 500 || (!r.Recorded() && status >= 300) {
				return nil // nothing changed: a retry may run again
			}
			headers := map[string]string{}
			for _, h := range replayedHeaders {
				if v := c.Response().Header().Get(h); v != "" {
					headers[h] = v
				}
			}
			hb, _ := json.Marshal(headers)
			// Not the request's context: the answer is stored even if the
			// client has gone.
			if err := s.svc.SaveIdempotentAnswer(context.WithoutCancel(req.Context()), r, status, rec.body.Bytes(), string(hb)); err != nil {
				s.log.Error("idempotency: could not store the answer", "err", err)
			}
			return nil
		}
	}
}

func replay(c echo.Context, prior models.IdempotencyKey, hash string) error {
	switch {
	case prior.RequestHash != hash:
		return writeProblem(c, newProblem(http.StatusUnprocessableEntity, "idempotency_key_reused",
			"this Idempotency-Key was used for a different request; use a new key for a new request",
			&ProblemItem{Location: "header.Idempotency-Key", Message: "was sent before with another method, path or body"}))
	case prior.StatusCode == 0:
		return writeProblem(c, newProblem(http.StatusConflict, "idempotency_in_progress",
			"a request with this Idempotency-Key was processed but its answer is not available yet; read the resource to see its state"))
	}
	var headers map[string]string
	_ = json.Unmarshal([]byte(prior.ResponseHeaders), &headers)
	for k, v := range headers {
		c.Response().Header().Set(k, v)
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	c.Response().WriteHeader(prior.StatusCode)
	_, err := c.Response().Write(prior.ResponseBody)
	return err
}

// recorder keeps a copy of what a handler writes.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
