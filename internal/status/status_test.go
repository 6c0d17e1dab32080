package status

import (
	"path/filepath"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
)

var now = time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC)

func boardWith(profiles int) *board.Board {
	b := &board.Board{
		GeneratedAt: now.Add(-time.Minute),
		Department:  board.Department{ID: "d1", Name: "Solsikken", Timezone: "Europe/Copenhagen", Locale: "da"},
	}
	for i := range profiles {
		b.Profiles = append(b.Profiles, board.Profile{ID: string(rune('a' + i)), Kind: board.Resident, Name: "Karen"})
	}
	b.Activities = []board.Activity{{ID: "a1", Title: "Banko", Start: now.Add(time.Hour), End: now.Add(2 * time.Hour)}}
	return b
}

// TestCollectorFollowsTheBoard: a Collector reused across reports gives
// the same counts as a fresh Collect after every change of the board, and
// none before there is a board.
func TestCollectorFollowsTheBoard(t *testing.T) {
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.NewFake(now)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var k Collector
	check := func(when string, profiles int, has bool) {
		t.Helper()
		got, err := k.Collect(c, now, "test")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		fresh, err := Collect(c, now, "test")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got.HasBoard != has || got.Counts.Profiles != profiles || got.Counts != fresh.Counts ||
			got.Department != fresh.Department || !got.GeneratedAt.Equal(fresh.GeneratedAt) || got.Generation != fresh.Generation {
			t.Errorf("%s: collector says has=%v %+v gen %d, a fresh collect %+v gen %d; want has=%v and %d profiles",
				when, got.HasBoard, got.Counts, got.Generation, fresh.Counts, fresh.Generation, has, profiles)
		}
	}
	check("no board yet", 0, false)
	if err := c.ReplaceBoard(boardWith(2), `"v1"`); err != nil {
		t.Fatal(err)
	}
	check("first board", 2, true)
	check("the same board again", 2, true)
	if err := c.ReplaceBoard(boardWith(3), `"v2"`); err != nil {
		t.Fatal(err)
	}
	check("a new board", 3, true)
}

// BenchmarkCollectUnchanged: what the running screen's 30 s report costs
// when the board did not change.
func BenchmarkCollectUnchanged(b *testing.B) {
	c, err := cache.Open(filepath.Join(b.TempDir(), "cache.db"), cache.Options{Clock: clock.NewFake(now)})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.ReplaceBoard(boardWith(26), `"v1"`); err != nil {
		b.Fatal(err)
	}
	var k Collector
	b.ResetTimer()
	for range b.N {
		if _, err := k.Collect(c, now, "test"); err != nil {
			b.Fatal(err)
		}
	}
}
