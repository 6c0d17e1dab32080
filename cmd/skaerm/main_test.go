package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"skaerm/internal/clock"
	"skaerm/words"
	"strings"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/internal/status"
)

// run calls the command line as a technician would and returns its output.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := dispatch(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func startBackend(t *testing.T) *backend.Running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	b, err := backend.Start(ctx, "127.0.0.1:0", backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestSyncStatusAgainstRealBackend syncs from the reference backend, changes a
// profile as staff would in the Manager, syncs again and sees the change, and
// sees a 304 when nothing changed.
func TestSyncStatusAgainstRealBackend(t *testing.T) {
	b := startBackend(t)
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	syncArgs := []string{"sync", "--once", "--backend", b.URL, "--token", "T", "--cache", cachePath}

	out, errOut, code := run(t, syncArgs...)
	if code != 0 || !strings.Contains(out, "board generation 1 stored") {
		t.Fatalf("first sync: code %d, out %q, err %q", code, out, errOut)
	}
	out, errOut, code = run(t, syncArgs...)
	if code != 0 || !strings.Contains(out, "board unchanged") {
		t.Fatalf("second sync should be a 304: code %d, out %q, err %q", code, out, errOut)
	}

	ctx := context.Background()
	admin := backend.Admin{BaseURL: b.URL}
	profiles, err := admin.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var target backend.Profile
	for _, p := range profiles {
		if p.Kind == "resident" && p.VisibleOnScreen && !p.Anonymized && p.Alias == "" && p.DepartmentID == "d1" {
			target = p
			break
		}
	}
	if target.ID == "" {
		t.Fatal("demo has no plain visible resident in d1")
	}
	if err := admin.UpdateProfile(ctx, target.ID, map[string]any{"first_name": "Ellinor"}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = run(t, syncArgs...)
	if code != 0 || !strings.Contains(out, "board generation 2 stored") {
		t.Fatalf("sync after the change: code %d, out %q, err %q", code, out, errOut)
	}
	raw, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("Ellinor")) {
		t.Error("the new first name is not in the cache")
	}
	if bytes.Contains(raw, []byte(target.LastName)) {
		t.Errorf("the cache holds a last name")
	}

	out, errOut, code = run(t, "status", "--json", "--cache", cachePath)
	if code != 0 {
		t.Fatalf("status: code %d, err %q", code, errOut)
	}
	var r status.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, out)
	}
	if !r.HasBoard || r.Generation != 2 || r.Department != "d1" || r.Counts.Profiles == 0 || r.LastSync.IsZero() {
		t.Errorf("status report: %+v", r)
	}
	if time.Since(r.LastSync) > time.Minute {
		t.Errorf("last sync %s is not recent", r.LastSync)
	}
	out, _, code = run(t, "status", "--cache", cachePath)
	if code != 0 || !strings.Contains(out, "outbox:") || !strings.Contains(out, "board holds:") {
		t.Errorf("status text: code %d\n%s", code, out)
	}
}

// syncOnce fills the cache at cachePath from the backend, as `skaerm sync
// --once` does.
func syncOnce(t *testing.T, b *backend.Running, cachePath string) {
	t.Helper()
	if _, errOut, code := run(t, "sync", "--once", "--backend", b.URL, "--token", "T", "--cache", cachePath); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
}

// TestSyncBackendDown keeps the cached board when the backend is gone.
func TestSyncBackendDown(t *testing.T) {
	b := startBackend(t)
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	syncOnce(t, b, cachePath)
	url := b.URL
	b.Close()
	_, errOut, code := run(t, "sync", "--once", "--backend", url, "--token", "T", "--cache", cachePath)
	if code == 0 || !strings.Contains(errOut, "cannot be reached") {
		t.Fatalf("sync to a stopped backend: code %d, err %q", code, errOut)
	}
	out, _, _ := run(t, "status", "--json", "--cache", cachePath)
	var r status.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if !r.HasBoard || r.Generation != 1 || r.LastError == "" {
		t.Errorf("after a failed sync the board must stay and the error be recorded: %+v", r)
	}
}

