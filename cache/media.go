package cache

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// maxHashLen bounds a media key; a sha256 in hex is 64 characters.
const maxHashLen = 128

func checkHash(hash string) error {
	switch {
	case hash == "":
		return errors.New("empty media hash")
	case len(hash) > maxHashLen:
		return fmt.Errorf("media hash of %d bytes, want at most %d", len(hash), maxHashLen)
	}
	return nil
}

// HasMedia reports whether media with hash is stored.
func (c *Cache) HasMedia(hash string) (bool, error) {
	var ok bool
	err := c.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketMedia).Get([]byte(hash)) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("look up media %s: %w", hash, err)
	}
	return ok, nil
}

// PutMedia stores data under hash as given (sync has checked and scaled it).
// Media is immutable: a hash already stored is left alone. Media the stored
// board does not refer to is dropped by the next ReplaceBoard or Prune.
func (c *Cache) PutMedia(hash string, data []byte) error {
	if err := checkHash(hash); err != nil {
		return fmt.Errorf("put media: %w", err)
	}
	if len(data) == 0 {
		return fmt.Errorf("put media %s: no bytes", hash)
	}
	added, err := c.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMedia)
		if b.Get([]byte(hash)) != nil {
			return errUnchanged
		}
		return b.Put([]byte(hash), data)
	})
	if err != nil {
		return fmt.Errorf("put media %s: %w", hash, err)
	}
	if added {
		c.log.Debug("media stored", "hash", hash, "bytes", len(data))
		c.notify()
	}
	return nil
}

// Media returns a copy of the media stored under hash, or an error wrapping
// ErrNoMedia.
func (c *Cache) Media(hash string) ([]byte, error) {
	var out []byte
	err := c.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMedia).Get([]byte(hash))
		if v == nil {
			return ErrNoMedia
		}
		out = bytes.Clone(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("media %s: %w", hash, err)
	}
	return out, nil
}

// deleteMediaExcept drops every media item whose hash is not in keep and
// reports how many went.
func deleteMediaExcept(tx *bolt.Tx, keep map[string]bool) (int, error) {
	b := tx.Bucket(bucketMedia)
	var gone [][]byte
	err := b.ForEach(func(k, _ []byte) error {
		if !keep[string(k)] {
			gone = append(gone, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return 0, fmt.Errorf("delete media %s: %w", k, err)
		}
	}
	return len(gone), nil
}

func hashSet(hashes []string) map[string]bool {
	set := make(map[string]bool, len(hashes))
	for _, h := range hashes {
		set[h] = true
	}
	return set
}
