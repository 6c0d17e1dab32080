// Package cache is the screen's local store: one bbolt file (by default
// /var/lib/skaerm/cache.db) that survives power cuts and lets the screen boot
// and draw with no network. It keeps the current board (already filtered by
// sync), media thumbnails by hash, the outbox of sign-ups made on the screen,
// and what the screen knows about its last sync.
//
// # Basics
//
// Open takes the file's lock (one writer process; a second one fails with
// ErrLocked after Options.Timeout), checks every page a reader can reach and
// moves a corrupt file aside to path.corrupt-<UTC time> before starting a
// fresh one, keeping the board and the outbox entries that can still be read
// from it. Every write is one bbolt transaction, fsync'd before the method
// returns, so after a crash the file holds either the old or the new state,
// never a mix.
//
// The board is stored as one JSON value per generation. ReplaceBoard trims
// the board to the retention window (yesterday to DaysAhead ahead), stores it
// and drops media the board no longer refers to, all in one transaction.
// Window is that window, the only one: the sync asks the backend for its
// days, and Prune (run hourly by Retain) trims to it while the screen is
// offline. Its today is the backend's clock while the offset the sync
// measured is fresh, else the local clock but never before the board's own
// time.
// Subscribe gives each reader a channel that wakes it after every change.
//
// # Deletion
//
// bbolt never overwrites freed pages, so deleted values stay readable in the
// file. Whenever a write removes anything (a profile, a name, any text of the
// old board, media, outbox entries aged out), the file is compacted: copied
// into path.compact, fsync'd, renamed over path, and the directory fsync'd.
// A flag stored with the removal makes Open finish the job if the power goes
// before compaction does; when that fails too (a full disk), Open still
// succeeds and the next board stored tries again.
//
// # Caveats
//
// Values returned are copies; bbolt's own slices never leave a transaction.
// A read-only Cache (for status tools) takes a shared lock, so it cannot open
// the file while the screen process holds it. Retention follows the injected
// clock, but never trims at a time earlier than the board's GeneratedAt: a
// Raspberry Pi without a real-time clock that boots in the past keeps its
// board. The consistency check on Open recovers from panics and memory faults
// in bbolt, but a file crafted with a cycle between pages can still hang it.
// Compaction cleans the file, not the storage under it: an SD card may keep
// old blocks until it reuses them.
package cache
