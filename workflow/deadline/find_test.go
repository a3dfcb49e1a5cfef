package deadline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
)

// found is one expected match: the phrase as it appears in the input, its
// kind, and its due date ("" for none) or, for periods, its Period().
type found struct {
	text string
	kind Kind
	due  string
}

func TestFind(t *testing.T) {
	const doc = "2022-04-27" // the second session of the national committee on digital transformation
	cases := []struct {
		in   string
		doc  string
		want []found
	}{
		// Explicit dates.
		{"Hoàn thành trước ngày 15/3/2023.", doc, []found{{"trước ngày 15/3/2023", KindDate, "2023-03-15"}}},
		{"Báo cáo trước ngày 15 tháng 3 năm 2023", doc, []found{{"trước ngày 15 tháng 3 năm 2023", KindDate, "2023-03-15"}}},
		{"nộp chậm nhất là ngày 05-06-2022 cho Bộ", doc, []found{{"chậm nhất là ngày 05-06-2022", KindDate, "2022-06-05"}}},
		{"ký ngày 30.11.2021", doc, []found{{"ngày 30.11.2021", KindDate, "2021-11-30"}}},
		{"họp ngày 15/3 tới", doc, []found{{"ngày 15/3", KindDate, "2023-03-15"}}},    // 15/3 is past on 27/4: next year
		{"họp ngày 15/5 tới", doc, []found{{"ngày 15/5", KindDate, "2022-05-15"}}},    // still ahead: this year
		{"trình trước 31/12.", doc, []found{{"trước 31/12", KindDate, "2022-12-31"}}}, // kept as written, even on a Saturday
		{"ngày 10 tháng 6 tổ chức", doc, []found{{"ngày 10 tháng 6", KindDate, "2022-06-10"}}},
		{"đến hết ngày 30/6/2022", doc, []found{{"đến hết ngày 30/6/2022", KindDate, "2022-06-30"}}},

		// Occasions with their day.
		{"khánh thành vào dịp Quốc khánh 2/9.", doc, []found{{"vào dịp Quốc khánh 2/9", KindDate, "2022-09-02"}}},
		{"khánh thành vào dịp kỷ niệm Cách mạng tháng Tám và Quốc khánh 2/9", doc,
			[]found{{"vào dịp kỷ niệm Cách mạng tháng Tám và Quốc khánh 2/9", KindDate, "2022-09-02"}}},
		{"hoàn thành dịp 30/4/2025", doc, []found{{"dịp 30/4/2025", KindDate, "2025-04-30"}}},
		{"trong dịp nghỉ lễ, bảo đảm an toàn", doc, nil},
		{"trong dịp nghỉ lễ 30/4 - 1/5 vừa qua, lượng khách tăng", doc, nil},

		// Months.
		{"Triển khai trong tháng 10/2022", doc, []found{{"trong tháng 10/2022", KindMonth, "2022-10"}}},
		{"trong tháng 10 năm 2022", doc, []found{{"trong tháng 10 năm 2022", KindMonth, "2022-10"}}},
		{"xong tháng 10", doc, []found{{"tháng 10", KindMonth, "2022-10"}}},
		{"trong tháng 3", doc, []found{{"trong tháng 3", KindMonth, "2023-03"}}}, // March is over: next year's
		{"hoàn thành trước tháng 10/2022", doc, []found{{"trước tháng 10/2022", KindMonth, "2022-09"}}},
		{"mục tiêu đến tháng 10/2022 sẽ bồi dưỡng", doc, []found{{"đến tháng 10/2022", KindMonth, "2022-10"}}},

		// Quarters.
		{"trong quý III/2023", doc, []found{{"trong quý III/2023", KindQuarter, "2023-Q3"}}},
		{"Quý 3 năm 2023", doc, []found{{"Quý 3 năm 2023", KindQuarter, "2023-Q3"}}},
		{"báo cáo quý I", doc, []found{{"quý I", KindQuarter, "2023-Q1"}}},
		{"cuối quý II", doc, []found{{"cuối quý II", KindQuarter, "2022-Q2"}}},
		{"trong quý IV/2022,", doc, []found{{"trong quý IV/2022", KindQuarter, "2022-Q4"}}},
		{"Đến hết quý I/2022, 100% bộ, ngành, địa phương đã thành lập", doc, []found{{"Đến hết quý I/2022", KindQuarter, "2022-Q1"}}},
		{"trước quý III/2023", doc, []found{{"trước quý III/2023", KindQuarter, "2023-Q2"}}},

		// Half-years.
		{"sơ kết 6 tháng đầu năm 2023", doc, []found{{"6 tháng đầu năm 2023", KindHalfYear, "2023-H1"}}},
		{"6 tháng cuối năm", doc, []found{{"6 tháng cuối năm", KindHalfYear, "2022-H2"}}},

		// Years, only as deadlines.
		{"trong năm 2023", doc, []found{{"trong năm 2023", KindYear, "2023"}}},
		{"hoàn thành trước năm 2023", doc, []found{{"trước năm 2023", KindYear, "2022"}}},
		{"phải hoàn thành năm 2022", doc, []found{{"hoàn thành năm 2022", KindYear, "2022"}}},
		{"thực hiện trong năm nay", doc, []found{{"trong năm nay", KindYear, "2022"}}},
		{"cuối năm 2023", doc, []found{{"cuối năm 2023", KindYear, "2023"}}},
		{"tổng kết vào cuối năm", doc, []found{{"cuối năm", KindYear, "2022"}}},
		{"từ năm 2022 đến năm 2025 thực hiện 53 chỉ tiêu", doc, nil},
		{"năm 2022 có chủ đề chuyển đổi số", doc, nil},

		// Periods of days.
		{"trong 10 ngày làm việc", doc, []found{{"trong 10 ngày làm việc", KindWorkingDays, "2022-05-13"}}},
		// Weeks and months from the document's date (Civil Code Art. 148(2)-(3)).
		{"trong 2 tuần", doc, []found{{"trong 2 tuần", KindWeeks, "2022-05-11"}}},
		{"hoàn thành trong 1 tháng", doc, []found{{"trong 1 tháng", KindMonths, "2022-05-27"}}},
		{"trong vòng một tháng", doc, []found{{"trong vòng một tháng", KindMonths, "2022-05-27"}}},
		{"trong 03 tháng kể từ ngày ký", doc, []found{{"trong 03 tháng kể từ ngày ký", KindMonths, "2022-07-27"}}},
		{"trong 1 tháng kể từ ngày 31/5/2022", doc, []found{{"trong 1 tháng kể từ ngày 31/5/2022", KindMonths, "2022-06-30"}}},
		{"tạm dừng trong thời gian 2 tuần tới", doc, nil},
		{"trong 6 tháng đầu năm 2022", doc, []found{{"trong 6 tháng đầu năm 2022", KindHalfYear, "2022-H1"}}},
		// Dotted dates, the end of the week.
		{"trước ngày 15.9", doc, []found{{"trước ngày 15.9", KindDate, "2022-09-15"}}},
		{"báo cáo trước 15.9", doc, []found{{"trước 15.9", KindDate, "2022-09-15"}}},
		{"chậm nhất cuối tuần này", doc, []found{{"chậm nhất cuối tuần này", KindDate, "2022-04-29"}}}, // Saturday 30/4 is a holiday
		{"trong tuần tới", doc, []found{{"trong tuần tới", KindDate, "2022-05-06"}}},
		{"trong vòng 15 ngày", doc, []found{{"trong vòng 15 ngày", KindDays, "2022-05-12"}}},
		{"trong 30 ngày kể từ ngày ký", doc, []found{{"trong 30 ngày kể từ ngày ký", KindDays, "2022-05-27"}}},
		{"trong 30 ngày kể từ ngày 15/3/2023", doc, []found{{"trong 30 ngày kể từ ngày 15/3/2023", KindDays, "2023-04-14"}}},
		{"trong thời hạn 05 ngày làm việc", doc, []found{{"trong thời hạn 05 ngày làm việc", KindWorkingDays, "2022-05-06"}}},

		// Tết.
		{"hoàn thành trước Tết Nguyên đán", doc, []found{{"trước Tết Nguyên đán", KindBeforeTet, "tet-2023"}}},
		{"trước Tết Nguyên đán Quý Mão 2023", doc, []found{{"trước Tết Nguyên đán Quý Mão 2023", KindBeforeTet, "tet-2023"}}},
		{"trước Tết Nguyên đán Giáp Thìn", doc, []found{{"trước Tết Nguyên đán Giáp Thìn", KindBeforeTet, "tet-2024"}}},
		{"trước Tết Nguyên đán", "2023-01-25", []found{{"trước Tết Nguyên đán", KindBeforeTet, "tet-2024"}}},
		{"trước Tết Dương lịch", doc, nil},

		// No date.
		{"Bộ Y tế khẩn trương hoàn thiện", doc, []found{{"khẩn trương", KindUrgent, ""}}},
		{"Bộ TT&TT sớm hoàn thiện kế hoạch", doc, []found{{"sớm", KindUrgent, ""}}},
		{"trong thời gian sớm nhất", doc, []found{{"trong thời gian sớm nhất", KindUrgent, ""}}},
		{"triển khai ngay, không chờ", doc, []found{{"triển khai ngay", KindUrgent, ""}}},
		{"triển khai ngay sau khi có ý kiến", doc, nil},
		{"sáng sớm nay", doc, nil},
		{"theo dõi thường xuyên", doc, []found{{"thường xuyên", KindOngoing, ""}}},
		{"báo cáo hằng tháng", doc, []found{{"hằng tháng", KindOngoing, "monthly"}}},
		{"báo cáo hàng tháng", doc, []found{{"hàng tháng", KindOngoing, "monthly"}}},
		{"báo cáo định kỳ hằng quý", doc, []found{{"định kỳ hằng quý", KindOngoing, "quarterly"}}},

		// Impossible or out-of-range dates are not matches.
		{"trước ngày 30/2/2023", doc, nil},
		{"trước ngày 31/4", doc, nil},
		{"trong tháng 13/2022", doc, nil},
		{"trong năm 2999", doc, nil},
		{"15/3/20234", doc, nil},

		// Several phrases, the most specific winning overlaps.
		{"Bộ TT&TT sớm hoàn thiện kế hoạch trong năm 2022; báo cáo hằng tháng.", doc, []found{
			{"sớm", KindUrgent, ""}, {"trong năm 2022", KindYear, "2022"}, {"hằng tháng", KindOngoing, "monthly"}}},

		// Offsets point into the original text, whatever came before.
		{"Uỷ ban\u00a0Dân tộc hoàn thành trong quý III/2023", doc, []found{{"trong quý III/2023", KindQuarter, "2023-Q3"}}},
		{"Bô\u0323 Y tê\u0301 báo cáo trong\u00a0tháng\u00a010/2022", doc, []found{{"trong\u00a0tháng\u00a010/2022", KindMonth, "2022-10"}}},
		{"Tr\u01b0\u01a1\u0301c Tê\u0301t Nguyên đán", doc, []found{{"Tr\u01b0\u01a1\u0301c Tê\u0301t Nguyên đán", KindBeforeTet, "tet-2023"}}},
		{"UỶ BAN NHÂN DÂN TỈNH KHẨN TRƯƠNG XỬ LÝ", doc, []found{{"KHẨN TRƯƠNG", KindUrgent, ""}}},
		{"\xff\xfe ngày 15/5/2022", doc, []found{{"ngày 15/5/2022", KindDate, "2022-05-15"}}},
	}
	phrases := 0
	for _, c := range cases {
		got := Find(c.in, civil.MustDate(c.doc), cal)
		if len(got) != len(c.want) {
			t.Errorf("Find(%q) = %s, want %d matches", c.in, describe(got), len(c.want))
			continue
		}
		from := 0
		for i, w := range c.want {
			phrases++
			m := got[i]
			start := strings.Index(c.in[from:], w.text) + from
			if m.Text != w.text || m.Start != start || m.End != start+len(w.text) || c.in[m.Start:m.End] != m.Text {
				t.Errorf("Find(%q)[%d] = %q at [%d,%d), want %q at [%d,%d)", c.in, i, m.Text, m.Start, m.End, w.text, start, start+len(w.text))
			}
			from = m.End
			if m.Expr.Kind != w.kind {
				t.Errorf("Find(%q)[%d] kind = %s, want %s", c.in, i, m.Expr.Kind, w.kind)
			}
			var gotDue string
			switch {
			case w.kind == KindOngoing:
				gotDue = m.Expr.ReportingPeriod
				if m.Recurring != (gotDue != "") {
					t.Errorf("Find(%q)[%d] Recurring = %v", c.in, i, m.Recurring)
				}
			case m.Expr.Period() != "":
				gotDue = m.Expr.Period()
			default:
				gotDue = m.DueOn.String()
			}
			if gotDue != w.due {
				t.Errorf("Find(%q)[%d] = %s, want %s", c.in, i, gotDue, w.due)
			}
			if due, ok := m.Expr.Resolve(civil.MustDate(c.doc), cal); ok != !m.DueOn.IsZero() || due != m.DueOn {
				t.Errorf("Find(%q)[%d] DueOn = %v, Resolve = %v", c.in, i, m.DueOn, due)
			}
		}
	}
	if phrases < 40 {
		t.Errorf("only %d phrases checked", phrases)
	}
}

