package reliability

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
	"skaerm/sync"
)

// front is a loopback server in front of the reference backend: it passes
// every request through, except those an override claims.
type front struct {
	srv     *httptest.Server
	backend *url.URL
	mu      gosync.Mutex
	ov      func(w http.ResponseWriter, r *http.Request) bool
	boards  atomic.Int64 // board requests seen
}

func newFront(t *testing.T, backendURL string) *front {
	t.Helper()
	u, err := url.Parse(backendURL)
	if err != nil {
		t.Fatal(err)
	}
	f := &front{backend: u}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.FlushInterval = -1 // the event stream flows through at once
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/board") {
			f.boards.Add(1)
		}
		f.mu.Lock()
		ov := f.ov
		f.mu.Unlock()
		if ov != nil && ov(w, r) {
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *front) set(ov func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	f.ov = ov
	f.mu.Unlock()
}

// realBoard fetches the board the backend would answer r with.
func (f *front) realBoard(r *http.Request) (map[string]any, error) {
	u := *f.backend
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, u.String(), nil)
	req.Header.Set("Authorization", r.Header.Get("Authorization"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc map[string]any
	return doc, json.NewDecoder(resp.Body).Decode(&doc)
}

// serveBoard answers board requests with the real board after edit; the
// marker INVALID-UTF8 in the encoded document becomes bytes that are not
// UTF-8.
func (f *front) serveBoard(etag string, edit func(doc map[string]any)) {
	f.set(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/board") {
			return false
		}
		doc, err := f.realBoard(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return true
		}
		edit(doc)
		data, _ := json.Marshal(doc)
		data = bytes.ReplaceAll(data, []byte("INVALID-UTF8"), []byte("\xff\xfe\xc3("))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", etag)
		w.Write(data)
		return true
	})
}

// faultRow is one line of the fault table.
type faultRow struct{ fault, outcome, err string }

