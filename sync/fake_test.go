package sync

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/internal/clock"
)

// fakeBackend is a Screen API server for the responses the reference
// backend does not give: odd statuses, oversize bodies, bad media, canaries.
type fakeBackend struct {
	*httptest.Server
	clk clock.Clock

	mu       sync.Mutex
	board    string // the board document
	etag     string
	boardCT  string // Content-Type of the board, "application/json" when ""
	status   int    // forced status for /board, 0 for normal
	media    map[string]fakeMedia
	signup   func(body []byte) (int, string) // status and body for POST /signups
	requests []fakeRequest
	events   chan string // written to the open /events stream as they come
	noEvents bool        // answer /events with 404
	streams  int         // /events connections so far
	// mediaHook runs at each /media request before it is answered, outside
	// the lock, so requests can wait for each other.
	mediaHook func()
}

type fakeMedia struct {
	contentType string
	data        []byte
}

type fakeRequest struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
	At                  time.Time // on the test clock
}

func newFakeBackend(t testing.TB, clk clock.Clock) *fakeBackend {
	f := &fakeBackend{clk: clk, media: map[string]fakeMedia{}, events: make(chan string, 16)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeBackend) setBoard(doc, etag string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.board, f.etag = doc, etag
}

func (f *fakeBackend) addMedia(contentType string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := hashOf(data)
	f.media[h] = fakeMedia{contentType, data}
	return h
}

func (f *fakeBackend) reqs(path string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.requests {
		if strings.HasSuffix(r.Path, path) {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeBackend) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body, f.clk.Now()})
	noEvents, mediaHook := f.noEvents, f.mediaHook
	f.mu.Unlock()
	setDate(w, f.clk)
	if r.Header.Get("Authorization") != "Bearer T" {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, apiPrefix)
	if path == "/events" && noEvents {
		http.NotFound(w, r)
		return
	}
	if path == "/events" {
		f.stream(w, r)
		return
	}
	if strings.HasPrefix(path, "/media/") && mediaHook != nil {
		mediaHook()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case path == "/board":
		if f.status != 0 {
			w.WriteHeader(f.status)
			return
		}
		if f.etag != "" && r.Header.Get("If-None-Match") == f.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		ct := f.boardCT
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		if f.etag != "" {
			w.Header().Set("ETag", f.etag)
		}
		io.WriteString(w, f.board)
	case strings.HasPrefix(path, "/media/"):
		m, ok := f.media[strings.TrimPrefix(path, "/media/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", m.contentType)
		w.Write(m.data)
	case path == "/signups":
		status, answer := http.StatusOK, `{}`
		if f.signup != nil {
			status, answer = f.signup(body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
	case path == "/status", path == "/screenshot":
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// decodeJSON decodes a recorded request body.
func decodeJSON(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return m
}

// stream serves /events: whatever the test puts on f.events, until the
// client goes away.
func (f *fakeBackend) stream(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.streams++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case s := <-f.events:
			io.WriteString(w, s)
			w.(http.Flusher).Flush()
		}
	}
}

func (f *fakeBackend) streamCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams
}
