package config

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"skaerm/internal/clock"
	"strings"
	"testing"
	"time"

	"skaerm/internal/testkit/wait"
)

// patience bounds how long a test waits for a file event; events normally
// arrive within milliseconds.
const patience = 10 * time.Second

type watchRig struct {
	dir, path, assets string
	w                 *Watcher
	rejects           chan error
	stop              func()
}

func fileWith(poll, assetsDir string) string {
	return minimal + "[sync]\npoll_interval = \"" + poll + "\"\n[screen]\nassets_dir = \"" + assetsDir + "\"\n"
}

// startWatcher writes a valid config (poll_interval 5m) in a fresh folder
// and runs a watcher on it until the test ends.
func startWatcher(t *testing.T) *watchRig {
	t.Helper()
	dir := t.TempDir()
	r := &watchRig{
		dir:     dir,
		path:    filepath.Join(dir, "config.toml"),
		assets:  filepath.Join(dir, "assets"),
		rejects: make(chan error, 32),
	}
	writeFile(t, r.path, fileWith("5m", r.assets))
	c, err := Load(r.path)
	if err != nil {
		t.Fatal(err)
	}
	r.w = NewWatcher(r.path, c, WatchOptions{Clock: clock.Real{},
		Debounce: 20 * time.Millisecond,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnReject: func(err error) { r.rejects <- err },
	})
	r.w.started = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.w.Run(ctx) }()
	select {
	case <-r.w.started:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	r.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(func() {
		if r.stop != nil {
			r.stop()
		}
	})
	return r
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// nextUpdate waits for a published config with the given poll interval.
func (r *watchRig) nextUpdate(t *testing.T, poll time.Duration) Config {
	t.Helper()
	deadline := time.After(patience)
	for {
		select {
		case c := <-r.w.Updates():
			if c.Sync.PollInterval.D() == poll {
				return c
			}
		case <-deadline:
			t.Fatalf("no update with poll_interval %s (last error %v)", poll, r.w.LastError())
		}
	}
}

func (r *watchRig) nextReject(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.rejects:
		return err
	case <-time.After(patience):
		t.Fatal("bad edit was not reported")
		return nil
	}
}

func (r *watchRig) assetsChanged(t *testing.T) {
	t.Helper()
	select {
	case <-r.w.AssetsChanged():
	case <-time.After(patience):
		t.Fatal("no assets-changed notification")
	}
}

func TestWatchAppliesEdits(t *testing.T) {
	tests := []struct {
		name string
		save func(t *testing.T, r *watchRig, content string)
	}{
		{"truncate and write", func(t *testing.T, r *watchRig, content string) {
			writeFile(t, r.path, content)
		}},
		{"write temp and rename over", func(t *testing.T, r *watchRig, content string) {
			tmp := filepath.Join(r.dir, ".config.toml.tmp")
			writeFile(t, tmp, content)
			if err := os.Rename(tmp, r.path); err != nil {
				t.Fatal(err)
			}
		}},
		{"vim: move to backup, write new, delete backup", func(t *testing.T, r *watchRig, content string) {
			backup := r.path + "~"
			if err := os.Rename(r.path, backup); err != nil {
				t.Fatal(err)
			}
			writeFile(t, r.path, content)
			if err := os.Remove(backup); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncate, then write in a second step", func(t *testing.T, r *watchRig, content string) {
			f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			half := len(content) / 2
			if _, err := f.WriteString(content[:half]); err != nil {
				t.Fatal(err)
			}
			if err := f.Sync(); err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(content[half:]); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := startWatcher(t)
			tt.save(t, r, fileWith("2m", r.assets))
			c := r.nextUpdate(t, 2*time.Minute)
			if got := r.w.Current(); got.Sync.PollInterval != c.Sync.PollInterval {
				t.Errorf("Current() = %s, want the published 2m", got.Sync.PollInterval)
			}
			// A second edit applies too: the watch survived the save.
			tt.save(t, r, fileWith("7m", r.assets))
			r.nextUpdate(t, 7*time.Minute)
			if err := r.w.LastError(); err != nil {
				t.Errorf("LastError() = %v after a good edit", err)
			}
		})
	}
}

