package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const bookingsPath = "/api/screen/v1/bookings"

// The demo's bookables of d1.
const (
	laundry   = "bk-d1-vask"
	minibus   = "bk-d1-bus"
	guestRoom = "bk-d1-gaest"
)

// local is a wall-clock time in Copenhagen off days from testDay (Monday
// 2026-11-23), made with time.Date so it is right across DST too.
func local(off, hour, min int) time.Time {
	return time.Date(2026, 11, 23+off, hour, min, 0, 0, copenhagen)
}

// book asks for resource from start to end for profile with request id id.
func book(id, resource, profile string, start, end time.Time) BookingRequest {
	return BookingRequest{ID: id, Action: ActionBook, ResourceID: resource, ProfileID: profile, Start: start, End: end, At: testDay}
}

func cancelReq(id, booking, profile string) BookingRequest {
	return BookingRequest{ID: id, Action: ActionCancel, BookingID: booking, ProfileID: profile, At: testDay}
}

// bookingOK posts req, wants 200 and returns the answer's booking.
func (tb *testBackend) bookingOK(t *testing.T, req BookingRequest) BookingAnswer {
	t.Helper()
	r := tb.postJSON(t, bookingsPath, req)
	if r.status != http.StatusOK {
		t.Fatalf("%s %s: %d %s, want 200", req.Action, req.ID, r.status, r.body)
	}
	var ans struct {
		Booking *BookingAnswer `json:"booking"`
	}
	if err := json.Unmarshal(r.body, &ans); err != nil || ans.Booking == nil {
		t.Fatalf("answer %s: %v", r.body, err)
	}
	return *ans.Booking
}

// bookingRefused posts req and wants 409 with reason.
func (tb *testBackend) bookingRefused(t *testing.T, req BookingRequest, reason string) {
	t.Helper()
	r := tb.postJSON(t, bookingsPath, req)
	if r.status != http.StatusConflict {
		t.Fatalf("%s %s: %d %s, want 409 %s", req.Action, req.ID, r.status, r.body, reason)
	}
	wantJSONError(t, r, http.StatusConflict, reason)
}

// sameBooking compares two answers, times by the instant.
func sameBooking(a, b BookingAnswer) bool {
	return a.ID == b.ID && a.ResourceID == b.ResourceID && a.ProfileID == b.ProfileID && a.Start.Equal(b.Start) && a.End.Equal(b.End)
}

func bookingOnBoard(b *Board, id string) (Booking, bool) {
	for _, x := range b.Bookings {
		if x.ID == id {
			return x, true
		}
	}
	return Booking{}, false
}

func putBookable(t *testing.T, tb *testBackend, x Bookable) {
	t.Helper()
	if x.DepartmentID == "" {
		x.DepartmentID = "d1"
	}
	if err := tb.admin.PutBookable(context.Background(), x); err != nil {
		t.Fatal(err)
	}
}

