package reliability

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"skaerm/internal/clock"
	"syscall"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/cache"
	"skaerm/sync"
)

// mountTmpfs mounts a tmpfs of size bytes on a fresh directory, or skips the
// test saying why (a sandbox without CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): the full-disk case is not simulated", err)
	}
	t.Cleanup(func() { unmount(t, dir) })
	return dir
}

// bindReadOnly bind-mounts dir onto itself and makes the bind read-only;
// the returned func makes it writable again.
func bindReadOnly(t *testing.T, dir string) (writable func()) {
	t.Helper()
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot bind-mount here (%v): the read-only case is not simulated", err)
	}
	t.Cleanup(func() { unmount(t, dir) })
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot make the bind mount read-only (%v)", err)
	}
	return func() {
		if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_BIND, ""); err != nil {
			t.Fatalf("remount read-write: %v", err)
		}
	}
}

func unmount(t *testing.T, dir string) {
	if err := syscall.Unmount(dir, 0); err != nil {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	}
}

// fill writes a file until the filesystem is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create filler: %v", err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill: %v", err)
			}
			return path
		}
	}
}

// diskRig is a backend, a cache in dir and a syncer, after a first good sync.
type diskRig struct {
	admin  backend.Admin
	url    string
	path   string
	c      *cache.Cache
	s      *sync.Syncer
	edits  int
	t      *testing.T
	closed bool
}

func newDiskRig(t *testing.T, dir string) *diskRig {
	t.Helper()
	run, admin := startBackend(t)
	r := &diskRig{admin: admin, url: run.URL, path: filepath.Join(dir, "cache.db"), t: t}
	r.open()
	t.Cleanup(func() { r.close() })
	if _, err := r.s.SyncOnce(context.Background()); err != nil {
		t.Fatalf("first sync: %v", err)
	}
	return r
}

func (r *diskRig) open() {
	c, err := cache.Open(r.path, cache.Options{Clock: clock.Real{}, Timeout: time.Second})
	if err != nil {
		r.t.Fatalf("open cache: %v", err)
	}
	s, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: r.url, Token: "T", Cache: c, Version: "disk"})
	if err != nil {
		r.t.Fatal(err)
	}
	r.c, r.s, r.closed = c, s, false
}

func (r *diskRig) close() {
	if !r.closed {
		r.c.Close()
		r.closed = true
	}
}

// change renames a resident and adds a picture, so the next sync must write
// a new board, compact away the old name and store a medium.
func (r *diskRig) change() {
	r.t.Helper()
	r.edits++
	ctx := ctxFor(r.t)
	profiles, err := r.admin.Profiles(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	img, err := r.admin.PutMedia(ctx, "image/png", picture(r.t, 300+r.edits, 200, 200))
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range profiles {
		if p.Kind == backend.KindResident && p.VisibleOnScreen && !p.Anonymized && p.DepartmentID == "d1" {
			patch := map[string]any{"first_name": fmt.Sprintf("Disk%d", r.edits), "avatar": img}
			if err := r.admin.UpdateProfile(ctx, p.ID, patch); err != nil {
				r.t.Fatal(err)
			}
			return
		}
	}
}

func (r *diskRig) generation() uint64 {
	m, err := r.c.Meta()
	if err != nil {
		r.t.Fatalf("meta: %v", err)
	}
	return m.Generation
}

// TestDiskFull puts the cache on a small tmpfs, fills the filesystem and
// syncs a changed board: no crash, a clear error naming the cause, the last
// board still readable (also after a restart on the full disk), and the
// next sync succeeds once space returns.
func TestDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "16m")
	r := newDiskRig(t, dir)
	var rows []faultRow

	// The first sync after a change, with no space left.
	gen := r.generation()
	r.change()
	filler := fill(t, dir)
	res, err := r.s.SyncOnce(context.Background())
	b, berr := r.c.Board()
	outcome := fmt.Sprintf("board readable (generation %d -> %d), %d media failed", gen, r.generation(), res.MediaFailed)
	switch {
	case berr != nil:
		t.Errorf("full disk: the board is no longer readable: %v", berr)
		outcome = "BOARD LOST"
	case err == nil && res.MediaFailed == 0:
		t.Errorf("full disk: the sync claims success with no space left")
	case err != nil && !errors.Is(err, syscall.ENOSPC):
		t.Errorf("full disk: error does not name the cause: %v", err)
	case len(b.Profiles) == 0:
		t.Error("full disk: an empty board")
	}
	rows = append(rows, faultRow{"sync a changed board, disk full", outcome, errText(err)})

	// The screen restarts while the disk is still full.
	r.close()
	c, err := cache.Open(r.path, cache.Options{Clock: clock.Real{}, Timeout: time.Second})
	outcome = "opens, board readable"
	if err != nil {
		outcome = "DOES NOT OPEN"
		t.Errorf("full disk: cache does not open after a restart: %v", err)
	} else {
		if _, err := c.Board(); err != nil {
			outcome = "BOARD LOST"
			t.Errorf("full disk: board after a restart: %v", err)
		}
		c.Close()
	}
	rows = append(rows, faultRow{"restart with the disk full", outcome, errText(err)})
	r.open()

	// Space returns.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	gen = r.generation()
	res, err = r.s.SyncOnce(context.Background())
	outcome = fmt.Sprintf("new board stored (generation %d -> %d), %d media fetched", gen, r.generation(), res.MediaFetched)
	if err != nil || r.generation() <= gen && !res.NotModified {
		t.Errorf("space back: sync %v, generation %d -> %d", err, gen, r.generation())
		outcome = "NOT RECOVERED: " + outcome
	}
	if m, _ := r.c.Meta(); m.Recovered != "" {
		t.Errorf("full disk: the cache was found corrupt and moved to %s", m.Recovered)
	}
	rows = append(rows, faultRow{"space freed, next sync", outcome, errText(err)})

	text := "disk full (cache on a 16 MiB tmpfs, filled to the last byte):\n" + renderRows(rows)
	t.Log("\n" + text)
	appendOut(t, "disk.txt", text)
}

