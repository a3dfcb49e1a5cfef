// Command dondoc-load is dondoc's load harness: it drives the month-end mix
// of requests over HTTP against servers it starts (--spawn) or that run
// already (--url), on a database that `dondoc seed` filled, and prints the
// throughput and latencies of each operation. It is a program of its own
// so that the server does not link its HTTP client (fasthttp) and its
// histograms.
//
//	dondoc seed --tasks 1000000
//	dondoc-load --spawn 1 --duration 30s
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(exitCode(load(os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr))
}

// exitCode is 0 for success and for --help; otherwise it prints the error
// and is 1.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "dondoc-load:", err)
	return 1
}
