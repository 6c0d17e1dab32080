package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
)

// FuzzOpen writes arbitrary bytes where the cache file lives and opens it.
// Open must never panic and, for a writable open, always succeed: a file it
// cannot trust is moved aside (Meta.Recovered names it, and it is still on
// disk), never deleted, and the cache that comes back answers every read.
func FuzzOpen(f *testing.F) {
	for _, seed := range openSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a finding too: the worker dies with the input saved.
		watchdog := time.AfterFunc(10*time.Second, func() {
			panic(fmt.Sprintf("Open of a %d-byte file has not returned after 10 s", len(data)))
		})
		defer watchdog.Stop()
		dir := t.TempDir()
		path := filepath.Join(dir, "cache.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Open(path, Options{Timeout: 100 * time.Millisecond, Clock: clock.NewFake(t0)})
		if err != nil {
			t.Fatalf("open %d bytes: %v", len(data), err)
		}
		defer c.Close()
		m, err := c.Meta()
		if err != nil {
			t.Fatalf("meta: %v", err)
		}
		if m.Recovered != "" {
			aside, err := os.ReadFile(m.Recovered)
			if err != nil {
				t.Fatalf("moved-aside file is gone: %v", err)
			}
			if string(aside) != string(data) {
				t.Fatal("moved-aside file differs from what was there")
			}
		}
		if _, err := c.Board(); err != nil && !errors.Is(err, ErrNoBoard) {
			t.Fatalf("board of an opened cache: %v", err)
		}
		if _, err := c.Outbox(); err != nil {
			t.Fatalf("outbox of an opened cache: %v", err)
		}
		// The cache must also take a write after whatever it opened.
		if err := c.Enqueue(board.Signup{ID: "fuzz-1", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p1", Action: board.Join}); err != nil {
			t.Fatalf("enqueue into an opened cache: %v", err)
		}
	})
}

// openSeeds are a real cache file with a board, media and an outbox, the
// same file cut short, an empty file and a file that is not bbolt at all.
func openSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	dir, err := os.MkdirTemp("", "cache-fuzz-seed")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cache.db")
	c, err := Open(path, Options{Clock: clock.NewFake(t0)})
	if err != nil {
		tb.Fatal(err)
	}
	b := &board.Board{
		GeneratedAt: t0,
		Department:  board.Department{ID: "d1", Name: "Solsikken", Timezone: "Europe/Copenhagen", Locale: "da"},
		Profiles:    []board.Profile{{ID: "p1", Kind: board.Resident, Name: "Karen", Avatar: hashOf("a")}},
		Activities: []board.Activity{{ID: "a1", Title: "Banko", Start: t0, End: t0.Add(time.Hour), SignupOpen: true,
			Signups: board.Signups{IDs: []string{"p1"}, Hidden: 1}}},
	}
	if err := c.ReplaceBoard(b, `"e1"`); err != nil {
		tb.Fatal(err)
	}
	if err := c.PutMedia(hashOf("a"), []byte("picture bytes")); err != nil {
		tb.Fatal(err)
	}
	if err := c.Enqueue(board.Signup{ID: "s1", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p1", Action: board.Join}); err != nil {
		tb.Fatal(err)
	}
	if err := c.Close(); err != nil {
		tb.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return [][]byte{good, good[:len(good)/2], good[:4096], nil, []byte("SQLite format 3\x00")}
}
