package extract

import (
	"slices"

	"github.com/dondoc/dondoc/workflow/catalog"
)

// thisMinistry reads "Bộ này" (this ministry) as the ministry named last,
// in this sentence or an earlier one: "Chính phủ giao Bộ Giáo dục và Đào
// tạo tăng cường thanh tra … Đồng thời, Bộ này cần khẩn trương hoàn thiện
// …". It adds its mention to ms and keeps *last up to date.
func (r *reader) thisMinistry(toks []token, ms []mention, last *[]string) []mention {
	out := make([]mention, 0, len(ms))
	keep := func(m mention) {
		out = append(out, m)
		if len(m.codes) == 0 || m.group != "" || m.outside {
			return
		}
		if a, ok := r.x.cat.Get(m.codes[0]); ok && a.Kind == catalog.KindMinistry {
			*last = m.codes
		}
	}
	k := 0
	for i := 0; i+1 < len(toks); i++ {
		for ; k < len(ms) && ms[k].t1 <= i; k++ {
			keep(ms[k])
		}
		free := k == len(ms) || ms[k].t0 > i
		if free && len(*last) > 0 && toks[i].low == "bộ" && toks[i+1].low == "này" {
			out = append(out, mention{t0: i, t1: i + 2, n0: i, codes: slices.Clone(*last), ministry: true})
		}
	}
	for ; k < len(ms); k++ {
		keep(ms[k])
	}
	return out
}