// TestBookingDemoBoard checks the demo board carries the three bookables
// with every field of the contract, and bookings that name them and keep
// their rules.
func TestBookingDemoBoard(t *testing.T) {
	tb := startBackend(t)
	caps := tb.get(t, "/api/screen/v1/capabilities")
	if !bytes.Contains(caps.body, []byte(`"bookables"`)) || !bytes.Contains(caps.body, []byte(`"api":"1.2"`)) {
		t.Errorf("capabilities %s lack api 1.2 and bookables", caps.body)
	}

	r := tb.get(t, "/api/screen/v1/board")
	var raw struct {
		Bookables []map[string]json.RawMessage `json:"bookables"`
		Bookings  []map[string]json.RawMessage `json:"bookings"`
	}
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	fields := []string{"id", "name", "pictogram", "slots", "slot_times", "grid_minutes", "min_minutes", "max_minutes",
		"open", "max_ahead_days", "max_per_week", "cancel_until_minutes", "login_required"}
	for _, x := range raw.Bookables {
		for _, f := range fields {
			if _, ok := x[f]; !ok {
				t.Errorf("bookable %s lacks %q", x["id"], f)
			}
		}
		if _, ok := x["department_id"]; ok {
			t.Errorf("bookable %s carries its department_id", x["id"])
		}
	}
	for _, x := range raw.Bookings {
		for _, f := range []string{"id", "resource", "resource_id", "start", "end", "profile_id"} {
			if _, ok := x[f]; !ok {
				t.Errorf("booking %s lacks %q", x["id"], f)
			}
		}
	}

	b, _ := tb.board(t)
	want := map[string]Bookable{
		laundry: {ID: laundry, Name: "Vaskeriet", Pictogram: "laundry", Slots: SlotsFixed,
			SlotTimes: []string{"07:00-09:00", "09:00-11:00", "11:00-13:00", "13:00-15:00", "15:00-17:00", "17:00-19:00"},
			Open:      "07:00-19:00", MaxAheadDays: 14, MaxPerWeek: 2, CancelUntilMinutes: 60},
		minibus: {ID: minibus, Name: "Minibussen", Pictogram: "bus", Slots: SlotsFree, SlotTimes: []string{},
			GridMinutes: 30, MinMinutes: 60, MaxMinutes: 240, Open: "08:00-20:00", MaxAheadDays: 30, MaxPerWeek: 1, CancelUntilMinutes: 120},
		guestRoom: {ID: guestRoom, Name: "Gæsteværelset", Pictogram: "bed", Slots: SlotsFree, SlotTimes: []string{},
			GridMinutes: 60, MinMinutes: 1200, MaxMinutes: 4320, Open: "00:00-24:00", MaxAheadDays: 60, MaxPerWeek: 1,
			CancelUntilMinutes: 1440, LoginRequired: true},
	}
	if len(b.Bookables) != len(want) {
		t.Fatalf("bookables %+v, want the laundry, the minibus and the guest room", b.Bookables)
	}
	for _, x := range b.Bookables {
		w := want[x.ID]
		if !slices.Equal(x.SlotTimes, w.SlotTimes) {
			t.Errorf("%s: slot times %v, want %v", x.ID, x.SlotTimes, w.SlotTimes)
		}
		if !reflect.DeepEqual(x, w) {
			t.Errorf("bookable %+v, want %+v", x, w)
		}
	}

	checkDemoBookings(t, b, testDay)
	// Every day of a week, in both departments, the demo keeps its rules.
	for i := 1; i <= 7; i++ {
		for _, dept := range []string{"d1", "d2"} {
			day := testDay.AddDate(0, 0, i)
			db, err := DemoBoardValue(day, dept)
			if err != nil {
				t.Fatal(err)
			}
			checkDemoBookings(t, db, day)
		}
	}

	// A plain v1 backend keeps the v1 board and has no booking endpoint.
	plain := startBackend(t, func(o *Options) { o.PlainV1 = true })
	pr := plain.get(t, "/api/screen/v1/board")
	if bytes.Contains(pr.body, []byte(`"bookables"`)) || bytes.Contains(pr.body, []byte(`"resource_id"`)) {
		t.Error("a plain v1 board carries bookables or resource_id")
	}
	wantJSONError(t, plain.postJSON(t, bookingsPath, book("v1", laundry, "p1", local(1, 7, 0), local(1, 9, 0))), http.StatusNotFound, "not_found")
}

// checkDemoBookings checks the bookings of a demo board of day: every one
// names its bookable by id and by name and keeps its rules, none overlaps
// another of the same resource, nobody books more than a week allows, and
// the laundry has a few bookings this week, one by a hidden profile.
func checkDemoBookings(t *testing.T, b *Board, day time.Time) {
	t.Helper()
	rules := map[string]Bookable{}
	for _, x := range b.Bookables {
		rules[x.ID] = x
	}
	perWeek := map[string]int{}
	thisWeekLaundry, hiddenLaundry := 0, false
	weekFrom, weekTo := weekOf(day, copenhagen)
	for i, x := range b.Bookings {
		r, ok := rules[x.ResourceID]
		if !ok || x.Resource != r.Name {
			t.Errorf("%s %s: booking %s: resource %q, resource_id %q", b.Department.ID, day.Format(time.DateOnly), x.ID, x.Resource, x.ResourceID)
			continue
		}
		if !r.fits(x.Start, x.End, copenhagen) {
			t.Errorf("booking %s (%s %s-%s) breaks the rules of %s", x.ID, x.Resource, x.Start, x.End, r.ID)
		}
		for _, o := range b.Bookings[i+1:] {
			if o.ResourceID == x.ResourceID && o.Start.Before(x.End) && x.Start.Before(o.End) {
				t.Errorf("bookings %s and %s overlap", x.ID, o.ID)
			}
		}
		monday, _ := weekOf(x.Start, copenhagen)
		key := x.ResourceID + "/" + x.ProfileID + "/" + monday.Format(time.DateOnly)
		if perWeek[key]++; perWeek[key] > r.MaxPerWeek {
			t.Errorf("%s: %d bookings in a week, more than %d", key, perWeek[key], r.MaxPerWeek)
		}
		if strings.HasSuffix(x.ResourceID, "-vask") && !x.Start.Before(weekFrom) && x.Start.Before(weekTo) {
			thisWeekLaundry++
			if p, _ := profileByID(b, x.ProfileID); !p.VisibleOnScreen {
				hiddenLaundry = true
			}
		}
	}
	if thisWeekLaundry < 2 || !hiddenLaundry {
		t.Errorf("%s %s: %d laundry bookings this week (one by a hidden profile: %v), want a few and one hidden",
			b.Department.ID, day.Format(time.DateOnly), thisWeekLaundry, hiddenLaundry)
	}
	for _, name := range []string{"Vaskeriet", "Minibussen", "Gæsteværelset"} {
		if !slices.ContainsFunc(b.Bookings, func(x Booking) bool { return x.Resource == name }) {
			t.Errorf("%s %s: no booking of %s", b.Department.ID, day.Format(time.DateOnly), name)
		}
	}
}

