package deliver

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// EmailSender sends notifications over SMTP, in Vietnamese, one message per
// recipient. The Message-ID is the notification's, the same on every
// retry, so that a duplicate from a retried delivery can be recognised.
type EmailSender struct {
	Host, User, Password, From string
	Port                       int
	TLS                        mail.TLSPolicy
	SSL                        bool
	Domain                     string // for Message-IDs
}

// ParseSMTPURL reads DONDOC_SMTP_URL: smtp://user:pass@host:port?from=…&tls=
// starttls|opportunistic|none, or smtps://… for TLS from the start.
func ParseSMTPURL(raw, domain string) (EmailSender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return EmailSender{}, fmt.Errorf("DONDOC_SMTP_URL: %w", err)
	}
	s := EmailSender{Host: u.Hostname(), From: u.Query().Get("from"), Domain: domain, TLS: mail.TLSMandatory}
	if s.From == "" {
		s.From = "dondoc@" + domain
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	s.Port = 587
	if u.Scheme == "smtps" {
		s.SSL, s.Port = true, 465
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil {
			return s, fmt.Errorf("DONDOC_SMTP_URL: port %q", p)
		}
	}
	switch u.Query().Get("tls") {
	case "", "starttls":
	case "opportunistic":
		s.TLS = mail.TLSOpportunistic
	case "none":
		s.TLS = mail.NoTLS
	default:
		return s, fmt.Errorf("DONDOC_SMTP_URL: tls must be starttls, opportunistic or none")
	}
	return s, nil
}

// Send delivers one e-mail notification.
func (e EmailSender) Send(ctx context.Context, n models.Notification) error {
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(e.From); err != nil {
		return err
	}
	if err := m.To(n.Recipient); err != nil {
		return err
	}
	m.Subject("[dondoc] " + n.Title)
	m.SetMessageIDWithValue(notify.MessageID(n) + "@" + e.Domain)
	m.SetDateWithValue(n.CreatedAt)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(mail.TypeTextPlain, n.Body+"\n\n--\nThư này do hệ thống dondoc gửi tự động; xin đừng trả lời.\n")
	opts := []mail.Option{mail.WithPort(e.Port), mail.WithTLSPolicy(e.TLS), mail.WithTimeout(20 * time.Second)}
	if e.SSL {
		opts = append(opts, mail.WithSSL())
	}
	if e.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(e.User), mail.WithPassword(e.Password))
	}
	c, err := mail.NewClient(e.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, m)
}
