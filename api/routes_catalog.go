package api

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/catalog"
)

type agenciesInput struct {
	Q        string     `query:"q" maxLength:"200" doc:"Words of the name, short name, an alias or the code, with or without diacritics"`
	Kind     string     `query:"kind" enum:"ministry,ministerial_agency,government_agency,province,committee,other"`
	ActiveOn civil.Date `query:"active_on" format:"date" doc:"Only agencies that existed on this day"`
	Limit    int        `query:"limit" minimum:"1" maximum:"500" default:"500" doc:"Items per page (the catalog is small: one page holds it by default)"`
	Cursor   string     `query:"cursor" maxLength:"512" doc:"next_cursor of the previous page"`
}

type agencyInput struct {
	Code string `path:"code" maxLength:"40"`
}

type agencySaveInput struct {
	Code string `path:"code" maxLength:"40" pattern:"^[A-Z][A-Z0-9_-]*$" doc:"Stable ASCII code, never reused"`
	Body struct {
		Name          string      `json:"name" minLength:"1" maxLength:"300" doc:"Official Vietnamese name"`
		ShortName     string      `json:"short_name" minLength:"1" maxLength:"200"`
		Kind          string      `json:"kind" enum:"ministry,ministerial_agency,government_agency,province,committee,other"`
		ValidFrom     *civil.Date `json:"valid_from,omitempty" format:"date"`
		ValidTo       *civil.Date `json:"valid_to,omitempty" format:"date" doc:"The last day it exists; with successor_code, its open tasks pass to the successor after that day"`
		SuccessorCode string      `json:"successor_code,omitempty" maxLength:"40"`
		Aliases       []string    `json:"aliases,omitempty" maxItems:"50" doc:"Other names texts use for it"`
		GSOCode       string      `json:"gso_code,omitempty" maxLength:"3" doc:"Provinces: the numeric administrative code of its era"`
		Source        string      `json:"source,omitempty" maxLength:"500" doc:"The legal document the entry rests on"`
	}
}

type agencySaveOutput struct {
	Status int
	Body   Agency
}

type documentInput struct {
	Body struct {
		Number   string     `json:"number" minLength:"1" maxLength:"100" example:"123/TB-VPCP" doc:"Số ký hiệu"`
		Kind     string     `json:"kind" enum:"conclusion_notice,resolution,decision,directive,official_letter,other"`
		Title    string     `json:"title" minLength:"1" maxLength:"1000"`
		IssuedOn civil.Date `json:"issued_on" format:"date"`
		Signer   string     `json:"signer,omitempty" maxLength:"200"`
		Body     string     `json:"body,omitempty" maxLength:"1000000" doc:"The document's text"`
	}
}

type documentsInput struct {
	IssuedFrom civil.Date `query:"issued_from" format:"date"`
	IssuedTo   civil.Date `query:"issued_to" format:"date"`
	Number     string     `query:"number" maxLength:"100"`
	PageParams
}

type documentOutput struct {
	Body Document
}

func (s *Server) registerAgencies() {
	huma.Register(s.api, s.op("list-agencies", http.MethodGet, "/agencies", "Search the agency catalog", "Agencies"),
		func(ctx context.Context, in *agenciesInput) (*struct{ Body List[Agency] }, error) {
			as, err := s.svc.Agencies(ctx, workflow.AgencyFilter{Q: in.Q, Kind: in.Kind, ActiveOn: in.ActiveOn})
			if err != nil {
				return nil, fail(s.log, err)
			}
			// Keyset paging over the catalog's order: the cursor is the
			// last code of the page before.
			if in.Cursor != "" {
				last, err := base64.RawURLEncoding.DecodeString(in.Cursor)
				i := slices.IndexFunc(as, func(a catalog.Agency) bool { return a.Code == string(last) })
				if err != nil || i < 0 {
					return nil, newProblem(http.StatusUnprocessableEntity, "invalid_cursor", "the cursor is not one this list gave",
						&ProblemItem{Location: "query.cursor", Message: "is not a next_cursor of this list", Value: in.Cursor})
				}
				as = as[i+1:]
			}
			next := ""
			if in.Limit > 0 && len(as) > in.Limit {
				as = as[:in.Limit]
				next = base64.RawURLEncoding.EncodeToString([]byte(as[len(as)-1].Code))
			}
			return listOut(as, next, agencyOut), nil
		})
	huma.Register(s.api, s.op("get-agency", http.MethodGet, "/agencies/{code}", "One agency", "Agencies"),
		func(ctx context.Context, in *agencyInput) (*struct{ Body Agency }, error) {
			a, err := s.svc.Agency(ctx, in.Code)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &struct{ Body Agency }{Body: agencyOut(a)}, nil
		})
	huma.Register(s.api, s.only(s.op("save-agency", http.MethodPut, "/agencies/{code}", "Create or change an agency (admins); dissolving one hands its open tasks to its successor", "Agencies"), workflow.RoleAdmin),
		func(ctx context.Context, in *agencySaveInput) (*agencySaveOutput, error) {
			b := in.Body
			a := catalog.Agency{Code: in.Code, Name: b.Name, ShortName: b.ShortName, Kind: catalog.Kind(b.Kind),
				SuccessorCode: b.SuccessorCode, Aliases: b.Aliases, GSOCode: b.GSOCode, Source: b.Source}
			if b.ValidFrom != nil {
				a.ValidFrom = *b.ValidFrom
			}
			if b.ValidTo != nil {
				a.ValidTo = *b.ValidTo
			}
			saved, created, err := s.svc.SaveAgency(ctx, actorFrom(ctx), a)
			if err != nil {
				return nil, fail(s.log, err)
			}
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			return &agencySaveOutput{Status: status, Body: agencyOut(saved)}, nil
		})
}

func (s *Server) registerDocuments() {
	huma.Register(s.api, s.op("create-document", http.MethodPost, "/documents", "Record a source document", "Documents", http.StatusCreated),
		func(ctx context.Context, in *documentInput) (*documentOutput, error) {
			b := in.Body
			d, err := s.svc.CreateDocument(ctx, actorFrom(ctx), workflow.NewDocument{
				Number: b.Number, Kind: workflow.DocumentKind(b.Kind), Title: b.Title, IssuedOn: b.IssuedOn, Signer: b.Signer, Body: b.Body})
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &documentOutput{Body: documentOut(d, true)}, nil
		})
	huma.Register(s.api, s.op("list-documents", http.MethodGet, "/documents", "List documents, newest first", "Documents"),
		func(ctx context.Context, in *documentsInput) (*struct{ Body List[Document] }, error) {
			docs, next, err := s.svc.Documents(ctx, workflow.DocumentFilter{IssuedFrom: in.IssuedFrom, IssuedTo: in.IssuedTo, Number: in.Number, Page: in.page()})
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			return listOut(docs, next, func(d models.Document) Document { return documentOut(d, false) }), nil
		})
	huma.Register(s.api, s.op("get-document", http.MethodGet, "/documents/{id}", "One document with its text", "Documents"),
		func(ctx context.Context, in *idInput) (*documentOutput, error) {
			d, err := s.svc.Document(ctx, in.ID)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &documentOutput{Body: documentOut(d, true)}, nil
		})
}
