package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dondoc/dondoc/civil"
	"github.com/dondoc/dondoc/config"
	"github.com/dondoc/dondoc/workflow/calendar"
	"github.com/dondoc/dondoc/workflow/catalog"
	"github.com/dondoc/dondoc/workflow/extract"
)

// maxExtractFile is the largest text extract reads, as the API's limit.
const maxExtractFile = 4 << 20

// extractCmd proposes the directives of a text with the shipped agency
// catalog and working calendar: it needs no database, so that a secretary
// can try a text before a server holds it. A server whose admins edited the
// catalog or calendar answers POST /api/v1/extract with their data.
func extractCmd(args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "corrections" {
		return extractCorrections(args[1:], env, stdout, stderr)
	}
	fs := newFlags("extract")
	date := fs.String("date", "", "the document's date, `YYYY-MM-DD` (required): deadlines count from it, agencies are resolved as of it")
	files, err := parseOwn("extract", "FILE --date YYYY-MM-DD",
		"Proposes the directives of a conclusion notice's text (UTF-8; FILE - reads stdin) and prints them as JSON,\n"+
			"each ready to post unchanged to POST /api/v1/directives. It uses the shipped agency catalog and working\n"+
			"calendar; a server whose admins edited them answers POST /api/v1/extract with their data.", fs, args, stdout)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("give one FILE: dondoc extract FILE --date YYYY-MM-DD (see dondoc extract --help)")
	}
	if *date == "" {
		return errors.New("--date is required: the document's date, YYYY-MM-DD (see dondoc extract --help)")
	}
	docDate, err := civil.ParseDate(*date)
	if err != nil {
		return fmt.Errorf("--date: %w", err)
	}
	if docDate.Year < calendar.MinYear || docDate.Year > calendar.MaxYear {
		return fmt.Errorf("--date: the calendar covers %d to %d", calendar.MinYear, calendar.MaxYear)
	}
	text, err := readText(files[0])
	if err != nil {
		return err
	}
	list, err := catalog.Load()
	if err != nil {
		return err
	}
	ps := extract.New(catalog.New(list), calendar.New(nil)).Extract(text, docDate)
	if ps == nil {
		ps = []extract.Proposal{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Directives []extract.Proposal `json:"directives"`
	}{ps})
}

// extractCorrections writes what the secretariat made of the proposals
// since a day, in the development set's format (one JSON object a line), so
// that real use grows the extractor's test data.
func extractCorrections(args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("extract corrections")
	since := fs.String("since", "", "the first day, `YYYY-MM-DD` (required): proposals decided and directives added by hand from it on")
	cmd := toolCommand("extract corrections", "--since YYYY-MM-DD [settings]",
		"Writes, one JSON object a line in the format of workflow/extract/testdata/dev.jsonl, each passage whose\n"+
			"proposals the secretariat made into directives (as it made them) or dropped (is_directive false), and\n"+
			"each directive added by hand to a document that had proposals, since the day given.", fs)
	cfg, err := config.Load(cmd, args, env, stdout)
	if err != nil {
		return err
	}
	if *since == "" {
		return needs(cmd, "--since is required: the first day, YYYY-MM-DD")
	}
	day, err := civil.ParseDate(*since)
	if err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	ctx, a, done, err := openApp(cfg, nil, stderr)
	if err != nil {
		return err
	}
	defer done()
	cs, err := a.Service.ExtractCorrections(ctx, day)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, c := range cs {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

func readText(name string) (string, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxExtractFile+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxExtractFile {
		return "", fmt.Errorf("%s: more than %d MB of text", name, maxExtractFile>>20)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s: not UTF-8 text", name)
	}
	return strings.TrimPrefix(string(b), "\ufeff"), nil
}
