package sync

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
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

	mu         sync.Mutex
	board      string // the board document
	etag       string
	boardCT    string // Content-Type of the board, "application/json" when ""
	status     int    // forced status for /board, 0 for normal
	media      map[string]fakeMedia
	signup     func(body []byte) (int, string) // status and body for POST /signups
	features   []string                        // GET /capabilities answers these; nil: 404 (plain v1)
	capsStatus int                             // forced status for /capabilities, 0 for normal
	desk       *fakeDesk                       // the booking desk (v1.2); nil: no /bookings
	booking    func(body []byte) (int, string) // overrides the desk's answer to POST /bookings
	requests   []fakeRequest
	events     chan string // written to the open /events stream as they come
	noEvents   bool        // answer /events with 404
	streams    int         // /events connections so far
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

// stop takes the backend off the network: its port refuses connections
// until restart. What it holds (the board, the desk, the requests) stays.
func (f *fakeBackend) stop() { f.Server.Close() }

// restart serves again on the address the backend had.
func (f *fakeBackend) restart(t testing.TB) {
	t.Helper()
	addr := f.Listener.Addr().String()
	var l net.Listener
	var err error
	for i := 0; i < 100; i++ { // a port just closed may take a moment to be free
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("restart the fake backend on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	f.mu.Lock()
	f.Server = srv
	f.mu.Unlock()
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
		doc, etag := f.board, f.etag
		if f.desk != nil {
			doc, etag = f.desk.onBoard(doc), fmt.Sprintf(`"%s-desk%d"`, strings.Trim(etag, `"`), f.desk.version)
		}
		if etag != "" && r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		ct := f.boardCT
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		io.WriteString(w, doc)
	case path == "/capabilities" && f.capsStatus != 0:
		w.WriteHeader(f.capsStatus)
	case path == "/capabilities" && f.features != nil:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"api": "1.2", "features": f.features})
	case path == "/bookings" && r.Method == http.MethodPost && (f.desk != nil || f.booking != nil):
		status, answer := 0, ""
		if f.booking != nil {
			status, answer = f.booking(body)
		} else {
			status, answer = f.desk.post(body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
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

// fakeDesk is the fake backend's booking desk, as Screen API v1.2 has it:
// the bookables it puts on the board, the bookings it holds (on the board
// too, each with its resource_id), and POST /bookings, which books when no
// booking of the resource overlaps (else 409 taken), cancels the caller's
// own bookings, and answers a request id it has seen with what it answered
// the first time. The caller holds the backend's lock.
type fakeDesk struct {
	bookables string // the board's bookables member, a JSON array
	resources map[string]bool
	bookings  []fakeBooking
	answers   map[string]string // by the screen's request id: the 200 answer given
	received  map[string]int    // POST /bookings by the screen's request id
	bodies    []map[string]any  // every request body, decoded
	seq       int
	version   int // bumped by every change, in the board's ETag
}

type fakeBooking struct {
	ID, ResourceID, ProfileID string
	Start, End                time.Time
}

// newFakeDesk makes a desk with the bookables (a JSON array) and existing
// bookings.
func newFakeDesk(bookables string, existing ...fakeBooking) *fakeDesk {
	var list []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(bookables), &list); err != nil {
		panic(fmt.Sprintf("fake desk bookables: %v", err))
	}
	d := &fakeDesk{bookables: bookables, resources: map[string]bool{}, answers: map[string]string{}, received: map[string]int{}}
	for _, r := range list {
		d.resources[r.ID] = true
	}
	d.bookings = append(d.bookings, existing...)
	return d
}

func (d *fakeBooking) wire() map[string]any {
	return map[string]any{"id": d.ID, "resource": "Vaskeriet", "resource_id": d.ResourceID,
		"start": d.Start.Format(time.RFC3339), "end": d.End.Format(time.RFC3339), "profile_id": d.ProfileID}
}

// onBoard is doc with the desk's bookables and bookings in it.
func (d *fakeDesk) onBoard(doc string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return doc
	}
	bookings := []map[string]any{}
	for _, x := range d.bookings {
		bookings = append(bookings, x.wire())
	}
	m["bookables"] = json.RawMessage(d.bookables)
	m["bookings"], _ = json.Marshal(bookings)
	out, _ := json.Marshal(m)
	return string(out)
}

// post answers POST /bookings. The body must hold the contract's fields
// and no others, or it is a 400.
func (d *fakeDesk) post(body []byte) (int, string) {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	d.bodies = append(d.bodies, m)
	var req struct {
		ID         string `json:"id"`
		Action     string `json:"action"`
		ResourceID string `json:"resource_id"`
		BookingID  string `json:"booking_id"`
		ProfileID  string `json:"profile_id"`
		Start      string `json:"start"`
		End        string `json:"end"`
		At         string `json:"at"`
		Session    string `json:"session"`
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.ID == "" || req.ProfileID == "" {
		return http.StatusBadRequest, `{"error": "invalid"}`
	}
	if _, err := time.Parse(time.RFC3339, req.At); err != nil {
		return http.StatusBadRequest, `{"error": "invalid"}`
	}
	d.received[req.ID]++
	if a, ok := d.answers[req.ID]; ok {
		return http.StatusOK, a
	}
	refuse := func(reason string) (int, string) { return http.StatusConflict, `{"error": "` + reason + `"}` }
	switch req.Action {
	case "book":
		start, err1 := time.Parse(time.RFC3339, req.Start)
		end, err2 := time.Parse(time.RFC3339, req.End)
		if err1 != nil || err2 != nil || !end.After(start) || req.BookingID != "" {
			return http.StatusBadRequest, `{"error": "invalid"}`
		}
		if !d.resources[req.ResourceID] {
			return refuse("unknown_resource")
		}
		for _, x := range d.bookings {
			if x.ResourceID == req.ResourceID && x.Start.Before(end) && start.Before(x.End) {
				return refuse("taken")
			}
		}
		d.seq++
		x := fakeBooking{ID: fmt.Sprintf("b%d", 100+d.seq), ResourceID: req.ResourceID, ProfileID: req.ProfileID, Start: start, End: end}
		d.bookings = append(d.bookings, x)
		d.version++
		a, _ := json.Marshal(map[string]any{"booking": x.wire()})
		d.answers[req.ID] = string(a)
		return http.StatusOK, string(a)
	case "cancel":
		if req.ResourceID != "" || req.Start != "" || req.End != "" {
			return http.StatusBadRequest, `{"error": "invalid"}`
		}
		for i, x := range d.bookings {
			if x.ID != req.BookingID {
				continue
			}
			if x.ProfileID != req.ProfileID {
				return refuse("not_yours")
			}
			d.bookings = append(d.bookings[:i:i], d.bookings[i+1:]...)
			d.version++
			a, _ := json.Marshal(map[string]any{"booking": x.wire()})
			d.answers[req.ID] = string(a)
			return http.StatusOK, string(a)
		}
		return refuse("unknown_booking")
	}
	return http.StatusBadRequest, `{"error": "invalid"}`
}

// deskState is a copy of what the desk holds, read under the lock.
func (f *fakeBackend) deskState() (bookings []fakeBooking, received map[string]int, bodies []map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	received = map[string]int{}
	for k, v := range f.desk.received {
		received[k] = v
	}
	return append([]fakeBooking(nil), f.desk.bookings...), received, append([]map[string]any(nil), f.desk.bodies...)
}
