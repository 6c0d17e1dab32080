// Command footprint measures the screen's memory and CPU over time: the
// Today page first, then the idle slideshow, sampled at a fixed interval.
// Each sample splits the proportional set size (PSS) of the screen process
// by what it is, from /proc/PID/smaps:
//
//   - Go heap: anonymous mappings between the binary and the mmap area
//     (x86-64), where Go 1.26 places its heap arenas (at a random address),
//     i.e. the Go heap as the kernel sees it;
//   - other anonymous memory: the C heap (malloc) and mappings of the GL
//     driver, which under Mesa's llvmpipe hold the textures (Ebitengine's
//     atlas, the screen, scaled pictures), plus thread stacks;
//   - libLLVM (llvmpipe's shader compiler), the Mesa driver (*_dri.so,
//     libgallium, libGL/EGL/GLX), the screen's own binary (with the Go
//     runtime's bss), other libraries.
//
// The screen is skaerm-screen run, as the service starts it, against the
// reference backend's demo care home, on an Xvfb of its own.
//
// With -browser, a Chromium kiosk runs beside it in the same run, on an
// Xvfb of its own against the same backend: the board page
// (/preview/board) while the screen shows its Today page, then, at the
// moment the screen starts its slideshow, the page's link to the same
// slideshow as a web page (/preview/slideshow: the same photos, order and
// pace). Each sample then has the CPU and PSS of the browser's whole
// process tree too, and the end gives both side by side: the slideshow's
// PSS over the static page and the CPU of each phase.
//
//	go build -o /tmp/skaerm-bin/ ./cmd/skaerm-screen ./cmd/skaerm-backend
//	go run ./build/bench/footprint -bin /tmp/skaerm-bin -static 2m -slideshow 10m -every 30s [-browser]
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"skaerm/build/bench/internal/benchenv"
	"skaerm/build/bench/internal/browser"
	"skaerm/build/bench/internal/proctree"
)

func main() {
	bin := flag.String("bin", "", "folder holding skaerm-screen and skaerm-backend (required)")
	static := flag.Duration("static", 2*time.Minute, "time on the Today page before the slideshow starts (the screen's idle_after)")
	slideshow := flag.Duration("slideshow", 10*time.Minute, "time in the slideshow")
	every := flag.Duration("every", 30*time.Second, "sampling interval")
	size := flag.String("size", "1920x1080", "screen size")
	display := flag.Int("display", 95, "first X display number to try")
	keep := flag.Bool("keep", false, "keep the work folder")
	withBrowser := flag.Bool("browser", false, "run a Chromium kiosk of the same pages beside the screen")
	chromium := flag.String("chromium", "chromium", "the browser, with -browser")
	flag.StringVar(&offHours, "off", "", `off hours for the screen as a [power] schedule rule, e.g. "daily off 00:00-23:59" (default none: the display stays on)`)
	flag.Parse()
	if *bin == "" {
		log.Fatal("-bin is required")
	}
	work, err := os.MkdirTemp("", "skaerm-footprint-")
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(work)
	}
	log.Printf("work folder %s; load %s", work, benchenv.LoadAvg())
	br := ""
	if *withBrowser {
		br = *chromium
	}
	if err := run(*bin, work, *size, benchenv.FreeDisplay(*display), *static, *slideshow, *every, br); err != nil {
		log.Fatal(err)
	}
	log.Printf("load after: %s", benchenv.LoadAvg())
}

// offHours is the screen's one [power] schedule rule, "" for none.
var offHours string

