package display

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"skaerm/assets"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

// Source is what the Screen reads: the local cache. *cache.Cache is one.
type Source interface {
	Board() (*board.Board, error)      // cache.ErrNoBoard before the first sync
	Meta() (cache.Meta, error)         // LastSync etc. (offline badge)
	Media(hash string) ([]byte, error) // encoded PNG/JPEG thumbnail
	Outbox() ([]board.Signup, error)   // pending/refused sign-ups made on this screen
	Enqueue(board.Signup) error        // a confirmed sign-up or cancellation
	Subscribe() (<-chan struct{}, func())
}

var _ Source = (*cache.Cache)(nil)

// Options configure a Screen.
type Options struct {
	Source Source
	Clock  clock.Clock
	Logger *slog.Logger
	// Locale is one of words.Codes(); "" for the department's.
	Locale string
	// Pairing reports whether the screen is waiting to be paired, and the
	// code and address to show meanwhile.
	Pairing func() (userCode, verificationURI string, ok bool)
	// PairingChanged, when set, carries a value after what Pairing reports
	// has changed; the loop then sleeps until the change instead of asking
	// Pairing every 2 seconds.
	PairingChanged <-chan struct{}
	// IdleAfter is how long without a touch before the slideshow (default 3 min).
	IdleAfter time.Duration
	// OfflineAfter is how old the last sync may be before the page says
	// when it was last updated (default 15 min).
	OfflineAfter time.Duration
	// NewID makes the ids of sign-ups (UUIDs).
	NewID      func() string
	Fullscreen bool
	// ShotsDir, when set, receives a PNG of each newly drawn page, at most
	// one per 5 s.
	ShotsDir string
	// Heartbeat, when set, is called at the start of every Update: the
	// service watchdog is fed from it, so a frozen loop gets restarted.
	Heartbeat func()
	// Blank, when set, reports whether the display should be dark (night,
	// or nobody near); the screen then draws black.
	Blank func() bool
	// OnTouch, when set, is called for every press on the screen, before
	// the page acts on it (the display power controller wakes on it).
	OnTouch func()
	// Night, when set, reports whether a display lit again at t shows the
	// night page rather than the board (the power controller's Night).
	Night func(t time.Time) bool
	// OnFullBoard, when set, is called when a resident on the night page
	// asks for the day's board (the power controller keeps it lit longer).
	OnFullBoard func()
	// AssetsDir is the care home's override folder: logo.png shown in the
	// header, pictograms/<name>.png drawn instead of the built-in
	// pictograms. "" for none.
	AssetsDir string
	// DayKnown, when set, reports whether the clock can be trusted to name
	// today. While it cannot, the screen shows the cached board on the day
	// it was made and says the clock is not set, instead of claiming a day.
	DayKnown func() bool
	// Voice, when set, reads cards aloud when their speaker button is
	// tapped (the screen's is internal/voice/aloud's Voice). Its calls must
	// not wait: the game loop makes them.
	Voice Voice
	// Login, when set, is the personal login ("Min side"): the header
	// offers "Log ind" and the screen shows the resident's own page.
	Login Login
}

// Voice reads cards aloud, one at a time.
type Voice interface {
	Read(board.Card)
	Stop()
	// Speaking is the key of the card being read, "" when silent.
	Speaking() string
}

// Errors callers branch on.
var (
	// ErrNoSource means Options.Source was nil.
	ErrNoSource = errors.New("display: no source")
	// ErrNotRunning means a screenshot was asked for while no frame can be drawn.
	ErrNotRunning = errors.New("display: the screen is not running")
)

const (
	shotsEvery  = 5 * time.Second
	pairingPoll = 2 * time.Second
	writesQueue = 16 // sign-ups waiting for the disk before a new one is refused
)

// Screen is the running screen: the Ebitengine adapter around the game state
// (display/internal/game). It implements ebiten.Game.
type Screen struct {
	opts  Options
	src   Source
	clk   clock.Clock
	log   *slog.Logger
	meas  *layout.FontMeasurer
	paint *painter

	snap        atomic.Pointer[snapshot] // published by the loader
	changed     chan struct{}            // loader: read the source again
	woken       atomic.Bool              // Wake was called
	deadline    atomic.Int64             // next timer the loop wants, unix nanos
	replan      chan struct{}            // the ticker should look at deadline again
	schedule    func()                   // the ticker's wake-up: ebiten.ScheduleFrame
	shots       chan shotRequest
	stopped     atomic.Bool
	tune        atomic.Pointer[Tuning]
	assetsStale atomic.Bool // the assets folder changed: read it again
	writers     sync.WaitGroup
	presses     pressQueue                // from the X server, when it can tell
	textures    atomic.Pointer[Footprint] // the painter's, as of its last paint
	outbox      outboxWriter
	writeWait   time.Duration                // writeWait; a test of a loaded machine may give more
	page        atomic.Pointer[board.PageID] // the page on screen, for the status report
	login       *loginPort                   // nil without Options.Login

	// Owned by the game goroutine.
	game     *game.Game
	shown    *snapshot     // the snapshot the game's reading came from
	frame    *ebiten.Image // offscreen page (tests, snapshots); nil while running
	direct   bool          // running: paint straight onto the screen in Draw
	paintDue bool          // built, waiting for Draw to paint it (direct)
	paintAt  time.Time
	lastShot time.Time
	cursorX  int // where Ebitengine last saw the pointer
	cursorY  int
}

