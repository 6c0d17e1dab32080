package sync

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"skaerm/board"
)

// The department's bookables in the tests: the laundry (fixed slots) and
// the minibus (free, on a half-hour grid), as the contract's example.
const (
	laundry = `{"id": "r1", "name": "Vaskeriet", "pictogram": "laundry", "slots": "fixed",
		"slot_times": ["07:00-09:00", "09:00-11:00", "11:00-13:00", "13:00-15:00", "15:00-17:00", "17:00-19:00"],
		"open": "07:00-22:00", "max_ahead_days": 14, "max_per_week": 2, "cancel_until_minutes": 60, "login_required": false}`
	minibus = `{"id": "r2", "name": "Minibussen", "pictogram": "bus", "slots": "free",
		"grid_minutes": 30, "min_minutes": 30, "max_minutes": 180, "open": "07:00-22:00", "max_ahead_days": 14,
		"cancel_until_minutes": 120, "login_required": true}`
	// b1 is Karen's laundry slot tomorrow, 13:00-15:00.
	laundryBooking = `{"id": "b1", "resource": "Vaskeriet", "resource_id": "r1", "start": "2026-11-24T13:00:00+01:00",
		"end": "2026-11-24T15:00:00+01:00", "profile_id": "p1"}`
)

// bookingAt is a booking JSON of resource on 24 November from..to (HH:MM).
func bookingAt(id, resource, from, to, profile string) string {
	return fmt.Sprintf(`{"id": %q, "resource": "Vaskeriet", "resource_id": %q, "start": "2026-11-24T%s:00+01:00", "end": "2026-11-24T%s:00+01:00", "profile_id": %q}`,
		id, resource, from, to, profile)
}

// bookDoc is a board with Karen (p1), a hidden resident (h1), an activity,
// the laundry and the minibus with more bookables, and b1 with more
// bookings.
func bookDoc(bookables, bookings []string) string {
	return doc(prof("p1", "Karen")+`,{"id": "h1", "kind": "resident", "first_name": "Hiddenname", "visible_on_screen": false}`,
		`"activities": [`+act("a1", "p1")+`]`,
		`"bookables": [`+strings.Join(append([]string{laundry, minibus}, bookables...), ",")+`]`,
		`"bookings": [`+strings.Join(append([]string{laundryBooking}, bookings...), ",")+`]`)
}

// fixed is a fixed bookable with the given open hours and slot times.
func fixed(id, open string, slots ...string) string {
	b, _ := json.Marshal(slots)
	return fmt.Sprintf(`{"id": %q, "name": "Gæsteværelset", "slots": "fixed", "slot_times": %s, "open": %q, "max_ahead_days": 14}`, id, b, open)
}

// free is a free bookable with the given grid, lengths and open hours.
func free(id string, grid, minM, maxM int, open string) string {
	return fmt.Sprintf(`{"id": %q, "name": "Cykel", "slots": "free", "grid_minutes": %d, "min_minutes": %d, "max_minutes": %d, "open": %q, "max_ahead_days": 14}`,
		id, grid, minM, maxM, open)
}

