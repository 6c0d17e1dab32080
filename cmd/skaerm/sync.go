package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/internal/status"
	"skaerm/sync"
)

func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("sync", "[--once] [--config FILE] [--backend URL --token T] [--cache FILE]", stderr)
	var f app.Flags
	f.Register(fs, true)
	once := fs.Bool("once", false, "sync once and exit (default: keep syncing until stopped, without drawing)")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	if s.Config.Backend.URL == "" {
		return app.ErrNoBackend
	}
	token, err := f.DeviceToken(s)
	if err != nil {
		return err
	}
	log := app.Logger(s.Config.Log.Level)
	c, err := cache.Open(s.Config.Cache.Path, cache.Options{Logger: log})
	if err != nil {
		return err
	}
	defer c.Close()
	opts := s.SyncOptions()
	opts.Token, opts.Cache, opts.Logger, opts.Version = token, c, log, version
	sy, err := sync.New(opts)
	if err != nil {
		return err
	}
	if !*once {
		err := sy.Run(ctx)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	res, err := sy.SyncOnce(ctx)
	// real clock: a command run once reports the moment it runs.
	if r, serr := status.Collect(c, time.Now(), version); serr == nil {
		_ = status.Save(status.FilePath(c.Path()), r)
	}
	if err != nil {
		return err
	}
	if res.NotModified {
		fmt.Fprintf(stdout, "board unchanged (etag %s)\n", res.ETag)
	} else {
		fmt.Fprintf(stdout, "board generation %d stored (etag %s)\n", res.Generation, res.ETag)
	}
	fmt.Fprintf(stdout, "media: %d fetched, %d failed; sign-ups: %d sent, %d refused, %d waiting\n",
		res.MediaFetched, res.MediaFailed, res.Sent, res.Refused, res.Pending)
	return nil
}
