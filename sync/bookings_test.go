package sync

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

// allFeatures is what a v1.2 backend that offers booking on the screen
// names in its capabilities.
var allFeatures = []string{"sessions", "weather", "audio", "bookables"}

var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return loc
}()

// tomorrow is 24 November 2026 at h:m in Copenhagen (CET, +01:00).
func tomorrow(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, copenhagen) }

// deskBackend is the fake backend as a v1.2 backend with a booking desk:
// the laundry and the minibus, and b1, Karen's laundry slot tomorrow
// 13:00-15:00.
func deskBackend(t *testing.T, clk clock.Clock) *fakeBackend {
	t.Helper()
	f := newFakeBackend(t, clk)
	f.setBoard(doc(prof("p1", "Karen")+`,`+prof("p2", "Ole"), `"activities": [`+act("a1", "p1")+`]`), `"v1"`)
	f.features = allFeatures
	f.desk = newFakeDesk("["+laundry+","+minibus+"]",
		fakeBooking{ID: "b1", ResourceID: "r1", ProfileID: "p1", Start: tomorrow(13, 0), End: tomorrow(15, 0)})
	return f
}

// book is Karen's booking of resource from start to end, made on the screen.
func book(id, resource string, start, end time.Time) board.Signup {
	return board.Signup{ID: id, ItemType: board.BookingItem, ItemID: resource, ProfileID: "p1", Action: board.Book, Start: start, End: end}
}

func cancelBooking(id, booking, profile string) board.Signup {
	return board.Signup{ID: id, ItemType: board.BookingItem, ItemID: booking, ProfileID: profile, Action: board.Cancel}
}

func enqueue(t *testing.T, c *cache.Cache, entries ...board.Signup) {
	t.Helper()
	for _, e := range entries {
		if err := c.Enqueue(e); err != nil {
			t.Fatal(err)
		}
	}
}

func sortedKeysOf(m map[string]any) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// TestBookingSent: a booking made on the screen goes to POST /bookings
// with the contract's body, leaves the outbox, and the board fetched in the
// same sync shows the slot taken by Karen.
func TestBookingSent(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	b := mustBoard(t, c)
	laundryRes, ok := b.Bookable("r1")
	if !ok || len(b.Bookables) != 2 || bookingIDs(b) != "b1:r1" {
		t.Fatalf("bookables %s, bookings %s: want the desk's", bookableIDs(b), bookingIDs(b))
	}
	slot := board.SlotsOn(b, laundryRes, clk.Now(), 1)[1] // tomorrow 09:00-11:00
	if slot.State != board.SlotFree || !slot.Start.Equal(tomorrow(9, 0)) {
		t.Fatalf("slot %+v, want tomorrow 09:00 free", slot)
	}

	const id = "5f1d0c2a-7b3e-4c9a-8d6f-2e4b1a0c9d8e"
	enqueue(t, c, book(id, "r1", slot.Start, slot.End))
	res, err := s.SyncOnce(ctx)
	if err != nil || res.Sent != 1 || res.Pending != 0 {
		t.Fatalf("SyncOnce = %+v, %v; want the booking sent", res, err)
	}
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
	if n := len(f.reqs("/signups")); n != 0 {
		t.Errorf("%d requests to /signups: a booking goes to /bookings", n)
	}
	_, received, bodies := f.deskState()
	if received[id] != 1 || len(bodies) != 1 {
		t.Fatalf("received %v, want the booking once", received)
	}
	body := bodies[0]
	if got := sortedKeysOf(body); got != "action,at,end,id,profile_id,resource_id,start" {
		t.Errorf("body fields %s, want the contract's for a booking", got)
	}
	want := map[string]any{"id": id, "action": "book", "resource_id": "r1", "profile_id": "p1",
		"start": "2026-11-24T09:00:00+01:00", "end": "2026-11-24T11:00:00+01:00", "at": "2026-11-23T09:00:00Z"}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("body %s = %v, want %v", k, body[k], v)
		}
	}

	// The board of the same sync holds the booking.
	b = mustBoard(t, c)
	slot = board.SlotsOn(b, laundryRes, clk.Now(), 1)[1]
	if slot.State != board.SlotTaken || slot.Booking == nil || slot.Booking.ProfileID != "p1" {
		t.Errorf("slot after the sync %+v, want taken by Karen", slot)
	}
	if n := len(f.reqs("/board")); n != 2 {
		t.Errorf("%d board requests, want 2", n)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, received, _ := f.deskState(); received[id] != 1 {
		t.Errorf("sent %d times, want once", received[id])
	}
}

