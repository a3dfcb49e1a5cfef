package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
)

type scheduleDayIn struct {
	Date civil.Date `json:"date" format:"date"`
	Kind string     `json:"kind,omitempty" enum:"public_holiday,tet,compensatory,swapped,weekly_rest,declared" doc:"Where a day off comes from (required for days off; ignored for make-up days)"`
	Name string     `json:"name" maxLength:"200" example:"Tết Nguyên đán (mùng 1)"`
}

type calendarYearInput struct {
	Year   int  `path:"year" minimum:"1900" maximum:"2200"`
	DryRun bool `query:"dry_run" doc:"Answer what would change (the days, the due dates that move, the fixed due dates that fall on a new day off) without saving"`
	Body   struct {
		Document struct {
			Number string     `json:"number" maxLength:"100" example:"9441/TB-BNV" doc:"The announcing document's number (số ký hiệu)"`
			Issuer string     `json:"issuer" maxLength:"200" example:"Bộ Nội vụ"`
			Date   civil.Date `json:"date" format:"date"`
			Title  string     `json:"title,omitempty" maxLength:"500"`
			Covers string     `json:"covers,omitempty" maxLength:"1000" doc:"What the document covers, in its words"`
			URL    string     `json:"url,omitempty" maxLength:"1000" doc:"A page the document was checked against"`
		} `json:"document"`
		DaysOff    []scheduleDayIn `json:"days_off" maxItems:"366" doc:"Every day off of the year that is not an ordinary weekend: the Labour Code's holidays, the Tết days, compensatory and swapped days, and the weekends inside a break (weekly_rest)"`
		MakeUpDays []scheduleDayIn `json:"make_up_days,omitempty" maxItems:"366" doc:"Saturdays and Sundays worked (làm bù)"`
	}
}

type calendarYearOutput struct {
	Body workflow.YearChange
}

type calendarYearPath struct {
	Year int `path:"year" minimum:"1900" maximum:"2200"`
}

type calendarYearEntriesOutput struct {
	Body struct {
		Year  int                          `json:"year"`
		Items []workflow.CalendarYearEntry `json:"items" doc:"The schedules entered for the year, the one in force first"`
	}
}

func entries(days []scheduleDayIn) []workflow.ScheduleEntry {
	out := make([]workflow.ScheduleEntry, len(days))
	for i, d := range days {
		out[i] = workflow.ScheduleEntry{Date: d.Date, Kind: d.Kind, Name: d.Name}
	}
	return out
}

// registerCalendarYears: a year's announced schedule in one step (issue 18).
func (s *Server) registerCalendarYears() {
	huma.Register(s.api, s.op("set-calendar-year", http.MethodPut, "/calendar/years/{year}",
		"Enter a year's announced schedule; open due dates counted on the calendar are counted again (admins)", "Calendar"),
		func(ctx context.Context, in *calendarYearInput) (*calendarYearOutput, error) {
			b := in.Body
			sched := workflow.YearSchedule{DaysOff: entries(b.DaysOff), MakeUpDays: entries(b.MakeUpDays)}
			sched.Document.Number, sched.Document.Issuer, sched.Document.Title = b.Document.Number, b.Document.Issuer, b.Document.Title
			sched.Document.Covers, sched.Document.URL = b.Document.Covers, b.Document.URL
			if !b.Document.Date.IsZero() {
				sched.Document.Date = b.Document.Date.String()
			}
			ch, err := s.svc.SetCalendarYear(ctx, actorFrom(ctx), in.Year, sched, in.DryRun)
			if err != nil {
				return nil, fail(s.log, err)
			}
			return &calendarYearOutput{Body: ch}, nil
		})
	huma.Register(s.api, s.op("calendar-year-entries", http.MethodGet, "/calendar/years/{year}",
		"The schedules entered for a year and what each changed (admins, secretariat, leaders)", "Calendar"),
		func(ctx context.Context, in *calendarYearPath) (*calendarYearEntriesOutput, error) {
			items, err := s.svc.CalendarYearEntries(ctx, actorFrom(ctx), in.Year)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &calendarYearEntriesOutput{}
			out.Body.Year, out.Body.Items = in.Year, items
			return out, nil
		})
}
