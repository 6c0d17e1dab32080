package announce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
)

// Speaker says a sentence aloud and returns when it has been said
// (sound.Voice is the screen's).
type Speaker interface {
	Say(ctx context.Context, text, locale string) error
}

// State is what the announcer looks at besides the clock.
type State struct {
	Board *board.Board
	// Off: the configuration says announcements = "off".
	Off bool
	// ScheduledOff: the display is off by its schedule.
	ScheduledOff bool
}

// Options are an Announcer's parts.
type Options struct {
	Clock   clock.Clock
	Speaker Speaker
	// SaidPath is the file that keeps what was said across restarts (ids
	// and times only); "" keeps it in memory.
	SaidPath string
	Log      *slog.Logger
}

// Announcer says announcements as they fall due. Run owns it; Update hands
// it a new state from any goroutine without waiting.
type Announcer struct {
	opts    Options
	updates chan State
}

// New returns an announcer with nothing to announce until Update.
func New(opts Options) *Announcer {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Announcer{opts: opts, updates: make(chan State, 1)}
}

// Update replaces the state the announcer works from. It never blocks: a
// state not yet taken is replaced by the newer one.
func (a *Announcer) Update(s State) {
	for {
		select {
		case a.updates <- s:
			return
		default:
		}
		select {
		case <-a.updates:
		default:
		}
	}
}

// Run announces until ctx is done. An announcement that cannot be said
// (no voice, no loudspeaker) is logged by id and counted as said, so a
// broken loudspeaker is not tried again and again for the same item.
func (a *Announcer) Run(ctx context.Context) error {
	said, err := LoadSaid(a.opts.SaidPath)
	if err != nil {
		a.opts.Log.Warn("announcements: record of what was said not read, starting afresh", "err", err)
		said = &Said{}
	}
	var st State
	for {
		now := a.opts.Clock.Now()
		d := Decide(Inputs{Now: now, Board: st.Board, Off: st.Off, ScheduledOff: st.ScheduledOff, Said: said})
		for _, x := range d.Say {
			err := a.opts.Speaker.Say(ctx, x.Text, st.Board.Department.Locale)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				a.opts.Log.Warn("announcement not said", "kind", x.Kind, "id", x.ID, "err", err)
			} else {
				a.opts.Log.Info("announced", "kind", x.Kind, "id", x.ID)
			}
			said.Add(x)
			said.Prune(now)
			if err := SaveSaid(a.opts.SaidPath, said); err != nil {
				a.opts.Log.Warn("announcements: record of what was said not kept", "err", err)
			}
		}
		var wake <-chan time.Time
		if !d.Next.IsZero() {
			wake = a.opts.Clock.After(d.Next.Sub(now))
		}
		select {
		case <-ctx.Done():
			return nil
		case st = <-a.updates:
		case <-wake:
		}
	}
}

// SaidFile is where a screen keeps its record of what was said: beside its
// cache file, which the screen may write and `skaerm purge` wipes.
func SaidFile(cachePath string) string {
	return filepath.Join(filepath.Dir(cachePath), "announced.json")
}

// LoadSaid reads the record at path; a missing file (or "") is an empty
// record.
func LoadSaid(path string) (*Said, error) {
	s := &Said{}
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return s, nil
}

// SaveSaid writes the record to path whole or not at all, and durably
// (cache.WriteFile). "" keeps nothing.
func SaveSaid(path string, s *Said) error {
	if path == "" {
		return nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	// Durable: after a power cut the voice must not say again what it said.
	return cache.WriteFile(path, b, 0o600, true)
}
