// Package status gathers what a technician needs to know about a screen (its
// cache, last sync, outbox, board) into one Report, prints it as plain text
// or JSON, and keeps a copy beside the cache so `skaerm status` can answer
// while the running screen holds the cache file's lock.
//
// A Report carries counts, times and ids, never a name.
package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/cache"
)

// Report is a screen's state at one moment.
type Report struct {
	At          time.Time `json:"at"`
	Version     string    `json:"version,omitempty"`
	CachePath   string    `json:"cache_path"`
	FileBytes   int64     `json:"file_bytes"`
	Recovered   string    `json:"recovered,omitempty"`
	ETag        string    `json:"board_etag,omitempty"`
	Generation  uint64    `json:"generation"`
	LastSync    time.Time `json:"last_sync"`
	LastAttempt time.Time `json:"last_attempt"`
	LastError   string    `json:"last_error,omitempty"`
	ClockOffset string    `json:"clock_offset,omitempty"`
	HasBoard    bool      `json:"has_board"`
	Department  string    `json:"department_id,omitempty"`
	GeneratedAt time.Time `json:"board_generated_at"`
	Counts      Counts    `json:"counts"`
	MediaCount  int       `json:"media_count"`
	MediaBytes  int64     `json:"media_bytes"`
	Outbox      Outbox    `json:"outbox"`
	// Extra holds lines other components add (display power, clock trust,
	// SoC temperature), keyed by a short name.
	Extra map[string]string `json:"extra,omitempty"`
}

// Counts are the numbers of each kind of item on the board.
type Counts struct {
	Profiles   int `json:"profiles"`
	Activities int `json:"activities"`
	Meals      int `json:"meals"`
	Meetings   int `json:"meetings"`
	Bookings   int `json:"bookings"`
	Roster     int `json:"roster"`
	News       int `json:"news"`
	Gallery    int `json:"gallery"`
}

// Outbox counts the sign-ups made on the screen that the backend has not
// taken yet.
type Outbox struct {
	Pending int `json:"pending"`
	Refused int `json:"refused"`
}

// Collect reads a report from an open cache.
func Collect(c *cache.Cache, now time.Time, version string) (Report, error) {
	var k Collector
	return k.Collect(c, now, version)
}

// Collector reads reports from one cache again and again, as the running
// screen does every 30 s. It reads the board only when its generation
// changed: the board is the costly part (a JSON document of ~60 KB to
// decode for a few counts), and it rarely changes. Not safe for concurrent
// use.
type Collector struct {
	gen   uint64 // generation the fields below were read at; 0: none
	board boardPart
}

// boardPart is what a report takes from the board itself.
type boardPart struct {
	has        bool
	department string
	generated  time.Time
	counts     Counts
}

// Collect reads a report from c, the board only if it changed since the
// last call.
func (k *Collector) Collect(c *cache.Cache, now time.Time, version string) (Report, error) {
	m, err := c.Meta()
	if err != nil {
		return Report{}, fmt.Errorf("read cache state: %w", err)
	}
	r := Report{
		At: now, Version: version, CachePath: c.Path(), FileBytes: m.FileBytes, Recovered: m.Recovered,
		ETag: m.ETag, Generation: m.Generation, LastSync: m.LastSync, LastAttempt: m.LastAttempt,
		LastError: m.LastError, MediaCount: m.MediaCount, MediaBytes: m.MediaBytes,
	}
	if !m.ClockOffsetAt.IsZero() {
		r.ClockOffset = m.ClockOffset.Round(time.Second).String()
	}
	if m.Generation == 0 || m.Generation != k.gen {
		b, err := c.Board()
		switch {
		case errors.Is(err, cache.ErrNoBoard):
			k.board = boardPart{}
		case err != nil:
			k.gen = 0
			return r, fmt.Errorf("read board: %w", err)
		default:
			k.board = boardPart{has: true, department: b.Department.ID, generated: b.GeneratedAt,
				counts: Counts{len(b.Profiles), len(b.Activities), len(b.Meals), len(b.Meetings),
					len(b.Bookings), len(b.Roster), len(b.News), len(b.Gallery)}}
		}
		k.gen = m.Generation
	}
	r.HasBoard, r.Department, r.GeneratedAt, r.Counts = k.board.has, k.board.department, k.board.generated, k.board.counts
	out, err := c.Outbox()
	if err != nil {
		return r, fmt.Errorf("read outbox: %w", err)
	}
	for _, s := range out {
		if s.State == board.Refused {
			r.Outbox.Refused++
		} else {
			r.Outbox.Pending++
		}
	}
	return r, nil
}

// FilePath is where the running screen keeps its latest report for a cache.
func FilePath(cachePath string) string { return cachePath + ".status.json" }

// Save writes r atomically to path (mode 0600).
func Save(path string, r Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode status: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".status-*")
	if err != nil {
		return fmt.Errorf("write status: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write status: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write status: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write status: %w", err)
	}
	return nil
}

// Load reads a report written by Save.
func Load(path string) (Report, error) {
	var r Report
	data, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("read status: %w", err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("read status %s: %w", path, err)
	}
	return r, nil
}

// WriteJSON prints r as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints r for a person, with times in loc.
func WriteText(w io.Writer, r Report, loc *time.Location) error {
	var b strings.Builder
	when := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return fmt.Sprintf("%s (%s ago)", t.In(loc).Format("2006-01-02 15:04:05 MST"), r.At.Sub(t).Round(time.Second))
	}
	line := func(k, format string, a ...any) {
		fmt.Fprintf(&b, "%-16s "+format+"\n", append([]any{k + ":"}, a...)...)
	}
	line("cache", "%s (%d bytes)", r.CachePath, r.FileBytes)
	if r.Recovered != "" {
		line("recovered", "a corrupt cache was moved aside to %s", r.Recovered)
	}
	line("last sync", "%s", when(r.LastSync))
	line("last attempt", "%s", when(r.LastAttempt))
	if r.LastError != "" {
		line("last error", "%s", r.LastError)
	}
	if r.ClockOffset != "" {
		line("clock offset", "backend is %s ahead of this screen", r.ClockOffset)
	}
	if r.HasBoard {
		c := r.Counts
		line("board", "department %s, generation %d, etag %s", r.Department, r.Generation, r.ETag)
		line("board holds", "%d profiles, %d activities, %d meals, %d meetings, %d bookings, %d shifts, %d news, %d pictures",
			c.Profiles, c.Activities, c.Meals, c.Meetings, c.Bookings, c.Roster, c.News, c.Gallery)
	} else {
		line("board", "none yet: the screen has never synced")
	}
	line("media", "%d items, %d bytes", r.MediaCount, r.MediaBytes)
	line("outbox", "%d waiting to be sent, %d refused by the backend", r.Outbox.Pending, r.Outbox.Refused)
	for _, k := range sortedKeys(r.Extra) {
		line(k, "%s", r.Extra[k])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
