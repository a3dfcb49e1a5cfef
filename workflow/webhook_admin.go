package workflow

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// NewWebhook is what an admin registers.
type NewWebhook struct {
	URL        string
	Events     []string // event types; empty: all
	AgencyCode string   // only this agency's tasks; empty: all
	Secret     string   // made by the caller (notify.NewSecret)
}

// CreateWebhook registers a receiver of signed notifications (admins).
func (s *Service) CreateWebhook(ctx context.Context, actor Actor, in NewWebhook) (models.Webhook, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return models.Webhook{}, err
	}
	var bad Invalid
	u, err := url.Parse(strings.TrimSpace(in.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		bad.AddValue("url", in.URL, "must be an absolute http(s) URL without credentials")
	}
	for i, e := range in.Events {
		if !slices.Contains(notify.EventTypes, e) {
			bad.AddValue("events["+itoa(i)+"]", e, "must be one of %v", notify.EventTypes)
		}
	}
	var agency *string
	if in.AgencyCode != "" {
		if _, err := s.Agency(ctx, in.AgencyCode); err != nil {
			bad.AddValue("agency_code", in.AgencyCode, "is not an agency code")
		}
		agency = &in.AgencyCode
	}
	if err := bad.Err(); err != nil {
		return models.Webhook{}, err
	}
	events, _ := json.Marshal(in.Events)
	if in.Events == nil {
		events = []byte("[]")
	}
	h := models.Webhook{URL: u.String(), Secret: in.Secret, Events: string(events), AgencyCode: agency, Active: true,
		CreatedBy: actor.Username, CreatedAt: s.clock.Now()}
	err = s.inTx(ctx, func(tx *gorm.DB) error { return tx.Create(&h).Error })
	return h, err
}

// Webhooks lists the registered webhooks (admins).
func (s *Service) Webhooks(ctx context.Context, actor Actor) ([]models.Webhook, error) {
	if err := actor.Require(RoleAdmin); err != nil {
		return nil, err
	}
	var hs []models.Webhook
	err := s.reader(ctx).Order("id").Find(&hs).Error
	return hs, err
}

// DeleteWebhook deactivates a webhook: its pending deliveries fail and end
// dead, visible to admins; its history stays.
func (s *Service) DeleteWebhook(ctx context.Context, actor Actor, id int64) error {
	if err := actor.Require(RoleAdmin); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.Webhook{}).Where("id = ? AND active", id).Update("active", false)
		if res.Error == nil && res.RowsAffected == 0 {
			return NotFound("webhook")
		}
		return res.Error
	})
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