// TestBookingBookCancelIdempotent books, repeats, cancels and repeats, and
// checks the board, its ETag, the sync event and what the backend recorded.
func TestBookingBookCancelIdempotent(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	stream := tb.events(t, testToken)
	_, etag0 := tb.board(t)

	req := book("7b0c3d1e-0000-4000-8000-000000000001", laundry, "p1", local(1, 9, 0), local(1, 11, 0))
	tb.clock.Advance(time.Second)
	got := tb.bookingOK(t, req)
	if got.ID == "" || got.ResourceID != laundry || got.ProfileID != "p1" || !got.Start.Equal(req.Start) || !got.End.Equal(req.End) {
		t.Fatalf("booked %+v", got)
	}
	if _, off := got.Start.Zone(); off != 3600 {
		t.Errorf("start %s is not in the department's time (+01:00)", got.Start)
	}
	if block := stream.next(t); !strings.HasPrefix(block, "event: sync\n") || !strings.Contains(block, "booking") {
		t.Fatalf("after a booking: %q, want a sync event", block)
	}
	b, etag1 := tb.board(t)
	if etag1 == etag0 {
		t.Error("ETag unchanged after a booking")
	}
	x, ok := bookingOnBoard(b, got.ID)
	if !ok || x.ResourceID != laundry || x.Resource != "Vaskeriet" || x.ProfileID != "p1" || !x.Start.Equal(req.Start) {
		t.Fatalf("board booking %+v (%v)", x, ok)
	}

	// The same request again: the same booking, nothing changed.
	for i := 0; i < 2; i++ {
		tb.clock.Advance(time.Second)
		if again := tb.bookingOK(t, req); !sameBooking(again, got) {
			t.Errorf("repeat %d answered %+v, want %+v", i+1, again, got)
		}
	}
	if _, e := tb.board(t); e != etag1 {
		t.Error("a repeated booking changed the board")
	}
	// The same id for another time is a client bug.
	other := req
	other.Start, other.End = local(1, 11, 0), local(1, 13, 0)
	wantJSONError(t, tb.postJSON(t, bookingsPath, other), http.StatusBadRequest, "bad_request")

	// Cancel, and again.
	cancel := cancelReq("7b0c3d1e-0000-4000-8000-000000000002", got.ID, "p1")
	gone := tb.bookingOK(t, cancel)
	if !sameBooking(gone, got) {
		t.Errorf("cancel answered %+v, want the booking %+v", gone, got)
	}
	if block := stream.next(t); !strings.HasPrefix(block, "event: sync\n") {
		t.Fatalf("after a cancel: %q, want a sync event", block)
	}
	b, etag2 := tb.board(t)
	if _, ok := bookingOnBoard(b, got.ID); ok || etag2 == etag1 {
		t.Errorf("after cancel: on board %v, etag changed %v", ok, etag2 != etag1)
	}
	if again := tb.bookingOK(t, cancel); !sameBooking(again, got) {
		t.Errorf("repeated cancel answered %+v", again)
	}
	// The slot is free again: another request may book it.
	if re := tb.bookingOK(t, book("7b0c3d1e-0000-4000-8000-000000000003", laundry, "p2", local(1, 9, 0), local(1, 11, 0))); re.ID == got.ID {
		t.Errorf("a new booking got the cancelled one's id %s", re.ID)
	}

	recs, err := tb.admin.BookingRequests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0].ID != req.ID || recs[0].Received != 3 || recs[0].Result != ResultBooked || recs[0].ScreenID == "" ||
		recs[1].Result != ResultCancelled || recs[1].Received != 2 || recs[2].Result != ResultBooked {
		t.Fatalf("records %+v", recs)
	}

	// After a restart the store still has the booking and the answer.
	tb.Close()
	tb2 := startBackend(t, func(o *Options) { o.DataDir = tb.dir })
	if again := tb2.bookingOK(t, cancel); !sameBooking(again, got) {
		t.Errorf("after a restart the cancel answered %+v", again)
	}
	b2, _ := tb2.board(t)
	if !slices.ContainsFunc(b2.Bookings, func(x Booking) bool { return x.ProfileID == "p2" && x.Start.Equal(local(1, 9, 0)) }) {
		t.Error("after a restart the board lost the booking made on the screen")
	}
}

