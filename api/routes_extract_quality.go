package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
)

// FieldQuality counts, for one field of a proposal, how often it was kept,
// edited, or dropped with its proposal.
type FieldQuality struct {
	Kept    int `json:"kept" doc:"Proposals made into directives with this field unchanged"`
	Edited  int `json:"edited" doc:"Proposals made into directives with this field changed"`
	Dropped int `json:"dropped" doc:"Proposals dropped whole"`
}

// ExtractQuality is how right the extractor's proposals were in use.
type ExtractQuality struct {
	From      civil.Date              `json:"from" format:"date"`
	To        civil.Date              `json:"to" format:"date"`
	Used      int                     `json:"used" doc:"Proposals made into directives (decided in the range)"`
	KeptWhole int                     `json:"kept_whole" doc:"Of those, the ones made into directives unchanged"`
	Dropped   int                     `json:"dropped" doc:"Proposals recorded in the range that no directive was made from, although their document got directives after them"`
	Pending   int                     `json:"pending" doc:"Proposals recorded in the range whose document got no directive yet"`
	Fields    map[string]FieldQuality `json:"fields" doc:"Per field: lead, coordinators, group, due, action"`
	HandAdded int                     `json:"hand_added" doc:"Directives added by hand to documents that had proposals: what the extractor missed"`
	Recall    float64                 `json:"recall" doc:"used / (used + hand_added): the share of the directives recorded that the extractor found"`
}

type extractQualityInput struct {
	From civil.Date `query:"from" required:"true" format:"date" doc:"First day (Asia/Ho_Chi_Minh)"`
	To   civil.Date `query:"to" required:"true" format:"date" doc:"Last day, inclusive"`
}

type extractQualityOutput struct {
	Body ExtractQuality
}

func (s *Server) registerExtractQuality() {
	huma.Register(s.api, s.op("extract-quality", http.MethodGet, "/extract/quality", "How right the proposals were in use", "Directives"),
		func(ctx context.Context, in *extractQualityInput) (*extractQualityOutput, error) {
			q, err := s.svc.ExtractQuality(ctx, actorFrom(ctx), in.From, in.To)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &extractQualityOutput{Body: ExtractQuality{
				From: q.From, To: q.To, Used: q.Used, KeptWhole: q.KeptWhole, Dropped: q.Dropped, Pending: q.Pending,
				Fields: map[string]FieldQuality{}, HandAdded: q.HandAdded, Recall: q.Recall,
			}}
			for f, v := range q.Fields {
				out.Body.Fields[f] = FieldQuality(v)
			}
			return out, nil
		})
}
