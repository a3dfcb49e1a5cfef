package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// CalendarDay is one day off, or one working weekend day.
type CalendarDay struct {
	Date        civil.Date `json:"date" format:"date"`
	Name        string     `json:"name" example:"Tết Nguyên đán"`
	Kind        string     `json:"kind" enum:"public_holiday,tet,compensatory,swapped,weekly_rest,declared,makeup" doc:"Where the day comes from: a public holiday of the Labour Code, the Tết break, a compensatory day (Art. 111(3)), a day swapped by the government, a weekend inside a declared break, a day an admin declared, or a make-up working day"`
	Provisional bool       `json:"provisional" doc:"Placed by the default rule because the government has not announced this year yet"`
}

type holidaysInput struct {
	Year int `query:"year" required:"true" minimum:"1900" maximum:"2200"`
}

type holidaysOutput struct {
	Body struct {
		Year      int           `json:"year"`
		Announced bool          `json:"announced" doc:"false: the year follows the default rules and its Tết days are provisional"`
		Items     []CalendarDay `json:"items" doc:"One item per day off that is not an ordinary weekend"`
		MakeUp    []CalendarDay `json:"make_up_days" doc:"Weekend days that are working days"`
	}
}

type addWorkingDaysInput struct {
	From civil.Date `query:"from" required:"true" format:"date"`
	N    int        `query:"n" required:"true" minimum:"-3650" maximum:"3650" doc:"Working days to add; negative to count back"`
}

type dateOutput struct {
	Body struct {
		Date civil.Date `json:"date" format:"date"`
	}
}

type calendarDayInput struct {
	Date civil.Date `path:"date" format:"date"`
	Body struct {
		Kind string `json:"kind" enum:"holiday,working"`
		Name string `json:"name,omitempty" maxLength:"200" doc:"Required for a holiday"`
	}
}

type calendarDayPath struct {
	Date civil.Date `path:"date" format:"date"`
}

type calendarDayOutput struct {
	Body struct {
		Date      civil.Date `json:"date" format:"date"`
		Kind      string     `json:"kind" enum:"holiday,working"`
		Name      string     `json:"name"`
		UpdatedBy string     `json:"updated_by"`
	}
}

func calendarDays(hs []calendar.Holiday) []CalendarDay {
	out := make([]CalendarDay, len(hs))
	for i, h := range hs {
		out[i] = CalendarDay{Date: h.Date, Name: h.Name, Kind: h.Kind, Provisional: h.Provisional}
	}
	return out
}

// registerCalendar registers the working calendar's routes (issue 3).
func (s *Server) registerCalendar() {
	huma.Register(s.api, s.op("holidays", http.MethodGet, "/calendar/holidays", "The days off of a year", "Calendar"),
		func(ctx context.Context, in *holidaysInput) (*holidaysOutput, error) {
			y, err := s.svc.Holidays(in.Year)
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			out := &holidaysOutput{}
			out.Body.Year, out.Body.Announced = y.Year, y.Announced
			out.Body.Items, out.Body.MakeUp = calendarDays(y.Holidays), calendarDays(y.MakeUp)
			return out, nil
		})
	huma.Register(s.api, s.op("add-working-days", http.MethodGet, "/calendar/add-working-days", "Count working days from a date", "Calendar"),
		func(ctx context.Context, in *addWorkingDaysInput) (*dateOutput, error) {
			d, err := s.svc.AddWorkingDays(in.From, in.N)
			if err != nil {
				return nil, fail(s.log, fieldIn(err, "query"))
			}
			out := &dateOutput{}
			out.Body.Date = d
			return out, nil
		})
	huma.Register(s.api, s.only(s.op("set-calendar-day", http.MethodPut, "/calendar/days/{date}", "Declare a day off or a working day (admins)", "Calendar"), workflow.RoleAdmin),
		func(ctx context.Context, in *calendarDayInput) (*calendarDayOutput, error) {
			row, err := s.svc.SetCalendarDay(ctx, actorFrom(ctx), in.Date, calendar.DayKind(in.Body.Kind), in.Body.Name)
			if err != nil {
				return nil, fail(s.log, err)
			}
			out := &calendarDayOutput{}
			out.Body.Date, out.Body.Kind, out.Body.Name, out.Body.UpdatedBy = row.Day, row.Kind, row.Name, row.UpdatedBy
			return out, nil
		})
	huma.Register(s.api, s.op("delete-calendar-day", http.MethodDelete, "/calendar/days/{date}", "Remove a declared day: it follows the rules again (admins)", "Calendar", http.StatusNoContent),
		func(ctx context.Context, in *calendarDayPath) (*struct{}, error) {
			return nil, fail(s.log, s.svc.DeleteCalendarDay(ctx, actorFrom(ctx), in.Date))
		})
	s.registerCalendarYears()
}
