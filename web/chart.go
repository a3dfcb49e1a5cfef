package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/dondoc/dondoc/workflow"
)

// chartColors are the categories' colours in the trend chart, each with
// enough contrast against white to be told apart (and the table under the
// chart holds the same figures for whoever cannot see colours).
var chartColors = map[workflow.Category]string{
	workflow.CategoryCompletedOnTime:   "#0b6b3a",
	workflow.CategoryCompletedLate:     "#8a5a00",
	workflow.CategoryInProgressOnTime:  "#0b4f8a",
	workflow.CategoryInProgressOverdue: "#a4161a",
	workflow.CategoryNoDeadline:        "#6b6b6b",
}

// trendSVG draws an agency's month-by-month counts as stacked bars, one per
// reporting month (the oldest first), on the server: no script, no chart
// library. Every text in it is escaped.
func trendSVG(points []workflow.TrendPoint) template.HTML {
	if len(points) == 0 {
		return ""
	}
	const w, h, top, bottom, left = 640, 200, 10, 30, 36
	peak := 1
	for _, p := range points {
		peak = max(peak, p.Counts.Total)
	}
	slot := float64(w-left) / float64(len(points))
	barW := slot * 0.7
	plot := float64(h - top - bottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %d %d" role="img" aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">`, w, h)
	b.WriteString(`<title id="trend-title">Số nhiệm vụ chủ trì theo tháng báo cáo, chia theo tình trạng</title>`)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1b1b1b"/>`, left, h-bottom, w, h-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="end">%s</text>`, left-4, top+8, formatInt(peak))
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="end">0</text>`, left-4, h-bottom)
	for i, p := range points {
		x := float64(left) + float64(i)*slot + (slot-barW)/2
		y := float64(h - bottom)
		fmt.Fprintf(&b, `<g data-month="%s">`, html.EscapeString(p.Period.Month))
		for _, cat := range workflow.Categories {
			n := p.Counts.Of(cat)
			if n == 0 {
				continue
			}
			bh := plot * float64(n) / float64(peak)
			y -= bh
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
				x, y, barW, bh, chartColors[cat], html.EscapeString(p.Period.Month), html.EscapeString(workflow.CategoryLabels[cat]), formatInt(n))
		}
		label := p.Period.Month
		if len(label) == 7 { // yyyy-mm → mm/yy
			label = label[5:] + "/" + label[2:4]
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text></g>`, x+barW/2, h-bottom+16, html.EscapeString(label))
	}
	b.WriteString(`</svg>`)
	var legend strings.Builder
	legend.WriteString(`<ul class="legend">`)
	for _, cat := range workflow.Categories {
		fmt.Fprintf(&legend, `<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="%s"/></svg>%s</li>`, chartColors[cat], html.EscapeString(workflow.CategoryLabels[cat]))
	}
	legend.WriteString(`</ul>`)
	return template.HTML(b.String() + legend.String()) //nolint:gosec // built above from escaped text
}
