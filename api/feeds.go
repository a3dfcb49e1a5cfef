package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/danielgtaylor/huma/v2"

	"github.com/dondoc/dondoc/auth"
	"github.com/dondoc/dondoc/workflow"
	"github.com/dondoc/dondoc/workflow/catalog"
)

// feedPath is the calendar feed's route as echo names it. Calendar clients
// cannot send a bearer token: the feed authenticates with the ?token= of a
// feed token instead, so the bearer middleware lets it through.
const feedPath = BasePath + "/agencies/:code/deadlines.ics"

func init() { publicPaths[feedPath] = true }

type feedTokenInput struct{}

type feedTokenOutput struct {
	Body struct {
		Token           string `json:"token" doc:"Shown this once; it replaces any feed token you had"`
		Prefix          string `json:"prefix"`
		FeedURL         string `json:"feed_url,omitempty" doc:"Your agency's feed, ready to subscribe to (agency users)"`
		FeedURLTemplate string `json:"feed_url_template" doc:"Any agency's feed you may read: put its code in place of {code}"`
	}
}

type feedInput struct {
	Code  string `path:"code" maxLength:"40"`
	Token string `query:"token" required:"true" maxLength:"100" doc:"A feed token from POST /me/feed-token"`
}

type icsOutput struct {
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	Body         []byte
}

func (s *Server) registerFeeds() {
	create := s.op("create-feed-token", http.MethodPost, "/me/feed-token", "Create (or replace) your calendar feed token", "Me", http.StatusCreated)
	huma.Register(s.api, create, func(ctx context.Context, in *feedTokenInput) (*feedTokenOutput, error) {
		actor := actorFrom(ctx)
		tok, err := s.svc.CreateFeedToken(ctx, actor)
		if err != nil {
			return nil, fail(s.log, err)
		}
		out := &feedTokenOutput{}
		out.Body.Token, out.Body.Prefix = tok, tok[:len(workflow.FeedTokenPrefix)+6]
		// The configured public address (DONDOC_PUBLIC_URL), never the
		// request's Host header: a forged Host would make a link elsewhere.
		out.Body.FeedURLTemplate = s.svc.BaseURL() + BasePath + "/agencies/{code}/deadlines.ics?token=" + tok
		if actor.AgencyCode != "" {
			out.Body.FeedURL = strings.Replace(out.Body.FeedURLTemplate, "{code}", actor.AgencyCode, 1)
		}
		return out, nil
	})

	huma.Register(s.api, s.op("revoke-feed-token", http.MethodDelete, "/me/feed-token", "Revoke your calendar feed token", "Me", http.StatusNoContent),
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			return nil, fail(s.log, s.svc.RevokeFeedToken(ctx, actorFrom(ctx)))
		})

	feed := public(s.op("agency-deadlines-ics", http.MethodGet, "/agencies/{code}/deadlines.ics", "An agency's open deadlines as an iCalendar feed", "Feeds"))
	feed.Description = "RFC 5545, for Outlook and Google Calendar to subscribe to. One all-day event per open task with a due date, " +
		"with the directive as its description and a stable UID (task-{id}@dondoc). Authenticated by ?token= (a feed token), not by a bearer token. " +
		"An agency user reads its own agency's feed; leaders, the secretariat and admins any agency's."
	feed.Errors = append(feed.Errors, http.StatusUnauthorized)
	feed.Responses = map[string]*huma.Response{"200": {Description: "The calendar", Content: map[string]*huma.MediaType{"text/calendar": {}}}}
	huma.Register(s.api, feed, func(ctx context.Context, in *feedInput) (*icsOutput, error) {
		actor, err := s.feedActor(ctx, in.Token)
		if err != nil {
			return nil, err
		}
		agency, tasks, err := s.svc.OpenDeadlines(ctx, actor, in.Code)
		if err != nil {
			return nil, fail(s.log, err)
		}
		body := deadlinesICS(agency, tasks, s.svc.BaseURL())
		return &icsOutput{ContentType: "text/calendar; charset=utf-8", CacheControl: "private, max-age=300", Body: []byte(body)}, nil
	})
}

// feedActor resolves a feed token to its user, who must still be enabled.
func (s *Server) feedActor(ctx context.Context, token string) (workflow.Actor, error) {
	bad := newProblem(http.StatusUnauthorized, "invalid_feed_token", "the feed token is unknown or revoked: make one with POST /api/v1/me/feed-token")
	id, err := s.svc.FeedTokenUser(ctx, token)
	if errors.Is(err, workflow.ErrUnauthenticated) {
		return workflow.Actor{}, bad
	}
	if err != nil {
		return workflow.Actor{}, fail(s.log, err)
	}
	u, err := s.auth.User(ctx, id)
	if errors.Is(err, auth.ErrBadToken) || (err == nil && u.Disabled) {
		return workflow.Actor{}, bad
	}
	if err != nil {
		return workflow.Actor{}, fail(s.log, err)
	}
	return workflow.ActorOf(u), nil
}

// deadlinesICS renders an agency's open deadlines. Deadlines are calendar
// days in Asia/Ho_Chi_Minh, not instants, so each is an all-day event with
// DATE values (DTSTART;VALUE=DATE and DTEND the day after): a DATE has no
// time zone, needs no VTIMEZONE, and shows on the same day in every
// client's zone. X-WR-TIMEZONE names the zone for clients that show it.
func deadlinesICS(agency catalog.Agency, tasks []workflow.TaskView, base string) string {
	cal := ics.NewCalendarFor("dondoc")
	cal.SetProductId("-//dondoc//Han nhiem vu//VI")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("Hạn nhiệm vụ – " + agency.Name)
	cal.SetXWRCalDesc("Hạn xử lý các nhiệm vụ đang thực hiện của " + agency.Name + " (dondoc)")
	cal.SetXWRTimezone(workflow.Location.String())
	cal.SetXPublishedTTL("PT1H")
	cal.SetRefreshInterval("PT1H")
	for _, t := range tasks {
		ev := cal.AddEvent(fmt.Sprintf("task-%d@dondoc", t.ID))
		ev.SetDtStampTime(t.UpdatedAt)
		ev.SetModifiedAt(t.UpdatedAt)
		ev.SetSequence(t.Version)
		ev.SetAllDayStartAt(t.DueOn.Time())
		ev.SetAllDayEndAt(t.DueOn.AddDays(1).Time())
		prefix := "Hạn"
		if t.Status == string(workflow.StatusReported) {
			prefix = "Đã báo cáo, chờ xác nhận"
		}
		ev.SetSummary(fmt.Sprintf("%s: %s (%s)", prefix, workflow.Shorten(t.DirectiveContent, 90), t.DocumentNumber))
		ev.SetDescription(fmt.Sprintf("%s\n\nVăn bản: số %s ngày %s\nVai trò: %s\nTrạng thái: %s\nHạn ban đầu: %s",
			t.DirectiveContent, t.DocumentNumber, workflow.FormatDate(t.DocumentIssuedOn), workflow.RoleLabels[t.Role],
			workflow.StatusLabels[workflow.Status(t.Status)], workflow.FormatDate(t.OriginalDueOn)))
		ev.SetURL(fmt.Sprintf("%s/tasks/%d", base, t.ID))
		ev.SetTimeTransparency(ics.TransparencyTransparent)
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	return cal.Serialize(ics.WithNewLineWindows)
}
