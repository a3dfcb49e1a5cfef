package workflow

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// NavCounts are the numbers the web pages' navigation shows beside each
// role's work: what waits for the secretariat, what is new for an agency.
// Each is one indexed count; a figure the actor's role has no link for is 0.
type NavCounts struct {
	Reports    int // tasks reported done, waiting for the secretariat to confirm or return
	Extensions int // extension requests waiting for a decision
	Overdue    int // open tasks past their due date (lead and coordinator)
	NewTasks   int // the agency's tasks not yet acknowledged
	Unread     int // the actor's unread in-app notifications
}

// NavCounts counts what the actor's navigation shows.
func (s *Service) NavCounts(ctx context.Context, actor Actor) (NavCounts, error) {
	var n NavCounts
	db := s.reader(ctx)
	var c int64
	if actor.Is(RoleSecretariat, RoleAdmin) {
		q, err := s.queueCounts(ctx)
		if err != nil {
			return n, err
		}
		n.Reports, n.Extensions, n.Overdue = q.Reports, q.Extensions, q.Overdue
	}
	if actor.Role == RoleAgency {
		if err := db.Table("tasks").Where("agency_code = ? AND status = ?", actor.AgencyCode, StatusAssigned).Count(&c).Error; err != nil {
			return n, err
		}
		n.NewTasks = int(c)
	}
	if err := db.Model(&models.Notification{}).Where("user_id = ? AND channel = ? AND read_at IS NULL",
		actor.UserID, notify.ChannelInApp).Count(&c).Error; err != nil {
		return n, err
	}
	n.Unread = int(c)
	return n, nil
}

// navCache keeps the secretariat's queue counts, the same for every
// officer, for as long as live statistics are kept (StatsMaxAge): counting
// the overdue tasks of every agency on each page load cost a tenth of a
// second at 100,000 tasks.
type navCache struct {
	mu     sync.Mutex
	at     time.Time
	counts NavCounts
}

func (s *Service) queueCounts(ctx context.Context) (NavCounts, error) {
	nc := &s.nav
	now := s.clock.Now()
	if s.stats.maxAge > 0 {
		nc.mu.Lock()
		if !nc.at.IsZero() && !now.Before(nc.at) && now.Sub(nc.at) < s.stats.maxAge {
			n := nc.counts
			nc.mu.Unlock()
			return n, nil
		}
		nc.mu.Unlock()
	}
	var n NavCounts
	var c int64
	db := s.reader(ctx)
	if err := db.Table("tasks t").Where("t.status = 'reported'").Count(&c).Error; err != nil {
		return n, err
	}
	n.Reports = int(c)
	if err := db.Table("extension_requests").Where("status = 'pending'").Count(&c).Error; err != nil {
		return n, err
	}
	n.Extensions = int(c)
	// Stated as the partial index tasks_open_due states its condition.
	if err := db.Table("tasks t").Where("t.status IN ('assigned','in_progress') AND t.due_on < ?", s.Today()).Count(&c).Error; err != nil {
		return n, err
	}
	n.Overdue = int(c)
	nc.mu.Lock()
	nc.at, nc.counts = now, n
	nc.mu.Unlock()
	return n, nil
}

// MarkAllNotificationsRead marks every unread in-app notification of the
// actor as read, and says how many there were.
func (s *Service) MarkAllNotificationsRead(ctx context.Context, actor Actor) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.Notification{}).Where("user_id = ? AND channel = ? AND read_at IS NULL",
			actor.UserID, notify.ChannelInApp).Update("read_at", s.clock.Now())
		n = res.RowsAffected
		return res.Error
	})
	return int(n), err
}

// WorkingDaysLeft is how many working days remain from today up to and
// including the task's due date (0 when it is due today or has no due
// date; negative once it is past, counted in working days).
func (s *Service) WorkingDaysLeft(due, today civil.Date) int {
	if due.IsZero() {
		return 0
	}
	return s.cal.Current().WorkingDaysBetween(today, due)
}

// CanAddReport reports whether the actor may add a progress report to t now
// (the rule AddReport enforces): the task's own agency, while it is open.
func CanAddReport(actor Actor, t models.Task) bool {
	st := Status(t.Status)
	return actor.Role == RoleAgency && actor.AgencyCode == t.AgencyCode && (st == StatusAssigned || st == StatusInProgress)
}

// CanRequestExtension reports whether the actor may ask for more time on t
// now (the rule RequestExtension enforces), given whether a request is
// already pending.
func CanRequestExtension(actor Actor, t models.Task, pending bool) bool {
	return actor.Role == RoleAgency && actor.AgencyCode == t.AgencyCode && Status(t.Status).CanBeOverdue() &&
		!t.DueOn.IsZero() && !pending
}

// CanDecideExtension reports whether the actor decides extension requests.
func CanDecideExtension(actor Actor) bool { return actor.Role == RoleSecretariat }
