package api

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Request metrics are labelled by what the server chose, never by what the
// client sent: the route's template (one "unmatched" value for every path
// that matches no route), a known method or "other", and the status. The
// Host header, the raw path and an invented method are not labels, so no
// request can add a series: echoprometheus labels by Host, and by the raw
// path for 404s unless told otherwise, which let anyone grow the registry
// without bound (issue 17, item 1).

// unmatchedRoute is the route label of every request that matches no route.
const unmatchedRoute = "unmatched"

var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true,
	http.MethodDelete: true, http.MethodOptions: true,
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	routesOnce sync.Once
	routes     map[string]bool // "METHOD path" of every registered route
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dondoc_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status."}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "dondoc_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// middleware counts every request but the scrapes of /metrics.
func (m *httpMetrics) middleware(e *echo.Echo) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Path() == "/metrics" {
				return next(c)
			}
			start := time.Now()
			err := next(c)
			method := c.Request().Method
			if !knownMethods[method] {
				method = "other"
			}
			route := m.route(e, c)
			status := c.Response().Status
			if err != nil && !c.Response().Committed {
				// The error handler writes the answer after the middlewares.
				status = http.StatusInternalServerError
				var he *echo.HTTPError
				var sc interface{ GetStatus() int }
				switch {
				case errors.As(err, &he):
					status = he.Code
				case errors.As(err, &sc):
					status = sc.GetStatus()
				}
			}
			if status < 100 || status > 599 {
				status = 0
			}
			m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
			return err
		}
	}
}

// route is the template of the route that answered c, or unmatchedRoute.
// Only templates of registered routes are returned, whatever the router
// left in c.Path().
func (m *httpMetrics) route(e *echo.Echo, c echo.Context) string {
	m.routesOnce.Do(func() {
		m.routes = map[string]bool{}
		for _, r := range e.Routes() {
			m.routes[r.Path] = true
		}
	})
	p := c.Path()
	if p == "" || !m.routes[p] || c.Response().Status == http.StatusNotFound && isNotFoundRoute(p) {
		return unmatchedRoute
	}
	return p
}

// isNotFoundRoute tells a catch-all template, which echo reports for a path
// that matched nothing under a group.
func isNotFoundRoute(p string) bool {
	return len(p) >= 2 && p[len(p)-2:] == "/*"
}
