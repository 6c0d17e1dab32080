package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
