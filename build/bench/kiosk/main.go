// Command kiosk measures the screen against a browser kiosk showing the same
// board, on one Xvfb with Mesa software GL: CPU of the whole process tree
// over a static minute, CPU during the screen's idle slideshow, proportional
// memory (PSS) and the time from process start to the finished first frame.
//
// Both clients talk to one reference backend process started here
// (skaerm-backend --demo), so neither pays for the backend. Each run gets a
// fresh Xvfb whose framebuffer is memory-mapped into a file (-fbdir); the
// start-up time is read from that file the same way for both: the first
// moment the framebuffer equals the picture it settles on.
//
//	go build -o /tmp/skaerm-bin/ ./cmd/skaerm ./cmd/skaerm-screen ./cmd/skaerm-backend
//	go run ./build/bench/kiosk -bin /tmp/skaerm-bin -reps 3
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"skaerm/build/bench/internal/benchenv"
	"skaerm/build/bench/internal/browser"
	"skaerm/build/bench/internal/proctree"
)

type result struct {
	Startup time.Duration // process start to the settled first frame
	// WarmStartup is the same for a second start with the cache (or the
	// browser profile) the first one left (-startup-only).
	WarmStartup time.Duration
	StaticCPU   float64 // share of one core over the static window
	IdleCPU     float64 // share of one core over the slideshow window (skaerm only)
	XvfbCPU     float64 // the X server's share during the static window
	PSS         int64   // bytes, at the end of the static window
}

type config struct {
	bin, chromium string
	display       int
	static, idle  time.Duration
	windowed      bool
	startupOnly   bool
	together      bool
	work          string
	backendURL    string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "", "folder holding skaerm, skaerm-screen and skaerm-backend (required)")
	flag.StringVar(&cfg.chromium, "chromium", "chromium", "the browser")
	flag.IntVar(&cfg.display, "display", 91, "X display number for the Xvfb runs")
	flag.DurationVar(&cfg.static, "static", 60*time.Second, "length of each measuring window")
	flag.BoolVar(&cfg.windowed, "windowed", false, "run skaerm with --windowed (a 1280x720 window) instead of fullscreen")
	flag.BoolVar(&cfg.startupOnly, "startup-only", false, "measure only start-up: cold, then warm (a second start with the cache or profile the first left)")
	reps := flag.Int("reps", 3, "repetitions of each measurement (the median is reported)")
	keep := flag.Bool("keep", false, "keep the work folder (logs, shots) after the run")
	only := flag.String("only", "", "skaerm or chromium: measure one of them")
	flag.BoolVar(&cfg.together, "together", false, "run both clients at once, each on an Xvfb of its own, and measure both in the same windows")
	flag.Parse()
	if cfg.bin == "" {
		log.Fatal("-bin is required")
	}
	cfg.idle = cfg.static
	work, err := os.MkdirTemp("", "skaerm-kiosk-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(work)
	}
	log.Printf("work folder %s", work)
	cfg.work = work

	port, err := freePort()
	if err != nil {
		log.Fatal(err)
	}
	backend := exec.Command(filepath.Join(cfg.bin, "skaerm-backend"), "--demo", "--token", "T",
		"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data", filepath.Join(work, "backend"))
	backend.Stdout, backend.Stderr = io.Discard, io.Discard
	if err := backend.Start(); err != nil {
		log.Fatal(err)
	}
	cfg.backendURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := benchenv.WaitHTTP(cfg.backendURL+"/preview/board?department=d1", 20*time.Second); err != nil {
		backend.Process.Kill()
		log.Fatal(err)
	}

	sk, ch, err := measureAll(cfg, *reps, *only)
	backend.Process.Signal(syscall.SIGTERM)
	backend.Wait()
	if err != nil {
		log.Fatal(err)
	}
	report(os.Stdout, cfg, sk, ch)
}

