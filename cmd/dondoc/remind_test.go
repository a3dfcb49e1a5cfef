package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestRemindOnADayOffSaysSo: `dondoc remind --as-of` a public holiday or a
// weekend says that it is a day off, and which, does nothing and exits 0;
// on a working day it runs the scan.
func TestRemindOnADayOffSaysSo(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DONDOC_DATA_DIR": filepath.Join(t.TempDir(), "data"), "DONDOC_ADMIN_PASSWORD": "Adm1n-Passw0rd!", "DONDOC_LOG_LEVEL": "error"}
	remind := func(day string) (map[string]any, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := run([]string{"remind", "--as-of", day}, func(k string) string { return env[k] }, &stdout, &stderr)
		if code := exitCode(err, &stderr); code != 0 {
			t.Fatalf("remind --as-of %s exits %d: %s", day, code, stderr.String())
		}
		var res map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Fatalf("remind --as-of %s printed %q: %v", day, stdout.String(), err)
		}
		return res, stderr.String()
	}
	for day, name := range map[string]string{"2025-09-02": "Quốc khánh", "2025-09-06": "Saturday"} {
		res, said := remind(day)
		want := day + " is a day off (" + name + "); reminders run on working days: nothing to do"
		if !strings.Contains(said, want) {
			t.Errorf("remind --as-of %s said %q, want %q", day, said, want)
		}
		if res["working_day"] != false || res["day_off"] != name || res["as_of"] != day {
			t.Errorf("remind --as-of %s: %v", day, res)
		}
		if _, scanned := res["tasks"]; scanned {
			t.Errorf("remind --as-of %s scanned: %v", day, res)
		}
	}
	res, said := remind("2025-09-03")
	if res["working_day"] != true || res["tasks"] == nil || strings.Contains(said, "day off") {
		t.Errorf("remind on a working day: %v, said %q", res, said)
	}
}
