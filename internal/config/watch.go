package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"skaerm/internal/clock"
)

// WatchOptions tunes a [Watcher]. The zero value is ready to use.
type WatchOptions struct {
	// Clock times the debounce; default clock.Real{}.
	Clock clock.Clock
	// Debounce is how long the file must be quiet before it is re-read;
	// default 250ms. Editors save in several steps (write a temp file,
	// rename, chmod); only the settled result is read.
	Debounce time.Duration
	// Logger gets one line per applied or rejected edit; default
	// slog.Default().
	Logger *slog.Logger
	// OnReject, when set, is called from Run's goroutine with each rejected
	// edit's error (the same error LastError returns until a good edit).
	OnReject func(error)
}

// maxSettle bounds the debounce: a file that keeps changing is read at
// least this often.
const maxSettle = 2 * time.Second

// maxAssetDepth is how deep below the assets folder subfolders are watched
// (fonts/, pictograms/ and one level inside them).
const maxAssetDepth = 2

// Watcher follows the configuration file and the assets override folder.
// It watches their directories, because editors replace a file by renaming
// a new one over it, which would end a watch on the file itself.
type Watcher struct {
	path string // cleaned path of the config file
	dir  string // its directory
	opt  WatchOptions

	updates chan Config
	assets  chan struct{}

	mu      sync.Mutex
	cur     Config
	lastErr error

	// Owned by Run's goroutine.
	fw            *fsnotify.Watcher
	assetsDir     string
	assetWatches  map[string]bool
	pendingConfig bool
	pendingAssets bool

	// started, when set (by tests), is closed once the watches are in place.
	started chan struct{}
}

// NewWatcher returns a watcher for the configuration file at path, starting
// from current (the config the caller loaded from it). Nothing is watched
// until Run.
func NewWatcher(path string, current Config, opt WatchOptions) *Watcher {
	if opt.Clock == nil {
		opt.Clock = clock.Real{}
	}
	if opt.Debounce <= 0 {
		opt.Debounce = 250 * time.Millisecond
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	p := filepath.Clean(path)
	return &Watcher{
		path:    p,
		dir:     filepath.Dir(p),
		opt:     opt,
		updates: make(chan Config, 1),
		assets:  make(chan struct{}, 1),
		cur:     current,
	}
}

// Updates delivers each new valid configuration. It holds only the newest:
// a reader that falls behind skips to the latest.
func (w *Watcher) Updates() <-chan Config { return w.updates }

// AssetsChanged receives a value when something in the assets override
// folder changed (or the folder moved because screen.assets_dir changed), so
// the screen reloads its logo, theme, fonts and pictograms and redraws.
// Several changes close together arrive as one.
func (w *Watcher) AssetsChanged() <-chan struct{} { return w.assets }

// Current returns the last good configuration.
func (w *Watcher) Current() Config {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur
}

// LastError returns why the latest edit was rejected (naming the line and
// key), or nil when the file on disk is the configuration in use.
func (w *Watcher) LastError() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastErr
}

// Run watches until ctx is cancelled and then returns nil. It returns an
// error only when watching cannot start or the watch ends unexpectedly.
func (w *Watcher) Run(ctx context.Context) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch config: %w", err)
	}
	defer fw.Close()
	if err := fw.Add(w.dir); err != nil {
		return fmt.Errorf("watch config directory %s: %w", w.dir, err)
	}
	w.fw = fw
	w.assetWatches = map[string]bool{}
	defer func() { w.fw, w.assetWatches = nil, nil }()
	w.watchAssets(w.Current().Screen.AssetsDir)

	// The file may have changed between the caller's Load and the watch.
	w.pendingConfig = true
	w.flush()
	if w.started != nil {
		close(w.started)
	}

	var settle <-chan time.Time
	var firstPending time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return errors.New("watch config: event stream closed")
			}
			if !w.handle(ev) {
				continue
			}
		case err, ok := <-fw.Errors:
			if !ok {
				return errors.New("watch config: event stream closed")
			}
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				w.opt.Logger.Warn("config watch error", "err", err)
				continue
			}
			w.opt.Logger.Warn("config watch overflowed; re-reading everything")
			w.pendingConfig, w.pendingAssets = true, true
			w.watchAssets(w.assetsDir)
		case <-settle:
			settle = nil
			w.flush()
			continue
		}
		// Something relevant changed: wait for the quiet, but not forever.
		now := w.opt.Clock.Now()
		if settle == nil {
			firstPending = now
		}
		if settle == nil || now.Sub(firstPending) < maxSettle {
			settle = w.opt.Clock.After(w.opt.Debounce)
		}
	}
}

