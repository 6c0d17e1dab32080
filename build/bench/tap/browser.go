package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"

	"skaerm/backend"
	"skaerm/build/bench/internal/benchenv"
	"skaerm/build/bench/internal/browser"
)

// browserBench taps a Chromium kiosk of the reference backend's preview
// the way bench taps the screen: an XTest press and release, timed until
// the framebuffer differs from the frame before the tap. Its pages are
// the board (/preview/board, whose header links the slideshow) and the
// slideshow (/preview/slideshow, where a tap anywhere leads back to the
// board): a round is the link to the slideshow, then a tap back.
type browserBench struct {
	w, h    int
	fb      *framebuffer
	dmg     *damages
	x       *xgb.Conn
	root    xproto.Window
	kiosk   *browser.Kiosk
	link    point // the board page's link to the slideshow
	lastTap time.Time
	frames  float64 // whole frames the last tap presented
	before  []byte
	at      []byte
	stop    []func()
}

// browserKinds are the browser's taps, in the order of a round.
var browserKinds = []string{"link", "back"}

// startBrowser starts a backend on loopback, an Xvfb and the kiosk on the
// board page, and waits for the page.
func startBrowser(chromium, work string, w, h, display int) (*browserBench, error) {
	bb := &browserBench{w: w, h: h}
	fail := func(err error) (*browserBench, error) { bb.close(); return nil, err }
	if err := os.MkdirAll(filepath.Join(work, "fb"), 0o755); err != nil {
		return nil, err
	}
	srv, err := backend.New(backend.Options{DataDir: filepath.Join(work, "backend"), Tokens: []string{"T"}, Demo: true})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	bb.stop = append(bb.stop, func() { hs.Close(); srv.Close() })

	disp := fmt.Sprintf(":%d", display)
	xvfb := exec.Command("Xvfb", disp, "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-fbdir", filepath.Join(work, "fb"), "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		return fail(fmt.Errorf("start Xvfb: %w", err))
	}
	bb.stop = append(bb.stop, func() { xvfb.Process.Signal(syscall.SIGTERM); xvfb.Wait() })
	if err := benchenv.WaitFile(fmt.Sprintf("/tmp/.X11-unix/X%d", display), 10*time.Second); err != nil {
		return fail(err)
	}
	if bb.fb, err = openFramebuffer(filepath.Join(work, "fb", "Xvfb_screen0")); err != nil {
		return fail(err)
	}
	bb.stop = append(bb.stop, bb.fb.close)
	if bb.dmg, err = watchDamage(disp); err != nil {
		return fail(err)
	}
	bb.stop = append(bb.stop, bb.dmg.close)
	if bb.x, err = xgb.NewConnDisplay(disp); err != nil {
		return fail(err)
	}
	bb.stop = append(bb.stop, bb.x.Close)
	if err := xtest.Init(bb.x); err != nil {
		return fail(fmt.Errorf("XTest: %w", err))
	}
	bb.root = xproto.Setup(bb.x).DefaultScreen(bb.x).Root

	logf, err := os.Create(filepath.Join(work, "browser.log"))
	if err != nil {
		return fail(err)
	}
	bb.stop = append(bb.stop, func() { logf.Close() })
	start := time.Now()
	bb.kiosk, err = browser.Start(chromium, work, disp, "http://"+ln.Addr().String()+"/preview/board?department=d1", w, h, true, logf)
	if err != nil {
		return fail(err)
	}
	bb.stop = append(bb.stop, bb.kiosk.Stop)
	if err := bb.waitPage("/preview/board", 60*time.Second); err != nil {
		return fail(fmt.Errorf("browser: %w", err))
	}
	if err := bb.settle(30*time.Second, time.Second); err != nil {
		return fail(fmt.Errorf("browser: %w", err))
	}
	x, y, err := bb.kiosk.Center("a.photos")
	if err != nil {
		return fail(fmt.Errorf("browser: %w", err))
	}
	bb.link = point{x, y}
	log.Printf("browser %dx%d: the board page settled %.2f s after start; its link to the slideshow at %d,%d", w, h, time.Since(start).Seconds(), x, y)
	return bb, nil
}

func (bb *browserBench) close() {
	for i := len(bb.stop) - 1; i >= 0; i-- {
		bb.stop[i]()
	}
	bb.stop = nil
}

