package main

import (
	"context"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/speech"
)

// recordings reads staff recordings from the cache.
func recordings(c *cache.Cache) func(context.Context, board.Audio) (speech.Audio, error) {
	return nil
}
