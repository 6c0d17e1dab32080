// Package config reads the screen's one configuration file
// (/etc/skaerm/config.toml), checks every value, and watches the file and the
// assets override folder so edits apply without a restart.
//
// # Basics
//
// [Load] or [Parse] return a [Config] that starts from [Default] and has been
// validated: unknown keys are refused, and every error names the file, the
// line and the key, and says what a good value looks like. The example file
// ([Example]) documents every key with its default; the .deb ships it and
// `skaerm config example` prints it.
//
// A [Watcher] re-reads the file when it changes and publishes only configs that
// pass validation; a bad edit keeps the last good config and is reported
// through [Watcher.LastError].
//
// # Caveats
//
// Validation checks syntax and ranges only; it does not open files
// (ca_file, token_file, backlight_path) or devices: the component that
// opens a path reports it missing. Paths must be absolute. Power schedule rules are checked here
// but interpreted by the power package ([ParseScheduleRule] gives it the
// parsed form). The watcher publishes every valid change; which sections
// apply at once (screen, power, motion, log) and which wait for a restart
// (backend, cache, status) is the caller's choice.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"skaerm/words"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

var spiPort = regexp.MustCompile(`^(/dev/spidev[0-9]+\.[0-9]+|SPI[0-9]+\.[0-9]+)$`)

// DefaultPath is where the screen looks for its configuration file.
const DefaultPath = "/etc/skaerm/config.toml"

// Config is everything a screen can be told in its configuration file.
type Config struct {
	Backend Backend `toml:"backend"`
	Cache   Cache   `toml:"cache"`
	Sync    Sync    `toml:"sync"`
	Screen  Screen  `toml:"screen"`
	Power   Power   `toml:"power"`
	Motion  Motion  `toml:"motion"`
	Log     Log     `toml:"log"`
	Status  Status  `toml:"status"`
	Audio   Audio   `toml:"audio"`
	Login   Login   `toml:"login"`
}

// Backend says where the Screen API is and how to trust it.
type Backend struct {
	// URL is the backend's base URL. It must be https, except plain http to
	// the loopback interface (the demo backend and tests).
	URL string `toml:"url"`
	// CAFile is an optional PEM file of extra trusted certificate
	// authorities, for a backend with a private CA.
	CAFile string `toml:"ca_file"`
	// TokenFile holds the device token obtained by pairing.
	TokenFile string `toml:"token_file"`
}

// Cache says where the local board cache lives.
type Cache struct {
	Path string `toml:"path"`
}

// Sync bounds how often and how much the screen fetches.
type Sync struct {
	PollInterval  Duration `toml:"poll_interval"`
	MaxBoardBytes int64    `toml:"max_board_bytes"`
	MaxMediaBytes int64    `toml:"max_media_bytes"`
}

// Screen is how the board is shown.
type Screen struct {
	// Locale overrides the department's language; "" follows the department.
	Locale     string `toml:"locale"`
	Fullscreen bool   `toml:"fullscreen"`
	// IdleAfter is how long after the last touch the screen returns to the
	// overview.
	IdleAfter Duration `toml:"idle_after"`
	// OfflineAfter is how long without a successful sync before the screen
	// says its information may be out of date.
	OfflineAfter Duration `toml:"offline_after"`
	// AssetsDir is the override folder: logo.png, theme.toml, fonts/,
	// pictograms/.
	AssetsDir string `toml:"assets_dir"`
}

// Power is how and when the display is switched off.
type Power struct {
	// Backend is one of black, dpms, backlight, cec.
	Backend string `toml:"backend"`
	// BacklightPath is the sysfs bl_power file; "" means the first display
	// under /sys/class/backlight.
	BacklightPath string `toml:"backlight_path"`
	CECDevice     string `toml:"cec_device"`
	// Schedule holds rules such as "mon-fri off 22:00-06:00"; see
	// [ParseScheduleRule].
	Schedule []string `toml:"schedule"`
	// BlankAfter is how long without a touch or motion before the display is
	// switched off outside the schedule's off hours, on a screen with a
	// motion sensor; without one only the schedule switches it off.
	BlankAfter Duration `toml:"blank_after"`
	// NightWake is how long the display stays on when woken during off hours.
	NightWake Duration `toml:"night_wake"`
	// NightPage is how long a touch or motion at night (the off hours, or
	// 23:00-05:00) shows the night page before the display goes dark
	// again; "0s" shows the day's board instead, for NightWake.
	NightPage Duration `toml:"night_page"`
}

