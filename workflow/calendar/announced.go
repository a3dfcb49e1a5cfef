package calendar

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/dondoc/dondoc/civil"
)

// The days the government announces each year cannot be derived from rules
// (which working day is swapped, which Saturday is made up, where the five
// Tết days go), so they ship as data: data/announced.json, one entry per
// announced year with the documents it comes from.
//
//go:embed data/announced.json
var announcedJSON []byte

// Citation names an official document a calendar day comes from.
type Citation struct {
	Year   int    `json:"year"`
	Number string `json:"number"` // số ký hiệu, e.g. "9441/TB-BNV"
	Issuer string `json:"issuer"`
	Date   string `json:"date"` // date of issue, YYYY-MM-DD
	Title  string `json:"title"`
	Covers string `json:"covers"`
	URL    string `json:"url"` // the page the citation was checked against
	// SeeAlso are other pages that confirm the number and date.
	SeeAlso []string `json:"see_also,omitempty"`
}

// ScheduleDay is one day of an announced schedule: a day off (Kind one of the
// Holiday kinds) or a weekend day declared a working day (Kind MakeUpDay).
type ScheduleDay struct {
	Date   civil.Date `json:"date"`
	Kind   string     `json:"kind"`
	Name   string     `json:"name"`
	Source string     `json:"source"` // a Citation's Number, or "law"
	Note   string     `json:"note,omitempty"`
}

// Schedule is one year's calendar as the government announced it for the
// civil service. It replaces the rules for that year entirely: every day off
// that is not an ordinary weekend is listed.
type Schedule struct {
	Year      int           `json:"year"`
	Citations []Citation    `json:"citations"`
	Days      []ScheduleDay `json:"days"`
}

type announcedFile struct {
	Law   Citation   `json:"law"`
	Years []Schedule `json:"years"`
}

// LoadSchedules returns the announced schedules shipped with dondoc, sorted
// by year, and the citation of the law they apply.
func LoadSchedules() ([]Schedule, Citation, error) {
	var f announcedFile
	if err := json.Unmarshal(announcedJSON, &f); err != nil {
		return nil, Citation{}, fmt.Errorf("calendar: shipped schedules: %w", err)
	}
	for i := range f.Years {
		if err := f.Years[i].validate(); err != nil {
			return nil, Citation{}, err
		}
		for j := range f.Years[i].Citations {
			f.Years[i].Citations[j].Year = f.Years[i].Year
		}
	}
	sort.Slice(f.Years, func(i, j int) bool { return f.Years[i].Year < f.Years[j].Year })
	return f.Years, f.Law, nil
}

// LoadAnnounced returns the shipped schedules flattened into per-date
// overrides (a day off or a make-up working day each), with their
// citations: the form in which the API stores them for admins to edit.
func LoadAnnounced() ([]Override, []Citation, error) {
	schedules, law, err := LoadSchedules()
	if err != nil {
		return nil, nil, err
	}
	var ovs []Override
	cites := []Citation{law}
	for _, s := range schedules {
		cites = append(cites, s.Citations...)
		for _, d := range s.Days {
			kind := DayHoliday
			if d.Kind == MakeUpDay {
				kind = DayWorking
			}
			ovs = append(ovs, Override{Date: d.Date, Kind: kind, Name: d.Name})
		}
	}
	return ovs, cites, nil
}

// Validate checks a schedule as LoadSchedules checks the shipped ones: its
// days are in its year, listed once, of a known kind, citing one of its
// documents, and its make-up days are weekend days.
func (s Schedule) Validate() error { return s.validate() }

func (s Schedule) validate() error {
	sources := map[string]bool{"law": true}
	for _, c := range s.Citations {
		if c.Number == "" || c.Issuer == "" || c.Date == "" {
			return fmt.Errorf("calendar: schedule %d: a citation lacks its number, issuer or date", s.Year)
		}
		sources[c.Number] = true
	}
	seen := map[civil.Date]bool{}
	for _, d := range s.Days {
		switch {
		case d.Date.Year != s.Year:
			return fmt.Errorf("calendar: schedule %d lists %v", s.Year, d.Date)
		case seen[d.Date]:
			return fmt.Errorf("calendar: schedule %d lists %v twice", s.Year, d.Date)
		case !knownKind(d.Kind):
			return fmt.Errorf("calendar: schedule %d: unknown kind %q on %v", s.Year, d.Kind, d.Date)
		case !sources[d.Source]:
			return fmt.Errorf("calendar: schedule %d: %v cites %q, which the year does not list", s.Year, d.Date, d.Source)
		case d.Kind == MakeUpDay && !isWeekend(d.Date):
			return fmt.Errorf("calendar: schedule %d: make-up day %v is not a weekend day", s.Year, d.Date)
		}
		seen[d.Date] = true
	}
	return nil
}

func knownKind(k string) bool {
	switch k {
	case HolidayPublic, HolidayTet, HolidayCompensatory, HolidaySwapped, HolidayWeeklyRest, HolidayDeclared, MakeUpDay:
		return true
	}
	return false
}