func TestUsageAndErrors(t *testing.T) {
	if _, _, code := run(t); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
	if _, errOut, code := run(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if out, _, code := run(t, "version"); code != 0 || !strings.HasPrefix(out, "skaerm ") {
		t.Errorf("version: %d %q", code, out)
	}
	if _, errOut, code := run(t, "sync", "--once", "--cache", filepath.Join(t.TempDir(), "c.db")); code != 1 || !strings.Contains(errOut, "no backend address") {
		t.Errorf("sync without backend: %d %q", code, errOut)
	}
	if _, _, code := run(t, "purge", "--cache", filepath.Join(t.TempDir(), "c.db")); code != 2 {
		t.Errorf("purge without --yes must refuse: %d", code)
	}
}

// TestDoctor walks the checks against a real backend: a good token and a
// synced cache are OK, a refused token is a FAIL that says to pair again,
// and any FAIL makes the exit code 1.
func TestDoctor(t *testing.T) {
	b := startBackend(t)
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	syncOnce(t, b, cachePath)
	out, _, _ := run(t, "doctor", "--backend", b.URL, "--token", "T", "--cache", cachePath)
	for _, want := range []string{"OK   token: present", "OK   backend: ", "OK   cache: board generation 1", "OK   outbox: empty", "display power:", "motion sensor:", "disk space:", "clock:", "OK   speech: espeak-ng speaks da", "audio:"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, out)
		}
	}
	out, _, code := run(t, "doctor", "--backend", b.URL, "--token", "wrong", "--cache", cachePath)
	if code != 1 || !strings.Contains(out, "FAIL backend: reachable, but it does not accept this screen's token") {
		t.Errorf("doctor with a refused token: exit %d\n%s", code, out)
	}
	out, _, code = run(t, "doctor", "--json", "--backend", b.URL, "--token", "wrong", "--cache", cachePath)
	var findings []map[string]string
	if err := json.Unmarshal([]byte(out), &findings); err != nil || code != 1 || len(findings) < 10 {
		t.Errorf("doctor --json: exit %d, %d findings, %v", code, len(findings), err)
	}
}

// writeConfig writes a configuration file for the tests and returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRejectedEditStillReports: one bad edit in config.toml does not stop
// status or doctor. Both run on the file's other keys (here its cache
// path), name every rejected line with the file's full path, and doctor
// goes on with every other check.
func TestRejectedEditStillReports(t *testing.T) {
	b := startBackend(t)
	dir := t.TempDir()
	cachePath := filepath.Join(dir, "screen.db")
	tokenPath := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenPath, []byte("T\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, b, cachePath)
	conf := writeConfig(t, "[backend]\nurl = \""+b.URL+"\"\ntoken_file = \""+tokenPath+"\"\n[cache]\npath = \""+cachePath+
		"\"\n[screen]\nlocale = \"fi\"\nfullscreen = \"yes\"\n")

	out, errOut, code := run(t, "status", "--config", conf)
	if code != 0 {
		t.Fatalf("status with a rejected edit: exit %d, %s", code, errOut)
	}
	for _, want := range []string{
		"department:     Solsikken (d1)",
		"configuration:  edit rejected",
		conf + ":7: screen.locale: \"fi\" is not one of",
		conf + ":8: screen.fullscreen: is a string but must be true or false",
		"board holds:",
		"cache:          " + cachePath,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status does not say %q:\n%s", want, out)
		}
	}

	out, _, code = run(t, "doctor", "--config", conf)
	if code != 1 {
		t.Errorf("doctor with a rejected edit: exit %d, want 1", code)
	}
	for _, want := range []string{
		"FAIL configuration: edit rejected",
		conf + ":7: screen.locale:",
		conf + ":8: screen.fullscreen:",
		"OK   backend: " + b.URL + " answers (200 OK)",
		"OK   token: present",
		"OK   cache: board generation 1",
		"disk space:",
		"power supply and throttling:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, out)
		}
	}
}