// TestBackendFaults syncs a cache that already holds a good board through
// every fault the reference backend can make and a set of malformed answers
// served from a loopback front. Each must leave the board as documented
// (unchanged, or with only the bad items dropped), fail with one of sync's
// named errors, and the next sync after the fault clears must succeed. The
// table goes to the test log and faults.txt.
func TestBackendFaults(t *testing.T) {
	run, admin := startBackend(t)
	fr := newFront(t, run.URL)
	c, err := cache.Open(t.TempDir()+"/cache.db", cache.Options{Clock: clock.Real{}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rec := newRecorder()
	s, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: fr.srv.URL, Token: "T", Cache: c, Logger: slogOf(rec), Version: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatalf("first sync: %v", err)
	}
	// The backend's own faults are met directly, without the front (whose
	// proxy would turn a dropped connection into a 502).
	direct, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: run.URL, Token: "T", Cache: c, Logger: slogOf(rec), Version: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	var rows []faultRow
	edits := 0
	changeBoard := func() {
		edits++
		profiles, err := admin.Profiles(ctxFor(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range profiles {
			if p.Kind == backend.KindResident && p.VisibleOnScreen && p.DepartmentID == "d1" {
				if err := admin.UpdateProfile(ctxFor(t), p.ID, map[string]any{"first_name": fmt.Sprintf("Fejl%d", edits)}); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
	}
	syncWith := func(timeout time.Duration) (sync.Result, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return s.SyncOnce(ctx)
	}
	syncDirect := func(timeout time.Duration) (sync.Result, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return direct.SyncOnce(ctx)
	}
	snapshot := func() (uint64, []byte) {
		m, err := c.Meta()
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.Board()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(b)
		return m.Generation, data
	}
	recover := func(name string) {
		t.Helper()
		admin.SetFault(ctxFor(t), backend.Fault{})
		fr.set(nil)
		if _, err := syncWith(20 * time.Second); err != nil {
			t.Errorf("%s: the sync after the fault cleared failed: %v", name, err)
		}
	}

	// Faults of the board answer: the board at the backend has changed, so
	// the fault hits a full answer; the cache must keep the old one.
	boardFaults := []struct {
		name    string
		fault   backend.Fault
		timeout time.Duration
		want    error
	}{
		{"refuse", backend.Fault{Mode: backend.FaultRefuse}, 10 * time.Second, sync.ErrBackendUnreachable},
		{"status:500", backend.Fault{Mode: "status:500"}, 10 * time.Second, sync.ErrBackendFailed},
		{"status:502", backend.Fault{Mode: "status:502"}, 10 * time.Second, sync.ErrBackendFailed},
		{"status:503 Retry-After 7", backend.Fault{Mode: "status:503", RetryAfter: 7}, 10 * time.Second, sync.ErrBackendFailed},
		{"slow 5s (sync gives up after 1s)", backend.Fault{Mode: backend.FaultSlow, Delay: 5 * time.Second}, time.Second, sync.ErrBackendUnreachable},
		{"stall (sync gives up after 1s)", backend.Fault{Mode: backend.FaultStall}, time.Second, sync.ErrBackendUnreachable},
		{"truncate", backend.Fault{Mode: backend.FaultTruncate}, 10 * time.Second, sync.ErrBackendUnreachable},
		{"invalid_json", backend.Fault{Mode: backend.FaultInvalidJSON}, 10 * time.Second, sync.ErrBadBoard},
		{"wrong_content_type", backend.Fault{Mode: backend.FaultWrongContentType}, 10 * time.Second, sync.ErrBadBoard},
		{"huge (32 MiB body, limit 8 MiB)", backend.Fault{Mode: backend.FaultHuge, Size: 32 << 20}, 20 * time.Second, sync.ErrTooLarge},
	}
	for _, tt := range boardFaults {
		changeBoard()
		gen, before := snapshot()
		tt.fault.Path = "/api/screen/v1/board"
		if err := admin.SetFault(ctxFor(t), tt.fault); err != nil {
			t.Fatalf("%s: set fault: %v", tt.name, err)
		}
		_, err := syncDirect(tt.timeout)
		genAfter, after := snapshot()
		outcome := "board kept (generation unchanged)"
		if genAfter != gen || !bytes.Equal(before, after) {
			outcome = "BOARD CHANGED"
			t.Errorf("%s: the board changed: generation %d -> %d", tt.name, gen, genAfter)
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want one wrapping %q", tt.name, err, tt.want)
		}
		recover(tt.name)
		if g, _ := snapshot(); g != gen+1 {
			t.Errorf("%s: after the fault cleared the new board was not stored (generation %d, want %d)", tt.name, g, gen+1)
		}
		rows = append(rows, faultRow{tt.name, outcome + "; next sync ok", errText(err)})
	}

	// A slow answer within the timeout is no fault at all.
	changeBoard()
	gen, _ := snapshot()
	admin.SetFault(ctxFor(t), backend.Fault{Mode: backend.FaultSlow, Delay: 300 * time.Millisecond, Path: "/api/screen/v1/board"})
	_, err = syncDirect(10 * time.Second)
	if g, _ := snapshot(); err != nil || g != gen+1 {
		t.Errorf("slow 300ms: %v, generation %d -> %d", err, gen, g)
	}
	rows = append(rows, faultRow{"slow 300ms (within the timeout)", "new board stored", errText(err)})
	recover("slow 300ms")

	// corrupt_media: a new picture arrives with a flipped byte. The board
	// is stored (documented: media failures are not sync errors), the
	// picture is skipped and fetched once the fault clears.
	rows = append(rows, newPictureCase(t, direct, admin, rec, "corrupt_media", 1,
		func() { admin.SetFault(ctxFor(t), backend.Fault{Mode: backend.FaultCorruptMedia}) },
		func() { admin.SetFault(ctxFor(t), backend.Fault{}) }))

	// Malformed boards from the front: the bad items are dropped or
	// repaired, the rest of the board is kept.
	boardCases := []struct {
		name, outcome string
		edit          func(doc map[string]any)
		check         func(b *board.Board) string // "" when the outcome is right
	}{
		{"duplicate activity ids", "board stored, the second copy dropped", func(doc map[string]any) {
			acts := doc["activities"].([]any)
			dup := cloneMap(acts[0].(map[string]any))
			dup["title"] = "The second copy"
			doc["activities"] = append(acts, dup)
		}, func(b *board.Board) string {
			n := 0
			for _, a := range b.Activities {
				if a.ID == firstID(b) {
					n++
					if a.Title == "The second copy" {
						return "the second copy was kept"
					}
				}
			}
			if n != 1 {
				return fmt.Sprintf("activity kept %d times", n)
			}
			return ""
		}},
		{"sign-up naming an unknown profile", "board stored, the sign-up only counted", func(doc map[string]any) {
			a := doc["activities"].([]any)[0].(map[string]any)
			a["signups"] = append(a["signups"].([]any), "p-ghost")
		}, func(b *board.Board) string {
			for _, a := range b.Activities {
				if a.Signups.Has("p-ghost") {
					return "unknown profile named on the board"
				}
				if a.ID == firstID(b) && a.Signups.Hidden == 0 {
					return "the unknown sign-up was not counted"
				}
			}
			return ""
		}},
		{"time without an offset", "board stored without that item", func(doc map[string]any) {
			a := doc["activities"].([]any)[1].(map[string]any)
			a["start"] = "2026-11-23T10:00:00"
			a["id"] = "a-no-offset"
		}, func(b *board.Board) string {
			for _, a := range b.Activities {
				if a.ID == "a-no-offset" {
					return "item with a local time kept"
				}
			}
			if len(b.Activities) < 2 {
				return "the rest of the board was dropped"
			}
			return ""
		}},
		{"invalid UTF-8 in a title", "board stored, title repaired", func(doc map[string]any) {
			doc["activities"].([]any)[0].(map[string]any)["title"] = "Banko INVALID-UTF8 i dag"
		}, func(b *board.Board) string {
			for _, a := range b.Activities {
				if !utf8.ValidString(a.Title) {
					return "invalid UTF-8 stored"
				}
			}
			return ""
		}},
		{"1 MB title", "board stored, title cut to 200 runes", func(doc map[string]any) {
			doc["activities"].([]any)[0].(map[string]any)["title"] = strings.Repeat("Banko ", 1<<20/6)
		}, func(b *board.Board) string {
			for _, a := range b.Activities {
				if len(a.Title) > 1000 {
					return fmt.Sprintf("a %d-byte title stored", len(a.Title))
				}
			}
			return ""
		}},
	}
	for i, tt := range boardCases {
		gen, _ := snapshot()
		fr.serveBoard(fmt.Sprintf(`"bad-%d"`, i), tt.edit)
		res, err := syncWith(20 * time.Second)
		b, berr := c.Board()
		outcome := tt.outcome
		switch g, _ := snapshot(); {
		case err != nil || berr != nil:
			outcome = "sync failed"
			t.Errorf("%s: %v / %v", tt.name, err, berr)
		case g != gen+1:
			outcome = "board not stored"
			t.Errorf("%s: generation %d -> %d, want the rest of the board stored", tt.name, gen, g)
		default:
			if msg := tt.check(b); msg != "" {
				outcome = msg
				t.Errorf("%s: %s", tt.name, msg)
			} else {
				outcome += fmt.Sprintf(" (%d dropped, rest kept)", res.Dropped)
			}
		}
		recover(tt.name)
		rows = append(rows, faultRow{tt.name, outcome + "; next sync ok", errText(err)})
	}

	// Bad pictures from the front: refused with ErrBadMedia before they
	// reach the cache.
	var badHash string
	var badBytes []byte
	serveMedia := func() {
		fr.set(func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/api/screen/v1/media/"+badHash {
				return false
			}
			w.Header().Set("Content-Type", "image/png")
			w.Write(badBytes)
			return true
		})
	}
	rows = append(rows, newPictureCase(t, s, admin, rec, "media whose hash does not match", 2, func() {
		badBytes = picture(t, 9999, 32, 32) // any picture not held gets these bytes
		fr.set(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasPrefix(r.URL.Path, "/api/screen/v1/media/") {
				return false
			}
			if ok, _ := c.HasMedia(strings.TrimPrefix(r.URL.Path, "/api/screen/v1/media/")); ok {
				return false
			}
			w.Header().Set("Content-Type", "image/png")
			w.Write(badBytes)
			return true
		})
	}, func() { fr.set(nil) }))
	rows = append(rows, bombCase(t, s, admin, c, rec, &badHash, &badBytes, serveMedia, fr))

	rows = append(rows, streamStallCase(t, c, fr.srv.URL, admin))
	rows = append(rows, sseFloodCase(t, c, fr))

	text := "backend faults (cache held a good board before each):\n" + renderRows(rows)
	t.Log("\n" + text)
	writeOut(t, "faults.txt", text)
}

// newPictureCase gives an activity a new picture, syncs with the fault
// armed by arm, and checks the picture is skipped with ErrBadMedia and
// fetched after disarm.
func newPictureCase(t *testing.T, s *sync.Syncer, admin backend.Admin, rec recorder, name string, n int, arm, disarm func()) faultRow {
	t.Helper()
	img, err := admin.PutMedia(ctxFor(t), "image/png", picture(t, 5000+n, 64, 48))
	if err != nil {
		t.Fatal(err)
	}
	setActivityImage(t, admin, img)
	arm()
	before := len(rec.errs("media skipped"))
	res, err := s.SyncOnce(context.Background())
	outcome := fmt.Sprintf("board stored, picture skipped (%d failed)", res.MediaFailed)
	errs := rec.errs("media skipped")
	var logged error
	if len(errs) > before {
		logged = errs[len(errs)-1]
	}
	if err != nil || res.MediaFailed != 1 || !errors.Is(logged, sync.ErrBadMedia) {
		t.Errorf("%s: sync %v, %d media failed, logged %v: want the board stored and the picture refused with ErrBadMedia", name, err, res.MediaFailed, logged)
		outcome = "UNEXPECTED: " + outcome
	}
	disarm()
	res, err = s.SyncOnce(context.Background())
	if err != nil || res.MediaFetched != 1 {
		t.Errorf("%s: after clearing: %v, %d fetched, want 1", name, err, res.MediaFetched)
	}
	return faultRow{name, outcome + "; fetched once cleared", errText(logged)}
}

// bombCase serves a 50000x50000 PNG of a few dozen bytes under its true hash.
func bombCase(t *testing.T, s *sync.Syncer, admin backend.Admin, c *cache.Cache, rec recorder, hash *string, data *[]byte, serve func(), fr *front) faultRow {
	t.Helper()
	*data = pngHeader(50000, 50000)
	sum := sha256.Sum256(*data)
	*hash = hex.EncodeToString(sum[:])
	setActivityImage(t, admin, backend.Image{SHA256: *hash, ContentType: "image/png", Width: 50000, Height: 50000})
	serve()
	defer fr.set(nil)
	before := len(rec.errs("media skipped"))
	res, err := s.SyncOnce(context.Background())
	errs := rec.errs("media skipped")
	var logged error
	if len(errs) > before {
		logged = errs[len(errs)-1]
	}
	outcome := fmt.Sprintf("board stored, picture refused before decoding (%d failed)", res.MediaFailed)
	if err != nil || res.MediaFailed != 1 || !errors.Is(logged, sync.ErrBadMedia) {
		t.Errorf("bomb: sync %v, %d failed, logged %v", err, res.MediaFailed, logged)
		outcome = "UNEXPECTED: " + outcome
	}
	if ok, _ := c.HasMedia(*hash); ok {
		t.Error("bomb: the picture reached the cache")
	}
	fr.set(nil)
	// Put a real picture back so the board is whole again.
	img, err := admin.PutMedia(ctxFor(t), "image/png", picture(t, 7777, 40, 40))
	if err != nil {
		t.Fatal(err)
	}
	setActivityImage(t, admin, img)
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Errorf("bomb: next sync: %v", err)
	}
	return faultRow{"50000x50000 PNG in 60 bytes", outcome + "; next sync ok", errText(logged)}
}

// streamStallCase opens the event stream while the backend stalls it and
// checks the loop drops it after the keep-alive silence (on a fake clock)
// and reconnects once the fault clears.
func streamStallCase(t *testing.T, c *cache.Cache, baseURL string, admin backend.Admin) faultRow {
	t.Helper()
	fake := clock.NewFake(time.Now())
	rec := newRecorder()
	s, err := sync.New(sync.Options{BaseURL: baseURL, Token: "T", Cache: c, Clock: fake, Logger: slogOf(rec), Version: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	admin.SetFault(ctxFor(t), backend.Fault{Mode: backend.FaultStallEvents})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	wait.Until(t, "stream connected and first sync done", func() bool {
		return rec.has("event stream connected") && rec.has("synced") && fake.Waiters() > 0
	})
	fake.Advance(96 * time.Second) // past the 75 s silence plus the header timeout
	wait.Until(t, "stalled stream dropped", func() bool { return len(rec.errs("event stream closed")) > 0 })
	closed := rec.errs("event stream closed")[0]
	outcome := "stream dropped after 75 s of silence"
	if !errors.Is(closed, sync.ErrBackendUnreachable) {
		t.Errorf("stall_events: stream closed with %v, want ErrBackendUnreachable", closed)
		outcome = "UNEXPECTED: " + outcome
	}
	admin.SetFault(ctxFor(t), backend.Fault{})
	reconnected := false
	for i := 0; i < 50 && !reconnected; i++ {
		fake.Advance(2 * time.Second)
		reconnected = wait.For(func() bool { return countRecords(rec, "event stream connected") >= 2 }, 100*time.Millisecond)
	}
	if !reconnected {
		t.Error("stall_events: no reconnect after the fault cleared")
	} else {
		outcome += "; reconnected once cleared"
	}
	return faultRow{"stall_events", outcome, errText(closed)}
}

// sseFloodCase floods the event stream with sync events and then one line
// that never ends: the loop must coalesce the events into a few fetches and
// drop the stream at the line limit.
func sseFloodCase(t *testing.T, c *cache.Cache, fr *front) faultRow {
	t.Helper()
	const events = 200_000
	var served atomic.Bool
	fr.set(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/events") || served.Swap(true) {
			return false
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte("event: sync\ndata: {}\n\n"), 1000)
		for i := 0; i < events/1000; i++ {
			if _, err := w.Write(chunk); err != nil {
				return true
			}
		}
		line := bytes.Repeat([]byte("x"), 64<<10)
		w.Write([]byte("data: "))
		for i := 0; i < 64; i++ { // 4 MiB without a line end
			if _, err := w.Write(line); err != nil {
				return true
			}
		}
		return true
	})
	defer fr.set(nil)
	rec := newRecorder()
	s, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: fr.srv.URL, Token: "T", Cache: c, Logger: slogOf(rec), Version: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	boardsBefore := fr.boards.Load()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	wait.Until(t, "flooded stream dropped", func() bool { return len(rec.errs("event stream closed")) > 0 })
	wait.Until(t, "stream back on the real backend", func() bool { return countRecords(rec, "event stream connected") >= 2 })
	cancel()
	<-done
	closed := rec.errs("event stream closed")[0]
	fetches := fr.boards.Load() - boardsBefore
	outcome := fmt.Sprintf("%d events cost %d board fetches; stream dropped at the line limit, reconnected", events, fetches)
	if fetches > 20 {
		t.Errorf("SSE flood: %d board fetches for %d events", fetches, events)
		outcome = "UNEXPECTED: " + outcome
	}
	if !strings.Contains(closed.Error(), "too long") {
		t.Errorf("SSE flood: stream closed with %v, want the line limit", closed)
	}
	return faultRow{"SSE flood (200k events + 4 MiB line)", outcome, errText(closed)}
}

func setActivityImage(t *testing.T, admin backend.Admin, img backend.Image) {
	t.Helper()
	acts, err := admin.Activities(ctxFor(t))
	if err != nil || len(acts) == 0 {
		t.Fatalf("activities: %v", err)
	}
	// The one that starts last is in the window for a good while.
	a := acts[0]
	for _, x := range acts {
		if x.DepartmentID == "d1" && x.Start.After(a.Start) && x.Start.Before(time.Now().Add(10*24*time.Hour)) {
			a = x
		}
	}
	a.Image = &img
	if err := admin.PutActivity(ctxFor(t), a); err != nil {
		t.Fatal(err)
	}
}

// pngHeader is a PNG whose header claims w x h pixels, with a token IDAT.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		start := b.Len()
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(b.Bytes()[start:]))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func firstID(b *board.Board) string {
	if len(b.Activities) == 0 {
		return ""
	}
	return b.Activities[0].ID
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return "-"
	}
	s := err.Error()
	if len(s) > 140 {
		s = s[:140] + "..."
	}
	return s
}

func renderRows(rows []faultRow) string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.fault, r.outcome, r.err}
	}
	return table([]string{"fault", "outcome", "error"}, out)
}

func countRecords(r recorder, msg string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, rec := range *r.records {
		if rec.Message == msg {
			n++
		}
	}
	return n
}