// measureAll alternates the two clients, reps times (or runs them
// together, with -together).
func measureAll(cfg config, reps int, only string) (sk, ch []result, err error) {
	for i := 0; i < reps; i++ {
		if cfg.together && only == "" && !cfg.startupOnly {
			s, c, err := measureTogether(cfg, i)
			if err != nil {
				return sk, ch, fmt.Errorf("run %d: %w", i+1, err)
			}
			log.Printf("skaerm   run %d: %s", i+1, s)
			log.Printf("chromium run %d: %s", i+1, c)
			sk, ch = append(sk, s), append(ch, c)
			continue
		}
		for _, what := range []string{"skaerm", "chromium"} {
			if only != "" && only != what {
				continue
			}
			r, err := measure(cfg, what, i)
			if err != nil {
				return sk, ch, fmt.Errorf("%s run %d: %w", what, i+1, err)
			}
			log.Printf("%-8s run %d: %s", what, i+1, r)
			if what == "skaerm" {
				sk = append(sk, r)
			} else {
				ch = append(ch, r)
			}
		}
	}
	return sk, ch, nil
}

func (r result) String() string {
	return fmt.Sprintf("start-up %.2fs (warm %.2fs), static CPU %.2f%%, idle CPU %.2f%%, Xvfb CPU %.2f%%, PSS %.1f MiB",
		r.Startup.Seconds(), r.WarmStartup.Seconds(), 100*r.StaticCPU, 100*r.IdleCPU, 100*r.XvfbCPU, float64(r.PSS)/(1<<20))
}

// measure runs one client on a fresh Xvfb and takes every figure of one run.
func measure(cfg config, what string, rep int) (result, error) {
	var res result
	dir := filepath.Join(cfg.work, fmt.Sprintf("%s-%d", what, rep))
	fbdir := filepath.Join(dir, "fb")
	if err := os.MkdirAll(fbdir, 0o755); err != nil {
		return res, err
	}
	// A display of its own per run: a stopped Xvfb may leave its socket behind.
	n := cfg.display + 2*rep
	if what == "chromium" {
		n++
	}
	n = benchenv.FreeDisplay(n)
	disp := fmt.Sprintf(":%d", n)
	xvfb := exec.Command("Xvfb", disp, "-screen", "0", "1920x1080x24", "-fbdir", fbdir, "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		return res, fmt.Errorf("start Xvfb: %w", err)
	}
	defer func() { xvfb.Process.Signal(syscall.SIGTERM); xvfb.Wait() }()
	fbPath := filepath.Join(fbdir, "Xvfb_screen0")
	if err := benchenv.WaitFile(fbPath, 10*time.Second); err != nil {
		return res, err
	}
	time.Sleep(500 * time.Millisecond)

	if cfg.startupOnly {
		// A cold start (empty cache, new profile), then a warm one with
		// what the first left behind, as after a reboot.
		for _, warm := range []bool{false, true} {
			cl, err := launch(cfg, what, dir, disp, fbPath)
			if err != nil {
				return res, err
			}
			time.Sleep(2 * time.Second)
			cl.stop()
			if warm {
				res.WarmStartup = cl.startup
			} else {
				res.Startup = cl.startup
			}
		}
		return res, nil
	}
	cl, err := launch(cfg, what, dir, disp, fbPath)
	if err != nil {
		return res, err
	}
	pid, start := cl.pid, cl.start
	res.Startup = cl.startup

	// The static window starts 15 s after launch, well after the first frame.
	sleepUntil(start.Add(15 * time.Second))
	cpu0, x0, t0 := proctree.CPU(pid), proctree.CPU(xvfb.Process.Pid), time.Now()
	time.Sleep(cfg.static)
	cpu1, x1, t1 := proctree.CPU(pid), proctree.CPU(xvfb.Process.Pid), time.Now()
	res.StaticCPU = (cpu1 - cpu0).Seconds() / t1.Sub(t0).Seconds()
	res.XvfbCPU = (x1 - x0).Seconds() / t1.Sub(t0).Seconds()
	res.PSS = proctree.PSS(pid)
	settled, _ := os.ReadFile(fbPath)
	os.WriteFile(filepath.Join(dir, "settled.xwd"), settled, 0o644) // convert xwd:settled.xwd settled.png

	if what == "skaerm" {
		// idle_after is static+25 s after launch; the slideshow window opens
		// 10 s after that.
		sleepUntil(start.Add(idleAfter(cfg) + 10*time.Second))
		cpu0, t0 = proctree.CPU(pid), time.Now()
		time.Sleep(cfg.idle)
		cpu1, t1 = proctree.CPU(pid), time.Now()
		res.IdleCPU = (cpu1 - cpu0).Seconds() / t1.Sub(t0).Seconds()
		// The slideshow shows photos, not the Today page: the framebuffer
		// must differ from the settled one.
		now, _ := os.ReadFile(fbPath)
		if crc32.ChecksumIEEE(now) == crc32.ChecksumIEEE(settled) {
			cl.stop()
			return res, errors.New("the screen never left the Today page for its idle slideshow")
		}
		os.WriteFile(filepath.Join(dir, "idle.xwd"), now, 0o644)
	}
	cl.stop()

	// A warm start: the cache (or browser profile) the first start left, as
	// after a reboot.
	time.Sleep(time.Second)
	warm, err := launch(cfg, what, dir, disp, fbPath)
	if err != nil {
		return res, fmt.Errorf("warm start: %w", err)
	}
	warm.stop()
	res.WarmStartup = warm.startup
	return res, nil
}

