package cache

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Meta is what the screen knows about its cache and its last sync.
type Meta struct {
	ETag       string // of the stored board, for If-None-Match
	Generation uint64 // counts stored boards; bumped by ReplaceBoard and by a Prune that trims

	LastSync    time.Time // last successful sync (200 or 304), local clock
	LastAttempt time.Time // last sync attempt, local clock
	LastError   string    // why the last attempt failed, "" if it did not

	ClockOffset   time.Duration // backend clock minus local clock
	ClockOffsetAt time.Time     // when ClockOffset was measured, local clock
	ClockBootID   string        // the boot it was measured in
	ClockUptime   time.Duration // time since boot when it was measured (0: unknown)

	Recovered string // path a corrupt cache file was moved aside to, "" if none

	// Informational, filled in by Meta().
	BoardBytes int   // size of the stored board
	MediaCount int   // media items held
	MediaBytes int64 // their total size
	FileBytes  int64 // size of the cache file
}

// storedMeta is the part of Meta kept in the file.
type storedMeta struct {
	ETag          string        `json:"etag,omitempty"`
	Generation    uint64        `json:"generation,omitempty"`
	LastSync      time.Time     `json:"last_sync"`
	LastAttempt   time.Time     `json:"last_attempt"`
	LastError     string        `json:"last_error,omitempty"`
	ClockOffset   time.Duration `json:"clock_offset,omitempty"`
	ClockOffsetAt time.Time     `json:"clock_offset_at"`
	ClockBootID   string        `json:"clock_boot_id,omitempty"`
	ClockUptime   time.Duration `json:"clock_uptime,omitempty"`
	Recovered     string        `json:"recovered,omitempty"`
}

func readMeta(tx *bolt.Tx) (storedMeta, error) {
	var m storedMeta
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return m, nil
	}
	v := b.Get(keyMeta)
	if v == nil {
		return m, nil
	}
	if err := json.Unmarshal(v, &m); err != nil {
		return m, fmt.Errorf("decode meta: %w", err)
	}
	return m, nil
}

func writeMeta(tx *bolt.Tx, m storedMeta) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode meta: %w", err)
	}
	return tx.Bucket(bucketMeta).Put(keyMeta, data)
}

// editMeta reads, changes and writes back the stored meta in one transaction.
func (c *Cache) editMeta(op string, edit func(*storedMeta)) error {
	_, err := c.update(func(tx *bolt.Tx) error {
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		edit(&m)
		return writeMeta(tx, m)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	c.notify()
	return nil
}

// Meta returns the stored metadata and the current sizes.
func (c *Cache) Meta() (Meta, error) {
	var out Meta
	err := c.view(func(tx *bolt.Tx) error {
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		out = Meta{
			ETag:          m.ETag,
			Generation:    m.Generation,
			LastSync:      m.LastSync,
			LastAttempt:   m.LastAttempt,
			LastError:     m.LastError,
			ClockOffset:   m.ClockOffset,
			ClockOffsetAt: m.ClockOffsetAt,
			ClockBootID:   m.ClockBootID,
			ClockUptime:   m.ClockUptime,
			Recovered:     m.Recovered,
		}
		if b := tx.Bucket(bucketBoard); b != nil {
			out.BoardBytes = len(b.Get(keyBoard))
		}
		if b := tx.Bucket(bucketMedia); b != nil {
			return b.ForEach(func(_, v []byte) error {
				out.MediaCount++
				out.MediaBytes += int64(len(v))
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return Meta{}, fmt.Errorf("read cache meta: %w", err)
	}
	fi, err := os.Stat(c.path)
	if err != nil {
		return Meta{}, fmt.Errorf("read cache meta: %w", err)
	}
	out.FileBytes = fi.Size()
	return out, nil
}

// RecordAttempt notes a sync attempt that stored no new board: err == nil is
// a 304 (the board is current, so LastSync moves too), anything else a failure.
func (c *Cache) RecordAttempt(err error) error {
	now := c.clock.Now()
	return c.editMeta("record sync attempt", func(m *storedMeta) {
		m.LastAttempt = now
		if err == nil {
			m.LastSync = now
			m.LastError = ""
		} else {
			m.LastError = err.Error()
		}
	})
}

// SetClockOffset stores the backend's clock minus the local clock, as
// measured now, with this boot's id and the time since boot: a restart of
// the screen in the same boot goes on with it (clock.Offset.Carried).
func (c *Cache) SetClockOffset(d time.Duration) error {
	now, up := c.clock.Now(), c.uptime()
	return c.editMeta("set clock offset", func(m *storedMeta) {
		m.ClockOffset = d
		m.ClockOffsetAt = now
		m.ClockBootID = c.bootID
		m.ClockUptime = up
	})
}