// Motion is the optional PIR sensor on a GPIO pin.
type Motion struct {
	Enabled  bool     `toml:"enabled"`
	Pin      string   `toml:"pin"`
	Pull     string   `toml:"pull"`
	Edge     string   `toml:"edge"`
	Debounce Duration `toml:"debounce"`
}

// Log is the log verbosity.
type Log struct {
	// Level is one of debug, info, warn, error.
	Level string `toml:"level"`
}

// Status is the local status page.
type Status struct {
	// Listen is a loopback host:port; "" opens no port.
	Listen string `toml:"listen"`
}

// Audio is the screen's voice: where it sounds, how loud, and whether it
// announces what is about to start.
type Audio struct {
	// Device is the ALSA output: "default", or a name from `aplay -L` such
	// as "hdmi:CARD=vc4hdmi0,DEV=0" or "plughw:CARD=Headphones".
	Device string `toml:"device"`
	// Volume is the loudness of reading aloud and announcements, 0
	// (silent) to 100.
	Volume int `toml:"volume"`
	// NightVolume is the loudness in the hours power.schedule switches the
	// display off, 0 to 100.
	NightVolume int `toml:"night_volume"`
	// Announcements is "follow-backend" (the department decides in the
	// Manager) or "off" (this screen never announces).
	Announcements string `toml:"announcements"`
}

// Login is the personal login's tag readers ("Min side"). Both are
// optional; a resident can always log in with their picture and PIN when
// the backend offers personal login.
type Login struct {
	// Reader is the input event device of a USB key fob reader that types
	// the tag's id, e.g. "/dev/input/by-id/usb-IC_Reader-event-kbd". It is
	// grabbed, so its keystrokes never reach the screen's window. "": none.
	Reader string `toml:"reader"`
	// RC522 is the SPI port of an MFRC522 card reader module, e.g.
	// "/dev/spidev0.0" or "SPI0.0". "": none.
	RC522 string `toml:"rc522"`
}

// The values of [audio] announcements.
const (
	AnnouncementsFollowBackend = "follow-backend"
	AnnouncementsOff           = "off"
)

// Default returns the configuration used for every key the file leaves out.
// Its Backend.URL is empty: a screen must be told where its backend is.
func Default() Config {
	return Config{
		Backend: Backend{
			TokenFile: "/var/lib/skaerm/token",
		},
		Cache: Cache{Path: "/var/lib/skaerm/cache.db"},
		Sync: Sync{
			PollInterval:  Duration(5 * time.Minute),
			MaxBoardBytes: 8 << 20,
			MaxMediaBytes: 32 << 20, // a 50 MP phone photo is 10 to 25 MB
		},
		Screen: Screen{
			Fullscreen:   true,
			IdleAfter:    Duration(3 * time.Minute),
			OfflineAfter: Duration(15 * time.Minute),
			AssetsDir:    "/etc/skaerm/assets",
		},
		Power: Power{
			Backend:    "black",
			CECDevice:  "/dev/cec0",
			Schedule:   []string{"daily off 22:00-06:00"},
			BlankAfter: Duration(10 * time.Minute),
			NightWake:  Duration(3 * time.Minute),
			NightPage:  Duration(30 * time.Second),
		},
		Motion: Motion{
			Pin:      "GPIO17",
			Pull:     "down",
			Edge:     "rising",
			Debounce: Duration(200 * time.Millisecond),
		},
		Log: Log{Level: "info"},
		Audio: Audio{
			Device:        "default",
			Volume:        80,
			NightVolume:   30,
			Announcements: AnnouncementsFollowBackend,
		},
	}
}

// Error is one problem in a configuration file. Line is 0 when the key is
// not in the file (a default, or a rule across two keys).
type Error struct {
	File string // the file as it was named to Load, e.g. /etc/skaerm/config.toml
	Line int
	Key  string // dotted key, e.g. sync.poll_interval
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrInvalid is matched (errors.Is) by every error Load and Parse return for
// a file that was read but is not a valid configuration.
var ErrInvalid = errors.New("invalid configuration")

// Is lets errors.Is(err, ErrInvalid) find configuration errors.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Load reads and validates the configuration file at path. Errors name the
// file by the path given.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// LoadUsable reads the configuration file at path as [Load] does, but
// always returns a configuration to run with: every key the file sets
// well applies, every rejected key keeps its default (all of them when the
// file cannot be read or parsed). The error lists what was rejected, as
// Load's would. It is for the commands that must still report on a screen
// whose file has a bad edit (status, doctor).
func LoadUsable(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Default(), fmt.Errorf("read config: %w", err)
	}
	c, errs := parse(path, data)
	return c, errors.Join(errs...)
}