// waitPage waits until the page at path has loaded.
func (bb *browserBench) waitPage(path string, limit time.Duration) error {
	end := time.Now().Add(limit)
	last := ""
	for time.Now().Before(end) {
		select {
		case <-bb.kiosk.Done():
			return fmt.Errorf("the browser exited (see browser.log)")
		default:
		}
		v, err := bb.kiosk.Eval(`location.pathname + " " + document.readyState`)
		if err == nil {
			last = v
			if strings.Contains(v, path+" complete") {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the page %s did not load in %s (last: %s)", path, limit, last)
}

// settle waits until the screen has not changed for quiet.
func (bb *browserBench) settle(limit, quiet time.Duration) error {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		select {
		case <-bb.dmg.c:
		case <-time.After(quiet):
			return nil
		}
	}
	return fmt.Errorf("the browser's screen did not settle in %s", limit)
}

// round taps the link to the slideshow, then the slideshow back to the
// board, and checks that each tap led to its page.
func (bb *browserBench) round(s *series) error {
	steps := []struct {
		kind, page string
		at         point
	}{
		{"link", "/preview/slideshow", bb.link},
		{"back", "/preview/board", point{bb.w / 2, bb.h / 3}},
	}
	for _, st := range steps {
		first, last, err := bb.tap(st.at)
		if err != nil {
			return fmt.Errorf("%s: %w", st.kind, err)
		}
		// After the timing: the tap must have led to its page.
		if err := bb.waitPage(st.page, 10*time.Second); err != nil {
			return fmt.Errorf("%s: %w", st.kind, err)
		}
		if len(s.times) == 0 {
			s.first = first
		}
		s.times[st.kind] = append(s.times[st.kind], first)
		s.settled[st.kind] = append(s.settled[st.kind], last)
		s.frames[st.kind] = append(s.frames[st.kind], bb.frames)
	}
	return nil
}

// tap sends one instant tap at p and returns the times from sending it to
// the first changed frame and to the last change before the screen was
// quiet for 500 ms (a browser may paint a new page in steps).
func (bb *browserBench) tap(p point) (first, last time.Duration, err error) {
	waitTapSlot(0, bb.lastTap)
	if err := bb.settle(5*time.Second, 150*time.Millisecond); err != nil {
		return 0, 0, err
	}
	bb.before = bb.fb.copyInto(bb.before)
	area0 := bb.dmg.area.Load()
	defer func() { bb.frames = float64(bb.dmg.area.Load()-area0) / float64(bb.w*bb.h) }()
	t0 := time.Now()
	bb.lastTap = t0
	press(bb.x, bb.root, p)
	bb.at = append(bb.at[:0], bb.before...)
	limit := time.After(10 * time.Second)
	quiet := time.NewTimer(time.Hour)
	defer quiet.Stop()
	for {
		select {
		case <-bb.dmg.c:
			if !bb.fb.equal(bb.at) {
				d := time.Since(t0)
				if first == 0 {
					first = d
				}
				last = d
				bb.at = bb.fb.copyInto(bb.at)
			}
			quiet.Reset(500 * time.Millisecond)
		case <-quiet.C:
			if first != 0 {
				return first, last, nil
			}
			quiet.Reset(500 * time.Millisecond)
		case <-limit:
			return 0, 0, fmt.Errorf("the tap at %v: no changed frame in 10 s", p)
		}
	}
}

// reportBrowser prints the browser's taps beside the screen's page button
// of the same size, run interleaved with them.
func reportBrowser(w io.Writer, screen []series, br []series) {
	if len(br) == 0 {
		return
	}
	fmt.Fprintln(w, "\nThe browser kiosk, tapped in turn with the screen (a screen round, then a browser round):")
	fmt.Fprintln(w, "\n| size | when | tap -> answer | n | first change p50 (ms) | p95 (ms) | max (ms) | page settled p50 / p95 (ms) | frames presented, mean |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range br {
		for _, k := range browserKinds {
			ts := s.times[k]
			if len(ts) == 0 {
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %s | %d | %.0f | %.0f | %.0f | %.0f / %.0f | %.1f |\n", s.size, s.when, label(k), len(ts),
				ms(pct(ts, 50)), ms(pct(ts, 95)), ms(pct(ts, 100)), ms(pct(s.settled[k], 50)), ms(pct(s.settled[k], 95)), mean(s.frames[k]))
		}
	}
	fmt.Fprintln(w, "\n| size | when | screen page button p50 / p95 (ms) | browser link, first change p50 / p95 (ms) | ratio p50 / p95 | browser link, page settled p50 / p95 | ratio p50 / p95 |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, b := range br {
		for _, s := range screen {
			if s.size != b.size || s.when != b.when || len(s.times["page"]) == 0 || len(b.times["link"]) == 0 {
				continue
			}
			sp50, sp95 := ms(pct(s.times["page"], 50)), ms(pct(s.times["page"], 95))
			bp50, bp95 := ms(pct(b.times["link"], 50)), ms(pct(b.times["link"], 95))
			bs50, bs95 := ms(pct(b.settled["link"], 50)), ms(pct(b.settled["link"], 95))
			fmt.Fprintf(w, "| %s | %s | %.0f / %.0f | %.0f / %.0f | %.2f / %.2f | %.0f / %.0f | %.2f / %.2f |\n", s.size, s.when,
				sp50, sp95, bp50, bp95, sp50/bp50, sp95/bp95, bs50, bs95, sp50/bs50, sp95/bs95)
		}
	}
}
