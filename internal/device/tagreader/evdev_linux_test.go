//go:build linux

package tagreader

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

// TestOpenEvdevRefusesOtherFiles: a file that is no input device cannot be
// grabbed, and the error says so.
func TestOpenEvdevRefusesOtherFiles(t *testing.T) {
	_, err := OpenEvdev("/dev/null")
	if err == nil || !strings.Contains(err.Error(), "grab tag reader /dev/null") {
		t.Errorf("OpenEvdev(/dev/null) = %v, want a grab error", err)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWatchEvdevMissingReader: a reader that is not plugged in is logged
// once, with its path, and tried again every few seconds.
func TestWatchEvdevMissingReader(t *testing.T) {
	var logs syncBuf
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	path := "/dev/input/by-id/usb-no-such-reader-event-kbd"
	go func() {
		defer close(done)
		WatchEvdev(ctx, path, clk, log, func(string) { t.Error("a tag from no reader") })
	}()
	for range 3 {
		wait.Until(t, "the retry timer", func() bool { return clk.Waiters() > 0 })
		clk.Advance(reopenEvery)
	}
	wait.Until(t, "the retry timer", func() bool { return clk.Waiters() > 0 })
	cancel()
	<-done
	if n := strings.Count(logs.String(), "tag reader unavailable"); n != 1 || !strings.Contains(logs.String(), path) {
		t.Errorf("%d warnings for one outage:\n%s", n, logs.String())
	}
}