// TestDiskReadOnly puts the cache directory behind a read-only bind mount
// (root ignores file modes, so chmod would prove nothing): once while the
// screen runs (an SD card that the kernel remounts read-only after errors)
// and once at start.
func TestDiskReadOnly(t *testing.T) {
	dir := t.TempDir()
	r := newDiskRig(t, dir)
	var rows []faultRow

	gen := r.generation()
	r.change()
	writable := bindReadOnly(t, dir)
	_, err := r.s.SyncOnce(context.Background())
	outcome := fmt.Sprintf("board readable (generation %d -> %d)", gen, r.generation())
	if _, berr := r.c.Board(); berr != nil {
		outcome = "BOARD LOST"
		t.Errorf("read-only: board no longer readable: %v", berr)
	}
	// The bind mount stops new files and renames under the directory; the
	// cache file opened before it still takes writes through its old
	// descriptor, so the board commit may land and only the compaction
	// (a new file and a rename) fail. Either way the error must say why.
	if err == nil || !errors.Is(err, syscall.EROFS) {
		t.Errorf("read-only: sync error %v, want one naming the read-only file system", err)
	}
	rows = append(rows, faultRow{"filesystem turns read-only while running", outcome, errText(err)})

	// A restart while it is read-only: the writable open fails clearly, a
	// read-only open (what `skaerm status` uses) still reads the board.
	r.close()
	_, err = cache.Open(r.path, cache.Options{Clock: clock.Real{}, Timeout: time.Second})
	outcome = "writable open refused"
	if err == nil || !errors.Is(err, syscall.EROFS) {
		t.Errorf("read-only: writable open gave %v, want an error naming the read-only file system", err)
		outcome = "UNEXPECTED: " + outcome
	}
	rows = append(rows, faultRow{"restart on a read-only filesystem (writable open)", outcome, errText(err)})
	ro, err := cache.Open(r.path, cache.Options{Clock: clock.Real{}, Timeout: time.Second, ReadOnly: true})
	outcome = "read-only open reads the board"
	if err != nil {
		outcome = "READ-ONLY OPEN FAILED"
		t.Errorf("read-only: read-only open: %v", err)
	} else {
		if _, err := ro.Board(); err != nil {
			outcome = "BOARD LOST"
			t.Errorf("read-only: board through a read-only open: %v", err)
		}
		ro.Close()
	}
	rows = append(rows, faultRow{"restart on a read-only filesystem (read-only open)", outcome, errText(err)})

	writable()
	r.open()
	if m, _ := r.c.Meta(); m.Recovered != "" {
		t.Errorf("read-only: the cache was found corrupt and moved to %s", m.Recovered)
	}
	gen = r.generation()
	r.change()
	_, err = r.s.SyncOnce(context.Background())
	outcome = fmt.Sprintf("new board stored (generation %d -> %d)", gen, r.generation())
	if err != nil || r.generation() != gen+1 {
		t.Errorf("writable again: sync %v, generation %d -> %d", err, gen, r.generation())
		outcome = "NOT RECOVERED: " + outcome
	}
	rows = append(rows, faultRow{"writable again, next sync", outcome, errText(err)})

	text := "read-only filesystem (read-only bind mount over the cache directory):\n" + renderRows(rows)
	t.Log("\n" + text)
	appendOut(t, "disk.txt", text)
}

// appendOut adds text to one of the script's summary files.
func appendOut(t *testing.T, name, text string) {
	t.Helper()
	dir := os.Getenv("SKAERM_RELIABILITY_OUT")
	if dir == "" {
		return
	}
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Errorf("write %s: %v", name, err)
		return
	}
	defer f.Close()
	fmt.Fprintln(f, text)
}
