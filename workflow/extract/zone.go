package extract

import (
	"strings"
)

// A news article about a meeting first reports (figures, what each ministry
// did in the quarter) and then gives the Prime Minister's conclusion; a
// conclusion notice states its directives after "kết luận như sau:".
// Sentences before the conclusion give work only when the Prime Minister is
// their speaker ("Thủ tướng yêu cầu Bộ Y tế …"); a ministry's own
// reported activity ("Bộ Tài chính triển khai hóa đơn điện tử …") does not.
// After the article, a site's "Tin liên quan" or a letter's "Nơi nhận:"
// ends the text that can give work.

// conclusionMarkers open the conclusion (lower case).
var conclusionMarkers = []string{
	"phát biểu kết luận", "kết luận như sau", "kết luận phiên họp", "kết luận cuộc họp", "kết luận hội nghị",
	"kết luận buổi làm việc", "kết luận buổi họp", "kết luận:", "có ý kiến như sau", "chỉ đạo như sau",
	"quyết nghị:", "kết luận, thủ tướng", "ý kiến kết luận", "kết luận và chỉ đạo",
}

// endMarkers are lines after which nothing belongs to the conclusion.
var endMarkers = map[string]bool{
	"tin mới cập nhật": true, "tin liên quan": true, "tin cùng chuyên mục": true, "tin khác": true, "các tin khác": true,
	"bài viết liên quan": true, "ý kiến bạn đọc": true, "bình luận": true, "xem thêm": true, "đọc thêm": true,
	"tin đọc nhiều": true, "nơi nhận": true, "tin mới": true, "tin nổi bật": true, "tin tức khác": true,
	"bài liên quan": true, "chia sẻ": true, "tin cùng loại": true,
}

// zone returns the byte range of the normalised text that holds the
// conclusion: from the sentence that opens it (or the start, if no sentence
// does) to the first end marker after it (or the end).
func zone(norm string, sents []sentence) (int, int) {
	start := 0
	for _, s := range sents {
		low := strings.ToLower(norm[s.start:s.end])
		if hasMarker(low) {
			start = s.start
			break
		}
	}
	end := len(norm)
	for _, s := range sents {
		if s.start < start {
			continue
		}
		line := strings.ToLower(strings.TrimRight(strings.TrimSpace(norm[s.start:s.end]), ":"))
		if endMarkers[line] || strings.HasPrefix(line, "nơi nhận:") {
			end = s.start
			break
		}
	}
	return start, end
}

func hasMarker(low string) bool {
	for _, m := range conclusionMarkers {
		if strings.Contains(low, m) {
			return true
		}
	}
	// "Thủ tướng Chính phủ thống nhất về nhiệm vụ, giải pháp … như sau:"
	if i := strings.Index(low, "như sau"); i >= 0 {
		before := low[:i]
		for _, w := range []string{"kết luận", "ý kiến", "chỉ đạo", "thống nhất", "yêu cầu"} {
			if strings.Contains(before, w) {
				return true
			}
		}
	}
	return false
}
