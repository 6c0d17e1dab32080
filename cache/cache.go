package cache

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"skaerm/internal/clock"
)

// DefaultPath is where the screen keeps its cache.
const DefaultPath = "/var/lib/skaerm/cache.db"

// DefaultTimeout is how long Open waits for the file lock.
const DefaultTimeout = 2 * time.Second

// Errors callers branch on.
var (
	// ErrLocked means another process holds the cache file.
	ErrLocked = errors.New("cache file is locked by another process")
	// ErrNoBoard means no board has been stored yet.
	ErrNoBoard = errors.New("no board stored yet")
	// ErrNoMedia means the cache holds no media with that hash.
	ErrNoMedia = errors.New("media not in cache")
	// ErrNoSignup means the outbox holds no sign-up with that id.
	ErrNoSignup = errors.New("sign-up not in outbox")
	// ErrReadOnly is returned by every write on a Cache opened read-only.
	ErrReadOnly = errors.New("cache is open read-only")
	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("cache is closed")
	// ErrCorrupt is returned by a read-only Open of a corrupt file (a
	// writable Open moves the file aside instead).
	ErrCorrupt = errors.New("cache file is corrupt")
)

// Bucket and key names inside the file.
var (
	bucketBoard    = []byte("board")     // keyBoard -> JSON board.Board
	bucketMedia    = []byte("media")     // hash -> bytes
	bucketOutbox   = []byte("outbox")    // big-endian sequence -> JSON board.Signup
	bucketOutboxID = []byte("outbox-id") // sign-up id -> its key in bucketOutbox
	bucketMeta     = []byte("meta")      // keyMeta -> JSON storedMeta, keyCompact -> present while a compaction is owed

	allBuckets = [][]byte{bucketBoard, bucketMedia, bucketOutbox, bucketOutboxID, bucketMeta}

	keyBoard   = []byte("current")
	keyMeta    = []byte("meta")
	keyCompact = []byte("compact-pending")
)

// Options configure Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long to wait for the file lock; 0 means DefaultTimeout.
	Timeout time.Duration
	// Clock tells the time for retention and bookkeeping; nil means clock.Real{}.
	Clock clock.Clock
	// Logger receives events (ids and counts, never names); nil discards them.
	Logger *slog.Logger
	// ReadOnly opens the file with a shared lock for tools that only look.
	ReadOnly bool
	// BootID is this boot's id, kept with a clock offset; "" means
	// clock.BootID().
	BootID string
	// Uptime is the time since boot, kept with a clock offset; nil means
	// clock.Uptime.
	Uptime func() time.Duration
}

// Cache is an open cache file. It is safe for concurrent use.
type Cache struct {
	path     string
	clock    clock.Clock
	log      *slog.Logger
	timeout  time.Duration
	readOnly bool
	bootID   string
	uptime   func() time.Duration

	// mu guards db: every transaction runs under RLock, Compact and Close
	// take Lock, so no reader ever sees a db being swapped or closed.
	mu sync.RWMutex
	db *bolt.DB

	subMu sync.Mutex
	subs  map[chan struct{}]struct{}

	// autoCompact is false only in tests that show what compaction removes.
	autoCompact bool
}

func newCache(path string, opts Options) *Cache {
	c := &Cache{
		path:        path,
		clock:       opts.Clock,
		log:         opts.Logger,
		timeout:     opts.Timeout,
		readOnly:    opts.ReadOnly,
		bootID:      opts.BootID,
		uptime:      opts.Uptime,
		subs:        map[chan struct{}]struct{}{},
		autoCompact: true,
	}
	if c.clock == nil {
		c.clock = clock.Real{}
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.bootID == "" {
		c.bootID = clock.BootID()
	}
	if c.uptime == nil {
		c.uptime = clock.Uptime
	}
	return c
}

// BootID is the boot id the cache stamps a clock offset with.
func (c *Cache) BootID() string { return c.bootID }

// Path returns the file the cache lives in.
func (c *Cache) Path() string { return c.path }

// Close releases the file. Later calls on c return ErrClosed.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == nil {
		return nil
	}
	err := c.db.Close()
	c.db = nil
	if err != nil {
		return fmt.Errorf("close cache %s: %w", c.path, err)
	}
	return nil
}

// view runs fn in a read transaction.
func (c *Cache) view(fn func(*bolt.Tx) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.db == nil {
		return ErrClosed
	}
	return c.db.View(fn)
}

// errUnchanged, returned by an update's fn, rolls the transaction back
// instead of committing it: bbolt writes and fsyncs a commit even when
// nothing changed, and an SD card should not pay for that.
var errUnchanged = errors.New("nothing to change")

// update runs fn in a write transaction, committed and fsync'd on return.
// It reports whether anything was committed.
func (c *Cache) update(fn func(*bolt.Tx) error) (changed bool, err error) {
	if c.readOnly {
		return false, ErrReadOnly
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.db == nil {
		return false, ErrClosed
	}
	err = c.db.Update(fn)
	if errors.Is(err, errUnchanged) {
		return false, nil
	}
	return err == nil, err
}

// Subscribe returns a channel that receives a value after every change to
// the cache (board, meta, media, outbox). It holds one value at most: a
// reader that falls behind gets one wake-up for many changes and should read
// the state it needs afresh. cancel stops deliveries; the channel is never
// closed.
func (c *Cache) Subscribe() (ch <-chan struct{}, cancel func()) {
	sub := make(chan struct{}, 1)
	c.subMu.Lock()
	c.subs[sub] = struct{}{}
	c.subMu.Unlock()
	var once sync.Once
	return sub, func() {
		once.Do(func() {
			c.subMu.Lock()
			delete(c.subs, sub)
			c.subMu.Unlock()
		})
	}
}

// notify wakes every subscriber without blocking.
func (c *Cache) notify() {
	c.subMu.Lock()
	defer c.subMu.Unlock()
	for sub := range c.subs {
		select {
		case sub <- struct{}{}:
		default:
		}
	}
}