// Parse decodes data over [Default] and validates the result. name is used
// in error messages (the file's path). Every problem is reported, each
// with its line and key.
func Parse(name string, data []byte) (Config, error) {
	c, errs := parse(name, data)
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

// parse decodes data key by key over [Default], so one bad value does not
// hide another, and validates the result. It returns the configuration
// with every rejected key at its default, and the problems.
func parse(name string, data []byte) (Config, []error) {
	c := Default()
	lines := scanKeyLines(data)
	var top map[string]toml.Primitive
	md, err := toml.Decode(string(data), &top)
	if err != nil {
		return Default(), []error{syntaxError(name, data, err)}
	}
	var errs []error
	decodeTable(md, top, reflect.ValueOf(&c).Elem(), "", lines, func(key string, err error) {
		if err == errUnknownKey {
			msg := "unknown key"
			if s := suggest(key); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			errs = append(errs, &Error{File: name, Line: lines[key], Key: key, Msg: msg})
			return
		}
		errs = append(errs, decodeError(name, lines, key, err))
	})
	if err := c.Validate(); err != nil {
		for _, e := range placeErrors(name, lines, err) {
			errs = append(errs, e)
			var ce *Error
			if errors.As(e, &ce) {
				resetKey(&c, ce.Key)
			}
		}
		if err := c.Validate(); err != nil && !onlyMissingURL(err) {
			// A rule across keys still fails: fall back whole.
			url := c.Backend.URL
			c = Default()
			c.Backend.URL = url
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errLine(errs[i]) < errLine(errs[j]) })
	return c, errs
}

// onlyMissingURL reports whether err says nothing but that backend.url is
// not set.
func onlyMissingURL(err error) bool {
	for _, e := range unjoin(err) {
		if !IsMissingURL(e) {
			return false
		}
	}
	return true
}

// IsMissingURL reports whether err is the complaint that the file does not
// set backend.url at all (a screen not yet told its backend), as opposed to
// setting a bad one.
func IsMissingURL(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.Key == "backend.url" && ce.Line == 0
}

// errLine orders errors by line; those without a line (missing keys) last.
func errLine(err error) int {
	var ce *Error
	if errors.As(err, &ce) && ce.Line > 0 {
		return ce.Line
	}
	return math.MaxInt
}

// errUnknownKey is what decodeTable reports for a key no field takes.
var errUnknownKey = errors.New("unknown key")

// decodeTable decodes each key of one table into the matching field of v,
// reporting each value that does not fit and each unknown key. An unknown
// table written as a header is reported once; one made by a dotted key is
// reported by its leaves, as the file names them.
func decodeTable(md toml.MetaData, table map[string]toml.Primitive, v reflect.Value, prefix string, lines map[string]int, bad func(key string, err error)) {
	for _, k := range sortedKeys(table) {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		var sub map[string]toml.Primitive
		isTable := md.PrimitiveDecode(table[k], &sub) == nil
		f, ok := reflect.Value{}, false
		if v.IsValid() {
			f, ok = fieldByTag(v, k)
		}
		switch {
		case !ok && isTable && lines[key] == 0:
			decodeTable(md, sub, reflect.Value{}, key, lines, bad)
		case !ok:
			bad(key, errUnknownKey)
		case f.Kind() == reflect.Struct && f.Type() != durationType:
			if !isTable {
				bad(key, errors.New("must be a table: write it as ["+key+"] with its keys below"))
				continue
			}
			decodeTable(md, sub, f, key, lines, bad)
		default:
			tmp := reflect.New(f.Type())
			if err := md.PrimitiveDecode(table[k], tmp.Interface()); err != nil {
				bad(key, err)
				continue
			}
			f.Set(tmp.Elem())
		}
	}
}

func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("toml") == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// resetKey puts the dotted key back to its default.
func resetKey(c *Config, key string) {
	def := Default()
	dst, src := reflect.ValueOf(c).Elem(), reflect.ValueOf(&def).Elem()
	for _, part := range strings.Split(key, ".") {
		d, ok := fieldByTag(dst, part)
		if !ok {
			return
		}
		s, _ := fieldByTag(src, part)
		dst, src = d, s
		if dst.Kind() != reflect.Struct || dst.Type() == durationType {
			break
		}
	}
	dst.Set(src)
}

func sortedKeys(m map[string]toml.Primitive) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// typeErr matches the toml package's plain type-mismatch errors, which carry
// the line and key only in their text.
var typeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// decodeError places one value's decoding error at its key's line.
func decodeError(name string, lines map[string]int, key string, err error) error {
	e := &Error{File: name, Line: lines[key], Key: key, Msg: err.Error()}
	var de *durationError
	if m := typeErr.FindStringSubmatch(err.Error()); m != nil {
		if e.Line == 0 {
			fmt.Sscanf(m[1], "%d", &e.Line)
		}
		e.Msg = typeMessage(m[3])
	}
	if errors.As(err, &de) {
		e.Msg = de.Error()
	}
	return e
}

// syntaxError places a TOML syntax error at its line, naming the key or
// table written on that line (the toml package names the last key it read,
// often on an earlier line).
func syntaxError(name string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: name, Msg: err.Error()}
	}
	line := pe.Position.Line
	if s := pe.Position.Start; s > 0 && s <= len(data) {
		// The toml package counts a newline that ends a broken line as
		// the next line; the user's mistake is on the line it ends.
		line = 1 + bytes.Count(data[:s], []byte("\n"))
	}
	return &Error{File: name, Line: line, Key: keyOnLine(data, line), Msg: pe.Message}
}

