package extract

// How one assignment becomes several tasks of the same addressees: a
// deadline that closes its clause before a semicolon, a deadline after ",
// đồng thời", a clause that opens on a recurring period, and a clause that
// opens on "phối hợp với X" and its own verb.

// tasks splits an assignment into the tasks it gives, in order.
func (r *reader) tasks(s *sentence, a assignment, first bool) []assignment {
	var out []assignment
	for _, c := range r.closedClauses(s, a, first) {
		for _, d := range r.simultaneousClauses(s, c) {
			for _, e := range recurringClauses(s.toks, d) {
				out = append(out, r.coordinationClauses(s, e)...)
			}
		}
	}
	return out
}

// closedClauses splits an assignment at each semicolon that follows a
// deadline closing its clause: "giao Bộ X hoàn thiện đề án, hoàn thành
// trong tháng 2; sớm nghiên cứu …" gives Bộ X two tasks, each with its own
// deadline (or none). A deadline that ends the last clause only ("…; đề
// xuất giải pháp, hoàn thành trong quý 1") is one task's: no split.
func (r *reader) closedClauses(s *sentence, a assignment, first bool) []assignment {
	toks := s.toks
	var out []assignment
	seg, from := a, a.head
	if first {
		from = 0
	}
	last := from // the token after the last semicolon: only its clause can close
	for k := a.pred + 1; k < a.end-1; k++ {
		if toks[k].low != ";" {
			continue
		}
		clause := last
		last = k + 1
		trigger := false
		for i := clause; i < k && !trigger; i++ {
			trigger = dueTrigger(toks, i)
		}
		if !trigger {
			continue
		}
		due := r.x.findDue(r.norm, toks, max(from, clause-5), k, a.head, r.doc)
		if !due.found || due.on.IsZero() && due.kind != "" || due.end < toks[k-1].start {
			continue
		}
		seg.end = k
		out = append(out, seg)
		seg = a
		seg.pred, from = k+1, k+1
	}
	return append(out, seg)
}

// simultaneousClauses splits an assignment at ", đồng thời" when the
// clause after it has a deadline and the one before has none: in "giao Bộ X
// tập trung đẩy mạnh sản xuất, đồng thời quyết tâm gỡ thẻ vàng trong tháng
// 4" the month is the second task's. A deadline after a report to make
// ("…, đồng thời chỉ đạo …, báo cáo Thủ tướng trước ngày 1/11") closes all
// the work reported on: no split.
func (r *reader) simultaneousClauses(s *sentence, a assignment) []assignment {
	toks := s.toks
	for k := a.pred + 1; k+3 < a.end; k++ {
		if toks[k].low != "," || lowAt(toks, k+1) != "đồng" || lowAt(toks, k+2) != "thời" {
			continue
		}
		tail := k + 3
		for tail < a.end && !toks[tail].word {
			tail++
		}
		if tail >= a.end || toks[tail].upper {
			return []assignment{a}
		}
		for j := tail; j+1 < a.end; j++ {
			if toks[j].low == "báo" && toks[j+1].low == "cáo" {
				return []assignment{a}
			}
		}
		after := r.x.findDue(r.norm, toks, tail, a.end, a.head, r.doc)
		before := r.x.findDue(r.norm, toks, a.pred, k, a.head, r.doc)
		if after.on.IsZero() || before.found {
			return []assignment{a}
		}
		first, second := a, a
		first.end, second.pred = k, tail
		return []assignment{first, second}
	}
	return []assignment{a}
}

// recurringClauses splits an assignment where a clause opens on a
// recurring period and its verb: "Tổ công tác có nhiệm vụ cập nhật thông
// tin …, hằng ngày báo cáo Thủ tướng Chính phủ" gives a standing duty and a
// daily report, each with its own rhythm.
func recurringClauses(toks []token, a assignment) []assignment {
	for k := a.pred + 1; k+3 < a.end; k++ {
		if toks[k].low != "," {
			continue
		}
		j := k + 1
		if lowAt(toks, j) == "định" && lowAt(toks, j+1) == "kỳ" {
			j += 2
		}
		if w := lowAt(toks, j); w != "hằng" && w != "hàng" {
			continue
		}
		switch lowAt(toks, j+1) {
		case "ngày", "tuần", "tháng", "quý", "năm":
		default:
			continue
		}
		if v := j + 2; v < a.end && toks[v].word && !toks[v].upper && !continuations[toks[v].low] && toks[v].low != "có" && toks[v].low != "là" {
			first, second := a, a
			first.end, second.pred = k, k+1
			return []assignment{first, second}
		}
	}
	return []assignment{a}
}

// coordinationClauses splits an assignment where a clause opens on "phối
// hợp với X" and a verb of its own (see coordinationClause).
func (r *reader) coordinationClauses(s *sentence, a assignment) []assignment {
	var out []assignment
	seg := a
	for k := a.pred + 1; k < a.end-1; k++ {
		if !r.x.coordinationClause(s.toks, k, a.end) || opensTask(s.toks, seg.pred, k) {
			continue
		}
		seg.end = k
		out = append(out, seg)
		seg = a
		seg.pred = k + 1
	}
	return append(out, seg)
}
