package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Purge removes the cache file at path and everything it left beside it (a
// half-made path.compact, corrupt files moved aside as path.corrupt-*), for
// a screen being taken down. Other files in the directory stay. It fails
// with ErrLocked, removing nothing, while a process has the cache open.
func Purge(path string) error {
	if path == "" {
		return errors.New("purge cache: no path")
	}
	f, err := os.Open(path)
	switch {
	case err == nil:
		defer f.Close()
		if err := tryLock(f); err != nil {
			return fmt.Errorf("purge cache %s: another skaerm process holds the file; stop it first: %w", path, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("purge cache %s: %w", path, err)
	}

	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	doomed := []string{path, path + ".compact"}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("purge cache %s: %w", path, err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), base+".corrupt-") {
			doomed = append(doomed, filepath.Join(dir, e.Name()))
		}
	}
	var errs []error
	for _, p := range doomed {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(entries) > 0 {
		if err := syncDir(dir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("purge cache %s: %w", path, err)
	}
	return nil
}

// KeepCorrupt is how long a corrupt cache file moved aside is kept for a
// technician to look at. It holds names like any cache, so it is not kept
// longer than a board's own window.
const KeepCorrupt = 7 * 24 * time.Hour

// dropOldCorrupt removes corrupt files moved aside more than KeepCorrupt
// ago (by their time of moving, in their name), and says so in the log.
func (c *Cache) dropOldCorrupt() {
	dir, base := filepath.Split(c.path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := base + ".corrupt-"
	now := c.clock.Now()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		const layout = "20060102T150405Z" // path.corrupt-<time>[-2]
		stamp := strings.TrimPrefix(name, prefix)
		if len(stamp) < len(layout) {
			continue
		}
		at, err := time.Parse(layout, stamp[:len(layout)])
		if err != nil || now.Sub(at) < KeepCorrupt {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.Remove(p); err != nil {
			c.log.Warn("cannot remove an old corrupt cache file", "path", p, "err", err)
			continue
		}
		c.log.Info("removed a corrupt cache file moved aside more than a week ago", "path", p)
	}
}