// TestBookingRefusals walks through every 409 reason of the contract.
func TestBookingRefusals(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	n := 0
	id := func() string { n++; return fmt.Sprintf("refuse-%03d", n) }
	karen := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	inger := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p3", PIN: "1357"})

	t.Run("taken", func(t *testing.T) {
		// The demo's p5 has the laundry today 13-15; its bus goes Wednesday 09-13.
		tb.bookingRefused(t, book(id(), laundry, "p1", local(0, 13, 0), local(0, 15, 0)), ResultTaken)
		tb.bookingRefused(t, book(id(), minibus, "p2", local(2, 12, 0), local(2, 14, 0)), ResultTaken)
		tb.bookingRefused(t, book(id(), minibus, "p2", local(2, 8, 0), local(2, 9, 30)), ResultTaken)
		// Half-open: ending as it starts, or starting as it ends, is free.
		tb.bookingOK(t, book(id(), minibus, "p2", local(2, 13, 0), local(2, 14, 0)))
		tb.bookingOK(t, book(id(), minibus, "p4", local(9, 8, 0), local(9, 9, 0)))
	})
	t.Run("outside_hours", func(t *testing.T) {
		for _, span := range [][2]time.Time{
			{local(1, 10, 0), local(1, 12, 0)}, // not a slot
			{local(1, 9, 0), local(1, 13, 0)},  // two slots
			{local(1, 19, 0), local(1, 21, 0)}, // after the last
			{local(1, 9, 0), local(2, 11, 0)},  // the slot's times a day apart
		} {
			tb.bookingRefused(t, book(id(), laundry, "p6", span[0], span[1]), ResultOutsideHours)
		}
		for _, span := range [][2]time.Time{
			{local(3, 10, 15), local(3, 11, 15)},                // off the grid
			{local(3, 10, 0), local(3, 11, 15)},                 // ends off the grid
			{local(3, 10, 0), local(3, 10, 30)},                 // shorter than an hour
			{local(3, 10, 0), local(3, 14, 30)},                 // longer than four
			{local(3, 7, 30), local(3, 9, 0)},                   // before it opens
			{local(3, 18, 30), local(3, 20, 30)},                // after it closes
			{local(3, 22, 0), local(4, 1, 0)},                   // over midnight, outside open
			{local(3, 10, 0).Add(time.Second), local(3, 11, 0)}, // not on the minute
		} {
			tb.bookingRefused(t, book(id(), minibus, "p6", span[0], span[1]), ResultOutsideHours)
		}
		tb.bookingOK(t, book(id(), minibus, "p6", local(3, 16, 0), local(3, 20, 0))) // up to closing, four hours
	})
	t.Run("too_many", func(t *testing.T) {
		// Two laundry slots a week, Monday to Sunday.
		tb.bookingOK(t, book(id(), laundry, "p7", local(1, 7, 0), local(1, 9, 0)))
		tb.bookingOK(t, book(id(), laundry, "p7", local(2, 7, 0), local(2, 9, 0)))
		tb.bookingRefused(t, book(id(), laundry, "p7", local(3, 7, 0), local(3, 9, 0)), ResultTooMany)
		tb.bookingRefused(t, book(id(), laundry, "p7", local(6, 17, 0), local(6, 19, 0)), ResultTooMany) // Sunday
		tb.bookingOK(t, book(id(), laundry, "p7", local(7, 7, 0), local(7, 9, 0)))                       // next Monday
		// Someone else still may.
		tb.bookingOK(t, book(id(), laundry, "p9", local(3, 7, 0), local(3, 9, 0)))
	})
	t.Run("too_far_ahead", func(t *testing.T) {
		tb.bookingOK(t, book(id(), laundry, "p10", local(14, 17, 0), local(14, 19, 0))) // today + 14
		tb.bookingRefused(t, book(id(), laundry, "p10", local(15, 7, 0), local(15, 9, 0)), ResultTooFarAhead)
		tb.bookingRefused(t, book(id(), minibus, "p10", local(31, 10, 0), local(31, 12, 0)), ResultTooFarAhead)
	})
	t.Run("closed", func(t *testing.T) {
		tb.bookingRefused(t, book(id(), laundry, "p11", local(0, 7, 0), local(0, 9, 0)), ResultClosed)   // over
		tb.bookingRefused(t, book(id(), laundry, "p11", local(0, 9, 0), local(0, 11, 0)), ResultClosed)  // begun at 9, now 10
		tb.bookingRefused(t, book(id(), minibus, "p11", local(0, 10, 0), local(0, 11, 0)), ResultClosed) // begins now
		tb.bookingOK(t, book(id(), minibus, "p11", local(0, 10, 30), local(0, 11, 30)))
	})
	t.Run("login_required", func(t *testing.T) {
		start, end := local(9, 14, 0), local(10, 11, 0)
		tb.bookingRefused(t, book(id(), guestRoom, "p1", start, end), ResultLoginRequired)
		wrong := book(id(), guestRoom, "p1", start, end)
		wrong.Session = inger.Session // someone else's session
		tb.bookingRefused(t, wrong, ResultLoginRequired)
		bogus := book(id(), guestRoom, "p1", start, end)
		bogus.Session = "not-a-session"
		tb.bookingRefused(t, bogus, ResultLoginRequired)
		ok := book(id(), guestRoom, "p1", start, end)
		ok.Session = karen.Session
		got := tb.bookingOK(t, ok)
		// Cancelling it needs the login too.
		tb.bookingRefused(t, cancelReq(id(), got.ID, "p1"), ResultLoginRequired)
		// The session may come in the header as well.
		data, _ := json.Marshal(cancelReq(id(), got.ID, "p1"))
		r := do(t, http.MethodPost, tb.URL+bookingsPath, testToken, bytes.NewReader(data), "Content-Type", "application/json", sessionHeader, karen.Session)
		if r.status != http.StatusOK {
			t.Fatalf("cancel with the session header: %d %s", r.status, r.body)
		}
		recs, _ := tb.admin.BookingRequests(ctx)
		if i := slices.IndexFunc(recs, func(rec BookingRecord) bool { return rec.ID == ok.ID }); i < 0 || recs[i].SessionOf != "p1" || recs[i].Session != "" {
			t.Errorf("the record of a booking with a session: %+v", recs)
		}
	})
	t.Run("unknown_resource", func(t *testing.T) {
		tb.bookingRefused(t, book(id(), "bk-nope", "p1", local(1, 7, 0), local(1, 9, 0)), ResultUnknownResource)
		tb.bookingRefused(t, book(id(), "bk-d2-vask", "p1", local(1, 7, 0), local(1, 9, 0)), ResultUnknownResource)
	})
	t.Run("unknown_booking", func(t *testing.T) {
		tb.bookingRefused(t, cancelReq(id(), "b-nope", "p1"), ResultUnknownBooking)
		tb.bookingRefused(t, cancelReq(id(), "b-d2-20261125-bus", "p1"), ResultUnknownBooking) // Havblik's
	})
	t.Run("not_yours", func(t *testing.T) {
		tb.bookingRefused(t, cancelReq(id(), "b-d1-20261123-vask-3", "p1"), ResultNotYours)
	})
	t.Run("too_late_to_cancel", func(t *testing.T) {
		got := tb.bookingOK(t, book(id(), laundry, "p12", local(0, 17, 0), local(0, 19, 0)))
		tb.clock.Set(local(0, 16, 0)) // exactly an hour before: still allowed
		keep := tb.bookingOK(t, book(id(), laundry, "p14", local(1, 17, 0), local(1, 19, 0)))
		tb.bookingOK(t, cancelReq(id(), got.ID, "p12"))
		tb.clock.Set(local(1, 16, 0).Add(time.Second))
		tb.bookingRefused(t, cancelReq(id(), keep.ID, "p14"), ResultTooLateToCancel)
		tb.clock.Set(local(1, 18, 0)) // begun
		tb.bookingRefused(t, cancelReq(id(), keep.ID, "p14"), ResultTooLateToCancel)
	})
}

