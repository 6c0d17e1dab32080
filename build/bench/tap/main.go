// Command tap measures how long the screen takes to answer a finger: it
// sends a press and a release through XTest to a running screen on Xvfb and
// times until the changed frame is on the X screen (X Damage on the root
// window wakes the bench, which compares Xvfb's framebuffer, mapped from
// its -fbdir file, with the frame before the tap).
//
// Each round on the Today page is four taps: a card (-> its detail page), a
// face (-> the confirmation sheet), the confirmation (-> the sheet gone,
// then the banner once the sign-up is written; the banner's time is the
// one reported), then the navigation bar's page button back to Today. The
// face is the same in every round, so the rounds sign it up and off in
// turn. Every tap must act exactly once:
// the screen's own log says which taps it acted on, and a lost or doubled
// tap ends the run with an error.
//
// The screen is the real display.Screen in a process of its own
// (build/bench/tap/screen, built by the bench), on a cache synced from the reference
// backend's demo care home, with a clock moved to 09:30 today in
// Copenhagen (-at) so the day's activities are open for sign-up; each round
// taps the first activity that still takes sign-ups then. An activity that
// has begun takes none, so a long -idle wants an earlier -at (-idle 1h:
// -at 08:00). Its slideshow is off, so after start and after -idle the loop
// sleeps on the static page.
//
// Then come -booking rounds on the Bookings page: the page button to
// Bookings and the resource's button (both counted as page taps), then
// each round three taps: tomorrow's or a later day's first free slot (->
// the booking sheet with the faces), a face (-> the confirmation) and the
// confirmation (-> the banner once the booking is written). The screen has
// no network after its one sync, so every booking waits in its outbox and
// holds its slot: the bench books a resource of its own (the laundry's six
// slots a day, no weekly limit) that the bench's backend adds before the
// sync, and pages on to the next days (the grid's "Næste", counted with
// the page taps) when the days shown are full. Rounds end on Bookings'
// way back to Today.
//
// With -browser, a Chromium kiosk of the reference backend's preview runs
// beside the screen (at 1920x1080 only: its pages are laid out for it) on
// an Xvfb of its own and is tapped the same way, a round of it after each
// round of the screen: the board page's link to the slideshow page, and a
// tap on the slideshow back to the board (browser.go).
//
//	go run ./build/bench/tap -rounds 100 -booking 30 -idle 5m [-browser] [-at 09:30]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"

	"skaerm/assets"
	"skaerm/backend"
	"skaerm/board"
	"skaerm/build/bench/internal/benchenv"
	"skaerm/build/bench/internal/proctree"
	"skaerm/cache"
	"skaerm/display/layout"
	"skaerm/sync"
)

