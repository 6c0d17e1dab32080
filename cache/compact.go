package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// compactTxSize bounds each transaction of a compaction so media-heavy
// files do not need their whole size in memory at once.
const compactTxSize = 4 << 20

// Compact rewrites the cache into a fresh file so that nothing deleted stays
// readable on disk: bbolt.Compact into path.compact, fsync, rename over path,
// fsync the directory. Readers wait meanwhile and then read the new file.
//
// The new file stays open across the rename, so the lock never lapses and
// no other process can slip in between the old file and the new one.
func (c *Cache) Compact() error {
	if c.readOnly {
		return fmt.Errorf("compact cache %s: %w", c.path, ErrReadOnly)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == nil {
		return fmt.Errorf("compact cache %s: %w", c.path, ErrClosed)
	}
	return c.compactLocked()
}

// autoCompaction runs the compaction a removal owes, unless a test turned
// it off to look at the bytes left behind.
func (c *Cache) autoCompaction() error {
	if !c.autoCompact {
		return nil
	}
	return c.Compact()
}

// compactLocked does the work of Compact; c.mu is held for writing.
func (c *Cache) compactLocked() error {
	tmp := c.path + ".compact"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("compact cache %s: %w", c.path, err)
	}
	before := fileSize(c.path)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: c.timeout})
	if err != nil {
		return fmt.Errorf("compact cache %s: %w", c.path, err)
	}
	fail := func(err error) error {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("compact cache %s: %w", c.path, err)
	}
	if err := bolt.Compact(dst, c.db, compactTxSize); err != nil {
		return fail(err)
	}
	// The copy is clean: it owes no compaction.
	if err := dst.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			return b.Delete(keyCompact)
		}
		return nil
	}); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, c.path); err != nil {
		return fail(err)
	}
	if err := syncDir(filepath.Dir(c.path)); err != nil {
		// The rename may not survive a power cut; the old file still owes
		// its compaction and Open will do it again.
		c.log.Warn("cache compacted but directory not synced", "path", c.path, "err", err)
	}
	old := c.db
	c.db = dst
	if err := old.Close(); err != nil {
		c.log.Warn("closing the replaced cache file", "path", c.path, "err", err)
	}
	c.log.Info("cache compacted", "path", c.path, "bytes_before", before, "bytes_after", fileSize(c.path))
	return nil
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}
