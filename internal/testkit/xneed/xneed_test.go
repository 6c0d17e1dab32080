package xneed

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDisplayExit runs Display in a child process without DISPLAY: exit 0
// on a laptop, exit 1 under CI.
func TestDisplayExit(t *testing.T) {
	if os.Getenv("XNEED_CHILD") == "1" {
		Display("child tests")
		os.Exit(3) // not reached without DISPLAY
	}
	for _, tc := range []struct {
		ci   string
		code int
		out  string
	}{
		{"", 0, "skipped: child tests need an X display"},
		{"false", 0, "skipped"},
		{"true", 1, "FAIL: child tests need an X display"},
		{"1", 1, "CI is set"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDisplayExit$")
		cmd.Env = append(withoutDisplay(), "XNEED_CHILD=1", "CI="+tc.ci)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(string(out), tc.out) {
			t.Errorf("CI=%q: exit %d, output %q; want exit %d with %q", tc.ci, code, out, tc.code, tc.out)
		}
	}
}

func withoutDisplay() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "CI=") {
			env = append(env, kv)
		}
	}
	return env
}
