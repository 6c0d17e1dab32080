package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"skaerm/internal/app"
	"skaerm/internal/clock"
	"skaerm/internal/motion"
	"skaerm/internal/power"
	"skaerm/internal/sysinfo"
	"skaerm/sync"
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
// them; a check that cannot run says why instead of stopping the others.
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

	s, err := f.Resolve()
	switch {
	case err != nil:
		out = append(out, fail("configuration", err.Error(), "fix the file; `skaerm config example` shows every key"))
		return out
	case s.ConfigPath == "":
		out = append(out, warn("configuration", "no configuration file: the defaults apply", "install /etc/skaerm/config.toml (`skaerm config example`)"))
	default:
		out = append(out, ok("configuration", s.ConfigPath+" is valid"))
	}
	cfg := s.Config

	token, terr := f.DeviceToken(s)
	if terr != nil {
		out = append(out, fail("token", terr.Error(), "pair the screen: `skaerm pair`, then type the code into the Manager"))
	} else {
		out = append(out, ok("token", "present"))
	}
	out = append(out, checkBackend(ctx, cfg.Backend.URL, cfg.Backend.CAFile, token))

	if r, err := readStatus(cfg.Cache.Path); err != nil {
		out = append(out, fail("cache", err.Error(), "the screen rebuilds its cache at the next sync; check the disk if this repeats"))
	} else {
		switch {
		case !r.HasBoard:
			out = append(out, warn("cache", "readable, but holds no board yet", "let the screen sync once: check the backend and token lines above"))
		case time.Since(r.LastSync) > time.Hour:
			out = append(out, warn("cache", fmt.Sprintf("last successful sync %s ago", time.Since(r.LastSync).Round(time.Minute)), "check the network and the backend lines above"))
		default:
			out = append(out, ok("cache", fmt.Sprintf("board generation %d, last sync %s ago", r.Generation, time.Since(r.LastSync).Round(time.Second))))
		}
		if r.Outbox.Pending > 0 {
			out = append(out, warn("outbox", fmt.Sprintf("%d sign-up(s) waiting to be sent", r.Outbox.Pending), "they go out when the backend is reachable again"))
		} else {
			out = append(out, ok("outbox", "empty"))
		}
	}

	trusted := clock.NewTrusted(clock.TrustOptions{})
	out = append(out, sysinfo.CheckClock(trusted.Status()))
	out = append(out, checkDisplay())
	out = append(out, power.Check(ctx, app.PowerBackend(cfg.Power)))
	out = append(out, motion.Check(ctx, app.MotionConfig(cfg.Motion)))
	out = append(out, checkDisk(filepath.Dir(cfg.Cache.Path)))
	var sys sysinfo.Reader
	out = append(out, sysinfo.CheckTemperature(sys), sysinfo.CheckThrottling(sys))
	return out
}

// checkBackend asks the backend for the board headers with the screen's token.
func checkBackend(ctx context.Context, base, caFile, token string) sysinfo.Finding {
	f := sysinfo.Finding{Check: "backend"}
	if base == "" {
		f.Status, f.Detail, f.Fix = sysinfo.Fail, "no backend address", "set [backend] url in the configuration file"
		return f
	}
	client, err := sync.NewClient(base, caFile)
	if err != nil {
		f.Status, f.Detail, f.Fix = sysinfo.Fail, err.Error(), "check [backend] url and ca_file"
		return f
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, client.BaseURL()+"/api/screen/v1/board", nil)
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		return f
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.HTTP().Do(req)
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "check the network, the address in [backend] url, and the screen's clock (a wrong date breaks TLS)"
		return f
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		f.Status, f.Detail, f.Fix = sysinfo.Fail, "reachable, but it does not accept this screen's token", "pair the screen again: `skaerm pair`"
	case resp.StatusCode >= 400:
		f.Status, f.Detail, f.Fix = sysinfo.Warn, "reachable, but answered "+resp.Status, "ask whoever runs the backend"
	default:
		f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("%s answers (%s)", base, resp.Status)
	}
	return f
}

// checkDisplay looks for the X server the screen draws on.
func checkDisplay() sysinfo.Finding {
	f := sysinfo.Finding{Check: "display"}
	d := os.Getenv("DISPLAY")
	if d == "" {
		d = ":0"
	}
	num := strings.TrimPrefix(d, ":")
	if i := strings.IndexByte(num, '.'); i >= 0 {
		num = num[:i]
	}
	sock := "/tmp/.X11-unix/X" + num
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, fmt.Sprintf("no X server on %s (%v)", d, err)
		f.Fix = "start the kiosk session: `systemctl status skaerm-kiosk`"
		return f
	}
	conn.Close()
	f.Status, f.Detail = sysinfo.OK, "X server on "+d
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
