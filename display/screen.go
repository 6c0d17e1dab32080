package display

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"skaerm/assets"
	"skaerm/board"
	"skaerm/cache"
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
	// Locale is da, nb, de or en; "" for the department's.
	Locale string
	// Pairing reports whether the screen is waiting to be paired, and the
	// code and address to show meanwhile.
	Pairing func() (userCode, verificationURI string, ok bool)
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
	// AssetsDir is the care home's override folder: logo.png shown in the
	// header, pictograms/<name>.png drawn instead of the built-in
	// pictograms. "" for none.
	AssetsDir string
	// DayKnown, when set, reports whether the clock can be trusted to name
	// today. While it cannot, the screen shows the cached board on the day
	// it was made and says the clock is not set, instead of claiming a day.
	DayKnown func() bool
}

// Errors callers branch on.
var (
	// ErrNoSource means Options.Source was nil.
	ErrNoSource = errors.New("display: no source")
	// ErrNotRunning means a screenshot was asked for while no frame can be drawn.
	ErrNotRunning = errors.New("display: the screen is not running")
)

const (
	bounce      = 300 * time.Millisecond // a second tap sooner than this is ignored
	noticeFor   = 8 * time.Second        // how long a message stays
	pickFor     = 60 * time.Second       // a confirmation left unanswered goes away
	slideFor    = 15 * time.Second       // idle slideshow pace
	shotsEvery  = 5 * time.Second
	pairingPoll = 2 * time.Second
)

// Screen is the running screen. It implements ebiten.Game.
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
	shots       chan shotRequest
	stopped     atomic.Bool
	pairing     atomic.Value // pairingState last seen by the ticker
	tune        atomic.Pointer[Tuning]
	assetsStale atomic.Bool // the assets folder changed: read it again
	writers     gosync.WaitGroup
	presses     pressQueue // from the X server, when it can tell

	// Owned by the game goroutine.
	game gameState
}

type pairingState struct {
	code, uri string
	ok        bool
}

// gameState is everything Update and Draw own.
type gameState struct {
	w, h       int
	state      layout.State
	page       *layout.Page
	shown      *snapshot
	minute     int64
	frame      *ebiten.Image // offscreen page (tests, snapshots); nil while running
	direct     bool          // running: paint straight onto the screen in Draw
	dirty      bool          // the page must be built and painted again
	paintDue   bool          // built, waiting for Draw to paint it (direct)
	paintAt    time.Time
	lastTouch  time.Time
	idleSince  time.Time
	noticeAt   time.Time
	pickAt     time.Time
	press      *press
	lastTap    time.Time
	events     []pointerEvent // injected (tests, Wake)
	local      []board.Signup // enqueued here, not yet seen in the outbox
	seenRefuse map[string]bool
	lastShot   time.Time
	shotPage   string
	pairing    pairingState
	started    bool
	blank      bool // drawing black: the display is off
	dayUnknown bool
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
		opts:    opts,
		src:     opts.Source,
		clk:     opts.Clock,
		log:     opts.Logger,
		meas:    meas,
		paint:   newPainter(reg, bold),
		changed: make(chan struct{}, 1),
		replan:  make(chan struct{}, 1),
		shots:   make(chan shotRequest, 4),
	}
	s.paint.onBroken = func(key string, err error) {
		s.log.Warn("picture not drawn", "media", key, "err", err)
	}
	s.game.state.Page = layout.Of(layout.PageToday)
	s.game.seenRefuse = map[string]bool{}
	s.game.lastTouch = s.clk.Now()
	return s, nil
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
	s.game.direct = true
	var wg gosync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.loader(ctx) }()
	go func() { defer wg.Done(); s.ticker(ctx) }()
	if x, err := openPresses(); err != nil {
		s.log.Warn("taps read from the sampled mouse state: a very short tap may be lost", "err", err)
	} else {
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
	g := &s.game
	if w == g.w && h == g.h {
		return
	}
	g.w, g.h = w, h
	g.dirty = true
	s.paint.forget()
}

