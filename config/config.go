// Package config holds dondoc's settings: one struct with defaults, filled
// from a file, then the environment, then flags (each overriding the one
// before), and validated once at start.
package config

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Config is every setting of a dondoc process. Each field's `env` tag is its
// environment variable (and its key in a configuration file), `flag` its
// command-line flag, `help` what --help says of it.
type Config struct {
	Addr          string `env:"DONDOC_ADDR" flag:"addr" help:"listen address"`
	DataDir       string `env:"DONDOC_DATA_DIR" flag:"data-dir" help:"where the SQLite file and other local state live"`
	DatabaseURL   string `env:"DONDOC_DATABASE_URL" flag:"database-url" help:"postgres://… to use PostgreSQL; empty for the embedded SQLite file in the data directory"`
	AdminPassword string `env:"DONDOC_ADMIN_PASSWORD" flag:"admin-password" help:"password of the admin user created on first start (default: a random one, printed once)" secret:"true"`
	SMTPURL       string `env:"DONDOC_SMTP_URL" flag:"smtp-url" help:"smtp://user:pass@host:port?from=… for e-mail; empty to send no e-mail" secret:"true"`

	ReminderSchedule string        `env:"DONDOC_REMINDER_SCHEDULE" flag:"reminder-schedule" help:"cron spec of the reminder scan, in Asia/Ho_Chi_Minh"`
	Scheduler        bool          `env:"DONDOC_SCHEDULER" flag:"scheduler" help:"run the reminder scan and the notification dispatcher in this process"`
	ReminderBefore   string        `env:"DONDOC_REMINDER_BEFORE" flag:"reminder-before" help:"remind this many working days before the due date (comma-separated)"`
	ReminderOnDueDay bool          `env:"DONDOC_REMINDER_ON_DUE_DAY" flag:"reminder-on-due-day" help:"remind on the due date itself"`
	OverdueAfter     int           `env:"DONDOC_REMINDER_OVERDUE_AFTER" flag:"reminder-overdue-after" help:"first overdue reminder this many calendar days after the due date"`
	OverdueEvery     int           `env:"DONDOC_REMINDER_OVERDUE_EVERY" flag:"reminder-overdue-every" help:"then every this many calendar days while overdue (0: once)"`
	EscalateAfter    int           `env:"DONDOC_ESCALATE_AFTER" flag:"escalate-after" help:"escalate to leaders once a task is this many days overdue (0: never)"`
	NotifyAttempts   int           `env:"DONDOC_NOTIFY_MAX_ATTEMPTS" flag:"notify-max-attempts" help:"delivery attempts of an e-mail or webhook before it is dead-lettered"`
	NotifyBackoff    time.Duration `env:"DONDOC_NOTIFY_BACKOFF" flag:"notify-backoff" help:"wait before the first retry of a failed delivery; doubled each time, with jitter"`
	NotifyLease      time.Duration `env:"DONDOC_NOTIFY_LEASE" flag:"notify-lease" help:"how long a replica's claim on a delivery lasts before another may take it over"`
	NotifyOff        string        `env:"DONDOC_NOTIFY_OFF" flag:"notify-off" help:"notices not sent, as channel:event type, comma-separated (email:task.reported,webhook:task.confirmed; a bare event type: every channel; email:*: no e-mail at all)"`
	NotifyProgress   bool          `env:"DONDOC_NOTIFY_PROGRESS" flag:"notify-progress" help:"tell the secretariat of every progress report (by default a progress report tells nobody)"`
	EmailDigest      time.Duration `env:"DONDOC_EMAIL_DIGEST" flag:"email-digest" help:"send each user's e-mails as one digest per this window (e.g. 1h) instead of one mail per event; 0: one mail per event. In-app notices stay one per event"`
	PublicURL        string        `env:"DONDOC_PUBLIC_URL" flag:"public-url" help:"the address users reach dondoc at, for the links it hands out (e-mails, calendar feeds); never taken from a request's Host header (default: http:// and the listen address, localhost for a wildcard one)"`
	Replica          string        `env:"DONDOC_REPLICA" flag:"replica" help:"this process's name among replicas, in logs and claims (default: host name and pid)"`

	LogLevel  string `env:"DONDOC_LOG_LEVEL" flag:"log-level" help:"debug, info, warn or error"`
	LogFormat string `env:"DONDOC_LOG_FORMAT" flag:"log-format" help:"text or json"`

	TokenTTL        time.Duration `env:"DONDOC_TOKEN_TTL" flag:"token-ttl" help:"lifetime of the access tokens that login issues"`
	BodyLimit       int64         `env:"DONDOC_BODY_LIMIT" flag:"body-limit" help:"largest request body accepted, in bytes"`
	MaxFileSize     int64         `env:"DONDOC_MAX_FILE_SIZE" flag:"max-file-size" help:"largest uploaded file (a document's source file, a report's attachment), in bytes"`
	MaxUploadSize   int64         `env:"DONDOC_MAX_UPLOAD_SIZE" flag:"max-upload-size" help:"largest multipart upload request (all its files and fields), in bytes"`
	PDFCacheDir     string        `env:"DONDOC_PDF_CACHE_DIR" flag:"pdf-cache-dir" help:"where PDFium's compiled code is kept between starts (default: pdfium under the data directory)"`
	ReadTimeout     time.Duration `env:"DONDOC_READ_TIMEOUT" flag:"read-timeout" help:"time allowed to read a whole request"`
	WriteTimeout    time.Duration `env:"DONDOC_WRITE_TIMEOUT" flag:"write-timeout" help:"time allowed to write a whole response"`
	StatsMaxAge     time.Duration `env:"DONDOC_STATS_MAX_AGE" flag:"stats-max-age" help:"how old live statistics may be when served again (0: count for every request)"`
	ShutdownTimeout time.Duration `env:"DONDOC_SHUTDOWN_TIMEOUT" flag:"shutdown-timeout" help:"how long in-flight requests may take to finish on SIGTERM"`
	CORSOrigins     string        `env:"DONDOC_CORS_ORIGINS" flag:"cors-origins" help:"comma-separated origins allowed to call the API from a browser; empty: CORS off"`
	MaxDBConns      int           `env:"DONDOC_DB_MAX_CONNS" flag:"db-max-conns" help:"largest number of open database connections per pool (readers; and writers on PostgreSQL: SQLite has one writer)"`
	SQLiteSync      string        `env:"DONDOC_SQLITE_SYNCHRONOUS" flag:"sqlite-synchronous" help:"SQLite synchronous pragma: FULL keeps every acknowledged commit across a killed process, a power cut or an OS crash; NORMAL (faster at one connection) only across a killed process"`
	DebugAddr       string        `env:"DONDOC_DEBUG_ADDR" flag:"debug-addr" help:"loopback address for Go's pprof profiles (e.g. 127.0.0.1:6060); empty: off"`
}

