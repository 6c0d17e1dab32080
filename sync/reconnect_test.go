package sync

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestReconnectsSpreadAcrossAFleet: when a backend restart ends 1000
// screens' streams at once (each told "retry: 5000"), no second carries
// more than 10% of their reconnects.
func TestReconnectsSpreadAcrossAFleet(t *testing.T) {
	perSecond := map[int64]int{}
	const fleet = 1000
	for i := 0; i < fleet; i++ {
		s := &Syncer{rand: rand.New(rand.NewPCG(uint64(i), 7))}
		w := s.reconnectWait(1, 5*time.Second)
		if w < 5*time.Second || w > 5*time.Second+reconnectSpread {
			t.Fatalf("screen %d waits %v, want the 5 s hint plus at most %v", i, w, reconnectSpread)
		}
		perSecond[int64(w/time.Second)]++
	}
	for sec, n := range perSecond {
		if n > fleet/10 {
			t.Errorf("%d of %d screens reconnect in second %d", n, fleet, sec)
		}
	}
	// Failures that go on back off exponentially past the spread.
	s := &Syncer{rand: rand.New(rand.NewPCG(1, 2))}
	longest := time.Duration(0)
	for i := 0; i < 50; i++ {
		longest = max(longest, s.reconnectWait(12, 0))
	}
	if longest < reconnectSpread {
		t.Errorf("after 12 failures the longest wait is %v, want the backoff to reach past %v", longest, reconnectSpread)
	}
}