// Update implements ebiten.Game: input to intents, timers, and a new frame
// when something changed. It never waits on the Source.
func (s *Screen) Update() error {
	if s.stopped.Load() {
		return ebiten.Termination
	}
	if s.opts.Heartbeat != nil {
		s.opts.Heartbeat()
	}
	g := &s.game
	if t := s.tune.Swap(nil); t != nil {
		s.opts.Locale = t.Locale
		if t.IdleAfter > 0 {
			s.opts.IdleAfter = t.IdleAfter
		}
		if t.OfflineAfter > 0 {
			s.opts.OfflineAfter = t.OfflineAfter
		}
		g.dirty = true
	}
	now := s.clk.Now()
	if !g.started {
		g.started = true
		g.lastTouch = now
	}
	s.step(now, s.readInput())
	return nil
}

// step advances the screen to now with the pointer events of this tick and
// paints a new frame when anything changed.
func (s *Screen) step(now time.Time, events []pointerEvent) {
	g := &s.game
	if g.w == 0 || g.h == 0 {
		return
	}
	if snap := s.snap.Load(); snap != g.shown {
		s.adopt(snap, now)
	}
	if m := now.Unix() / 60; m != g.minute {
		g.minute = m
		g.dirty = true
	}
	if s.woken.Swap(false) {
		g.lastTouch = now
		if g.state.Page.Is(layout.PageIdle) {
			s.open(layout.Of(layout.PageToday))
		}
	}
	if ps := s.pairingNow(); ps != g.pairing {
		g.pairing = ps
		g.dirty = true
	}
	if blank := s.opts.Blank != nil && s.opts.Blank(); blank != g.blank {
		g.blank = blank
		g.dirty = true
	}
	if unknown := s.opts.DayKnown != nil && !s.opts.DayKnown(); unknown != g.dayUnknown {
		g.dayUnknown = unknown
		g.dirty = true
	}
	if g.page == nil {
		g.dirty = true
		s.build(now)
	}
	s.handle(now, append(g.events, events...))
	g.events = g.events[:0]
	s.timers(now)
	if g.dirty {
		s.build(now)
		s.draw(now)
	}
	s.plan(now)
}

// adopt takes a new snapshot from the loader.
func (s *Screen) adopt(snap *snapshot, now time.Time) {
	g := &s.game
	first := g.shown == nil
	g.shown = snap
	g.dirty = true
	if snap == nil {
		return
	}
	// Forget local sign-ups the outbox (or the board) now carries.
	inBox := map[string]bool{}
	for _, o := range snap.outbox {
		inBox[o.ID] = true
	}
	keep := g.local[:0]
	for _, l := range g.local {
		if !inBox[l.ID] && now.Sub(l.At) < time.Minute {
			keep = append(keep, l)
		}
	}
	g.local = keep
	// A refusal that arrives while someone may still be looking is said
	// in words; older ones only mark the face.
	for _, o := range snap.outbox {
		if o.State != board.Refused || g.seenRefuse[o.ID] {
			continue
		}
		g.seenRefuse[o.ID] = true
		if first {
			continue
		}
		s.setNotice(now, s.refusalText(o), true)
	}
}

func (s *Screen) refusalText(o board.Signup) string {
	loc := s.opts.Locale
	var name string
	if sn := s.game.shown; sn != nil && sn.board != nil {
		if loc == "" {
			loc = sn.board.Department.Locale
		}
		if p, ok := sn.board.Profile(o.ProfileID); ok {
			name = p.Name
		}
	}
	msg := layout.Locale(loc).Refusal(o.Reason)
	if name != "" {
		msg = name + ": " + msg
	}
	return msg
}

func (s *Screen) setNotice(now time.Time, text string, bad bool) {
	s.game.state.Notice = layout.Notice{Text: text, Bad: bad}
	s.game.noticeAt = now
	s.game.dirty = true
}

