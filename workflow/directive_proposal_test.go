package workflow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/extract"
)

// CreateDirectivesFromProposals creates all of a document's directives in
// one transaction or none: a bad one among good ones leaves no directive,
// and the proposals stay undecided.
func TestCreateDirectivesFromProposals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		ctx := context.Background()
		day := civil.MustDate("2026-03-02")
		in := apptest.Start(t, tg, day)
		svc := in.App.Service
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		var u struct{ ID int64 }
		sec.Do("GET", "/api/v1/me", nil).Want(200).JSON(&u)
		actor := workflow.Actor{UserID: u.ID, Username: "thuky", Role: workflow.RoleSecretariat}
		text := "1. Giao Bộ Y tế chủ trì, phối hợp với Bộ Tài chính xây dựng đề án phát triển y tế cơ sở, báo cáo trước ngày 30 tháng 6 năm 2026.\n" +
			"2. Bộ Công an khẩn trương hoàn thiện cơ sở dữ liệu quốc gia về dân cư."
		doc, err := svc.CreateDocument(ctx, actor, workflow.NewDocument{Number: "47/TB-VPCP", Kind: "conclusion_notice", Title: "Kết luận", IssuedOn: day, Body: text})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := svc.Catalog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps := extract.New(cat, svc.Calendars().Current()).Extract(text, day)
		if len(ps) != 2 {
			t.Fatalf("%d proposals", len(ps))
		}
		if err := svc.RecordProposals(ctx, actor, doc.ID, text, ps); err != nil {
			t.Fatal(err)
		}
		good := workflow.NewDirective{Content: ps[0].Action, Lead: "BYT", Coordinators: []string{"BTC"}, DueOn: ps[0].DueOn, ProposalID: ps[0].ID}
		bad := workflow.NewDirective{Content: ps[1].Action, Lead: "NOPE", DueKind: ps[1].DueKind, ProposalID: ps[1].ID}
		_, err = svc.CreateDirectivesFromProposals(ctx, actor, doc.ID, []workflow.NewDirective{good, bad})
		var we *workflow.Error
		if !errors.As(err, &we) || we.Kind != workflow.KindInvalid || len(we.Fields) != 1 || we.Fields[0].Field != "directives[1].lead" {
			t.Fatalf("a bad directive among good: %v", err)
		}
		q, err := svc.ExtractQuality(ctx, actor, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if q.Used != 0 || q.Pending != 2 {
			t.Errorf("after a refused batch: %+v", q)
		}

		bad.Lead = "BCA"
		hand := workflow.NewDirective{Content: "Rà soát quy hoạch", Lead: "BXD"}
		views, err := svc.CreateDirectivesFromProposals(ctx, actor, doc.ID, []workflow.NewDirective{good, bad, hand})
		if err != nil {
			t.Fatal(err)
		}
		if len(views) != 3 || len(views[0].Tasks) != 2 || views[2].Tasks[0].AgencyCode != "BXD" {
			t.Fatalf("views: %+v", views)
		}
		q, err = svc.ExtractQuality(ctx, actor, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if q.Used != 2 || q.KeptWhole != 2 || q.HandAdded != 1 || q.Pending != 0 || q.Dropped != 0 {
			t.Errorf("after the batch: %+v", q)
		}
		// A proposal already made into a directive is refused.
		_, err = svc.CreateDirectivesFromProposals(ctx, actor, doc.ID, []workflow.NewDirective{good})
		if !errors.As(err, &we) || we.Kind != workflow.KindInvalid || !strings.Contains(we.Fields[0].Message, "already made into directive") {
			t.Errorf("a used proposal: %v", err)
		}
	})
}
