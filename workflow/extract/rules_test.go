package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
)

// Each rule added for issue 21, on sentences written for the test (not the
// dev set's): what it proposes, as "lead-or-group due | action".
func TestLanguageRules(t *testing.T) {
	t.Parallel()
	x := newTestExtractor(t)
	for _, c := range []struct {
		rule, text string
		want       []string
	}{
		{"a deadline closing a clause before a semicolon closes that task",
			"Thủ tướng giao Bộ Y tế hoàn thiện đề án bệnh viện vệ tinh, hoàn thành trong tháng 5; sớm nghiên cứu cơ chế tự chủ bệnh viện, trình Thủ tướng.",
			[]string{"BYT 2026-05-31 | Hoàn thiện đề án bệnh viện vệ tinh", "BYT - | Sớm nghiên cứu cơ chế tự chủ bệnh viện, trình Thủ tướng"}},
		{"a deadline only at the end stays one task's",
			"Thủ tướng giao Bộ Y tế tổng kết Nghị định 24; đề xuất giải pháp, hoàn thành trong quý 2/2026.",
			[]string{"BYT 2026-06-30 | Tổng kết Nghị định 24; đề xuất giải pháp"}},
		{"a body's proposal reported as speech gives no task",
			"Bộ Giáo dục và Đào tạo đề xuất, các thí sinh thuộc diện cách ly sẽ được thi sau.", nil},
		{"the office conveying instructions is their sender",
			"Văn phòng Chính phủ có văn bản truyền đạt ý kiến chỉ đạo của Phó Thủ tướng gửi Bộ Tài chính về giá xăng dầu.", nil},
		{"a spaced ampersand is 'và'",
			"Bộ Nông nghiệp & Phát triển nông thôn được giao rà soát cung cầu lúa gạo.",
			[]string{"BNNPTNT - | Rà soát cung cầu lúa gạo"}},
		{"the Premier's letter instructing an addressee gives work",
			"Thủ tướng mới có văn bản chỉ đạo Bộ Tư pháp khẩn trương rà soát các nghị định.",
			[]string{"BTP - | Khẩn trương rà soát các nghị định"}},
		{"a letter recounted ('đã có văn bản') still gives none",
			"Thủ tướng đã có văn bản chỉ đạo Bộ Tư pháp rà soát các nghị định.", nil},
		{"who heads a body being set up is not an addressee",
			"Các bộ, ngành, địa phương thành lập Tổ công tác do Chủ tịch Ủy ban nhân dân tỉnh làm Tổ trưởng, hoàn thành trong tháng 4/2026.",
			[]string{"all_ministries_and_provinces 2026-04-30 | Thành lập Tổ công tác do Chủ tịch Ủy ban nhân dân tỉnh làm Tổ trưởng"}},
		{"a future duty answerable to the Premier is work given",
			"Bộ Công Thương sẽ đề xuất giải pháp bình ổn giá, báo cáo Thủ tướng Chính phủ trong tháng 4/2026.",
			[]string{"BCT 2026-04-30 | Đề xuất giải pháp bình ổn giá, báo cáo Thủ tướng Chính phủ"}},
		{"bare enterprises among the addressees do not end the list",
			"Thủ tướng yêu cầu các bộ trưởng, doanh nghiệp và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương bảo đảm cung ứng xăng dầu.",
			[]string{"all_ministries_and_provinces - | Bảo đảm cung ứng xăng dầu"}},
		{"'sẽ' alone predicts",
			"Bộ Công Thương sẽ đề xuất giải pháp bình ổn giá trong thời gian tới.", nil},
		{"'phối hợp với' inside the task describes the work, not the roles",
			"Thủ tướng giao Bộ Công Thương rà soát nguồn cung xăng dầu, báo cáo công tác phối hợp với Bộ Tài chính trong điều hành giá.",
			[]string{"BCT - | Rà soát nguồn cung xăng dầu, báo cáo công tác phối hợp với Bộ Tài chính trong điều hành giá"}},
		{"an addressee's own partners are not the lead's coordinators",
			"Thủ tướng giao Bộ Quốc phòng chỉ đạo Bộ đội Biên phòng phối hợp với Bộ Công an ngăn chặn xuất nhập cảnh trái phép.",
			[]string{"BQP - | Chỉ đạo Bộ đội Biên phòng phối hợp với Bộ Công an ngăn chặn xuất nhập cảnh trái phép"}},
		{"a clause opening on 'phối hợp với X' and its own verb is a new task of the same lead",
			"Thủ tướng giao Ủy ban nhân dân tỉnh Quảng Ninh hỗ trợ các hộ dân bị thiệt hại, phối hợp với Bộ Công an điều tra nguyên nhân sự cố.",
			[]string{"QUANGNINH - | Hỗ trợ các hộ dân bị thiệt hại", "QUANGNINH+BCA - | Điều tra nguyên nhân sự cố"}},
		{"'chủ trì, phối hợp' where the task opens keeps one task",
			"Bộ Y tế chủ trì, phối hợp với Bộ Tài chính hoàn thiện đề án, trình Thủ tướng trong tháng 4/2026.",
			[]string{"BYT+BTC 2026-04-30 | Hoàn thiện đề án, trình Thủ tướng"}},
		{"a province closing an address ('huyện X, tỉnh Y') is a place, not an addressee",
			"Thủ tướng giao Bộ Công an kiểm tra việc khai thác khoáng sản tại huyện Quỳnh Lưu, tỉnh Nghệ An theo đúng quy định của pháp luật.",
			[]string{"BCA - | Kiểm tra việc khai thác khoáng sản tại huyện Quỳnh Lưu, tỉnh Nghệ An theo đúng quy định của pháp luật"}},
		{"a comma may set the addressees off from the cue",
			"Thủ tướng yêu cầu, Bộ Công an, Bộ Quốc phòng không để người dân ở lại vùng nguy hiểm.",
			[]string{"BCA - | Không để người dân ở lại vùng nguy hiểm", "BQP - | Không để người dân ở lại vùng nguy hiểm"}},
		{"a commander or a party secretary stands for the body they head",
			"Thủ tướng yêu cầu Tư lệnh Quân khu 9, Bí thư, Chủ tịch Ủy ban nhân dân tỉnh An Giang tổ chức di dời dân khỏi vùng sạt lở.",
			[]string{"Quân khu 9 - | Tổ chức di dời dân khỏi vùng sạt lở", "ANGIANG - | Tổ chức di dời dân khỏi vùng sạt lở"}},
		{"a deadline after ', đồng thời' is the second task's",
			"Thủ tướng yêu cầu Bộ Y tế tập trung kiểm soát dịch bệnh, đồng thời hoàn thành tiêm chủng mở rộng trong tháng 5/2026.",
			[]string{"BYT - | Tập trung kiểm soát dịch bệnh", "BYT 2026-05-31 | Hoàn thành tiêm chủng mở rộng"}},
		{"a deadline of the closing report covers the work reported on",
			"Thủ tướng yêu cầu Bộ Y tế tập trung kiểm soát dịch bệnh, đồng thời chỉ đạo các bệnh viện tăng cường cấp cứu, báo cáo Thủ tướng trước ngày 15/4/2026.",
			[]string{"BYT 2026-04-15 | Tập trung kiểm soát dịch bệnh, đồng thời chỉ đạo các bệnh viện tăng cường cấp cứu, báo cáo Thủ tướng"}},
		{"'có' and what they have narrow a group, up to the predicate",
			"Thủ tướng yêu cầu các địa phương có cửa khẩu chủ động điều tiết hàng hóa xuất khẩu.",
			[]string{"other:các địa phương có cửa khẩu - | Chủ động điều tiết hàng hóa xuất khẩu"}},
		{"a narrowed group coordinates as written",
			"Thủ tướng yêu cầu Bộ Y tế phối hợp với Ủy ban nhân dân các tỉnh có người nhiễm bệnh khẩn trương truy vết các ca tiếp xúc.",
			[]string{"BYT+other - | Khẩn trương truy vết các ca tiếp xúc"}},
		{"several bodies coordinating with one named body support it: it leads",
			"Các Bộ Tài chính, Tư pháp cần tích cực phối hợp với Bộ Y tế hoàn thiện dự thảo nghị định.",
			[]string{"BYT+BTC+BTP - | Tích cực phối hợp với Bộ Y tế hoàn thiện dự thảo nghị định"}},
		{"one body coordinating with another still leads",
			"Bộ Tư pháp phối hợp với Bộ Y tế hoàn thiện dự thảo nghị định.",
			[]string{"BTP+BYT - | Hoàn thiện dự thảo nghị định"}},
		{"'Trước đó,' opens a recount",
			"Trước đó, Thủ tướng giao Bộ Công Thương rà soát nguồn cung xăng dầu.", nil},
		{"'đã' after the speaker covers every verb of the clause",
			"Thủ tướng đã có nhiều văn bản chỉ đạo quyết liệt, giao Bộ Công Thương bảo đảm nguồn cung xăng dầu.", nil},
		{"a recounted instruction with a deadline yet to come is a task",
			"Thủ tướng Chính phủ đã yêu cầu Bộ Công Thương hoàn thiện đề án, hoàn thành trong quý 2/2026.",
			[]string{"BCT 2026-06-30 | Hoàn thiện đề án"}},
		{"a recounted instruction whose deadline has passed is not",
			"Thủ tướng Chính phủ đã yêu cầu Bộ Công Thương hoàn thiện đề án, hoàn thành trong năm 2025.", nil},
		{"an occasion with its day is a deadline on that day",
			"Thủ tướng yêu cầu Bộ Xây dựng hoàn thành cầu Rạch Miễu 2 vào dịp kỷ niệm ngày Giải phóng miền Nam 30/4.",
			[]string{"BXD 2026-04-30 | Hoàn thành cầu Rạch Miễu 2"}},
		{"'và giao cho' joins a second addressee to the speaker's cue",
			"Thủ tướng yêu cầu Bộ Y tế ban hành hướng dẫn chuyên môn và giao cho Ủy ban nhân dân các tỉnh, thành phố tổ chức tiêm chủng.",
			[]string{"BYT - | Ban hành hướng dẫn chuyên môn", "all_provinces - | Tổ chức tiêm chủng"}},
		{"an assessment asked for in a manner ('đánh giá cụ thể') is work",
			"Bộ Công Thương đánh giá cụ thể tác động của giá xăng dầu đến chỉ số giá tiêu dùng.",
			[]string{"BCT - | Đánh giá cụ thể tác động của giá xăng dầu đến chỉ số giá tiêu dùng"}},
		{"'đánh giá' alone reports a view",
			"Bộ Công Thương đánh giá giá xăng dầu đã ổn định trở lại.", nil},
		{"'Bộ này' is the ministry named last",
			"Thủ tướng giao Bộ Tài chính rà soát các khoản thu ngân sách. Đồng thời, Bộ này cần khẩn trương hoàn thiện dự thảo Luật Thuế thu nhập cá nhân.",
			[]string{"BTC - | Rà soát các khoản thu ngân sách", "BTC - | Khẩn trương hoàn thiện dự thảo Luật Thuế thu nhập cá nhân"}},
		{"a cue's addressees, a colon and a dash item on one line head the dash items after",
			"Thủ tướng giao Bộ Y tế: - Hướng dẫn các địa phương tiêm chủng. - Rà soát nhu cầu vắc xin, báo cáo Thủ tướng trong tháng 4/2026.",
			[]string{"BYT - | Hướng dẫn các địa phương tiêm chủng", "BYT 2026-04-30 | Rà soát nhu cầu vắc xin, báo cáo Thủ tướng"}},
		{"a clause opening on a recurring period and its verb is a task of its own",
			"Bộ Y tế có nhiệm vụ theo dõi diễn biến dịch bệnh, hằng tuần báo cáo Thủ tướng Chính phủ.",
			[]string{"BYT - | Có nhiệm vụ theo dõi diễn biến dịch bệnh", "BYT - | Báo cáo Thủ tướng Chính phủ"}},
		{"'tới' after a month belongs to the deadline: the coming one",
			"Thủ tướng giao Bộ Y tế báo cáo Thủ tướng trong tháng 2 tới.",
			[]string{"BYT 2027-02-28 | Báo cáo Thủ tướng"}},
		{"'vừa' and a cue after the Premier is an instruction just given",
			"Thủ tướng Phạm Minh Chính vừa yêu cầu Bộ Công an khẩn trương điều tra nguyên nhân vụ cháy.",
			[]string{"BCA - | Khẩn trương điều tra nguyên nhân vụ cháy"}},
		{"'vừa' and a cue after a ministry reports its own request",
			"Trong khi đó, Bộ Y tế vừa yêu cầu Sở Y tế các tỉnh tăng cường giám sát.", nil},
		{"'đã' reporting a meeting does not make its instructions a recount",
			"Thủ tướng đã chủ trì cuộc họp về giá xăng dầu, yêu cầu Bộ Công Thương bảo đảm nguồn cung.",
			[]string{"BCT - | Bảo đảm nguồn cung"}},
		{"', phối hợp với X' and a phrase of manner states X's role in the same task",
			"Thủ tướng giao Bộ Xây dựng hoàn thiện đề án nhà ở xã hội, phối hợp chặt chẽ với Bộ Tài chính trong quá trình thực hiện.",
			[]string{"BXD+BTC - | Hoàn thiện đề án nhà ở xã hội, phối hợp chặt chẽ với Bộ Tài chính trong quá trình thực hiện"}},
		{"a region narrows a group, as written up to the predicate",
			"Thủ tướng yêu cầu Bộ Y tế phối hợp với Ủy ban nhân dân các tỉnh miền núi phía Bắc bảo đảm cung ứng thuốc.",
			[]string{"BYT+other - | Bảo đảm cung ứng thuốc"}},
		{"'ven biển' narrows a group",
			"Thủ tướng yêu cầu các tỉnh, thành phố ven biển chủ động ứng phó với bão.",
			[]string{"other:các tỉnh, thành phố ven biển - | Chủ động ứng phó với bão"}},
	} {
		var got []string
		for _, p := range x.Extract(c.text, civil.MustDate("2026-03-02")) {
			who := "?"
			if p.Lead != nil {
				who = p.Lead.Code
				if who == "" {
					who = p.Lead.Name
				}
			} else if p.Group != nil {
				who = string(*p.Group)
				if *p.Group == GroupOther {
					who += ":" + p.GroupAsWritten
				}
			}
			for _, c := range p.Coordinators {
				who += "+" + c.Code
			}
			for _, g := range p.CoordinatorGroups {
				who += "+" + string(g.Group)
			}
			due := "-"
			if !p.DueOn.IsZero() {
				due = p.DueOn.String()
			}
			got = append(got, fmt.Sprintf("%s %s | %s", who, due, p.Action))
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.rule, got, c.want)
		}
	}
}
