package api

import (
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/civil"
)

// Tasks are what the month-end rush reads: one task, a page of them, the
// answer to a transition. encoding/json spent about 10 µs on each task
// (reflection, and an allocation for every date and time), as much as
// reading it from the database; these write the same bytes directly.
// TestTaskJSONMatchesEncodingJSON holds them to encoding/json's output,
// field for field, for every value.

// jsonFormat is huma's JSON format, with the fast path for tasks.
var jsonFormat = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		var appendBody func([]byte) []byte
		switch body := v.(type) {
		case Task:
			appendBody = body.appendJSON
		case *Task:
			appendBody = body.appendJSON
		case List[Task]:
			appendBody = func(b []byte) []byte { return appendTaskList(b, &body) }
		case *List[Task]:
			appendBody = func(b []byte) []byte { return appendTaskList(b, body) }
		default:
			return huma.DefaultJSONFormat.Marshal(w, v)
		}
		bp := jsonBuffers.Get().(*[]byte)
		b := append(appendBody((*bp)[:0]), '\n') // as json.Encoder ends each value
		_, err := w.Write(b)
		if cap(b) <= 1<<20 {
			*bp = b
			jsonBuffers.Put(bp)
		}
		return err
	},
	Unmarshal: json.Unmarshal,
}

var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func appendTaskList(b []byte, l *List[Task]) []byte {
	b = append(b, `{"items":`...)
	if l.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range l.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = l.Items[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"next_cursor":`...)
	b = appendJSONString(b, l.NextCursor)
	return append(b, '}')
}

func (t *Task) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, t.ID, 10)
	b = append(b, `,"directive_id":`...)
	b = strconv.AppendInt(b, t.DirectiveID, 10)
	b = append(b, `,"directive_content":`...)
	b = appendJSONString(b, t.DirectiveContent)
	b = append(b, `,"field":`...)
	b = appendJSONString(b, t.Field)
	b = append(b, `,"document_id":`...)
	b = strconv.AppendInt(b, t.DocumentID, 10)
	b = append(b, `,"document_number":`...)
	b = appendJSONString(b, t.DocumentNumber)
	b = append(b, `,"document_issued_on":`...)
	b = appendJSONDate(b, &t.DocumentIssuedOn)
	b = append(b, `,"agency_code":`...)
	b = appendJSONString(b, t.AgencyCode)
	b = append(b, `,"agency_name":`...)
	b = appendJSONString(b, t.AgencyName)
	b = append(b, `,"role":`...)
	b = appendJSONString(b, t.Role)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, t.Status)
	b = append(b, `,"status_label":`...)
	b = appendJSONString(b, t.StatusLabel)
	b = append(b, `,"due_on":`...)
	b = appendJSONDate(b, t.DueOn)
	b = append(b, `,"original_due_on":`...)
	b = appendJSONDate(b, t.OriginalDueOn)
	b = append(b, `,"assigned_on":`...)
	b = appendJSONDate(b, &t.AssignedOn)
	b = append(b, `,"reported_on":`...)
	b = appendJSONDate(b, t.ReportedOn)
	b = append(b, `,"completed_on":`...)
	b = appendJSONDate(b, t.CompletedOn)
	b = append(b, `,"overdue":`...)
	b = strconv.AppendBool(b, t.Overdue)
	b = append(b, `,"days_overdue":`...)
	b = strconv.AppendInt(b, int64(t.DaysOverdue), 10)
	b = append(b, `,"percent":`...)
	b = strconv.AppendInt(b, int64(t.Percent), 10)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(t.Version), 10)
	b = append(b, `,"allowed_actions":`...)
	if t.AllowedActions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, a := range t.AllowedActions {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, a)
		}
		b = append(b, ']')
	}
	b = append(b, `,"created_at":`...)
	b = appendJSONTime(b, t.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendJSONTime(b, t.UpdatedAt)
	if t.DaysOverdueWorking != nil {
		b = append(b, `,"days_overdue_working":`...)
		b = strconv.AppendInt(b, int64(*t.DaysOverdueWorking), 10)
	}
	if r := t.LastReport; r != nil {
		b = append(b, `,"last_report":{"id":`...)
		b = strconv.AppendInt(b, r.ID, 10)
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, r.Kind)
		b = append(b, `,"at":`...)
		b = appendJSONTime(b, r.At)
		b = append(b, `,"percent":`...)
		b = strconv.AppendInt(b, int64(r.Percent), 10)
		b = append(b, `,"author":`...)
		b = appendJSONString(b, r.Author)
		b = append(b, `,"excerpt":`...)
		b = appendJSONString(b, r.Excerpt)
		b = append(b, '}')
	}
	if r := t.RemindersSent; r != nil {
		b = append(b, `,"reminders_sent":{"count":`...)
		b = strconv.AppendInt(b, int64(r.Count), 10)
		if r.LastRule != "" {
			b = append(b, `,"last_rule":`...)
			b = appendJSONString(b, r.LastRule)
		}
		b = append(b, `,"last_on":`...)
		b = appendJSONDate(b, r.LastOn)
		b = append(b, `,"escalated":`...)
		b = strconv.AppendBool(b, r.Escalated)
		b = append(b, `,"urges":`...)
		b = strconv.AppendInt(b, int64(r.Urges), 10)
		b = append(b, `,"last_urge_at":`...)
		if r.LastUrgeAt == nil {
			b = append(b, "null"...)
		} else {
			b = appendJSONTime(b, *r.LastUrgeAt)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendJSONDate writes a date as civil.Date.MarshalJSON does: null for
// nil or the zero date.
func appendJSONDate(b []byte, d *civil.Date) []byte {
	if d == nil || d.IsZero() {
		return append(b, "null"...)
	}
	return append(d.Append(append(b, '"')), '"')
}

// appendJSONTime writes t as time.Time.MarshalJSON does (RFC 3339 with
// nanoseconds); a year it cannot write goes through it, to fail alike.
func appendJSONTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y > 9999 {
		out, err := t.MarshalJSON()
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, out...)
	}
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does without HTML escaping
// (huma's setting): control characters escaped, invalid UTF-8 replaced by
// U+FFFD, and U+2028 and U+2029 escaped for JavaScript's sake.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