func main() {
	sizes := flag.String("sizes", "1920x1080,1080x1920", "screen sizes, comma-separated")
	rounds := flag.Int("rounds", 100, "rounds per series (each: card, face, confirm and a page button)")
	bookings := flag.Int("booking", 30, "booking rounds per series after the sign-up rounds (each: slot, face, confirm); at most 30 at 1080x1920")
	idle := flag.Duration("idle", 5*time.Minute, "how long the screen sleeps on its static page before the second series (0: no second series)")
	display := flag.Int("display", 93, "first X display number to try")
	keep := flag.Bool("keep", false, "keep the work folder (screen logs, raw timings)")
	profile := flag.Bool("profile", false, "write a CPU profile of each screen into the work folder")
	withBrowser := flag.Bool("browser", false, "tap a Chromium kiosk of the preview in turn with the screen (1920x1080 only)")
	chromium := flag.String("chromium", "chromium", "the browser, with -browser")
	at := flag.String("at", "09:30", "the screen's clock at the start, Copenhagen time (HH:MM); activities must still be open for sign-up after -idle")
	flag.Parse()
	var startH, startM int
	if _, err := fmt.Sscanf(*at, "%d:%d", &startH, &startM); err != nil || startH < 0 || startH > 23 || startM < 0 || startM > 59 {
		log.Fatalf("-at %q: want HH:MM", *at)
	}
	xgb.Logger = log.New(io.Discard, "", 0)
	work, err := os.MkdirTemp("", "skaerm-tap-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(work)
	}
	screenBin := filepath.Join(work, "screen")
	build := exec.Command("go", "build", "-o", screenBin, "./build/bench/tap/screen")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		log.Fatalf("build the screen (run the bench from the repository's top folder): %v", err)
	}
	log.Printf("work folder %s; machine: %d cores, load %s", work, nproc(), benchenv.LoadAvg())
	var all, browsers []series
	for i, sz := range strings.Split(*sizes, ",") {
		var w, h int
		if _, err := fmt.Sscanf(sz, "%dx%d", &w, &h); err != nil {
			log.Fatalf("size %q: want WxH", sz)
		}
		b := &bench{bin: screenBin, work: filepath.Join(work, sz), w: w, h: h, display: benchenv.FreeDisplay(*display + 2*i), profile: *profile,
			startH: startH, startM: startM, bookingRounds: *bookings}
		if *withBrowser && w == 1920 && h == 1080 {
			b.chromium = *chromium
		}
		ss, bs, err := b.run(*rounds, *idle)
		all = append(all, ss...)
		browsers = append(browsers, bs...)
		if err != nil {
			report(os.Stdout, all)
			reportBrowser(os.Stdout, all, browsers)
			log.Fatalf("%s: %v", sz, err)
		}
	}
	log.Printf("load after: %s", benchenv.LoadAvg())
	report(os.Stdout, all)
	reportBrowser(os.Stdout, all, browsers)
}

// A series is the taps of one screen size in one state of the screen.
type series struct {
	size, when string
	times      map[string][]time.Duration // by what was tapped
	acted      map[string][]time.Duration // until the screen's loop acted on the tap
	frames     map[string][]float64       // whole frames presented per tap (changed or not)
	settled    map[string][]time.Duration // the browser: until the last change of the new page
	first      time.Duration              // the first tap of the series
	cpu, gl    time.Duration              // the screen's CPU over the series, and of that llvmpipe's threads
	taps       int
}

var kinds = []string{"page", "card", "face", "confirm", "slot", "bookface", "book"}

type point struct{ X, Y int }

type tapRecord struct {
	Time   time.Time `json:"time"`
	Msg    string    `json:"msg"`
	On     string    `json:"on"`
	Intent string    `json:"intent"`
	Page   string    `json:"page"`
}

type bench struct {
	bin           string
	work          string
	w, h          int
	display       int
	profile       bool
	chromium      string        // "": no browser beside the screen
	browser       *browserBench // the browser kiosk tapped in turn with the screen
	offset        time.Duration
	startH        int // the screen's clock at the start, Copenhagen time
	startM        int
	board         *board.Board
	meas          *layout.FontMeasurer
	fb            *framebuffer
	dmg           *damages
	x             *xgb.Conn
	root          xproto.Window
	taps          chan tapRecord
	written       chan struct{}
	lastTap       time.Time
	pid           int     // the screen's process
	frames        float64 // whole frames the last tap presented
	before, at    []byte
	browserSeries []series // the browser's, one per series of the screen
	bookingRounds int
	booked        []board.Signup // the bookings waiting in the screen's outbox
	day           int            // the grid's first day shown
}

// benchResource is the resource the booking rounds book.
const benchResource = "bk-bench"

// run starts Xvfb and the screen, taps a series right after the first
// frame and another after idle, and stops both; with a browser, its series
// too, tapped in turn with the screen's.
func (b *bench) run(rounds int, idle time.Duration) (scr, br []series, err error) {
	if b.chromium != "" {
		b.browser, err = startBrowser(b.chromium, filepath.Join(b.work, "browser"), b.w, b.h, benchenv.FreeDisplay(b.display+1))
		if err != nil {
			return nil, nil, err
		}
		defer b.browser.close()
	}
	s, err := b.runScreen(rounds, idle)
	return s, b.browserSeries, err
}

