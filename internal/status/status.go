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
	"sort"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
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
	// DepartmentName and Timezone are the department's, from the board.
	DepartmentName string `json:"department_name,omitempty"`
	Timezone       string `json:"timezone,omitempty"`
	// Source says where the report comes from: "" when read from the cache
	// just now, or the running screen's report file.
	Source      string    `json:"source,omitempty"`
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
	name, zone string
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
			k.board = boardPart{has: true, department: b.Department.ID, name: b.Department.Name, zone: b.Department.Timezone, generated: b.GeneratedAt,
				counts: Counts{len(b.Profiles), len(b.Activities), len(b.Meals), len(b.Meetings),
					len(b.Bookings), len(b.Roster), len(b.News), len(b.Gallery)}}
		}
		k.gen = m.Generation
	}
	r.HasBoard, r.Department, r.GeneratedAt, r.Counts = k.board.has, k.board.department, k.board.generated, k.board.counts
	r.DepartmentName, r.Timezone = k.board.name, k.board.zone
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
	// Not durable: the report is written again every 30 s, and an fsync each
	// time would cost the SD card a journal commit.
	if err := cache.WriteFile(path, append(data, '\n'), 0o600, false); err != nil {
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

// DefaultTimezone is the zone times are shown in before the first sync has
// told the screen its department's.
const DefaultTimezone = "Europe/Copenhagen"

// Location is the department's time zone, the default one before the
// first sync.
func (r Report) Location() *time.Location {
	for _, name := range []string{r.Timezone, DefaultTimezone} {
		if name == "" {
			continue
		}
		if loc, err := board.LoadZone(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Lines other components add under Extra that the text report shows in
// this order, right after the sync; any others follow in name order.
var extraOrder = []string{"pairing", "screen shows", "display power", "display power error", "clock", "motion sensor", "configuration"}

// WriteText prints r for a person to read in a few seconds: the
// department, the last good sync and its age, what the screen shows, the
// display power, the clock, the outbox, the last error and a rejected
// configuration edit, then the details. Times are in the department's
// zone, which is named.
func WriteText(w io.Writer, r Report) error {
	var b strings.Builder
	loc := r.Location()
	when := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return fmt.Sprintf("%s (%s ago)", Clock(t, r.At, loc), Age(r.At.Sub(t)))
	}
	line := func(k, format string, a ...any) {
		fmt.Fprintf(&b, "%-15s "+format+"\n", append([]any{k + ":"}, a...)...)
	}
	switch {
	case r.DepartmentName != "":
		line("department", "%s (%s), times in %s", r.DepartmentName, r.Department, loc)
	case r.Department != "":
		line("department", "%s, times in %s", r.Department, loc)
	default:
		line("department", "not known yet (no board), times in %s", loc)
	}
	if r.Source != "" {
		line("report", "%s, %s", r.Source, when(r.At))
	}
	if r.HasBoard {
		line("last good sync", "%s, board generation %d", when(r.LastSync), r.Generation)
	} else {
		line("last good sync", "never: the screen has not synced yet")
	}
	if r.LastError != "" {
		line("last error", "%s (%s)", r.LastError, when(r.LastAttempt))
	}
	extra := map[string]string{}
	for k, v := range r.Extra {
		extra[k] = v
	}
	for _, k := range extraOrder {
		if v, ok := extra[k]; ok {
			line(k, "%s", v)
			delete(extra, k)
		}
	}
	if r.ClockOffset != "" && r.Source == "" { // a running screen's clock line says it
		if d, err := time.ParseDuration(r.ClockOffset); err == nil {
			line("backend clock", "%s", clock.OffsetText(d))
		}
	}
	switch o := r.Outbox; {
	case o.Pending == 0 && o.Refused == 0:
		line("outbox", "empty: every sign-up made on the screen has reached the backend")
	default:
		line("outbox", "%d sign-up(s) waiting to be sent, %d refused by the backend", o.Pending, o.Refused)
	}
	if r.Recovered != "" {
		line("recovered", "a corrupt cache was moved aside to %s", r.Recovered)
	}
	if r.HasBoard {
		c := r.Counts
		line("board holds", "%d profiles, %d activities, %d meals, %d meetings, %d bookings, %d shifts, %d news, %d pictures",
			c.Profiles, c.Activities, c.Meals, c.Meetings, c.Bookings, c.Roster, c.News, c.Gallery)
	}
	line("cache", "%s (%s), media %d items (%s)", r.CachePath, Bytes(r.FileBytes), r.MediaCount, Bytes(r.MediaBytes))
	for _, k := range sortedKeys(extra) {
		line(k, "%s", extra[k])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Clock writes t for a person in loc: the time of day when it is on the
// same day as now, else the date too, always with the zone's abbreviation.
func Clock(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04:05 MST")
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

// Age writes a duration as a person says it: "12s", "4m", "3h 5m", "2 days".
func Age(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// Bytes writes a size in bytes, KB or MB.
func Bytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
