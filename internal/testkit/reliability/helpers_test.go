package reliability

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"skaerm/internal/clock"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/backend"
)

// longRun is true when SKAERM_LONG=1 asks for the long versions.
var longRun = os.Getenv("SKAERM_LONG") == "1"

// binDir holds the skaerm binary built for this test run.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// skaermBinary builds cmd/skaerm once per test run and returns its path.
func skaermBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "skaerm-reliability-bin")
		if buildErr != nil {
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = "/usr/local/go/bin/go"
		}
		binPath = filepath.Join(binDir, "skaerm")
		cmd := exec.Command(goTool, "build", "-o", binPath, "skaerm/cmd/skaerm")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build skaerm/cmd/skaerm: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// writeOut saves a table for build/reliability.sh when
// SKAERM_RELIABILITY_OUT names a directory.
func writeOut(t *testing.T, name, content string) {
	t.Helper()
	dir := os.Getenv("SKAERM_RELIABILITY_OUT")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Errorf("write %s: %v", name, err)
	}
}

// startBackend starts the reference backend with the demo care home on
// loopback; edit adjusts the options.
func startBackend(t *testing.T, edit ...func(*backend.Options)) (*backend.Running, backend.Admin) {
	t.Helper()
	opts := backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true, Logger: slog.New(slog.DiscardHandler)}
	for _, e := range edit {
		e(&opts)
	}
	ctx, cancel := context.WithCancel(context.Background())
	run, err := backend.Start(ctx, "127.0.0.1:0", opts)
	if err != nil {
		cancel()
		t.Fatalf("start backend: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		run.Close()
	})
	return run, backend.Admin{BaseURL: run.URL}
}

// ctxFor returns a context for one admin call.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// lockedBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recorder is a slog handler that keeps every record, so a test can look
// at the error values attached to log lines with errors.Is.
type recorder struct {
	mu      *sync.Mutex
	records *[]slog.Record
	attrs   []slog.Attr
}

func newRecorder() recorder {
	return recorder{mu: &sync.Mutex{}, records: &[]slog.Record{}}
}

func (r recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r recorder) Handle(_ context.Context, rec slog.Record) error {
	rec = rec.Clone()
	rec.AddAttrs(r.attrs...)
	r.mu.Lock()
	*r.records = append(*r.records, rec)
	r.mu.Unlock()
	return nil
}
func (r recorder) WithAttrs(as []slog.Attr) slog.Handler {
	return recorder{mu: r.mu, records: r.records, attrs: append(append([]slog.Attr{}, r.attrs...), as...)}
}
func (r recorder) WithGroup(string) slog.Handler { return r }

// slogOf is a logger that records into r.
func slogOf(r recorder) *slog.Logger { return slog.New(r) }

// errs returns the "err" attributes of the records with message msg.
func (r recorder) errs(msg string) []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []error
	for _, rec := range *r.records {
		if rec.Message != msg {
			continue
		}
		rec.Attrs(func(a slog.Attr) bool {
			if e, ok := a.Value.Any().(error); ok && a.Key == "err" {
				out = append(out, e)
			}
			return true
		})
	}
	return out
}

// has reports whether a record with message msg was logged.
func (r recorder) has(msg string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rec := range *r.records {
		if rec.Message == msg {
			return true
		}
	}
	return false
}

// picture draws a small PNG in a colour made from n, so each n gives
// different bytes and a different hash.
func picture(t testing.TB, n int, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	c := color.NRGBA{uint8(n * 37), uint8(n * 91 >> 1), uint8(n*13 + 60), 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, c)
			if (x+y+n)%7 == 0 {
				img.SetNRGBA(x, y, color.NRGBA{255, 255, 255, 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// table renders rows as aligned text columns.
func table(header []string, rows [][]string) string {
	width := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	line := func(r []string) {
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
			} else {
				fmt.Fprintf(&b, "%-*s  ", width[i], c)
			}
		}
		b.WriteString("\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = strings.Repeat("-", width[i])
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

func itoa(n int) string { return fmt.Sprint(n) }

// byteCount prints a size as B, KiB or MiB.
func byteCount(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
