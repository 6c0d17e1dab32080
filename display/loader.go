package display

import (
	"context"
	"errors"
	_ "image/jpeg" // sync stores every picture as JPEG or PNG (it re-encodes WebP)
	_ "image/png"

	"github.com/hajimehoshi/ebiten/v2"

	"skaerm/cache"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
)

// snapshot is one immutable reading of the Source, shared with the game
// loop through an atomic pointer.
type snapshot struct {
	reading *game.Reading     // what the game state is built from
	media   map[string]*still // by hash, decoded only when drawn
	assets  map[string]*still // the override folder's pictures, by layout key
}

// loader reads the Source whenever it says it changed and publishes a new
// snapshot; the game loop never waits for it.
func (s *Screen) loader(ctx context.Context) {
	ch, cancel := s.src.Subscribe()
	defer cancel()
	s.load() // anything that changed between Run's first load and Subscribe
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-s.changed:
		}
		s.load()
		ebiten.ScheduleFrame()
	}
}

// load reads the Source once and publishes what it found. A read that fails
// keeps the previous reading of that part: the screen never goes blank
// because the cache hiccuped.
func (s *Screen) load() {
	prev := s.snap.Load()
	next := &snapshot{reading: &game.Reading{}, media: map[string]*still{}}
	if prev != nil {
		*next.reading = *prev.reading
		next.assets = prev.assets
	}
	if prev == nil || s.assetsStale.Swap(false) {
		next.assets = readAssets(s.opts.AssetsDir, s.log)
	}
	_, next.reading.Logo = next.assets[layout.LogoKey]
	r := next.reading
	// Counted before the outbox is read: every sign-up stored by then is
	// in this reading (see game.Reading.Writes).
	r.Writes = s.outbox.seq.Load()
	switch b, err := s.src.Board(); {
	case err == nil:
		r.Board = b
	case errors.Is(err, cache.ErrNoBoard):
		r.Board = nil
	default:
		s.log.Warn("read board", "err", err)
	}
	if m, err := s.src.Meta(); err == nil {
		r.Meta = m
	} else {
		s.log.Warn("read meta", "err", err)
	}
	if o, err := s.src.Outbox(); err == nil {
		r.Outbox = o
	} else {
		s.log.Warn("read outbox", "err", err)
	}
	if r.Board != nil {
		failed := 0
		for _, h := range r.Board.MediaHashes() {
			if prev != nil {
				if st, ok := prev.media[h]; ok {
					next.media[h] = st // read once, kept by hash
					continue
				}
			}
			data, err := s.src.Media(h)
			if err != nil {
				failed++ // not fetched yet: initials or a quiet frame meanwhile
				continue
			}
			st, err := encodedStill(data)
			if err != nil {
				s.log.Warn("unreadable media", "hash", h, "err", err)
				continue
			}
			next.media[h] = st
		}
		if failed > 0 {
			s.log.Debug("media not in cache yet", "count", failed)
		}
	}
	s.snap.Store(next)
}
