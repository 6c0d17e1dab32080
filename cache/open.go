package cache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"skaerm/board"
)

// Open opens the cache file at path, creating it (and its directory, 0700)
// if needed. It waits up to opts.Timeout for the file lock and then fails
// with an error wrapping ErrLocked, touching nothing. A file that is corrupt
// (not a bbolt file, truncated, inconsistent, or undecodable) is renamed to
// path.corrupt-<UTC time> (kept a week, then removed: it holds names like any
// cache); a fresh file takes its place with
// what could still be read from the old one (the board if it decodes,
// without its ETag so the next sync fetches it whole, and every outbox
// entry that decodes), and Meta.Recovered names the old file. With
// opts.ReadOnly nothing is created or moved, and a corrupt file fails with
// ErrCorrupt.
func Open(path string, opts Options) (*Cache, error) {
	if path == "" {
		return nil, errors.New("open cache: no path")
	}
	c := newCache(path, opts)
	if c.readOnly {
		return c.openReadOnly()
	}
	return c.openWritable()
}

func (c *Cache) openReadOnly() (*Cache, error) {
	fi, err := os.Stat(c.path)
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", c.path, err)
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("open cache %s: empty file: %w", c.path, ErrCorrupt)
	}
	ins, err := inspect(c.path, c.timeout)
	if err != nil {
		return nil, err
	}
	if ins.problem != nil {
		ins.release()
		return nil, fmt.Errorf("open cache %s: %w: %v", c.path, ErrCorrupt, ins.problem)
	}
	c.db = ins.db
	return c, nil
}

func (c *Cache) openWritable() (*Cache, error) {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return nil, fmt.Errorf("open cache %s: %w", c.path, err)
	}
	var (
		recovered string
		rescued   salvage
	)
	for attempt := 1; c.db == nil; attempt++ {
		fi, err := os.Stat(c.path)
		switch {
		case err == nil && fi.Size() > 0:
			ins, err := inspect(c.path, c.timeout)
			if err != nil {
				return nil, err
			}
			if ins.problem == nil {
				_ = ins.db.Close()
				break
			}
			// Rename while the lock is still held, so nobody opens it meanwhile.
			aside, err := c.moveAside()
			ins.release()
			if err != nil {
				return nil, fmt.Errorf("open cache %s: file is corrupt (%v) and could not be moved aside: %w", c.path, ins.problem, err)
			}
			c.log.Error("cache file corrupt: moved aside, starting a fresh one",
				"path", c.path, "moved_to", aside, "err", ins.problem,
				"board_salvaged", ins.salvage.board != nil, "outbox_salvaged", len(ins.salvage.outbox))
			recovered = aside
			rescued.add(ins.salvage)
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("open cache %s: %w", c.path, err)
		}

		db, f, err := openBolt(c.path, c.timeout, false)
		if err != nil && f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, lockedError(c.path, c.timeout)
		case err != nil:
			return nil, fmt.Errorf("open cache %s: %w", c.path, err)
		}
		// Another process may have compacted the file while we waited for
		// its lock: then we hold the lock of a file no longer at path.
		if same, err := sameFile(f, c.path); err != nil || !same {
			_ = db.Close()
			if attempt == 3 {
				return nil, fmt.Errorf("open cache %s: the file keeps being replaced under us", c.path)
			}
			continue
		}
		if err := f.Chmod(0o600); err != nil {
			c.log.Warn("cannot restrict cache file permissions", "path", c.path, "err", err)
		}
		c.db = db
	}

	if err := os.Remove(c.path + ".compact"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.log.Warn("cannot remove a half-made compaction", "path", c.path+".compact", "err", err)
	}
	c.dropOldCorrupt()
	owed, err := c.initialize(recovered, rescued)
	if err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("open cache %s: %w", c.path, err)
	}
	if owed {
		// A removal was committed but its compaction never finished. If it
		// fails again (a full disk), the screen must still start and show
		// its board: the compaction stays owed, and the next board stored (or
		// the next Open) retries it.
		if err := c.Compact(); err != nil {
			c.log.Error("cache owes a compaction that failed again; the next board stored retries it",
				"path", c.path, "err", err)
		}
	}
	return c, nil
}

