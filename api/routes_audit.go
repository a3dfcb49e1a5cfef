package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/workflow"
)

type auditOutput struct {
	Body struct {
		workflow.AuditResult
		DurationMS int64 `json:"duration_ms"`
	}
}

// registerAudit: the audit trail's verification (issue 8).
func (s *Server) registerAudit() {
	huma.Register(s.api, s.op("verify-audit", http.MethodGet, "/admin/audit/verify",
		"Walk every task's hash-chained history and name the first event that does not match (admins)", "Admin"),
		func(ctx context.Context, _ *struct{}) (*auditOutput, error) {
			res, err := s.svc.VerifyAuditAs(ctx, actorFrom(ctx))
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &auditOutput{}
			out.Body.AuditResult, out.Body.DurationMS = res, res.Duration.Milliseconds()
			return out, nil
		})
}