// handle records what an event means and reports whether it matters.
func (w *Watcher) handle(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	name := filepath.Clean(ev.Name)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The kernel dropped the watch with the folder; a folder made
		// again under the same name must be watched again.
		delete(w.assetWatches, name)
	}
	relevant := false
	if name == w.path {
		w.pendingConfig = true
		relevant = true
	}
	if w.assetsDir == "" {
		return relevant
	}
	switch {
	case name == w.assetsDir:
		// The folder itself appeared, vanished or was replaced.
		w.watchAssets(w.assetsDir)
		w.pendingAssets = true
		relevant = true
	case strings.HasPrefix(name, w.assetsDir+string(filepath.Separator)):
		if ev.Has(fsnotify.Create) {
			if fi, err := os.Stat(name); err == nil && fi.IsDir() {
				w.addAssetTree(name)
			}
		}
		w.pendingAssets = true
		relevant = true
	}
	return relevant
}

// flush applies what the settled events asked for.
func (w *Watcher) flush() {
	if w.pendingConfig {
		w.pendingConfig = false
		w.reload()
	}
	if w.pendingAssets {
		w.pendingAssets = false
		select {
		case w.assets <- struct{}{}:
		default:
		}
	}
}

// reload reads and validates the file and publishes it if it is good and new.
func (w *Watcher) reload() {
	data, err := os.ReadFile(w.path)
	var c Config
	if err == nil {
		c, err = Parse(w.path, data)
	} else {
		err = fmt.Errorf("read config: %w", err)
	}
	w.mu.Lock()
	if err != nil {
		w.lastErr = err
		w.mu.Unlock()
		w.opt.Logger.Warn("config edit rejected; keeping the last good configuration", "path", w.path, "err", err)
		if w.opt.OnReject != nil {
			w.opt.OnReject(err)
		}
		return
	}
	changed := !reflect.DeepEqual(c, w.cur)
	oldAssets := w.cur.Screen.AssetsDir
	w.cur, w.lastErr = c, nil
	w.mu.Unlock()
	if !changed {
		return
	}
	w.opt.Logger.Info("config applied", "path", w.path)
	for {
		select {
		case w.updates <- c:
			if c.Screen.AssetsDir != oldAssets {
				w.watchAssets(c.Screen.AssetsDir)
				w.pendingAssets = true
			}
			return
		default:
		}
		select { // drop the unread older config
		case <-w.updates:
		default:
		}
	}
}

// watchAssets (re)starts watching the assets folder dir and the folders
// inside it. A missing folder is watched for through its parent, so
// creating it later is noticed.
func (w *Watcher) watchAssets(dir string) {
	for d := range w.assetWatches {
		if d != w.dir {
			_ = w.fw.Remove(d) // gone already when the folder was deleted
		}
		delete(w.assetWatches, d)
	}
	w.assetsDir = filepath.Clean(dir)
	if dir == "" {
		w.assetsDir = ""
		return
	}
	if fi, err := os.Stat(w.assetsDir); err == nil && fi.IsDir() {
		w.addAssetTree(w.assetsDir)
	}
	parent := filepath.Dir(w.assetsDir)
	if parent != w.dir {
		if err := w.fw.Add(parent); err == nil {
			w.assetWatches[parent] = true
		}
	}
}

// addAssetTree watches root and its subfolders down to maxAssetDepth below
// the assets folder.
func (w *Watcher) addAssetTree(root string) {
	base := strings.Count(w.assetsDir, string(filepath.Separator))
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if strings.Count(p, string(filepath.Separator))-base > maxAssetDepth {
			return filepath.SkipDir
		}
		if w.assetWatches[p] {
			return nil
		}
		if err := w.fw.Add(p); err != nil {
			w.opt.Logger.Warn("cannot watch assets folder", "path", p, "err", err)
			return nil
		}
		w.assetWatches[p] = true
		return nil
	})
}
