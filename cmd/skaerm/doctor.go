package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"skaerm/cmd/internal/app"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/device/motion"
	"skaerm/internal/device/power"
	"skaerm/internal/device/sysinfo"
	"skaerm/internal/status"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
	"skaerm/internal/xdisplay"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// doctorFailed makes `skaerm doctor` exit 1 when any check failed.
type doctorFailed int

func (d doctorFailed) Error() string { return fmt.Sprintf("%d check(s) failed", int(d)) }
func (d doctorFailed) ExitCode() int { return 1 }

func cmdDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("doctor", "[--config FILE] [--json]", stderr)
	var f app.Flags
	f.Register(fs, true)
	asJSON := fs.Bool("json", false, "print JSON for machines")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	findings := diagnose(ctx, f)
	failed := 0
	for _, x := range findings {
		if x.Status == sysinfo.Fail {
			failed++
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(findings); err != nil {
			return err
		}
	} else {
		for _, x := range findings {
			fmt.Fprintln(stdout, x.String())
		}
	}
	if failed > 0 {
		return doctorFailed(failed)
	}
	return nil
}

// diagnose runs every check in the order a technician would walk through
// them; a check that cannot run says why instead of stopping the others. A
// configuration file with a bad edit is reported, and the other checks run
// on its good keys (the rejected ones at their defaults).
func diagnose(ctx context.Context, f app.Flags) []sysinfo.Finding {
	ok := func(check, detail string) sysinfo.Finding {
		return sysinfo.Finding{Check: check, Status: sysinfo.OK, Detail: detail}
	}
	warn := func(check, detail, fix string) sysinfo.Finding {
		return sysinfo.Finding{Check: check, Status: sysinfo.Warn, Detail: detail, Fix: fix}
	}
	fail := func(check, detail, fix string) sysinfo.Finding {
		return sysinfo.Finding{Check: check, Status: sysinfo.Fail, Detail: detail, Fix: fix}
	}
	var out []sysinfo.Finding

	s, err := f.ResolveUsable()
	switch {
	case err != nil:
		// A bad flag: the checks below run on the defaults.
		out = append(out, fail("configuration", err.Error(), "fix the flag; `skaerm help doctor` lists them"))
		s = app.Settings{Config: config.Default()}
	case s.Rejected != nil:
		out = append(out, fail("configuration", "edit rejected; the checks below use the file's other keys and the defaults:\n"+indentFinding(s.Rejected.Error()),
			"fix the lines named; `skaerm config check` checks the file, `skaerm config example` shows every key"))
	case s.ConfigPath == "":
		out = append(out, warn("configuration", "no configuration file: the defaults apply", "install "+config.DefaultPath+" (`skaerm config example` prints one)"))
	default:
		out = append(out, ok("configuration", s.ConfigPath+" is valid"))
	}
	cfg := s.Config
	where := s.ConfigPath
	if where == "" {
		where = config.DefaultPath
	}

	token, terr := f.DeviceToken(s)
	var date time.Time
	if cfg.Backend.URL == "" {
		out = append(out, fail("backend", "no backend address: the screen can neither pair nor sync without one",
			"set [backend] url in "+where+" (or give --backend)"))
	} else {
		var b sysinfo.Finding
		b, date = checkBackend(ctx, cfg.Backend.URL, cfg.Backend.CAFile, token)
		out = append(out, b)
	}
	switch {
	case terr == nil:
		out = append(out, ok("token", "present"))
	case errors.Is(terr, pairing.ErrTokenMode):
		out = append(out, fail("token", cfg.Backend.TokenFile+" can be read by other users than the screen's",
			fmt.Sprintf("chmod 600 %s", cfg.Backend.TokenFile)))
	case errors.Is(terr, pairing.ErrNoToken):
		out = append(out, fail("token", "this screen is not paired ("+cfg.Backend.TokenFile+" is missing or empty)",
			"pair it: `skaerm pair`, then type the code it prints into the Manager"))
	default:
		out = append(out, fail("token", terr.Error(), "check the token file's owner and mode (the service runs as skaerm; mode 0600)"))
	}

	r, err := readStatus(cfg.Cache.Path)
	switch {
	case errors.Is(err, iofs.ErrNotExist):
		out = append(out, warn("cache", "not synced yet: there is no cache at "+cfg.Cache.Path,
			"the screen fills it when it runs (`systemctl start skaerm`); `skaerm sync --once` fills it now"))
	case err != nil:
		out = append(out, fail("cache", err.Error(), "the screen rebuilds its cache at the next sync; check the disk if this repeats"))
	default:
		ago := func(t time.Time) string { return status.Age(r.At.Sub(t)) }
		switch {
		case !r.HasBoard:
			out = append(out, warn("cache", "not synced yet: the cache holds no board", "check the backend and token lines above; `skaerm sync --once` tries at once"))
		case r.At.Sub(r.LastSync) > time.Hour:
			out = append(out, warn("cache", fmt.Sprintf("last good sync %s ago", ago(r.LastSync)), "check the network and the backend line above"))
		default:
			out = append(out, ok("cache", fmt.Sprintf("board generation %d, last good sync %s ago", r.Generation, ago(r.LastSync))))
		}
		if r.Outbox.Pending > 0 {
			out = append(out, warn("outbox", fmt.Sprintf("%d sign-up(s) waiting to be sent", r.Outbox.Pending), "they go out when the backend is reachable again"))
		} else {
			out = append(out, ok("outbox", "empty"))
		}
	}

	// The screen's own rule: believe NTP, else the backend's Date.
	trusted := clock.NewTrusted(clock.TrustOptions{})
	if !date.IsZero() {
		_, _ = trusted.ObserveDate(date) // an implausible date is simply not used
	}
	out = append(out, sysinfo.CheckClock(trusted.Status()))
	out = append(out, checkDisplay())
	out = append(out, power.Check(ctx, app.PowerBackend(cfg.Power)))
	out = append(out, motion.Check(ctx, app.MotionConfig(cfg.Motion)))
	voice := cfg.Screen.Locale
	if voice == "" {
		voice = "da"
	}
	out = append(out, speech.Check(ctx, &speech.Espeak{}, voice))
	out = append(out, sound.Check(ctx, &sound.Player{Device: cfg.Audio.Device}))
	out = append(out, checkDisk(filepath.Dir(cfg.Cache.Path)))
	var sys sysinfo.Reader
	out = append(out, sysinfo.CheckTemperature(sys), sysinfo.CheckThrottling(sys))
	return out
}

