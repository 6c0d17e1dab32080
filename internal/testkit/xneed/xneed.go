// Package xneed lets the display's test programs refuse to run without an X
// display: on a developer's machine they say so and pass, under CI (CI set
// to anything but "" or "false") they fail, so a run that drew nothing
// never counts as green.
package xneed

import (
	"fmt"
	"os"
)

// Missing says why tests that need an X display cannot run, or "" when
// DISPLAY is set.
func Missing(what string) string {
	if os.Getenv("DISPLAY") != "" {
		return ""
	}
	return what + " need an X display: run them under xvfb-run -a (make test does)"
}

// CI reports whether the tests run under continuous integration.
func CI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// Display ends a test program that cannot run for want of an X display:
// exit 1 under CI, exit 0 with a note elsewhere. It returns when DISPLAY is
// set.
func Display(what string) {
	msg := Missing(what)
	if msg == "" {
		return
	}
	if CI() {
		fmt.Fprintln(os.Stderr, "FAIL:", msg, "(CI is set: not running them is a failure)")
		os.Exit(1)
	}
	fmt.Println("skipped:", msg)
	os.Exit(0)
}
