package sync

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
)

// simpleBoard is a valid board with one visible profile and one activity.
func simpleBoard(title string) string {
	return doc(prof("p1", "Karen"), `"activities": [{"id": "a1", "title": "`+title+`", "start": "2026-11-23T14:00:00+01:00", "signups": ["p1"]}]`)
}

func generation(t testing.TB, c *cache.Cache) uint64 {
	t.Helper()
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	return m.Generation
}

func TestNewRejectsConfig(t *testing.T) {
	c := openCache(t, "", clock.NewFake(testNow))
	tests := []struct {
		name string
		edit func(*Options)
	}{
		{"plain http to a remote backend", func(o *Options) { o.BaseURL = "http://manager.example.dk" }},
		{"not a URL", func(o *Options) { o.BaseURL = "manager.example.dk" }},
		{"other scheme", func(o *Options) { o.BaseURL = "ftp://manager.example.dk" }},
		{"credentials in the address", func(o *Options) { o.BaseURL = "https://user:pw@manager.example.dk" }},
		{"no token", func(o *Options) { o.Token = "" }},
		{"no cache", func(o *Options) { o.Cache = nil }},
		{"missing CA file", func(o *Options) { o.CAFile = filepath.Join(t.TempDir(), "none.pem") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Options{Clock: clock.Real{}, BaseURL: "https://manager.example.dk", Token: "T", Cache: c}
			tt.edit(&o)
			if _, err := New(o); !errors.Is(err, ErrConfig) {
				t.Errorf("New = %v, want ErrConfig", err)
			}
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	for _, base := range []string{"https://m.example.dk", "https://m.example.dk/", "https://m.example.dk/api/screen/v1", "https://m.example.dk/api/screen/v1/"} {
		c, err := NewBackend(base, "", "T", "x")
		if err != nil {
			t.Fatal(err)
		}
		if got := c.BaseURL(); got != "https://m.example.dk" {
			t.Errorf("%s: BaseURL = %s", base, got)
		}
		if got := c.url("/board", nil); got != "https://m.example.dk/api/screen/v1/board" {
			t.Errorf("%s: url = %s", base, got)
		}
	}
}

// TestConditionalGET checks the first sync stores the board and the second,
// with nothing changed, is a 304 that costs no body.
func TestConditionalGET(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)

	res, err := s.SyncOnce(context.Background())
	if err != nil || res.NotModified || res.Generation == 0 || res.ETag != `"v1"` {
		t.Fatalf("first sync = %+v, %v", res, err)
	}
	clk.Advance(time.Minute)
	res2, err := s.SyncOnce(context.Background())
	if err != nil || !res2.NotModified || res2.Generation != res.Generation {
		t.Fatalf("second sync = %+v, %v; want 304 and the same generation", res2, err)
	}
	boards := f.reqs("/board")
	last := boards[len(boards)-1]
	if last.Header.Get("If-None-Match") != `"v1"` {
		t.Errorf("If-None-Match = %q", last.Header.Get("If-None-Match"))
	}
	if last.Header.Get("User-Agent") != "skaerm/test" {
		t.Errorf("User-Agent = %q", last.Header.Get("User-Agent"))
	}
	if last.Query != "from=2026-11-22&to=2026-12-07" {
		t.Errorf("query = %q, want yesterday to today+14 in Copenhagen", last.Query)
	}
	if m, _ := c.Meta(); !m.LastSync.Equal(clk.Now()) {
		t.Errorf("LastSync = %v, want the 304's time %v", m.LastSync, clk.Now())
	}
	f.setBoard(simpleBoard("Bingo"), `"v2"`)
	res3, err := s.SyncOnce(context.Background())
	if err != nil || res3.NotModified || res3.Generation <= res.Generation {
		t.Fatalf("third sync = %+v, %v; want a new generation", res3, err)
	}
	if b, _ := c.Board(); b.Activities[0].Title != "Bingo" {
		t.Errorf("title = %q", b.Activities[0].Title)
	}
}

// TestFailuresKeepTheBoard checks every kind of failed fetch leaves the
// cached board and its generation as they were, with a named error.
func TestFailuresKeepTheBoard(t *testing.T) {
	tests := []struct {
		name string
		set  func(f *fakeBackend)
		want error
	}{
		{"server error", func(f *fakeBackend) { f.status = http.StatusBadGateway }, ErrBackendFailed},
		{"token revoked", func(f *fakeBackend) { f.status = http.StatusUnauthorized }, ErrUnauthorized},
		{"not found", func(f *fakeBackend) { f.status = http.StatusNotFound }, ErrBackendFailed},
		{"captive portal", func(f *fakeBackend) { f.boardCT = "text/html; charset=utf-8"; f.board = "<html>login</html>" }, ErrBadBoard},
		{"invalid JSON", func(f *fakeBackend) { f.board = `{"department": ` }, ErrBadBoard},
		{"board without department", func(f *fakeBackend) { f.board = `{"profiles": []}` }, ErrBadBoard},
		{"too large", func(f *fakeBackend) { f.board = simpleBoard(strings.Repeat("x", 200<<10)) }, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewFake(testNow)
			f := newFakeBackend(t, clk)
			f.setBoard(simpleBoard("Banko"), `"v1"`)
			c := openCache(t, "", clk)
			s := newSyncer(t, f.URL, c, clk, func(o *Options) { o.MaxBoardBytes = 100 << 10 })
			if _, err := s.SyncOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			gen := generation(t, c)

			f.mu.Lock()
			tt.set(f)
			f.etag = `"v2"`
			f.mu.Unlock()
			_, err := s.SyncOnce(context.Background())
			if !errors.Is(err, tt.want) {
				t.Fatalf("SyncOnce = %v, want %v", err, tt.want)
			}
			if g := generation(t, c); g != gen {
				t.Errorf("generation %d -> %d: the cache changed", gen, g)
			}
			b, err := c.Board()
			if err != nil || b.Activities[0].Title != "Banko" {
				t.Errorf("board = %+v, %v", b, err)
			}
			if m, _ := c.Meta(); m.LastError == "" || m.ETag != `"v1"` {
				t.Errorf("meta = %+v, want the failure recorded and the old ETag", m)
			}
		})
	}
}

// TestForeignRedirect checks a redirect to another origin is not followed
// and the token never reaches it.
func TestForeignRedirect(t *testing.T) {
	clk := clock.NewFake(testNow)
	var mu sync.Mutex
	var seen []http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		w.Write([]byte(simpleBoard("Stolen")))
	}))
	defer other.Close()
	for _, target := range []string{other.URL, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)} {
		backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusFound)
		}))
		c := openCache(t, "", clk)
		s := newSyncer(t, backend.URL, c, clk)
		_, err := s.SyncOnce(context.Background())
		backend.Close()
		if !errors.Is(err, ErrForeignRedirect) {
			t.Errorf("redirect to %s: err = %v, want ErrForeignRedirect", target, err)
		}
		if _, err := c.Board(); !errors.Is(err, cache.ErrNoBoard) {
			t.Errorf("a board was stored: %v", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range seen {
		if h.Get("Authorization") != "" {
			t.Errorf("the token reached another origin: %v", h)
		}
	}
	if len(seen) != 0 {
		t.Errorf("another origin got %d requests, want none", len(seen))
	}
}

// TestSameOriginRedirect checks a redirect within the backend is followed
// with the token.
func TestSameOriginRedirect(t *testing.T) {
	clk := clock.NewFake(testNow)
	mux := http.NewServeMux()
	mux.HandleFunc(apiPrefix+"/board", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v2"+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/v2"+apiPrefix+"/board", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer T" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		setDate(w, clk)
		w.Write([]byte(simpleBoard("Banko")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := openCache(t, "", clk)
	s := newSyncer(t, srv.URL, c, clk)
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if _, err := c.Board(); err != nil {
		t.Fatal(err)
	}
}

// TestCustomCA checks TLS is verified: a backend with a private CA fails
// with ErrCertificate until that CA is given with CAFile.
func TestCustomCA(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := &fakeBackend{clk: clk, media: map[string]fakeMedia{}}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	f.StartTLS()
	defer f.Close()
	f.setBoard(simpleBoard("Banko"), `"v1"`)

	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	if _, err := s.SyncOnce(context.Background()); !errors.Is(err, ErrCertificate) {
		t.Fatalf("without the CA: err = %v, want ErrCertificate", err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	s = newSyncer(t, f.URL, c, clk, func(o *Options) { o.CAFile = caFile })
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatalf("with the CA: %v", err)
	}
}

// TestBackendDown checks a backend that is not there gives a clear error
// wrapping ErrBackendUnreachable and leaves the cache alone.
func TestBackendDown(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	gen := generation(t, c)
	f.Close()
	_, err := s.SyncOnce(context.Background())
	if !errors.Is(err, ErrBackendUnreachable) {
		t.Fatalf("err = %v, want ErrBackendUnreachable", err)
	}
	if !strings.Contains(err.Error(), "check the network") {
		t.Errorf("err = %q: a technician needs to know what to check", err)
	}
	if generation(t, c) != gen {
		t.Error("the cache changed")
	}
}

// TestClockOffset checks the backend's Date header is recorded as the
// clock offset, and the cache's window follows the corrected clock while
// the measurement is fresh.
func TestClockOffset(t *testing.T) {
	backendClock := clock.NewFake(testNow)
	screenClock := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) // booted in the past
	f := newFakeBackend(t, backendClock)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", screenClock)
	s := newSyncer(t, f.URL, c, screenClock)
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	m, _ := c.Meta()
	if want := testNow.Sub(screenClock.Now()); m.ClockOffset != want {
		t.Errorf("ClockOffset = %v, want %v", m.ClockOffset, want)
	}
	if b, _ := c.Board(); len(b.Activities) != 1 {
		t.Errorf("activities = %v: the window should follow the backend's date", b.Activities)
	}
	boards := f.reqs("/board")
	if q := boards[len(boards)-1].Query; q != "from=2026-11-22&to=2026-12-07" {
		t.Errorf("query = %s", q)
	}
	// The days asked for are the cache's window. When NTP then steps the
	// local clock to a week later, the stored offset no longer describes
	// it, and the window follows the local clock instead of running ahead.
	if w, err := c.Window(); err != nil || w.From.Format(time.DateOnly) != "2026-11-22" {
		t.Errorf("cache window from %s (%v), want 2026-11-22", w.From.Format(time.DateOnly), err)
	}
	screenClock.Set(testNow.AddDate(0, 0, 7))
	if w, err := c.Window(); err != nil || w.From.Format(time.DateOnly) != "2026-11-29" {
		t.Errorf("after the clock step the window starts %s (%v), want 2026-11-29", w.From.Format(time.DateOnly), err)
	}
}

func TestMediaFailuresSkipped(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	good := pngBytes(t, 50, 50)
	goodHash := f.addMedia("image/png", good)
	wrong := pngBytes(t, 51, 50)
	wrongHash := hashOf([]byte("what the board promised"))
	big := jpegBytes(t, 400, 300)
	bigHash := f.addMedia("image/jpeg", big)
	f.media[wrongHash] = fakeMedia{"image/png", wrong}
	missing := hashOf([]byte("missing"))
	f.setBoard(doc(prof("p1", "Karen", `"avatar": {"sha256": "`+goodHash+`"}`)+","+prof("p2", "Ole", `"avatar": {"sha256": "`+wrongHash+`"}`),
		`"news": [{"id": "n1", "title": "x", "visible_on_screen": true, "image": {"sha256": "`+bigHash+`"}},
		          {"id": "n2", "title": "y", "visible_on_screen": true, "image": {"sha256": "`+missing+`"}}]`), `"v1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, func(o *Options) { o.MaxMediaBytes = int64(len(big) - 1) })

	res, err := s.SyncOnce(context.Background())
	if err != nil {
		t.Fatalf("SyncOnce: %v (a bad medium must not fail the sync)", err)
	}
	if res.MediaFetched != 1 || res.MediaFailed != 3 {
		t.Errorf("fetched %d, failed %d; want 1 and 3", res.MediaFetched, res.MediaFailed)
	}
	for h, want := range map[string]bool{goodHash: true, wrongHash: false, bigHash: false, missing: false} {
		if got, _ := c.HasMedia(h); got != want {
			t.Errorf("HasMedia(%s) = %v, want %v", h[:8], got, want)
		}
	}
	if b, _ := c.Board(); len(b.Profiles) != 2 {
		t.Errorf("the board was not stored")
	}

	// Fixed at the backend: the next sync (even a 304) fetches what is missing.
	f.mu.Lock()
	f.media[wrongHash] = fakeMedia{"image/png", []byte("still wrong")}
	f.media[missing] = fakeMedia{"image/png", []byte("missing")} // now it matches... but is not an image
	f.mu.Unlock()
	s = newSyncer(t, f.URL, c, clk)
	res, err = s.SyncOnce(context.Background())
	if err != nil || !res.NotModified || res.MediaFetched != 1 || res.MediaFailed != 2 {
		t.Errorf("retry = %+v, %v; want the big image fetched on a 304", res, err)
	}
}

// TestMediaFetchedSeveralAtOnce checks that a sync fetches mediaWorkers
// media at the same time: each request at the backend waits until that many
// are in flight (or gives up after 5 s, which one at a time would hit).
func TestMediaFetchedSeveralAtOnce(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	var profiles []string
	for i := range 2 * mediaWorkers {
		h := f.addMedia("image/png", pngBytes(t, 40+i, 40))
		profiles = append(profiles, prof(fmt.Sprintf("p%d", i), "Karen", `"avatar": {"sha256": "`+h+`"}`))
	}
	f.setBoard(doc(strings.Join(profiles, ",")), `"v1"`)
	var mu sync.Mutex
	inFlight, most := 0, 0
	all := make(chan struct{})
	f.mediaHook = func() {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if inFlight == mediaWorkers {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
	}
	c := openCache(t, "", clk)
	var stored []int
	s := newSyncer(t, f.URL, c, clk, func(o *Options) { o.OnMedia = func(n int) { stored = append(stored, n) } })
	res, err := s.SyncOnce(context.Background())
	if err != nil || res.MediaFetched != 2*mediaWorkers || res.MediaFailed != 0 {
		t.Fatalf("SyncOnce = %+v, %v; want all %d media fetched", res, err, 2*mediaWorkers)
	}
	if most != mediaWorkers {
		t.Errorf("at most %d media requests in flight, want %d", most, mediaWorkers)
	}
	// OnMedia hears of the stored media once; a sync with nothing new is silent.
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0] != 2*mediaWorkers {
		t.Errorf("OnMedia calls = %v, want one with %d", stored, 2*mediaWorkers)
	}
}

// TestStatusPosted checks the status report after a sync.
func TestStatusPosted(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	if err := c.Enqueue(board.Signup{ID: "u1", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p1", Action: board.Join}); err != nil {
		t.Fatal(err)
	}
	f.signup = func([]byte) (int, string) { return http.StatusServiceUnavailable, "" }
	s := newSyncer(t, f.URL, c, clk, func(o *Options) {
		o.Status = func() StatusExtras { return StatusExtras{DisplayOn: true, SoCTempC: 51.5, ClockSynced: true} }
	})
	clk.Advance(90 * time.Second)
	if _, err := s.SyncOnce(context.Background()); !errors.Is(err, ErrBackendFailed) {
		t.Fatalf("SyncOnce = %v, want the sign-up's 503", err)
	}
	posts := f.reqs("/status")
	if len(posts) != 1 {
		t.Fatalf("%d status posts, want 1", len(posts))
	}
	st := decodeJSON(t, posts[0].Body)
	want := map[string]any{"version": "test", "uptime_s": 90.0, "board_etag": `"v1"`, "display_on": true,
		"soc_temp_c": 51.5, "outbox": 1.0, "clock_synced": true, "last_sync": clk.Now().UTC().Format(time.RFC3339)}
	for k, v := range want {
		if st[k] != v {
			t.Errorf("status %s = %v, want %v", k, st[k], v)
		}
	}
}

// TestBoardStoredLoggedOnce: a sync that stores a board says so in one log
// line (the cache's, with what it kept); the sync adds what the filter kept
// out under its own message.
func TestBoardStoredLoggedOnce(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clk, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s := newSyncer(t, f.URL, c, clk, func(o *Options) { o.Logger = log })
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), `msg="board stored"`); n != 1 {
		t.Errorf("%d lines say the board was stored, want 1:\n%s", n, logs.String())
	}
	if n := strings.Count(logs.String(), `msg="board filtered"`); n != 1 {
		t.Errorf("%d lines say what the filter kept out, want 1:\n%s", n, logs.String())
	}
}
