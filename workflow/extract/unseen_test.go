package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dondoc/dondoc/civil"
)

// describeProposals renders proposals as "lead-or-group[+coordinators]
// due[/period] | action", a body outside the catalog by its name and "#".
func describeProposals(ps []Proposal) []string {
	var got []string
	for _, p := range ps {
		who := "?"
		if p.Lead != nil {
			who = p.Lead.Code
			if who == "" {
				who = p.Lead.Name + "#"
			}
		} else if p.Group != nil {
			who = string(*p.Group)
			if *p.Group == GroupOther {
				who += ":" + p.GroupAsWritten
			}
		}
		for _, c := range p.Coordinators {
			if c.Code == "" {
				who += "+" + c.Name + "#"
			} else {
				who += "+" + c.Code
			}
		}
		for _, g := range p.CoordinatorGroups {
			who += "+" + string(g.Group)
		}
		due := "-"
		if !p.DueOn.IsZero() {
			due = p.DueOn.String()
		}
		if p.DuePeriod != "" {
			due += "/" + p.DuePeriod
		}
		got = append(got, fmt.Sprintf("%s %s | %s", who, due, p.Action))
	}
	return got
}

// TestUnseenPhrasing holds sentences written for issue 21's second round in
// the manner of Government texts the dev set does not hold, one table per
// category of error the issue names. Each is the language's, not a dev
// case's: the document is dated 2 March 2026.
func TestUnseenPhrasing(t *testing.T) {
	t.Parallel()
	x := newTestExtractor(t)
	for _, c := range []struct {
		// A category opening on "open: " marks a case no rule reads yet:
		// it is logged, and fails the test once it passes, so that the
		// mark is taken off.
		category, text string
		want           []string
	}{
		// Deadlines.
		{"deadline: a quarter in Roman numerals",
			"Phó Thủ tướng Chính phủ Hồ Đức Phớc giao Bộ Tài chính hoàn thiện hồ sơ dự án Luật Thuế giá trị gia tăng (sửa đổi), trình Chính phủ trong quý II/2026.",
			[]string{"BTC 2026-06-30/2026-Q2 | Hoàn thiện hồ sơ dự án Luật Thuế giá trị gia tăng (sửa đổi), trình Chính phủ"}},
		{"deadline: a quarter written out",
			"Thủ tướng yêu cầu Bộ Công Thương hoàn thành việc điều chỉnh Quy hoạch điện VIII trong quý III năm 2026.",
			[]string{"BCT 2026-09-30/2026-Q3 | Hoàn thành việc điều chỉnh Quy hoạch điện VIII"}},
		{"deadline: the last six months",
			"Bộ Nông nghiệp và Môi trường tổng kết việc thi hành Luật Đất đai, báo cáo Thủ tướng Chính phủ trong 6 tháng cuối năm 2026.",
			[]string{"BNNMT 2026-12-31/2026-H2 | Tổng kết việc thi hành Luật Đất đai, báo cáo Thủ tướng Chính phủ"}},
		{"deadline: the first half of the year",
			"Giao Bộ Nội vụ trình Chính phủ Nghị định về vị trí việc làm trong 6 tháng đầu năm 2026.",
			[]string{"BNV 2026-06-30/2026-H1 | Trình Chính phủ Nghị định về vị trí việc làm"}},
		{"deadline: a month with 'năm'",
			"Thủ tướng giao Bộ Xây dựng hoàn thành thủ tục đầu tư dự án đường sắt Lào Cai - Hà Nội - Hải Phòng trong tháng 9 năm 2026.",
			[]string{"BXD 2026-09-30/2026-09 | Hoàn thành thủ tục đầu tư dự án đường sắt Lào Cai - Hà Nội - Hải Phòng"}},
		{"deadline: in the sentence after the assignment",
			"Thủ tướng giao Bộ Khoa học và Công nghệ xây dựng Chiến lược phát triển công nghiệp bán dẫn. Hoàn thành trong tháng 9.",
			[]string{"BKHCN 2026-09-30/2026-09 | Xây dựng Chiến lược phát triển công nghiệp bán dẫn"}},
		{"deadline: 'Thời hạn hoàn thành' in the sentence after",
			"Giao Bộ Y tế xây dựng đề án phát triển y tế cơ sở. Thời hạn hoàn thành: quý IV/2026.",
			[]string{"BYT 2026-12-31/2026-Q4 | Xây dựng đề án phát triển y tế cơ sở"}},
		{"deadline: a sentence of its own after a list of tasks",
			"Thủ tướng giao Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp hoàn thiện dự thảo Nghị định về quản lý nợ công. Thời gian hoàn thành: trước ngày 30/6/2026.",
			[]string{"BTC+BTP 2026-06-30 | Hoàn thiện dự thảo Nghị định về quản lý nợ công"}},
		{"deadline: a task's own date is not overwritten by the next sentence's",
			"Thủ tướng giao Bộ Y tế trình Chính phủ Nghị định về giá dịch vụ y tế trong tháng 4/2026. Hoàn thành trong tháng 9.",
			[]string{"BYT 2026-04-30/2026-04 | Trình Chính phủ Nghị định về giá dịch vụ y tế"}},
		{"deadline: 'Hoàn thành' with more than a deadline is not a deadline sentence",
			"Thủ tướng giao Bộ Xây dựng khởi công dự án. Hoàn thành trong tháng 9 là mục tiêu quan trọng của ngành.",
			[]string{"BXD - | Khởi công dự án"}},
		{"deadline: a period from the signing opens the action",
			"Thủ tướng giao Bộ Nội vụ trong 30 ngày kể từ ngày ký Thông báo này hướng dẫn việc sắp xếp cán bộ.",
			[]string{"BNV 2026-04-01 | Hướng dẫn việc sắp xếp cán bộ"}},
		{"deadline: an action that is all deadline keeps its words",
			"Bộ Nội vụ hoàn thành trong năm 2026.",
			[]string{"BNV 2026-12-31/2026 | Hoàn thành trong năm 2026"}},
		{"deadline: a dashed date without 'ngày'",
			"Thủ tướng giao Bộ Tài chính trình dự thảo Nghị định trước ngày 15-4-2026.",
			[]string{"BTC 2026-04-15 | Trình dự thảo Nghị định"}},
		{"deadline: a date written out with 'tháng' and 'năm'",
			"Thủ tướng yêu cầu Bộ Tài chính báo cáo Thủ tướng trước ngày 20 tháng 3 năm 2026.",
			[]string{"BTC 2026-03-20 | Báo cáo Thủ tướng"}},
		{"deadline: 'trước cuối quý' is by the end of that quarter",
			"Thủ tướng giao Bộ Tài chính hoàn thiện đề án trước cuối quý III/2026.",
			[]string{"BTC 2026-09-30/2026-Q3 | Hoàn thiện đề án"}},
		{"deadline: 'tháng 12 năm nay'",
			"Thủ tướng giao Bộ Tài chính hoàn thiện đề án trong tháng 12 năm nay.",
			[]string{"BTC 2026-12-31/2026-12 | Hoàn thiện đề án"}},
		{"deadline: 'xong' goes with the deadline it carries",
			"Thủ tướng giao Bộ Tài chính hoàn thiện đề án xong trước 15/5/2026.",
			[]string{"BTC 2026-05-15 | Hoàn thiện đề án"}},
		{"deadline: working days",
			"Thủ tướng giao Bộ Tài chính hoàn thiện đề án, báo cáo trong 10 ngày làm việc.",
			[]string{"BTC 2026-03-16 | Hoàn thiện đề án, báo cáo"}},
		{"deadline: a quarter in Arabic digits",
			"Thủ tướng giao Bộ Tài chính hoàn thiện đề án trong quý 4/2026.",
			[]string{"BTC 2026-12-31/2026-Q4 | Hoàn thiện đề án"}},
		{"deadline: 'Thời hạn trình:' in the sentence after",
			"Giao Bộ Y tế xây dựng đề án. Thời hạn trình: tháng 6/2026.",
			[]string{"BYT 2026-06-30/2026-06 | Xây dựng đề án"}},
		{"deadline: 'Thời gian thực hiện:' after a task with its report",
			"Giao Bộ Y tế xây dựng đề án, trình Thủ tướng Chính phủ. Thời gian thực hiện: quý III/2026.",
			[]string{"BYT 2026-09-30/2026-Q3 | Xây dựng đề án, trình Thủ tướng Chính phủ"}},
		{"deadline: the sentence after dates every task before it that had none",
			"Giao Bộ Y tế xây dựng đề án; Bộ Tài chính bố trí kinh phí. Hoàn thành trong tháng 9/2026.",
			[]string{"BYT 2026-09-30/2026-09 | Xây dựng đề án", "BTC 2026-09-30/2026-09 | Bố trí kinh phí"}},
		{"deadline: the sentence after a report gives no task",
			"Năm 2025, Bộ Y tế đã trình đề án. Hoàn thành trong tháng 9 năm 2025.", nil},
		{"deadline: in a parenthesis",
			"Giao Bộ Y tế xây dựng đề án (hoàn thành trong tháng 6/2026).",
			[]string{"BYT 2026-06-30/2026-06 | Xây dựng đề án"}},
		{"deadline: ', thời hạn hoàn thành' carries the deadline",
			"Giao Bộ Y tế xây dựng đề án, thời hạn hoàn thành trong tháng 6/2026.",
			[]string{"BYT 2026-06-30/2026-06 | Xây dựng đề án"}},
		{"deadline: ', thời gian hoàn thành' carries the deadline",
			"Giao Bộ Y tế xây dựng đề án, thời gian hoàn thành trước ngày 30/6/2026.",
			[]string{"BYT 2026-06-30 | Xây dựng đề án"}},
		{"deadline: days after the document",
			"Bộ Nội vụ hướng dẫn các địa phương sắp xếp đơn vị sự nghiệp công lập trong 15 ngày kể từ ngày ký.",
			[]string{"BNV 2026-03-17 | Hướng dẫn các địa phương sắp xếp đơn vị sự nghiệp công lập"}},
		{"deadline: a dotted date with its year",
			"Ủy ban nhân dân Thành phố Hồ Chí Minh báo cáo kết quả thực hiện về Bộ Xây dựng trước ngày 15.9.2026.",
			[]string{"HOCHIMINH 2026-09-15 | Báo cáo kết quả thực hiện về Bộ Xây dựng"}},
		{"deadline: a dotted date without its year",
			"Đề nghị Bộ Y tế gửi báo cáo về Văn phòng Chính phủ trước ngày 15.4.",
			[]string{"BYT 2026-04-15 | Gửi báo cáo về Văn phòng Chính phủ"}},
		{"deadline: 'chậm nhất' and a date written out",
			"Bộ Tài chính trình Thủ tướng Chính phủ phương án phân bổ vốn chậm nhất ngày 30 tháng 6 năm 2026.",
			[]string{"BTC 2026-06-30 | Trình Thủ tướng Chính phủ phương án phân bổ vốn"}},
		{"deadline: a recurring report",
			"Các bộ, ngành, địa phương báo cáo tình hình thực hiện hằng tháng, trước ngày 20 gửi Bộ Tài chính để tổng hợp.",
			[]string{"all_ministries_and_provinces 2026-03-20 | Báo cáo tình hình thực hiện gửi Bộ Tài chính để tổng hợp"}},

		{"deadline: 'kinh phí thường xuyên' is a kind of spending",
			"Bộ Tài chính cân đối, bố trí kinh phí thường xuyên cho các đơn vị sự nghiệp công lập.",
			[]string{"BTC - | Cân đối, bố trí kinh phí thường xuyên cho các đơn vị sự nghiệp công lập"}},
		{"deadline: 'thường xuyên' before the verb is an ongoing duty",
			"Bộ Công an thường xuyên kiểm tra, xử lý nghiêm các vi phạm về phòng cháy, chữa cháy.",
			[]string{"BCA - | Thường xuyên kiểm tra, xử lý nghiêm các vi phạm về phòng cháy, chữa cháy"}},

		{"deadline: a recurring report, the day before the rhythm",
			"Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương báo cáo kết quả giải ngân vốn đầu tư công về Bộ Tài chính trước ngày 25 hằng tháng.",
			[]string{"all_provinces 2026-03-25 | Báo cáo kết quả giải ngân vốn đầu tư công về Bộ Tài chính"}},

		// A preamble before the assignment.
		{"preamble: the Standing Deputy Prime Minister's title and name",
			"Phó Thủ tướng Thường trực Chính phủ Nguyễn Hòa Bình giao Bộ Tư pháp thẩm định dự thảo Nghị định về xử phạt vi phạm hành chính.",
			[]string{"BTP - | Thẩm định dự thảo Nghị định về xử phạt vi phạm hành chính"}},
		{"preamble: a name that holds a province's name is a name",
			"Phó Thủ tướng Lê Thành Long yêu cầu Ủy ban nhân dân tỉnh Lào Cai và Bộ Tư pháp phối hợp xử lý kiến nghị của công dân.",
			[]string{"LAOCAI - | Phối hợp xử lý kiến nghị của công dân", "BTP - | Phối hợp xử lý kiến nghị của công dân"}},
		{"preamble: a bare province after a comma stays a province",
			"Thủ tướng yêu cầu các tỉnh Đồng Nai, Tây Ninh, Hòa Bình khẩn trương khắc phục hậu quả mưa lũ.",
			[]string{"DONGNAI - | Khẩn trương khắc phục hậu quả mưa lũ", "TAYNINH - | Khẩn trương khắc phục hậu quả mưa lũ", "HOABINH - | Khẩn trương khắc phục hậu quả mưa lũ"}},
		{"preamble: 'Theo đó,'",
			"Theo đó, Thủ tướng yêu cầu Bộ Công an khẩn trương điều tra, làm rõ nguyên nhân vụ cháy.",
			[]string{"BCA - | Khẩn trương điều tra, làm rõ nguyên nhân vụ cháy"}},
		{"preamble: at the meeting, a Deputy Prime Minister",
			"Tại cuộc họp, Phó Thủ tướng Trần Hồng Hà yêu cầu Bộ Nông nghiệp và Môi trường rà soát quy hoạch sử dụng đất quốc gia.",
			[]string{"BNNMT - | Rà soát quy hoạch sử dụng đất quốc gia"}},
		{"preamble: concluding the meeting, 'đề nghị'",
			"Kết luận cuộc họp, Phó Thủ tướng Bùi Thanh Sơn đề nghị Bộ Ngoại giao phối hợp với Bộ Công Thương thúc đẩy đàm phán các hiệp định thương mại tự do.",
			[]string{"BNG+BCT - | Thúc đẩy đàm phán các hiệp định thương mại tự do"}},
		{"preamble: 'Thay mặt Chính phủ'",
			"Thay mặt Chính phủ, Phó Thủ tướng Mai Văn Chính giao Bộ Văn hóa, Thể thao và Du lịch tổng kết công tác phát triển du lịch năm 2025.",
			[]string{"BVHTTDL - | Tổng kết công tác phát triển du lịch năm 2025"}},

		// Several leads; the subject-first form.
		{"several leads in one sentence",
			"Thủ tướng giao Bộ Tài chính, Bộ Xây dựng và Ủy ban nhân dân tỉnh Đồng Nai tập trung tháo gỡ vướng mắc về giải phóng mặt bằng Cảng hàng không quốc tế Long Thành.",
			[]string{"BTC - | Tập trung tháo gỡ vướng mắc về giải phóng mặt bằng Cảng hàng không quốc tế Long Thành",
				"BXD - | Tập trung tháo gỡ vướng mắc về giải phóng mặt bằng Cảng hàng không quốc tế Long Thành",
				"DONGNAI - | Tập trung tháo gỡ vướng mắc về giải phóng mặt bằng Cảng hàng không quốc tế Long Thành"}},
		{"subject first: a report with a date",
			"Bộ Tài chính báo cáo Thủ tướng Chính phủ về phương án điều hành giá xăng dầu trước ngày 10/3/2026.",
			[]string{"BTC 2026-03-10 | Báo cáo Thủ tướng Chính phủ về phương án điều hành giá xăng dầu"}},
		{"subject first: 'khẩn trương'",
			"Bộ Y tế khẩn trương ban hành hướng dẫn phòng, chống dịch sởi.",
			[]string{"BYT - | Khẩn trương ban hành hướng dẫn phòng, chống dịch sởi"}},
		{"subject first: two leads and 'theo chức năng, nhiệm vụ'",
			"Bộ Công an, Bộ Quốc phòng theo chức năng, nhiệm vụ được giao tăng cường tuần tra, kiểm soát trên biển.",
			[]string{"BCA - | Theo chức năng, nhiệm vụ được giao tăng cường tuần tra, kiểm soát trên biển", "BQP - | Theo chức năng, nhiệm vụ được giao tăng cường tuần tra, kiểm soát trên biển"}},

		{"subject first: a group narrowed by 'ven biển' among named leads",
			"Bộ Quốc phòng, Bộ Công an, Ủy ban nhân dân các tỉnh ven biển sẵn sàng lực lượng, phương tiện cứu hộ, cứu nạn.",
			[]string{"BQP - | Sẵn sàng lực lượng, phương tiện cứu hộ, cứu nạn", "BCA - | Sẵn sàng lực lượng, phương tiện cứu hộ, cứu nạn",
				"other:Ủy ban nhân dân các tỉnh ven biển - | Sẵn sàng lực lượng, phương tiện cứu hộ, cứu nạn"}},
		{"preamble: a telegram signed by a Deputy Prime Minister",
			"Phó Thủ tướng Chính phủ Trần Hồng Hà đã ký Công điện số 25/CĐ-TTg yêu cầu Bộ Nông nghiệp và Môi trường theo dõi chặt chẽ diễn biến mưa lũ.",
			[]string{"BNNMT - | Theo dõi chặt chẽ diễn biến mưa lũ"}},
		{"preamble: a notice of the Office reporting the Premier's conclusion",
			"Văn phòng Chính phủ vừa ban hành Thông báo số 120/TB-VPCP kết luận của Thủ tướng Chính phủ, trong đó giao Bộ Y tế hoàn thiện Đề án trước ngày 30/4/2026.",
			[]string{"BYT 2026-04-30 | Hoàn thiện Đề án"}},
		{"preamble: 'Về kiến nghị của tỉnh X,'",
			"Về kiến nghị của tỉnh Quảng Trị, Thủ tướng giao Bộ Xây dựng xem xét, xử lý theo thẩm quyền.",
			[]string{"BXD - | Xem xét, xử lý theo thẩm quyền"}},
		{"several leads with 'theo chức năng' and a date",
			"Bộ Xây dựng, Ủy ban nhân dân tỉnh Đồng Nai và Ủy ban nhân dân Thành phố Hồ Chí Minh theo chức năng, nhiệm vụ được giao khẩn trương hoàn thành giải phóng mặt bằng trước ngày 30/6/2026.",
			[]string{"BXD 2026-06-30 | Theo chức năng, nhiệm vụ được giao khẩn trương hoàn thành giải phóng mặt bằng",
				"DONGNAI 2026-06-30 | Theo chức năng, nhiệm vụ được giao khẩn trương hoàn thành giải phóng mặt bằng",
				"HOCHIMINH 2026-06-30 | Theo chức năng, nhiệm vụ được giao khẩn trương hoàn thành giải phóng mặt bằng"}},

		{"preamble: the telegram's 'yêu cầu:' and dash items, each with its subject",
			"Thủ tướng Chính phủ yêu cầu:\n- Bộ Công an chỉ đạo điều tra vụ việc.\n- Ủy ban nhân dân tỉnh Lâm Đồng khắc phục hậu quả, hoàn thành trong tháng 4/2026.",
			[]string{"BCA - | Chỉ đạo điều tra vụ việc", "LAMDONG 2026-04-30/2026-04 | Khắc phục hậu quả"}},
		{"preamble: an article of a resolution",
			"Điều 2. Giao Bộ Nông nghiệp và Môi trường chủ trì, phối hợp với các bộ, ngành, địa phương tổ chức thực hiện Nghị quyết này.",
			[]string{"BNNMT+all_ministries_and_provinces - | Tổ chức thực hiện Nghị quyết này"}},
		{"preamble: a decision just signed by a Deputy Prime Minister",
			"Phó Thủ tướng Chính phủ Bùi Thanh Sơn vừa ký Quyết định số 300/QĐ-TTg, giao Bộ Ngoại giao tổ chức Hội nghị.",
			[]string{"BNG - | Tổ chức Hội nghị"}},
		{"several leads: provinces named after one 'Ủy ban nhân dân tỉnh'",
			"Thủ tướng Chính phủ giao Ủy ban nhân dân tỉnh Nghệ An, Hà Tĩnh, Quảng Trị khẩn trương hỗ trợ người dân.",
			[]string{"NGHEAN - | Khẩn trương hỗ trợ người dân", "HATINH - | Khẩn trương hỗ trợ người dân", "QUANGTRI - | Khẩn trương hỗ trợ người dân"}},
		{"several leads: the ministers of 'các Bộ:'",
			"Giao Bộ trưởng các Bộ: Tài chính, Xây dựng, Công Thương chỉ đạo rà soát các dự án.",
			[]string{"BTC - | Chỉ đạo rà soát các dự án", "BXD - | Chỉ đạo rà soát các dự án", "BCT - | Chỉ đạo rà soát các dự án"}},
		// Groups.
		{"group: coordinators 'các bộ, ngành, địa phương'",
			"Bộ Nội vụ chủ trì, phối hợp với các bộ, ngành, địa phương rà soát biên chế công chức.",
			[]string{"BNV+all_ministries_and_provinces - | Rà soát biên chế công chức"}},
		{"group: coordinators 'các cơ quan liên quan'",
			"Giao Bộ Tài chính chủ trì, phối hợp với các cơ quan liên quan xây dựng Nghị định hướng dẫn Luật Đầu tư công.",
			[]string{"BTC+other - | Xây dựng Nghị định hướng dẫn Luật Đầu tư công"}},
		{"group: a group leads",
			"Các bộ, ngành, địa phương chủ động rà soát, cắt giảm thủ tục hành chính.",
			[]string{"all_ministries_and_provinces - | Chủ động rà soát, cắt giảm thủ tục hành chính"}},
		{"group: the provinces lead with a ministry coordinating",
			"Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chủ trì, phối hợp với Bộ Nông nghiệp và Môi trường kiểm tra việc sử dụng đất trồng lúa.",
			[]string{"all_provinces+BNNMT - | Kiểm tra việc sử dụng đất trồng lúa"}},

		{"group: the government's members and the provinces",
			"Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương nghiêm túc thực hiện Chỉ thị này, báo cáo kết quả trước ngày 15 tháng 12 năm 2026.",
			[]string{"all_ministries_and_provinces 2026-12-15 | Nghiêm túc thực hiện Chỉ thị này, báo cáo kết quả"}},
		{"group: named leads and 'các địa phương liên quan'",
			"Thủ tướng yêu cầu Bộ Công an, Bộ Quốc phòng và các địa phương liên quan phối hợp chặt chẽ, bảo đảm an ninh trật tự.",
			[]string{"BCA - | Phối hợp chặt chẽ, bảo đảm an ninh trật tự", "BQP - | Phối hợp chặt chẽ, bảo đảm an ninh trật tự",
				"other:các địa phương liên quan - | Phối hợp chặt chẽ, bảo đảm an ninh trật tự"}},
		{"group: several coordinators, a group among them",
			"Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp, Ngân hàng Nhà nước Việt Nam và các cơ quan liên quan khẩn trương hoàn thiện hồ sơ, trình Chính phủ trong tháng 3/2026.",
			[]string{"BTC+BTP+NHNN+other 2026-03-31/2026-03 | Khẩn trương hoàn thiện hồ sơ, trình Chính phủ"}},

		{"group: a group leads and partners one ministry in the course of the work",
			"Đề nghị các bộ, ngành, địa phương phối hợp chặt chẽ với Bộ Tài chính trong quá trình thực hiện.",
			[]string{"all_ministries_and_provinces+BTC - | Phối hợp chặt chẽ với Bộ Tài chính trong quá trình thực hiện"}},
		{"group: a narrowed group coordinates with 'ven biển'",
			"Bộ Nông nghiệp và Môi trường chủ trì, phối hợp với Ủy ban nhân dân các tỉnh, thành phố ven biển triển khai phương án ứng phó bão.",
			[]string{"BNNMT+other - | Triển khai phương án ứng phó bão"}},
		{"group: a ministry, related bodies and the provinces coordinate",
			"Bộ Y tế chủ trì, phối hợp với Bộ Tài chính, các bộ, cơ quan liên quan và các địa phương xây dựng cơ chế.",
			[]string{"BYT+BTC+other+all_provinces - | Xây dựng cơ chế"}},
		{"group: 'các cơ quan báo chí' as a whole",
			"Các cơ quan báo chí đẩy mạnh tuyên truyền về chuyển đổi số.",
			[]string{"other:Các cơ quan báo chí - | Đẩy mạnh tuyên truyền về chuyển đổi số"}},
		{"group: heads of bodies",
			"Yêu cầu Thủ trưởng các cơ quan, đơn vị liên quan nghiêm túc thực hiện.",
			[]string{"other:các cơ quan, đơn vị liên quan - | Nghiêm túc thực hiện"}},

		{"group: a heading's lead and partners give each lettered item the same roles",
			"Thủ tướng Chính phủ kết luận như sau:\n\n2. Bộ Công Thương chủ trì, phối hợp với Bộ Tài chính và các cơ quan liên quan:\n\na) Theo dõi sát diễn biến giá xăng dầu thế giới.\n\nb) Rà soát, sửa đổi Nghị định số 83/2014/NĐ-CP, trình Chính phủ trong quý II năm 2026.\n\n3. Ngân hàng Nhà nước Việt Nam bảo đảm ngoại tệ cho nhập khẩu xăng dầu.",
			[]string{"BCT+BTC+other - | Theo dõi sát diễn biến giá xăng dầu thế giới",
				"BCT+BTC+other 2026-06-30/2026-Q2 | Rà soát, sửa đổi Nghị định số 83/2014/NĐ-CP, trình Chính phủ",
				"NHNN - | Bảo đảm ngoại tệ cho nhập khẩu xăng dầu"}},
		{"preamble: a letter of the Office conveying a Deputy Prime Minister's opinion",
			"Xét đề nghị của Bộ Tài chính tại văn bản số 1234/BTC-NSNN ngày 20/2/2026, Phó Thủ tướng Chính phủ Hồ Đức Phớc có ý kiến như sau:\n\nĐồng ý với đề xuất của Bộ Tài chính. Bộ Tài chính chịu trách nhiệm về nội dung, số liệu báo cáo.\n\nGiao Bộ Tài chính hướng dẫn các địa phương thực hiện, báo cáo kết quả trước ngày 31/3/2026.\n\nVăn phòng Chính phủ thông báo để Bộ Tài chính và các cơ quan liên quan biết, thực hiện./.",
			[]string{"BTC 2026-03-31 | Hướng dẫn các địa phương thực hiện, báo cáo kết quả"}},
		{"preamble: 'Về đề nghị của tỉnh … tại Tờ trình số …'",
			"Về đề nghị của Ủy ban nhân dân tỉnh Quảng Ngãi tại Tờ trình số 15/TTr-UBND, Thủ tướng Chính phủ giao Bộ Xây dựng chủ trì, phối hợp với Bộ Tài chính xem xét, xử lý theo quy định.",
			[]string{"BXD+BTC - | Xem xét, xử lý theo quy định"}},

		{"group: 'chủ trì, phối hợp' without its 'với'",
			"Bộ Ngoại giao chủ trì, phối hợp Bộ Công an bảo hộ công dân.",
			[]string{"BNG+BCA - | Bảo hộ công dân"}},
		{"group: 'chủ trì, phối hợp các bộ, ngành' without its 'với'",
			"Giao Bộ Y tế chủ trì, phối hợp các bộ, ngành, địa phương xây dựng kế hoạch tiêm chủng.",
			[]string{"BYT+all_ministries_and_provinces - | Xây dựng kế hoạch tiêm chủng"}},
		{"several leads: heads of bodies by title",
			"Phó Thủ tướng Thường trực Nguyễn Hòa Bình yêu cầu Bộ Tư pháp, Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện.",
			[]string{"BTP - | Theo dõi, đôn đốc việc thực hiện", "VPCP - | Theo dõi, đôn đốc việc thực hiện"}},
		{"lead: the Governor stands for the State Bank",
			"Thủ tướng yêu cầu Thống đốc Ngân hàng Nhà nước Việt Nam chỉ đạo ổn định thị trường vàng.",
			[]string{"NHNN - | Chỉ đạo ổn định thị trường vàng"}},
		{"lead: a provincial chairman stands for the province",
			"Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn chỉ đạo giải quyết ùn tắc hàng hóa tại cửa khẩu.",
			[]string{"LANGSON - | Chỉ đạo giải quyết ùn tắc hàng hóa tại cửa khẩu"}},

		// Bodies outside the catalog keep their name with no code.
		{"outside the catalog: VCCI",
			"Thủ tướng đề nghị Phòng Thương mại và Công nghiệp Việt Nam tổng hợp kiến nghị của doanh nghiệp, gửi Bộ Tài chính.",
			[]string{"Phòng Thương mại và Công nghiệp Việt Nam# - | Tổng hợp kiến nghị của doanh nghiệp, gửi Bộ Tài chính"}},
		{"outside the catalog: a steering committee",
			"Giao Ban Chỉ đạo quốc gia về phòng, chống thiên tai chỉ đạo các địa phương sẵn sàng phương án sơ tán dân.",
			[]string{"Ban Chỉ đạo quốc gia về phòng, chống thiên tai# - | Chỉ đạo các địa phương sẵn sàng phương án sơ tán dân"}},
		{"outside the catalog: an association with a coordinator",
			"Hiệp hội Ngân hàng Việt Nam phối hợp với Ngân hàng Nhà nước Việt Nam hướng dẫn các tổ chức tín dụng giảm lãi suất cho vay.",
			[]string{"Hiệp hội Ngân hàng Việt Nam#+NHNN - | Hướng dẫn các tổ chức tín dụng giảm lãi suất cho vay"}},
		{"outside the catalog: two state corporations",
			"Thủ tướng yêu cầu Tập đoàn Dầu khí Việt Nam, Tập đoàn Xăng dầu Việt Nam bảo đảm nguồn cung xăng dầu cho thị trường trong nước.",
			[]string{"Tập đoàn Dầu khí Việt Nam# - | Bảo đảm nguồn cung xăng dầu cho thị trường trong nước",
				"Tập đoàn Xăng dầu Việt Nam# - | Bảo đảm nguồn cung xăng dầu cho thị trường trong nước"}},
		{"outside the catalog: the Prime Minister's working group",
			"Giao Tổ công tác của Thủ tướng Chính phủ kiểm tra, đôn đốc tiến độ giải ngân vốn đầu tư công tại các địa phương.",
			[]string{"Tổ công tác của Thủ tướng Chính phủ# - | Kiểm tra, đôn đốc tiến độ giải ngân vốn đầu tư công tại các địa phương"}},

		{"outside the catalog: a national body's name ends with the country",
			"Giao Tổng công ty Đường sắt Việt Nam phối hợp với Bộ Xây dựng bảo đảm an toàn chạy tàu dịp Tết.",
			[]string{"Tổng công ty Đường sắt Việt Nam#+BXD - | Bảo đảm an toàn chạy tàu dịp Tết"}},
		{"outside the catalog: a steering committee of the Prime Minister",
			"Ban Chỉ đạo của Thủ tướng Chính phủ về phát triển đường sắt tốc độ cao chủ trì tổng kết việc thực hiện.",
			[]string{"Ban Chỉ đạo của Thủ tướng Chính phủ về phát triển đường sắt tốc độ cao# - | Tổng kết việc thực hiện"}},

		{"outside the catalog: 'nhỏ và vừa' is in the name",
			"Thủ tướng đề nghị Hiệp hội Doanh nghiệp nhỏ và vừa Việt Nam tổng hợp khó khăn của hội viên.",
			[]string{"Hiệp hội Doanh nghiệp nhỏ và vừa Việt Nam# - | Tổng hợp khó khăn của hội viên"}},
		{"outside the catalog: a name closed by the verb 'tháo gỡ'",
			"Tổ công tác đặc biệt của Thủ tướng Chính phủ tháo gỡ khó khăn cho các dự án tồn đọng.",
			[]string{"Tổ công tác đặc biệt của Thủ tướng Chính phủ# - | Tháo gỡ khó khăn cho các dự án tồn đọng"}},
		{"outside the catalog: the Front and 'các tổ chức chính trị - xã hội'",
			"Thủ tướng Chính phủ đề nghị Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội vận động nhân dân hưởng ứng.",
			[]string{"MTTQVN - | Vận động nhân dân hưởng ứng", "other:các tổ chức chính trị - xã hội - | Vận động nhân dân hưởng ứng"}},
		{"outside the catalog: a project board",
			"Ban Quản lý dự án Thăng Long khẩn trương hoàn thành dự án.",
			[]string{"Ban Quản lý dự án Thăng Long# - | Khẩn trương hoàn thành dự án"}},
		{"outside the catalog: a bank for social policy",
			"Ngân hàng Chính sách xã hội bố trí nguồn vốn cho vay ưu đãi.",
			[]string{"Ngân hàng Chính sách xã hội# - | Bố trí nguồn vốn cho vay ưu đãi"}},
		{"outside the catalog: a corporation with a dash in its name",
			"Tập đoàn Công nghiệp - Viễn thông Quân đội (Viettel) phối hợp với Bộ Khoa học và Công nghệ triển khai mạng 5G.",
			[]string{"Tập đoàn Công nghiệp - Viễn thông Quân đội#+BKHCN - | Triển khai mạng 5G"}},
		// Passages that give no work.
		{"none: done", "Bộ Tài chính đã hoàn thành việc sắp xếp, tinh gọn bộ máy theo đúng tiến độ.", nil},
		{"none: a target", "Năm 2026, tỉnh Lào Cai phấn đấu đạt tốc độ tăng trưởng kinh tế từ 10% trở lên.", nil},
		{"none: a commitment", "Ủy ban nhân dân tỉnh Quảng Ninh cam kết hoàn thành giải phóng mặt bằng dự án trong quý II/2026.", nil},
		{"none: a commitment with 'sẽ'", "Tỉnh Thanh Hóa cam kết sẽ bàn giao toàn bộ mặt bằng cho nhà đầu tư trước ngày 30/6/2026.", nil},
		{"none: according to a ministry's report", "Theo báo cáo của Bộ Y tế, đến nay cả nước đã tiêm được hơn 2 triệu liều vắc xin sởi.", nil},
		{"none: according to a ministry", "Theo Bộ Công Thương, nguồn cung xăng dầu trong nước cơ bản được bảo đảm.", nil},
		{"none: past guidance", "Thời gian qua, Bộ Xây dựng đã chỉ đạo các chủ đầu tư đẩy nhanh tiến độ các dự án đường bộ cao tốc.", nil},
		{"none: a goal", "Chính phủ đặt mục tiêu tăng trưởng GDP năm 2026 đạt từ 10% trở lên.", nil},
		{"none: a province's own target", "Tỉnh Đồng Nai đặt mục tiêu hoàn thành giải phóng mặt bằng trong tháng 6/2026.", nil},
		{"none: a leader says what the city will do", "Lãnh đạo Ủy ban nhân dân Thành phố Hồ Chí Minh cho biết thành phố sẽ hoàn thành dự án trong tháng 9/2026.", nil},
		{"none: a minister affirms", "Phát biểu tại hội nghị, Bộ trưởng Bộ Tài chính khẳng định ngành tài chính sẽ tiếp tục cải cách thủ tục hành chính.", nil},
		{"none: attendance", "Tham dự cuộc họp có đại diện lãnh đạo Bộ Tài chính, Bộ Xây dựng, Bộ Nông nghiệp và Môi trường.", nil},
		{"none: the bodies have done their work", "Các bộ, ngành, địa phương đã tích cực triển khai các nhiệm vụ được giao, đạt nhiều kết quả quan trọng.", nil},
		{"none: figures of the year past", "Năm 2025, Bộ Khoa học và Công nghệ đã ban hành 15 thông tư hướng dẫn.", nil},
		{"none: a representative reports", "Báo cáo tại cuộc họp, đại diện Bộ Y tế cho biết đã phân bổ 500 nghìn liều vắc xin cho các địa phương.", nil},
		{"none: a province proposes to the Premier", "Ủy ban nhân dân tỉnh Nghệ An đề xuất Thủ tướng cho phép bổ sung vốn cho dự án.", nil},
		{"none: a minister pledges", "Bộ trưởng Bộ Y tế cam kết sẽ hoàn thành việc sửa đổi Luật Khám bệnh, chữa bệnh trong quý III/2026.", nil},
		{"none: by plan, a ministry will", "Theo kế hoạch, Bộ Giáo dục và Đào tạo sẽ tổ chức kỳ thi tốt nghiệp trung học phổ thông vào cuối tháng 6/2026.", nil},
		{"none: a past assignment", "Dự án được Thủ tướng giao cho Bộ Xây dựng làm chủ đầu tư từ năm 2020.", nil},
		{"none: work under way", "Hiện nay, Bộ Nội vụ đang hoàn thiện dự thảo Nghị định về tiền lương.", nil},
		{"none: a province reports progress", "Ủy ban nhân dân tỉnh Ninh Bình báo cáo đã hoàn thành 85% khối lượng giải phóng mặt bằng.", nil},
		{"none: a target of the year", "Mục tiêu là đến hết năm 2026, hoàn thành 3.000 km đường cao tốc.", nil},
		{"none: a representative says what the ministry does", "Đại diện Bộ Tài chính cho biết, bộ đang tổng hợp ý kiến của các địa phương để trình Chính phủ trong tháng 4/2026.", nil},
		{"none: the year past", "Trong năm 2025, Bộ Công Thương đã chủ trì, phối hợp với các bộ, ngành xây dựng 12 đề án.", nil},
		{"none: a province asks the Premier", "Tại buổi làm việc, lãnh đạo tỉnh Tây Ninh kiến nghị Thủ tướng hỗ trợ vốn cho dự án đường cao tốc.", nil},
		{"none: the Premier recounts", "Thủ tướng cho biết Chính phủ đã giao Bộ Xây dựng nghiên cứu phương án.", nil},
		{"none: a ministry's view", "Bộ Công Thương cho rằng cần tiếp tục theo dõi sát diễn biến giá xăng dầu thế giới.", nil},
		{"none: progress to date", "Đến nay, 28/34 tỉnh, thành phố đã hoàn thành việc sắp xếp đơn vị hành chính cấp xã.", nil},
		{"none: praise", "Thủ tướng ghi nhận, biểu dương Bộ Công an đã triển khai hiệu quả Đề án 06.", nil},
		{"none: a ministry says it is doing", "Bộ Xây dựng cho biết đang phối hợp với Ủy ban nhân dân tỉnh Khánh Hòa hoàn thiện hồ sơ dự án.", nil},
		{"none: a province pledges", "Ủy ban nhân dân tỉnh Gia Lai cam kết sẽ phối hợp chặt chẽ với Bộ Xây dựng để hoàn thành dự án trước ngày 30/9/2026.", nil},

		{"none: a telegram recounted by the Office", "Chiều 5/3, Văn phòng Chính phủ cho biết Thủ tướng đã yêu cầu Bộ Công an điều tra vụ việc.", nil},
		{"none: the year's results", "Năm qua, các bộ, ngành, địa phương đã hoàn thành 95% nhiệm vụ được giao.", nil},
		{"none: praise of efforts", "Thủ tướng đánh giá cao nỗ lực của Bộ Y tế và các địa phương trong công tác phòng chống dịch.", nil},
		{"none: a province strives", "Ủy ban nhân dân tỉnh Bắc Ninh phấn đấu đạt 100% hồ sơ được giải quyết trực tuyến trong năm 2026.", nil},
		{"none: corporations set a target", "Các tập đoàn, tổng công ty nhà nước đặt mục tiêu tăng trưởng doanh thu 10%.", nil},
		{"none: according to the Ministry of Finance", "Theo Bộ Tài chính, tiến độ giải ngân vốn đầu tư công năm 2025 đạt 95%.", nil},
		{"none: according to a city's report", "Theo báo cáo của Ủy ban nhân dân Thành phố Hà Nội, thành phố đã hoàn thành di dời 500 hộ dân.", nil},
		{"none: a decree already amended", "Bộ Công Thương đã hoàn thành việc sửa đổi Nghị định 83 về kinh doanh xăng dầu trong tháng 1/2026.", nil},
		{"none: a province's pledge without a date", "Tỉnh Quảng Ninh cam kết bố trí đủ vốn đối ứng.", nil},

		{"none: a minister reports figures", "Báo cáo tại cuộc họp, Bộ trưởng Bộ Xây dựng Trần Hồng Minh cho biết, đến nay đã có 2.476 km đường cao tốc được đưa vào khai thác.", nil},
		{"none: damage according to a ministry", "Theo Bộ Nông nghiệp và Môi trường, cơn bão số 3 đã làm 10 người chết, hơn 5.000 ngôi nhà bị hư hỏng.", nil},
		{"none: a guidance already issued", "Ngay sau cuộc họp, Bộ Y tế đã ban hành văn bản hướng dẫn các địa phương.", nil},
		{"none: an earlier telegram", "Trước đó, ngày 15/2/2026, Thủ tướng đã ban hành Công điện số 12/CĐ-TTg yêu cầu các bộ, ngành tăng cường quản lý giá.", nil},
		{"none: a province says it will", "Ủy ban nhân dân tỉnh Cà Mau cho biết sẽ hoàn thành việc di dời các hộ dân trước ngày 30/4/2026.", nil},
		{"none: forces mobilised", "Các địa phương đã huy động hơn 10.000 cán bộ, chiến sĩ tham gia khắc phục hậu quả bão.", nil},
		{"none: a sector strives", "Năm 2026, ngành y tế phấn đấu giảm 10% tỷ lệ tử vong do bệnh truyền nhiễm.", nil},
		{"none: a ministry plans", "Bộ Tài chính dự kiến trình Chính phủ dự thảo Nghị định trong tháng 5/2026.", nil},
		{"none: a ministry asks the Premier", "Bộ Công Thương đề nghị Thủ tướng Chính phủ chỉ đạo các địa phương bảo đảm nguồn cung.", nil},
		{"none: a ministry petitions the Government", "Bộ Xây dựng kiến nghị Chính phủ cho phép áp dụng cơ chế đặc thù.", nil},
		{"none: the Premier agrees", "Thủ tướng đồng ý với đề xuất của Bộ Tài chính về việc gia hạn nộp thuế.", nil},
		{"none: the Premier welcomes", "Thủ tướng hoan nghênh Bộ Quốc phòng, Bộ Công an đã kịp thời triển khai lực lượng cứu hộ.", nil},
		{"none: a province will hold a ceremony", "Tỉnh Khánh Hòa sẽ tổ chức lễ khởi công dự án vào ngày 19/5/2026.", nil},
		{"none: a corporation reports", "Tổng công ty Điện lực miền Bắc cho biết đã khôi phục cấp điện cho 90% khách hàng.", nil},
		{"none: an association pledges", "Hiệp hội Doanh nghiệp Việt Nam cam kết đồng hành cùng Chính phủ.", nil},
		{"none: work done together", "Bộ Y tế cùng các địa phương đã tổ chức tiêm hơn 1 triệu liều vắc xin.", nil},
		{"none: a chairman affirms", "Phát biểu tại buổi làm việc, Chủ tịch UBND tỉnh Đồng Nai khẳng định tỉnh sẽ bàn giao mặt bằng đúng hạn.", nil},
		{"none: the Premier chairs", "Thủ tướng Chính phủ Phạm Minh Chính chủ trì hội nghị trực tuyến với các địa phương về phòng chống thiên tai.", nil},
		{"none: attendance by ministries named elliptically", "Cùng dự có lãnh đạo các bộ: Tài chính, Xây dựng, Công Thương.", nil},
		{"none: work under way with partners", "Bộ Nội vụ đang phối hợp với các địa phương rà soát biên chế.", nil},

		{"none: a ministry's target quoted from a plan", "Theo Kế hoạch, đến năm 2030, Bộ Y tế phấn đấu 100% bệnh viện sử dụng bệnh án điện tử.", nil},
		{"none: a province strives to reach a figure", "Ủy ban nhân dân tỉnh Hưng Yên phấn đấu đạt tốc độ tăng trưởng 9,5% trong năm 2026.", nil},
		{"none: a decision signed", "Thủ tướng Chính phủ vừa ký Quyết định số 500/QĐ-TTg phê duyệt Quy hoạch tỉnh Gia Lai.", nil},
		{"none: an assignment of 2024 since approved", "Năm 2024, Thủ tướng đã giao Bộ Xây dựng nghiên cứu đề án, đến nay đề án đã được phê duyệt.", nil},
		{"none: a growth target without an addressee", "Thủ tướng yêu cầu phấn đấu tăng trưởng GDP năm 2026 đạt 10% trở lên.", nil},
		{"none: a ministry says it coordinated", "Bộ Công Thương cho hay đã chủ động phối hợp với các địa phương bảo đảm nguồn cung.", nil},
		{"none: a minister stresses", "Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng nhấn mạnh, Bộ sẽ tiếp tục đồng hành cùng doanh nghiệp.", nil},
		{"none: who was given a duty in 2015", "Như vậy, Bộ Giáo dục và Đào tạo là đơn vị được giao chủ trì tổ chức kỳ thi từ năm 2015.", nil},
		{"none: a province's own assignment", "Ủy ban nhân dân tỉnh Tây Ninh đã giao Sở Xây dựng chủ trì thực hiện.", nil},
		{"none: a city's own letter", "UBND Thành phố Hà Nội vừa có văn bản chỉ đạo các sở, ngành triển khai công tác phòng cháy.", nil},
		{"none: a provincial Party committee's request", "Tỉnh ủy Quảng Ninh yêu cầu các cấp ủy đảng lãnh đạo thực hiện tốt nhiệm vụ.", nil},
		{"strives with a verb is still work", "Các bộ, ngành, địa phương phấn đấu giải ngân 100% kế hoạch vốn đầu tư công năm 2026.",
			[]string{"all_ministries_and_provinces - | Phấn đấu giải ngân 100% kế hoạch vốn đầu tư công năm 2026"}},

		// Slips of the source.
		{"slip: double space and 'Tài Chính'",
			"Thủ tướng giao Bộ Tài Chính  rà soát các khoản chi thường xuyên.",
			[]string{"BTC - | Rà soát các khoản chi thường xuyên"}},
		{"slip: 'Uỷ'",
			"Thủ tướng giao Uỷ ban nhân dân tỉnh Gia Lai khẩn trương khắc phục hậu quả mưa lũ.",
			[]string{"GIALAI - | Khẩn trương khắc phục hậu quả mưa lũ"}},
		{"slip: double spaces around the action",
			"Phó Thủ tướng yêu cầu UBND tỉnh Quảng Ngãi  khẩn trương  di dời dân khỏi vùng nguy hiểm.",
			[]string{"QUANGNGAI - | Khẩn trương di dời dân khỏi vùng nguy hiểm"}},
		{"slip: 'Uy ban' without its diacritics",
			"Thủ tướng giao Uy ban nhân dân tỉnh Phú Thọ khắc phục sự cố.",
			[]string{"PHUTHO - | Khắc phục sự cố"}},
		{"slip: 'Bô' without its dot",
			"Thủ tướng giao Bô Y tế khẩn trương cung ứng thuốc.",
			[]string{"BYT - | Khẩn trương cung ứng thuốc"}},
		{"slip: 'bo' before a lower-case word is no ministry",
			"Thủ tướng yêu cầu rà soát bo mạch điện tử nhập khẩu.", nil},
		{"slip: a space before the comma",
			"Thủ tướng giao Bộ Tài chính chủ trì , phối hợp với Bộ Tư pháp hoàn thiện dự thảo.",
			[]string{"BTC+BTP - | Hoàn thiện dự thảo"}},
		{"slip: 'UBND TP.' for a city",
			"UBND TP. Hồ Chí Minh khẩn trương hoàn thành dự án.",
			[]string{"HOCHIMINH - | Khẩn trương hoàn thành dự án"}},
		{"slip: a syllable of a ministry's name without its marks",
			"Thủ tướng giao Bộ Giáo duc và Đào tạo tổ chức kỳ thi.",
			[]string{"BGDDT - | Tổ chức kỳ thi"}},
		{"slip: a province's name without its marks",
			"Thủ tướng giao Ủy ban nhân dân tỉnh Quang Ngai khắc phục hậu quả mưa lũ.",
			[]string{"QUANGNGAI - | Khắc phục hậu quả mưa lũ"}},
		{"slip: 'Ủy Ban Nhân Dân' in capitals",
			"Thủ tướng giao Ủy Ban Nhân Dân tỉnh Quảng Trị khắc phục hậu quả.",
			[]string{"QUANGTRI - | Khắc phục hậu quả"}},
		{"slip: 'TP.HCM'",
			"Thủ tướng giao UBND TP.HCM khẩn trương hoàn thành dự án.",
			[]string{"HOCHIMINH - | Khẩn trương hoàn thành dự án"}},
		{"slip: a comma glued to the next name",
			"Thủ tướng giao Bộ Nông nghiệp và Môi trường ,Bộ Tài chính rà soát.",
			[]string{"BNNMT - | Rà soát", "BTC - | Rà soát"}},
		{"slip: 'Bộ Nông Nghiệp và Môi Trường' casing",
			"Thủ tướng giao Bộ Nông Nghiệp và Môi Trường kiểm tra công tác phòng chống hạn mặn.",
			[]string{"BNNMT - | Kiểm tra công tác phòng chống hạn mặn"}},
	} {
		got := describeProposals(x.Extract(c.text, civil.MustDate("2026-03-02")))
		open := strings.HasPrefix(c.category, "open: ")
		match := strings.Join(got, "\n") == strings.Join(c.want, "\n")
		switch {
		case open && match:
			t.Errorf("%s: passes now; take its open mark off", c.category)
		case open:
			t.Logf("%s:\n got %q\nwant %q", c.category, got, c.want)
		case !match:
			t.Errorf("%s:\n got %q\nwant %q", c.category, got, c.want)
		}
	}
}