// runScreen is run without the browser's start and stop.
func (b *bench) runScreen(rounds int, idle time.Duration) ([]series, error) {
	if err := os.MkdirAll(b.work, 0o755); err != nil {
		return nil, err
	}
	cachePath := filepath.Join(b.work, "cache.db")
	if err := b.prepare(cachePath); err != nil {
		return nil, err
	}
	var err error
	if b.meas, err = layout.NewFontMeasurer(assets.FontRegular, assets.FontBold); err != nil {
		return nil, err
	}

	fbdir := filepath.Join(b.work, "fb")
	if err := os.MkdirAll(fbdir, 0o755); err != nil {
		return nil, err
	}
	disp := fmt.Sprintf(":%d", b.display)
	xvfb := exec.Command("Xvfb", disp, "-screen", "0", fmt.Sprintf("%dx%dx24", b.w, b.h), "-fbdir", fbdir, "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		return nil, fmt.Errorf("start Xvfb: %w", err)
	}
	// SIGTERM: Xvfb removes its lock file and socket.
	defer func() { xvfb.Process.Signal(syscall.SIGTERM); xvfb.Wait() }()
	if err := benchenv.WaitFile(fmt.Sprintf("/tmp/.X11-unix/X%d", b.display), 10*time.Second); err != nil {
		return nil, err
	}
	if b.fb, err = openFramebuffer(filepath.Join(fbdir, "Xvfb_screen0")); err != nil {
		return nil, err
	}
	defer b.fb.close()
	if b.dmg, err = watchDamage(disp); err != nil {
		return nil, err
	}
	defer b.dmg.close()
	if b.x, err = xgb.NewConnDisplay(disp); err != nil {
		return nil, err
	}
	defer b.x.Close()
	if err := xtest.Init(b.x); err != nil {
		return nil, fmt.Errorf("XTest: %w", err)
	}
	b.root = xproto.Setup(b.x).DefaultScreen(b.x).Root

	args := []string{"-cache", cachePath, "-offset", b.offset.String()}
	if b.profile {
		args = append(args, "-cpuprofile", filepath.Join(b.work, "screen.pprof"))
	}
	scr := exec.Command(b.bin, args...)
	scr.Env = append(os.Environ(), "DISPLAY="+disp, "XDG_CACHE_HOME="+filepath.Join(b.work, "xdg"))
	logf, err := os.Create(filepath.Join(b.work, "screen.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	pipe, err := scr.StderrPipe()
	if err != nil {
		return nil, err
	}
	b.taps, b.written = make(chan tapRecord, 16), make(chan struct{}, 16)
	start := time.Now()
	if err := scr.Start(); err != nil {
		return nil, fmt.Errorf("start the screen: %w", err)
	}
	b.pid = scr.Process.Pid
	logDone := make(chan struct{})
	go func() { defer close(logDone); b.readLog(io.TeeReader(pipe, logf)) }()
	defer func() {
		scr.Process.Signal(syscall.SIGTERM)
		<-logDone
		scr.Wait()
	}()
	if err := b.settle(60*time.Second, time.Second); err != nil {
		return nil, fmt.Errorf("first frame: %w", err)
	}
	log.Printf("%dx%d: first frame settled %.2f s after start", b.w, b.h, time.Since(start).Seconds())

	size := fmt.Sprintf("%dx%d", b.w, b.h)
	var out []series
	s, err := b.series(size, "after start", rounds)
	out = append(out, s)
	if err != nil || idle <= 0 {
		return out, err
	}
	log.Printf("%s: the screen sleeps for %s", size, idle)
	time.Sleep(idle)
	s, err = b.series(size, fmt.Sprintf("after %s idle", idle), rounds)
	out = append(out, s)
	return out, err
}

// prepare syncs the demo board into a fresh cache at -at today (09:30 by
// default), Copenhagen time, through the reference backend in this process.
func (b *bench) prepare(cachePath string) error {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return err
	}
	now := time.Now()
	y, mo, d := now.In(loc).Date()
	// Whole minutes: the screen's clock turns its minute when the real
	// one does, which the bench avoids tapping across.
	b.offset = time.Date(y, mo, d, b.startH, b.startM, 0, 0, loc).Sub(now).Truncate(time.Minute)
	clk := shifted{b.offset}
	srv, err := backend.New(backend.Options{DataDir: filepath.Join(b.work, "backend"), Tokens: []string{"T"}, Demo: true, Clock: clk})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	defer hs.Close()
	// The booking rounds' own resource: the laundry's slots, no weekly limit.
	admin := backend.Admin{BaseURL: "http://" + ln.Addr().String()}
	if err := admin.PutBookable(context.Background(), backend.Bookable{ID: benchResource, Name: "Vaskeriet 2", Pictogram: "laundry",
		Slots: backend.SlotsFixed, SlotTimes: []string{"07:00-09:00", "09:00-11:00", "11:00-13:00", "13:00-15:00", "15:00-17:00", "17:00-19:00"},
		Open: "07:00-19:00", MaxAheadDays: 14}); err != nil {
		return fmt.Errorf("add the bench's resource: %w", err)
	}
	c, err := cache.Open(cachePath, cache.Options{Clock: clk})
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := sync.New(sync.Options{BaseURL: "http://" + ln.Addr().String(), Token: "T", Cache: c, Version: "bench", Clock: clk})
	if err != nil {
		return err
	}
	if _, err := s.SyncOnce(context.Background()); err != nil {
		return fmt.Errorf("sync the demo board: %w", err)
	}
	b.board, err = c.Board()
	return err
}

// readLog passes the screen's taps and finished sign-up writes on.
func (b *bench) readLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec tapRecord
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		switch rec.Msg {
		case "tap":
			b.taps <- rec
		case "sign-up enqueued":
			b.written <- struct{}{}
		}
	}
	io.Copy(io.Discard, r)
}

