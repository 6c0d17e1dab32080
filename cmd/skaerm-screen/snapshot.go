package main

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"skaerm/cache"
	"skaerm/display"
	"skaerm/display/layout"
	"skaerm/internal/app"
)

func cmdSnapshot(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("snapshot", "--cache FILE --at RFC3339 --size WxH --page NAME --out FILE.png", stderr)
	var f app.Flags
	f.Register(fs, false)
	at := fs.String("at", "", "the instant to draw, RFC 3339 (default now)")
	size := fs.String("size", "1920x1080", "width x height in pixels")
	page := fs.String("page", "today", layout.PageNames())
	out := fs.String("out", "", "the PNG file to write")
	locale := fs.String("locale", "", "da, nb, de or en (default: the department's)")
	code := fs.String("code", "", "the pairing code the pairing page shows (--page pairing only)")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	pageID, err := layout.ParsePageID(*page)
	if err != nil {
		fmt.Fprintf(stderr, "--page: %v\n", err)
		return app.ErrUsage
	}
	opts := display.Options{Locale: *locale}
	switch {
	case pageID.Is(layout.PagePairing) && *code == "":
		fmt.Fprintln(stderr, "--page pairing needs --code: the code the page shows, e.g. --code ABCD-EFGH")
		return app.ErrUsage
	case pageID.Is(layout.PagePairing):
		opts.Pairing = func() (string, string, bool) { return *code, "", true }
	case *code != "":
		fmt.Fprintln(stderr, "--code is for --page pairing only")
		return app.ErrUsage
	}
	if *out == "" {
		fmt.Fprintln(stderr, "--out is required")
		return app.ErrUsage
	}
	w, h, err := parseSize(*size)
	if err != nil {
		return err
	}
	when := time.Now()
	if *at != "" {
		if when, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("--at %q: want RFC 3339, e.g. 2026-11-23T09:30:00+01:00", *at)
		}
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

// parseSize reads "1920x1080".
func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 320 || h < 240 || w > 7680 || h > 4320 {
		return 0, 0, fmt.Errorf("--size %q: want WIDTHxHEIGHT between 320x240 and 7680x4320, e.g. 1920x1080", s)
	}
	return w, h, nil
}
