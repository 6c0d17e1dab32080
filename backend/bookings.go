package backend

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Booking on the screen (Screen API v1.2): a resident books the laundry,
// the minibus or the guest room on a screen, within the rules of the
// Bookable. Every rule is read in the department's time zone, wall-clock
// times are made with time.Date in that zone (so a slot on a
// daylight-saving day is as long as the clock says), and the check and the
// insert happen in one write batch under the state lock: of two screens
// asking for overlapping times at once, one gets the booking and the other
// "taken".

const minutesPerDay = 24 * 60

// errBookingIDReused is a request id sent again for another booking or
// cancellation: a client bug, answered 400.
var errBookingIDReused = errors.New("booking request id already used for a different request")

// daySpan is "HH:MM-HH:MM" as minutes from local midnight, from < to.
type daySpan struct{ from, to int }

func (d daySpan) wholeDay() bool { return d.from == 0 && d.to == minutesPerDay }

// parseDaySpan reads "HH:MM-HH:MM" within one day ("24:00" ends it).
func parseDaySpan(s string) (daySpan, error) {
	a, b, ok := strings.Cut(s, "-")
	from, err1 := parseClock(a)
	to, err2 := parseClock(b)
	if !ok || err1 != nil || err2 != nil || from >= minutesPerDay || to <= from {
		return daySpan{}, fmt.Errorf("%q is not HH:MM-HH:MM with the end after the start on the same day", s)
	}
	return daySpan{from, to}, nil
}

// parseClock reads "HH:MM" (00:00 to 24:00) as minutes from midnight.
func parseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' || !allDigits(s[:2]) || !allDigits(s[3:]) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, nil
}

// onDay is minute m of the local day that holds day (in day's location):
// the wall clock, never a duration added to midnight. Minute 1440 is the
// next midnight.
func onDay(day time.Time, m int) time.Time {
	y, mo, d := day.Date()
	return time.Date(y, mo, d, m/60, m%60, 0, 0, day.Location())
}

// weekOf is the local Monday-to-Sunday week that holds t: [monday, next
// monday).
func weekOf(t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	y, m, d := l.Date()
	back := (int(l.Weekday()) + 6) % 7
	return time.Date(y, m, d-back, 0, 0, 0, 0, loc), time.Date(y, m, d-back+7, 0, 0, 0, 0, loc)
}

// fits reports whether start-end is a time the rules of x let be booked:
// for a fixed resource one of its slots on the local day of start, for a
// free one a span on the grid, between the lengths (real time) and inside
// the opening hours of one day (or anywhere when open all day).
func (x Bookable) fits(start, end time.Time, loc *time.Location) bool {
	ls, le := start.In(loc), end.In(loc)
	if !end.After(start) {
		return false
	}
	if x.Slots == SlotsFixed {
		for _, st := range x.SlotTimes {
			sp, err := parseDaySpan(st)
			if err == nil && start.Equal(onDay(ls, sp.from)) && end.Equal(onDay(ls, sp.to)) {
				return true
			}
		}
		return false
	}
	if x.GridMinutes <= 0 {
		return false
	}
	onGrid := func(t time.Time) bool {
		return t.Second() == 0 && t.Nanosecond() == 0 && (t.Hour()*60+t.Minute())%x.GridMinutes == 0
	}
	length := end.Sub(start)
	if !onGrid(ls) || !onGrid(le) || length < time.Duration(x.MinMinutes)*time.Minute || length > time.Duration(x.MaxMinutes)*time.Minute {
		return false
	}
	open, err := parseDaySpan(x.Open)
	if err != nil {
		return false
	}
	if open.wholeDay() {
		return true
	}
	return !start.Before(onDay(ls, open.from)) && !end.After(onDay(ls, open.to))
}

// bookableOf is the bookable a booking is of: by resource_id, or for a
// booking staff stored by name only, the department's bookable of that
// name.
func (st *state) bookableOf(x Booking) (Bookable, bool) {
	if x.ResourceID != "" {
		r, ok := st.bookables.rows[x.ResourceID]
		return r, ok && r.DepartmentID == x.DepartmentID
	}
	for _, r := range st.bookables.sorted() {
		if r.DepartmentID == x.DepartmentID && r.Name == x.Resource {
			return r, true
		}
	}
	return Bookable{}, false
}

// resolved is x with both the name and the id of its bookable, when it has
// one.
func (st *state) resolved(x Booking) Booking {
	if r, ok := st.bookableOf(x); ok {
		x.ResourceID, x.Resource = r.ID, r.Name
	}
	return x
}

func answerOf(x Booking) *BookingAnswer {
	return &BookingAnswer{ID: x.ID, ResourceID: x.ResourceID, Start: x.Start, End: x.End, ProfileID: x.ProfileID}
}

