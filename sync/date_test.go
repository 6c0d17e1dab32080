package sync

import (
	"context"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
)

// TestOnDateReportsBackendClock: a Pi that booted in 1970 learns the real
// date from the backend's answer, through OnDate, so the screen can name the
// day again.
func TestOnDateReportsBackendClock(t *testing.T) {
	real := backendClock()
	b := startBackend(t, real, "", "")
	local := clock.NewFake(time.Date(1970, 1, 1, 0, 1, 0, 0, time.UTC))
	c := openCache(t, t.TempDir(), local)
	var got time.Time
	s := newSyncer(t, b.URL, c, local, noMedia, func(o *Options) { o.OnDate = func(d time.Time) { got = d } })
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The Date header has one-second resolution and the test's real time
	// moves on; the day is what matters.
	if diff := got.Sub(real.Now()); diff < -5*time.Second || diff > 5*time.Second {
		t.Fatalf("OnDate got %s, want about %s", got, real.Now())
	}
}

// TestStoredBoardKeepsTheWindow: the board a sync stores holds the cache's
// window and nothing else: yesterday to 14 days ahead, and external
// profiles only while they are signed up to something in it.
func TestStoredBoardKeepsTheWindow(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, b *board.Board)
	}{
		{
			name: "yesterday kept, the day before and 15 days ahead not",
			doc: doc(``, `"activities": [`+actAt("old", "2026-11-21T23:00:00+01:00")+`,`+actAt("yday", "2026-11-22T00:30:00+01:00")+`,`+
				actAt("last", "2026-12-07T23:30:00+01:00")+`,`+actAt("far", "2026-12-08T00:00:00+01:00")+`]`),
			check: func(t *testing.T, b *board.Board) {
				var got []string
				for _, a := range b.Activities {
					got = append(got, a.ID)
				}
				if strings.Join(got, ",") != "yday,last" {
					t.Errorf("activities = %v, want yday,last", got)
				}
			},
		},
		{
			name: "external profile kept only while signed up in the window",
			doc: doc(`{"id": "e1", "kind": "external", "first_name": "Signedup", "visible_on_screen": true},
				{"id": "e2", "kind": "external", "first_name": "Idle", "visible_on_screen": true},
				{"id": "e3", "kind": "external", "first_name": "Lateone", "visible_on_screen": true}`,
				`"activities": [`+act("a1", "e1")+`,`+actAt("a2", "2026-12-20T10:00:00+01:00", "e3")+`]`),
			check: func(t *testing.T, b *board.Board) {
				if n := names(b); len(n) != 1 || n["e1"] == "" {
					t.Errorf("profiles = %v, want only e1", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewFake(testNow)
			f := newFakeBackend(t, clk)
			f.setBoard(tt.doc, `"v1"`)
			c := openCache(t, "", clk)
			if _, err := newSyncer(t, f.URL, c, clk).SyncOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			b, err := c.Board()
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, b)
		})
	}
}