// initialize creates missing buckets, and after a recovery records it and
// puts back what was salvaged. It writes nothing when the file needs
// nothing, and reports whether the file owes a compaction.
func (c *Cache) initialize(recovered string, rescued salvage) (owed bool, err error) {
	ready := true
	err = c.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				ready = false
			}
		}
		if ready {
			owed = tx.Bucket(bucketMeta).Get(keyCompact) != nil
		}
		return nil
	})
	if err != nil || (ready && recovered == "") {
		return owed, err
	}
	err = c.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		owed = tx.Bucket(bucketMeta).Get(keyCompact) != nil
		if recovered == "" {
			return nil
		}
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		m.Recovered = recovered
		if rescued.board != nil {
			// Without its ETag the next sync fetches the board whole, and
			// with it the media that were not salvaged.
			m.Generation = rescued.generation
			if err := tx.Bucket(bucketBoard).Put(keyBoard, rescued.board); err != nil {
				return err
			}
		}
		if err := writeMeta(tx, m); err != nil {
			return err
		}
		for _, s := range rescued.outbox {
			if tx.Bucket(bucketOutboxID).Get([]byte(s.ID)) != nil {
				continue
			}
			data, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if err := appendSignup(tx, s.ID, data); err != nil {
				return err
			}
		}
		return nil
	})
	return owed, err
}

func lockedError(path string, waited time.Duration) error {
	return fmt.Errorf("open cache %s: another skaerm process holds the file (waited %s); stop it first: %w", path, waited, ErrLocked)
}

// openBolt opens path with bbolt, also handing back the file bbolt opened
// (to compare with what is at path), with panics and memory faults in bbolt
// turned into errors. On error the caller closes f: bbolt has closed it
// already unless it panicked, and then f may still hold the lock.
func openBolt(path string, timeout time.Duration, readOnly bool) (db *bolt.DB, f *os.File, err error) {
	opts := &bolt.Options{
		Timeout:  timeout,
		ReadOnly: readOnly,
		// Read the freelist now, inside guard, not later in bbolt's own goroutine.
		PreLoadFreelist: true,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(name, flag, perm)
			return f, err
		},
	}
	err = guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, opts)
		return err
	})
	return db, f, err
}

// inspection is what inspect found.
type inspection struct {
	db      *bolt.DB // open read-only, if bbolt could open the file
	file    *os.File // the file bbolt opened, when bbolt itself failed
	problem error    // why the file is corrupt, nil if it is sound
	salvage salvage  // what could be read from a corrupt file
}

// salvage is what is worth keeping from a corrupt file: the board if it
// still decodes, and the sign-ups made on the screen that still do. Media
// are not kept: nothing can tell a damaged thumbnail from a sound one.
type salvage struct {
	board      []byte
	generation uint64
	outbox     []board.Signup
}

func (s *salvage) add(more salvage) {
	if more.board != nil {
		s.board, s.generation = more.board, more.generation
	}
	s.outbox = append(s.outbox, more.outbox...)
}

// release closes whatever the inspection holds open.
func (ins inspection) release() {
	if ins.db != nil {
		_ = ins.db.Close()
	}
	if ins.file != nil {
		_ = ins.file.Close()
	}
}

// inspect opens path read-only under a shared lock and checks that every
// page a reader can reach is sound and every value decodes. It returns an
// error only when the file cannot be judged (locked, unreadable for lack
// of permission); a corrupt file is reported in problem, still locked if
// bbolt got as far as taking the lock.
func inspect(path string, timeout time.Duration) (inspection, error) {
	var ins inspection
	db, f, err := openBolt(path, timeout, true)
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return ins, lockedError(path, timeout)
	case err != nil && !corruptOpen(err):
		return ins, fmt.Errorf("open cache %s: %w", path, err)
	case err != nil:
		ins.file, ins.problem = f, err
		return ins, nil
	}
	ins.db = db
	if err := guard(func() error { return verify(db) }); err != nil {
		ins.problem = err
		_ = guard(func() error { return salvageFrom(db, &ins.salvage) })
	}
	return ins, nil
}

// corruptOpen tells a file bbolt cannot make sense of from a file the
// system would not let it read: only the first is moved aside.
func corruptOpen(err error) bool {
	var pathErr *fs.PathError
	var errno syscall.Errno
	return !errors.As(err, &pathErr) && !errors.As(err, &errno)
}