// TestBookingAcrossDaylightSaving books a fixed slot 01:00-03:00 on the
// two days Copenhagen changes its clocks: one hour of real time in spring,
// three in autumn; a free booking's length is real time too.
func TestBookingAcrossDaylightSaving(t *testing.T) {
	tb := startBackend(t)
	tb.clock.Set(time.Date(2027, 3, 20, 10, 0, 0, 0, copenhagen))
	putBookable(t, tb, Bookable{ID: "bk-night", Name: "Natrummet", Pictogram: "bed", Slots: SlotsFixed,
		SlotTimes: []string{"01:00-03:00"}, Open: "00:00-24:00"})
	putBookable(t, tb, Bookable{ID: "bk-night-free", Name: "Nattelefonen", Pictogram: "bed", Slots: SlotsFree,
		GridMinutes: 60, MinMinutes: 60, MaxMinutes: 180, Open: "00:00-24:00"})
	for _, tt := range []struct {
		day  time.Time
		want time.Duration
	}{
		{time.Date(2027, 3, 28, 0, 0, 0, 0, copenhagen), time.Hour},
		{time.Date(2027, 10, 31, 0, 0, 0, 0, copenhagen), 3 * time.Hour},
		{time.Date(2027, 3, 27, 0, 0, 0, 0, copenhagen), 2 * time.Hour},
	} {
		y, m, d := tt.day.Date()
		start, end := time.Date(y, m, d, 1, 0, 0, 0, copenhagen), time.Date(y, m, d, 3, 0, 0, 0, copenhagen)
		// Two hours of real time from 01:00 is not the slot on a DST day.
		if tt.want != 2*time.Hour {
			tb.bookingRefused(t, book("dst-wrong-"+tt.day.Format(time.DateOnly), "bk-night", "p1", start, start.Add(2*time.Hour)), ResultOutsideHours)
		}
		got := tb.bookingOK(t, book("dst-"+tt.day.Format(time.DateOnly), "bk-night", "p1", start, end))
		if l := got.End.Sub(got.Start); l != tt.want {
			t.Errorf("%s: the slot 01:00-03:00 lasts %v, want %v", tt.day.Format(time.DateOnly), l, tt.want)
		}
		if ls, le := got.Start.In(copenhagen), got.End.In(copenhagen); ls.Hour() != 1 || le.Hour() != 3 {
			t.Errorf("%s: booked %s-%s", tt.day.Format(time.DateOnly), ls, le)
		}
	}
	// 00:00-04:00 by the clock: three hours in spring (allowed), five in
	// autumn (longer than three).
	tb.bookingOK(t, book("dst-free-spring", "bk-night-free", "p2", time.Date(2027, 3, 28, 0, 0, 0, 0, copenhagen), time.Date(2027, 3, 28, 4, 0, 0, 0, copenhagen)))
	tb.bookingRefused(t, book("dst-free-autumn", "bk-night-free", "p2", time.Date(2027, 10, 31, 0, 0, 0, 0, copenhagen), time.Date(2027, 10, 31, 4, 0, 0, 0, copenhagen)), ResultOutsideHours)
	// In UTC the same request is the same booking.
	tb.bookingOK(t, book("dst-free-utc", "bk-night-free", "p2", time.Date(2027, 10, 31, 1, 0, 0, 0, time.UTC), time.Date(2027, 10, 31, 3, 0, 0, 0, time.UTC)))
}

