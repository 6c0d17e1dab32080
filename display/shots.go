package display

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"skaerm/board"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// shotRequest asks the game loop for the current frame.
type shotRequest struct {
	reply chan shotReply
}

type shotReply struct {
	img *image.RGBA
	err error
}

// Screenshot returns a PNG of what the screen shows now. It is safe to call
// from any goroutine while Run runs.
func (s *Screen) Screenshot(ctx context.Context) ([]byte, error) {
	req := shotRequest{reply: make(chan shotReply, 1)}
	select {
	case s.shots <- req:
	case <-ctx.Done():
		return nil, fmt.Errorf("screenshot: %w", ctx.Err())
	}
	ebiten.ScheduleFrame() // the loop may be asleep
	var rep shotReply
	select {
	case rep = <-req.reply:
	case <-ctx.Done():
		return nil, fmt.Errorf("screenshot: %w", ctx.Err())
	}
	if rep.err != nil {
		return nil, rep.err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, rep.img); err != nil {
		return nil, fmt.Errorf("encode screenshot: %w", err)
	}
	return buf.Bytes(), nil
}

// serveShots answers Screenshot with what src shows (inside Draw).
func (s *Screen) serveShots(src *ebiten.Image) {
	for {
		select {
		case req := <-s.shots:
			if s.game.Page() == nil {
				req.reply <- shotReply{err: ErrNotRunning}
				continue
			}
			img := readFrame(src)
			maskPrivate(img, s.game.Page()) // a resident's own page stays on the screen
			req.reply <- shotReply{img: img}
		default:
			return
		}
	}
}

// readFrame copies an image's pixels out (inside the game loop only). The
// pages are opaque, so premultiplied and straight alpha are the same.
func readFrame(img *ebiten.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	img.ReadPixels(out.Pix)
	return out
}

// saveShot writes the new page, as painted on src, to ShotsDir, at most
// one per 5 s.
func (s *Screen) saveShot(now time.Time, src *ebiten.Image) {
	if s.opts.ShotsDir == "" || (!s.lastShot.IsZero() && now.Sub(s.lastShot) < shotsEvery) {
		return
	}
	s.lastShot = now
	img := readFrame(src)
	maskPrivate(img, s.game.Page())
	name := fmt.Sprintf("%s-%s.png", now.UTC().Format("20060102T150405Z"), shotName(s.game.Page().ID))
	path := filepath.Join(s.opts.ShotsDir, name)
	s.writers.Add(1)
	go func() {
		defer s.writers.Done()
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			s.log.Warn("encode page shot", "err", err)
			return
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			s.log.Warn("write page shot", "path", path, "err", err)
		}
	}()
}

// shotName is the file name part for a page: "today", "activity-a1".
func shotName(p board.PageID) string {
	return strings.NewReplacer("/", "-", " ", "_", string(os.PathSeparator), "-").Replace(p.String())
}