// New makes a Screen. It parses the fonts and starts nothing.
func New(opts Options) (*Screen, error) {
	if opts.Source == nil {
		return nil, ErrNoSource
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.IdleAfter <= 0 {
		opts.IdleAfter = 3 * time.Minute
	}
	if opts.OfflineAfter <= 0 {
		opts.OfflineAfter = 15 * time.Minute
	}
	if opts.NewID == nil {
		return nil, errors.New("display: Options.NewID is required to make sign-ups")
	}
	meas, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		return nil, fmt.Errorf("load fonts: %w", err)
	}
	reg, err := text.NewGoTextFaceSource(bytes.NewReader(assets.FontRegular))
	if err != nil {
		return nil, fmt.Errorf("load regular font: %w", err)
	}
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(assets.FontBold))
	if err != nil {
		return nil, fmt.Errorf("load bold font: %w", err)
	}
	s := &Screen{
		opts:      opts,
		src:       opts.Source,
		clk:       opts.Clock,
		writeWait: writeWait,
		log:       opts.Logger,
		meas:      meas,
		paint:     newPainter(reg, bold),
		changed:   make(chan struct{}, 1),
		replan:    make(chan struct{}, 1),
		shots:     make(chan shotRequest, 4),

		schedule: ebiten.ScheduleFrame,
	}
	s.outbox.src = opts.Source
	s.login = newLoginPort(opts.Login)
	s.paint.onBroken = func(key string, err error) {
		s.log.Warn("picture not drawn", "media", key, "err", err)
	}
	s.game = s.newGame(s.clk.Now())
	return s, nil
}

// newGame is a fresh game state on the today page, last touched at now.
func (s *Screen) newGame(now time.Time) *game.Game {
	o := s.opts
	return game.New(game.Config{
		Measurer: s.meas, Log: o.Logger, Locale: o.Locale,
		IdleAfter: o.IdleAfter, OfflineAfter: o.OfflineAfter,
		NewID: o.NewID, OnTouch: o.OnTouch, OnFullBoard: o.OnFullBoard,
	}, now)
}

// Run shows the screen until ctx ends or the window is closed.
func (s *Screen) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ebiten.SetWindowTitle("skaerm")
	ebiten.SetWindowSize(1280, 720)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetFullscreen(s.opts.Fullscreen)
	if s.opts.Fullscreen {
		ebiten.SetCursorMode(ebiten.CursorModeHidden)
	}
	ebiten.SetScreenClearedEveryFrame(false)
	//lint:ignore SA1019 FPSModeVsyncOffMinimum is the mode that sleeps until input or ScheduleFrame.
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	// One Update per frame, and frames only when woken: a frame Ebitengine
	// draws because of an event or ScheduleFrame always reaches Update (with
	// a fixed tick rate a wake-up soon after a tick would not, and the taps
	// it brought would wait for the next one).
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetRunnableOnUnfocused(true)

	s.load() // the first frame shows the cache as it is
	s.game.Touch(s.clk.Now())
	s.direct = true
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); s.loader(ctx) }()
	go func() { defer wg.Done(); s.ticker(ctx) }()
	// The writer outlives the loop: what the last turn handed over is
	// written before Run returns.
	wctx, stopWriter := context.WithCancel(context.WithoutCancel(ctx))
	go func() { defer wg.Done(); s.outbox.run(wctx, s.written) }()
	if s.login != nil {
		wg.Add(1)
		go func() { defer wg.Done(); s.login.run(ctx) }()
	}
	if x, err := openPresses(); err != nil {
		s.log.Warn("taps read from the sampled mouse state: a very short tap may be lost", "err", err)
	} else {
		s.presses.signal = make(chan struct{}, 1)
		s.presses.on.Store(true)
		wg.Add(1)
		go func() { defer wg.Done(); x.run(ctx, s.presses.push(s.clk)) }()
	}
	go func() {
		<-ctx.Done()
		s.stopped.Store(true)
		ebiten.ScheduleFrame()
	}()
	err := ebiten.RunGame(s)
	cancel()
	stopWriter()
	wg.Wait()
	s.writers.Wait()
	if err != nil {
		return fmt.Errorf("run screen: %w", err)
	}
	return nil
}

