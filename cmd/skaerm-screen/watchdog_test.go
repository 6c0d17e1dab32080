package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWatchdogFeedsWhileTheLoopTurns: READY once the loop has turned; fed
// without a poke when the loop turned by itself, with one when it did not;
// not fed when a poked loop does not turn; STOPPING at the end.
func TestWatchdogFeedsWhileTheLoopTurns(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	turned := make(chan struct{}, 1)
	turn := func() {
		select {
		case turned <- struct{}{}:
		default:
		}
	}
	var alive atomic.Bool
	alive.Store(true)
	var pokes atomic.Int32
	states := make(chan string, 16)
	var logs lockedBuffer
	w := &watchdog{
		interval: time.Minute,
		notify:   func(s string) error { states <- s; return nil },
		poke: func() {
			pokes.Add(1)
			if alive.Load() {
				turn()
			}
		},
		turned: turned,
		clk:    clk,
		log:    slog.New(slog.NewTextHandler(&logs, nil)),
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()

	expect := func(want string) {
		t.Helper()
		select {
		case got := <-states:
			if got != want {
				t.Fatalf("told systemd %q, want %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("told systemd nothing, want %q", want)
		}
	}
	parked := func() {
		t.Helper()
		wait.Until(t, "the watchdog waiting on its clock", func() bool { return clk.Waiters() > 0 })
	}
	quiet := func() {
		t.Helper()
		select {
		case got := <-states:
			t.Fatalf("told systemd %q, want nothing", got)
		default:
		}
	}

	expect("READY=1")
	expect("WATCHDOG=1")
	if n := pokes.Load(); n != 1 {
		t.Fatalf("%d pokes to get ready, want 1", n)
	}

	// The clock's minute turn: the loop turned by itself, no poke needed.
	parked()
	turn()
	clk.Advance(w.every())
	expect("WATCHDOG=1")
	if n := pokes.Load(); n != 1 {
		t.Errorf("%d pokes although the loop turned by itself, want still 1", n)
	}

	// A quiet spell: one poke, and the loop answers.
	parked()
	clk.Advance(w.every())
	expect("WATCHDOG=1")
	if n := pokes.Load(); n != 2 {
		t.Errorf("%d pokes after a quiet spell, want 2", n)
	}

	// Frozen: poked, no turn within the grace, not fed.
	alive.Store(false)
	parked()
	clk.Advance(w.every())
	parked() // waiting out the grace
	clk.Advance(watchdogGrace)
	parked() // back to waiting for the next look
	quiet()
	if !strings.Contains(logs.String(), "has not turned") {
		t.Errorf("a frozen loop was not logged:\n%s", logs.String())
	}

	// Alive again: fed again.
	alive.Store(true)
	clk.Advance(w.every())
	expect("WATCHDOG=1")

	cancel()
	expect("STOPPING=1")
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

// TestWatchdogLooksOftenEnough: a look and a poke's grace fit twice into
// systemd's interval, so one missed look does not get the screen killed.
func TestWatchdogLooksOftenEnough(t *testing.T) {
	for _, iv := range []time.Duration{20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute} {
		w := &watchdog{interval: iv}
		if got := w.every() + watchdogGrace; 2*got > iv+watchdogGrace {
			t.Errorf("interval %v: looks every %v (+%v grace), too rarely", iv, w.every(), watchdogGrace)
		}
	}
	if got := (&watchdog{}).every(); got != time.Minute {
		t.Errorf("without a systemd watchdog it looks every %v, want a minute", got)
	}
}
