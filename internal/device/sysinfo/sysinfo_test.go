package sysinfo

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"skaerm/internal/clock"
)

// root builds a fake file system root holding the given files.
func root(t *testing.T, files map[string]string) Reader {
	t.Helper()
	dir := t.TempDir()
	for rel, body := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Reader{Root: dir}
}

const pi4Throttled = "sys/devices/platform/soc/soc:firmware/get_throttled"

func TestTemperature(t *testing.T) {
	tests := []struct {
		name   string
		body   string // "" means no file
		want   float64
		errIs  error
		status Status
	}{
		{"cool", "48312\n", 48.312, nil, OK},
		{"warm", "72000\n", 72, nil, Warn},
		{"hot", "83500", 83.5, nil, Fail},
		{"absent", "", 0, ErrNotAvailable, OK},
		{"garbage", "hot\n", 0, nil, Warn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.body != "" {
				files[ThermalZone] = tt.body
			}
			r := root(t, files)
			got, err := r.Temperature()
			switch {
			case tt.errIs != nil:
				if !errors.Is(err, tt.errIs) {
					t.Fatalf("error %v, want %v", err, tt.errIs)
				}
			case tt.name == "garbage":
				if err == nil || !strings.Contains(err.Error(), "millidegrees") {
					t.Fatalf("error %v, want a parse error", err)
				}
			case err != nil:
				t.Fatal(err)
			case got != tt.want:
				t.Fatalf("temperature %v, want %v", got, tt.want)
			}
			f := CheckTemperature(r)
			if f.Status != tt.status {
				t.Fatalf("finding %v, want %s", f, tt.status)
			}
			if f.Status != OK && f.Fix == "" {
				t.Fatalf("finding %v has no advice", f)
			}
		})
	}
}

func TestParseThrottled(t *testing.T) {
	tests := []struct {
		in    string
		words []string
	}{
		{"0x0", nil},
		{"0\n", nil},
		{"0x50005", []string{"under-voltage now", "throttled now"}},
		{"50000", []string{"under-voltage since boot", "throttled since boot"}},
		{"throttled=0x80008", []string{"soft temperature limit active now"}},
		{"0x20002", []string{"frequency capped now"}},
		{"0xe0000", []string{"throttled since boot", "frequency capped since boot", "soft temperature limit since boot"}},
	}
	for _, tt := range tests {
		got, err := ParseThrottled(tt.in)
		if err != nil {
			t.Errorf("ParseThrottled(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got.Words(), tt.words) {
			t.Errorf("ParseThrottled(%q).Words() = %q, want %q", tt.in, got.Words(), tt.words)
		}
	}
	for _, bad := range []string{"", "zz", "0x1ffffffff"} {
		if _, err := ParseThrottled(bad); err == nil {
			t.Errorf("ParseThrottled(%q) accepted", bad)
		}
	}
}

func TestThrottling(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		status Status
		detail string
	}{
		{"healthy Pi 4", map[string]string{pi4Throttled: "0\n"}, OK, "no throttling"},
		{"under-voltage now", map[string]string{pi4Throttled: "50005\n"}, Fail, "under-voltage now"},
		{"under-voltage earlier", map[string]string{pi4Throttled: "10000\n"}, Warn, "under-voltage since boot"},
		{"hot now", map[string]string{pi4Throttled: "0x60006\n"}, Fail, "throttled now"},
		{"hot earlier", map[string]string{pi4Throttled: "0x40000\n"}, Warn, "throttled since boot"},
		{"Pi 5 layout", map[string]string{"sys/devices/platform/axi/axi:firmware/get_throttled": "0x0\n"}, OK, "no throttling"},
		{"not a Pi", nil, OK, "not available"},
		{"garbage", map[string]string{pi4Throttled: "???"}, Warn, "not a throttling bitfield"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := CheckThrottling(root(t, tt.files))
			if f.Status != tt.status || !strings.Contains(f.Detail, tt.detail) {
				t.Fatalf("finding %v, want %s containing %q", f, tt.status, tt.detail)
			}
		})
	}
	if _, err := root(t, nil).Throttling(); !errors.Is(err, ErrNotAvailable) {
		t.Fatalf("absent flags: %v, want ErrNotAvailable", err)
	}
}

func TestCheckClock(t *testing.T) {
	tests := []struct {
		st   clock.TrustState
		want Status
	}{
		{clock.TrustState{Known: true, Synced: true, Source: clock.SourceNTP}, OK},
		{clock.TrustState{Known: true, Source: clock.SourceBackend, Offset: 3}, Warn},
		{clock.TrustState{Source: clock.SourceNone}, Fail},
	}
	for _, tt := range tests {
		f := CheckClock(tt.st)
		if f.Status != tt.want {
			t.Errorf("CheckClock(%+v) = %v, want %s", tt.st, f, tt.want)
		}
		if !strings.HasPrefix(f.String(), string(tt.want)) {
			t.Errorf("String() = %q", f.String())
		}
	}
}
