package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/dondoc/dondoc/models"
	"github.com/dondoc/dondoc/notify"
)

// EmailSender sends notifications over SMTP, in Vietnamese, one message per
// recipient. The Message-ID is the notification's, the same on every
// retry, so that a duplicate from a retried delivery can be recognised.
//
// It keeps its connections open between messages: dialling, greeting the
// server, STARTTLS and AUTH for every message cost more than the message
// (see BenchmarkEmail). Each caller takes an idle connection or dials one,
// and puts it back after a message that went through; a connection that
// failed is closed, one idle for longer than IdleTimeout is not used again
// (servers drop idle clients after a few minutes), and Close quits the
// idle ones on shutdown.
type EmailSender struct {
	Host, User, Password, From string
	Port                       int
	TLS                        mail.TLSPolicy
	SSL                        bool
	Domain                     string        // for Message-IDs
	IdleTimeout                time.Duration // default 30 s

	mu     sync.Mutex
	client *mail.Client // the settings; the connections are conns
	idle   []idleConn   // the most recently used last
}

type idleConn struct {
	conn  *smtp.Client
	since time.Time
}

// maxIdleConns bounds the connections kept open: as many as the
// dispatcher's workers send at once.
const maxIdleConns = 4

// ParseSMTPURL reads DONDOC_SMTP_URL: smtp://user:pass@host:port?from=…&tls=
// starttls|opportunistic|none, or smtps://… for TLS from the start.
func ParseSMTPURL(raw, domain string) (*EmailSender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("DONDOC_SMTP_URL: %w", err)
	}
	s := &EmailSender{Host: u.Hostname(), From: u.Query().Get("from"), Domain: domain, TLS: mail.TLSMandatory}
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
func (e *EmailSender) Send(ctx context.Context, n models.Notification) error {
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
	c, err := e.mailClient()
	if err != nil {
		return err
	}
	conn, reused, err := e.take(ctx, c)
	if err != nil {
		return err
	}
	err = c.SendWithSMTPClient(conn, m)
	var se *mail.SendError
	if reused && errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
		// The server dropped the idle connection; the check (NOOP) found
		// it before anything was sent, so one fresh try sends nothing twice.
		_ = conn.Close()
		if conn, err = e.dial(ctx, c); err != nil {
			return err
		}
		err = c.SendWithSMTPClient(conn, m)
	}
	if err != nil {
		_ = conn.Close()
		return err
	}
	e.put(conn)
	return nil
}

// mailClient returns the go-mail client that holds the settings, made once.
func (e *EmailSender) mailClient() (*mail.Client, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.client != nil {
		return e.client, nil
	}
	opts := []mail.Option{mail.WithPort(e.Port), mail.WithTLSPolicy(e.TLS), mail.WithTimeout(20 * time.Second)}
	if e.SSL {
		opts = append(opts, mail.WithSSL())
	}
	if e.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(e.User), mail.WithPassword(e.Password))
	}
	c, err := mail.NewClient(e.Host, opts...)
	if err != nil {
		return nil, err
	}
	e.client = c
	return c, nil
}

// take returns an idle connection not idle for too long (reused), or a
// new one.
func (e *EmailSender) take(ctx context.Context, c *mail.Client) (conn *smtp.Client, reused bool, err error) {
	idleTimeout := e.IdleTimeout
	if idleTimeout <= 0 {
		idleTimeout = 30 * time.Second
	}
	var stale []*smtp.Client
	e.mu.Lock()
	for len(e.idle) > 0 && conn == nil {
		ic := e.idle[len(e.idle)-1]
		e.idle = e.idle[:len(e.idle)-1]
		if time.Since(ic.since) < idleTimeout {
			conn = ic.conn
		} else {
			stale = append(stale, ic.conn)
		}
	}
	e.mu.Unlock()
	for _, s := range stale {
		_ = c.CloseWithSMTPClient(s)
	}
	if conn != nil {
		return conn, true, nil
	}
	conn, err = e.dial(ctx, c)
	return conn, false, err
}

func (e *EmailSender) dial(ctx context.Context, c *mail.Client) (*smtp.Client, error) {
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("dial failed: %w", err)
	}
	return conn, nil
}

// put keeps a connection for the next message, or quits it when enough
// are kept.
func (e *EmailSender) put(conn *smtp.Client) {
	e.mu.Lock()
	if len(e.idle) < maxIdleConns {
		e.idle = append(e.idle, idleConn{conn: conn, since: time.Now()})
		conn = nil
	}
	c := e.client
	e.mu.Unlock()
	if conn != nil {
		_ = c.CloseWithSMTPClient(conn)
	}
}

// Close quits the idle connections. The sender may still send: it dials
// again.
func (e *EmailSender) Close() error {
	e.mu.Lock()
	idle, c := e.idle, e.client
	e.idle = nil
	e.mu.Unlock()
	var errs []error
	for _, ic := range idle {
		errs = append(errs, c.CloseWithSMTPClient(ic.conn))
	}
	return errors.Join(errs...)
}
