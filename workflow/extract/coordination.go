package extract

// Where "phối hợp với" makes coordinators. The lead's role is stated where
// its task opens: "Bộ A (chủ trì,) phối hợp với Bộ B làm …", "giao Bộ A
// tích cực phối hợp với Bộ B …". Inside the task the same words describe
// the work, not the roles: "… để kịp thời phối hợp chặt chẽ với Bộ B",
// "báo cáo … công tác phối hợp với Bộ B", "chỉ đạo Công an tỉnh phối hợp
// với các sở, ngành" (the police's partners, not the lead's). Only a clause
// that opens on "phối hợp với X" followed by its own verb starts a new task
// of the same lead with X coordinating: "giao UBND tỉnh hỗ trợ gia đình
// người bị nạn, phối hợp với Bộ Công an điều tra nguyên nhân".

// roleWords may stand before "phối hợp" at the opening of a task.
var roleWords = map[string]bool{
	"chủ": true, "trì": true, "cần": true, "phải": true, "tích": true, "cực": true, "động": true, "tiếp": true,
	"tục": true, "khẩn": true, "trương": true, "có": true, "trách": true, "nhiệm": true, "cũng": true,
}

// opensTask reports whether the "phối hợp" at p stands at the opening of
// the task that starts at token from: only role words and commas before it.
func opensTask(toks []token, from, p int) bool {
	for k := from; k < p; k++ {
		if toks[k].word && !roleWords[toks[k].low] || !toks[k].word && toks[k].low != "," {
			return false
		}
	}
	return true
}

// coordinationClause returns, for the comma at c inside a task, whether
// what follows is "(chủ trì,) phối hợp (chặt chẽ) với X" and then a verb of
// its own: a new task of the same lead.
func (x *Extractor) coordinationClause(toks []token, c, end int) bool {
	if toks[c].low != "," {
		return false
	}
	k := c + 1
	if e, ok := wordsAt(toks, k, "chủ", "trì"); ok && e == k+2 && lowAt(toks, e) == "," {
		k = e + 1
	}
	e, ok := wordsAt(toks, k, "phối", "hợp")
	if !ok || e != k+2 {
		return false
	}
	if f, ok := wordsAt(toks, e, "chặt", "chẽ"); ok && f == e+2 {
		e = f
	}
	if lowAt(toks, e) != "với" && lowAt(toks, e) != "cùng" {
		return false
	}
	e++
	sub := toks[e:end]
	ls := buildLists(sub, x.gaz.mentions(sub))
	if len(ls) == 0 || ls[0].t0 != 0 {
		return false
	}
	v := e + ls[0].t1
	return v < end && toks[v].word && !toks[v].upper && !continuations[toks[v].low] && !prepositions[toks[v].low]
}

// prepositions open a phrase that says how or when a task is done, not a
// task: "…, phối hợp chặt chẽ với Bộ Y trong quá trình thực hiện".
var prepositions = map[string]bool{
	"để": true, "trong": true, "trên": true, "khi": true, "nhằm": true, "sau": true, "trước": true, "ngay": true,
}

// supportedLead reads "Các Bộ Kế hoạch và Đầu tư, Tài chính, Tư pháp cần
// tích cực phối hợp với Bộ Y tế hoàn chỉnh dự thảo …": several bodies that
// open their task by coordinating with one named body support it; that
// body leads the work and they coordinate. One body coordinating with
// another ("Bộ A phối hợp với Bộ B làm …") still leads, and "chủ trì"
// before "phối hợp" keeps the lead where it is.
func (r *reader) supportedLead(toks, src []token, a assignment, coords []Agency, groups []GroupMention) (Agency, []Agency, bool) {
	if len(coords) != 1 || len(groups) > 0 || len(a.list.items) < 2 || coords[0].Code == "" {
		return Agency{}, nil, false
	}
	p := -1
	for k := a.pred; k+1 < a.end; k++ {
		if toks[k].low == "phối" && toks[k+1].low == "hợp" {
			p = k
			break
		}
	}
	if p < 0 || !opensTask(toks, a.pred, p) {
		return Agency{}, nil, false
	}
	for k := a.pred; k < p; k++ {
		if toks[k].low == "trì" && lowAt(toks, k-1) == "chủ" {
			return Agency{}, nil, false
		}
	}
	var helpers []Agency
	for _, it := range a.list.items {
		if it.m.group != "" {
			return Agency{}, nil, false
		}
		ag := r.agency(src, it.m)
		if ag.Code == "" && !ag.NeedsMapping {
			continue
		}
		if !hasAgency(helpers, ag) && !sameAgency(ag, coords[0]) {
			helpers = append(helpers, ag)
		}
	}
	return coords[0], helpers, len(helpers) >= 2
}