// series taps rounds rounds and collects the times.
func (b *bench) series(size, when string, rounds int) (s series, err error) {
	s = newSeries(size, when)
	var bs series
	if b.browser != nil {
		bs = newSeries(size, when)
		defer func() { b.browserSeries = append(b.browserSeries, bs) }()
	}
	log.Printf("%s %s: %d rounds", size, when, rounds)
	cpu0, gl0 := proctree.Threads(b.pid, "llvmpipe-")
	defer func() {
		cpu, gl := proctree.Threads(b.pid, "llvmpipe-")
		s.cpu, s.gl = cpu-cpu0, gl-gl0
	}()
	for i := range rounds {
		now := time.Now().Add(b.offset)
		card, face, confirm, toToday := b.signupTargets()
		if card == nil || face == nil || confirm == nil || toToday == nil {
			return s, fmt.Errorf("round %d at %s: a target is missing (card %v, face %v, confirm %v, nav %v)",
				i+1, now.Format("15:04"), card, face, confirm, toToday)
		}
		steps := []struct {
			kind, intent string
			at           *point
		}{
			{"card", "open", card}, {"face", "pick", face}, {"confirm", "confirm", confirm},
			{"page", "open", toToday},
		}
		for _, st := range steps {
			d, acted, err := b.tap(*st.at, st.intent, st.kind == "confirm")
			if err != nil {
				return s, fmt.Errorf("round %d, %s: %w", i+1, st.kind, err)
			}
			if len(s.times) == 0 {
				s.first = d
			}
			s.times[st.kind] = append(s.times[st.kind], d)
			s.acted[st.kind] = append(s.acted[st.kind], acted)
			s.frames[st.kind] = append(s.frames[st.kind], b.frames)
			s.taps++
		}
		if b.browser != nil {
			if err := b.browser.round(&bs); err != nil {
				return s, fmt.Errorf("round %d, the browser: %w", i+1, err)
			}
		}
		if (i+1)%10 == 0 {
			log.Printf("  %d rounds; confirm p50 so far %.0f ms", i+1, ms(pct(s.times["confirm"], 50)))
		}
	}
	if b.bookingRounds > 0 {
		if err := b.bookingSeries(&s); err != nil {
			return s, fmt.Errorf("booking: %w", err)
		}
	}
	return s, nil
}

