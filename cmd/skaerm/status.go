package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"skaerm/cache"
	"skaerm/internal/app"
	"skaerm/internal/status"
)

func cmdStatus(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("status", "[--config FILE] [--cache FILE] [--json]", stderr)
	var f app.Flags
	f.Register(fs, false)
	asJSON := fs.Bool("json", false, "print JSON for machines")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	r, err := readStatus(s.Config.Cache.Path)
	if err != nil {
		return err
	}
	if *asJSON {
		return status.WriteJSON(stdout, r)
	}
	return status.WriteText(stdout, r, time.Local)
}

// readStatus reads the cache itself, or, while the running screen holds it,
// the report the screen keeps beside it.
func readStatus(path string) (status.Report, error) {
	c, err := cache.Open(path, cache.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if errors.Is(err, cache.ErrLocked) {
		r, lerr := status.Load(status.FilePath(path))
		if lerr != nil {
			return r, fmt.Errorf("%w; and the running screen's report could not be read: %v", err, lerr)
		}
		if r.Extra == nil {
			r.Extra = map[string]string{}
		}
		r.Extra["source"] = fmt.Sprintf("the running screen's report of %s", r.At.Local().Format("15:04:05"))
		return r, nil
	}
	if err != nil {
		return status.Report{}, err
	}
	defer c.Close()
	return status.Collect(c, time.Now(), version)
}
