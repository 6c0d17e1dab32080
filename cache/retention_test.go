package cache

import (
	"context"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/wait"
)

// TestRetainPrunesOnItsClock: Retain keeps applying the window while the
// screen is offline: after three days on the cache's clock yesterday's
// activities are gone without any new board.
func TestRetainPrunesOnItsClock(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Retain(ctx) }()
	wait.Until(t, "Retain waiting for its next round", func() bool { return clk.Waiters() > 0 })
	if m, _ := c.Meta(); m.Generation != 1 {
		t.Fatalf("the first round with nothing due changed the generation to %d", m.Generation)
	}

	clk.Advance(3 * 24 * time.Hour)
	wait.Until(t, "the board trimmed to the window three days on", func() bool {
		m, err := c.Meta()
		return err == nil && m.Generation == 2
	})
	b, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	w := board.WindowAt(clk.Now(), copenhagen)
	for _, a := range b.Activities {
		if a.End.Before(w.From) {
			t.Errorf("activity %s ended %s, before yesterday", a.ID, a.End)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Retain = %v, want nil when stopped", err)
	}
}