func bookableIDs(b *board.Board) string {
	var out []string
	for _, r := range b.Bookables {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

// bookingIDs lists the bookings as id:resource_id, in the board's order.
func bookingIDs(b *board.Board) string {
	var out []string
	for _, x := range b.Bookings {
		out = append(out, x.ID+":"+x.ResourceID)
	}
	return strings.Join(out, ",")
}

// hasNoteSaying reports whether a note on kind and id says says.
func hasNoteSaying(notes []note, kind, id, says string) bool {
	for _, n := range notes {
		if n.Kind == kind && n.ID == id && strings.Contains(n.Reason, says) {
			return true
		}
	}
	return false
}

func TestDecodeBookables(t *testing.T) {
	b, notes, _ := mustDecode(t, bookDoc(nil, nil))
	if len(notes) != 0 {
		t.Errorf("notes on a good board: %+v", notes)
	}
	want := []board.Bookable{{
		ID: "r1", Name: "Vaskeriet", Pictogram: "laundry", Slots: board.FixedSlots,
		SlotTimes: []board.ClockSpan{{From: 420, To: 540}, {From: 540, To: 660}, {From: 660, To: 780}, {From: 780, To: 900}, {From: 900, To: 1020}, {From: 1020, To: 1140}},
		Open:      board.ClockSpan{From: 420, To: 1320}, MaxAheadDays: 14, MaxPerWeek: 2, CancelUntilMinutes: 60,
	}, {
		ID: "r2", Name: "Minibussen", Pictogram: "bus", Slots: board.FreeSlots, GridMinutes: 30, MinMinutes: 30, MaxMinutes: 180,
		Open: board.ClockSpan{From: 420, To: 1320}, MaxAheadDays: 14, CancelUntilMinutes: 120, LoginRequired: true,
	}}
	if got, w := jsonOf(t, b.Bookables), jsonOf(t, want); got != w {
		t.Errorf("bookables\n got %s\nwant %s", got, w)
	}
	if x := b.Bookings[0]; x.ResourceID != "r1" || x.Resource != "Vaskeriet" || x.ProfileID != "p1" {
		t.Errorf("booking = %+v, want Karen's laundry booking of r1", x)
	}
}

// TestDecodeBookablesBadInput: each way a v1.2 board can break the
// contract costs only what is broken, with a note saying so; the rest of
// the board (Karen, the activity, the laundry, the minibus, b1) is kept.
func TestDecodeBookablesBadInput(t *testing.T) {
	many := make([]string, 2000)
	for i := range many {
		many[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", i/60%24, i%60, i/60%24, i%60+1)
	}
	tests := []struct {
		name                string
		bookables, bookings []string
		wantBookables       string // ids, in order
		wantBookings        string // id:resource_id, in order
		noteKind, noteID    string // the note the case must log
		noteSays            string
		check               func(t *testing.T, b *board.Board)
	}{
		{
			name:          "overlapping bookings of one bookable: the earlier start is kept",
			bookings:      []string{bookingAt("b2", "r1", "14:00", "16:00", "p1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "booking", noteID: "b2", noteSays: "overlaps booking b1",
		},
		{
			name:          "overlapping bookings: the earlier start wins though listed later",
			bookings:      []string{bookingAt("b9", "r1", "12:00", "13:30", "p1")},
			wantBookables: "r1,r2", wantBookings: "b9:r1",
			noteKind: "booking", noteID: "b1", noteSays: "overlaps booking b9",
		},
		{
			name:          "overlapping bookings starting together: the lower id is kept",
			bookings:      []string{bookingAt("b0", "r1", "13:00", "14:00", "h1")},
			wantBookables: "r1,r2", wantBookings: "b0:r1",
			noteKind: "booking", noteID: "b1", noteSays: "overlaps booking b0",
		},
		{
			name: "a chain: the middle one goes, the one after it stays",
			bookings: []string{bookingAt("b2", "r2", "09:00", "11:00", "p1"), bookingAt("b3", "r2", "10:00", "12:00", "p1"),
				bookingAt("b4", "r2", "11:00", "12:00", "p1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1,b2:r2,b4:r2",
			noteKind: "booking", noteID: "b3", noteSays: "overlaps booking b2",
		},
		{
			name:          "booking ends before it starts",
			bookings:      []string{bookingAt("b2", "r2", "12:00", "11:00", "p1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "booking", noteID: "b2", noteSays: "ends before or when it starts",
		},
		{
			name:          "booking ends when it starts (a plain one too)",
			bookings:      []string{bookingAt("b2", "", "12:00", "12:00", "p1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "booking", noteID: "b2", noteSays: "ends before or when it starts",
		},
		{
			name:          "resource_id naming no bookable: a plain booking",
			bookings:      []string{bookingAt("b2", "r77", "12:00", "13:00", "p1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1,b2:",
			noteKind: "booking", noteID: "b2", noteSays: "names no bookable",
		},
		{
			name:          "a slot time ending before it starts is dropped, the bookable kept",
			bookables:     []string{fixed("r3", "07:00-22:00", "09:00-08:00", "10:00-12:00")},
			wantBookables: "r1,r2,r3", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r3", noteSays: "slot_times[0]: ends before or when it starts",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r3"); len(r.SlotTimes) != 1 || r.SlotTimes[0] != (board.ClockSpan{From: 600, To: 720}) {
					t.Errorf("slot times %v, want 10:00-12:00 only", r.SlotTimes)
				}
			},
		},
		{
			name:          "grid_minutes 0 on a free bookable: dropped, its bookings stay plain",
			bookables:     []string{free("r4", 0, 30, 60, "07:00-22:00")},
			bookings:      []string{bookingAt("b5", "r4", "10:00", "11:00", "p1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1,b5:",
			noteKind: "bookable", noteID: "r4", noteSays: "grid_minutes must be above 0",
			check: func(t *testing.T, b *board.Board) {
				if x := b.Bookings[1]; x.Resource != "Vaskeriet" || x.ProfileID != "p1" {
					t.Errorf("plain booking %+v, want its resource name and Karen", x)
				}
			},
		},
		{
			name:          "negative grid_minutes",
			bookables:     []string{free("r4", -15, 30, 60, "07:00-22:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r4", noteSays: "grid_minutes must be above 0",
		},
		{
			name:          "slot times outside open are dropped",
			bookables:     []string{fixed("r5", "08:00-16:00", "07:00-09:00", "09:00-11:00", "15:00-17:00")},
			wantBookables: "r1,r2,r5", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r5", noteSays: "slot_times[0]: not inside open",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r5"); len(r.SlotTimes) != 1 {
					t.Errorf("slot times %v, want 09:00-11:00 only", r.SlotTimes)
				}
			},
		},
		{
			name:          "a fixed bookable with no usable slot time left is dropped",
			bookables:     []string{fixed("r6", "07:00-22:00", "7:00-9:00", "09:00-11:60", "24:00-24:00", "Karen's-time", "06:00-08:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r6", noteSays: "no usable slot_times",
		},
		{
			name:          "a fixed bookable without slot times",
			bookables:     []string{fixed("r6", "07:00-22:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r6", noteSays: "no usable slot_times",
		},
		{
			name:          "overlapping slot times: the later one is dropped",
			bookables:     []string{fixed("r3", "07:00-22:00", "10:00-12:00", "08:00-10:00", "09:00-11:00")},
			wantBookables: "r1,r2,r3", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r3", noteSays: "slot_times[2]: overlaps another slot",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r3"); jsonOf(t, r.SlotTimes) != `[{"from":480,"to":600},{"from":600,"to":720}]` {
					t.Errorf("slot times %v, want 08:00-10:00 and 10:00-12:00, in order", r.SlotTimes)
				}
			},
		},
		{
			name:          "24:00 is an end",
			bookables:     []string{fixed("r3", "00:00-24:00", "22:00-24:00", "00:00-02:00")},
			wantBookables: "r1,r2,r3", wantBookings: "b1:r1",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r3"); !r.AllDay() || jsonOf(t, r.SlotTimes) != `[{"from":0,"to":120},{"from":1320,"to":1440}]` {
					t.Errorf("bookable %+v, want open around the clock with 00:00-02:00 and 22:00-24:00", r)
				}
			},
		},
		{
			name:          "2000 slot times: refused",
			bookables:     []string{fixed("r7", "00:00-24:00", many...)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r7", noteSays: "more than the 96 a day",
		},
		{
			name:          "a one-minute grid around the clock: refused",
			bookables:     []string{free("r8", 1, 1, 60, "00:00-24:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r8", noteSays: "makes 1440 slots a day",
		},
		{
			name:          "a 15-minute grid around the clock is the bound, kept",
			bookables:     []string{free("r8", 15, 15, 60, "00:00-24:00")},
			wantBookables: "r1,r2,r8", wantBookings: "b1:r1",
		},
		{
			name:          "unknown slots value",
			bookables:     []string{strings.Replace(free("r9", 30, 30, 60, "07:00-22:00"), `"free"`, `"hourly"`, 1)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "neither fixed nor free",
		},
		{
			name:          "min_minutes above max_minutes",
			bookables:     []string{free("r9", 30, 120, 60, "07:00-22:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "min_minutes is above max_minutes",
		},
		{
			name:          "min_minutes missing",
			bookables:     []string{free("r9", 30, 0, 60, "07:00-22:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "min_minutes must be above 0",
		},
		{
			name:          "max_minutes beyond a week is cut to a week",
			bookables:     []string{free("r9", 60, 60, 1_000_000_000, "00:00-24:00")},
			wantBookables: "r1,r2,r9", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "max_minutes cut to 10080",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r9"); r.MaxMinutes != maxBookingMinutes {
					t.Errorf("max_minutes %d", r.MaxMinutes)
				}
			},
		},
		{
			name:          "max_ahead_days below 0",
			bookables:     []string{strings.Replace(free("r9", 30, 30, 60, "07:00-22:00"), `"max_ahead_days": 14`, `"max_ahead_days": -1`, 1)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "max_ahead_days is below 0",
		},
		{
			name:          "max_ahead_days beyond the screen's days is kept (the screen offers its own days)",
			bookables:     []string{strings.Replace(free("r9", 30, 30, 60, "07:00-22:00"), `"max_ahead_days": 14`, `"max_ahead_days": 365`, 1)},
			wantBookables: "r1,r2,r9", wantBookings: "b1:r1",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r9"); r.MaxAheadDays != 365 || board.LastBookableDay(r) != board.DaysAhead {
					t.Errorf("max_ahead_days %d, last bookable day %d", r.MaxAheadDays, board.LastBookableDay(r))
				}
			},
		},
		{
			name:          "negative cancel_until_minutes",
			bookables:     []string{strings.Replace(laundry, `"r1"`, `"r9"`, 1), strings.Replace(strings.Replace(laundry, `"r1"`, `"r10"`, 1), `"cancel_until_minutes": 60`, `"cancel_until_minutes": -60`, 1)},
			wantBookables: "r1,r2,r9", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r10", noteSays: "cancel_until_minutes is below 0",
		},
		{
			name:          "open malformed, and never quoted",
			bookables:     []string{strings.Replace(free("r9", 30, 30, 60, "07:00-22:00"), `"07:00-22:00"`, `"Karens tid"`, 1)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "open: not HH:MM-HH:MM",
		},
		{
			name:          "open that ends before it starts",
			bookables:     []string{free("r9", 30, 30, 60, "22:00-07:00")},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "open: ends before or when it starts",
		},
		{
			name:          "a field of the wrong type costs only its bookable",
			bookables:     []string{`{"id": "r9", "name": "Cykel", "slots": "free", "grid_minutes": "thirty", "open": "07:00-22:00"}`},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: `field "grid_minutes" has the wrong type`,
		},
		{
			name:          "a bookable that is not an object",
			bookables:     []string{`"Vaskeriet"`, `null`},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "", noteSays: "bookables[2]",
		},
		{
			name:          "no name",
			bookables:     []string{strings.Replace(free("r9", 30, 30, 60, "07:00-22:00"), `"Cykel"`, `" \u0007 "`, 1)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r9", noteSays: "no name",
		},
		{
			name:          "duplicate id: the first is kept",
			bookables:     []string{strings.Replace(minibus, `"Minibussen"`, `"Second"`, 1)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "r2", noteSays: "duplicate id",
			check: func(t *testing.T, b *board.Board) {
				if r, _ := b.Bookable("r2"); r.Name != "Minibussen" {
					t.Errorf("name %q, want the first", r.Name)
				}
			},
		},
		{
			name:          "an id with a control character",
			bookables:     []string{strings.Replace(free("rX", 30, 30, 60, "07:00-22:00"), `"rX"`, `"r\u00009"`, 1)},
			wantBookables: "r1,r2", wantBookings: "b1:r1",
			noteKind: "bookable", noteID: "", noteSays: "no usable id",
		},
		{
			name:          "names and pictograms bounded as other titles",
			bookables:     []string{strings.Replace(strings.Replace(free("r9", 30, 30, 60, "07:00-22:00"), `"Cykel"`, `"`+strings.Repeat("Cykel ", 100)+`"`, 1), `"slots"`, `"pictogram": "../../etc/passwd", "slots"`, 1)},
			wantBookables: "r1,r2,r9", wantBookings: "b1:r1",
			check: func(t *testing.T, b *board.Board) {
				r, _ := b.Bookable("r9")
				if n := utf8.RuneCountInString(r.Name); n > maxTitleRunes || !strings.HasSuffix(r.Name, "…") || r.Pictogram != "" {
					t.Errorf("name of %d runes (%q), pictogram %q", n, r.Name[len(r.Name)-8:], r.Pictogram)
				}
			},
		},
		{
			name:          "a booking of a bookable by a hidden profile: taken, by nobody named",
			bookings:      []string{bookingAt("b2", "r2", "09:00", "11:00", "h1")},
			wantBookables: "r1,r2", wantBookings: "b1:r1,b2:r2",
			check: func(t *testing.T, b *board.Board) {
				if x := b.Bookings[1]; x.ProfileID != "" {
					t.Errorf("booking %+v names its hidden booker", x)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, notes, _ := mustDecode(t, bookDoc(tt.bookables, tt.bookings))
			if len(b.Activities) != 1 || len(b.Profiles) != 1 || names(b)["p1"] != "Karen" {
				t.Errorf("the rest of the board was lost: activities %v, profiles %v", b.Activities, b.Profiles)
			}
			if got := bookableIDs(b); got != tt.wantBookables {
				t.Errorf("bookables %s, want %s", got, tt.wantBookables)
			}
			if got := bookingIDs(b); got != tt.wantBookings {
				t.Errorf("bookings %s, want %s", got, tt.wantBookings)
			}
			if tt.noteSays == "" {
				if len(notes) != 0 {
					t.Errorf("notes %+v, want none", notes)
				}
			} else if !hasNoteSaying(notes, tt.noteKind, tt.noteID, tt.noteSays) {
				t.Errorf("notes %+v, want one on %s %q saying %q", notes, tt.noteKind, tt.noteID, tt.noteSays)
			}
			out := jsonOf(t, notes)
			for _, leak := range []string{"Karen", "Hiddenname", "hourly", "thirty", "passwd"} {
				if strings.Contains(out, leak) {
					t.Errorf("a note quotes the document (%q): %s", leak, out)
				}
			}
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}

// TestDecodeBookablesNotAList: a bookables member that is not a list costs
// the bookables only; the bookings stay, as plain ones.
func TestDecodeBookablesNotAList(t *testing.T) {
	d := strings.Replace(bookDoc(nil, nil), `"bookables": [`, `"bookables": {"list": [`, 1)
	d = strings.Replace(d, `],`+"\n"+`"bookings"`, `]},`+"\n"+`"bookings"`, 1)
	b, notes, st := mustDecode(t, d)
	if len(b.Bookables) != 0 || bookingIDs(b) != "b1:" || len(b.Activities) != 1 {
		t.Errorf("bookables %v, bookings %s, activities %d", b.Bookables, bookingIDs(b), len(b.Activities))
	}
	if !hasNoteSaying(notes, "bookable", "", "none kept") || st.DroppedItems != 1 {
		t.Errorf("notes %+v (dropped %d), want one on the bookables", notes, st.DroppedItems)
	}
}

// TestDecodeBookablesOnlyWhenOffered: from a backend that does not offer
// bookables, a board's bookables are not kept and its bookings are plain.
func TestDecodeBookablesOnlyWhenOffered(t *testing.T) {
	b, notes, _, err := decodeWith(strings.NewReader(bookDoc(nil, nil)), decodeOptions{Weather: true, Audio: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Bookables) != 0 || bookingIDs(b) != "b1:" || b.Bookings[0].Resource != "Vaskeriet" {
		t.Errorf("bookables %v, bookings %s: want none and a plain booking", b.Bookables, bookingIDs(b))
	}
	if len(notes) != 0 {
		t.Errorf("notes %+v: a backend that offers no bookables breaks no rule", notes)
	}
}

// TestDecodeBookablesKeepOnlyTheContract: fields a backend adds to a
// bookable or a booking are not kept.
func TestDecodeBookablesKeepOnlyTheContract(t *testing.T) {
	d := bookDoc([]string{strings.Replace(fixed("r3", "07:00-22:00", "10:00-12:00"), `"slots"`,
		`"notes": "PRIVATCANARY-bookable", "grid_minutes": 15, "owner": {"name": "Canaryowner"}, "slots"`, 1)},
		[]string{strings.Replace(bookingAt("b2", "r3", "10:00", "12:00", "h1"), `"profile_id"`,
			`"booked_by": "Canarybooker", "comment": "PRIVATCANARY-booking", "profile_id"`, 1)})
	b, _, _ := mustDecode(t, d)
	if r, ok := b.Bookable("r3"); !ok || r.GridMinutes != 0 {
		t.Errorf("r3 = %+v, want it kept without a grid (it is fixed)", r)
	}
	out := jsonOf(t, b)
	for _, leak := range []string{"PRIVATCANARY", "Canaryowner", "Canarybooker", "h1", "Hiddenname"} {
		if strings.Contains(out, leak) {
			t.Errorf("the board keeps %q: %s", leak, out)
		}
	}
	keys := func(v any) []string {
		var m map[string]any
		json.Unmarshal([]byte(jsonOf(t, v)), &m)
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	allowed := map[string]bool{"id": true, "name": true, "pictogram": true, "slots": true, "slot_times": true,
		"grid_minutes": true, "min_minutes": true, "max_minutes": true, "open": true, "max_ahead_days": true,
		"max_per_week": true, "cancel_until_minutes": true, "login_required": true}
	for _, r := range b.Bookables {
		for _, k := range keys(r) {
			if !allowed[k] {
				t.Errorf("bookable %s keeps %q", r.ID, k)
			}
		}
	}
}

func TestParseClockSpan(t *testing.T) {
	good := map[string]board.ClockSpan{
		"07:00-09:00": {From: 420, To: 540}, "00:00-24:00": {From: 0, To: 1440}, "23:59-24:00": {From: 1439, To: 1440}, "00:00-00:01": {From: 0, To: 1},
	}
	for s, want := range good {
		if got, err := parseClockSpan(s); err != nil || got != want {
			t.Errorf("parseClockSpan(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "7:00-9:00", "07:00-09:00 ", "07:00–09:00", "24:00-24:00", "09:00-07:00", "08:00-08:00",
		"24:01-24:02", "07:60-09:00", "07:00-24:30", "-7:00-09:00", "07:00-0900x", "+7:00-09:00", "07.00-09.00"} {
		if got, err := parseClockSpan(s); err == nil {
			t.Errorf("parseClockSpan(%q) = %v, want an error", s, got)
		} else if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("the error quotes the input: %v", err)
		}
	}
}
