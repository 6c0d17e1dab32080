package display

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos and pictograms may be JPEG
	_ "image/png"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"skaerm/display/layout"
)

// Limits on the pictures a care home puts in its assets override folder.
const (
	maxAssetBytes = 4 << 20
	maxAssetSide  = 4096
)

// readAssets reads the override pictures from dir: logo.png (or .jpg) and
// pictograms/<name>.png, keyed by layout.LogoKey and layout.PictogramKey. A
// picture that is missing, too large or unreadable is logged and skipped:
// the screen draws its own instead.
func readAssets(dir string, log *slog.Logger) map[string]*still {
	out := map[string]*still{}
	if dir == "" {
		return out
	}
	for _, name := range []string{"logo.png", "logo.jpg"} {
		if img, err := readAsset(filepath.Join(dir, name)); err == nil {
			out[layout.LogoKey] = decodedStill(img)
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("assets: logo skipped", "file", name, "err", err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "pictograms"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Warn("assets: pictograms unreadable", "err", err)
	}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".png" && ext != ".jpg") {
			continue
		}
		img, err := readAsset(filepath.Join(dir, "pictograms", e.Name()))
		if err != nil {
			log.Warn("assets: pictogram skipped", "file", e.Name(), "err", err)
			continue
		}
		out[layout.PictogramKey(strings.TrimSuffix(e.Name(), filepath.Ext(e.Name())))] = decodedStill(img)
	}
	return out
}

// readAsset checks a picture's size and dimensions before decoding it.
func readAsset(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAssetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxAssetBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxAssetBytes)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s is not a PNG or JPEG picture: %w", path, err)
	}
	if cfg.Width > maxAssetSide || cfg.Height > maxAssetSide || cfg.Width == 0 || cfg.Height == 0 {
		return nil, fmt.Errorf("%s is %dx%d; at most %d pixels a side", path, cfg.Width, cfg.Height, maxAssetSide)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return img, nil
}

// ReloadAssets reads the assets override folder again and redraws; safe
// from any goroutine (the configuration watcher calls it on a change).
func (s *Screen) ReloadAssets() {
	s.assetsStale.Store(true)
	select {
	case s.changed <- struct{}{}:
	default:
	}
}