// open goes to a page, forgetting paging, a pending question and messages.
func (s *Screen) open(page layout.PageID) {
	g := &s.game
	g.state = layout.State{Page: page, Notice: g.state.Notice}
	if page.Is(layout.PageIdle) || page.Is(layout.PageToday) {
		g.state.Notice = layout.Notice{}
	}
	g.dirty = true
}

// timers: notices fade, questions lapse, idle starts, slides turn.
func (s *Screen) timers(now time.Time) {
	g := &s.game
	if g.state.Notice.Text != "" && now.Sub(g.noticeAt) >= noticeFor {
		g.state.Notice = layout.Notice{}
		g.dirty = true
	}
	if g.state.Pick != "" && now.Sub(g.pickAt) >= pickFor {
		g.state.Pick = ""
		g.dirty = true
	}
	if !g.state.Page.Is(layout.PageIdle) && now.Sub(g.lastTouch) >= s.opts.IdleAfter && g.shown != nil && g.shown.board != nil {
		s.open(layout.Of(layout.PageIdle))
		g.idleSince = now
	}
	if g.state.Page.Is(layout.PageIdle) {
		if slide := int(now.Sub(g.idleSince) / slideFor); slide != g.state.Slide {
			g.state.Slide = slide
			g.dirty = true
		}
	}
}

// plan tells the ticker when the loop next has something to do.
func (s *Screen) plan(now time.Time) {
	g := &s.game
	next := now.Truncate(time.Minute).Add(time.Minute)
	consider := func(t time.Time) {
		if t.After(now) && t.Before(next) {
			next = t
		}
	}
	if g.state.Notice.Text != "" {
		consider(g.noticeAt.Add(noticeFor))
	}
	if g.state.Pick != "" {
		consider(g.pickAt.Add(pickFor))
	}
	if g.state.Page.Is(layout.PageIdle) {
		consider(g.idleSince.Add(time.Duration(g.state.Slide+1) * slideFor))
	} else {
		consider(g.lastTouch.Add(s.opts.IdleAfter))
	}
	if old := s.deadline.Swap(next.UnixNano()); old != next.UnixNano() {
		select {
		case s.replan <- struct{}{}:
		default:
		}
	}
}

// input builds the layout's view of now.
func (s *Screen) input(now time.Time, w, h float64, st layout.State) layout.Input {
	g := &s.game
	in := layout.Input{Now: now, Locale: s.opts.Locale, W: w, H: h, State: st, DayUnknown: g.dayUnknown}
	if sn := g.shown; sn != nil {
		_, in.Logo = sn.assets[layout.LogoKey]
		in.Board = sn.board
		if g.dayUnknown && sn.board != nil && !sn.board.GeneratedAt.IsZero() {
			// The last day the backend vouched for, not the Pi's guess.
			in.Now = sn.board.GeneratedAt
		}
		in.Outbox = append(append([]board.Signup(nil), sn.outbox...), g.local...)
		in.LastSync = sn.meta.LastSync
		in.Offline = !sn.meta.LastSync.IsZero() && now.Sub(sn.meta.LastSync) >= s.opts.OfflineAfter
	}
	if g.pairing.ok {
		in.Pairing = &layout.Pairing{Code: g.pairing.code, URI: g.pairing.uri}
	}
	return in
}

func (s *Screen) build(now time.Time) {
	g := &s.game
	g.page = layout.Build(s.meas, s.input(now, float64(g.w), float64(g.h), g.state))
	// A page that no longer exists (an item gone from the board) falls back.
	if g.page.ID != g.state.Page && g.state.Page.Kind != "" && !g.pairing.ok && g.shown != nil && g.shown.board != nil {
		g.state = layout.State{Page: g.page.ID, Notice: g.state.Notice}
	}
}