// TestBookingTaken: two screens asked for the same slot and the other one
// won: 409 taken marks the entry refused, and it is never sent again.
func TestBookingTaken(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	const id = "8c2e4f6a-1b3d-4e5f-9a7b-6c8d0e2f4a1b"
	enqueue(t, c, book(id, "r1", tomorrow(13, 0), tomorrow(15, 0))) // b1's slot
	res, err := s.SyncOnce(context.Background())
	if err != nil || res.Refused != 1 {
		t.Fatalf("SyncOnce = %+v, %v; want one refused", res, err)
	}
	out, _ := c.Outbox()
	if len(out) != 1 || out[0].State != board.Refused || out[0].Reason != "taken" {
		t.Fatalf("outbox = %+v, want refused as taken", out)
	}
	for range 3 {
		clk.Advance(time.Hour)
		if _, err := s.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if _, received, _ := f.deskState(); received[id] != 1 {
		t.Errorf("sent %d times, want once", received[id])
	}
	if x := board.BookingsOf(mustBoard(t, c), "r1"); len(x) != 1 || x[0].ID != "b1" {
		t.Errorf("bookings of r1 = %+v, want b1 only", x)
	}
}

// TestBookingRefusals: every reason the contract gives for a 409 is kept
// as the entry's reason; an unknown word is "refused"; a 400 is
// "invalid"; a 503 leaves the entry pending for a retry.
func TestBookingRefusals(t *testing.T) {
	type answer struct {
		status int
		body   string
		reason string // "" : stays pending
	}
	var tests []answer
	for _, r := range []string{"taken", "outside_hours", "too_many", "too_far_ahead", "too_late_to_cancel",
		"login_required", "unknown_resource", "unknown_booking", "not_yours", "closed"} {
		tests = append(tests, answer{http.StatusConflict, `{"error": "` + r + `"}`, r})
	}
	tests = append(tests,
		answer{http.StatusConflict, `{"error": "full"}`, "refused"}, // a sign-up's word, not a booking's
		answer{http.StatusConflict, `{"error": "Karen Jensen"}`, "refused"},
		answer{http.StatusConflict, `not json`, "refused"},
		answer{http.StatusBadRequest, ``, "invalid"},
		answer{http.StatusServiceUnavailable, ``, ""},
		answer{http.StatusNotFound, ``, ""},
	)
	for _, tt := range tests {
		t.Run(tt.body+"/"+http.StatusText(tt.status), func(t *testing.T) {
			clk := clock.NewFake(testNow)
			f := deskBackend(t, clk)
			f.booking = func([]byte) (int, string) { return tt.status, tt.body }
			c := openCache(t, "", clk)
			s := newSyncer(t, f.URL, c, clk)
			enqueue(t, c, book("u1", "r2", tomorrow(9, 0), tomorrow(10, 0)))
			res, err := s.SyncOnce(context.Background())
			out, _ := c.Outbox()
			if len(out) != 1 {
				t.Fatalf("outbox = %+v", out)
			}
			if tt.reason == "" {
				if !errors.Is(err, ErrBackendFailed) || res.Pending != 1 || out[0].State != board.Pending || out[0].Attempts != 1 {
					t.Errorf("SyncOnce = %+v, %v; outbox %+v: want pending after one attempt", res, err, out)
				}
				return
			}
			if err != nil || res.Refused != 1 || out[0].State != board.Refused || out[0].Reason != tt.reason {
				t.Errorf("SyncOnce = %+v, %v; outbox %+v: want refused as %q", res, err, out, tt.reason)
			}
		})
	}
}

// TestBookingOffline: a booking made while the backend is down stays
// pending, survives the screen's restart (the cache closed and opened
// again, a new Syncer), and reaches the backend exactly once when it is
// back; the board then shows it.
func TestBookingOffline(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	dir := t.TempDir()
	c := openCache(t, dir, clk)
	s := newSyncer(t, f.URL, c, clk)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	f.stop()

	const id = "0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a"
	enqueue(t, c, book(id, "r2", tomorrow(10, 0), tomorrow(12, 30)))
	res, err := s.SyncOnce(ctx)
	if !errors.Is(err, ErrBackendUnreachable) || res.Pending != 1 {
		t.Fatalf("offline sync = %+v, %v; want unreachable, one pending", res, err)
	}
	clk.Advance(time.Minute)
	if _, err := s.SyncOnce(ctx); !errors.Is(err, ErrBackendUnreachable) {
		t.Fatalf("second offline sync: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// The screen restarts (it has not heard the backend's capabilities
	// since), then the backend is back.
	c = openCache(t, dir, clk)
	out, _ := c.Outbox()
	if len(out) != 1 || out[0].ID != id || out[0].State != board.Pending || out[0].Attempts != 2 ||
		!out[0].Start.Equal(tomorrow(10, 0)) || !out[0].End.Equal(tomorrow(12, 30)) {
		t.Fatalf("outbox after the restart = %+v", out)
	}
	f.restart(t)
	s = newSyncer(t, f.URL, c, clk)
	res, err = s.SyncOnce(ctx)
	if err != nil || res.Sent != 1 {
		t.Fatalf("sync after the restart = %+v, %v; want the booking sent", res, err)
	}
	for range 2 {
		clk.Advance(10 * time.Minute)
		if _, err := s.SyncOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	bookings, received, bodies := f.deskState()
	if received[id] != 1 || len(bodies) != 1 {
		t.Errorf("received %v, want the booking exactly once", received)
	}
	if len(bookings) != 2 {
		t.Errorf("the desk holds %+v, want b1 and the new one", bookings)
	}
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
	x := board.BookingsOf(mustBoard(t, c), "r2")
	if len(x) != 1 || !x[0].Start.Equal(tomorrow(10, 0)) || x[0].ProfileID != "p1" {
		t.Errorf("bookings of r2 on the screen = %+v, want Karen's", x)
	}
}

// TestBookingCancel: Karen cancels b1; the body is the contract's for a
// cancellation, and the board of the same sync no longer holds b1. Ole's
// cancelling of her booking is refused as not_yours.
func TestBookingCancel(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	enqueue(t, c, cancelBooking("c-ole", "b1", "p2"))
	if res, err := s.SyncOnce(ctx); err != nil || res.Refused != 1 {
		t.Fatalf("Ole's cancel: %+v, %v; want refused", res, err)
	}
	if out, _ := c.Outbox(); len(out) != 1 || out[0].Reason != "not_yours" {
		t.Errorf("outbox = %+v, want refused as not_yours", out)
	}
	if err := c.RemoveSignup("c-ole"); err != nil {
		t.Fatal(err)
	}

	const id = "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d"
	enqueue(t, c, cancelBooking(id, "b1", "p1"))
	res, err := s.SyncOnce(ctx)
	if err != nil || res.Sent != 1 {
		t.Fatalf("SyncOnce = %+v, %v; want the cancellation sent", res, err)
	}
	_, received, bodies := f.deskState()
	body := bodies[len(bodies)-1]
	if got := sortedKeysOf(body); got != "action,at,booking_id,id,profile_id" {
		t.Errorf("body fields %s, want the contract's for a cancellation", got)
	}
	if body["id"] != id || body["action"] != "cancel" || body["booking_id"] != "b1" || body["profile_id"] != "p1" {
		t.Errorf("body = %v", body)
	}
	if received[id] != 1 {
		t.Errorf("received %v", received)
	}
	if x := board.BookingsOf(mustBoard(t, c), "r1"); len(x) != 0 {
		t.Errorf("bookings of r1 after the cancellation: %+v", x)
	}
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
}

// TestBookingWithoutCapability: a backend that does not name "bookables"
// (v1.1, or plain v1 with no /capabilities) has no POST /bookings: its
// board's bookables are not stored, its bookings are plain, and a booking
// made on the screen is refused as unknown_resource without a request.
func TestBookingWithoutCapability(t *testing.T) {
	for _, features := range [][]string{{"sessions", "weather", "audio"}, nil} {
		name := "v1.1"
		if features == nil {
			name = "plain v1"
		}
		t.Run(name, func(t *testing.T) {
			clk := clock.NewFake(testNow)
			f := deskBackend(t, clk) // its board carries bookables all the same
			f.features = features
			c := openCache(t, "", clk)
			s := newSyncer(t, f.URL, c, clk)
			enqueue(t, c, book("u1", "r1", tomorrow(9, 0), tomorrow(11, 0)))
			res, err := s.SyncOnce(context.Background())
			if err != nil || res.Refused != 1 {
				t.Fatalf("SyncOnce = %+v, %v; want the booking refused", res, err)
			}
			out, _ := c.Outbox()
			if len(out) != 1 || out[0].State != board.Refused || out[0].Reason != "unknown_resource" {
				t.Errorf("outbox = %+v, want refused as unknown_resource", out)
			}
			if n := len(f.reqs("/bookings")); n != 0 {
				t.Errorf("%d requests to /bookings of a backend that has none", n)
			}
			b := mustBoard(t, c)
			if len(b.Bookables) != 0 || bookingIDs(b) != "b1:" {
				t.Errorf("bookables %s, bookings %s: want none stored, b1 plain", bookableIDs(b), bookingIDs(b))
			}
		})
	}
}

// TestBookingCapabilitiesUnknown: when the screen cannot tell what the
// backend offers (its /capabilities fails), a booking waits rather than
// being refused or sent blind.
func TestBookingCapabilitiesUnknown(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	f.capsStatus = http.StatusInternalServerError
	f.status = http.StatusServiceUnavailable // the board fails too
	f.booking = func([]byte) (int, string) { t.Error("a booking was sent blind"); return http.StatusOK, `{}` }
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	enqueue(t, c, book("u1", "r1", tomorrow(9, 0), tomorrow(11, 0)))
	res, err := s.SyncOnce(context.Background())
	if err == nil || res.Pending != 1 {
		t.Fatalf("SyncOnce = %+v, %v; want the booking pending", res, err)
	}
	if out, _ := c.Outbox(); len(out) != 1 || out[0].State != board.Pending {
		t.Errorf("outbox = %+v, want pending", out)
	}

	// Once the backend answers again, the booking goes out.
	f.mu.Lock()
	f.capsStatus, f.status, f.booking = 0, 0, nil
	f.mu.Unlock()
	clk.Advance(time.Minute)
	if res, err := s.SyncOnce(context.Background()); err != nil || res.Sent != 1 {
		t.Fatalf("SyncOnce after the backend is back = %+v, %v; want the booking sent", res, err)
	}
}

// TestBookingOrder: entries for the same resource and profile keep their
// order; one failing for now holds back only the later ones of its pair.
func TestBookingOrder(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	fail := true
	f.booking = func(body []byte) (int, string) {
		if fail && strings.Contains(string(body), `"u1"`) {
			return http.StatusServiceUnavailable, ""
		}
		return f.desk.post(body)
	}
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	enqueue(t, c,
		book("u1", "r1", tomorrow(9, 0), tomorrow(11, 0)),
		book("u2", "r1", tomorrow(11, 0), tomorrow(13, 0)), // waits behind u1
		book("u3", "r2", tomorrow(9, 0), tomorrow(10, 0)),
		signup("u4", "a1", "p1", board.Join),
	)
	res, err := s.SyncOnce(context.Background())
	if !errors.Is(err, ErrBackendFailed) || res.Sent != 2 || res.Pending != 2 {
		t.Fatalf("SyncOnce = %+v, %v; want u3 and u4 sent, u1 and u2 pending", res, err)
	}
	sent := func() string {
		var ids []string
		for _, r := range f.reqs("/bookings") {
			ids = append(ids, decodeJSON(t, r.Body)["id"].(string))
		}
		return strings.Join(ids, ",")
	}
	if got := sent(); got != "u1,u3" {
		t.Errorf("bookings sent %s, want u1,u3 (u2 waits behind u1)", got)
	}
	f.mu.Lock()
	fail = false
	f.mu.Unlock()
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
	if got := sent(); got != "u1,u3,u1,u2" {
		t.Errorf("bookings sent %s, want u1 retried, then u2", got)
	}
}

// sessionsOf is Options.Sessions for a test: the sign-ups made in a session.
type sessionsOf map[string]string

func (s sessionsOf) SessionFor(id string) string { return s[id] }

// TestBookingCarriesTheSession: a booking made while Karen is logged in
// (Login.SignupMade) is sent with her session, as sign-ups are.
func TestBookingCarriesTheSession(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := deskBackend(t, clk)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, func(o *Options) { o.Sessions = sessionsOf{"u1": "sess-karen"} })
	enqueue(t, c, book("u1", "r2", tomorrow(9, 0), tomorrow(10, 0)), cancelBooking("u2", "b1", "p1"))
	if res, err := s.SyncOnce(context.Background()); err != nil || res.Sent != 2 {
		t.Fatalf("SyncOnce = %+v, %v", res, err)
	}
	_, _, bodies := f.deskState()
	if len(bodies) != 2 || bodies[0]["session"] != "sess-karen" || sortedKeysOf(bodies[0]) != "action,at,end,id,profile_id,resource_id,session,start" {
		t.Errorf("booking body %v, want it with Karen's session", bodies[0])
	}
	if _, ok := bodies[1]["session"]; ok {
		t.Errorf("cancellation body %v: made in no session, it carries none", bodies[1])
	}
}

// TestRunBookingShowsAtOnce: a booking made while Run waits goes out at
// once, and the board is fetched right after it, so the screen shows the
// slot taken as soon as the backend has it.
func TestRunBookingShowsAtOnce(t *testing.T) {
	clk := newStepClock(testNow)
	f := deskBackend(t, clk)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, seeded)
	runSyncer(t, s)
	wait.Until(t, "first sync", func() bool { return len(f.reqs("/board")) == 1 })

	start := clk.Now()
	enqueue(t, c, book("u1", "r1", tomorrow(9, 0), tomorrow(11, 0)))
	wait.Until(t, "sent and pulled", func() bool { return len(f.reqs("/bookings")) == 1 && len(f.reqs("/board")) == 2 })
	if d := f.reqs("/board")[1].At.Sub(start); d != 0 {
		t.Errorf("the board was fetched %v after the booking, want at once", d)
	}
	wait.Until(t, "the slot taken on the screen", func() bool {
		b, err := c.Board()
		if err != nil {
			return false
		}
		x := board.BookingsOf(b, "r1")
		return len(x) == 2 && x[0].Start.Equal(tomorrow(9, 0)) && x[0].ProfileID == "p1"
	})
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
}