// TestBookingGuestRoomAcrossMidnight books the guest room from 14:00 to
// 11:00 two days later, for a logged-in resident.
func TestBookingGuestRoomAcrossMidnight(t *testing.T) {
	tb := startBackend(t)
	karen := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	inger := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p3", PIN: "1357"})
	withSession := func(req BookingRequest, s SessionAnswer) BookingRequest { req.Session = s.Session; return req }

	// The demo's guest room is booked Friday 14:00 to Sunday 11:00.
	start, end := local(2, 14, 0), local(4, 11, 0)
	got := tb.bookingOK(t, withSession(book("guest-1", guestRoom, "p1", start, end), karen))
	if got.End.Sub(got.Start) != 45*time.Hour {
		t.Errorf("booked %s to %s", got.Start, got.End)
	}
	b, _ := tb.board(t)
	if x, ok := bookingOnBoard(b, got.ID); !ok || x.Resource != "Gæsteværelset" || x.ResourceID != guestRoom {
		t.Errorf("board booking %+v", x)
	}
	tb.bookingRefused(t, withSession(book("guest-2", guestRoom, "p3", local(3, 14, 0), local(5, 11, 0)), inger), ResultTaken)
	tb.bookingRefused(t, withSession(book("guest-3", guestRoom, "p3", local(7, 14, 0), local(8, 8, 0)), inger), ResultOutsideHours)   // 18 hours
	tb.bookingRefused(t, withSession(book("guest-4", guestRoom, "p3", local(7, 14, 0), local(11, 11, 0)), inger), ResultOutsideHours) // four nights
	tb.bookingRefused(t, withSession(book("guest-5", guestRoom, "p3", local(7, 14, 30), local(8, 11, 0)), inger), ResultOutsideHours) // off the hour
	tb.bookingOK(t, withSession(book("guest-6", guestRoom, "p3", local(7, 14, 0), local(10, 14, 0)), inger))                          // three nights, the longest
	tb.bookingRefused(t, withSession(book("guest-7", guestRoom, "p1", local(8, 14, 0), local(9, 11, 0)), karen), ResultTaken)
	// Karen has the room this week already: one booking a week.
	tb.bookingRefused(t, withSession(book("guest-8", guestRoom, "p1", local(1, 10, 0), local(2, 10, 0)), karen), ResultTooMany)
	tb.clock.Set(local(1, 14, 0)) // a day before: still allowed (1440 minutes)
	tb.bookingOK(t, withSession(cancelReq("guest-9", got.ID, "p1"), tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})))
}

// TestBookingRace sends, fifty times, three bookings of overlapping times
// of one resource at the same moment: each time exactly one gets it.
func TestBookingRace(t *testing.T) {
	tb := startBackend(t)
	putBookable(t, tb, Bookable{ID: "bk-race", Name: "Cyklen", Pictogram: "bus", Slots: SlotsFree,
		GridMinutes: 30, MinMinutes: 30, MaxMinutes: 240, Open: "00:00-24:00"})
	post := func(req BookingRequest) (int, string, error) {
		data, err := json.Marshal(req)
		if err != nil {
			return 0, "", err
		}
		hr, err := http.NewRequest(http.MethodPost, tb.URL+bookingsPath, bytes.NewReader(data))
		if err != nil {
			return 0, "", err
		}
		hr.Header.Set("Authorization", "Bearer "+testToken)
		hr.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		var e struct{ Error string }
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, "", err
		}
		_ = json.Unmarshal(body, &e)
		return resp.StatusCode, e.Error, nil
	}
	const rounds, racers = 50, 3
	profiles := []string{"p1", "p2", "p3"}
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		gate := make(chan struct{})
		status := make([]int, racers)
		reason := make([]string, racers)
		errs := make([]error, racers)
		for g := 0; g < racers; g++ {
			// [0:00, 1:30), [0:30, 2:00), [1:00, 2:30) from the round's hour:
			// each overlaps both others.
			start := time.Date(2026, 11, 24, 3*round, 30*g, 0, 0, copenhagen)
			end := time.Date(2026, 11, 24, 3*round, 30*g+90, 0, 0, copenhagen)
			req := book(fmt.Sprintf("race-%02d-%d", round, g), "bk-race", profiles[g], start, end)
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				status[g], reason[g], errs[g] = post(req)
			}()
		}
		close(gate)
		wg.Wait()
		won := 0
		for g := 0; g < racers; g++ {
			switch {
			case errs[g] != nil:
				t.Fatalf("round %d racer %d: %v", round, g, errs[g])
			case status[g] == http.StatusOK:
				won++
			case status[g] != http.StatusConflict || reason[g] != ResultTaken:
				t.Errorf("round %d racer %d: %d %q, want 200 or 409 taken", round, g, status[g], reason[g])
			}
		}
		if won != 1 {
			t.Errorf("round %d: %d racers got the booking, want exactly one (%v %v)", round, won, status, reason)
		}
	}
	bookings, err := tb.admin.Bookings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var race []Booking
	for _, x := range bookings {
		if x.ResourceID == "bk-race" {
			race = append(race, x)
		}
	}
	if len(race) != rounds {
		t.Errorf("%d bookings stored, want %d", len(race), rounds)
	}
	for i, x := range race {
		for _, o := range race[i+1:] {
			if o.Start.Before(x.End) && x.Start.Before(o.End) {
				t.Errorf("stored bookings %s and %s overlap", x.ID, o.ID)
			}
		}
	}
}