func run(bin, work, size string, display int, static, slideshow, every time.Duration, chromium string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	backend := exec.Command(filepath.Join(bin, "skaerm-backend"), "--demo", "--token", "T",
		"--listen", addr, "--data", filepath.Join(work, "backend"))
	if err := backend.Start(); err != nil {
		return err
	}
	defer func() { backend.Process.Signal(syscall.SIGTERM); backend.Wait() }()
	if err := benchenv.WaitHTTP("http://"+addr+"/preview/board?department=d1", 20*time.Second); err != nil {
		return err
	}

	disp := fmt.Sprintf(":%d", display)
	xvfb := exec.Command("Xvfb", disp, "-screen", "0", size+"x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		return fmt.Errorf("start Xvfb: %w", err)
	}
	defer func() { xvfb.Process.Kill(); xvfb.Wait() }()
	if err := benchenv.WaitFile(fmt.Sprintf("/tmp/.X11-unix/X%d", display), 10*time.Second); err != nil {
		return err
	}

	// The browser's own X server, the same size.
	var kiosk *browser.Kiosk
	var bxvfb *exec.Cmd
	var bw, bh int
	if chromium != "" {
		if _, err := fmt.Sscanf(size, "%dx%d", &bw, &bh); err != nil {
			return fmt.Errorf("size %q: want WxH", size)
		}
		bdisplay := benchenv.FreeDisplay(display + 1)
		bdisp := fmt.Sprintf(":%d", bdisplay)
		bxvfb = exec.Command("Xvfb", bdisp, "-screen", "0", size+"x24", "-nolisten", "tcp")
		if err := bxvfb.Start(); err != nil {
			return fmt.Errorf("start Xvfb: %w", err)
		}
		defer func() { bxvfb.Process.Signal(syscall.SIGTERM); bxvfb.Wait() }()
		if err := benchenv.WaitFile(fmt.Sprintf("/tmp/.X11-unix/X%d", bdisplay), 10*time.Second); err != nil {
			return err
		}
		blog, err := os.Create(filepath.Join(work, "browser.log"))
		if err != nil {
			return err
		}
		defer blog.Close()
		kiosk, err = browser.Start(chromium, filepath.Join(work, "browser"), bdisp,
			"http://"+addr+"/preview/board?department=d1", bw, bh, true, blog)
		if err != nil {
			return err
		}
		defer kiosk.Stop()
	}

	conf := filepath.Join(work, "skaerm.toml")
	// No off hours: the default schedule switches the display off at night
	// (once the clock is trusted), and a black screen shows no slideshow.
	schedule := "[]"
	if offHours != "" {
		schedule = fmt.Sprintf("[%q]", offHours)
	}
	text := fmt.Sprintf("[backend]\nurl = %q\n\n[cache]\npath = %q\n\n[screen]\nidle_after = %q\n\n[power]\nschedule = %s\n",
		"http://"+addr, filepath.Join(work, "cache.db"), static.String(), schedule)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		return err
	}
	scr := exec.Command(filepath.Join(bin, "skaerm-screen"), "run", "--config", conf, "--token", "T")
	scr.Env = append(os.Environ(), "DISPLAY="+disp, "XDG_CACHE_HOME="+filepath.Join(work, "xdg"))
	logf, err := os.Create(filepath.Join(work, "screen.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	scr.Stdout, scr.Stderr = logf, logf
	start := time.Now()
	if err := scr.Start(); err != nil {
		return err
	}
	defer func() { scr.Process.Signal(syscall.SIGTERM); scr.Wait() }()
	pid := scr.Process.Pid

	fmt.Printf("screen %s, idle_after %s, sampled every %s\n\n", size, static, every)
	head := "| t (s) | page | CPU (% of a core) | PSS (MiB) | Go heap | other anon (C heap, GL textures) | libLLVM | Mesa | binary | other libraries and files |"
	rule := "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	if kiosk != nil {
		head += " browser CPU (% of a core) | browser PSS (MiB) | load |"
		rule += " --- | --- | --- |"
	}
	fmt.Println(head)
	fmt.Println(rule)
	end := start.Add(static + slideshow)
	switched := false
	var memLines []string
	var samples []sample
	cpu0, t0 := proctree.CPU(pid), time.Now()
	var bcpu0 time.Duration
	if kiosk != nil {
		bcpu0 = proctree.CPU(kiosk.Pid())
	}
	for next := start.Add(every); !next.After(end); next = next.Add(every) {
		if kiosk != nil && !switched && start.Add(static).Before(next) {
			// The browser goes to its slideshow when the screen does.
			time.Sleep(time.Until(start.Add(static)))
			if _, err := kiosk.Eval(`document.querySelector("a.photos").click()`); err != nil {
				return fmt.Errorf("browser: to the slideshow: %w", err)
			}
			time.Sleep(time.Second)
			if at, err := kiosk.Eval(`location.pathname`); err != nil || !strings.Contains(at, "/preview/slideshow") {
				return fmt.Errorf("browser: the link did not lead to the slideshow (at %s, %v)", at, err)
			}
			switched = true
		}
		time.Sleep(time.Until(next))
		cpu1, t1 := proctree.CPU(pid), time.Now()
		sp, err := split(pid)
		if err != nil {
			return err
		}
		smp := sample{at: t1.Sub(start), slideshow: t1.Sub(start) > static+time.Second,
			cpu: 100 * (cpu1 - cpu0).Seconds() / t1.Sub(t0).Seconds(), pss: sp.total()}
		page := "Today"
		if smp.slideshow {
			page = "slideshow"
		}
		line := fmt.Sprintf("| %.0f | %s | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |",
			t1.Sub(start).Seconds(), page, smp.cpu,
			mib(sp.total()), mib(sp.goHeap), mib(sp.anon), mib(sp.llvm), mib(sp.mesa), mib(sp.binary), mib(sp.libs))
		if kiosk != nil {
			select {
			case <-kiosk.Done():
				return errors.New("the browser exited (see browser.log)")
			default:
			}
			bcpu1 := proctree.CPU(kiosk.Pid())
			smp.bcpu = 100 * (bcpu1 - bcpu0).Seconds() / t1.Sub(t0).Seconds()
			smp.bpss = proctree.PSS(kiosk.Pid())
			bcpu0 = bcpu1
			line += fmt.Sprintf(" %.2f | %.1f | %s |", smp.bcpu, mib(smp.bpss), strings.Fields(benchenv.LoadAvg())[0])
		}
		fmt.Println(line)
		samples = append(samples, smp)
		cpu0, t0 = cpu1, t1
		memLines = append(memLines, fmt.Sprintf("- %.0f s: %s", t1.Sub(start).Seconds(), memoryLine(filepath.Join(work, "cache.db.status.json"))))
	}
	fmt.Println("\nThe screen's own account (the status report's memory line, written every 30 s):")
	fmt.Println(strings.Join(memLines, "\n"))
	summary(samples, kiosk != nil)
	// A display switched off shows no slideshow: without -off the run
	// does not count; with it, say when it went off.
	if log, err := os.ReadFile(filepath.Join(work, "screen.log")); err == nil {
		for _, line := range strings.Split(string(log), "\n") {
			if !strings.Contains(line, `msg="display power"`) {
				continue
			}
			if offHours != "" {
				fmt.Println("\n" + line)
			} else if strings.Contains(line, "on=false") {
				return fmt.Errorf("the screen switched its display off during the run: %s", line)
			}
		}
	}
	return nil
}

