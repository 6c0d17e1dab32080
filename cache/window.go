package cache

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"skaerm/board"
	"skaerm/internal/clock"
)

// today is the cache's one idea of now for the window, by the same rule as
// the screen's clock (clock.Offset.Carried): the local clock corrected by the
// offset the sync measured while that offset still holds (in the boot it was
// measured in, with the local clock not set since); else the local clock,
// but never before the board's own time (a Pi booted without network and
// real-time clock).
func today(local time.Time, m storedMeta, generated time.Time, bootID string, uptime time.Duration) time.Time {
	o := clock.Offset{Offset: m.ClockOffset, MeasuredAt: m.ClockOffsetAt, BootID: m.ClockBootID, Uptime: m.ClockUptime}
	if !m.ClockOffsetAt.IsZero() && o.Carried(bootID, local, uptime) == "" {
		return local.Add(m.ClockOffset)
	}
	if generated.After(local) {
		return generated
	}
	return local
}

// Window is the days the screen asks the backend for and keeps: yesterday
// to today+board.DaysAhead in the stored board's zone (board.DefaultTimezone
// before the first board). The sync asks for these days, and ReplaceBoard
// and Prune trim to them, all with the one idea of today above.
func (c *Cache) Window() (board.Window, error) {
	var w board.Window
	err := c.view(func(tx *bolt.Tx) error {
		var err error
		w, err = c.window(tx, nil)
		return err
	})
	if err != nil {
		return board.Window{}, fmt.Errorf("window: %w", err)
	}
	return w, nil
}

// window is the window for b, or for the stored board when b is nil.
func (c *Cache) window(tx *bolt.Tx, b *board.Board) (board.Window, error) {
	m, err := readMeta(tx)
	if err != nil {
		return board.Window{}, err
	}
	if b == nil {
		if raw := tx.Bucket(bucketBoard).Get(keyBoard); raw != nil {
			// Only the two fields the window needs, not the whole board:
			// the sync asks for the window at every poll.
			var head struct {
				GeneratedAt time.Time `json:"generated_at"`
				Department  struct {
					Timezone string `json:"timezone"`
				} `json:"department"`
			}
			if err := json.Unmarshal(raw, &head); err != nil {
				return board.Window{}, fmt.Errorf("decode board: %w", err)
			}
			b = &board.Board{GeneratedAt: head.GeneratedAt, Department: board.Department{Timezone: head.Department.Timezone}}
		}
	}
	var generated time.Time
	loc := defaultLocation()
	if b != nil {
		generated, loc = b.GeneratedAt, b.Location()
	}
	return board.WindowAt(today(c.clock.Now(), m, generated, c.bootID, c.uptime()), loc), nil
}

func defaultLocation() *time.Location {
	loc, err := board.LoadZone(board.DefaultTimezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
