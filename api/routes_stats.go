package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

type statsInput struct {
	From   civil.Date `query:"from" format:"date" doc:"Count the tasks whose document was issued on or after this day"`
	To     civil.Date `query:"to" format:"date" doc:"… and on or before this day. Bounds that make a reporting period (from a 15th to a 14th, e.g. from=2026-03-15&to=2026-06-14) are that period"`
	Period string     `query:"period" maxLength:"30" doc:"Instead of from/to: all (no bound); reporting-current, reporting-previous (reporting months); the reporting periods, cut off on the 14th: reporting-YYYY-MM (from the 15th of the month before to the 14th of MM), reporting-YYYY-Qn (from the 15th of the month before the quarter to the 14th of its last month), reporting-YYYY-H1 (15/12 of the year before to 14/06), reporting-YYYY-H2 (15/06 to 14/12), reporting-YYYY (15/12 of the year before to 14/12); or the calendar periods YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY"`
	Role   string     `query:"role" enum:"lead,coordinator,all" default:"lead" doc:"Whose tasks: lead tasks by default"`
	Field  string     `query:"field" maxLength:"200" doc:"Only directives of this field (lĩnh vực), exactly"`
	Kind   string     `query:"kind" enum:"ministry,ministerial_agency,government_agency,province,committee,other" doc:"Only agencies of this kind"`
	Sort   string     `query:"sort" enum:"agency,agency_code,total,-total,completed_on_time,-completed_on_time,completed_late,-completed_late,in_progress_on_time,-in_progress_on_time,in_progress_overdue,-in_progress_overdue,no_deadline,-no_deadline" default:"agency" doc:"agency: the order of official reports (ministries first, then the other kinds)"`
}

func (in statsInput) filter(today civil.Date) (workflow.StatsFilter, error) {
	f := workflow.StatsFilter{Role: in.Role, Field: in.Field, Kind: in.Kind, Sort: in.Sort}
	var err error
	switch {
	case in.Period != "" && (!in.From.IsZero() || !in.To.IsZero()):
		return f, newProblem(http.StatusUnprocessableEntity, "invalid_input", "the request has invalid fields",
			&ProblemItem{Location: "query.period", Message: "give either period or from/to, not both", Value: in.Period})
	case in.Period != "":
		f.Period, err = workflow.ParsePeriod(in.Period, today)
	default:
		f.Period, err = workflow.PeriodOf(in.From, in.To)
	}
	return f, fieldIn(err, "query")
}

// StatsCounts are the Government Office's four categories, the tasks
// without a deadline (shown apart), their total and the completion rate.
type StatsCounts struct {
	CompletedOnTime   int      `json:"completed_on_time" doc:"Đã hoàn thành đúng hạn: completion reported on or before the effective due date, confirmed"`
	CompletedLate     int      `json:"completed_late" doc:"Đã hoàn thành quá hạn: completion reported after the effective due date, confirmed"`
	InProgressOnTime  int      `json:"in_progress_on_time" doc:"Chưa hoàn thành trong hạn: open (assigned, in progress, or reported on time and awaiting confirmation) and not past the due date"`
	InProgressOverdue int      `json:"in_progress_overdue" doc:"Chưa hoàn thành quá hạn: open past the due date, or reported after it and awaiting confirmation"`
	NoDeadline        int      `json:"no_deadline" doc:"Tasks without a due date, whatever their status: not one of the four categories, shown apart"`
	Total             int      `json:"total" doc:"Every task counted (cancelled tasks count nowhere)"`
	CompletionRate    *float64 `json:"completion_rate" nullable:"true" minimum:"0" maximum:"100" example:"98.62" doc:"Tỷ lệ hoàn thành, in per cent, cut (not rounded) to two decimals as the Government Office's reports give it: (completed_on_time + completed_late) ÷ (completed_on_time + completed_late + in_progress_overdue) × 100. null when that divisor is 0"`
}