// indentFinding indents the lines of a multi-line detail under a finding.
func indentFinding(msg string) string {
	return "       " + strings.ReplaceAll(msg, "\n", "\n       ")
}

// checkBackend asks the backend for the board headers with the screen's
// token. It returns the backend's Date, when it answered with one.
func checkBackend(ctx context.Context, base, caFile, token string) (sysinfo.Finding, time.Time) {
	f := sysinfo.Finding{Check: "backend"}
	client, err := sync.NewClient(base, caFile)
	if err != nil {
		f.Status, f.Detail, f.Fix = sysinfo.Fail, err.Error(), "check [backend] url and ca_file"
		return f, time.Time{}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, client.BaseURL()+"/api/screen/v1/board", nil)
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		return f, time.Time{}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.HTTP().Do(req)
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "check the network, the address in [backend] url, and the screen's clock (a wrong date breaks TLS)"
		return f, time.Time{}
	}
	resp.Body.Close()
	date, _ := http.ParseTime(resp.Header.Get("Date"))
	switch {
	case resp.StatusCode == http.StatusUnauthorized && token == "":
		f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("%s answers; it asks for a token, which pairing gives", base)
	case resp.StatusCode == http.StatusUnauthorized:
		f.Status, f.Detail, f.Fix = sysinfo.Fail, "reachable, but it does not accept this screen's token", "pair the screen again: `skaerm pair --force`"
	case resp.StatusCode == http.StatusNotFound:
		f.Status, f.Detail, f.Fix = sysinfo.Fail, fmt.Sprintf("%s answers, but has no Screen API there (404)", base), "check the path in [backend] url: it is the Manager's base address"
	case resp.StatusCode >= 400:
		f.Status, f.Detail, f.Fix = sysinfo.Warn, "reachable, but answered "+resp.Status, "ask whoever runs the backend"
	default:
		f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("%s answers (%s)", base, resp.Status)
	}
	return f, date
}

// kioskCookie is where the kiosk's X server keeps its cookie (see
// systemd/skaerm-kiosk.service); skaerm.service reads it.
const kioskCookie = "/run/skaerm-kiosk/Xauthority"

// checkDisplay opens the X display the screen draws on, as the screen
// would: DISPLAY (else the kiosk's :0) with XAUTHORITY (else the kiosk's
// cookie).
func checkDisplay() sysinfo.Finding {
	f := sysinfo.Finding{Check: "display"}
	d, auth := os.Getenv("DISPLAY"), os.Getenv("XAUTHORITY")
	if d == "" {
		d = ":0"
		if auth == "" {
			auth = kioskCookie
		}
	}
	err := xdisplay.Open(xdisplay.Options{Display: d, Xauthority: auth})
	switch {
	case err == nil:
		f.Status, f.Detail = sysinfo.OK, "the X server on "+d+" accepts the screen"
	case errors.Is(err, xdisplay.ErrRefused):
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "the screen needs the X server's cookie: " + kioskCookie + " readable by group skaerm (`systemctl restart skaerm-kiosk`)"
	default:
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "start the kiosk session: `systemctl status skaerm-kiosk`"
	}
	return f
}

// checkDisk reports the free space where the cache lives.
func checkDisk(dir string) sysinfo.Finding {
	f := sysinfo.Finding{Check: "disk space"}
	var st syscall.Statfs_t
	for d := dir; ; d = filepath.Dir(d) {
		err := syscall.Statfs(d, &st)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.ENOENT) || d == filepath.Dir(d) {
			f.Status, f.Detail = sysinfo.Warn, err.Error()
			return f
		}
	}
	free := st.Bavail * uint64(st.Bsize)
	mb := free >> 20
	switch {
	case mb < 50:
		f.Status, f.Detail, f.Fix = sysinfo.Fail, fmt.Sprintf("%d MB free under %s", mb, dir), "free space on the SD card: `journalctl --vacuum-size=50M`"
	case mb < 200:
		f.Status, f.Detail, f.Fix = sysinfo.Warn, fmt.Sprintf("%d MB free under %s", mb, dir), "free space on the SD card"
	default:
		f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("%d MB free under %s", mb, dir)
	}
	return f
}
