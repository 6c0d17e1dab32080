// Package display is the Screen: a fullscreen Ebitengine renderer of the
// board that residents of 85 can read from two metres and use with an
// unsteady finger. It draws from the local cache only, never the network.
//
// # Basics
//
// New takes a Source (the cache) and a clock; Run shows it until the context
// ends. What goes where is decided by display/layout in plain Go; which page
// is shown, what a tap does, the timers and the sign-ups waiting to be
// written are the game state in display/internal/game, also plain Go. This
// package is the Ebitengine adapter around them: it reads the Source on a
// loader goroutine, reads taps, writes sign-ups on a writer goroutine,
// paints the layout's boxes (paint.go),
// answers screenshots (shots.go) and keeps the game loop idle: nothing is drawn unless the board, the minute, a touch
// or a timer changed something, and Ebitengine sleeps between frames
// (FPSModeVsyncOffMinimum, woken by ScheduleFrame).
//
// An Update waits, and then only for a bounded time, in two places: the
// turn that took a confirmation waits up to writeWait (50 ms) for the
// outbox write, so that a quick write is said in the frame that closes the
// sheet; and a turn that saw the pointer stir waits up to pressWait (15 ms)
// for the X reader's report of that press. It never waits on the Source's
// reads, nor past those bounds: a slow disk delays the outcome to a turn of
// its own.
//
// A sign-up takes two taps on the resident's own face and a "Ja, tilmeld
// Karen" button; only then is it written to the Source's outbox. Taps act on
// release inside the target they started in; a second tap within 300 ms is a
// bounce and is ignored. On X11 the presses and releases come from the X
// server's XInput2 raw events on a connection of their own, each with its
// time, not from the button state Ebitengine samples per frame: a tap whose
// press and release arrive together (a touch driver may send them so) still
// counts once. A finger on a touch screen (Xorg's libinput driver, a direct
// touch device) is reported raw as a touch (RawTouchBegin, RawTouchEnd), not
// as a button: the X server turns it into button events only for the
// windows, so the reader takes the first finger's touches as the press and
// release (touch.go; the field lab's touch check, build/lab, taps through
// such a device).
//
// # Caveats
//
// Only this package and its subpackages may import ebiten: a program that
// does panics at start-up when DISPLAY is unset, so the display tests run
// under Xvfb (xvfb-run -a go test -p 1 ./display/). Only one Ebitengine game
// can run per process, so Snapshot and Run must not be used together.
package display