func countsOut(c workflow.Counts) StatsCounts {
	out := StatsCounts{CompletedOnTime: c.CompletedOnTime, CompletedLate: c.CompletedLate, InProgressOnTime: c.InProgressOnTime,
		InProgressOverdue: c.InProgressOverdue, NoDeadline: c.NoDeadline, Total: c.Total}
	if pct, ok := c.CompletionPercent(); ok {
		out.CompletionRate = &pct
	}
	return out
}

// AgencyStatsItem is one agency's line of the statistics.
type AgencyStatsItem struct {
	AgencyCode      string `json:"agency_code"`
	AgencyName      string `json:"agency_name"`
	AgencyShortName string `json:"agency_short_name"`
	AgencyKind      string `json:"agency_kind"`
	StatsCounts
}

// StatsPeriod is the period the statistics count.
type StatsPeriod struct {
	From            *civil.Date `json:"from" format:"date" nullable:"true"`
	To              *civil.Date `json:"to" format:"date" nullable:"true"`
	ReportingPeriod string      `json:"reporting_period,omitempty" example:"2026-Q2" doc:"When the period is exactly a reporting period (cut off on the 14th): YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY"`
	ReportingMonth  string      `json:"reporting_month,omitempty" doc:"YYYY-MM when the period is exactly a reporting month (15th to 14th)"`
	Label           string      `json:"label" example:"Quý báo cáo II/2026 (từ 15/03/2026 đến 14/06/2026)"`
}

func periodOut(p workflow.Period) StatsPeriod {
	return StatsPeriod{From: p.From.Ptr(), To: p.To.Ptr(), ReportingPeriod: p.Reporting, ReportingMonth: p.Month, Label: p.Label}
}

// AgencyStats is the answer of GET /stats/agencies.
type AgencyStats struct {
	Period          StatsPeriod       `json:"period"`
	Role            string            `json:"role"`
	AsOf            civil.Date        `json:"as_of" format:"date" doc:"The day the categories are judged on: today, or the last day of a closed reporting period"`
	Source          string            `json:"source" enum:"live,snapshot" doc:"snapshot: a closed reporting period (month, quarter, half-year or year), frozen when it closed"`
	SnapshotTakenAt *time.Time        `json:"snapshot_taken_at"`
	ComputedAt      *time.Time        `json:"computed_at" doc:"When live figures were counted: they may be reused for up to DONDOC_STATS_MAX_AGE (30 s by default)"`
	Items           []AgencyStatsItem `json:"items"`
	Totals          StatsCounts       `json:"totals"`
	Labels          map[string]string `json:"labels" doc:"Vietnamese names, by field: each category's full name (in_progress_overdue: Chưa hoàn thành quá hạn), the headings completed (Đã hoàn thành) and unfinished (Chưa hoàn thành), completion_rate and total"`
}

func categoryLabels() map[string]string {
	out := map[string]string{"completed": workflow.LabelCompleted, "unfinished": workflow.LabelUnfinished,
		"completion_rate": workflow.LabelCompletionRate, "total": workflow.LabelTotal}
	for c, l := range workflow.CategoryLabels {
		out[string(c)] = l
	}
	return out
}

func statsOut(st workflow.Stats) AgencyStats {
	out := AgencyStats{Period: periodOut(st.Filter.Period), Role: st.Filter.Role, AsOf: st.AsOf, Source: "live",
		Items: make([]AgencyStatsItem, len(st.Items)), Totals: countsOut(st.Totals), Labels: categoryLabels()}
	if !st.ComputedAt.IsZero() {
		out.ComputedAt = &st.ComputedAt
	}
	if st.Snapshot != nil {
		out.Source, out.SnapshotTakenAt = "snapshot", &st.Snapshot.TakenAt
	}
	for i, it := range st.Items {
		out.Items[i] = AgencyStatsItem{AgencyCode: it.AgencyCode, AgencyName: it.AgencyName, AgencyShortName: it.AgencyShortName,
			AgencyKind: it.AgencyKind, StatsCounts: countsOut(it.Counts)}
	}
	return out
}

