package main

import (
	"path/filepath"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
)

// TestNoticeWake: with the board as the cache stored it, the display is kept on until the last until of the
// waking notices shown now; a notice that does not wake, or has not begun,
// keeps nothing on, and the next look is at the next from or until.
func TestNoticeWake(t *testing.T) {
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.NewFake(now)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if until, next := noticeWake(nil, now); !until.IsZero() || !next.IsZero() {
		t.Errorf("no board: until %s, next %s", until, next)
	}
	b := &board.Board{Department: board.Department{ID: "d1", Timezone: "Europe/Copenhagen"}, Notices: []board.Notice{
		{ID: "u1", Level: board.NoticeUrgent, Title: "Brand", From: now.Add(-time.Minute), Until: now.Add(time.Hour), Wake: true},
		{ID: "u2", Level: board.NoticeUrgent, Title: "Vand", From: now.Add(-time.Minute), Until: now.Add(3 * time.Hour)},
		{ID: "u3", Level: board.NoticeUrgent, Title: "Øvelse", From: now.Add(30 * time.Minute), Until: now.Add(2 * time.Hour), Wake: true},
	}}
	if err := c.ReplaceBoard(b, `"n"`); err != nil {
		t.Fatal(err)
	}
	stored, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	until, next := noticeWake(stored, now)
	if !until.Equal(now.Add(time.Hour)) || !next.Equal(now.Add(30*time.Minute)) {
		t.Errorf("until %s, next %s; want 04:00 (u1) and 03:30 (u3 begins)", until, next)
	}
	if until, _ := noticeWake(stored, now.Add(45*time.Minute)); !until.Equal(now.Add(2 * time.Hour)) {
		t.Errorf("with u3 shown too: until %s, want 05:00", until)
	}
	if until, _ := noticeWake(stored, now.Add(150*time.Minute)); !until.IsZero() {
		t.Errorf("only the notice that does not wake left: until %s", until)
	}
}