// Tuning is what a configuration edit may change while the screen runs.
type Tuning struct {
	Locale                  string
	IdleAfter, OfflineAfter time.Duration
}

// Retune applies new settings from the next loop turn on; safe from any
// goroutine. Zero durations keep the current ones.
func (s *Screen) Retune(t Tuning) {
	s.tune.Store(&t)
	ebiten.ScheduleFrame()
}

// Poke makes the loop turn once without changing anything, so its
// Heartbeat shows it is alive; safe from any goroutine.
func (s *Screen) Poke() { ebiten.ScheduleFrame() }

// Wake leaves the slideshow and redraws: a motion sensor saw someone.
func (s *Screen) Wake() {
	s.woken.Store(true)
	ebiten.ScheduleFrame()
}

// written is called by the outbox writer when a sign-up is stored (or not);
// taken: a turn of the loop waiting for it has taken the outcome already.
func (s *Screen) written(w game.Written, taken bool) {
	if w.Err == nil {
		select {
		case s.changed <- struct{}{}: // the loader reads the outbox again
		default:
		}
	}
	if !taken {
		ebiten.ScheduleFrame()
	}
}

// Page is the page the screen shows now (ids of items, never names), for
// the status report. It is safe to call from any goroutine; before the
// first frame it is the today page.
func (s *Screen) Page() board.PageID {
	if p := s.page.Load(); p != nil {
		return *p
	}
	return board.PageOf(board.PageToday)
}

// Layout implements ebiten.Game: one screen pixel per layout pixel.
// Ebitengine calls it on the loop's goroutine before every Update, so the
// first Update already knows the size and the first Draw paints the page:
// learning the size in Draw would cost a whole turn of the loop at start-up.
func (s *Screen) Layout(outsideWidth, outsideHeight int) (int, int) {
	s.resize(outsideWidth, outsideHeight)
	return outsideWidth, outsideHeight
}

// resize takes a new size of the screen image: the page is built again for
// it and painted whole.
func (s *Screen) resize(w, h int) {
	if gw, gh := s.game.Size(); gw == w && gh == h {
		return
	}
	s.game.Resize(w, h)
	s.paint.forget()
}

// Update implements ebiten.Game: input to intents, timers, and a new frame
// when something changed. It never reads the Source; it waits at most
// writeWait for a sign-up it handed to the writer and pressWait for a press
// the X reader is reporting (see the package doc).
func (s *Screen) Update() error {
	if s.stopped.Load() {
		return ebiten.Termination
	}
	if s.opts.Heartbeat != nil {
		s.opts.Heartbeat()
	}
	if t := s.tune.Swap(nil); t != nil {
		s.game.Retune(t.Locale, t.IdleAfter, t.OfflineAfter)
	}
	now := s.clk.Now()
	s.step(now, s.readInput())
	return nil
}

// step advances the screen to now with the pointer events of this tick and
// paints a new frame when anything changed.
func (s *Screen) step(now time.Time, events []pointerEvent) {
	snap := s.snap.Load()
	var reading *game.Reading
	if snap != nil {
		reading = snap.reading
	}
	tick := game.Tick{
		Now:        now,
		Reading:    reading,
		Pairing:    s.pairingNow(),
		Blank:      s.opts.Blank != nil && s.opts.Blank(),
		DayUnknown: s.opts.DayKnown != nil && !s.opts.DayKnown(),
		Night:      s.opts.Night != nil && s.opts.Night(now),
		Woken:      s.woken.Swap(false),
		Pointers:   events,
		Written:    s.outbox.results(),
		Login:      s.loginState(),
	}
	if s.login != nil {
		tick.LoginResults = s.login.take()
		s.login.follow(*tick.Login, s.paint)
	}
	if s.opts.Voice != nil {
		tick.Speaking = board.CardKey(s.opts.Voice.Speaking())
	}
	repaint, writes := s.game.Step(tick)
	if len(writes) > 0 {
		// A confirmation: the sheet closes and, when the write is quick,
		// its outcome is said in the same frame.
		n := len(writes)
		s.outbox.add(writes)
		writes = nil
		if done := s.outbox.await(n, s.writeWait); len(done) > 0 {
			said := tick
			said.Pointers, said.Woken, said.Written, said.LoginResults = nil, false, done, nil
			again, more := s.game.Step(said)
			repaint = repaint || again
			writes = more
		}
	}
	if sp, ok := s.game.TakeSpeech(); ok && s.opts.Voice != nil {
		if sp.Stop {
			s.opts.Voice.Stop()
		} else {
			s.opts.Voice.Read(board.Card{Key: string(sp.Card), Text: sp.Text, Locale: sp.Locale, Recording: sp.Recording})
		}
	}
	if s.login != nil {
		s.login.hand(s.game.TakeLogin())
	}
	s.shown = snap
	if id := s.game.State().Page; s.page.Load() == nil || *s.page.Load() != id {
		s.page.Store(&id)
	}
	s.outbox.add(writes)
	if repaint {
		s.draw(now)
	}
	if next := s.game.Next(now); s.deadline.Swap(next.UnixNano()) != next.UnixNano() {
		select {
		case s.replan <- struct{}{}:
		default:
		}
	}
}

