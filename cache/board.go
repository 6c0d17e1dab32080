package cache

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	bolt "go.etcd.io/bbolt"

	"skaerm/board"
)

// Board returns the current generation, decoded afresh: the caller owns it.
// It returns ErrNoBoard if none has been stored.
func (c *Cache) Board() (*board.Board, error) {
	var data []byte
	err := c.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketBoard).Get(keyBoard)
		if v == nil {
			return ErrNoBoard
		}
		data = bytes.Clone(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read board: %w", err)
	}
	var b board.Board
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("read board: decode: %w", err)
	}
	return &b, nil
}

// ReplaceBoard stores b as the new generation in one transaction: trimmed to
// the retention window (see Window; the cache is the one place that trims
// by date), with its ETag, LastSync set to now, LastError
// cleared and Generation bumped; media b does not refer to is dropped, and so
// are refused sign-ups made before the window. If the
// old generation held anything the new one does not (a profile, a name, any
// text, media), the file is compacted before ReplaceBoard returns so the old
// bytes are gone from disk; should that fail, the board is stored all the
// same, the error says so, and the next write or Open compacts. Subscribers
// are notified.
func (c *Cache) ReplaceBoard(b *board.Board, etag string) error {
	if b == nil {
		return errors.New("replace board: no board")
	}
	now := c.clock.Now()
	var (
		trimmed    *board.Board
		data       []byte
		gen        uint64
		textGone   bool
		mediaGone  int
		refusedGo  int
		compaction bool
	)
	_, err := c.update(func(tx *bolt.Tx) error {
		win, err := c.window(tx, b)
		if err != nil {
			return err
		}
		trimmed = b.Trim(win)
		if data, err = json.Marshal(trimmed); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		keep := hashSet(trimmed.StoredHashes())
		bb := tx.Bucket(bucketBoard)
		if old := bb.Get(keyBoard); old != nil {
			var ob board.Board
			// An old board that no longer decodes may hold anything: compact.
			textGone = json.Unmarshal(old, &ob) != nil || lostText(&ob, trimmed)
		}
		if err := bb.Put(keyBoard, data); err != nil {
			return err
		}
		if mediaGone, err = deleteMediaExcept(tx, keep); err != nil {
			return err
		}
		// Refused sign-ups age out with the window, as in Prune: a screen
		// that is online stores a board every day and so never piles them up.
		if refusedGo, err = deleteRefusedBefore(tx, win.From); err != nil {
			return err
		}
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		m.ETag = etag
		m.Generation++
		m.LastSync, m.LastAttempt, m.LastError = now, now, ""
		gen = m.Generation
		if err := writeMeta(tx, m); err != nil {
			return err
		}
		compaction, err = oweCompaction(tx, textGone || mediaGone > 0 || refusedGo > 0)
		return err
	})
	if err != nil {
		return fmt.Errorf("replace board: %w", err)
	}
	c.log.Info("board stored", "generation", gen, "bytes", len(data),
		"profiles", len(trimmed.Profiles), "activities", len(trimmed.Activities),
		"meals", len(trimmed.Meals), "meetings", len(trimmed.Meetings),
		"out_of_window", countItems(b)-countItems(trimmed),
		"media_dropped", mediaGone, "text_dropped", textGone, "refused_dropped", refusedGo)
	c.notify()
	if compaction {
		if err := c.autoCompaction(); err != nil {
			return fmt.Errorf("board %d stored, but %w", gen, err)
		}
	}
	return nil
}

// Prune applies retention to the stored board at the current time (a screen
// offline for days keeps nothing older than yesterday), drops media the
// board does not refer to and refused sign-ups older than the window, and
// compacts the file if anything went. A board that changes gets a new
// Generation (its ETag stays).
func (c *Cache) Prune() error {
	var (
		gen                  uint64
		trimmed              bool
		textGone             bool
		mediaGone, refusedGo int
		compaction           bool
	)
	_, err := c.update(func(tx *bolt.Tx) error {
		win, err := c.window(tx, nil)
		if err != nil {
			return err
		}
		var keep map[string]bool
		bb := tx.Bucket(bucketBoard)
		if raw := bb.Get(keyBoard); raw != nil {
			var b board.Board
			if err := json.Unmarshal(raw, &b); err != nil {
				return fmt.Errorf("decode board: %w", err)
			}
			t := b.Trim(win)
			data, err := json.Marshal(t)
			if err != nil {
				return fmt.Errorf("encode board: %w", err)
			}
			if !bytes.Equal(data, raw) {
				trimmed = true
				textGone = lostText(&b, t)
				if err := bb.Put(keyBoard, data); err != nil {
					return err
				}
				m, err := readMeta(tx)
				if err != nil {
					return err
				}
				m.Generation++
				gen = m.Generation
				if err := writeMeta(tx, m); err != nil {
					return err
				}
			}
			keep = hashSet(t.StoredHashes())
		}
		if mediaGone, err = deleteMediaExcept(tx, keep); err != nil {
			return err
		}
		if refusedGo, err = deleteRefusedBefore(tx, win.From); err != nil {
			return err
		}
		removed := trimmed || mediaGone > 0 || refusedGo > 0
		if compaction, err = oweCompaction(tx, removed); err != nil || !removed {
			return cmp.Or(err, errUnchanged)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("prune cache: %w", err)
	}
	if trimmed || mediaGone > 0 || refusedGo > 0 {
		c.log.Info("cache pruned", "board_trimmed", trimmed, "generation", gen,
			"text_dropped", textGone, "media_dropped", mediaGone, "refused_dropped", refusedGo)
		c.notify()
	}
	if compaction {
		if err := c.autoCompaction(); err != nil {
			return fmt.Errorf("prune cache: %w", err)
		}
	}
	return nil
}

// oweCompaction records, in the same transaction as a removal, that the
// file must be compacted, so a power cut before compaction cannot leave the
// old bytes behind for good. It reports whether a compaction is owed (now or
// from an earlier write that could not finish one).
func oweCompaction(tx *bolt.Tx, removed bool) (bool, error) {
	b := tx.Bucket(bucketMeta)
	if removed {
		return true, b.Put(keyCompact, []byte{1})
	}
	return b.Get(keyCompact) != nil, nil
}

// lostText reports whether old holds any text cur does not: a
// profile or item gone, a name or description changed, a media hash dropped.
// Times and numbers are not text; an item that only moved keeps its words.
func lostText(old, cur *board.Board) bool {
	have := map[string]bool{}
	collectText(reflect.ValueOf(cur).Elem(), func(s string) { have[s] = true })
	lost := false
	collectText(reflect.ValueOf(old).Elem(), func(s string) {
		if !have[s] {
			lost = true
		}
	})
	return lost
}

var timeType = reflect.TypeFor[time.Time]()

// collectText calls fn with every non-empty string held in v.
func collectText(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" {
			fn(s)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for i := range v.NumField() {
			collectText(v.Field(i), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectText(v.Index(i), fn)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectText(v.Elem(), fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collectText(it.Key(), fn)
			collectText(it.Value(), fn)
		}
	}
}

// countItems counts a board's dated items.
func countItems(b *board.Board) int {
	return len(b.Activities) + len(b.Meals) + len(b.Meetings) + len(b.Bookings) + len(b.Roster)
}
