package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/models"
	"gorm.io/gorm"
)

// successorOn follows successor codes from a dissolved agency to the one
// that does its work on day d.
func successorOn(agencies map[string]models.Agency, code string, d civil.Date) (models.Agency, bool) {
	a := agencies[code]
	for range len(agencies) {
		if agencyActive(a, d) {
			return a, true
		}
		next, ok := agencies[a.SuccessorCode]
		if a.SuccessorCode == "" || !ok {
			return models.Agency{}, false
		}
		a = next
	}
	return models.Agency{}, false // a cycle: the catalog's validation forbids it
}

// transfer hands an open task of a dissolved agency to its successor, with
// one event, which it returns (none when there is no successor).
func (s *Service) transfer(tx *gorm.DB, t *models.Task, agencies map[string]models.Agency, today civil.Date, now time.Time) (models.Event, error) {
	to, ok := successorOn(agencies, t.AgencyCode, today)
	if !ok || to.Code == t.AgencyCode {
		s.log.Warn("agency is dissolved but has no successor; its task stays with it", "agency", t.AgencyCode, "task", t.ID)
		return models.Event{}, nil
	}
	before, from := *t, t.AgencyCode
	t.AgencyCode = to.Code
	if err := s.saveTask(tx, before, t, now, false); err != nil {
		return models.Event{}, err
	}
	return s.appendEvent(tx, models.Event{
		TaskID: t.ID, Action: EventTransfer, FromStatus: t.Status, ToStatus: t.Status, Actor: "system", ActorRole: "system", At: now,
		Comment: fmt.Sprintf("Chuyển giao cho %s, cơ quan kế thừa của %s", to.Name, agencies[from].Name),
		Data:    eventData(map[string]any{"from_agency": from, "to_agency": to.Code}),
	})
}

// HandOverDissolved moves every open task of an agency that no longer
// exists today to its successor, one event per task. It is idempotent: a
// task moved once belongs to an active agency.
func (s *Service) HandOverDissolved(ctx context.Context) (int, error) {
	agencies, err := s.agencyIndex(ctx)
	if err != nil {
		return 0, err
	}
	today := s.Today()
	var gone []string
	for code, a := range agencies {
		if !agencyActive(a, today) && !a.ValidTo.IsZero() && !today.Before(a.ValidTo) {
			gone = append(gone, code)
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	moved := 0
	var last int64
	for {
		var ids []int64
		err := s.reader(ctx).Model(&models.Task{}).
			Where("agency_code IN ? AND status IN ('assigned','in_progress','reported') AND id > ?", gone, last).
			Order("id").Limit(200).Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return moved, err
		}
		last = ids[len(ids)-1]
		now := s.clock.Now()
		err = s.inTx(ctx, func(tx *gorm.DB) error {
			var tasks []models.Task
			if err := forUpdate(tx).Where("id IN ?", ids).Order("id").Find(&tasks).Error; err != nil {
				return err
			}
			q := s.outbox.Queue(tx, now)
			for i := range tasks {
				if !Status(tasks[i].Status).Open() || !slices.Contains(gone, tasks[i].AgencyCode) {
					continue // changed since it was listed
				}
				from := agencies[tasks[i].AgencyCode]
				ev, err := s.transfer(tx, &tasks[i], agencies, today, now)
				if err != nil {
					return err
				}
				if !slices.Contains(gone, tasks[i].AgencyCode) {
					moved++
					if err := s.noticeHandedOver(tx, q, tasks[i], ev, from); err != nil {
						return err
					}
				}
			}
			return q.Flush()
		})
		if err != nil {
			return moved, err
		}
		s.outbox.Wake()
	}
}
