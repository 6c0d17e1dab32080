package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/internal/xdisplay"
)

// screenBinary is the companion program that draws.
const screenBinary = "skaerm-screen"

// cmdRun checks the command line and that a display can be opened, then
// hands over to skaerm-screen. Its --help is answered here: skaerm-screen
// cannot even start without a display.
func cmdRun(_ context.Context, args []string, _, stderr io.Writer) error {
	if _, err := app.ParseRun(args, stderr); err != nil {
		return err
	}
	if err := canDraw(); err != nil {
		return err
	}
	return handOver("run", args)
}

// cmdSnapshot checks the command line (page, language, size, time, and that
// a detail page's item is on the cached board) and that a display can be
// opened, then hands over to skaerm-screen.
func cmdSnapshot(_ context.Context, args []string, _, stderr io.Writer) error {
	// real clock: a snapshot is of now unless --at says otherwise.
	f, snap, err := app.ParseSnapshot(args, stderr, time.Now())
	if err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	if err := onBoard(s.Config.Cache.Path, snap.Page); err != nil {
		return err
	}
	if err := canDraw(); err != nil {
		return err
	}
	return handOver("snapshot", args)
}

// onBoard checks that there is a cache to draw from and that a detail page
// names an item of its board.
func onBoard(cachePath string, p board.PageID) error {
	if _, err := os.Stat(cachePath); errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("no cache at %s yet: `skaerm sync --once` fills it from the backend", cachePath)
	}
	if !p.Kind.Detail() {
		return nil
	}
	c, err := cache.Open(cachePath, cache.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		return err
	}
	defer c.Close()
	b, err := c.Board()
	if err != nil {
		return fmt.Errorf("read the cached board: %w", err)
	}
	ids := itemIDs(b, p.Kind)
	if slices.Contains(ids, p.ID) {
		return nil
	}
	if len(ids) == 0 {
		return app.UsageError(fmt.Errorf("--page %s: the cached board has no %s at all", p, p.Kind))
	}
	if len(ids) > 12 {
		ids = append(ids[:12], "…")
	}
	return app.UsageError(fmt.Errorf("--page %s: no %s %q on the cached board; its ids: %s", p, p.Kind, p.ID, strings.Join(ids, ", ")))
}

// itemIDs lists the ids of the board's items of a detail kind.
func itemIDs(b *board.Board, k board.PageKind) []string {
	var ids []string
	switch k {
	case board.PageActivity:
		for _, a := range b.Activities {
			ids = append(ids, a.ID)
		}
	case board.PageMeal:
		for _, m := range b.Meals {
			ids = append(ids, m.ID)
		}
	case board.PageMeeting:
		for _, m := range b.Meetings {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// noDisplay is the one sentence a technician gets when there is nothing to
// draw on.
type noDisplay struct{ err error }

func (n noDisplay) Error() string {
	const how = "run headless with `xvfb-run -a skaerm ...`, or let the service draw on the kiosk's :0 (`systemctl start skaerm-kiosk skaerm`)"
	switch {
	case errors.Is(n.err, xdisplay.ErrNoDisplay):
		return "no display to draw on (DISPLAY is not set): " + how
	case errors.Is(n.err, xdisplay.ErrRefused):
		return "cannot open " + n.err.Error() + ": set XAUTHORITY to the X server's cookie file (the kiosk's is " + kioskCookie + "), or " + how
	}
	return "cannot open " + n.err.Error() + ": " + how
}

// canDraw checks that the X display named by DISPLAY can be opened.
func canDraw() error {
	if err := xdisplay.Open(xdisplay.Options{}); err != nil {
		return noDisplay{err}
	}
	return nil
}

// findScreen looks for skaerm-screen beside this executable, then on PATH,
// then where the package installs it.
func findScreen() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), screenBinary)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(screenBinary); err == nil {
		return p, nil
	}
	p := filepath.Join("/usr/lib/skaerm", screenBinary)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", errors.New("skaerm-screen not found beside skaerm, on PATH or in /usr/lib/skaerm: build both with 'make build'")
}

// handOver replaces this process with skaerm-screen, so systemd keeps
// watching the same PID.
func handOver(name string, args []string) error {
	bin, err := findScreen()
	if err != nil {
		return err
	}
	argv := append([]string{bin, name}, args...)
	if err := syscall.Exec(bin, argv, os.Environ()); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	return nil // not reached
}