// Default returns the settings of a dondoc started with no configuration.
func Default() Config {
	return Config{
		Addr:             "127.0.0.1:8080",
		DataDir:          "./data",
		ReminderSchedule: "0 7 * * *",
		Scheduler:        true,
		ReminderBefore:   "7,3,1",
		ReminderOnDueDay: true,
		OverdueAfter:     1,
		OverdueEvery:     7,
		EscalateAfter:    7,
		NotifyAttempts:   8,
		NotifyBackoff:    30 * time.Second,
		NotifyLease:      2 * time.Minute,
		LogLevel:         "info",
		LogFormat:        "text",
		TokenTTL:         12 * time.Hour,
		BodyLimit:        1 << 20,
		MaxFileSize:      25 << 20,
		MaxUploadSize:    100 << 20,
		ReadTimeout:      30 * time.Second,
		StatsMaxAge:      30 * time.Second,
		WriteTimeout:     60 * time.Second,
		ShutdownTimeout:  20 * time.Second,
		MaxDBConns:       16,
		SQLiteSync:       "FULL",
	}
}

// Load builds the configuration for a command: defaults, then the file named
// by --config or DONDOC_CONFIG, then the environment, then the flags in args.
// The command's own flags (cmd.Flags) are parsed from the same args. When
// args ask for help, Load writes it to help and returns flag.ErrHelp; other
// mistakes are returned, not printed.
func Load(cmd Command, args []string, env func(string) string, help io.Writer) (Config, error) {
	cfg := Default()
	settings := flag.NewFlagSet("settings", flag.ContinueOnError)
	configFile := settings.String("config", "", "a file of DONDOC_… settings, one KEY=value a line (env DONDOC_CONFIG)")
	flagVals := map[string]*string{} // by env name
	flagNames := map[string]string{} // env name -> flag name
	forEachField(&cfg, func(f fieldRef) {
		flagNames[f.env] = f.flag
		def := f.get()
		if f.secret && def != "" {
			def = "(set)"
		}
		v := new(string)
		flagVals[f.env] = v
		settings.StringVar(v, f.flag, "", fmt.Sprintf("%s (env %s, default %q)", f.help, f.env, def))
	})
	fs := cmd.flagSet(settings)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cmd.writeHelp(help, settings)
		}
		return cfg, cmd.explain(err)
	}
	if fs.NArg() > 0 {
		return cfg, cmd.explain(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}

	path := *configFile
	if path == "" {
		path = env("DONDOC_CONFIG")
	}
	layers := []func(string) (string, bool){}
	if path != "" {
		fileVals, err := readFile(path)
		if err != nil {
			return cfg, err
		}
		layers = append(layers, func(k string) (string, bool) { v, ok := fileVals[k]; return v, ok })
	}
	layers = append(layers, func(k string) (string, bool) { v := env(k); return v, v != "" })
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	layers = append(layers, func(k string) (string, bool) { return *flagVals[k], set[flagNames[k]] })

	var errs []error
	forEachField(&cfg, func(f fieldRef) {
		for _, layer := range layers {
			if v, ok := layer(f.env); ok {
				if err := f.set(v); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", f.env, err))
				}
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// Validate checks the settings once, at start, so that a mistake stops the
// process with a clear message rather than failing later.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("DONDOC_ADDR: empty listen address"))
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("DONDOC_DATABASE_URL: want postgres://… (or empty for SQLite)"))
		}
	} else if c.DataDir == "" {
		errs = append(errs, errors.New("DONDOC_DATA_DIR: empty"))
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") {
			errs = append(errs, errors.New("DONDOC_SMTP_URL: want smtp://… or smtps://…"))
		}
	}
	if _, err := ReminderParser.Parse(c.ReminderSchedule); err != nil || strings.Contains(c.ReminderSchedule, "TZ=") {
		errs = append(errs, fmt.Errorf("DONDOC_REMINDER_SCHEDULE: %q is not a 5-field cron spec (it always runs in Asia/Ho_Chi_Minh)", c.ReminderSchedule))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("DONDOC_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("DONDOC_LOG_FORMAT: %q is not text or json", c.LogFormat))
	}
	if c.NotifyAttempts < 1 || c.NotifyAttempts > 50 {
		errs = append(errs, errors.New("DONDOC_NOTIFY_MAX_ATTEMPTS: from 1 to 50"))
	}
	if c.NotifyLease < time.Second {
		errs = append(errs, errors.New("DONDOC_NOTIFY_LEASE: at least 1s"))
	}
	if c.EmailDigest != 0 && (c.EmailDigest < time.Minute || c.EmailDigest > 24*time.Hour || (24*time.Hour)%c.EmailDigest != 0) {
		errs = append(errs, errors.New("DONDOC_EMAIL_DIGEST: 0 (off), or from 1m to 24h, dividing the day (e.g. 15m, 1h, 4h)"))
	}
	if c.NotifyBackoff < time.Second {
		errs = append(errs, errors.New("DONDOC_NOTIFY_BACKOFF: at least 1s"))
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("DONDOC_PUBLIC_URL: want http(s)://host[:port]"))
		}
	}
	if c.TokenTTL < time.Minute {
		errs = append(errs, errors.New("DONDOC_TOKEN_TTL: at least 1m"))
	}
	if c.BodyLimit < 1024 {
		errs = append(errs, errors.New("DONDOC_BODY_LIMIT: at least 1024 bytes"))
	}
	if c.MaxFileSize < 1024 {
		errs = append(errs, errors.New("DONDOC_MAX_FILE_SIZE: at least 1024 bytes"))
	}
	if c.MaxUploadSize < c.MaxFileSize {
		errs = append(errs, errors.New("DONDOC_MAX_UPLOAD_SIZE: at least DONDOC_MAX_FILE_SIZE"))
	}
	if c.StatsMaxAge < 0 || c.StatsMaxAge > time.Hour {
		errs = append(errs, errors.New("DONDOC_STATS_MAX_AGE: from 0 to 1h"))
	}
	if c.MaxDBConns < 2 {
		errs = append(errs, errors.New("DONDOC_DB_MAX_CONNS: at least 2"))
	}
	if c.DebugAddr != "" && !loopback(c.DebugAddr) {
		errs = append(errs, errors.New("DONDOC_DEBUG_ADDR: want a loopback host:port such as 127.0.0.1:6060 (profiles reveal the process's memory)"))
	}
	switch strings.ToUpper(c.SQLiteSync) {
	case "NORMAL", "FULL", "EXTRA":
	default:
		errs = append(errs, errors.New("DONDOC_SQLITE_SYNCHRONOUS: NORMAL, FULL or EXTRA (OFF could lose acknowledged writes in a power cut)"))
	}
	return errors.Join(errs...)
}