// bookingSeries taps the booking rounds into s.
func (b *bench) bookingSeries(s *series) error {
	record := func(kind string, at *point, intent string, withWrite bool) error {
		if at == nil {
			return fmt.Errorf("%s: no target (page %s, day %d)", kind, layout.ResourcePage(benchResource), b.day)
		}
		d, acted, err := b.tap(*at, intent, withWrite)
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		s.times[kind] = append(s.times[kind], d)
		s.acted[kind] = append(s.acted[kind], acted)
		s.frames[kind] = append(s.frames[kind], b.frames)
		s.taps++
		return nil
	}
	bookings := layout.State{Page: board.PageOf(board.PageBookings)}
	grid := layout.ResourcePage(benchResource)
	at, _ := b.target(layout.State{}, isOpen(board.PageBookings))
	if err := record("page", at, "open", false); err != nil {
		return err
	}
	at, _ = b.target(bookings, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == grid })
	if err := record("page", at, "open", false); err != nil {
		return err
	}
	loc := b.board.Location()
	for i := range b.bookingRounds {
		now := time.Now().Add(b.offset)
		y, m, d := now.In(loc).Date()
		tomorrow := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		st := layout.State{Page: grid, Day: b.day}
		free := func(in layout.Intent) bool {
			return in.Kind == layout.Choose && in.Booking == "" && !in.Start.Before(tomorrow)
		}
		slot, in := b.target(st, free)
		for slot == nil {
			// The days shown are full: on to the next ones.
			next, nin := b.target(st, func(in layout.Intent) bool { return in.Kind == layout.Days && in.Offset > b.day })
			if next == nil {
				return fmt.Errorf("round %d: no free slot left in the %d days the grid offers", i+1, board.LastBookableDay(b.resource())+1)
			}
			if err := record("page", next, "days", false); err != nil {
				return err
			}
			b.day = nin.Offset
			st.Day = b.day
			slot, in = b.target(st, free)
		}
		if err := record("slot", slot, "choose", false); err != nil {
			return fmt.Errorf("round %d: %w", i+1, err)
		}
		st.Slot, st.SlotEnd = in.Start, in.End
		face, who := b.target(st, func(in layout.Intent) bool { return in.Kind == layout.Pick })
		if err := record("bookface", face, "pick", false); err != nil {
			return fmt.Errorf("round %d: %w", i+1, err)
		}
		st.Pick = who.Profile
		confirm, _ := b.target(st, func(in layout.Intent) bool { return in.Kind == layout.Confirm })
		if err := record("book", confirm, "confirm", true); err != nil {
			return fmt.Errorf("round %d: %w", i+1, err)
		}
		b.booked = append(b.booked, board.Signup{ID: fmt.Sprintf("bench-%d", len(b.booked)), ItemType: board.BookingItem, ItemID: benchResource,
			ProfileID: who.Profile, Action: board.Book, Start: in.Start, End: in.End, State: board.Pending})
	}
	// Back to Bookings, and from there to Today for the next series.
	at, _ = b.target(layout.State{Page: grid, Day: b.day}, isOpen(board.PageBookings))
	if err := record("page", at, "open", false); err != nil {
		return err
	}
	at, _ = b.target(bookings, isOpen(board.PageToday))
	return record("page", at, "open", false)
}

// resource is the bench's bookable resource on the board.
func (b *bench) resource() board.Bookable {
	r, _ := b.board.Bookable(benchResource)
	return r
}

func newSeries(size, when string) series {
	return series{size: size, when: when, times: map[string][]time.Duration{}, acted: map[string][]time.Duration{},
		frames: map[string][]float64{}, settled: map[string][]time.Duration{}}
}

func isOpen(kind board.PageKind) func(layout.Intent) bool {
	return func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == board.PageOf(kind) }
}

