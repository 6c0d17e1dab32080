package sync

import (
	"context"
	"errors"
	"fmt"

	"skaerm/board"
	"skaerm/internal/voice/recording"
)

// ErrBadRecording means the backend sent a recorded reading that is not
// what the board says it is (its hash, its kind, its length) or is longer
// than a screen plays. It is skipped and retried on the next sync; the
// screen's voice reads the card meanwhile.
var ErrBadRecording = errors.New("the backend sent a recording the screen does not accept")

// fetchRecordings fetches the recorded readings the cached board b refers to
// and the cache lacks, one at a time after the pictures, checks them
// (recording.Check) and keeps them as they came. Recordings the screen
// cannot play (Ogg Vorbis) are not fetched at all.
func (s *Syncer) fetchRecordings(ctx context.Context, b *board.Board, res *Result) {
	for _, a := range b.Recordings() {
		if ctx.Err() != nil {
			return
		}
		if !recording.Playable(a.ContentType) {
			continue
		}
		if ok, err := s.cache.HasMedia(a.SHA256); err != nil || ok {
			continue
		}
		err := s.fetchRecording(ctx, a.SHA256, func(data []byte) error { return recording.Check(data, a) })
		switch {
		case err == nil:
			res.MediaFetched++
		case ctx.Err() != nil:
			return
		default:
			res.MediaFailed++
			s.log.Warn("recording skipped", "hash", a.SHA256, "err", err)
			if errors.Is(err, ErrBackendUnreachable) || errors.Is(err, ErrUnauthorized) {
				return
			}
		}
	}
}

// fetchRecording fetches one recording from the media endpoint and keeps it
// when check accepts it.
func (s *Syncer) fetchRecording(ctx context.Context, hash string, check func([]byte) error) error {
	data, _, err := s.getMedia(ctx, hash, "recording")
	if err != nil {
		return err
	}
	if err := check(data); err != nil {
		return fmt.Errorf("%w: %w", ErrBadRecording, err)
	}
	if err := s.cache.PutMedia(hash, data); err != nil {
		return fmt.Errorf("store recording: %w", err)
	}
	return nil
}