func (req BookingRequest) check() error {
	switch {
	case req.ID == "" || len(req.ID) > 128:
		return invalid("id is required (at most 128 characters)")
	case req.ProfileID == "" || len(req.ProfileID) > 128:
		return invalid("profile_id is required")
	}
	switch req.Action {
	case ActionBook:
		switch {
		case req.ResourceID == "" || len(req.ResourceID) > 128:
			return invalid("resource_id is required")
		case req.Start.IsZero() || req.End.IsZero():
			return invalid("start and end are required")
		case !req.End.After(req.Start):
			return invalid("end %s is not after start %s", req.End.Format(time.RFC3339), req.Start.Format(time.RFC3339))
		}
	case ActionCancel:
		if req.BookingID == "" || len(req.BookingID) > 128 {
			return invalid("booking_id is required")
		}
	default:
		return invalid("action %q is not book or cancel", req.Action)
	}
	return nil
}

// same reports whether req asks what the recorded request asked.
func (rec BookingRecord) same(req BookingRequest, dept string) bool {
	return rec.DepartmentID == dept && rec.Action == req.Action && rec.ResourceID == req.ResourceID &&
		rec.BookingID == req.BookingID && rec.ProfileID == req.ProfileID &&
		rec.Start.Equal(req.Start) && rec.End.Equal(req.End)
}

var bookingMessages = map[string]string{
	ResultTaken:           "another booking overlaps this time",
	ResultOutsideHours:    "this time is not one the resource can be booked for",
	ResultTooMany:         "this person has all the bookings of this resource the week allows",
	ResultTooFarAhead:     "this day is too far ahead to book",
	ResultTooLateToCancel: "it is too late to cancel this booking",
	ResultLoginRequired:   "this resource is booked only by someone logged in on the screen",
	ResultUnknownResource: "no such resource in this department",
	ResultUnknownBooking:  "no such booking in this department",
	ResultNotYours:        "the booking belongs to someone else",
	ResultClosed:          "this time has already begun",
}

func (s *Server) handleBooking(w http.ResponseWriter, r *http.Request, sc screen) {
	var req BookingRequest
	if !decodeJSON(w, r, maxJSONBody, &req, false) {
		return
	}
	if err := req.check(); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	if req.Session == "" {
		req.Session = r.Header.Get(sessionHeader)
	}
	// Read before the state lock: a session lookup takes the login lock
	// first, as a login does.
	by := s.sessionProfile(sc, req.Session)
	req.Session = ""
	rec, err := s.booking(sc, req, by)
	switch {
	case errors.Is(err, errBookingIDReused), isInvalid(err):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	case err != nil:
		s.log.Error("booking", "id", req.ID, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the booking")
		return
	}
	s.log.Info("booking", "id", req.ID, "action", req.Action, "resource", req.ResourceID, "booking", req.BookingID,
		"profile", req.ProfileID, "result", rec.Result, "received", rec.Received)
	switch rec.Result {
	case ResultBooked, ResultCancelled:
		writeJSON(w, http.StatusOK, map[string]*BookingAnswer{"booking": rec.Booking})
	default:
		writeError(w, http.StatusConflict, rec.Result, bookingMessages[rec.Result])
	}
}

// booking applies req once per id; a repeated id gets the first answer
// again and changes nothing. by is the profile of the request's session,
// "" without one.
func (s *Server) booking(sc screen, req BookingRequest, by string) (BookingRecord, error) {
	var rec BookingRecord
	err := s.update("booking", func(b *batch) error {
		now := s.clock.Now()
		if v := b.tx.Bucket(bucketBookingReqs).Get([]byte(req.ID)); v != nil {
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode booking request %s: %w", req.ID, err)
			}
			if !rec.same(req, sc.dept) {
				return fmt.Errorf("%w: %s", errBookingIDReused, req.ID)
			}
			rec.Received++
			rec.LastReceived = now
			return b.putJSON(bucketBookingReqs, req.ID, rec)
		}
		rec = BookingRecord{BookingRequest: req, DepartmentID: sc.dept, ScreenID: sc.id, SessionOf: by, Received: 1, FirstReceived: now, LastReceived: now}
		var err error
		if req.Action == ActionBook {
			rec.Result, rec.Booking, err = s.applyBook(b, sc.dept, req, by, now)
		} else {
			rec.Result, rec.Booking, err = s.applyCancel(b, sc.dept, req, by, now)
		}
		if err != nil {
			return err
		}
		return b.putJSON(bucketBookingReqs, req.ID, rec)
	})
	return rec, err
}