// draw paints the new page. While the screen runs it is painted straight
// onto the screen in the next Draw: no offscreen copy, which saves a
// full-screen texture (16 MiB at 1080p, textures are padded to powers of
// two) and a full-screen copy per new page. Tests and snapshots paint onto
// an offscreen frame they can read.
func (s *Screen) draw(now time.Time) {
	if s.direct {
		s.paintDue, s.paintAt = true, now
		return
	}
	p := s.game.Page()
	w, h := int(p.W), int(p.H)
	if s.frame == nil || s.frame.Bounds().Dx() != w || s.frame.Bounds().Dy() != h {
		if s.frame != nil {
			s.frame.Deallocate()
		}
		// Its own texture, outside Ebitengine's atlas: the frame is large,
		// drawn whole and read back.
		s.frame = ebiten.NewImageWithOptions(image.Rect(0, 0, w, h), &ebiten.NewImageOptions{Unmanaged: true})
		s.paint.forget()
	}
	s.paintOnto(s.frame, now)
}

// paintOnto brings dst up to the current page: what changed since the
// last paint on it, or all of it.
func (s *Screen) paintOnto(dst *ebiten.Image, now time.Time) {
	var media, assets map[string]*still
	if s.shown != nil {
		media, assets = s.shown.media, s.shown.assets
	}
	if s.game.Blank() {
		dst.Fill(color.Black)
		s.paint.forget()
	} else if !s.paint.paint(dst, s.game.Page(), s.login.withPersonal(media), assets) {
		return // nothing visible changed
	}
	s.textures.Store(s.paint.textures())
	if s.paint.madeBig && s.direct {
		// A slide's photo was decoded: a few MB of garbage on the Go heap
		// (the decoder's output), and when a texture for photos was made or
		// freed, megabytes in the C heap. Give both back now (a collection
		// of a few megabytes of live heap, off the loop) instead of over
		// minutes or never: the slideshow stays flat. Without it the Go
		// heap grew by 21 MiB in 5 minutes of slides, for no CPU saving
		// that showed.
		s.paint.madeBig = false
		go func() {
			// Once the frame is drawn: Ebitengine holds a copy of the
			// pixels until it has uploaded them, and the GL driver frees
			// the photo before only when the frame without it is drawn.
			time.Sleep(time.Second)
			debug.FreeOSMemory()
			trimHeap()
		}()
	}
	s.saveShot(now, dst)
}

// Draw implements ebiten.Game: it paints the page when there is a new one
// and otherwise leaves the screen alone (it is not cleared between frames).
func (s *Screen) Draw(screen *ebiten.Image) {
	b := screen.Bounds()
	if w, h := s.game.Size(); b.Dx() != w || b.Dy() != h {
		// Not the size Layout said (not expected): build for this one in
		// the next turn.
		s.resize(b.Dx(), b.Dy())
		ebiten.ScheduleFrame()
		return
	}
	if s.paintDue && s.game.Page() != nil {
		s.paintOnto(screen, s.paintAt)
		s.paintDue = false
	}
	s.serveShots(screen)
}

// pairingNow asks Options.Pairing.
func (s *Screen) pairingNow() game.Pairing {
	if s.opts.Pairing == nil {
		return game.Pairing{}
	}
	code, uri, ok := s.opts.Pairing()
	return game.Pairing{Code: code, URI: uri, OK: ok}
}

// ticker wakes the loop at the minute, at the deadline Update asked for,
// and when the pairing state changes; otherwise the loop sleeps. Without
// Options.PairingChanged the pairing state is asked for every 2 seconds.
func (s *Screen) ticker(ctx context.Context) {
	var seen game.Pairing
	poll := s.opts.Pairing != nil && s.opts.PairingChanged == nil
	for {
		now := s.clk.Now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		if d := s.deadline.Load(); d > now.UnixNano() && d < next.UnixNano() {
			next = time.Unix(0, d)
		}
		wait := next.Sub(now)
		if poll && wait > pairingPoll {
			wait = pairingPoll
		}
		select {
		case <-ctx.Done():
			return
		case <-s.replan:
			continue
		case <-s.opts.PairingChanged: // nil without the option: never ready
		case <-s.clk.After(wait):
		}
		fire := !s.clk.Now().Before(next)
		if s.opts.Pairing != nil {
			if ps := s.pairingNow(); ps != seen {
				seen, fire = ps, true
			}
		}
		if fire {
			s.schedule()
		}
	}
}