// launched is a running client whose first frame has settled.
type launched struct {
	pid     int
	start   time.Time
	startup time.Duration
	stop    func()
}

// launch starts a client early in a minute (so the clocks on both pages do
// not turn while the first frame is judged) and waits for its first frame.
func launch(cfg config, what, dir, disp, fbPath string) (*launched, error) {
	for s := time.Now().Second(); s < 1 || s > 30; s = time.Now().Second() {
		time.Sleep(200 * time.Millisecond)
	}
	cmd, err := client(cfg, what, dir, disp)
	if err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(filepath.Join(dir, "client.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", what, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop := func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		logf.Close()
	}
	startup, err := firstFrame(fbPath, start, 45*time.Second, done)
	if err != nil {
		stop()
		return nil, err
	}
	return &launched{pid: cmd.Process.Pid, start: start, startup: startup, stop: stop}, nil
}

func idleAfter(cfg config) time.Duration {
	if cfg.together {
		// The browser starts after the screen's first frame, early in a
		// minute: up to ~70 s later, and the static window follows it.
		return 15*time.Second + cfg.static + 10*time.Second + 70*time.Second
	}
	return 15*time.Second + cfg.static + 10*time.Second
}

// display is a fresh Xvfb whose framebuffer is mapped into a file.
type display struct {
	disp, fbPath string
	xvfb         *exec.Cmd
}

func startDisplay(dir string, n int) (*display, error) {
	fbdir := filepath.Join(dir, "fb")
	if err := os.MkdirAll(fbdir, 0o755); err != nil {
		return nil, err
	}
	n = benchenv.FreeDisplay(n)
	d := &display{disp: fmt.Sprintf(":%d", n), fbPath: filepath.Join(fbdir, "Xvfb_screen0")}
	d.xvfb = exec.Command("Xvfb", d.disp, "-screen", "0", "1920x1080x24", "-fbdir", fbdir, "-nolisten", "tcp")
	if err := d.xvfb.Start(); err != nil {
		return nil, fmt.Errorf("start Xvfb: %w", err)
	}
	if err := benchenv.WaitFile(d.fbPath, 10*time.Second); err != nil {
		d.stop()
		return nil, err
	}
	if err := benchenv.WaitFile(fmt.Sprintf("/tmp/.X11-unix/X%d", n), 10*time.Second); err != nil {
		d.stop()
		return nil, err
	}
	time.Sleep(500 * time.Millisecond)
	return d, nil
}

func (d *display) stop() { d.xvfb.Process.Signal(syscall.SIGTERM); d.xvfb.Wait() }

// measureTogether runs both clients at once, each on an Xvfb of its own:
// the screen starts first, the browser once the screen's first frame has
// settled; then the static window and PSS of both at the same time, and
// the screen's slideshow window with the browser on its static page in
// the same minute. The warm starts come after, one at a time.
func measureTogether(cfg config, rep int) (sk, ch result, err error) {
	whats := []string{"skaerm", "chromium"}
	var disps [2]*display
	var cls [2]*launched
	var res [2]*result
	res[0], res[1] = &sk, &ch
	for i, what := range whats {
		dir := filepath.Join(cfg.work, fmt.Sprintf("%s-%d", what, rep))
		if disps[i], err = startDisplay(dir, cfg.display+2*rep+i); err != nil {
			return sk, ch, err
		}
		defer disps[i].stop()
	}
	for i, what := range whats {
		dir := filepath.Join(cfg.work, fmt.Sprintf("%s-%d", what, rep))
		cl, err := launch(cfg, what, dir, disps[i].disp, disps[i].fbPath)
		if err != nil {
			return sk, ch, err
		}
		defer func() {
			if cls[i] != nil {
				cls[i].stop()
			}
		}()
		cls[i] = cl
		res[i].Startup = cl.startup
	}
	skStart := cls[0].start
	sleepUntil(cls[1].start.Add(15 * time.Second))
	if end := time.Now().Add(cfg.static); end.After(skStart.Add(idleAfter(cfg))) {
		return sk, ch, fmt.Errorf("the static window would end %s after the screen's slideshow started", end.Sub(skStart.Add(idleAfter(cfg))))
	}
	cpu := func() (c [2]time.Duration, x [2]time.Duration, t time.Time) {
		for i := range whats {
			c[i], x[i] = proctree.CPU(cls[i].pid), proctree.CPU(disps[i].xvfb.Process.Pid)
		}
		return c, x, time.Now()
	}
	c0, x0, t0 := cpu()
	time.Sleep(cfg.static)
	c1, x1, t1 := cpu()
	for i := range whats {
		res[i].StaticCPU = (c1[i] - c0[i]).Seconds() / t1.Sub(t0).Seconds()
		res[i].XvfbCPU = (x1[i] - x0[i]).Seconds() / t1.Sub(t0).Seconds()
		res[i].PSS = proctree.PSS(cls[i].pid)
	}
	settled, _ := os.ReadFile(disps[0].fbPath)

	sleepUntil(skStart.Add(idleAfter(cfg) + 10*time.Second))
	c0, _, t0 = cpu()
	time.Sleep(cfg.idle)
	c1, _, t1 = cpu()
	sk.IdleCPU = (c1[0] - c0[0]).Seconds() / t1.Sub(t0).Seconds()
	// The browser has no slideshow: its idle is its static page.
	ch.IdleCPU = (c1[1] - c0[1]).Seconds() / t1.Sub(t0).Seconds()
	now, _ := os.ReadFile(disps[0].fbPath)
	if crc32.ChecksumIEEE(now) == crc32.ChecksumIEEE(settled) {
		return sk, ch, errors.New("the screen never left the Today page for its idle slideshow")
	}
	for i := range whats {
		cls[i].stop()
		cls[i] = nil
	}
	// Warm starts, one at a time, with what the first start left.
	for i, what := range whats {
		time.Sleep(time.Second)
		dir := filepath.Join(cfg.work, fmt.Sprintf("%s-%d", what, rep))
		warm, err := launch(cfg, what, dir, disps[i].disp, disps[i].fbPath)
		if err != nil {
			return sk, ch, fmt.Errorf("%s: warm start: %w", what, err)
		}
		warm.stop()
		res[i].WarmStartup = warm.startup
	}
	return sk, ch, nil
}

// client builds the command line of one client.
func client(cfg config, what, dir, disp string) (*exec.Cmd, error) {
	var cmd *exec.Cmd
	switch what {
	case "skaerm":
		conf := filepath.Join(dir, "skaerm.toml")
		// No off hours: the default schedule switches the display off at
		// night (once the clock is trusted), and black is not the board.
		text := fmt.Sprintf("[backend]\nurl = %q\n\n[cache]\npath = %q\n\n[screen]\nidle_after = %q\n\n[power]\nschedule = []\n",
			cfg.backendURL, filepath.Join(dir, "cache.db"), idleAfter(cfg).String())
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			return nil, err
		}
		// No --shots: encoding a PNG of every new page would be measured too.
		args := []string{"run", "--config", conf, "--token", "T"}
		if cfg.windowed {
			args = append(args, "--windowed")
		}
		// As the service starts it: the drawing program itself, with the GPU
		// driver's shader cache in a folder of its own (the unit's
		// CacheDirectory), empty at the cold start as Chromium's new profile.
		cmd = exec.Command(filepath.Join(cfg.bin, "skaerm-screen"), args...)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(dir, "xdg-cache"))
	case "chromium":
		profile := filepath.Join(dir, "profile")
		// A Danish kiosk has translation switched off; without it Chromium
		// offers to translate the page and the bubble changes the picture.
		if err := browser.Prepare(profile); err != nil {
			return nil, err
		}
		cmd = exec.Command(cfg.chromium, browser.Flags(profile, cfg.backendURL+"/preview/board?department=d1", 1920, 1080)...)
	default:
		return nil, fmt.Errorf("unknown client %q", what)
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "DISPLAY="+disp)
	return cmd, nil
}