func TestFindRecurringWithoutPeriod(t *testing.T) {
	ms := Find("hằng ngày báo cáo Thủ tướng", civil.MustDate("2020-01-31"), cal)
	if len(ms) != 1 || !ms[0].Recurring || ms[0].Expr.Kind != KindOngoing || ms[0].Expr.ReportingPeriod != "" {
		t.Fatalf("hằng ngày: %s", describe(ms))
	}
	if ms := Find("ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia", civil.MustDate("2022-04-27"), cal); len(ms) != 1 || ms[0].Recurring {
		t.Errorf("a yearly day named is no duty: %s", describe(ms))
	}
}

// A monthly report on a day of the month is first due on the next such day,
// and recurs.
func TestFindMonthlyDay(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ text, doc, phrase, due string }{
		{"báo cáo hằng tháng, trước ngày 20 gửi Bộ Tài chính", "2026-03-02", "hằng tháng, trước ngày 20", "2026-03-20"},
		{"báo cáo trước ngày 20 hằng tháng", "2026-03-25", "trước ngày 20 hằng tháng", "2026-04-20"},
		{"định kỳ hàng tháng chậm nhất ngày 31", "2026-04-02", "định kỳ hàng tháng chậm nhất ngày 31", "2026-05-31"},
		{"báo cáo hằng tháng, trước ngày 20/3/2026 báo cáo tổng kết", "2026-03-02", "trước ngày 20/3/2026", "2026-03-20"},
	} {
		ms := Find(c.text, civil.MustDate(c.doc), cal)
		var got *Match
		for i := range ms {
			if ms[i].Text == c.phrase {
				got = &ms[i]
			}
		}
		if got == nil || got.DueOn.String() != c.due || (c.phrase != "trước ngày 20/3/2026") != got.Recurring {
			t.Errorf("%q on %s: %s, want %q due %s", c.text, c.doc, describe(ms), c.phrase, c.due)
		}
	}
}