// TestDoctorFirstContact: what a technician meets on a fresh screen. No
// backend address is said first; a never-synced screen is "not synced yet"
// (WARN), not a disk failure; a token file others can read gets the chmod
// that fixes it; and the clock goes by the same rule as the screen: with
// the backend answering, it is never a FAIL.
func TestDoctorFirstContact(t *testing.T) {
	dir := t.TempDir()
	cachePath := filepath.Join(dir, "cache.db")
	tokenPath := filepath.Join(dir, "token")

	out, _, _ := run(t, "doctor", "--config", writeConfig(t, "[cache]\npath = \""+cachePath+"\"\n[backend]\ntoken_file = \""+tokenPath+"\"\n"))
	lines := strings.Split(out, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "FAIL backend: no backend address") || !strings.Contains(out, "no cache at "+cachePath) || !strings.Contains(out, "set [backend] url in ") {
		t.Errorf("doctor without a backend address must say so first:\n%s", out)
	}
	if !strings.Contains(out, "WARN cache: not synced yet") || strings.Contains(out, "check the disk") {
		t.Errorf("a never-synced screen is not a disk failure:\n%s", out)
	}
	if !strings.Contains(out, "FAIL token: this screen is not paired") || !strings.Contains(out, "skaerm pair") {
		t.Errorf("an unpaired screen:\n%s", out)
	}

	b := startBackend(t)
	if err := os.WriteFile(tokenPath, []byte("T\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tokenPath, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ = run(t, "doctor", "--backend", b.URL, "--token-file", tokenPath, "--cache", cachePath)
	if !strings.Contains(out, "FAIL token: "+tokenPath+" can be read by other users") || !strings.Contains(out, "-> chmod 600 "+tokenPath+"\n") ||
		strings.Contains(out, "pair the screen") {
		t.Errorf("a token file others can read needs chmod, not pairing:\n%s", out)
	}
	clockLine := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " clock: ") {
			clockLine = l
		}
	}
	if strings.HasPrefix(clockLine, "FAIL") || !(strings.Contains(clockLine, "NTP") || strings.Contains(clockLine, "backend's time")) {
		t.Errorf("with the backend answering, the clock goes by NTP or the backend's time: %q", clockLine)
	}
}

// TestStatusReadsInFiveSeconds: the status text names the department and its
// zone, gives ages instead of bare times, says the outbox plainly and keeps
// the entity tag for --json only.
func TestStatusReadsInFiveSeconds(t *testing.T) {
	b := startBackend(t)
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	syncOnce(t, b, cachePath)
	out, _, code := run(t, "status", "--cache", cachePath)
	if code != 0 {
		t.Fatalf("status: exit %d", code)
	}
	for _, want := range []string{
		"department:     Solsikken (d1), times in Europe/Copenhagen\n",
		"last good sync: ", " ago), board generation 1\n",
		"screen shows:   nothing: skaerm-screen is not running",
		"outbox:         empty",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "etag") || strings.Contains(out, " UTC") || strings.Contains(out, "-1s ahead") {
		t.Errorf("status text with an entity tag, UTC or a negative lead:\n%s", out)
	}
	if !strings.Contains(out, " CET (") && !strings.Contains(out, " CEST (") {
		t.Errorf("status times are not in the department's zone:\n%s", out)
	}
	js, _, _ := run(t, "status", "--json", "--cache", cachePath)
	var r status.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil || r.ETag == "" || r.DepartmentName != "Solsikken" || r.Timezone != "Europe/Copenhagen" {
		t.Errorf("status --json lost a machine field: %v\n%s", err, js)
	}
}

// TestDisplayPowerRuleSaid: status and the example configuration say which
// display power rule holds: without a motion sensor (the default) only the
// schedule switches the display off; with one, idleness does too.
func TestDisplayPowerRuleSaid(t *testing.T) {
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	out, _, _ := run(t, "status", "--cache", cachePath)
	if !strings.Contains(out, "display power:  when the screen runs: on in the daytime, off by the schedule (daily off 22:00-06:00); without a motion sensor idleness never blanks it") {
		t.Errorf("status without a sensor:\n%s", out)
	}
	conf := writeConfig(t, "[backend]\nurl = \"https://manager.example.dk\"\n[motion]\nenabled = true\n[power]\nblank_after = \"15m\"\n")
	out, _, _ = run(t, "status", "--config", conf, "--cache", cachePath)
	if !strings.Contains(out, "display power:  when the screen runs: off after 15m0s without motion or touch, and by the schedule") {
		t.Errorf("status with a sensor:\n%s", out)
	}
	out, _, _ = run(t, "config", "example")
	if !strings.Contains(out, "Without one, the\n# display stays on all day and only the schedule switches it off") {
		t.Errorf("config example does not say the rule without a sensor:\n%s", out)
	}
}

