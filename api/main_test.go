package api_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/dondoc/dondoc/app/apptest"
)

// TestMain runs the package's tests, then searches everything every dondoc
// they started logged, at debug level, for the passwords, tokens and
// secrets the tests used: none may appear.
func TestMain(m *testing.M) {
	code := m.Run()
	if leaked, searched := apptest.LeakedSecrets(); len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d secrets appear in the logs (%d bytes searched): %q\n", len(leaked), searched, leaked)
		code = 1
	} else if searched > 0 {
		fmt.Printf("no secret in %d bytes of logs\n", searched)
	}
	os.Exit(code)
}
