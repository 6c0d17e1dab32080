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
//	go build -o /tmp/skaerm-bin/ ./cmd/skaerm-screen ./cmd/skaerm-backend
//	go run ./build/bench/footprint -bin /tmp/skaerm-bin -static 2m -slideshow 10m -every 30s
package main

import (
	"bufio"
	"encoding/json"
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
	if err := run(*bin, work, *size, benchenv.FreeDisplay(*display), *static, *slideshow, *every); err != nil {
		log.Fatal(err)
	}
	log.Printf("load after: %s", benchenv.LoadAvg())
}

func run(bin, work, size string, display int, static, slideshow, every time.Duration) error {
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

	conf := filepath.Join(work, "skaerm.toml")
	text := fmt.Sprintf("[backend]\nurl = %q\n\n[cache]\npath = %q\n\n[screen]\nidle_after = %q\n",
		"http://"+addr, filepath.Join(work, "cache.db"), static.String())
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
	fmt.Println("| t (s) | page | CPU (% of a core) | PSS (MiB) | Go heap | other anon (C heap, GL textures) | libLLVM | Mesa | binary | other libraries and files |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	end := start.Add(static + slideshow)
	var memLines []string
	cpu0, t0 := proctree.CPU(pid), time.Now()
	for next := start.Add(every); !next.After(end); next = next.Add(every) {
		time.Sleep(time.Until(next))
		cpu1, t1 := proctree.CPU(pid), time.Now()
		sp, err := split(pid)
		if err != nil {
			return err
		}
		page := "Today"
		if t1.Sub(start) > static+time.Second {
			page = "slideshow"
		}
		fmt.Printf("| %.0f | %s | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
			t1.Sub(start).Seconds(), page, 100*(cpu1-cpu0).Seconds()/t1.Sub(t0).Seconds(),
			mib(sp.total()), mib(sp.goHeap), mib(sp.anon), mib(sp.llvm), mib(sp.mesa), mib(sp.binary), mib(sp.libs))
		cpu0, t0 = cpu1, t1
		memLines = append(memLines, fmt.Sprintf("- %.0f s: %s", t1.Sub(start).Seconds(), memoryLine(filepath.Join(work, "cache.db.status.json"))))
	}
	fmt.Println("\nThe screen's own account (the status report's memory line, written every 30 s):")
	fmt.Println(strings.Join(memLines, "\n"))
	return nil
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
