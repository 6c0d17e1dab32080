package backend

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

// TestAdminRefusesOthersWithoutToken checks the loopback rule with made-up
// remote addresses.
func TestAdminRefusesOthersWithoutToken(t *testing.T) {
	for _, adminToken := range []string{"", "s3cret"} {
		s, err := New(Options{DataDir: t.TempDir(), AdminToken: adminToken, Clock: clock.Real{}})
		if err != nil {
			t.Fatal(err)
		}
		h := s.Handler()
		tests := []struct {
			remote, auth, path string
			want               int
		}{
			{"127.0.0.1:40000", "", "/admin/v1/profiles", http.StatusOK},
			{"[::1]:40000", "", "/admin/v1/screens", http.StatusOK},
			{"203.0.113.7:40000", "", "/admin/v1/profiles", http.StatusForbidden},
			{"192.168.1.20:40000", "", "/preview", http.StatusForbidden},
			{"192.168.1.20:40000", "", "/pair", http.StatusForbidden},
			{"10.0.0.5:40000", "Bearer wrong", "/admin/v1/profiles", http.StatusForbidden},
			{"10.0.0.5:40000", "Bearer s3cret", "/admin/v1/profiles", map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[adminToken != ""]},
			{"10.0.0.5:40000", "", "/preview?token=s3cret", map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[adminToken != ""]},
			{"10.0.0.5:40000", "", "/healthz", http.StatusOK},
		}
		for _, tt := range tests {
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			req.RemoteAddr = tt.remote
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("admin token %q, %s %s %q: %d, want %d", adminToken, tt.remote, tt.path, tt.auth, rec.Code, tt.want)
			}
			if rec.Code == http.StatusForbidden {
				wantJSONError(t, response{rec.Code, rec.Header(), rec.Body.Bytes()}, http.StatusForbidden, "forbidden")
			}
		}
		s.Close()
	}
}

func TestAdminProfileChangesReachTheBoard(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	_, etag := tb.board(t)

	tb.clock.Advance(time.Minute)
	err := tb.admin.UpdateProfile(ctx, "p1", map[string]any{"first_name": "Kirsten", "visible_on_screen": false, "anonymized": true, "alias": "K"})
	if err != nil {
		t.Fatal(err)
	}
	b, etag2 := tb.board(t)
	if etag2 == etag {
		t.Fatal("ETag unchanged after a profile edit")
	}
	p, ok := profileByID(b, "p1")
	if !ok || p.FirstName != "Kirsten" || p.VisibleOnScreen || !p.Anonymized || p.Alias != "K" || p.LastName != "Ærtebølle" {
		t.Fatalf("p1 after patch: %+v", p)
	}

	// Deleting a profile removes it and every trace of it.
	var shiftsOf int
	for _, r := range b.Roster {
		if r.ProfileID == "s1" {
			shiftsOf++
		}
	}
	if shiftsOf == 0 {
		t.Fatal("s1 has no shifts to delete")
	}
	putTestActivity(t, tb, Activity{ID: "a-del", SignupOpen: true, Signups: []string{"p2", "s1"}})
	if err := tb.admin.DeleteProfile(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	b, _ = tb.board(t)
	if _, ok := profileByID(b, "s1"); ok {
		t.Error("deleted profile still on the board")
	}
	for _, r := range b.Roster {
		if r.ProfileID == "s1" {
			t.Errorf("shift %s of the deleted profile is still there", r.ID)
		}
	}
	if a := activityOnBoard(t, tb, "a-del"); !slices.Equal(a.Signups, []string{"p2"}) {
		t.Errorf("sign-ups %v after deleting s1, want [p2]", a.Signups)
	}
	var apiErr *APIError
	if err := tb.admin.DeleteProfile(ctx, "s1"); !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
		t.Errorf("deleting twice: %v, want 404", err)
	}
}

