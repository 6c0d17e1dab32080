package display

import (
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

// ErrNoPairing means Snapshot was asked for the pairing page without a code
// to show (Options.Pairing).
var ErrNoPairing = errors.New("display: the pairing page needs a code to show")

// Snapshot renders one page offscreen at width x height as it looks at the
// instant at, from src. It runs its own Ebitengine loop (a small window), so
// it needs an X display, must be called from the main goroutine (as
// ebiten.RunGame must) and not while a Screen runs.
func Snapshot(src Source, page board.PageID, width, height int, at time.Time, opts Options) (image.Image, error) {
	s, err := newSnapshotScreen(src, at, opts)
	if err != nil {
		return nil, err
	}
	g := &oneShot{fn: func() (image.Image, error) {
		defer s.dispose()
		return s.render(page, width, height)
	}}
	ebiten.SetWindowSize(320, 240)
	ebiten.SetWindowTitle("skaerm snapshot")
	if err := ebiten.RunGame(g); err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", page, err)
	}
	return g.img, g.err
}

func newSnapshotScreen(src Source, at time.Time, opts Options) (*Screen, error) {
	opts.Source = src
	opts.Clock = clock.NewFake(at)
	if opts.NewID == nil {
		opts.NewID = func() string { return "snapshot" }
	}
	return New(opts)
}

// oneShot is a game that runs fn once inside the loop and ends.
type oneShot struct {
	fn  func() (image.Image, error)
	img image.Image
	err error
}

func (o *oneShot) Update() error {
	o.img, o.err = o.fn()
	return ebiten.Termination
}

func (o *oneShot) Draw(*ebiten.Image)         {}
func (o *oneShot) Layout(w, h int) (int, int) { return w, h }

// render reads the source and paints page at w x h at the clock's time. It
// must run inside the game loop.
func (s *Screen) render(page board.PageID, w, h int) (image.Image, error) {
	return s.renderState(layout.State{Page: page}, w, h)
}

// renderState is render for a page in state st: a slot or a face chosen.
func (s *Screen) renderState(st layout.State, w, h int) (image.Image, error) {
	page := st.Page
	if !page.Valid() {
		return nil, fmt.Errorf("snapshot: %w %q", board.ErrUnknownPage, page)
	}
	if w <= 0 || h <= 0 || w > 8192 || h > 8192 {
		return nil, fmt.Errorf("snapshot size %dx%d: out of range", w, h)
	}
	now := s.clk.Now()
	if page.Is(board.PagePairing) && !s.pairingNow().OK {
		return nil, ErrNoPairing
	}
	s.load()
	s.game = s.newGame(now)
	s.game.Resize(w, h)
	if s.login != nil {
		s.step(now, nil) // take the login's state first: a session opens Min side
	}
	s.game.ShowState(st, now)
	s.step(now, nil)
	return readFrame(s.frame), nil
}

// dispose frees the screen's images (inside the game loop).
func (s *Screen) dispose() {
	s.paint.dispose()
	s.paint.forget()
	if s.frame != nil {
		s.frame.Deallocate()
		s.frame = nil
	}
}