// "kể từ ngày ký Thông báo này" names the document the period counts from;
// the whole of it belongs to the deadline.
func TestFindDaysFromSigningThisNotice(t *testing.T) {
	t.Parallel()
	ms := Find("trong 30 ngày kể từ ngày ký Thông báo này hướng dẫn", civil.MustDate("2026-03-02"), cal)
	if len(ms) != 1 || ms[0].Text != "trong 30 ngày kể từ ngày ký Thông báo này" || ms[0].DueOn.String() != "2026-04-01" {
		t.Errorf("got %s", describe(ms))
	}
}

// "trước cuối quý III" is by the end of the third quarter, unlike "trước
// quý III"; "tháng 12 năm nay" is this year's December.
func TestFindEndOfPeriodAndThisYear(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ text, phrase, due string }{
		{"hoàn thiện đề án trước cuối quý III/2026", "trước cuối quý III/2026", "2026-09-30"},
		{"hoàn thiện đề án trước quý III/2026", "trước quý III/2026", "2026-06-30"},
		{"hoàn thiện đề án trước cuối tháng 5", "trước cuối tháng 5", "2026-06-01"},
		{"hoàn thiện đề án trong tháng 12 năm nay", "trong tháng 12 năm nay", "2026-12-31"},
		{"hoàn thiện đề án trong quý IV năm nay", "trong quý IV năm nay", "2026-12-31"},
		{"hoàn thiện đề án trong tháng 12/2026", "trong tháng 12/2026", "2026-12-31"},
	} {
		ms := Find(c.text, civil.MustDate("2026-03-02"), cal)
		if len(ms) != 1 || ms[0].Text != c.phrase || ms[0].DueOn.String() != c.due {
			t.Errorf("%q: %s, want %q due %s", c.text, describe(ms), c.phrase, c.due)
		}
	}
}