// signupTargets finds a round's targets: the first activity card on the
// Today page whose detail page still offers a face to sign up or off now
// (an activity that has begun takes no sign-ups), that face, the sheet's
// confirmation and the navigation bar's Today button.
func (b *bench) signupTargets() (card, face, confirm, toToday *point) {
	today := b.build(layout.State{})
	for _, tg := range today.Targets {
		if tg.Intent.Kind != layout.Open || tg.Intent.Page.Kind != board.PageActivity {
			continue
		}
		page := tg.Intent.Page
		f, who := b.target(layout.State{Page: page}, func(in layout.Intent) bool { return in.Kind == layout.Pick })
		if f == nil {
			continue
		}
		c, _ := b.target(layout.State{Page: page, Pick: who.Profile}, func(in layout.Intent) bool { return in.Kind == layout.Confirm })
		if c == nil {
			continue
		}
		t, _ := b.target(layout.State{Page: page}, isOpen(board.PageToday))
		return &point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}, f, c, t
	}
	return nil, nil, nil, nil
}

// build lays out the page for st now, as the screen builds it.
func (b *bench) build(st layout.State) *layout.Page {
	return layout.Build(b.meas, layout.Input{Board: b.board, Now: time.Now().Add(b.offset), W: float64(b.w), H: float64(b.h), State: st, Outbox: b.booked})
}

// target finds the centre of the first target matching on the page the
// layout builds for st now, as the screen builds it.
func (b *bench) target(st layout.State, match func(layout.Intent) bool) (*point, layout.Intent) {
	for _, tg := range b.build(st).Targets {
		if match(tg.Intent) {
			return &point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}, tg.Intent
		}
	}
	return nil, layout.Intent{}
}

// tap sends one instant tap at p and returns the time from sending it to
// the first changed frame on the screen (withWrite: to the frame after the
// screen wrote the sign-up, the banner). The tap must act exactly once,
// as intent. acted is the time until the screen's loop acted on it (the
// time of its log record).
func (b *bench) tap(p point, intent string, withWrite bool) (d, acted time.Duration, err error) {
	waitTapSlot(b.offset, b.lastTap)
	if err := b.settle(5*time.Second, 150*time.Millisecond); err != nil {
		return 0, 0, err
	}
	select {
	case r := <-b.taps:
		return 0, 0, fmt.Errorf("a tap acted twice or unasked: %+v", r)
	default:
	}
	b.before = b.fb.copyInto(b.before)
	area0 := b.dmg.area.Load()
	defer func() { b.frames = float64(b.dmg.area.Load()-area0) / float64(b.w*b.h) }()
	t0 := time.Now()
	b.lastTap = t0
	press(b.x, b.root, p)

	var first, last time.Duration
	var wrote bool
	b.at = append(b.at[:0], b.before...)
	limit := time.After(10 * time.Second)
	quiet := time.NewTimer(time.Hour)
	defer quiet.Stop()
	for {
		select {
		case <-b.dmg.c:
			if !b.fb.equal(b.at) {
				d := time.Since(t0)
				if first == 0 {
					first = d
				}
				last = d
				b.at = b.fb.copyInto(b.at)
			}
			quiet.Reset(300 * time.Millisecond)
		case r := <-b.taps:
			if acted != 0 {
				return 0, 0, fmt.Errorf("the tap at %v acted twice (%s, then %s)", p, intent, r.Intent)
			}
			if r.Intent != intent {
				return 0, 0, fmt.Errorf("the tap at %v acted as %q on %s, want %q", p, r.Intent, r.On, intent)
			}
			acted = max(r.Time.Sub(t0), time.Nanosecond)
		case <-b.written:
			wrote = true
		case <-quiet.C:
			if first != 0 && acted != 0 && (!withWrite || wrote) {
				if withWrite {
					return last, acted, nil
				}
				return first, acted, nil
			}
			quiet.Reset(300 * time.Millisecond)
		case <-limit:
			return 0, 0, fmt.Errorf("the tap at %v (%s): acted after %v, sign-up written %v, frame changed after %v: no answer in 10 s", p, intent, acted, wrote, first)
		}
	}
}

