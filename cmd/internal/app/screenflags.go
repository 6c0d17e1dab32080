package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"skaerm/board"
	"skaerm/words"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The flags of `skaerm run` and `skaerm snapshot` live here, once, because
// two programs read them: skaerm answers --help and checks them before it
// hands over (it needs no display for either), and skaerm-screen draws.

// RunSynopsis is the synopsis of `skaerm run`.
const RunSynopsis = "[--config FILE] [--backend URL --token T] [--cache FILE] [--windowed] [--shots DIR] [--clock-from RFC3339]"

// RunFlags are the flags of `skaerm run`.
type RunFlags struct {
	Flags
	Windowed bool
	Shots    string
	// ClockFrom, when set, is the instant the screen's clock starts at;
	// it runs on from there and follows neither NTP nor the backend.
	ClockFrom time.Time
	clockFrom string
}

// Register adds the flags to fs.
func (r *RunFlags) Register(fs *flag.FlagSet) {
	r.Flags.Register(fs, true)
	fs.BoolVar(&r.Windowed, "windowed", false, "draw in a window instead of fullscreen")
	fs.StringVar(&r.Shots, "shots", "", "write a PNG of each newly drawn page into this folder")
	fs.StringVar(&r.clockFrom, "clock-from", "", "start the screen's clock at this instant, RFC 3339, and run on from there (to see the night page or the schedule by day)")
}

// ParseRun parses the command line of `skaerm run`; --help gives
// flag.ErrHelp, a bad line ErrUsage (the help written to w).
func ParseRun(args []string, w io.Writer) (RunFlags, error) {
	fs := NewFlags("run", RunSynopsis, w)
	var f RunFlags
	f.Register(fs)
	if err := Parse(fs, args); err != nil {
		return f, err
	}
	if f.clockFrom != "" {
		t, err := time.Parse(time.RFC3339, f.clockFrom)
		if err != nil {
			return f, UsageError(fmt.Errorf("--clock-from %q is not an RFC 3339 time (e.g. 2027-01-12T03:00:00+01:00)", f.clockFrom))
		}
		f.ClockFrom = t
	}
	return f, nil
}

// ParseSnapshot parses and checks the command line of `skaerm snapshot`
// (see SnapshotFlags.Check), as ParseRun does.
func ParseSnapshot(args []string, w io.Writer, now time.Time) (SnapshotFlags, Snapshot, error) {
	fs := NewFlags("snapshot", SnapshotSynopsis, w)
	var f SnapshotFlags
	f.Register(fs)
	if err := Parse(fs, args); err != nil {
		return f, Snapshot{}, err
	}
	snap, err := f.Check(now)
	return f, snap, err
}

// SnapshotSynopsis is the synopsis of `skaerm snapshot`.
const SnapshotSynopsis = "--cache FILE [--at RFC3339] [--size WxH] [--page NAME] [--locale LANG] [--login pin:PROFILE:PIN|tag:ID --backend URL --token TOKEN] --out FILE.png"

// SnapshotFlags are the flags of `skaerm snapshot`.
type SnapshotFlags struct {
	Flags
	At, Size, Page, Out, Locale, Code string
	Login                             string
}

// Register adds the flags to fs.
func (s *SnapshotFlags) Register(fs *flag.FlagSet) {
	s.Flags.Register(fs, true)
	fs.StringVar(&s.At, "at", "", "the instant to draw, RFC 3339 (default now)")
	fs.StringVar(&s.Size, "size", "1920x1080", "width x height in pixels")
	fs.StringVar(&s.Page, "page", "today", "the page to draw: "+board.PageNames())
	fs.StringVar(&s.Out, "out", "", "the PNG file to write")
	fs.StringVar(&s.Locale, "locale", "", "one of "+strings.Join(words.Codes(), ", ")+" (default: the department's)")
	fs.StringVar(&s.Code, "code", "", "the pairing code the pairing page shows (--page pairing only)")
	fs.StringVar(&s.Login, "login", "", "log in through the backend first, as pin:PROFILE:PIN or tag:ID, draw, then log out; "+
		"the session lives in memory only (a PIN on a command line is visible in the process list: use a test profile)")
}

// SnapshotLogin is a --login: by PIN or by tag.
type SnapshotLogin struct {
	Method       string // "pin" or "tag"; "" for no login
	Profile, PIN string
	Tag          string
}

// Snapshot is a checked snapshot command line.
type Snapshot struct {
	Page          board.PageID
	Width, Height int
	At            time.Time
	Locale        string
	Code          string
	Out           string
	Login         SnapshotLogin
}

// Locales are the languages a screen speaks.
var Locales = words.Codes()

// Check checks everything a snapshot command line says that needs no
// cache: the page name, the language, the size, the time and the output.
// Each error says what is wrong and lists what is allowed; together they
// are a UsageError.
func (s *SnapshotFlags) Check(now time.Time) (Snapshot, error) {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	out := Snapshot{Locale: s.Locale, Code: s.Code, Out: s.Out, At: now}
	page, err := board.ParsePageID(s.Page)
	if err != nil {
		bad("--page: %v", err)
	}
	out.Page = page
	if s.Locale != "" && !slices.Contains(Locales, s.Locale) {
		bad("--locale %q: want one of %s", s.Locale, strings.Join(Locales, ", "))
	}
	switch {
	case err == nil && page.Is(board.PagePairing) && s.Code == "":
		bad("--page pairing needs --code: the code the page shows, e.g. --code ABCD-EFGH")
	case err == nil && !page.Is(board.PagePairing) && s.Code != "":
		bad("--code is for --page pairing only")
	}
	if s.Out == "" {
		bad("--out is required: the PNG file to write")
	}
	if s.Login != "" {
		method, rest, _ := strings.Cut(s.Login, ":")
		switch method {
		case "pin":
			profile, pin, ok := strings.Cut(rest, ":")
			if !ok || profile == "" || len(pin) != 4 || strings.Trim(pin, "0123456789") != "" {
				bad("--login pin:PROFILE:PIN needs a profile id and a 4-digit PIN, e.g. pin:p1:1234")
			}
			out.Login = SnapshotLogin{Method: "pin", Profile: profile, PIN: pin}
		case "tag":
			if rest == "" {
				bad("--login tag:ID needs the tag's id, e.g. tag:04a1b2c3d4e5f6")
			}
			out.Login = SnapshotLogin{Method: "tag", Tag: rest}
		default:
			bad("--login: want pin:PROFILE:PIN or tag:ID")
		}
	}
	if err == nil && page.Is(board.PageMe) && s.Login == "" {
		bad("--page me needs --login: Min side is drawn for a logged-in resident")
	}
	if w, h, err := parseSize(s.Size); err != nil {
		errs = append(errs, err)
	} else {
		out.Width, out.Height = w, h
	}
	if s.At != "" {
		t, err := time.Parse(time.RFC3339, s.At)
		if err != nil {
			bad("--at %q: want RFC 3339, e.g. 2026-11-23T09:30:00+01:00", s.At)
		}
		out.At = t
	}
	if len(errs) > 0 {
		return out, UsageError(errors.Join(errs...))
	}
	return out, nil
}

// parseSize reads "1920x1080".
func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 320 || h < 240 || w > 7680 || h > 4320 {
		return 0, 0, fmt.Errorf("--size %q: want WIDTHxHEIGHT between 320x240 and 7680x4320, e.g. 1920x1080", s)
	}
	return w, h, nil
}