// TestBookingBadBodies: malformed bodies are 400 (or 415 for another
// type), never a 500, and are not recorded; a fuzzed body never makes the
// backend fail.
func TestBookingBadBodies(t *testing.T) {
	tb := startBackend(t)
	good := `{"id":"x1","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00","at":"2026-11-23T10:00:00+01:00"}`
	for _, body := range []string{
		`{"action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"` + strings.Repeat("x", 129) + `","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"borrow","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T09:00:00+01:00","end":"2026-11-24T07:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T09:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"tomorrow at seven","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24 07:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00","at":"yesterday"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p999","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p30","start":"2026-11-24T07:00:00+01:00","end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"cancel","profile_id":"p1"}`,
		`{"id":"x","action":"cancel","booking_id":"b1"}`,
		`{"id":7,"action":"book"}`,
		`{"id":"x","action":["book"]}`,
		`{"id":"x","action":"book","resource_id":"bk-d1-vask","profile_id":"p1","start":20261124,"end":"2026-11-24T09:00:00+01:00"}`,
		`{"id":"x","action":"book","resource_id":null,"profile_id":"p1"}`,
		`null`, `""`, `[]`, `42`, `{`, `{"id":`, `{"id":"x"} {"id":"y"}`, "\x00\x01\x02", ``,
	} {
		r := do(t, http.MethodPost, tb.URL+bookingsPath, testToken, strings.NewReader(body), "Content-Type", "application/json")
		wantJSONError(t, r, http.StatusBadRequest, "")
	}
	wantJSONError(t, do(t, http.MethodPost, tb.URL+bookingsPath, testToken, strings.NewReader(good), "Content-Type", "text/plain"), http.StatusUnsupportedMediaType, "")
	wantJSONError(t, do(t, http.MethodPost, tb.URL+bookingsPath, "", strings.NewReader(good)), http.StatusUnauthorized, "unauthorized")
	wantJSONError(t, do(t, http.MethodPost, tb.URL+bookingsPath, testToken, strings.NewReader(`{"id":"`+strings.Repeat("x", 70<<10)+`"}`), "Content-Type", "application/json"), http.StatusRequestEntityTooLarge, "")
	if recs, _ := tb.admin.BookingRequests(context.Background()); len(recs) != 0 {
		t.Fatalf("bad requests were recorded: %+v", recs)
	}

	// Fuzz: every cut of a good body, and bytes changed at random; the
	// answer is always JSON and never a server error.
	rng := rand.New(rand.NewPCG(1, 2))
	var bodies []string
	for i := 0; i < len(good); i += 3 {
		bodies = append(bodies, good[:i])
	}
	for i := 0; i < 150; i++ {
		b := []byte(strings.Replace(good, `"x1"`, fmt.Sprintf(`"fuzz-%d"`, i), 1))
		for k := 0; k < 1+rng.IntN(3); k++ {
			const junk = " {}[]\":,0123456789-+TZax\x00\xff"
			b[rng.IntN(len(b))] = junk[rng.IntN(len(junk))]
		}
		bodies = append(bodies, string(b))
	}
	for _, body := range bodies {
		r := do(t, http.MethodPost, tb.URL+bookingsPath, testToken, strings.NewReader(body), "Content-Type", "application/json")
		if r.status >= 500 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("body %q: %d %s", body, r.status, r.body)
		}
		if r.status != http.StatusOK {
			wantJSONError(t, r, r.status, "")
		}
	}
}

