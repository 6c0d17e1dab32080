// Command screen is the screen the tap bench (build/bench/tap) taps: the
// real display.Screen, fullscreen, on a cache the bench synced, with the
// bench's clock, its log (taps included) as JSON on stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"skaerm/cache"
	"skaerm/display"
)

// shifted is the real clock moved by a fixed offset: the screen and the
// bench see the same morning, and taps keep their real distance in time.
type shifted struct{ by time.Duration }

func (c shifted) Now() time.Time                         { return time.Now().Add(c.by) }
func (c shifted) After(d time.Duration) <-chan time.Time { return time.After(d) }

func main() {
	cachePath := flag.String("cache", "", "the cache file")
	offset := flag.Duration("offset", 0, "the clock's offset from real time")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if err := runScreen(*cachePath, *offset, *cpuProfile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// runScreen is the screen process: the real display.Screen, fullscreen, on
// the cache the bench synced, its log (taps included) as JSON on stderr.
func runScreen(cachePath string, offset time.Duration, cpuProfile string) error {
	c, err := cache.Open(cachePath, cache.Options{})
	if err != nil {
		return fmt.Errorf("open cache: %w", err)
	}
	defer c.Close()
	n := 0
	scr, err := display.New(display.Options{
		Source: c, Clock: shifted{offset}, Fullscreen: true,
		Logger: slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})),
		// The loop sleeps on the static page however long the bench waits:
		// no slideshow, no "last updated" line.
		IdleAfter: 24 * time.Hour, OfflineAfter: 24 * time.Hour,
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) },
	})
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return scr.Run(ctx)
}
