package workflow

import (
	"context"
	"errors"
	"fmt"
)

// CreateDirectives records several directives of one document, as the
// secretariat gives them from the proposals page: it checks all of them
// first, so that one wrong directive stops every one of them with its
// fields named "directives[i].field", then creates each with
// CreateDirective, one transaction per directive.
//
// A failure after the check (the database going away, an agency changed in
// between) leaves the directives before it recorded; the answer then says
// how many were.
func (s *Service) CreateDirectives(ctx context.Context, actor Actor, ins []NewDirective) ([]DirectiveView, error) {
	if err := actor.Require(RoleSecretariat); err != nil {
		return nil, err
	}
	if len(ins) == 0 {
		return nil, Invalid{{Field: "directives", Message: "is empty: choose at least one directive to give"}}.Err()
	}
	agencies, cat, err := s.agencySnapshot(ctx)
	if err != nil {
		return nil, err
	}
	var bad Invalid
	for i, in := range ins {
		doc, err := s.Document(ctx, in.DocumentID)
		if err != nil {
			return nil, err
		}
		if _, err := s.planDirective(in, doc, agencies, cat); err != nil {
			var de *Error
			if !errors.As(err, &de) {
				return nil, err
			}
			for _, f := range de.Fields {
				f.Field = fmt.Sprintf("directives[%d].%s", i, f.Field)
				bad = append(bad, f)
			}
		}
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	out := make([]DirectiveView, 0, len(ins))
	for _, in := range ins {
		d, err := s.CreateDirective(ctx, actor, in)
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}
