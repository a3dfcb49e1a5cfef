package extract

// Instructions told as news or as a recount. "Thủ tướng vừa yêu cầu …" and
// "Thủ tướng mới có văn bản chỉ đạo …" give work; "Trước đó, …", "Thủ tướng
// đã …" recount it, and count only when the recounted task still has a
// deadline to come.

// recountedClause reports whether the cue at s stands in a clause that
// recounts what the Government did: "Trước đó, …" opens a recount, and in
// "Thủ tướng đã có nhiều văn bản chỉ đạo quyết liệt, giao nhiệm vụ cho các
// bộ …" the "đã" after the speaker covers every instruction of the clause.
// "Thủ tướng đã chủ trì cuộc họp, yêu cầu các bộ …" reports a meeting and
// its instructions: only "đã" followed by the giving of instructions
// recounts.
func recountedClause(toks []token, s int) bool {
	if recountedOpening(toks) {
		return true
	}
	for k := s - 1; k >= 1; k-- {
		switch toks[k].low {
		case ";", ":", ".":
			return false
		case "đã":
			if w := lowAt(toks, k-1); (w == "phủ" || w == "tướng") && instructsBetween(toks, k+1, s) {
				return true
			}
		}
	}
	return false
}

// instructionWords give instructions: the cues, and "văn bản" (a letter).
var instructionWords = append(append([][]string{}, cues...), []string{"văn", "bản"})

// instructsBetween reports whether tokens [from, to) give instructions.
func instructsBetween(toks []token, from, to int) bool {
	for k := from; k < to; k++ {
		for _, c := range instructionWords {
			if e, ok := wordsAt(toks, k, c...); ok && e <= to && e == k+len(c) {
				return true
			}
		}
	}
	return false
}

// recountedCue returns the cue of "Thủ tướng (Chính phủ) đã yêu cầu X …"
// before the list at t0, or -1: an instruction given earlier, which still
// counts when it carries a deadline yet to come.
func recountedCue(toks []token, t0 int) int {
	for _, c := range cues {
		s := t0 - len(c)
		if e, ok := wordsAt(toks, max(s, 0), c...); s < 1 || !ok || e != t0 || lowAt(toks, s-1) != "đã" {
			continue
		}
		if w := lowAt(toks, s-2); (w == "tướng" || w == "phủ") && !recountedOpening(toks) {
			return s
		}
	}
	return -1
}

// recountedOpening reports whether the sentence opens with "Trước đó,".
func recountedOpening(toks []token) bool {
	e, ok := wordsAt(toks, 0, "trước", "đó")
	return ok && e == 2 && lowAt(toks, 2) == ","
}

// justInstructed reports whether the cue at s follows "vừa" after the
// Premier: "Thủ tướng Phạm Minh Chính vừa yêu cầu Bộ Công an …" is news of
// an instruction just given, where "Bộ Y tế vừa yêu cầu …" or "đã yêu cầu"
// report.
func justInstructed(toks []token, s int) bool {
	return lowAt(toks, s-1) == "vừa" && premierBefore(toks, s-1)
}

// letterInstructs reports whether the cue at s is the object of "có văn
// bản": "Thủ tướng mới có văn bản chỉ đạo các bộ, ngành khẩn trương …"
// gives work by letter as "chỉ đạo" does. "đã có văn bản chỉ đạo" recounts
// an earlier letter and stays blocked.
func letterInstructs(toks []token, s int) bool {
	return lowAt(toks, s-1) == "bản" && lowAt(toks, s-2) == "văn" && lowAt(toks, s-3) == "có" && !reportWords[lowAt(toks, s-4)]
}

// recounted reads "Thủ tướng Chính phủ đã yêu cầu Ngân hàng Nhà nước tổng
// kết Nghị định 24 …, hoàn thành trong quý 1": a recounted instruction is
// still a task to track when its deadline is a date yet to come.
func (r *reader) recounted(toks []token, lists []agencyList) []assignment {
	for _, l := range lists {
		c := recountedCue(toks, l.t0)
		if c < 0 || l.t1 >= len(toks) {
			continue
		}
		a := assignment{kind: cueLed, head: c, list: l, pred: l.t1, end: len(toks), strong: true}
		for a.pred < len(toks) && !toks[a.pred].word {
			a.pred++
		}
		if a.pred < len(toks) && !r.x.findDue(r.norm, toks, a.pred, a.end, a.head, r.doc).on.IsZero() {
			return []assignment{a}
		}
	}
	return nil
}
