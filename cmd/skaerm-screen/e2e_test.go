package main

import (
	"bytes"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/internal/testkit/wait"
	"skaerm/internal/testkit/xneed"
)

// TestDemoSyncSnapshot is what a newcomer does by hand: start the reference
// backend with the demo care home, sync once, render today's board to a PNG.
// It runs the real binaries as separate processes, and checks that the cache
// the picture was drawn from holds none of what a screen must drop.
func TestDemoSyncSnapshot(t *testing.T) {
	if msg := xneed.Missing("the end-to-end test"); msg != "" {
		if xneed.CI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+"/", "skaerm/cmd/skaerm", "skaerm/cmd/skaerm-screen", "skaerm/cmd/skaerm-backend")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	url, srvLog := startBackend(t, bin, "T")

	cachePath := filepath.Join(t.TempDir(), "cache.db")
	skaerm := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, "skaerm"), args...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("skaerm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	skaerm("sync", "--once", "--backend", url, "--token", "T", "--cache", cachePath)

	pngPath := filepath.Join(t.TempDir(), "today.png")
	at := time.Now().Format(time.RFC3339)
	skaerm("snapshot", "--cache", cachePath, "--at", at, "--size", "1920x1080", "--page", "today", "--out", pngPath)

	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("snapshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1920 || b.Dy() != 1080 {
		t.Fatalf("snapshot is %v, want 1920x1080", b)
	}
	if n := colours(img); n < 50 {
		t.Errorf("snapshot has only %d colours: nothing drawn?", n)
	}

	minSidePrivacy(t, skaerm, cachePath, url, srvLog)

	// A bad edit in the configuration file does not keep the screen dark:
	// it starts on the file's other keys, and status, reading the running
	// screen's report, names the department and the rejected line.
	conf := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(conf, []byte("[backend]\nurl = \""+url+"\"\n[cache]\npath = \""+cachePath+"\"\n[screen]\nlocale = \"fi\"\n[power]\nschedule = []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	screen := exec.Command(filepath.Join(bin, "skaerm"), "run", "--config", conf, "--token", "T", "--windowed")
	var screenLog bytes.Buffer
	screen.Stderr = &screenLog
	if err := screen.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { screen.Process.Kill(); screen.Wait() })
	var status string
	if !wait.For(func() bool {
		status = skaerm("status", "--config", conf)
		return strings.Contains(status, "report:         the running screen's report")
	}, 60*time.Second) {
		t.Fatalf("no report from the running screen:\n%s\nscreen log:\n%s", status, screenLog.String())
	}
	for _, want := range []string{"department:     Solsikken (d1)", conf + ":6: screen.locale: \"fi\" is not one of", "display power:  on: ", "screen shows:   the today page"} {
		if !strings.Contains(status, want) {
			t.Errorf("status of the running screen lacks %q:\n%s", want, status)
		}
	}

	demo, err := backend.DemoBoardValue(time.Now(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range demo.Secrets() {
		if len(s) >= 4 && bytes.Contains(raw, []byte(s)) {
			t.Errorf("the cache holds %q, which a screen must drop", s)
		}
	}
}

// colours counts distinct colours, up to a limit.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) > 1000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// startBackend runs bin's skaerm-backend with the demo care home and the
// device tokens, until the test ends; it returns its URL and its log.
func startBackend(t *testing.T, bin string, tokens ...string) (string, *syncBuffer) {
	t.Helper()
	return startBackendWith(t, bin, nil, tokens...)
}

// startBackendWith is startBackend with more flags.
func startBackendWith(t *testing.T, bin string, extra []string, tokens ...string) (string, *syncBuffer) {
	t.Helper()
	addr := freeAddr(t)
	args := append([]string{"--demo", "--listen", addr, "--data", t.TempDir()}, extra...)
	for _, tok := range tokens {
		args = append(args, "--token", tok)
	}
	srv := exec.Command(filepath.Join(bin, "skaerm-backend"), args...)
	srvLog := &syncBuffer{}
	srv.Stderr = srvLog
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	url := "http://" + addr
	waitHealthy(t, url)
	return url, srvLog
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	wait.Until(t, "the backend at "+url+" answering", func() bool {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// syncBuffer is a bytes.Buffer safe for the process's writer goroutine.
type syncBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// minSidePrivacy draws Min side through skaerm snapshot --login and checks
// that the cache file is byte for byte as it was, holds none of the demo's
// personal canaries, and that the session was ended at the backend.
func minSidePrivacy(t *testing.T, skaerm func(...string) string, cachePath, url string, srvLog *syncBuffer) {
	t.Helper()
	before, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "me.png")
	said := skaerm("snapshot", "--cache", cachePath, "--size", "1920x1080", "--page", "me",
		"--login", "pin:p1:2580", "--backend", url, "--token", "T", "--out", out)
	pin := filepath.Join(t.TempDir(), "pin.png")
	skaerm("snapshot", "--cache", cachePath, "--size", "1080x1920", "--page", "login/pin/p1", "--out", pin)
	after, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("snapshot --login changed the cache file")
	}
	if bytes.Contains(after, []byte("PRIVATCANARY")) {
		t.Error("the cache file holds a personal canary")
	}
	if strings.Contains(said, "2580") {
		t.Errorf("snapshot printed the PIN: %s", said)
	}
	for _, p := range []string{out, pin} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", p, err)
		}
		if n := colours(img); n < 50 {
			t.Errorf("%s has only %d colours: nothing drawn?", p, n)
		}
	}
	log := srvLog.String()
	if !strings.Contains(log, `msg="session started"`) || !strings.Contains(log, `msg="session ended" profile=p1 reason=logout`) {
		t.Errorf("the backend did not see the session start and end at logout:\n%s", log)
	}
}