func TestRestartKeepsEverything(t *testing.T) {
	// Without weather: it follows the hour, and this is about what is stored.
	tb := startBackend(t, func(o *Options) { o.PlainV1 = true })
	putTestActivity(t, tb, Activity{ID: "a-keep", SignupOpen: true})
	tb.postJSON(t, "/api/screen/v1/signups", SignupRequest{ID: "keep-1", ItemType: ItemActivity, ItemID: "a-keep", ProfileID: "p3", Action: ActionJoin})
	before, etag := tb.board(t)
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}

	// A day later the demo would be stale, but the admin edit keeps it.
	fake := tb.clock
	fake.Advance(24 * time.Hour)
	r, err := Start(context.Background(), "127.0.0.1:0", Options{DataDir: tb.dir, Tokens: []string{testToken}, Demo: true, Clock: fake, PlainV1: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	again := &testBackend{Running: r, clock: fake, admin: Admin{BaseURL: r.URL}}
	resp := again.get(t, "/api/screen/v1/board?from=2026-11-22&to=2026-12-07")
	if resp.header.Get("ETag") != etag {
		var after Board
		json.Unmarshal(resp.body, &after)
		t.Fatalf("board after restart differs (generated_at %v vs %v)", after.GeneratedAt, before.GeneratedAt)
	}
	recs, err := again.admin.Signups(context.Background())
	if err != nil || len(recs) != 1 || recs[0].ID != "keep-1" {
		t.Fatalf("sign-ups after restart: %+v, %v", recs, err)
	}
	// The same sign-up once more is still a repeat.
	resp = again.postJSON(t, "/api/screen/v1/signups", SignupRequest{ID: "keep-1", ItemType: ItemActivity, ItemID: "a-keep", ProfileID: "p3", Action: ActionJoin})
	if resp.status != http.StatusOK {
		t.Fatalf("repeat after restart: %d", resp.status)
	}
	if a := activityOnBoard(t, again, "a-keep"); !slices.Equal(a.Signups, []string{"p3"}) {
		t.Errorf("sign-ups %v, want [p3]", a.Signups)
	}
}

func TestStaleDemoIsReseeded(t *testing.T) {
	tb := startBackend(t)
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	tb.clock.Advance(48 * time.Hour)
	s, err := New(Options{DataDir: tb.dir, Demo: true, Clock: tb.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want, _ := DemoBoard(tb.clock.Now(), "d1")
	s.mu.RLock()
	b, err := s.st.renderBoard("d1", defaultWindow(tb.clock.Now(), copenhagen))
	s.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := encodeBoard(b)
	if string(got.body) != string(withoutWeather(t, want)) {
		t.Error("a stale demo was not replaced by today's")
	}
}

func TestEmptyStoreWithoutDemo(t *testing.T) {
	tb := startBackend(t, func(o *Options) { o.Demo = false })
	r := tb.get(t, "/api/screen/v1/board")
	if r.status != http.StatusOK {
		t.Fatalf("board: %d %s", r.status, r.body)
	}
	for _, empty := range []string{`"profiles":[]`, `"activities":[]`, `"gallery":[]`} {
		if !strings.Contains(string(r.body), empty) {
			t.Errorf("empty board lacks %s: %s", empty, r.body)
		}
	}
}

func TestFaults(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	set := func(f Fault) {
		t.Helper()
		if err := tb.admin.SetFault(ctx, f); err != nil {
			t.Fatal(err)
		}
	}

	set(Fault{Mode: "status:503", Count: 2, RetryAfter: 7})
	for i := 0; i < 2; i++ {
		r := tb.get(t, "/api/screen/v1/board")
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") != "7" {
			t.Fatalf("503 fault %d: %d, Retry-After %q", i, r.status, r.header.Get("Retry-After"))
		}
	}
	if r := tb.get(t, "/api/screen/v1/board"); r.status != http.StatusOK {
		t.Fatalf("after the count ran out: %d", r.status)
	}

	// Admin requests are never faulted, so the fault can always be cleared.
	set(Fault{Mode: FaultRefuse})
	req, _ := http.NewRequest(http.MethodGet, tb.URL+"/api/screen/v1/board", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("refuse: got an answer")
	}
	if _, err := tb.admin.Profiles(ctx); err != nil {
		t.Fatalf("admin during a fault: %v", err)
	}

	set(Fault{Mode: FaultTruncate, Path: "/api/screen/v1/board"})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncate: read error %v, want unexpected EOF", err)
	}

	set(Fault{Mode: FaultInvalidJSON})
	if r := tb.get(t, "/api/screen/v1/board"); r.status != http.StatusOK || json.Valid(r.body) {
		t.Fatalf("invalid_json: %d valid=%v", r.status, json.Valid(r.body))
	}
	set(Fault{Mode: FaultWrongContentType})
	if r := tb.get(t, "/api/screen/v1/board"); !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("wrong_content_type: %q", r.header.Get("Content-Type"))
	}
	set(Fault{Mode: FaultHuge, Size: 3 << 20})
	if r := tb.get(t, "/api/screen/v1/board"); len(r.body) != 3<<20 {
		t.Fatalf("huge: %d bytes", len(r.body))
	}

	b, _ := DemoBoardValue(testDay, "d1")
	sha := b.Profiles[0].Avatar.SHA256
	set(Fault{Mode: FaultCorruptMedia})
	good, _, _ := DemoMedia(sha)
	if r := tb.get(t, "/api/screen/v1/media/"+sha); r.status != http.StatusOK || len(r.body) != len(good) || string(r.body) == string(good) {
		t.Fatalf("corrupt_media: %d, %d bytes", r.status, len(r.body))
	}

	// slow waits on the backend's clock.
	set(Fault{Mode: FaultSlow, Delay: time.Minute, Count: 1})
	slow := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req.Clone(ctx))
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	wait.Until(t, "the stream parked on the test clock", func() bool { return tb.clock.Waiters() > 0 })
	select {
	case <-slow:
		t.Fatal("slow answered before its delay")
	default:
	}
	tb.clock.Advance(time.Minute)
	if code := <-slow; code != http.StatusOK {
		t.Fatalf("slow: %d", code)
	}

	// The fault ends at Until.
	set(Fault{Mode: "status:500", Until: tb.clock.Now().Add(time.Minute)})
	if r := tb.get(t, "/api/screen/v1/board"); r.status != http.StatusInternalServerError {
		t.Fatalf("status:500: %d", r.status)
	}
	tb.clock.Advance(time.Minute)
	if r := tb.get(t, "/api/screen/v1/board"); r.status != http.StatusOK {
		t.Fatalf("after Until: %d", r.status)
	}

	// A stalled event stream sends nothing, not even the greeting.
	set(Fault{Mode: FaultStallEvents})
	sctx, cancel := context.WithCancel(ctx)
	req, _ = http.NewRequestWithContext(sctx, http.MethodGet, tb.URL+"/api/screen/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan int, 1)
	go func() {
		n, _ := resp.Body.Read(make([]byte, 64))
		got <- n
	}()
	// The board still works while the stream stalls.
	if r := tb.get(t, "/api/screen/v1/board"); r.status != http.StatusOK {
		t.Fatalf("board during stall_events: %d", r.status)
	}
	cancel()
	if n := <-got; n != 0 {
		t.Errorf("stalled stream sent %d bytes", n)
	}
	resp.Body.Close()
	set(Fault{})
}

func TestDemoAfterAnEmptyStart(t *testing.T) {
	dir := t.TempDir()
	fake := clockAt(testDay)
	s, err := New(Options{DataDir: dir, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = New(Options{DataDir: dir, Clock: fake, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := len(s.st.profiles.rows); n < 50 {
		t.Errorf("--demo after an empty start: %d profiles", n)
	}
}
