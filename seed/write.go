package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/storage"
	"github.com/dondoc/dondoc/workflow"
)

var fields = []string{"Y tế", "Giáo dục", "Giao thông", "Chuyển đổi số", "Tài chính", "Đầu tư công", "Nông nghiệp", "Môi trường",
	"Đất đai", "Xây dựng", "Năng lượng", "Công thương", "Lao động", "Văn hóa", "Du lịch", "Khoa học", "Quốc phòng", "An ninh", "Tư pháp", "Ngoại giao"}

var verbs = []string{"Khẩn trương hoàn thiện", "Chủ trì xây dựng", "Rà soát, sửa đổi", "Tổng kết, đánh giá", "Triển khai thực hiện",
	"Nghiên cứu, đề xuất", "Hướng dẫn các địa phương", "Đẩy nhanh tiến độ", "Báo cáo Thủ tướng Chính phủ về", "Tháo gỡ vướng mắc trong"}

var objects = []string{"đề án phát triển hạ tầng số", "cơ sở dữ liệu quốc gia về dân cư", "chương trình mục tiêu quốc gia", "dự án luật sửa đổi",
	"kế hoạch giải ngân vốn đầu tư công", "quy hoạch tỉnh thời kỳ 2021-2030", "hồ sơ sức khỏe điện tử", "dịch vụ công trực tuyến toàn trình",
	"cơ chế, chính sách đặc thù", "dự án đường bộ cao tốc Bắc - Nam", "chương trình nhà ở xã hội", "phương án sắp xếp đơn vị hành chính"}

// batch gathers the rows of one table for a chunk, then writes them with
// multi-row INSERTs of rowsPer rows, under SQLite's limit of 32,766 bound
// variables and PostgreSQL's of 65,535. The chunk's tables are written
// parents first, so that every foreign key finds its row.
type batch struct {
	ctx      context.Context
	numbered bool // PostgreSQL's $1, $2 …; SQLite takes ? (its named $N are looked up one by one, slowly)
	tx       *sql.Tx
	head     string
	cols     int
	rowsPer  int
	args     []any
}

func newBatch(dialect, table string, cols ...string) *batch {
	return &batch{numbered: dialect == storage.Postgres, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), rowsPer: 30000 / len(cols)}
}

func (b *batch) values(rows int) string {
	var sb strings.Builder
	sb.WriteString(b.head)
	p := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for c := 0; c < b.cols; c++ {
			if c > 0 {
				sb.WriteByte(',')
			}
			if b.numbered {
				sb.WriteString("$" + strconv.Itoa(p))
			} else {
				sb.WriteByte('?')
			}
			p++
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

func (b *batch) add(vals ...any) { b.args = append(b.args, vals...) }

func (b *batch) write() error {
	per := b.rowsPer * b.cols
	var stmt *sql.Stmt
	for len(b.args) >= per {
		if stmt == nil {
			var err error
			if stmt, err = b.tx.PrepareContext(b.ctx, b.values(b.rowsPer)); err != nil {
				return err
			}
			defer stmt.Close()
		}
		if _, err := stmt.ExecContext(b.ctx, b.args[:per]...); err != nil {
			return err
		}
		b.args = b.args[per:]
	}
	if len(b.args) > 0 {
		if _, err := b.tx.ExecContext(b.ctx, b.values(len(b.args)/b.cols), b.args...); err != nil {
			return err
		}
	}
	b.args = nil
	return nil
}

// write generates documents until the task count is reached, one
// transaction per chunk of documents. Generating a chunk (its texts, dates,
// histories and their hashes) and writing the one before go on at once, on
// the two goroutines of a pipeline: each took about half of the time.
func (g *gen) write(ctx context.Context, db *sql.DB) (Result, error) {
	var res Result
	first := g.o.Today.AddDays(-365 * g.o.Years)
	span := first.DaysUntil(g.o.Today.AddDays(-1))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *chunkRows, 1)
	go func() {
		defer close(chunks)
		for res.Tasks < g.o.Tasks {
			c := g.chunk(&res, first, span)
			select {
			case chunks <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for c := range chunks {
		if err == nil {
			if err = c.write(ctx, db); err != nil {
				cancel() // and drain what the generator had sent
			}
		}
	}
	if err != nil {
		return res, err
	}
	if g.dialect == storage.Postgres {
		for _, t := range []string{"documents", "directives", "tasks", "events", "users"} {
			if _, err := db.ExecContext(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// chunkRows are one transaction's rows, as generated.
type chunkRows struct{ docs, dirs, tasks, events *batch }

func (c *chunkRows) write(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, b := range []*batch{c.docs, c.dirs, c.tasks, c.events} {
		b.ctx, b.tx = ctx, tx
		if err := b.write(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// chunk generates the rows of the next 2,000 documents (fewer at the end).
// res counts them; the writer reads nothing of it until the generator ends.
func (g *gen) chunk(res *Result, first civil.Date, span int) *chunkRows {
	docs := newBatch(g.dialect, "documents", "id", "number", "kind", "title", "issued_on", "signer", "body", "created_by", "created_at")
	dirs := newBatch(g.dialect, "directives", "id", "document_id", "content", "field", "priority", "due_kind", "due_on", "due_in_working_days",
		"due_period", "reporting_period", "agency_group", "search_text", "created_by", "created_at")
	tasks := newBatch(g.dialect, "tasks", "id", "directive_id", "agency_code", "role", "status", "due_on", "original_due_on", "assigned_on",
		"reported_on", "completed_on", "percent", "version", "next_remind_on", "created_at", "updated_at")
	events := newBatch(g.dialect, "events", "id", "task_id", "seq", "action", "from_status", "to_status", "actor", "actor_role", "at",
		"comment", "data", "prev_hash", "hash")
	for i := 0; i < 2000 && res.Tasks < g.o.Tasks; i++ {
		issued := first.AddDays(g.rnd.IntN(span + 1))
		docID := g.nextID["documents"]
		g.nextID["documents"]++
		at := issued.In(workflow.Location).Add(9 * time.Hour).UTC()
		docs.add(docID, fmt.Sprintf("%d/TB-VPCP", docID), "conclusion_notice",
			"Kết luận của Thủ tướng Chính phủ (dữ liệu mẫu)", issued, "", "", g.userID, at)
		res.Documents++
		for nd := 4 + g.rnd.IntN(9); nd > 0 && res.Tasks < g.o.Tasks; nd-- {
			g.directive(dirs, tasks, events, res, docID, issued, at)
		}
	}
	return &chunkRows{docs, dirs, tasks, events}
}
