package cache

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"skaerm/board"
)

// Enqueue adds a sign-up made on the screen to the end of the outbox, as
// Pending with no attempts (a zero At is set to now). It returns once the
// entry is on disk. A sign-up whose id is already in the outbox is left as
// it is.
func (c *Cache) Enqueue(s board.Signup) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	s.State, s.Reason, s.Attempts = board.Pending, "", 0
	if s.At.IsZero() {
		s.At = c.clock.Now()
	}
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", s.ID, err)
	}
	added, err := c.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketOutboxID).Get([]byte(s.ID)) != nil {
			return errUnchanged
		}
		return appendSignup(tx, s.ID, data)
	})
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", s.ID, err)
	}
	if added {
		c.log.Info("sign-up queued", "id", s.ID, "item", s.ItemID, "action", s.Action)
		c.notify()
	}
	return nil
}

func appendSignup(tx *bolt.Tx, id string, data []byte) error {
	ob := tx.Bucket(bucketOutbox)
	seq, err := ob.NextSequence()
	if err != nil {
		return err
	}
	key := binary.BigEndian.AppendUint64(nil, seq)
	if err := ob.Put(key, data); err != nil {
		return err
	}
	return tx.Bucket(bucketOutboxID).Put([]byte(id), key)
}

// Outbox returns every sign-up waiting to be sent or refused by the backend,
// in the order they were made.
func (c *Cache) Outbox() ([]board.Signup, error) {
	var out []board.Signup
	err := c.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readOutbox(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

func readOutbox(tx *bolt.Tx) ([]board.Signup, error) {
	var out []board.Signup
	b := tx.Bucket(bucketOutbox)
	if b == nil {
		return nil, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var s board.Signup
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("outbox entry %x: %w", k, err)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// UpdateSignup replaces the outbox entry with s.ID (attempts, state, reason),
// keeping its place in the queue. It fails with ErrNoSignup if there is none.
func (c *Cache) UpdateSignup(s board.Signup) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("update sign-up: %w", err)
	}
	if s.State != board.Pending && s.State != board.Refused {
		return fmt.Errorf("update sign-up %s: unknown state %q", s.ID, s.State)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("update sign-up %s: %w", s.ID, err)
	}
	_, err = c.update(func(tx *bolt.Tx) error {
		key := tx.Bucket(bucketOutboxID).Get([]byte(s.ID))
		if key == nil {
			return ErrNoSignup
		}
		return tx.Bucket(bucketOutbox).Put(bytes.Clone(key), data)
	})
	if err != nil {
		return fmt.Errorf("update sign-up %s: %w", s.ID, err)
	}
	c.log.Info("sign-up updated", "id", s.ID, "state", s.State, "reason", s.Reason, "attempts", s.Attempts)
	c.notify()
	return nil
}

// RemoveSignup drops the outbox entry with id; an id not there is no error.
func (c *Cache) RemoveSignup(id string) error {
	removed, err := c.update(func(tx *bolt.Tx) error {
		ids := tx.Bucket(bucketOutboxID)
		key := ids.Get([]byte(id))
		if key == nil {
			return errUnchanged
		}
		if err := tx.Bucket(bucketOutbox).Delete(bytes.Clone(key)); err != nil {
			return err
		}
		return ids.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("remove sign-up %s: %w", id, err)
	}
	if removed {
		c.log.Info("sign-up removed", "id", id)
		c.notify()
	}
	return nil
}

// deleteRefusedBefore drops refused entries made before t and reports how
// many went. Pending entries stay until the backend has them.
func deleteRefusedBefore(tx *bolt.Tx, t time.Time) (int, error) {
	ob := tx.Bucket(bucketOutbox)
	type entry struct{ key, id []byte }
	var gone []entry
	err := ob.ForEach(func(k, v []byte) error {
		var s board.Signup
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("outbox entry %x: %w", k, err)
		}
		if s.State == board.Refused && s.At.Before(t) {
			gone = append(gone, entry{bytes.Clone(k), []byte(s.ID)})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	ids := tx.Bucket(bucketOutboxID)
	for _, e := range gone {
		if err := ob.Delete(e.key); err != nil {
			return 0, err
		}
		if err := ids.Delete(e.id); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}