type trendInput struct {
	Code   string `path:"code" maxLength:"40"`
	Months int    `query:"months" minimum:"1" maximum:"36" default:"12" doc:"How many reporting months, the current one included"`
	Role   string `query:"role" enum:"lead,coordinator,all" default:"lead"`
	Field  string `query:"field" maxLength:"200"`
}

// TrendPoint is one reporting month of an agency's trend.
type TrendPoint struct {
	ReportingMonth  string     `json:"reporting_month" example:"2026-03"`
	From            civil.Date `json:"from" format:"date"`
	To              civil.Date `json:"to" format:"date"`
	Label           string     `json:"label"`
	Source          string     `json:"source" enum:"live,snapshot"`
	SnapshotTakenAt *time.Time `json:"snapshot_taken_at"`
	StatsCounts
}

// Trend is the answer of GET /stats/agencies/{code}/trend.
type Trend struct {
	AgencyCode string       `json:"agency_code"`
	AgencyName string       `json:"agency_name"`
	Role       string       `json:"role"`
	Items      []TrendPoint `json:"items" doc:"Reporting months, the oldest first; the last is the current one, live"`
}

// registerStats registers the statistics leaders look at (issue 6).
func (s *Server) registerStats() {
	stats := s.op("agency-stats", http.MethodGet, "/stats/agencies", "Statistics per agency in the Government Office's four categories, with the completion rate", "Statistics")
	stats.Description = "For leaders, the secretariat and admins (403 for agencies). Counts the tasks whose document was issued in the period, lead tasks by default. " +
		"A closed reporting period (month, quarter, half-year or year, cut off on the 14th) is answered from the snapshot frozen when it closed (source: snapshot), judged on its last day; anything else is live, judged on today."
	stats.Errors = append(stats.Errors, http.StatusForbidden)
	huma.Register(s.api, stats, func(ctx context.Context, in *statsInput) (*struct{ Body AgencyStats }, error) {
		f, err := in.filter(s.svc.Today())
		if err != nil {
			return nil, err
		}
		st, err := s.svc.AgencyStats(ctx, actorFrom(ctx), f)
		if err != nil {
			return nil, fail(s.log, fieldIn(err, "query"))
		}
		return &struct{ Body AgencyStats }{Body: statsOut(st)}, nil
	})

	trend := s.op("agency-trend", http.MethodGet, "/stats/agencies/{code}/trend", "One agency's four categories and completion rate month by month", "Statistics")
	trend.Description = "Reporting months (15th to 14th), the oldest first; closed months from their snapshots. An agency reads its own; leaders and the secretariat any."
	huma.Register(s.api, trend, func(ctx context.Context, in *trendInput) (*struct{ Body Trend }, error) {
		actor := actorFrom(ctx)
		points, err := s.svc.Trend(ctx, actor, in.Code, in.Months, workflow.StatsFilter{Role: in.Role, Field: in.Field})
		if err != nil {
			return nil, fail(s.log, fieldIn(err, "query"))
		}
		a, err := s.svc.Agency(ctx, in.Code)
		if err != nil {
			return nil, fail(s.log, err)
		}
		out := &struct{ Body Trend }{Body: Trend{AgencyCode: a.Code, AgencyName: a.Name, Role: in.Role, Items: make([]TrendPoint, len(points))}}
		for i, p := range points {
			tp := TrendPoint{ReportingMonth: p.Period.Month, From: p.Period.From, To: p.Period.To, Label: p.Period.Label,
				Source: "live", StatsCounts: countsOut(p.Counts)}
			if p.Snapshot != nil {
				tp.Source, tp.SnapshotTakenAt = "snapshot", &p.Snapshot.TakenAt
			}
			out.Body.Items[i] = tp
		}
		return out, nil
	})

}