func TestWatchBadEditKeepsLastGood(t *testing.T) {
	r := startWatcher(t)
	bad := strings.Replace(fileWith("5m", r.assets), `poll_interval = "5m"`, `poll_interval = "5 minuts"`, 1)
	writeFile(t, r.path, bad)
	err := r.nextReject(t)
	if !strings.HasPrefix(err.Error(), r.path+`:4: sync.poll_interval: "5 minuts" is not a duration`) {
		t.Errorf("reported %q", err)
	}
	if !errors.Is(r.w.LastError(), ErrInvalid) || r.w.LastError().Error() != err.Error() {
		t.Errorf("LastError() = %v, want %v", r.w.LastError(), err)
	}
	if got := r.w.Current().Sync.PollInterval.D(); got != 5*time.Minute {
		t.Errorf("Current() poll_interval = %s, want the last good 5m", got)
	}
	select {
	case c := <-r.w.Updates():
		t.Errorf("published %+v from a bad file", c)
	default:
	}

	writeFile(t, r.path, minimal+"[sync]\npoll_intervall = \"1m\"\n")
	if err := r.nextReject(t); err.Error() != r.path+":4: sync.poll_intervall: unknown key (did you mean sync.poll_interval?)" {
		t.Errorf("reported %q", err)
	}

	writeFile(t, r.path, fileWith("3m", r.assets))
	r.nextUpdate(t, 3*time.Minute)
	if err := r.w.LastError(); err != nil {
		t.Errorf("LastError() = %v after the fix", err)
	}
}

func TestWatchIgnoresOtherFiles(t *testing.T) {
	r := startWatcher(t)
	writeFile(t, filepath.Join(r.dir, "other.toml"), "not = [toml")
	// A good edit after the noise is the next thing seen: the noise caused
	// neither a rejection nor an update.
	writeFile(t, r.path, fileWith("4m", r.assets))
	r.nextUpdate(t, 4*time.Minute)
	select {
	case err := <-r.rejects:
		t.Errorf("another file's content was judged: %v", err)
	default:
	}
}

func TestWatchAssets(t *testing.T) {
	r := startWatcher(t)
	// The assets folder does not exist yet; creating it is noticed.
	if err := os.MkdirAll(filepath.Join(r.assets, "fonts"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.assetsChanged(t)

	writeFile(t, filepath.Join(r.assets, "logo.png"), "png")
	r.assetsChanged(t)

	writeFile(t, filepath.Join(r.assets, "fonts", "Atkinson.woff"), "font")
	r.assetsChanged(t)

	// A subfolder made while running is watched too.
	pict := filepath.Join(r.assets, "pictograms")
	if err := os.Mkdir(pict, 0o755); err != nil {
		t.Fatal(err)
	}
	r.assetsChanged(t)
	writeFile(t, filepath.Join(pict, "games.png"), "png")
	r.assetsChanged(t)

	// A subfolder deleted and made again is watched again.
	if err := os.RemoveAll(pict); err != nil {
		t.Fatal(err)
	}
	r.assetsChanged(t)
	if err := os.Mkdir(pict, 0o755); err != nil {
		t.Fatal(err)
	}
	r.assetsChanged(t)
	writeFile(t, filepath.Join(pict, "walk.png"), "png")
	r.assetsChanged(t)

	// Pointing screen.assets_dir elsewhere moves the watch and notifies.
	other := filepath.Join(r.dir, "assets2")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, r.path, fileWith("6m", other))
	r.nextUpdate(t, 6*time.Minute)
	r.assetsChanged(t)
	writeFile(t, filepath.Join(other, "theme.toml"), "background = \"#000000\"\n")
	r.assetsChanged(t)
}

func TestWatchLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	r := startWatcher(t)
	writeFile(t, r.path, fileWith("2m", r.assets))
	r.nextUpdate(t, 2*time.Minute)
	r.stop()
	r.stop = nil
	if !wait.For(func() bool { return runtime.NumGoroutine() <= before }, patience) {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after stop, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
	}
}

func TestWatchMissingDirectory(t *testing.T) {
	w := NewWatcher(filepath.Join(t.TempDir(), "nope", "config.toml"), Default(), WatchOptions{Clock: clock.Real{}})
	if err := w.Run(context.Background()); err == nil {
		t.Error("Run on a missing directory returned nil")
	}
}

// The voice's settings apply without a restart, like the rest: an edit of
// [audio] is published, and a bad one keeps the last good volume.
func TestWatchAppliesAudio(t *testing.T) {
	r := startWatcher(t)
	if got := r.w.Current().Audio; got.Volume != 80 || got.Announcements != AnnouncementsFollowBackend {
		t.Fatalf("before the edit: %+v", got)
	}
	base := fileWith("5m", r.assets)
	writeFile(t, r.path, base+"[audio]\nvolume = 60\nnight_volume = 10\nannouncements = \"off\"\n")
	deadline := time.After(patience)
	for r.w.Current().Audio.Volume != 60 {
		select {
		case <-r.w.Updates():
		case <-deadline:
			t.Fatalf("the audio edit was not published (last error %v)", r.w.LastError())
		}
	}
	if got := r.w.Current().Audio; got.NightVolume != 10 || got.Announcements != AnnouncementsOff {
		t.Errorf("after the edit: %+v", got)
	}
	writeFile(t, r.path, base+"[audio]\nvolume = 600\n")
	if err := r.nextReject(t); !strings.Contains(err.Error(), "audio.volume") {
		t.Errorf("reject = %v", err)
	}
	if got := r.w.Current().Audio.Volume; got != 60 {
		t.Errorf("after a bad edit the volume is %d, want the last good 60", got)
	}
}
