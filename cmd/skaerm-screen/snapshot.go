package main

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"time"

	"skaerm/cache"
	"skaerm/display"
	"skaerm/display/layout"
	"skaerm/internal/app"
)

func cmdSnapshot(_ context.Context, args []string, stdout, stderr io.Writer) error {
	f, snap, err := app.ParseSnapshot(args, stderr, time.Now())
	if err != nil {
		return err
	}
	pageID, w, h, when, out := snap.Page, snap.Width, snap.Height, snap.At, &snap.Out
	opts := display.Options{Locale: snap.Locale}
	if pageID.Is(layout.PagePairing) {
		opts.Pairing = func() (string, string, bool) { return snap.Code, "", true }
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	c, err := cache.Open(s.Config.Cache.Path, cache.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer c.Close()
	img, err := display.Snapshot(c, pageID, w, h, when, opts)
	if err != nil {
		return fmt.Errorf("render %s: %w", pageID, err)
	}
	file, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := png.Encode(file, img); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %dx%d)\n", *out, pageID, w, h)
	return nil
}