// verify reads every page reachable from the root, decodes every value the
// cache wrote, and runs bbolt's consistency check.
func verify(db *bolt.DB) error {
	return db.View(func(tx *bolt.Tx) error {
		fi, err := os.Stat(db.Path())
		if err != nil {
			return err
		}
		if tx.Size() > fi.Size() {
			return fmt.Errorf("truncated: file has %d bytes, its pages need %d", fi.Size(), tx.Size())
		}
		// Touch every key and value first, in this goroutine, where a bad
		// page panics or faults into guard instead of killing the process.
		err = tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return touch(b)
		})
		if err != nil {
			return err
		}
		if err := verifyValues(tx); err != nil {
			return err
		}
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = fmt.Errorf("consistency check: %w", err)
			}
		}
		return first
	})
}

// touch reads every key and value byte under b.
func touch(b *bolt.Bucket) error {
	sum := crc32.NewIEEE()
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if child := b.Bucket(k); child != nil {
				return touch(child)
			}
			return nil
		}
		_, _ = sum.Write(k)
		_, _ = sum.Write(v)
		return nil
	})
}

// verifyValues decodes what the cache wrote: meta, board and the outbox
// with its index.
func verifyValues(tx *bolt.Tx) error {
	if _, err := readMeta(tx); err != nil {
		return err
	}
	if b := tx.Bucket(bucketBoard); b != nil {
		if v := b.Get(keyBoard); v != nil {
			var brd board.Board
			if err := json.Unmarshal(v, &brd); err != nil {
				return fmt.Errorf("decode board: %w", err)
			}
		}
	}
	ob, ids := tx.Bucket(bucketOutbox), tx.Bucket(bucketOutboxID)
	if ob == nil || ids == nil {
		if ob != ids {
			return errors.New("outbox without its index")
		}
		return nil
	}
	entries := 0
	err := ob.ForEach(func(k, v []byte) error {
		var s board.Signup
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode outbox entry %x: %w", k, err)
		}
		if err := s.Validate(); err != nil {
			return fmt.Errorf("outbox entry %x: %w", k, err)
		}
		if !bytes.Equal(ids.Get([]byte(s.ID)), k) {
			return fmt.Errorf("outbox entry %x: index does not point at it", k)
		}
		entries++
		return nil
	})
	if err != nil {
		return err
	}
	if n := ids.Stats().KeyN; n != entries {
		return fmt.Errorf("outbox index holds %d ids for %d entries", n, entries)
	}
	return nil
}

// salvageFrom fills s with what can still be read from a corrupt file, the
// outbox first: reading may fault or panic part way through.
func salvageFrom(db *bolt.DB, s *salvage) error {
	return db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketOutbox); b != nil {
			_ = b.ForEach(func(_, v []byte) error {
				var su board.Signup
				if json.Unmarshal(v, &su) == nil && su.Validate() == nil {
					s.outbox = append(s.outbox, su)
				}
				return nil
			})
		}
		m, _ := readMeta(tx)
		if b := tx.Bucket(bucketBoard); b != nil {
			if v := b.Get(keyBoard); v != nil && json.Unmarshal(v, new(board.Board)) == nil {
				s.board, s.generation = bytes.Clone(v), m.Generation
			}
		}
		return nil
	})
}

// panicError is a panic or memory fault caught while reading a cache file.
type panicError struct{ value any }

func (p *panicError) Error() string { return fmt.Sprintf("reading the file panicked: %v", p.value) }

// guard runs fn, turning a panic, or a fault on a memory-mapped page past
// the end of a truncated file, into an error.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{r}
		}
	}()
	return fn()
}

// moveAside renames the cache file to path.corrupt-<UTC time>.
func (c *Cache) moveAside() (string, error) {
	base := c.path + ".corrupt-" + c.clock.Now().UTC().Format("20060102T150405Z")
	aside := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = base + "-" + strconv.Itoa(n)
	}
	if err := os.Rename(c.path, aside); err != nil {
		return "", err
	}
	if err := syncDir(filepath.Dir(c.path)); err != nil {
		c.log.Warn("corrupt cache moved aside but directory not synced", "path", aside, "err", err)
	}
	return aside, nil
}

func sameFile(f *os.File, path string) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}