// sample is one sample of the screen (and of the browser beside it).
type sample struct {
	at        time.Duration
	slideshow bool
	cpu, bcpu float64 // % of a core since the sample before
	pss, bpss int64
}

// summary prints the slideshow against the static page: PSS at the last
// static sample, then the slideshow's first, last and highest; CPU as the
// mean of each phase's samples (the static phase without the first sample,
// which holds the start-up).
func summary(samples []sample, withBrowser bool) {
	var static, show []sample
	for i, s := range samples {
		switch {
		case s.slideshow:
			show = append(show, s)
		case i > 0:
			static = append(static, s)
		}
	}
	if len(static) == 0 || len(show) == 0 {
		return
	}
	type client struct {
		name string
		cpu  func(sample) float64
		pss  func(sample) int64
	}
	clients := []client{{"skaerm", func(s sample) float64 { return s.cpu }, func(s sample) int64 { return s.pss }}}
	if withBrowser {
		clients = append(clients, client{"Chromium kiosk", func(s sample) float64 { return s.bcpu }, func(s sample) int64 { return s.bpss }})
	}
	fmt.Printf("\nThe slideshow against the static page (%d static samples after the first, %d in the slideshow):\n\n", len(static), len(show))
	fmt.Println("| client | PSS, static page (MiB) | PSS, slideshow first / last / highest (MiB) | slideshow over static, last / highest (MiB) | CPU, static page (% of a core) | CPU, slideshow (% of a core) |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	for _, c := range clients {
		base := c.pss(static[len(static)-1])
		high := int64(0)
		var cs, cw float64
		for _, s := range show {
			high = max(high, c.pss(s))
			cw += c.cpu(s)
		}
		for _, s := range static {
			cs += c.cpu(s)
		}
		first, last := c.pss(show[0]), c.pss(show[len(show)-1])
		fmt.Printf("| %s | %.1f | %.1f / %.1f / %.1f | %+.1f / %+.1f | %.2f | %.2f |\n", c.name, mib(base), mib(first), mib(last), mib(high),
			mib(last-base), mib(high-base), cs/float64(len(static)), cw/float64(len(show)))
	}
}

// memoryLine is the memory line of the screen's status report.
func memoryLine(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "no status report: " + err.Error()
	}
	var r struct {
		Extra map[string]string `json:"extra"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return "unreadable status report: " + err.Error()
	}
	if m, ok := r.Extra["memory"]; ok {
		return m
	}
	return "no memory line (a screen from before it was reported)"
}

// pss is one process's PSS by kind of mapping, in bytes.
type pss struct{ goHeap, anon, llvm, mesa, binary, libs int64 }

func (p pss) total() int64 { return p.goHeap + p.anon + p.llvm + p.mesa + p.binary + p.libs }

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// split reads /proc/PID/smaps and adds up each mapping's Pss by kind.
func split(pid int) (pss, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return pss{}, err
	}
	defer f.Close()
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	var out pss
	var cur *int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			// A mapping's header: start-end perms offset dev inode [path]
			lo, _, _ := strings.Cut(fields[0], "-")
			start, _ := strconv.ParseUint(lo, 16, 64)
			path := ""
			if len(fields) >= 6 {
				path = fields[5]
			}
			cur = out.kind(start, path, exe)
			continue
		}
		if fields[0] == "Pss:" && len(fields) >= 2 && cur != nil {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			*cur += kb << 10
		}
	}
	return out, sc.Err()
}

func (p *pss) kind(start uint64, path, exe string) *int64 {
	switch {
	case path == "" && start < 0x10000000:
		return &p.binary // the Go runtime's bss, right after the binary
	case path == "" && start < 0x7f0000000000:
		return &p.goHeap // Go 1.26 places its heap arenas at a random address below the mmap area
	case path == "" || strings.HasPrefix(path, "["):
		return &p.anon
	case path == exe:
		return &p.binary
	case strings.Contains(path, "libLLVM"):
		return &p.llvm
	case strings.Contains(path, "_dri.so") || strings.Contains(path, "libgallium") ||
		strings.Contains(path, "libGL") || strings.Contains(path, "libEGL") || strings.Contains(path, "libglapi"):
		return &p.mesa
	case strings.HasPrefix(path, "/memfd:") || strings.HasPrefix(path, "/dev/"):
		return &p.anon
	default:
		return &p.libs
	}
}