var typeMismatch = regexp.MustCompile(`TOML value has type (\S+); destination has type (\S+)`)

// typeMessage turns the toml package's type mismatch into what to write.
func typeMessage(msg string) string {
	m := typeMismatch.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want := map[string]string{
		"boolean": "true or false",
		"integer": "a whole number",
		"slice":   `a list like ["…", "…"]`,
		"string":  `a quoted string`,
	}[m[2]]
	if want == "" {
		want = "a " + m[2]
	}
	got := "a " + m[1]
	switch {
	case strings.HasPrefix(m[1], "map"):
		got = "a table"
	case m[1] == "float64":
		got = "a decimal number"
	case m[1] == "int64":
		got = "a number"
	case strings.HasPrefix(m[1], "[]"):
		got = "a list"
	}
	return fmt.Sprintf("is %s but must be %s", got, want)
}

// placeErrors adds the file name and line to each error from Validate.
func placeErrors(name string, lines map[string]int, err error) []error {
	var out []error
	for _, e := range unjoin(err) {
		var ce *Error
		if errors.As(e, &ce) {
			placed := *ce
			placed.File = name
			placed.Line = lines[ce.Key]
			out = append(out, &placed)
			continue
		}
		out = append(out, &Error{File: name, Msg: e.Error()})
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Validate checks every value and returns all problems at once, each an
// [*Error] naming its key, joined with errors.Join.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Msg: fmt.Sprintf(format, args...)})
	}

	if err := checkBackendURL(c.Backend.URL); err != nil {
		bad("backend.url", "%v", err)
	}
	if c.Backend.CAFile != "" && !filepath.IsAbs(c.Backend.CAFile) {
		bad("backend.ca_file", "%q must be an absolute path", c.Backend.CAFile)
	}
	checkPath := func(key, p string) {
		if p == "" {
			bad(key, "must not be empty")
		} else if !filepath.IsAbs(p) {
			bad(key, "%q must be an absolute path", p)
		}
	}
	checkPath("backend.token_file", c.Backend.TokenFile)
	checkPath("cache.path", c.Cache.Path)
	checkPath("screen.assets_dir", c.Screen.AssetsDir)

	if d := c.Sync.PollInterval.D(); d < 30*time.Second {
		bad("sync.poll_interval", "%s is too short; the backend allows at least 30s", d)
	} else if d > 24*time.Hour {
		bad("sync.poll_interval", "%s is too long; use at most 24h", d)
	}
	if n := c.Sync.MaxBoardBytes; n < 64<<10 || n > 256<<20 {
		bad("sync.max_board_bytes", "%d is out of range (65536 to 268435456 bytes)", n)
	}
	if n := c.Sync.MaxMediaBytes; n < 64<<10 || n > 256<<20 {
		bad("sync.max_media_bytes", "%d is out of range (65536 to 268435456 bytes)", n)
	}

	oneOf(bad, "screen.locale", c.Screen.Locale, append([]string{""}, words.Codes()...)...)
	positive(bad, "screen.idle_after", c.Screen.IdleAfter)
	positive(bad, "screen.offline_after", c.Screen.OfflineAfter)
	if c.Screen.OfflineAfter > 0 && c.Sync.PollInterval > 0 && c.Screen.OfflineAfter < c.Sync.PollInterval {
		bad("screen.offline_after", "%s is shorter than sync.poll_interval (%s); the screen would look offline between syncs",
			c.Screen.OfflineAfter, c.Sync.PollInterval)
	}

	oneOf(bad, "power.backend", c.Power.Backend, "black", "dpms", "backlight", "cec")
	if p := c.Power.BacklightPath; p != "" && !filepath.IsAbs(p) {
		bad("power.backlight_path", "%q must be an absolute path", p)
	}
	if c.Power.Backend == "cec" {
		checkPath("power.cec_device", c.Power.CECDevice)
	}
	for i, r := range c.Power.Schedule {
		if _, err := ParseScheduleRule(r); err != nil {
			bad("power.schedule", "rule %d: %v", i+1, err)
		}
	}
	positive(bad, "power.blank_after", c.Power.BlankAfter)
	positive(bad, "power.night_wake", c.Power.NightWake)
	if d := c.Power.NightPage.D(); d < 0 || d > time.Hour {
		bad("power.night_page", "%s is out of range (0s for none, up to 1h)", d)
	}

	if !gpioPin.MatchString(c.Motion.Pin) {
		bad("motion.pin", "%q is not a GPIO line name (e.g. \"GPIO17\")", c.Motion.Pin)
	}
	oneOf(bad, "motion.pull", c.Motion.Pull, "up", "down", "none")
	oneOf(bad, "motion.edge", c.Motion.Edge, "rising", "falling", "both")
	if d := c.Motion.Debounce.D(); d < 0 || d > 10*time.Second {
		bad("motion.debounce", "%s is out of range (0s to 10s)", d)
	}

	oneOf(bad, "log.level", c.Log.Level, "debug", "info", "warn", "error")

	if !alsaDevice.MatchString(c.Audio.Device) {
		bad("audio.device", "%q is not an ALSA device name (e.g. \"default\" or \"hdmi:CARD=vc4hdmi0,DEV=0\"; `aplay -L` lists them)", c.Audio.Device)
	}
	for _, v := range []struct {
		key string
		n   int
	}{{"audio.volume", c.Audio.Volume}, {"audio.night_volume", c.Audio.NightVolume}} {
		if v.n < 0 || v.n > 100 {
			bad(v.key, "%d is out of range (0 to 100)", v.n)
		}
	}
	oneOf(bad, "audio.announcements", c.Audio.Announcements, AnnouncementsFollowBackend, AnnouncementsOff)

	if r := c.Login.Reader; r != "" && (!strings.HasPrefix(r, "/dev/input/") || strings.Contains(r, "..")) {
		bad("login.reader", "%q is not an input device under /dev/input/ (e.g. \"/dev/input/by-id/usb-...-event-kbd\")", r)
	}
	if r := c.Login.RC522; r != "" && !spiPort.MatchString(r) {
		bad("login.rc522", "%q is not an SPI port (e.g. \"/dev/spidev0.0\" or \"SPI0.0\")", r)
	}

	if c.Status.Listen != "" {
		if err := checkLoopback(c.Status.Listen); err != nil {
			bad("status.listen", "%v", err)
		}
	}
	return errors.Join(errs...)
}