// TestHelpWithoutDisplay: skaerm answers every command's help itself, on
// stdout, with no display: `skaerm help CMD`, `skaerm CMD --help`, and
// run and snapshot too (skaerm-screen could not even start).
func TestHelpWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	for _, args := range [][]string{{"help", "sync"}, {"sync", "--help"}, {"run", "--help"}, {"help", "run"}, {"snapshot", "--help"}, {"help", "config"}} {
		out, errOut, code := run(t, args...)
		name := args[0]
		if name == "help" {
			name = args[1]
		}
		if code != 0 || !strings.HasPrefix(out, "Usage: skaerm "+name+" ") || !strings.Contains(out, "-config string") || errOut != "" {
			t.Errorf("skaerm %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	if out, _, _ := run(t, "snapshot", "--help"); !strings.Contains(out, "activity/<id>") || !strings.Contains(out, "-locale string") {
		t.Errorf("snapshot --help lacks its pages or --locale:\n%s", out)
	}
}

// TestNoDisplayOneSentence: run and snapshot without a display (none set,
// or a dead one) say so in one line naming the display and how to run
// headless, and exit 1, before anything links a graphics library.
func TestNoDisplayOneSentence(t *testing.T) {
	b := startBackend(t)
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	syncOnce(t, b, cachePath)
	for _, tt := range []struct{ display, want string }{
		{"", "no display to draw on (DISPLAY is not set): run headless with `xvfb-run -a skaerm ...`"},
		{":4711", "cannot open display :4711: no X server"},
	} {
		t.Setenv("DISPLAY", tt.display)
		for _, args := range [][]string{
			{"run", "--backend", b.URL, "--token", "T", "--cache", cachePath},
			{"snapshot", "--cache", cachePath, "--out", filepath.Join(t.TempDir(), "x.png")},
		} {
			out, errOut, code := run(t, args...)
			if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) ||
				!strings.Contains(errOut, "kiosk's :0") || strings.Contains(errOut, "goroutine") {
				t.Errorf("DISPLAY=%q skaerm %s: exit %d\n%s", tt.display, args[0], code, errOut)
			}
		}
	}
}

// TestSnapshotRefusesWhatItCannotDraw: an unknown page, an id that is not
// on the cached board and an unknown language are refused with the valid
// choices (exit 2), before any display is needed.
func TestSnapshotRefusesWhatItCannotDraw(t *testing.T) {
	t.Setenv("DISPLAY", "")
	b := startBackend(t)
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	syncOnce(t, b, cachePath)
	snap := func(extra ...string) (string, int) {
		_, errOut, code := run(t, append([]string{"snapshot", "--cache", cachePath, "--out", filepath.Join(t.TempDir(), "x.png")}, extra...)...)
		return errOut, code
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--page", "activity/nosuch"}, []string{`no activity "nosuch" on the cached board; its ids: a-d1-`}},
		{[]string{"--page", "meal/nosuch"}, []string{`no meal "nosuch"`}},
		{[]string{"--page", "frontpage"}, []string{`unknown page "frontpage": want one of today, roster,`, "activity/<id>"}},
		{[]string{"--locale", "xx"}, []string{`--locale "xx": want one of ` + strings.Join(words.Codes(), ", ")}},
		{[]string{"--locale", "fi", "--page", "activity"}, []string{"--locale", "--page"}},
	} {
		errOut, code := snap(tt.args...)
		for _, want := range tt.want {
			if code != 2 || !strings.Contains(errOut, want) {
				t.Errorf("snapshot %v: exit %d, want 2 and %q:\n%s", tt.args, code, want, errOut)
			}
		}
	}
}

// TestSnapshotWithoutCache: a snapshot before the first sync says where
// the cache should be and how to fill it.
func TestSnapshotWithoutCache(t *testing.T) {
	t.Setenv("DISPLAY", "")
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	_, errOut, code := run(t, "snapshot", "--cache", cachePath, "--out", filepath.Join(t.TempDir(), "x.png"))
	if code != 1 || errOut != "skaerm snapshot: no cache at "+cachePath+" yet: `skaerm sync --once` fills it from the backend\n" {
		t.Errorf("snapshot without a cache: exit %d\n%s", code, errOut)
	}
}

