package main

import (
	"context"
	"fmt"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/voice/recording"
	"skaerm/internal/voice/speech"
)

// recordings reads the staff's recorded readings from the cache, where the
// sync keeps them once checked, and decodes them for the loudspeaker. One
// not kept yet (or that cannot be played) is an error: the voice then
// reads the card itself.
func recordings(c *cache.Cache) func(context.Context, board.Audio) (speech.Audio, error) {
	return func(_ context.Context, a board.Audio) (speech.Audio, error) {
		data, err := c.Media(a.SHA256)
		if err != nil {
			return speech.Audio{}, fmt.Errorf("recording %.8s: %w", a.SHA256, err)
		}
		return recording.Decode(data, a.ContentType)
	}
}