var gpioPin = regexp.MustCompile(`^GPIO([0-9]|[1-5][0-9])$`)

// alsaDevice is an ALSA PCM name as `aplay -L` prints them.
var alsaDevice = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_:,=.\-]{0,99}$`)

func oneOf(bad func(string, string, ...any), key, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	var shown []string
	for _, a := range allowed {
		shown = append(shown, fmt.Sprintf("%q", a))
	}
	bad(key, "%q is not one of %s", v, strings.Join(shown, ", "))
}

func positive(bad func(string, string, ...any), key string, d Duration) {
	if d <= 0 {
		bad(key, "%s must be longer than zero", d)
	}
}

func checkBackendURL(raw string) error {
	if raw == "" {
		return errors.New(`is required (e.g. "https://manager.example.dk")`)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host (e.g. \"https://manager.example.dk\")", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must be a plain base URL without user, query or fragment", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q must use https (plain http is allowed only to 127.0.0.1, localhost or [::1])", raw)
	default:
		return fmt.Errorf("%q must use https", raw)
	}
}

func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return fmt.Errorf("%q is not host:port (e.g. \"127.0.0.1:8470\")", addr)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("%q must be a loopback address (127.0.0.1, localhost or [::1]); the status page is not for the network", addr)
	}
	return nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
