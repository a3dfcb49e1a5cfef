package deadline

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/workflow/calendar"
)

// The phrases Find knows, matched against lower-cased, NFC-normalised text.
// Each rule builds an Expr from its submatches (g[0] is the whole phrase);
// rules earlier in the list win ties between phrases of the same length.
//
// "trước" (before) keeps an explicit date as written ("trước ngày 15/3" is
// due on 15/3, as the government's tracking counts it) but on a period means
// before the period starts: "trước năm 2023" is due at the end of 2022,
// "trước tháng 10" at the end of September, "trước quý III" at the end of
// the second quarter.

type findContext struct {
	doc civil.Date
	cal *calendar.Calendar
}

type rule struct {
	need      string // a word the text must hold for the rule to be tried, if set
	re        *regexp.Regexp
	build     func(g []string, ctx *findContext) (Expr, bool)
	reject    func(low string, s, e int) bool
	recurring bool
}

const (
	// Words that lead a date or a period without changing it.
	lead     = `(?:(?:ngay\s+)?trong|đến\s+hết|đến\s+cuối|trước\s+cuối|hết|cuối|đến|chậm\s+nhất(?:\s+là)?|hạn(?:\s+chót)?(?:\s+là)?|trước)\s+`
	sep      = `\s*[/.-]\s*`
	roman    = `(iv|i{1,3}|[1-4])`
	yearTail = `(?:` + sep + `(\d{4})|\s+năm\s+(\d{4}|nay))`
)

