package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"strings"
	"time"

	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/status"
)

func cmdStatus(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("status", "[--config FILE] [--cache FILE] [--json]", stderr)
	var f app.Flags
	f.Register(fs, false)
	asJSON := fs.Bool("json", false, "print JSON for machines")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	s, err := f.ResolveUsable()
	if err != nil {
		return err
	}
	r, err := readStatus(s.Config.Cache.Path)
	if errors.Is(err, iofs.ErrNotExist) {
		// A screen that has never run: report what there is to report.
		// real clock: a command run once reports the moment it runs.
		r, err = status.Report{At: time.Now(), Version: version, CachePath: s.Config.Cache.Path}, nil
	}
	if err != nil {
		return err
	}
	addSettings(&r, s)
	if *asJSON {
		return status.WriteJSON(stdout, r)
	}
	return status.WriteText(stdout, r)
}

// addSettings adds what the command itself knows to a report: a rejected
// configuration edit and, when the screen is not running, the clock.
func addSettings(r *status.Report, s app.Settings) {
	if r.Extra == nil {
		r.Extra = map[string]string{}
	}
	if s.Rejected != nil {
		r.Extra["configuration"] = "edit rejected; a running screen keeps its last good settings, this report uses the file's other keys:\n" + indent(s.Rejected.Error())
	}
	if r.Source != "" {
		return
	}
	// The cache is not in use: no screen runs on it.
	r.Extra["screen shows"] = "nothing: skaerm-screen is not running (`systemctl status skaerm`)"
	r.Extra["display power"] = "when the screen runs: " + powerRule(s.Config)
	if clock.NewTrusted(clock.TrustOptions{}).Status().Source == clock.SourceNTP {
		r.Extra["clock"] = "synchronised by NTP"
	} else {
		r.Extra["clock"] = "no NTP: the screen goes by the backend's time once it reaches it"
	}
}

// indent indents each line of a multi-line message under a status line.
func indent(msg string) string {
	const pad = "                  "
	return pad + strings.ReplaceAll(msg, "\n", "\n"+pad)
}

// readStatus reads the cache itself, or, while the running screen holds it,
// the report the screen keeps beside it. A cache file that does not exist
// gives an error matching fs.ErrNotExist.
func readStatus(path string) (status.Report, error) {
	c, err := cache.Open(path, cache.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if errors.Is(err, cache.ErrLocked) {
		r, lerr := status.Load(status.FilePath(path))
		if lerr != nil {
			return r, fmt.Errorf("%w; and the running screen's report could not be read: %v", err, lerr)
		}
		r.Source = "the running screen's report"
		return r, nil
	}
	if err != nil {
		return status.Report{}, err
	}
	defer c.Close()
	// real clock: a command run once reports the moment it runs.
	return status.Collect(c, time.Now(), version)
}

// powerRule says which display power rule a configuration gives, and why.
func powerRule(c config.Config) string {
	sched := "no schedule"
	if len(c.Power.Schedule) > 0 {
		sched = "the schedule (" + strings.Join(c.Power.Schedule, ", ") + ")"
	}
	if !c.Motion.Enabled {
		return "on in the daytime, off by " + sched + "; without a motion sensor idleness never blanks it (a wall board is read in passing)"
	}
	return fmt.Sprintf("off after %s without motion or touch, and by %s", c.Power.BlankAfter, sched)
}
