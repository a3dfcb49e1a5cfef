package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage/testdb"
	"github.com/dondoc/dondoc/workflow"
)

// `dondoc extract corrections` writes what the secretariat made of a
// document's proposals as development-set lines: a proposal edited shows
// the directive as made, a passage whose proposal was dropped is a negative
// case, a directive added by hand says so.
func TestExtractCorrectionsWritesDevSetLines(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		in := apptest.Start(t, tg, civil.MustDate("2026-03-02"))
		sec := in.User("thuky", workflow.RoleSecretariat, "")
		text := "1. Giao Bộ Y tế chủ trì, phối hợp với Bộ Tài chính xây dựng đề án phát triển y tế cơ sở, báo cáo trước ngày 30 tháng 6 năm 2026.\n" +
			"2. Bộ Công an khẩn trương hoàn thiện cơ sở dữ liệu quốc gia về dân cư."
		var doc struct{ ID int64 }
		sec.Do("POST", "/api/v1/documents", map[string]any{"number": "45/TB-VPCP", "kind": "conclusion_notice", "title": "Kết luận",
			"issued_on": "2026-03-02", "body": text}).Want(201).JSON(&doc)
		var out struct {
			Directives []struct {
				ID     string `json:"id"`
				Action string `json:"action"`
			} `json:"directives"`
		}
		sec.Do("POST", fmt.Sprintf("/api/v1/documents/%d/extract", doc.ID), nil).Want(200).JSON(&out)
		if len(out.Directives) != 2 {
			t.Fatalf("proposals: %+v", out.Directives)
		}
		// The first made a directive with Bộ Nội vụ added; the second dropped; one by hand.
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "proposal_id": out.Directives[0].ID,
			"content": out.Directives[0].Action, "lead": "BYT", "coordinators": []string{"BTC", "BNV"}, "due_on": "2026-06-30"}).Want(201)
		sec.Do("POST", "/api/v1/directives", map[string]any{"document_id": doc.ID, "content": "Rà soát quy hoạch", "lead": "BXD"}).Want(201)

		var stdout, stderr bytes.Buffer
		env := map[string]string{"DONDOC_DATA_DIR": tg.DataDir, "DONDOC_DATABASE_URL": in.Target.URL, "DONDOC_LOG_LEVEL": "error"}
		if err := run([]string{"extract", "corrections", "--since", "2026-03-01"}, func(k string) string { return env[k] }, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %s", err, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d lines:\n%s", len(lines), stdout.String())
		}
		type dir struct {
			Lead, Coordinators []string
			Due                *string
			DueText            *string `json:"due_text"`
		}
		var got []struct {
			Text        string
			IsDirective bool   `json:"is_directive"`
			DocDate     string `json:"doc_date"`
			Directives  []dir
			Note        string
		}
		for _, l := range lines {
			var c struct {
				Text        string
				IsDirective bool   `json:"is_directive"`
				DocDate     string `json:"doc_date"`
				Directives  []dir
				Note        string
			}
			if err := json.Unmarshal([]byte(l), &c); err != nil {
				t.Fatal(err)
			}
			got = append(got, c)
		}
		first := got[0]
		if !first.IsDirective || !strings.HasPrefix(first.Text, "Giao Bộ Y tế") || first.DocDate != "2026-03-02" || len(first.Directives) != 1 ||
			strings.Join(first.Directives[0].Lead, ",") != "Bộ Y tế" || strings.Join(first.Directives[0].Coordinators, ",") != "Bộ Tài chính,Bộ Nội vụ" ||
			first.Directives[0].Due == nil || *first.Directives[0].Due != "2026-06-30" || first.Directives[0].DueText == nil {
			t.Errorf("the edited proposal: %s", lines[0])
		}
		if got[1].IsDirective || !strings.HasPrefix(got[1].Text, "2. Bộ Công an") && !strings.HasPrefix(got[1].Text, "Bộ Công an") || len(got[1].Directives) != 0 {
			t.Errorf("the dropped proposal: %s", lines[1])
		}
		if !got[2].IsDirective || got[2].Text != "Rà soát quy hoạch" || got[2].Note == "" || got[2].Directives[0].Lead[0] != "Bộ Xây dựng" {
			t.Errorf("the directive by hand: %s", lines[2])
		}
		if err := run([]string{"extract", "corrections"}, func(k string) string { return env[k] }, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "--since") {
			t.Errorf("without --since: %v", err)
		}
	})
}
