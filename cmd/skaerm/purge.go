package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/internal/status"
	"skaerm/internal/voice/announce"
)

func cmdPurge(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("purge", "[--config FILE] [--cache FILE] --yes", stderr)
	var f app.Flags
	f.Register(fs, false)
	yes := fs.Bool("yes", false, "really wipe the board, media and outbox (sign-ups not yet sent are lost)")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	path := &s.Config.Cache.Path
	if !*yes {
		fmt.Fprintln(stderr, "purge wipes the cached board, its media and any sign-ups not yet sent; add --yes to do it")
		return app.ErrUsage
	}
	if err := cache.Purge(*path); err != nil {
		return fmt.Errorf("purge %s: %w", *path, err)
	}
	for _, p := range []string{status.FilePath(*path), announce.SaidFile(*path)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("purge %s: %w", p, err)
		}
	}
	fmt.Fprintf(stdout, "purged %s\n", *path)
	return nil
}
