package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/uuid"

	"skaerm/cache"
	"skaerm/display"
	"skaerm/internal/app"
	"skaerm/internal/backend"
	"skaerm/internal/pairing"
	"skaerm/sync"
)

func cmdRun(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs := newFlags("run", "[--config FILE] [--backend URL --token T] [--cache FILE] [--demo]", stderr)
	var f app.Flags
	f.Register(fs, true)
	demo := fs.Bool("demo", false, "start the reference backend with the demo care home in this process, with a temporary cache")
	windowed := fs.Bool("windowed", false, "draw in a window instead of fullscreen")
	shots := fs.String("shots", "", "write a PNG of each newly drawn page into this folder")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	cfg := s.Config
	log := app.Logger(cfg.Log.Level)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	token, tokenFile := "", cfg.Backend.TokenFile
	if *demo {
		dir, err := os.MkdirTemp("", "skaerm-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		b, err := backend.Start(ctx, "127.0.0.1:0", backend.Options{
			DataDir: filepath.Join(dir, "backend"), Tokens: []string{"demo"}, Demo: true,
			Logger: log.With("component", "backend"),
		})
		if err != nil {
			return fmt.Errorf("start the demo backend: %w", err)
		}
		defer b.Close()
		log.Info("demo backend started", "url", b.URL, "preview", b.URL+"/preview")
		cfg.Backend.URL, token, tokenFile = b.URL, "demo", ""
		if f.Cache == "" {
			cfg.Cache.Path = filepath.Join(dir, "cache.db")
		}
	} else {
		if cfg.Backend.URL == "" {
			return app.ErrNoBackend
		}
		token, err = f.DeviceToken(s)
		if err != nil && !errors.Is(err, pairing.ErrNoToken) {
			return err
		}
	}

	c, err := cache.Open(cfg.Cache.Path, cache.Options{Logger: log.With("component", "cache")})
	if err != nil {
		return err
	}
	defer c.Close()

	runner := &app.Runner{
		BackendURL: cfg.Backend.URL, Token: token, TokenFile: tokenFile, CAFile: cfg.Backend.CAFile,
		Cache: c, Logger: log.With("component", "sync"), Version: version,
		Sync: sync.Options{
			PollInterval:  cfg.Sync.PollInterval.D(),
			MaxBoardBytes: cfg.Sync.MaxBoardBytes, MaxMediaBytes: cfg.Sync.MaxMediaBytes,
		},
	}
	screen, err := display.New(display.Options{
		Source: c, Logger: log.With("component", "display"),
		Locale: cfg.Screen.Locale, Pairing: runner.Pairing,
		IdleAfter: cfg.Screen.IdleAfter.D(), OfflineAfter: cfg.Screen.OfflineAfter.D(),
		NewID: uuid.NewString, Fullscreen: cfg.Screen.Fullscreen && !*windowed, ShotsDir: *shots,
	})
	if err != nil {
		return err
	}
	runner.Sync.Screenshot = screen.Screenshot

	syncDone := make(chan error, 1)
	go func() { syncDone <- runner.Run(ctx) }()

	// The renderer owns the main thread until the window closes or ctx ends.
	drawErr := screen.Run(ctx)
	cancel()
	syncErr := <-syncDone
	if drawErr != nil && !errors.Is(drawErr, context.Canceled) {
		return drawErr
	}
	if syncErr != nil && !errors.Is(syncErr, context.Canceled) {
		return syncErr
	}
	return nil
}
