package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const minimal = "[backend]\nurl = \"https://manager.example.dk\"\n"

func TestMinimalFileGivesDefaults(t *testing.T) {
	got, err := Parse("config.toml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Backend.URL = "https://manager.example.dk"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(minimal) = %+v\nwant %+v", got, want)
	}
}

func TestDefaultNeedsOnlyURL(t *testing.T) {
	c := Default()
	err := c.Validate()
	var ce *Error
	if !errors.As(err, &ce) || ce.Key != "backend.url" || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Default().Validate() = %v, want exactly one backend.url error", err)
	}
	c.Backend.URL = "https://manager.example.dk"
	if err := c.Validate(); err != nil {
		t.Fatalf("Default() with a URL: %v", err)
	}
}

func TestExampleIsTheDefaults(t *testing.T) {
	got, err := Parse("config.example.toml", Example())
	if err != nil {
		t.Fatalf("example does not parse: %v", err)
	}
	if got.Backend.URL == "" {
		t.Error("example leaves backend.url empty; it should show a placeholder")
	}
	got.Backend.URL = ""
	if want := Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("example differs from Default():\n got %+v\nwant %+v", got, want)
	}
}

func TestExampleNamesEveryKey(t *testing.T) {
	lines := scanKeyLines(Example())
	keys := Keys()
	if len(keys) < 20 {
		t.Fatalf("Keys() found only %d keys: %v", len(keys), keys)
	}
	for _, k := range keys {
		if lines[k] == 0 {
			t.Errorf("example does not set %s", k)
		}
	}
}

func TestValidationErrorsNameKeyAndLine(t *testing.T) {
	// Each file sets one bad value on line 4, after a good [backend] and a
	// section header on line 3.
	tests := []struct {
		section, line string
		key, msg      string
	}{
		{"sync", `poll_interval = "5 minuts"`, "sync.poll_interval", `"5 minuts" is not a duration (e.g. "5m"`},
		{"sync", `poll_interval = 300`, "sync.poll_interval", `"300" is not a duration`},
		{"sync", `poll_interval = "10s"`, "sync.poll_interval", "too short"},
		{"sync", `max_board_bytes = 10`, "sync.max_board_bytes", "out of range"},
		{"sync", `max_media_bytes = 1.5`, "sync.max_media_bytes", "must be a whole number"},
		{"screen", `locale = "fi"`, "screen.locale", `"fi" is not one of "", "da", "nb"`},
		{"screen", `fullscreen = "yes"`, "screen.fullscreen", "must be true or false"},
		{"screen", `idle_after = "0s"`, "screen.idle_after", "longer than zero"},
		{"screen", `offline_after = "1m"`, "screen.offline_after", "shorter than sync.poll_interval"},
		{"screen", `assets_dir = "assets"`, "screen.assets_dir", "absolute path"},
		{"cache", `path = ""`, "cache.path", "must not be empty"},
		{"power", `backend = "hdmi"`, "power.backend", `"hdmi" is not one of "black", "dpms", "backlight", "cec"`},
		{"power", `backlight_path = "bl_power"`, "power.backlight_path", "absolute path"},
		{"power", `schedule = "daily off 22:00-06:00"`, "power.schedule", "must be a list"},
		{"power", `schedule = ["mon-fri of 22:00-06:00"]`, "power.schedule", `rule 1: "mon-fri of 22:00-06:00": "of" must be "off" or "on"`},
		{"power", `schedule = ["daily off 22:00-06:00", "sat,sun off 23:00-25:00"]`, "power.schedule", `rule 2: "sat,sun off 23:00-25:00": "25:00" is not a time`},
		{"power", `schedule = ["weekend off 23:00-07:00"]`, "power.schedule", `"weekend" is not a day`},
		{"power", `night_wake = "-1m"`, "power.night_wake", "longer than zero"},
		{"motion", `pin = "17"`, "motion.pin", `"17" is not a GPIO line name`},
		{"motion", `pull = "high"`, "motion.pull", `"high" is not one of "up", "down", "none"`},
		{"motion", `edge = "up"`, "motion.edge", `"up" is not one of "rising", "falling", "both"`},
		{"motion", `debounce = "1m"`, "motion.debounce", "out of range"},
		{"log", `level = "verbose"`, "log.level", `"verbose" is not one of "debug", "info", "warn", "error"`},
		{"status", `listen = "0.0.0.0:8470"`, "status.listen", "must be a loopback address"},
		{"status", `listen = ":8470"`, "status.listen", "must be a loopback address"},
		{"status", `listen = "127.0.0.1"`, "status.listen", "is not host:port"},
		{"audio", `volume = 101`, "audio.volume", "101 is out of range (0 to 100)"},
		{"audio", `night_volume = -1`, "audio.night_volume", "-1 is out of range (0 to 100)"},
		{"audio", `volume = "loud"`, "audio.volume", "must be a whole number"},
		{"audio", `announcements = "on"`, "audio.announcements", `"on" is not one of "follow-backend", "off"`},
		{"audio", `device = "hw 0"`, "audio.device", "is not an ALSA device name"},
		{"login", `reader = "/dev/hidraw0"`, "login.reader", "is not an input device under /dev/input/"},
		{"login", `reader = "/dev/input/../sda"`, "login.reader", "is not an input device"},
		{"login", `rc522 = "spi0"`, "login.rc522", "is not an SPI port"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.line, func(t *testing.T) {
			file := minimal + "[" + tt.section + "]\n" + tt.line + "\n"
			_, err := Parse("config.toml", []byte(file))
			if err == nil {
				t.Fatalf("accepted %q", tt.line)
			}
			wantPrefix := "config.toml:4: " + tt.key + ": "
			if !strings.HasPrefix(err.Error(), wantPrefix) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error = %q\nwant prefix %q containing %q", err, wantPrefix, tt.msg)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Line != 4 || ce.Key != tt.key {
				t.Errorf("errors.As(*Error) = %+v, want line 4 key %s", ce, tt.key)
			}
		})
	}
}

func TestBackendURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://manager.example.dk", true},
		{"https://manager.example.dk:8443/skaerm", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://manager.example.dk", false},
		{"http://127.0.0.1.example.dk", false},
		{"ftp://manager.example.dk", false},
		{"manager.example.dk", false},
		{"https://user:pw@manager.example.dk", false},
		{"https://manager.example.dk/?x=1", false},
		{"", false},
	}
	for _, tt := range tests {
		file := fmt.Sprintf("# screen in the hall\n\n[backend]\nurl = %q\n", tt.url)
		_, err := Parse("config.toml", []byte(file))
		if tt.ok && err != nil {
			t.Errorf("url %q: %v", tt.url, err)
		}
		if !tt.ok {
			want := "config.toml:4: backend.url: "
			if tt.url == "" {
				want = "config.toml:4: backend.url: is required"
			}
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("url %q: error %v, want prefix %q", tt.url, err, want)
			}
		}
	}
}

func TestMissingURLHasNoLine(t *testing.T) {
	_, err := Parse("config.toml", []byte("[log]\nlevel = \"debug\"\n"))
	if err == nil || err.Error() != `config.toml: backend.url: is required (e.g. "https://manager.example.dk")` {
		t.Errorf("error = %v", err)
	}
}

func TestEveryProblemReported(t *testing.T) {
	file := minimal + "[log]\nlevel = \"loud\"\n[motion]\nedge = \"up\"\n"
	_, err := Parse("config.toml", []byte(file))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"config.toml:4: log.level", "config.toml:6: motion.edge"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestUnknownKeysRejected(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{minimal + "[sync]\npol_interval = \"5m\"\n", "config.toml:4: sync.pol_interval: unknown key (did you mean sync.poll_interval?)"},
		{minimal + "[sync]\nlocale = \"da\"\n", "config.toml:4: sync.locale: unknown key (did you mean screen.locale?)"},
		{minimal + "[display]\nbrightness = 80\n", "config.toml:3: display: unknown key"},
		{minimal + "token = \"abc\"\n", "config.toml:3: backend.token: unknown key"},
		{"verbose = true\n" + minimal, "config.toml:1: verbose: unknown key"},
		{minimal + "screen.idle = \"3m\"\n", "config.toml:3: backend.screen.idle: unknown key"},
	}
	for _, tt := range tests {
		_, err := Parse("config.toml", []byte(tt.file))
		if err == nil || err.Error() != tt.want {
			t.Errorf("file:\n%s\nerror %v\nwant  %s", tt.file, err, tt.want)
		}
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	_, err := Parse("config.toml", []byte(minimal+"[sync\npoll_interval = \"5m\"\n"))
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 3 || !strings.HasPrefix(err.Error(), "config.toml:3: ") {
		t.Errorf("error = %v, want one at config.toml:3", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if _, err := Load(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want not-exist", err)
	}
	file := minimal + "[sync]\npoll_interval = \"90s\"\n[power]\nschedule = [\"mon-fri off 22:00-06:00\", \"sat,sun off 23:00-07:00\"]\n"
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sync.PollInterval.D() != 90*time.Second || len(c.Power.Schedule) != 2 {
		t.Errorf("Load = %+v", c)
	}
}

func TestParseScheduleRule(t *testing.T) {
	weekdays := [7]bool{false, true, true, true, true, true, false}
	tests := []struct {
		in   string
		want ScheduleRule
	}{
		{"mon-fri off 22:00-06:00", ScheduleRule{Days: weekdays, Off: true, Start: 22 * 60, End: 6 * 60}},
		{"sat,sun off 23:00-07:00", ScheduleRule{Days: [7]bool{true, false, false, false, false, false, true}, Off: true, Start: 23 * 60, End: 7 * 60}},
		{"daily off 00:00-24:00", ScheduleRule{Days: [7]bool{true, true, true, true, true, true, true}, Off: true, Start: 0, End: 24 * 60}},
		{"fri-mon on 07:30-08:15", ScheduleRule{Days: [7]bool{true, true, false, false, false, true, true}, Start: 7*60 + 30, End: 8*60 + 15}},
		{"  Wed   OFF 12:00-13:00 ", ScheduleRule{Days: [7]bool{3: true}, Off: true, Start: 12 * 60, End: 13 * 60}},
	}
	for _, tt := range tests {
		got, err := ParseScheduleRule(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseScheduleRule(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{
		"", "mon-fri off", "mon-fri off 22:00", "mon-fri off 22-06", "mon-fri dim 22:00-06:00",
		"mon-fry off 22:00-06:00", "mon- off 22:00-06:00", "mon-fri off 24:00-06:00",
		"mon-fri off 22:00-22:00", "mon-fri off 22:60-06:00", "mon-fri off 2:00-06:00",
		"mon-fri off 22:00-06:00 extra",
	} {
		if _, err := ParseScheduleRule(bad); err == nil {
			t.Errorf("ParseScheduleRule(%q) accepted", bad)
		}
	}
}

func TestDurationText(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("1h30m")); err != nil || d.D() != 90*time.Minute {
		t.Errorf("UnmarshalText(1h30m) = %v, %v", d, err)
	}
	if b, _ := d.MarshalText(); string(b) != "1h30m0s" {
		t.Errorf("MarshalText = %s", b)
	}
}

// TestEveryDecodeErrorReported: two values of the wrong type are both
// reported, each with its line and key, in the order of the file.
func TestEveryDecodeErrorReported(t *testing.T) {
	file := minimal + "[screen]\nfullscreen = \"yes\"\nidle_after = 5\n[sync]\nmax_media_bytes = 1.5\n"
	_, err := Parse("/etc/skaerm/config.toml", []byte(file))
	want := "/etc/skaerm/config.toml:4: screen.fullscreen: is a string but must be true or false\n" +
		"/etc/skaerm/config.toml:5: screen.idle_after: \"5\" is not a duration (e.g. \"5m\", \"90s\", \"1h30m\")\n" +
		"/etc/skaerm/config.toml:7: sync.max_media_bytes: is a decimal number but must be a whole number"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

// TestSyntaxErrorNamesItsOwnLine: the key or table named is the one on the
// broken line, not the last one read before it.
func TestSyntaxErrorNamesItsOwnLine(t *testing.T) {
	tests := []struct{ file, want string }{
		{minimal + "[sync\npoll_interval = \"5m\"\n", "/x/syntax.toml:3: sync: "},
		{minimal + "[screen]\nfullscreen = yes\n", "/x/syntax.toml:4: screen.fullscreen: "},
		{minimal + "\n\n\"unterminated\n", "/x/syntax.toml:5: "},
	}
	for _, tt := range tests {
		_, err := Parse("/x/syntax.toml", []byte(tt.file))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "backend") {
			t.Errorf("file:\n%s\nerror %v\nwant prefix %q", tt.file, err, tt.want)
		}
	}
}

// TestLoadNamesTheFullPath: a technician with two files open knows which.
func TestLoadNamesTheFullPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(minimal+"[log]\nlevel = \"loud\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.HasPrefix(err.Error(), path+":4: log.level: ") {
		t.Errorf("Load: %v", err)
	}
}

// TestLoadUsableKeepsTheGoodKeys: a bad edit leaves every other key of the
// file in force and the rejected ones at their defaults.
func TestLoadUsableKeepsTheGoodKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	file := minimal + "[cache]\npath = \"/srv/screen/cache.db\"\n[screen]\nlocale = \"fi\"\nidle_after = \"x\"\n[log]\nlevel = \"debug\"\n"
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadUsable(path)
	if err == nil || !strings.Contains(err.Error(), path+":6: screen.locale: ") || !strings.Contains(err.Error(), path+":7: screen.idle_after: ") {
		t.Errorf("LoadUsable error: %v", err)
	}
	if c.Cache.Path != "/srv/screen/cache.db" || c.Log.Level != "debug" || c.Backend.URL != "https://manager.example.dk" {
		t.Errorf("the good keys were not kept: %+v", c)
	}
	if c.Screen.Locale != "" || c.Screen.IdleAfter != Default().Screen.IdleAfter {
		t.Errorf("the rejected keys did not keep their defaults: %+v", c.Screen)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("the usable configuration is not valid: %v", err)
	}
	if c, err := LoadUsable(filepath.Join(t.TempDir(), "none.toml")); err == nil || !reflect.DeepEqual(c, Default()) {
		t.Errorf("LoadUsable(missing) = %+v, %v", c, err)
	}
}
