// Package wait lets a test wait for another goroutine to reach a point: a
// connection made, a file written, a timer parked on a fake clock. It polls a
// condition; the bound in real time is generous and only there so that a
// broken component fails its test instead of hanging it. Nothing here
// measures speed.
package wait

import (
	"testing"
	"time"
)

// Limit is how long Until polls before it fails the test.
const Limit = 30 * time.Second

// Until polls cond until it holds, and fails the test with what when it
// does not hold within Limit.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !For(cond, Limit) {
		t.Fatalf("timed out waiting for: %s", what)
	}
}

// For polls cond for at most limit and reports whether it held.
func For(cond func() bool, limit time.Duration) bool {
	// real clock: a test waits in real time for another goroutine, whatever its clock says.
	deadline := time.Now().Add(limit)
	for !cond() {
		// real clock: as above.
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}