// firstFrame polls the framebuffer every 50 ms until it has not changed for
// 5 s, and returns when it first showed that settled picture.
func firstFrame(fbPath string, start time.Time, limit time.Duration, exited <-chan struct{}) (time.Duration, error) {
	f, err := os.Open(fbPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	head := make([]byte, 8)
	if _, err := f.ReadAt(head, 0); err != nil {
		return 0, err
	}
	hdr := int64(binary.BigEndian.Uint32(head[0:4]))
	buf := make([]byte, st.Size()-hdr)
	type sample struct {
		at  time.Time
		sum uint32
	}
	var samples []sample
	blank := uint32(0)
	for {
		if _, err := f.ReadAt(buf, st.Size()-int64(len(buf))); err != nil {
			return 0, fmt.Errorf("read framebuffer: %w", err)
		}
		now := time.Now()
		sum := crc32.ChecksumIEEE(buf)
		if len(samples) == 0 {
			blank = sum
		}
		samples = append(samples, sample{now, sum})
		// Settled: the same non-blank picture for the last 5 s.
		if sum != blank {
			first := len(samples) - 1
			for first > 0 && samples[first-1].sum == sum {
				first--
			}
			if now.Sub(samples[first].at) >= 5*time.Second {
				return samples[first].at.Sub(start), nil
			}
		}
		select {
		case <-exited:
			return 0, errors.New("the client exited before its first frame settled (see client.log)")
		default:
		}
		if now.Sub(start) > limit {
			return 0, fmt.Errorf("the screen did not settle within %s", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func report(w io.Writer, cfg config, sk, ch []result) {
	med := func(rs []result, f func(result) float64) float64 {
		if len(rs) == 0 {
			return 0
		}
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	all := func(rs []result, f func(result) float64, format string) string {
		var parts []string
		for _, r := range rs {
			parts = append(parts, fmt.Sprintf(format, f(r)))
		}
		return strings.Join(parts, ", ")
	}
	type row struct {
		name, unit, format string
		f                  func(result) float64
	}
	rows := []row{
		{"start-up to settled first frame", "s", "%.2f", func(r result) float64 { return r.Startup.Seconds() }},
		{"start-up, warm (second start)", "s", "%.2f", func(r result) float64 { return r.WarmStartup.Seconds() }},
		{"CPU, static screen (60 s)", "% of a core", "%.2f", func(r result) float64 { return 100 * r.StaticCPU }},
		{"CPU, idle slideshow (60 s)", "% of a core", "%.2f", func(r result) float64 { return 100 * r.IdleCPU }},
		{"Xvfb CPU during the static window", "% of a core", "%.2f", func(r result) float64 { return 100 * r.XvfbCPU }},
		{"PSS of the process tree", "MiB", "%.1f", func(r result) float64 { return float64(r.PSS) / (1 << 20) }},
	}
	fmt.Fprintf(w, "\nmedians of %d runs (each run's value in brackets); skaerm windowed=%v, both at once=%v\n\n", max(len(sk), len(ch)), cfg.windowed, cfg.together)
	fmt.Fprintln(w, "| measure | skaerm | Chromium kiosk | skaerm / Chromium |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, r := range rows {
		s, c := med(sk, r.f), med(ch, r.f)
		if s == 0 && c == 0 {
			continue // not measured in this mode
		}
		if r.name == "CPU, idle slideshow (60 s)" {
			// Chromium has no slideshow: its idle is the static page with
			// its meta refresh.
			c = med(ch, rows[2].f)
		}
		ratio := "-"
		if c > 0 {
			ratio = fmt.Sprintf("%.3f", s/c)
		}
		cs := all(ch, r.f, r.format)
		if r.name == "CPU, idle slideshow (60 s)" {
			cs = "(static page)"
		}
		fmt.Fprintf(w, "| %s (%s) | "+r.format+" [%s] | "+r.format+" [%s] | %s |\n", r.name, r.unit, s, all(sk, r.f, r.format), c, cs, ratio)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func sleepUntil(t time.Time) {
	if d := time.Until(t); d > 0 {
		time.Sleep(d)
	}
}