// TestBookingAdminBookables: staff create, edit and delete bookables
// through the admin API, which refuses rules that make no sense; a booking
// staff store by name counts for its bookable.
func TestBookingAdminBookables(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	base := Bookable{ID: "bk-sauna", Name: "Saunaen", Pictogram: "bed", Slots: SlotsFixed, SlotTimes: []string{"18:00-19:00", "19:00-20:00"},
		Open: "18:00-20:00", MaxAheadDays: 7, MaxPerWeek: 1, CancelUntilMinutes: 30, DepartmentID: "d1"}
	for _, bad := range []func(*Bookable){
		func(x *Bookable) { x.Name = "" },
		func(x *Bookable) { x.Slots = "sometimes" },
		func(x *Bookable) { x.SlotTimes = nil },
		func(x *Bookable) { x.SlotTimes = []string{"18-19"} },
		func(x *Bookable) { x.SlotTimes = []string{"19:00-18:00"} },
		func(x *Bookable) { x.SlotTimes = []string{"17:00-18:00"} }, // outside open
		func(x *Bookable) { x.SlotTimes = []string{"18:00-18:60"} },
		func(x *Bookable) { x.Open = "" },
		func(x *Bookable) { x.Open = "20:00-18:00" },
		func(x *Bookable) { x.Open = "00:00-24:30" },
		func(x *Bookable) { x.MaxPerWeek = -1 },
		func(x *Bookable) { x.Slots, x.SlotTimes = SlotsFree, nil },                                     // no grid
		func(x *Bookable) { x.Slots, x.SlotTimes, x.GridMinutes, x.MaxMinutes = SlotsFree, nil, 30, 0 }, // no length
		func(x *Bookable) {
			x.Slots, x.SlotTimes, x.GridMinutes, x.MinMinutes, x.MaxMinutes = SlotsFree, nil, 30, 90, 60
		},
		func(x *Bookable) { x.Slots, x.GridMinutes, x.MaxMinutes = SlotsFree, 30, 60 }, // slot times on a free one
		func(x *Bookable) { x.DepartmentID = "d9" },
	} {
		x := base
		x.SlotTimes = slices.Clone(base.SlotTimes)
		bad(&x)
		err := tb.admin.PutBookable(ctx, x)
		var ae *APIError
		if !asAPIError(err, &ae) || ae.Status != http.StatusBadRequest {
			t.Errorf("put %+v: %v, want 400", x, err)
		}
	}
	if err := tb.admin.PutBookable(ctx, base); err != nil {
		t.Fatal(err)
	}
	b, _ := tb.board(t)
	if !slices.ContainsFunc(b.Bookables, func(x Bookable) bool { return x.ID == "bk-sauna" && x.Name == "Saunaen" }) {
		t.Fatalf("the new bookable is not on the board: %+v", b.Bookables)
	}
	list, err := tb.admin.Bookables(ctx)
	if err != nil || len(list) != 7 {
		t.Fatalf("bookables %d (%v), want the demo's six and the sauna", len(list), err)
	}
	// Renamed: the board's bookings of it say the new name.
	tb.bookingOK(t, book("sauna-1", "bk-sauna", "p1", local(1, 18, 0), local(1, 19, 0)))
	base.Name = "Saunaen ved søen"
	if err := tb.admin.PutBookable(ctx, base); err != nil {
		t.Fatal(err)
	}
	b, _ = tb.board(t)
	if !slices.ContainsFunc(b.Bookings, func(x Booking) bool { return x.ResourceID == "bk-sauna" && x.Resource == "Saunaen ved søen" }) {
		t.Error("a booking does not carry its bookable's new name")
	}

	// A booking staff stored by name gets its resource_id and takes its slot.
	err = tb.admin.Put(ctx, "bookings", "b-staff", Booking{Resource: "Vaskeriet", Start: local(5, 11, 0), End: local(5, 13, 0), ProfileID: "p2", DepartmentID: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = tb.board(t)
	if x, ok := bookingOnBoard(b, "b-staff"); !ok || x.ResourceID != laundry {
		t.Errorf("staff booking on the board: %+v", x)
	}
	tb.bookingRefused(t, book("after-staff", laundry, "p1", local(5, 11, 0), local(5, 13, 0)), ResultTaken)

	if err := tb.admin.Put(ctx, "bookings", "b-empty", Booking{Start: local(5, 11, 0), End: local(5, 13, 0), DepartmentID: "d1"}); err == nil {
		t.Error("a booking of no resource was stored")
	}
	if err := tb.admin.do(ctx, http.MethodDelete, "/admin/v1/bookables/bk-sauna", nil, nil); err != nil {
		t.Fatal(err)
	}
	b, _ = tb.board(t)
	if slices.ContainsFunc(b.Bookables, func(x Bookable) bool { return x.ID == "bk-sauna" }) {
		t.Error("a deleted bookable is still on the board")
	}
	tb.bookingRefused(t, book("sauna-2", "bk-sauna", "p1", local(2, 18, 0), local(2, 19, 0)), ResultUnknownResource)
}