var rules = []rule{
	// Explicit dates: "trước ngày 15/3/2023", "ngày 15 tháng 3 năm 2023".
	{re: re(`(?:` + lead + `)?(?:ngày\s+)?(\d{1,2})` + sep + `(\d{1,2})` + sep + `(\d{4})`), build: buildDate(1, 2, 3)},
	{re: re(`(?:` + lead + `)?(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`), build: buildDate(1, 2, 3)},
	// Day and month, the year from the document: "ngày 15/3", "trước 31/12".
	{re: re(`(?:` + lead + `)?ngày\s+(\d{1,2})(?:` + sep + `|\s+tháng\s+)(\d{1,2})`), build: buildDate(1, 2, 0)},
	{re: re(`(?:trước|đến|chậm\s+nhất(?:\s+là)?|hạn(?:\s+chót)?(?:\s+là)?)\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})`), build: buildDate(1, 2, 0)},

	// An occasion with its day: "vào dịp Quốc khánh 2/9", "dịp kỷ niệm 80
	// năm Cách mạng tháng Tám và Quốc khánh 2/9" is due on that day.
	{need: "dịp", re: re(`(?:vào\s+)?dịp\s+(?:[^.,;:\n]{0,60}?\s)?(\d{1,2})` + sep + `(\d{1,2})` + `(?:` + sep + `(\d{4}))?`), build: buildOccasion,
		reject: pastOccasion},

	// Periods of days: "trong 10 ngày làm việc", "trong vòng 15 ngày",
	// "trong 30 ngày kể từ ngày ký", "... kể từ ngày 15/3/2023".
	{re: re(`trong(?:\s+vòng|\s+thời\s+hạn|\s+thời\s+gian)?\s+(\d{1,3})\s+ngày(\s+làm\s+việc)?` +
		`(?:\s+kể\s+từ\s+(?:ngày\s+)?(?:(\d{1,2})` + sep + `(\d{1,2})` + sep + `(\d{4})|ký(?:\s+ban\s+hành)?(?:\s+(?:thông\s+báo|văn\s+bản|công\s+văn|công\s+điện|quyết\s+định|chỉ\s+thị)(?:\s+này)?)?|ban\s+hành|nhận\s+được(?:\s+(?:văn\s+bản|thông\s+báo|công\s+văn))?(?:\s+này)?))?`),
		build: buildDays},

	// Periods of weeks, months and years: "trong 2 tuần", "trong 03 tháng
	// kể từ ngày ký", "trong vòng một tháng". "Trong thời gian 2 tuần tới"
	// is a span of time, not a deadline.
	{re: re(`trong(?:\s+vòng|\s+thời\s+hạn|\s+thời\s+gian)?\s+(\d{1,3}|một|hai|ba|bốn|sáu|mười)\s+(tuần|tháng|năm)` +
		`(?:\s+kể\s+từ\s+(?:ngày\s+)?(?:(\d{1,2})` + sep + `(\d{1,2})` + sep + `(\d{4})|ký(?:\s+ban\s+hành)?(?:\s+(?:thông\s+báo|văn\s+bản|công\s+văn|công\s+điện|quyết\s+định|chỉ\s+thị)(?:\s+này)?)?|ban\s+hành|nhận\s+được(?:\s+(?:văn\s+bản|thông\s+báo|công\s+văn))?(?:\s+này)?))?`),
		build: buildPeriod, reject: followedBy(" tới", " qua", " gần", " đầu", " cuối", " trước", " sau", " còn", " lại", " liên")},

	// The end of a week: "chậm nhất cuối tuần này", "trong tuần tới".
	{re: re(`(?:` + lead + `)?(?:cuối\s+)?tuần\s+(này|tới|sau)`), build: buildWeekEnd,
		reject: func(low string, s, e int) bool {
			return !strings.Contains(low[s:e], "cuối") && !strings.Contains(low[s:e], "trong")
		}},

	// Months: "trong tháng 10/2022", "tháng 10 năm 2022", "tháng 10".
	{re: re(`(?:` + lead + `)?` + `tháng\s+(\d{1,2})` + yearTail), build: buildMonth(true)},
	{re: re(`(?:` + lead + `)?` + `tháng\s+(\d{1,2})`), build: buildMonth(false)},

	// Quarters: "trong quý III/2023", "quý 3 năm 2023", "cuối quý II", "quý I".
	{re: re(`(?:` + lead + `)?` + `qu[ýí]\s+` + roman + yearTail), build: buildQuarter(true)},
	{re: re(`(?:` + lead + `)?` + `qu[ýí]\s+` + roman), build: buildQuarter(false)},

	// Half-years: "6 tháng đầu năm 2023", "sáu tháng cuối năm", "nửa đầu năm".
	{re: re(`(?:` + lead + `)?(?:(?:6|sáu)\s+tháng|nửa)\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?`), build: buildHalf},

	// Years, only as deadlines: "trong năm 2023", "trước năm 2023",
	// "hoàn thành năm 2022", "cuối năm 2023", "trong năm nay", "cuối năm".
	{re: re(`(?:(?:hoàn\s+thành|xong)(?:\s+trong)?|(?:ngay\s+)?trong|đến\s+hết|đến\s+cuối|hết|cuối|(trước))\s+năm\s+(\d{4})`), build: buildYear},
	{re: re(`(?:(?:ngay\s+)?trong|đến\s+hết|đến\s+cuối|hết|cuối)\s+năm\s+nay`), build: docYear},
	{re: re(`(?:đến\s+)?cuối\s+năm`), build: docYear},

	// Before Tết: "trước Tết Nguyên đán", "trước Tết Nguyên đán Quý Mão 2023".
	{re: re(`trước\s+tết(?:\s+(?:nguyên\s+đán|âm\s+lịch|cổ\s+truyền))?` +
		`(?:\s+(giáp|ất|bính|đinh|mậu|kỷ|kỉ|canh|tân|nhâm|quý)\s+(tý|sửu|dần|mão|mẹo|thìn|tỵ|tị|ngọ|mùi|thân|dậu|tuất|hợi))?(?:\s+(?:năm\s+)?(\d{4}))?`),
		build: buildTet, reject: followedBy(" dương")},

	// A monthly report on a day of each month: "hằng tháng, trước ngày 20",
	// "trước ngày 20 hằng tháng" (tried only on text that says "hằng tháng"
	// or "hàng tháng", both of which end in "ng tháng"). It is due first on that day of the month
	// the document is in, or of the next if the day has passed, and recurs.
	{need: "ng tháng", re: re(`(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+tháng,?\s+(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(\d{1,2})`),
		build: buildMonthlyDay, recurring: true, reject: followedBy("/", ".", "-", " tháng")},
	{need: "ng tháng", re: re(`(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(\d{1,2})\s+(?:hằng|hàng)\s+tháng`),
		build: buildMonthlyDay, recurring: true},

	// No date.
	{re: re(`khẩn\s+trương`), build: fixed(Expr{Kind: KindUrgent})},
	{re: re(`(?:trong\s+thời\s+gian\s+)?sớm\s+nhất|sớm`), build: fixed(Expr{Kind: KindUrgent}),
		reject: func(low string, s, e int) bool {
			return precededBy("sáng ")(low, s, e) || followedBy(" hơn", " muộn")(low, s, e)
		}},
	{re: re(`ngay\s+lập\s+tức|ngay\s+trong\s+tuần(?:\s+này)?|(?:thực\s+hiện|triển\s+khai|xử\s+lý|báo\s+cáo|khắc\s+phục|chấn\s+chỉnh|giải\s+quyết|hoàn\s+thành|rà\s+soát)\s+ngay`),
		build: fixed(Expr{Kind: KindUrgent}), reject: followedBy(" sau", " khi", " cả", " từ", " tại", " bên")},
	{re: re(`thường\s+xuyên`), build: fixed(Expr{Kind: KindOngoing})},
	{re: re(`(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+tháng`), build: fixed(Expr{Kind: KindOngoing, ReportingPeriod: ReportMonthly}), recurring: true},
	{re: re(`(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+quý`), build: fixed(Expr{Kind: KindOngoing, ReportingPeriod: ReportQuarterly}), recurring: true},
	{re: re(`(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+(?:ngày|tuần|năm)`), build: fixed(Expr{Kind: KindOngoing}), recurring: true,
		reject: followedBy(" là", " của", " có")},
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

func fixed(e Expr) func([]string, *findContext) (Expr, bool) {
	return func([]string, *findContext) (Expr, bool) { return e, true }
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// realDate returns y-m-d if it exists.
func realDate(y, m, d int) (civil.Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 {
		return civil.Date{}, false
	}
	date := civil.NewDate(y, time.Month(m), d)
	return date, date.Day == d
}

// inferYear returns the document's year, or the next one if the period
// ending on end(year) is already over on the document's date.
func (c *findContext) inferYear(end func(y int) (civil.Date, bool)) (int, bool) {
	if c.doc.IsZero() {
		return 0, false
	}
	y := c.doc.Year
	d, ok := end(y)
	if !ok {
		// 29/2 in a common year: try the next years.
		for k := 1; k <= 4; k++ {
			if _, ok := end(y + k); ok {
				return y + k, true
			}
		}
		return 0, false
	}
	if d.Before(c.doc) {
		if _, ok := end(y + 1); ok {
			return y + 1, true
		}
		return 0, false
	}
	return y, true
}

func buildDate(dg, mg, yg int) func([]string, *findContext) (Expr, bool) {
	return func(g []string, c *findContext) (Expr, bool) {
		d, m := atoi(g[dg]), atoi(g[mg])
		y := 0
		if yg > 0 {
			y = atoi(g[yg])
		} else {
			var ok bool
			y, ok = c.inferYear(func(y int) (civil.Date, bool) { return realDate(y, m, d) })
			if !ok {
				return Expr{}, false
			}
		}
		date, ok := realDate(y, m, d)
		return Expr{Kind: KindDate, Date: date}, ok
	}
}

// buildMonthlyDay builds the first date, on or after the document's, that
// falls on day g[1] of a month.
func buildMonthlyDay(g []string, c *findContext) (Expr, bool) {
	d := atoi(g[1])
	if d < 1 || d > 31 || c.doc.IsZero() {
		return Expr{}, false
	}
	y, m := c.doc.Year, int(c.doc.Month)
	for range 3 { // a day 31 may skip a month
		if date, ok := realDate(y, m, d); ok && !date.Before(c.doc) {
			return Expr{Kind: KindDate, Date: date, ReportingPeriod: ReportMonthly}, true
		}
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return Expr{}, false
}

// buildOccasion builds the date of an occasion, with or without its year.
func buildOccasion(g []string, c *findContext) (Expr, bool) {
	if g[3] != "" {
		return buildDate(1, 2, 3)(g, c)
	}
	return buildDate(1, 2, 0)(g, c)
}

func buildDays(g []string, c *findContext) (Expr, bool) {
	n := atoi(g[1])
	if n < 1 {
		return Expr{}, false
	}
	e := Expr{Kind: KindDays, N: n}
	if g[2] != "" {
		e.Kind = KindWorkingDays
	}
	if g[3] != "" {
		base, ok := realDate(atoi(g[5]), atoi(g[4]), atoi(g[3]))
		if !ok {
			return Expr{}, false
		}
		e.Date = base
	}
	return e, true
}

var numberWords = map[string]int{"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "mười": 10}

func buildPeriod(g []string, c *findContext) (Expr, bool) {
	n, ok := numberWords[g[1]]
	if !ok {
		n = atoi(g[1])
	}
	if n < 1 {
		return Expr{}, false
	}
	e := Expr{Kind: map[string]Kind{"tuần": KindWeeks, "tháng": KindMonths, "năm": KindYears}[g[2]], N: n}
	if g[3] != "" {
		base, ok := realDate(atoi(g[5]), atoi(g[4]), atoi(g[3]))
		if !ok {
			return Expr{}, false
		}
		e.Date = base
	}
	return e, true
}

// buildWeekEnd gives the last working day of the document's week ("tuần
// này") or the next ("tuần tới", "tuần sau"), weeks running Monday to
// Sunday.
func buildWeekEnd(g []string, c *findContext) (Expr, bool) {
	if c.doc.IsZero() {
		return Expr{}, false
	}
	sunday := c.doc.AddDays((7 - int(c.doc.Weekday())) % 7)
	if g[1] != "này" {
		sunday = sunday.AddDays(7)
	}
	d := sunday
	for k := 0; k < 7 && !c.cal.IsWorkingDay(d); k++ {
		d = d.AddDays(-1)
	}
	if d.Before(c.doc) {
		d = c.doc
	}
	return Expr{Kind: KindDate, Date: d}, true
}

func buildMonth(withYear bool) func([]string, *findContext) (Expr, bool) {
	return func(g []string, c *findContext) (Expr, bool) {
		m := atoi(g[1])
		if m < 1 || m > 12 {
			return Expr{}, false
		}
		e := Expr{Kind: KindMonth, Month: m}
		if withYear {
			e.Year = tailYear(g[2:4], c)
		} else {
			y, ok := c.inferYear(func(y int) (civil.Date, bool) { return Expr{Kind: KindMonth, Year: y, Month: m}.periodEnd() })
			if !ok {
				return Expr{}, false
			}
			e.Year = y
		}
		if beforePeriod(g[0]) { // before the month: by the end of the one before
			if e.Month--; e.Month == 0 {
				e.Month, e.Year = 12, e.Year-1
			}
		}
		return e, true
	}
}

// tailYear reads the year after a month or a quarter, written in digits
// after a separator or "năm", or as "năm nay" (this year: the document's).
func tailYear(g []string, c *findContext) int {
	switch {
	case g[0] != "":
		return atoi(g[0])
	case g[1] == "nay":
		return c.doc.Year
	}
	return atoi(g[1])
}

// beforePeriod reports whether a phrase asks for the work before a period
// starts ("trước quý III": by the end of the second quarter); "trước cuối
// quý III" asks for it by the end of the third.
func beforePeriod(phrase string) bool {
	f := strings.Fields(phrase)
	return len(f) > 1 && f[0] == "trước" && f[1] != "cuối"
}

var romans = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

func buildQuarter(withYear bool) func([]string, *findContext) (Expr, bool) {
	return func(g []string, c *findContext) (Expr, bool) {
		q := romans[g[1]]
		if q == 0 {
			return Expr{}, false
		}
		e := Expr{Kind: KindQuarter, Quarter: q}
		if withYear {
			e.Year = tailYear(g[2:4], c)
		} else {
			y, ok := c.inferYear(func(y int) (civil.Date, bool) { return Expr{Kind: KindQuarter, Year: y, Quarter: q}.periodEnd() })
			if !ok {
				return Expr{}, false
			}
			e.Year = y
		}
		if beforePeriod(g[0]) { // before the quarter: by the end of the one before
			if e.Quarter--; e.Quarter == 0 {
				e.Quarter, e.Year = 4, e.Year-1
			}
		}
		return e, true
	}
}

func buildHalf(g []string, c *findContext) (Expr, bool) {
	e := Expr{Kind: KindHalfYear, Half: 1, Year: c.doc.Year}
	if g[1] == "cuối" {
		e.Half = 2
	}
	if g[2] != "" {
		e.Year = atoi(g[2])
	}
	return e, e.Year > 0
}

func buildYear(g []string, c *findContext) (Expr, bool) {
	y := atoi(g[2])
	if g[1] != "" { // trước năm Y: by the end of Y-1
		y--
	}
	return Expr{Kind: KindYear, Year: y}, y > 0
}

func docYear(_ []string, c *findContext) (Expr, bool) {
	return Expr{Kind: KindYear, Year: c.doc.Year}, !c.doc.IsZero()
}

var stems = map[string]int{"giáp": 0, "ất": 1, "bính": 2, "đinh": 3, "mậu": 4, "kỷ": 5, "kỉ": 5, "canh": 6, "tân": 7, "nhâm": 8, "quý": 9}
var branches = map[string]int{"tý": 0, "sửu": 1, "dần": 2, "mão": 3, "mẹo": 3, "thìn": 4, "tỵ": 5, "tị": 5, "ngọ": 6, "mùi": 7, "thân": 8, "dậu": 9, "tuất": 10, "hợi": 11}

// buildTet names the lunar year: the number given, else the year of the
// stem and branch given, else the next Tết after the document's date.
func buildTet(g []string, c *findContext) (Expr, bool) {
	if g[3] != "" {
		return Expr{Kind: KindBeforeTet, Year: atoi(g[3])}, true
	}
	if c.doc.IsZero() {
		return Expr{}, false
	}
	y := c.doc.Year
	if !calendar.TetOf(y).After(c.doc) {
		y++
	}
	if g[1] != "" {
		s, b := stems[g[1]], branches[g[2]]
		for k := -1; k < 60; k++ {
			if cy := y + k; mod(cy-4, 10) == s && mod(cy-4, 12) == b {
				return Expr{Kind: KindBeforeTet, Year: cy}, true
			}
		}
		return Expr{}, false
	}
	return Expr{Kind: KindBeforeTet, Year: y}, true
}

func mod(a, n int) int { return ((a % n) + n) % n }

// pastOccasion rejects an occasion told as past: "dịp nghỉ lễ 30/4 - 1/5
// vừa qua".
func pastOccasion(low string, _, e int) bool {
	rest := low[e:]
	if i := strings.IndexAny(rest, ".,;:\n"); i >= 0 {
		rest = rest[:i]
	}
	rest = rest[:min(len(rest), 30)]
	return strings.Contains(rest, "vừa qua") || strings.Contains(rest, "năm ngoái") || strings.Contains(rest, "năm trước")
}

func followedBy(words ...string) func(string, int, int) bool {
	return func(low string, _, e int) bool {
		for _, w := range words {
			if strings.HasPrefix(low[e:], w) {
				return true
			}
		}
		return false
	}
}

func precededBy(words ...string) func(string, int, int) bool {
	return func(low string, s, _ int) bool {
		for _, w := range words {
			if strings.HasSuffix(low[:s], w) {
				return true
			}
		}
		return false
	}
}
