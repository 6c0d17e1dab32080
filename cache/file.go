package cache

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile is the one way the screen writes a file beside its cache (the
// status report, what the voice has announced) or its token: whole or not
// at all. It writes a temporary file in the same folder with mode perm,
// renames it over path, and never leaves the temporary file behind; a
// reader sees the old content or the new, never a part. With durable, the
// file and then its folder are synced before WriteFile returns, so that a
// power cut after it keeps the new content; without, a power cut may bring
// back the old (for what is written again within seconds, and would cost
// the SD card a journal commit each time).
func WriteFile(path string, data []byte, perm os.FileMode, durable bool) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if durable {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("write %s: sync: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if !durable {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("write %s: sync the folder: %w", path, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("write %s: sync the folder: %w", path, err)
	}
	return nil
}