// settle waits until the screen has not changed for quiet.
func (b *bench) settle(limit, quiet time.Duration) error {
	end := time.Now().Add(limit)
	prev := b.fb.copyInto(nil)
	changes := 0
	for time.Now().Before(end) {
		select {
		case <-b.dmg.c:
			prev = b.fb.copyInto(prev)
			changes++
		case <-time.After(quiet):
			if slices.ContainsFunc(prev, func(c byte) bool { return c != 0 }) {
				return nil
			}
		}
	}
	black := !slices.ContainsFunc(prev, func(c byte) bool { return c != 0 })
	return fmt.Errorf("the screen did not settle in %s (%d changes seen, black %v)", limit, changes, black)
}

// report prints one table: p50/p95/max per size, state and kind of tap.
func report(w io.Writer, all []series) {
	fmt.Fprintln(w, "| size | when | tap -> answer | n | p50 (ms) | p95 (ms) | max (ms) | loop acted, p50 / p95 (ms) | frames presented, mean |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range all {
		for _, k := range kinds {
			ts := s.times[k]
			if len(ts) == 0 {
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %s | %d | %.0f | %.0f | %.0f | %.0f / %.0f | %.1f |\n", s.size, s.when, label(k), len(ts),
				ms(pct(ts, 50)), ms(pct(ts, 95)), ms(pct(ts, 100)), ms(pct(s.acted[k], 50)), ms(pct(s.acted[k], 95)), mean(s.frames[k]))
		}
		fmt.Fprintf(w, "| %s | %s | the first tap of the series | 1 | %.0f | | | | |\n", s.size, s.when, ms(s.first))
		if s.taps > 0 {
			per := func(d time.Duration) float64 { return ms(d) / float64(s.taps) }
			fmt.Fprintf(w, "| %s | %s | the screen's CPU per tap, of that llvmpipe (ms) | %d | %.1f, %.1f | | | | |\n",
				s.size, s.when, s.taps, per(s.cpu), per(s.gl))
		}
	}
}

func label(kind string) string {
	switch kind {
	case "page":
		return "page button -> page"
	case "card":
		return "card -> detail"
	case "face":
		return "face -> confirm sheet"
	case "confirm":
		return "confirm -> banner"
	case "slot":
		return "booking: slot -> sheet with faces"
	case "bookface":
		return "booking: face -> confirmation"
	case "book":
		return "booking: confirm -> banner"
	case "link":
		return "board: link -> slideshow page"
	case "back":
		return "slideshow: tap -> board page"
	}
	return kind
}

// pct is the p-th percentile by nearest rank.
func pct(ts []time.Duration, p float64) time.Duration {
	if len(ts) == 0 {
		return 0
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func mean(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t / float64(max(1, len(xs)))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func nproc() int { return runtime.NumCPU() }

// shifted is the real clock moved by a fixed offset (the screen has the
// same one): taps keep their real distance in time.
type shifted struct{ by time.Duration }

func (c shifted) Now() time.Time                         { return time.Now().Add(c.by) }
func (c shifted) After(d time.Duration) <-chan time.Time { return time.After(d) }

// waitTapSlot waits until a tap neither crosses the minute turn of a clock
// offset from this machine's (a clock on screen would count as the answer)
// nor comes sooner than the screen's bounce time after the last tap.
func waitTapSlot(offset time.Duration, last time.Time) {
	for {
		now := time.Now().Add(offset)
		frac := now.Sub(now.Truncate(time.Minute))
		if frac > 800*time.Millisecond && frac < 57*time.Second {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d := time.Until(last.Add(400 * time.Millisecond)); d > 0 {
		time.Sleep(d)
	}
}

// press sends a tap at p as XTest pointer motion, press and release with
// nothing between them, as a touch driver may.
func press(x *xgb.Conn, root xproto.Window, p point) {
	xtest.FakeInput(x, xproto.MotionNotify, 0, 0, root, int16(p.X), int16(p.Y), 0)
	xtest.FakeInput(x, xproto.ButtonPress, 1, 0, root, int16(p.X), int16(p.Y), 0)
	xtest.FakeInput(x, xproto.ButtonRelease, 1, 0, root, int16(p.X), int16(p.Y), 0)
	x.Sync()
}