// loopback reports whether addr is host:port on a loopback address.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ReminderParser reads DONDOC_REMINDER_SCHEDULE: standard 5-field cron specs
// and descriptors such as @daily.
var ReminderParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// BaseURL is where users reach dondoc, for links.
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://" + c.Addr
	}
	// A wildcard listen address is no address to send anyone to.
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// SQLitePath is where the embedded database lives.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "dondoc.db") }

// readFile reads KEY=value lines; blank lines and lines starting with # are
// skipped, and values may be quoted.
func readFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(strings.TrimPrefix(k, "export "))
		if !ok || !strings.HasPrefix(k, "DONDOC_") {
			return nil, fmt.Errorf("config file %s:%d: want DONDOC_KEY=value", path, n)
		}
		v = strings.TrimSpace(v)
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		}
		vals[k] = v
	}
	return vals, sc.Err()
}

type fieldRef struct {
	env, flag, help string
	secret          bool
	get             func() string
	set             func(string) error
}

func forEachField(cfg *Config, fn func(fieldRef)) {
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf, fv := t.Field(i), v.Field(i)
		ref := fieldRef{env: sf.Tag.Get("env"), flag: sf.Tag.Get("flag"), help: sf.Tag.Get("help"), secret: sf.Tag.Get("secret") == "true"}
		switch p := fv.Addr().Interface().(type) {
		case *string:
			ref.get = func() string { return *p }
			ref.set = func(s string) error { *p = s; return nil }
		case *bool:
			ref.get = func() string { return strconv.FormatBool(*p) }
			ref.set = func(s string) error {
				b, err := strconv.ParseBool(s)
				if err != nil {
					return fmt.Errorf("%q is not true or false", s)
				}
				*p = b
				return nil
			}
		case *int:
			ref.get = func() string { return strconv.Itoa(*p) }
			ref.set = func(s string) error {
				n, err := strconv.Atoi(s)
				if err != nil {
					return fmt.Errorf("%q is not a whole number", s)
				}
				*p = n
				return nil
			}
		case *int64:
			ref.get = func() string { return strconv.FormatInt(*p, 10) }
			ref.set = func(s string) error {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return fmt.Errorf("%q is not a whole number", s)
				}
				*p = n
				return nil
			}
		case *time.Duration:
			ref.get = func() string { return p.String() }
			ref.set = func(s string) error {
				d, err := time.ParseDuration(s)
				if err != nil {
					return fmt.Errorf("%q is not a duration such as 30s or 12h", s)
				}
				*p = d
				return nil
			}
		default:
			panic("config: unsupported field type " + sf.Type.String())
		}
		fn(ref)
	}
}
