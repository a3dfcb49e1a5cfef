package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"gorm.io/gorm"

	"github.com/dondoc/dondoc/workflow/catalog"
)

// Calendar feeds: Outlook and Google Calendar subscribe to a URL and cannot
// send a bearer token, so the URL carries a token of its own. It is one per
// user, reads nothing but the deadlines feeds the user could read anyway,
// and is stored only as its SHA-256; a new one replaces the old.

// FeedTokenPrefix starts every feed token, so that one is recognised in a
// URL or a leak report.
const FeedTokenPrefix = "ddf_"

// BaseURL is where users reach dondoc (DONDOC_PUBLIC_URL, or derived from
// the listen address), for the links it hands out: feeds, mails. Never
// derived from a request, whose Host header anyone can forge.
func (s *Service) BaseURL() string { return s.base }

// HashFeedToken is what is stored of a feed token.
func HashFeedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateFeedToken makes the actor a new feed token, revoking the one before;
// the token is returned this once.
func (s *Service) CreateFeedToken(ctx context.Context, actor Actor) (string, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := FeedTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		_, err := s.db.Exec(tx, `INSERT INTO feed_tokens (user_id, prefix, hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET prefix = excluded.prefix, hash = excluded.hash, created_at = excluded.created_at`,
			actor.UserID, token[:len(FeedTokenPrefix)+6], HashFeedToken(token), s.clock.Now())
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeedToken revokes the actor's feed token: every subscription made
// with it stops.
func (s *Service) RevokeFeedToken(ctx context.Context, actor Actor) error {
	var n int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res, err := s.db.Exec(tx, `DELETE FROM feed_tokens WHERE user_id = ?`, actor.UserID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil && n == 0 {
		return NotFound("feed token")
	}
	return err
}

// FeedTokenUser returns the id of the user a feed token belongs to.
func (s *Service) FeedTokenUser(ctx context.Context, token string) (int64, error) {
	if len(token) > 100 {
		return 0, E(KindUnauthenticated, "invalid_feed_token", "the feed token is unknown or revoked")
	}
	var id int64
	found, err := s.db.QueryRow(ctx, s.db.R, `SELECT user_id FROM feed_tokens WHERE hash = ?`, []any{HashFeedToken(token)}, &id)
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, E(KindUnauthenticated, "invalid_feed_token", "the feed token is unknown or revoked")
	}
	return id, nil
}

// OpenDeadlines returns an agency and its open tasks that have a due date,
// soonest first: the events of its calendar feed.
func (s *Service) OpenDeadlines(ctx context.Context, actor Actor, code string) (catalog.Agency, []TaskView, error) {
	if !actor.CanSeeAgency(code) {
		return catalog.Agency{}, nil, NotFound("agency")
	}
	a, err := s.Agency(ctx, code)
	if err != nil {
		return a, nil, err
	}
	var views []TaskView
	err = taskViews(s.reader(ctx)).
		Where("t.agency_code = ? AND "+openCondition+" AND t.due_on IS NOT NULL", code).
		Order("t.due_on, t.id").Scan(&views).Error
	return a, views, err
}