// TestConfigSaysWhatIsWrong: config without or with an unknown subcommand
// says what is wrong before the usage; check says when [backend] url is
// still missing.
func TestConfigSaysWhatIsWrong(t *testing.T) {
	if _, errOut, code := run(t, "config"); code != 2 || !strings.HasPrefix(errOut, "skaerm config: say what to do: example") {
		t.Errorf("config: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := run(t, "config", "nosuch"); code != 2 || !strings.HasPrefix(errOut, `skaerm config: unknown subcommand "nosuch": want example or check`) {
		t.Errorf("config nosuch: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat("/etc/skaerm/config.toml"); err == nil {
		t.Skip("this machine has a configuration file")
	}
	out, errOut, code := run(t, "config", "check")
	if code != 1 || !strings.Contains(out, "no configuration file") || !strings.Contains(errOut, "[backend] url is still missing") {
		t.Errorf("config check without a file: exit %d\n%s%s", code, out, errOut)
	}
	conf := writeConfig(t, "[log]\nlevel = \"debug\"\n")
	if _, errOut, code := run(t, "config", "check", "--config", conf); code != 1 || !strings.Contains(errOut, conf+": backend.url: is required") {
		t.Errorf("config check of a file without a URL: exit %d\n%s", code, errOut)
	}
	conf = writeConfig(t, "[backend]\nurl = \"https://manager.example.dk\"\n")
	if out, _, code := run(t, "config", "check", "--config", conf); code != 0 || out != conf+" is valid\n" {
		t.Errorf("config check of a good file: exit %d\n%s", code, out)
	}
}

// TestPairFirstContact: pair refuses to replace a working token without
// --force, gives up at once on an address with no Screen API (404) with one
// sentence, and pairs with --force, naming the code's deadline in the
// department's time zone.
func TestPairFirstContact(t *testing.T) {
	b := startBackend(t)
	dir := t.TempDir()
	tokenPath := filepath.Join(dir, "token")
	cachePath := filepath.Join(dir, "cache.db")
	if err := os.WriteFile(tokenPath, []byte("T\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "pair", "--backend", b.URL, "--token-file", tokenPath, "--cache", cachePath)
	if code != 1 || !strings.Contains(errOut, "this screen is already paired (its token is in "+tokenPath+"); pairing again replaces the token: add --force") {
		t.Errorf("pair of a paired screen: exit %d\n%s", code, errOut)
	}
	_, errOut, code = run(t, "pair", "--backend", b.URL+"/manager", "--token-file", filepath.Join(dir, "other"), "--cache", cachePath)
	if code != 1 || errOut != "skaerm pair: giving up: "+strings.TrimPrefix(b.URL, "http://")+" answers, but has no Screen API at "+b.URL+"/manager (404): check the path in [backend] url\n" {
		t.Errorf("pair with a wrong path: exit %d\n%s", code, errOut)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// pair writes to a pipe; its lines arrive here as it prints them.
	pr, pw := io.Pipe()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var errs bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- dispatch(ctx, []string{"pair", "--force", "--backend", b.URL, "--token-file", tokenPath, "--cache", cachePath}, pw, &errs)
		pw.Close()
	}()
	next := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("pair ended (%d):\n%s", <-done, errs.String())
			}
			return l
		case <-ctx.Done():
			t.Fatal("pair said nothing more")
		}
		return ""
	}
	codeRe := regexp.MustCompile(`^    ([A-Z]{4}-[A-Z]{4})$`)
	var m []string
	for m == nil {
		m = codeRe.FindStringSubmatch(next())
	}
	next() // an empty line
	if l := next(); !regexp.MustCompile(`before \d\d:\d\d \(Europe/Copenhagen\)\.$`).MatchString(l) {
		t.Errorf("the code's deadline is not in the department's zone: %q", l)
	}
	if err := (backend.Admin{BaseURL: b.URL}).ApprovePairing(ctx, m[1], "d1"); err != nil {
		t.Fatal(err)
	}
	if l := next(); l != "paired: the token is in "+tokenPath {
		t.Errorf("pair --force said %q", l)
	}
	if c := <-done; c != 0 {
		t.Fatalf("pair --force: exit %d\n%s", c, errs.String())
	}
	if tok, err := os.ReadFile(tokenPath); err != nil || strings.TrimSpace(string(tok)) == "T" {
		t.Errorf("the token was not replaced: %q, %v", tok, err)
	}
}

// TestDoctorOpensTheDisplay: doctor opens the display as the screen would,
// and a dead one is a FAIL that says to start the kiosk.
func TestDoctorOpensTheDisplay(t *testing.T) {
	t.Setenv("DISPLAY", ":4711")
	out, _, _ := run(t, "doctor", "--cache", filepath.Join(t.TempDir(), "cache.db"))
	if !strings.Contains(out, "FAIL display: display :4711: no X server") || !strings.Contains(out, "start the kiosk session") {
		t.Errorf("doctor with a dead display:\n%s", out)
	}
}

// Purge wipes what the screen kept beside its cache too: the status report
// and the record of announcements made.
func TestPurgeWipesTheRecordOfAnnouncements(t *testing.T) {
	cachePath := filepath.Join(t.TempDir(), "cache.db")
	said := filepath.Join(filepath.Dir(cachePath), "announced.json")
	if err := os.WriteFile(said, []byte(`{"items":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, "purge", "--yes", "--cache", cachePath); code != 0 {
		t.Fatalf("purge: %d %s", code, errOut)
	}
	if _, err := os.Stat(said); !os.IsNotExist(err) {
		t.Errorf("the record of announcements survives the purge: %v", err)
	}
}
