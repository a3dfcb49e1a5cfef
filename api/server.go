// Package api is dondoc's REST API: echo handlers registered through huma,
// so that every route's request and response types are its OpenAPI 3.1
// document, validated on the way in.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humaecho"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dondoc/dondoc/auth"
	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

// Version is dondoc's version, set at build time.
var Version = "dev"

// Options configure the HTTP layer.
type Options struct {
	BodyLimit int64
	// UploadLimit bounds a multipart upload request, all files included.
	UploadLimit int64
	CORSOrigins []string
	Logger      *slog.Logger
	Registry    *prometheus.Registry // where metrics go; nil for a private one
}

// Server is the HTTP API.
type Server struct {
	svc  *workflow.Service
	auth *auth.Auth
	log  *slog.Logger
	opts Options
	e    *echo.Echo
	api  huma.API

	extractors extractors
	// openAPI30Doc is the 3.0 document, made once at its first request:
	// the routes do not change once New has returned.
	openAPI30Doc func() ([]byte, error)
}

// BasePath is where the API lives.
const BasePath = "/api/v1"

// publicPaths need no token.
var publicPaths = map[string]bool{
	BasePath + "/auth/login":       true,
	BasePath + "/openapi.json":     true,
	BasePath + "/openapi.yaml":     true,
	BasePath + "/openapi-3.0.json": true,
	BasePath + "/openapi-3.0.yaml": true,
	"/api/docs":                    true,
	"/healthz":                     true,
	"/readyz":                      true,
	"/metrics":                     true,
}

// New builds the HTTP API over svc.
func New(svc *workflow.Service, au *auth.Auth, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.UploadLimit <= 0 {
		opts.UploadLimit = 100 << 20
	}
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = 1 << 20
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	s := &Server{svc: svc, auth: au, log: opts.Logger, opts: opts}
	s.openAPI30Doc = sync.OnceValues(s.openAPI30JSON)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(opts.Logger)
	// The client's address is the connection's: X-Forwarded-For is trivially
	// forged, and dondoc does not assume a proxy in front of it.
	e.IPExtractor = echo.ExtractIPDirect()
	s.e = e

	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			opts.Logger.Error("panic", "err", err, "path", c.Path(), "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: newRequestID,
		// An incoming id is kept only if it looks like one, so that a client
		// cannot inject text into the logs.
		Skipper: func(c echo.Context) bool { return false },
		RequestIDHandler: func(c echo.Context, id string) {
			if !requestIDRE.MatchString(id) {
				id = newRequestID()
				c.Response().Header().Set(echo.HeaderXRequestID, id)
			}
			c.Set("request_id", id)
		},
	}))
	e.Use(s.requestLogger())
	e.Use(securityHeaders)
	e.Use(clientAddr)
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: byteSize(opts.BodyLimit), Skipper: func(c echo.Context) bool { return isUpload(c) || isPageUpload(c) }}))
	e.Use(checkInput)
	e.Use(newHTTPMetrics(opts.Registry).middleware(e))
	if len(opts.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  opts.CORSOrigins,
			AllowHeaders:  []string{"Authorization", "Content-Type", "If-Match", "Idempotency-Key"},
			ExposeHeaders: []string{"ETag", echo.HeaderXRequestID},
		}))
	}
	e.Use(bearer(au, func(path string) bool { return publicPaths[path] || !strings.HasPrefix(path, BasePath) }))
	e.Use(s.uploads())
	e.Use(s.idempotency())

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.ready)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(opts.Registry, promhttp.HandlerOpts{})))

	g := e.Group(BasePath)
	cfg := huma.DefaultConfig("dondoc", Version)
	cfg.Info.Description = "dondoc turns the directives of the Prime Minister's conclusions into tasks for ministries and provinces, keeps their deadlines on the Vietnamese working calendar, and reminds, urges and escalates until each task is done."
	// The repository states no licence yet: the lead decides; until then
	// the document says so rather than leave the field out.
	cfg.Info.License = &huma.License{Name: "Proprietary (all rights reserved)"}
	cfg.Servers = []*huma.Server{{URL: BasePath}}
	cfg.DocsPath = ""    // a bundled page at /api/docs instead: huma's loads JavaScript from the internet
	cfg.SchemasPath = "" // no $schema links in bodies
	cfg.CreateHooks = nil
	cfg.RejectUnknownQueryParameters = true
	cfg.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An access token from POST /auth/login, or an API token (ddt_…)"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	api := humaecho.NewWithGroup(e, g, cfg)
	reg := api.OpenAPI().Components.Schemas
	reg.RegisterTypeAlias(reflect.TypeFor[civil.Date](), reflect.TypeFor[string]())
	s.api = api
	// Registered after huma's own routes of the same paths, which they replace.
	g.GET("/openapi-3.0.json", s.openAPI30)
	g.GET("/openapi-3.0.yaml", s.openAPI30YAML)

	s.registerAuth()
	s.registerAgencies()
	s.registerDocuments()
	s.registerDirectives()
	s.registerTasks()
	s.registerUsers()
	s.registerCalendar()
	s.registerReminders()
	s.registerOutbox()
	s.registerWebhooks()
	s.registerExtract()
	s.registerStats()
	s.registerExports()
	s.registerFeeds()
	s.registerAudit()
	s.registerFiles()
	e.GET("/api/docs", s.docsPage)
	s.declareNullObjects()
	// PUT /agencies/{code} answers 201 when it creates the agency.
	if op := s.api.OpenAPI().Paths["/agencies/{code}"].Put; op != nil && op.Responses["200"] != nil {
		created := *op.Responses["200"]
		created.Description = "Created"
		op.Responses["201"] = &created
	}
	return s
}

// declareNullObjects says which object-valued fields may be null: huma's
// nullable tag takes scalars only, so these are written as an inline
// copy of the object's schema, nullable (issue 17, item 11).
func (s *Server) declareNullObjects() {
	schemas := s.api.OpenAPI().Components.Schemas.Map()
	for _, f := range [][2]string{{"ProposedAgency", "current_successor"}, {"ProposedDirective", "lead"}, {"AuditOutputBody", "first_mismatch"}} {
		sc, ok := schemas[f[0]]
		if !ok || sc.Properties[f[1]] == nil {
			continue
		}
		p := sc.Properties[f[1]]
		if p.Ref == "" {
			continue
		}
		target := s.api.OpenAPI().Components.Schemas.SchemaFromRef(p.Ref)
		if target == nil || target.Type != huma.TypeObject {
			continue
		}
		// An inline copy: a $ref cannot carry "nullable" in OpenAPI 3.0,
		// which huma also serves.
		inline := *target
		inline.Nullable = true
		if p.Description != "" {
			inline.Description = p.Description
		}
		sc.Properties[f[1]] = &inline
	}
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the router, for tests that walk the registered routes.
func (s *Server) Echo() *echo.Echo { return s.e }

// OpenAPI is the API's OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

func (s *Server) ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.svc.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		return writeProblem(c, newProblem(http.StatusServiceUnavailable, "not_ready", err.Error()))
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func newRequestID() string { return randomID(12) }

func requestID(c echo.Context) string {
	id, _ := c.Get("request_id").(string)
	return id
}

func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			// The path only: query strings may carry search words, and
			// headers carry credentials; neither is logged.
			attrs := []slog.Attr{
				slog.String("request_id", requestID(c)), slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency),
			}
			if u, ok := c.Get("actor").(string); ok {
				attrs = append(attrs, slog.String("user", u))
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// securityHeaders are sent with every answer.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
		if strings.HasPrefix(c.Request().URL.Path, BasePath) {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}
