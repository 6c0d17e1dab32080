package cache

import (
	"path/filepath"
	"testing"

	"skaerm/board"
)

// A department's board: 40 residents, 16 staff, 15 days of activities,
// meals, meetings, bookings and roster. With every profile's avatar and the
// activity, news and gallery images stored as 8 KiB thumbnails.
func benchCache(b *testing.B) *Cache {
	b.Helper()
	clk := newFakeClock()
	c, err := Open(filepath.Join(b.TempDir(), "cache.db"), Options{Clock: clk})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	brd := testBoard(clk.Now(), 1, 1)
	thumb := make([]byte, 8<<10)
	for _, h := range brd.MediaHashes() {
		if err := c.PutMedia(h, thumb); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.ReplaceBoard(brd, "e1"); err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkReplaceBoard(b *testing.B) {
	cases := []struct {
		name   string
		boards []*board.Board // stored in turn
	}{
		// The usual sync: sign-ups and times moved, no text gone, no compaction.
		{"unchanged-text", []*board.Board{testBoard(t0, 2, 1), testBoard(t0, 3, 1)}},
		// A name or menu edited: the file is compacted with every store.
		{"text-removed", []*board.Board{testBoard(t0, 2, 2), testBoard(t0, 3, 3)}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			c := benchCache(b)
			for i := 0; b.Loop(); i++ {
				if err := c.ReplaceBoard(bc.boards[i%len(bc.boards)], "e"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBoardRead(b *testing.B) {
	c := benchCache(b)
	m, err := c.Meta()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(m.BoardBytes), "board-bytes")
	b.ReportMetric(float64(m.FileBytes), "file-bytes")
	for b.Loop() {
		if _, err := c.Board(); err != nil {
			b.Fatal(err)
		}
	}
}