// draw paints the new page. While the screen runs it is painted straight
// onto the screen in the next Draw: no offscreen copy, which saves a
// full-screen texture (16 MiB at 1080p, textures are padded to powers of
// two) and a full-screen copy per new page. Tests and snapshots paint onto
// an offscreen frame they can read.
func (s *Screen) draw(now time.Time) {
	g := &s.game
	g.dirty = false
	if g.direct {
		g.paintDue, g.paintAt = true, now
		return
	}
	if g.frame == nil || g.frame.Bounds().Dx() != g.w || g.frame.Bounds().Dy() != g.h {
		if g.frame != nil {
			g.frame.Deallocate()
		}
		// Its own texture, outside Ebitengine's atlas: the frame is large,
		// drawn whole and read back.
		g.frame = ebiten.NewImageWithOptions(image.Rect(0, 0, g.w, g.h), &ebiten.NewImageOptions{Unmanaged: true})
		s.paint.forget()
	}
	s.paintOnto(g.frame, now)
}

// paintOnto brings dst up to the current page: what changed since the
// last paint on it, or all of it.
func (s *Screen) paintOnto(dst *ebiten.Image, now time.Time) {
	g := &s.game
	var media, assets map[string]*still
	if g.shown != nil {
		media, assets = g.shown.media, g.shown.assets
	}
	if g.blank {
		dst.Fill(color.Black)
		s.paint.forget()
	} else if !s.paint.paint(dst, g.page, media, assets) {
		return // nothing visible changed
	}
	s.saveShot(now, dst)
}

// Draw implements ebiten.Game: it paints the page when there is a new one
// and otherwise leaves the screen alone (it is not cleared between frames).
func (s *Screen) Draw(screen *ebiten.Image) {
	g := &s.game
	b := screen.Bounds()
	if b.Dx() != g.w || b.Dy() != g.h {
		// Not the size Layout said (not expected): build for this one in
		// the next turn.
		s.resize(b.Dx(), b.Dy())
		ebiten.ScheduleFrame()
		return
	}
	if g.paintDue && g.page != nil {
		s.paintOnto(screen, g.paintAt)
		g.paintDue = false
	}
	s.serveShots(screen)
}

// pairingNow asks Options.Pairing.
func (s *Screen) pairingNow() pairingState {
	if s.opts.Pairing == nil {
		return pairingState{}
	}
	code, uri, ok := s.opts.Pairing()
	return pairingState{code, uri, ok}
}

// ticker wakes the loop at the minute, at the deadline Update asked for,
// and when the pairing state changes; otherwise the loop sleeps.
func (s *Screen) ticker(ctx context.Context) {
	for {
		now := s.clk.Now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		if d := s.deadline.Load(); d > now.UnixNano() && d < next.UnixNano() {
			next = time.Unix(0, d)
		}
		wait := next.Sub(now)
		if s.opts.Pairing != nil && wait > pairingPoll {
			wait = pairingPoll
		}
		select {
		case <-ctx.Done():
			return
		case <-s.replan:
			continue
		case <-s.clk.After(wait):
		}
		fire := !s.clk.Now().Before(next)
		if s.opts.Pairing != nil {
			ps := s.pairingNow()
			if old, _ := s.pairing.Swap(ps).(pairingState); old != ps {
				fire = true
			}
		}
		if fire {
			ebiten.ScheduleFrame()
		}
	}
}

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
			if s.game.page == nil {
				req.reply <- shotReply{err: ErrNotRunning}
				continue
			}
			req.reply <- shotReply{img: readFrame(src)}
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
	g := &s.game
	if s.opts.ShotsDir == "" || (!g.lastShot.IsZero() && now.Sub(g.lastShot) < shotsEvery) {
		return
	}
	g.lastShot = now
	img := readFrame(src)
	name := fmt.Sprintf("%s-%s.png", now.UTC().Format("20060102T150405Z"), shotName(g.page.ID))
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
func shotName(p layout.PageID) string {
	return strings.NewReplacer("/", "-", " ", "_", string(os.PathSeparator), "-").Replace(p.String())
}