// applyBook checks a booking against the rules and stores it. The checks
// run in this order: unknown_resource, (an unknown profile is a bad
// request), login_required, outside_hours, closed, too_far_ahead, taken,
// too_many. The caller holds the state lock inside a write batch.
func (s *Server) applyBook(b *batch, dept string, req BookingRequest, by string, now time.Time) (string, *BookingAnswer, error) {
	st := s.st
	x, ok := st.bookables.rows[req.ResourceID]
	if !ok || x.DepartmentID != dept {
		return ResultUnknownResource, nil, nil
	}
	p, ok := st.profiles.rows[req.ProfileID]
	if !ok || p.Kind != KindExternal && p.DepartmentID != dept {
		return "", nil, invalid("no person %q in this department", req.ProfileID)
	}
	// Only a resident logged in on this screen books a bookable that needs
	// a login.
	if x.LoginRequired && (by != req.ProfileID || p.Kind != KindResident) {
		return ResultLoginRequired, nil, nil
	}
	loc := location(st.departments.rows[dept])
	start, end := req.Start.In(loc), req.End.In(loc)
	if !x.fits(start, end, loc) {
		return ResultOutsideHours, nil, nil
	}
	if !now.Before(start) {
		return ResultClosed, nil, nil
	}
	if x.MaxAheadDays > 0 {
		y, m, d := now.In(loc).Date()
		if !start.Before(time.Date(y, m, d+x.MaxAheadDays+1, 0, 0, 0, 0, loc)) {
			return ResultTooFarAhead, nil, nil
		}
	}
	weekFrom, weekTo := weekOf(start, loc)
	taken, mine := false, 0
	for _, o := range st.bookings.rows {
		if r, ok := st.bookableOf(o); !ok || r.ID != x.ID {
			continue
		}
		taken = taken || o.Start.Before(end) && start.Before(o.End)
		if o.ProfileID == req.ProfileID && !o.Start.Before(weekFrom) && o.Start.Before(weekTo) {
			mine++
		}
	}
	if taken {
		return ResultTaken, nil, nil
	}
	if x.MaxPerWeek > 0 && mine >= x.MaxPerWeek {
		return ResultTooMany, nil, nil
	}
	bk := Booking{ID: newBookingID(st, dept, req.ID), Resource: x.Name, ResourceID: x.ID, Start: start, End: end,
		ProfileID: req.ProfileID, DepartmentID: dept}
	if err := put(b, st.bookings, bk); err != nil {
		return "", nil, err
	}
	return ResultBooked, answerOf(bk), nil
}

// newBookingID names a booking made on a screen after the screen's request
// id, so the same request always names the same booking.
func newBookingID(st *state, dept, requestID string) string {
	sum := sha256.Sum256([]byte(dept + "\x00" + requestID))
	base := "b-" + hex.EncodeToString(sum[:6])
	id := base
	for n := 2; ; n++ {
		if _, taken := st.bookings.rows[id]; !taken {
			return id
		}
		id = fmt.Sprintf("%s-%d", base, n)
	}
}

// applyCancel removes a booking of the asking profile. The checks run in
// this order: unknown_booking, not_yours, login_required,
// too_late_to_cancel. A booking of no known bookable has no rules.
func (s *Server) applyCancel(b *batch, dept string, req BookingRequest, by string, now time.Time) (string, *BookingAnswer, error) {
	st := s.st
	bk, ok := st.bookings.rows[req.BookingID]
	if !ok || bk.DepartmentID != dept {
		return ResultUnknownBooking, nil, nil
	}
	if bk.ProfileID != req.ProfileID {
		return ResultNotYours, nil, nil
	}
	x, _ := st.bookableOf(bk)
	if x.LoginRequired && by != req.ProfileID {
		return ResultLoginRequired, nil, nil
	}
	if now.After(bk.Start.Add(-time.Duration(x.CancelUntilMinutes) * time.Minute)) {
		return ResultTooLateToCancel, nil, nil
	}
	if err := del(b, st.bookings, bk.ID); err != nil {
		return "", nil, err
	}
	return ResultCancelled, answerOf(st.resolved(bk)), nil
}

// bookingRecords lists every booking request received, oldest first.
func (s *Server) bookingRecords() ([]BookingRecord, error) {
	out := []BookingRecord{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketBookingReqs).ForEach(func(k, v []byte) error {
			var rec BookingRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode booking request %s: %w", k, err)
			}
			out = append(out, rec)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b BookingRecord) int {
		if c := a.FirstReceived.Compare(b.FirstReceived); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, err
}

func (s *Server) adminBookingRequests(w http.ResponseWriter, r *http.Request) {
	recs, err := s.bookingRecords()
	if err != nil {
		s.log.Error("list booking requests", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not read booking requests")
		return
	}
	writeJSON(w, http.StatusOK, recs)
}