func TestFindOnASampleParagraph(t *testing.T) {
	text := "Sáng 27/4, Thủ tướng chủ trì phiên họp thứ hai đánh giá tình hình triển khai chuyển đổi số trong quý I/2022. " +
		"Đến hết quý I/2022, 100% bộ, ngành, địa phương đã thành lập Ban Chỉ đạo; mục tiêu đến tháng 10/2022 sẽ bồi dưỡng cho 10.000 cán bộ. " +
		"Giao Bộ Thông tin và Truyền thông chủ trì, trong 10 ngày làm việc trình Thủ tướng kế hoạch; Bộ Công an khẩn trương hoàn thành trước ngày 30/6/2022."
	got := Find(text, civil.MustDate("2022-04-27"), cal)
	var texts []string
	for _, m := range got {
		texts = append(texts, m.Text)
	}
	want := []string{"trong quý I/2022", "Đến hết quý I/2022", "đến tháng 10/2022", "trong 10 ngày làm việc", "khẩn trương", "trước ngày 30/6/2022"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("Find on the sample = %q,\nwant %q", texts, want)
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"trước ngày 15/3/2023", "trong quý III/2023", "Uỷ ban\u00a0trong 10 ngày làm việc",
		"Bô\u0323 Y tê\u0301 trước Tết Nguyên đán Quý Mão 2023", "\xff\xfe\xfdngày 1/1", "quý iv/2022 hằng tháng",
		"İİİ trước ngày 31/12 khẩn trương", "ngày 29/2", "trong 999 ngày kể từ ngày 31/12/2199",
	} {
		f.Add(s)
	}
	doc := civil.MustDate("2024-06-01")
	f.Fuzz(func(t *testing.T, s string) {
		ms := Find(s, doc, cal)
		prev := 0
		for _, m := range ms {
			if m.Start < 0 || m.Start > m.End || m.End > len(s) {
				t.Fatalf("match [%d,%d) outside %d bytes", m.Start, m.End, len(s))
			}
			if m.Start < prev {
				t.Fatalf("matches out of order or overlapping at %d", m.Start)
			}
			prev = m.End
			if m.Text != s[m.Start:m.End] {
				t.Fatalf("Text %q is not the input's [%d,%d)", m.Text, m.Start, m.End)
			}
			if utf8.ValidString(s) && !utf8.ValidString(m.Text) {
				t.Fatalf("a valid input gave an invalid span %q", m.Text)
			}
		}
	})
}

func describe(ms []Match) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Text+"("+string(m.Expr.Kind)+")")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
