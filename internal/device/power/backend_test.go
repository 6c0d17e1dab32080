package power

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"skaerm/internal/device/sysinfo"
)

// commands is a fake Runner: it records every command line and fails the
// ones whose line contains a configured substring.
type commands struct {
	mu    sync.Mutex
	lines []string
	fail  map[string]error
	out   string
}

func (c *commands) run(_ context.Context, name string, args ...string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	line := name + " " + strings.Join(args, " ")
	c.lines = append(c.lines, line)
	for sub, err := range c.fail {
		if strings.Contains(line, sub) {
			return []byte("xset:  unable to open display \":0\"\n"), err
		}
	}
	return []byte(c.out), nil
}

func (c *commands) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.lines...)
}

func TestDPMS(t *testing.T) {
	ctx := context.Background()
	cmds := &commands{}
	b, err := NewBackend(BackendConfig{Name: NameDPMS, Display: ":0", Run: cmds.run})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Set(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := b.Set(ctx, true); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"xset -display :0 dpms force off",
		"xset -display :0 dpms force on",
		"xset -display :0 s off dpms 0 0 0",
	}
	if got := cmds.got(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("commands\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	failing := &commands{fail: map[string]error{"force": errors.New("exit status 1")}}
	b, _ = NewBackend(BackendConfig{Name: NameDPMS, Display: ":0", Run: failing.run})
	err = b.Set(ctx, false)
	if err == nil || !strings.Contains(err.Error(), "unable to open display") || !strings.Contains(err.Error(), "dpms force off") {
		t.Fatalf("error %v, want the command and its output", err)
	}

	// xset says it cannot, but exits 0, when the server has no DPMS.
	silent := &commands{out: "server does not have extension for dpms option\nxset:  unknown option force\n\nusage: ..."}
	b, _ = NewBackend(BackendConfig{Name: NameDPMS, Display: ":0", Run: silent.run})
	if err := b.Set(ctx, false); !errors.Is(err, ErrNoDPMS) {
		t.Fatalf("server without DPMS: %v, want ErrNoDPMS", err)
	}

	t.Setenv("DISPLAY", "")
	b, _ = NewBackend(BackendConfig{Name: NameDPMS, Run: cmds.run})
	if err := b.Set(ctx, false); !errors.Is(err, ErrNoDisplay) {
		t.Fatalf("no DISPLAY: %v, want ErrNoDisplay", err)
	}
	t.Setenv("DISPLAY", ":7")
	b, _ = NewBackend(BackendConfig{Name: NameDPMS, Run: cmds.run})
	if d := b.(*DPMS).Display; d != ":7" {
		t.Fatalf("display %q, want $DISPLAY", d)
	}
}

func TestCEC(t *testing.T) {
	ctx := context.Background()
	cmds := &commands{}
	b, _ := NewBackend(BackendConfig{Name: NameCEC, Run: cmds.run})
	for _, on := range []bool{false, true, false} {
		if err := b.Set(ctx, on); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"cec-ctl -d /dev/cec0 --playback",
		"cec-ctl -d /dev/cec0 --to 0 --standby",
		"cec-ctl -d /dev/cec0 --to 0 --image-view-on",
		"cec-ctl -d /dev/cec0 --to 0 --standby",
	}
	if got := cmds.got(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("commands\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	missing := &commands{fail: map[string]error{"cec-ctl": &exec.Error{Name: "cec-ctl", Err: exec.ErrNotFound}}}
	b, _ = NewBackend(BackendConfig{Name: NameCEC, CECDevice: "/dev/cec1", Run: missing.run})
	if err := b.Set(ctx, true); err == nil || !strings.Contains(err.Error(), "v4l-utils") {
		t.Fatalf("missing cec-ctl: %v, want advice to install v4l-utils", err)
	}
	// Registration is retried until it works.
	if n := len(missing.got()); n != 1 {
		t.Fatalf("%d commands after a failed registration, want 1", n)
	}
	_ = b.Set(ctx, true)
	if got := missing.got(); got[1] != "cec-ctl -d /dev/cec1 --playback" {
		t.Fatalf("second attempt %q, want registration again", got[1])
	}
}

func TestBacklight(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	dev := filepath.Join(root, "10-0045")
	if err := os.MkdirAll(dev, 0o755); err != nil {
		t.Fatal(err)
	}
	blPower := filepath.Join(dev, "bl_power")
	if err := os.WriteFile(blPower, []byte("0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		b, err := os.ReadFile(blPower)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// Found under the root, and by explicit path.
	for _, cfg := range []BackendConfig{{Name: NameBacklight, BacklightRoot: root}, {Name: NameBacklight, BacklightPath: blPower}} {
		b, err := NewBackend(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Set(ctx, false); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != "4\n" {
			t.Fatalf("bl_power after off = %q, want 4", got)
		}
		if err := b.Set(ctx, true); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != "0\n" {
			t.Fatalf("bl_power after on = %q, want 0", got)
		}
		if f := Check(ctx, cfg); f.Status != sysinfo.OK {
			t.Fatalf("Check = %v", f)
		}
	}

	// No display: a clear error, and nothing created.
	empty := t.TempDir()
	b, _ := NewBackend(BackendConfig{Name: NameBacklight, BacklightRoot: empty})
	if err := b.Set(ctx, false); !errors.Is(err, ErrNoBacklight) || !strings.Contains(err.Error(), "touch display") {
		t.Fatalf("no backlight: %v", err)
	}
	gone := filepath.Join(empty, "x", "bl_power")
	b, _ = NewBackend(BackendConfig{Name: NameBacklight, BacklightPath: gone})
	if err := b.Set(ctx, false); !errors.Is(err, ErrNoBacklight) {
		t.Fatalf("missing bl_power: %v", err)
	}
	if _, err := os.Stat(gone); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Set created %s", gone)
	}
	if f := Check(ctx, BackendConfig{Name: NameBacklight, BacklightRoot: empty}); f.Status != sysinfo.Fail || !strings.Contains(f.Fix, "touch display") {
		t.Fatalf("Check = %v", f)
	}

	// Read-only file (skipped as root, who may write anyway).
	if os.Geteuid() != 0 {
		if err := os.Chmod(blPower, 0o444); err != nil {
			t.Fatal(err)
		}
		b, _ = NewBackend(BackendConfig{Name: NameBacklight, BacklightPath: blPower})
		if err := b.Set(ctx, false); !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "udev") {
			t.Fatalf("read-only bl_power: %v", err)
		}
	}
}

func TestNewBackendUnknown(t *testing.T) {
	_, err := NewBackend(BackendConfig{Name: "hdmi"})
	if !errors.Is(err, ErrUnknownBackend) || !strings.Contains(err.Error(), "backlight") {
		t.Fatalf("error %v", err)
	}
	if f := Check(context.Background(), BackendConfig{Name: "hdmi"}); f.Status != sysinfo.Fail {
		t.Fatalf("Check = %v", f)
	}
	b, err := NewBackend(BackendConfig{})
	if err != nil || b.Name() != NameBlack {
		t.Fatalf("default backend %v, %v; want black", b, err)
	}
}

func TestCheckProbes(t *testing.T) {
	ctx := context.Background()
	withDPMS := &commands{out: "Keyboard Control:\n...\nDPMS (Energy Star):\n  DPMS is Enabled\n  Monitor is On\n"}
	noDPMS := &commands{out: "Keyboard Control:\n  Server does not have the DPMS Extension\n"}
	noX := &commands{fail: map[string]error{"xset": errors.New("exit status 1")}}
	tests := []struct {
		name   string
		cfg    BackendConfig
		status sysinfo.Status
		detail string
	}{
		{"black", BackendConfig{Name: NameBlack}, sysinfo.OK, "draws black"},
		{"dpms ready", BackendConfig{Name: NameDPMS, Display: ":0", Run: withDPMS.run}, sysinfo.OK, "dpms ready"},
		{"dpms missing extension", BackendConfig{Name: NameDPMS, Display: ":0", Run: noDPMS.run}, sysinfo.Fail, "has no DPMS extension"},
		{"dpms no X", BackendConfig{Name: NameDPMS, Display: ":0", Run: noX.run}, sysinfo.Fail, "unable to open display"},
		{"cec ready", BackendConfig{Name: NameCEC, Run: (&commands{}).run}, sysinfo.OK, "cec ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Check(ctx, tt.cfg)
			if f.Status != tt.status || !strings.Contains(f.Detail, tt.detail) {
				t.Fatalf("Check = %v, want %s with %q", f, tt.status, tt.detail)
			}
			if f.Status != sysinfo.OK && f.Fix == "" {
				t.Fatalf("no advice in %v", f)
			}
		})
	}
	// Probing switches nothing.
	for _, c := range []*commands{withDPMS, noDPMS} {
		for _, l := range c.got() {
			if strings.Contains(l, "force") {
				t.Fatalf("probe ran %q", l)
			}
		}
	}
}

// TestDPMSRealXServer runs the real xset against $DISPLAY when there is one
// (e.g. under xvfb-run): whatever the server offers, Probe and Set must
// agree, and a server without DPMS must be reported, not ignored.
func TestDPMSRealXServer(t *testing.T) {
	display := os.Getenv("DISPLAY")
	if display == "" {
		t.Skip("no DISPLAY")
	}
	if _, err := exec.LookPath("xset"); err != nil {
		t.Skip("xset not installed")
	}
	ctx := context.Background()
	b, err := NewBackend(BackendConfig{Name: NameDPMS})
	if err != nil {
		t.Fatal(err)
	}
	probeErr := b.(Prober).Probe(ctx)
	setErr := b.Set(ctx, true)
	if (probeErr == nil) != (setErr == nil) {
		t.Fatalf("Probe says %v but Set says %v", probeErr, setErr)
	}
	if probeErr != nil && !errors.Is(probeErr, ErrNoDPMS) {
		t.Fatalf("Probe: %v", probeErr)
	}
	if setErr != nil && !errors.Is(setErr, ErrNoDPMS) {
		t.Fatalf("Set: %v", setErr)
	}
	t.Logf("DPMS on %s: probe %v", display, probeErr)
}
