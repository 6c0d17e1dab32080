package layout_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/personal"
	"skaerm/words"
)

// bookableBoard is the fixture board with Solsikken's three resources: the
// laundry (fixed slots), the minibus (free times) and the guest room (free,
// login), the laundry taken tomorrow 13-15 by p1 and 15-17 by someone
// hidden from screens.
func bookableBoard(t *testing.T) (*board.Board, time.Time) {
	t.Helper()
	now := at(t)
	bd, _ := fixture.Board(now)
	c := *bd
	loc := c.Location()
	day := func(plus, h, m int) time.Time {
		y, mo, d := now.In(loc).Date()
		return time.Date(y, mo, d+plus, h, m, 0, 0, loc)
	}
	c.Bookables = []board.Bookable{
		{ID: "laundry", Name: "Vaskeriet", Pictogram: "laundry", Slots: board.FixedSlots,
			SlotTimes: []board.ClockSpan{span(420, 540), span(540, 660), span(660, 780), span(780, 900), span(900, 1020), span(1020, 1140)},
			Open:      span(420, 1140), MaxAheadDays: 14, MaxPerWeek: 2, CancelUntilMinutes: 60},
		{ID: "bus", Name: "Minibussen", Pictogram: "bus", Slots: board.FreeSlots, GridMinutes: 30, MinMinutes: 60, MaxMinutes: 240,
			Open: span(480, 1200), MaxAheadDays: 30, MaxPerWeek: 1, CancelUntilMinutes: 120},
		{ID: "guest", Name: "Gæsteværelset", Pictogram: "bed", Slots: board.FreeSlots, GridMinutes: 60, MinMinutes: 1200, MaxMinutes: 4320,
			Open: span(0, 1440), MaxAheadDays: 60, MaxPerWeek: 1, CancelUntilMinutes: 1440, LoginRequired: true},
	}
	c.Bookings = append(append([]board.Booking(nil), c.Bookings...),
		board.Booking{ID: "bk1", Resource: "Vaskeriet", ResourceID: "laundry", Start: day(1, 13, 0), End: day(1, 15, 0), ProfileID: "p1"},
		board.Booking{ID: "bk2", Resource: "Vaskeriet", ResourceID: "laundry", Start: day(1, 15, 0), End: day(1, 17, 0)},
	)
	return &c, now
}

func targetsOf(p *layout.Page, k layout.IntentKind) []layout.Target {
	var out []layout.Target
	for _, t := range p.Targets {
		if t.Intent.Kind == k {
			out = append(out, t)
		}
	}
	return out
}

func TestBookingPagesFitTheScreen(t *testing.T) {
	m := measurer(t)
	bd, now := bookableBoard(t)
	loc := bd.Location()
	tomorrow13 := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day()+1, 9, 0, 0, 0, loc)
	states := map[string]layout.State{
		"list":          {Page: board.PageOf(board.PageBookings)},
		"laundry":       {Page: layout.ResourcePage("laundry")},
		"laundry-later": {Page: layout.ResourcePage("laundry"), Day: 7},
		"bus":           {Page: layout.ResourcePage("bus")},
		"guest":         {Page: layout.ResourcePage("guest")},
		"who":           {Page: layout.ResourcePage("laundry"), Slot: tomorrow13, SlotEnd: tomorrow13.Add(2 * time.Hour)},
		"confirm":       {Page: layout.ResourcePage("laundry"), Slot: tomorrow13, SlotEnd: tomorrow13.Add(2 * time.Hour), Pick: "p2"},
		"length":        {Page: layout.ResourcePage("bus"), Slot: tomorrow13},
		"length-guest":  {Page: layout.ResourcePage("guest"), Slot: tomorrow13.Add(5 * time.Hour)},
		"login":         {Page: layout.ResourcePage("guest"), Slot: tomorrow13, SlotEnd: tomorrow13.Add(24 * time.Hour)},
		"cancel-who":    {Page: layout.ResourcePage("laundry"), Booking: "bk1", Slot: tomorrow13},
		"cancel":        {Page: layout.ResourcePage("laundry"), Booking: "bk1", Slot: tomorrow13, Pick: "p1"},
		"not-yours":     {Page: layout.ResourcePage("laundry"), Booking: "bk1", Slot: tomorrow13, Pick: "p2"},
	}
	for _, code := range words.Codes() {
		for _, sz := range sizes {
			for name, st := range states {
				t.Run(fmt.Sprintf("%s/%vx%v/%s", code, sz.w, sz.h, name), func(t *testing.T) {
					p := layout.Build(m, layout.Input{Board: bd, Now: now, Locale: code, W: sz.w, H: sz.h, State: st})
					checkPage(t, m, p)
				})
			}
		}
	}
}

// The week grid: free slots are buttons that choose them, a taken slot
// names who booked it only when the screen may show them, begun slots and
// days past max_ahead_days are not offered.
func TestResourceGrid(t *testing.T) {
	m := measurer(t)
	bd, now := bookableBoard(t)
	loc := bd.Location()
	s := words.Locale("da")
	p := layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: layout.State{Page: layout.ResourcePage("laundry")}})
	p1, _ := bd.Profile("p1")
	if !hasText(p, "Vaskeriet") || !hasText(p, p1.Name) || !hasText(p, s.Taken) {
		t.Errorf("the grid lacks the resource, p1's name or %q: %q", s.Taken, strings.Join(texts(p), " | "))
	}
	choose := targetsOf(p, layout.Choose)
	free, cancels := 0, 0
	for _, tg := range choose {
		in := tg.Intent
		if in.Booking != "" {
			cancels++
			if in.Booking != "bk1" {
				t.Errorf("a cancel target for %s: only p1's booking is shown with a name", in.Booking)
			}
			continue
		}
		free++
		if !in.Start.After(now) {
			t.Errorf("a slot at %s that has begun is offered", in.Start.In(loc))
		}
		if !in.End.Equal(in.Start.Add(2 * time.Hour)) {
			t.Errorf("a fixed slot from %s ends at %s", in.Start.In(loc), in.End.In(loc))
		}
	}
	// Seven days of six slots, less the two taken tomorrow and today's
	// begun ones (the fixture's instant is 09:30: 07 and 09 have begun).
	if want := 7*6 - 2 - 2; free != want {
		t.Errorf("%d free slots offered, want %d", free, want)
	}
	if cancels != 1 {
		t.Errorf("%d taken slots to cancel, want 1", cancels)
	}
	if len(targetsOf(p, layout.Days)) != 1 {
		t.Error("no way to the later days")
	}
	// The last page of days ends at max_ahead_days.
	short := *bd
	short.Bookables = append([]board.Bookable(nil), bd.Bookables...)
	short.Bookables[0].MaxAheadDays = 2
	p = layout.Build(m, layout.Input{Board: &short, Now: now, W: 1920, H: 1080, State: layout.State{Page: layout.ResourcePage("laundry")}})
	last, _ := board.DayBounds(now, loc, 3)
	for _, tg := range targetsOf(p, layout.Choose) {
		if !tg.Intent.Start.Before(last) {
			t.Errorf("a slot on %s, past max_ahead_days, is offered", tg.Intent.Start.In(loc))
		}
	}
	if len(targetsOf(p, layout.Days)) != 0 {
		t.Error("paging past max_ahead_days")
	}
}

// The sheet: who books (faces, or the logged-in resident at once), then
// the day in words and "Ja, book til …", which carries the booking; at the
// week limit it says so and offers no booking.
func TestBookingSheet(t *testing.T) {
	m := measurer(t)
	bd, now := bookableBoard(t)
	loc := bd.Location()
	s := words.Locale("da")
	y, mo, d := now.In(loc).Date()
	start := time.Date(y, mo, d+1, 9, 0, 0, 0, loc)
	st := layout.State{Page: layout.ResourcePage("laundry"), Slot: start, SlotEnd: start.Add(2 * time.Hour)}
	p := layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: st})
	if len(targetsOf(p, layout.Pick)) < 3 || len(targetsOf(p, layout.Choose)) != 0 {
		t.Fatalf("the sheet shows %d faces and leaves %d slots tappable under it", len(targetsOf(p, layout.Pick)), len(targetsOf(p, layout.Choose)))
	}
	st.Pick = "p2"
	p = layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: st})
	p2, _ := bd.Profile("p2")
	conf := targetsOf(p, layout.Confirm)
	if len(conf) != 1 {
		t.Fatalf("%d confirm targets", len(conf))
	}
	sg := conf[0].Intent.Signup
	if sg.ItemType != board.BookingItem || sg.Action != board.Book || sg.ItemID != "laundry" || sg.ProfileID != "p2" || !sg.Start.Equal(start) || !sg.End.Equal(start.Add(2*time.Hour)) {
		t.Errorf("the confirmation carries %+v", sg)
	}
	if err := (board.Signup{ID: "x", ItemType: sg.ItemType, ItemID: sg.ItemID, ProfileID: sg.ProfileID, Action: sg.Action, Start: sg.Start, End: sg.End}).Validate(); err != nil {
		t.Errorf("the booking it carries is not valid: %v", err)
	}
	if !hasText(p, fmt.Sprintf(s.ConfirmBook, p2.Name)) || !hasTextPrefix(p, "Vaskeriet, i morgen") {
		t.Errorf("the sheet says %q", strings.Join(texts(p), " | "))
	}
	// A logged-in resident is asked no face.
	st.Pick = ""
	p = layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: st, Login: &layout.LoginView{Offered: true, Who: "p2", Name: p2.Name}})
	if len(targetsOf(p, layout.Confirm)) != 1 || len(targetsOf(p, layout.Pick)) != 0 {
		t.Error("a logged-in resident is asked for a face")
	}
	// p1 has two laundry bookings this week: the sheet says so and books nothing.
	two := *bd
	two.Bookings = append(append([]board.Booking(nil), bd.Bookings...),
		board.Booking{ID: "bk3", ResourceID: "laundry", Resource: "Vaskeriet", Start: start.Add(24 * time.Hour), End: start.Add(26 * time.Hour), ProfileID: "p1"})
	week0, week1 := board.WeekOf(start, loc)
	if !start.Add(24*time.Hour).Before(week1) || start.Before(week0) {
		t.Fatal("the fixture's tomorrow and the day after are not in one week")
	}
	st.Pick = "p1"
	p = layout.Build(m, layout.Input{Board: &two, Now: now, W: 1920, H: 1080, State: st})
	p1, _ := bd.Profile("p1")
	if len(targetsOf(p, layout.Confirm)) != 0 || !hasText(p, fmt.Sprintf(s.WeekLimit, p1.Name, 2, "Vaskeriet")) {
		t.Errorf("at the week limit: %d confirm targets, says %q", len(targetsOf(p, layout.Confirm)), strings.Join(texts(p), " | "))
	}
}

// A free resource asks how long, in lengths that fit before the next
// booking and inside its hours; the guest room needs a login.
func TestFreeResourceSheet(t *testing.T) {
	m := measurer(t)
	bd, now := bookableBoard(t)
	loc := bd.Location()
	y, mo, d := now.In(loc).Date()
	start := time.Date(y, mo, d+1, 18, 0, 0, 0, loc)
	p := layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: layout.State{Page: layout.ResourcePage("bus"), Slot: start}})
	ends := targetsOf(p, layout.Choose)
	if len(ends) != 3 { // 19:00, 19:30, 20:00: the bus is back by 20
		t.Fatalf("%d lengths offered from 18:00, want 3", len(ends))
	}
	for _, tg := range ends {
		if !tg.Intent.Start.Equal(start) || tg.Intent.End.In(loc).Hour() > 20 {
			t.Errorf("a length %s-%s", tg.Intent.Start.In(loc), tg.Intent.End.In(loc))
		}
	}
	p = layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: layout.State{Page: layout.ResourcePage("guest"), Slot: start, SlotEnd: start.Add(40 * time.Hour)},
		Login: &layout.LoginView{Offered: true}})
	if !hasText(p, fmt.Sprintf(words.Locale("da").LoginToBook, "Gæsteværelset")) || len(targetsOf(p, layout.Confirm)) != 0 {
		t.Errorf("the guest room without a login: %q", strings.Join(texts(p), " | "))
	}
}

// A booking waiting in the outbox shows as waiting, not free; one the
// backend refused is never shown as booked.
func TestBookingsInTheOutbox(t *testing.T) {
	m := measurer(t)
	bd, now := bookableBoard(t)
	loc := bd.Location()
	y, mo, d := now.In(loc).Date()
	start := time.Date(y, mo, d+2, 9, 0, 0, 0, loc)
	entry := board.Signup{ID: "o1", ItemType: board.BookingItem, ItemID: "laundry", ProfileID: "p2", Action: board.Book, Start: start, End: start.Add(2 * time.Hour), State: board.Pending}
	offered := func(ob []board.Signup) bool {
		p := layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: layout.State{Page: layout.ResourcePage("laundry")}, Outbox: ob})
		for _, tg := range targetsOf(p, layout.Choose) {
			if tg.Intent.Start.Equal(start) {
				return true
			}
		}
		return false
	}
	if !offered(nil) {
		t.Fatal("the slot is not offered with an empty outbox")
	}
	if offered([]board.Signup{entry}) {
		t.Error("a slot this screen is booking is still offered")
	}
	entry.State, entry.Reason = board.Refused, "taken"
	if !offered([]board.Signup{entry}) {
		t.Error("a refused booking holds its slot")
	}
	// Told where the booking would have been, also after a restart.
	p := layout.Build(m, layout.Input{Board: bd, Now: now, W: 1920, H: 1080, State: layout.State{Page: layout.ResourcePage("laundry")}, Outbox: []board.Signup{entry}})
	p2, _ := bd.Profile("p2")
	if !hasTextPrefix(p, p2.Name+", ") || !strings.Contains(strings.Join(texts(p), "|"), words.Locale("da").RefusedTaken) {
		t.Errorf("the refusal is not said on the grid: %q", strings.Join(texts(p), " | "))
	}
	checkPage(t, m, p)
}

func span(from, to int) board.ClockSpan { return board.ClockSpan{From: from, To: to} }

// Min side lists the resident's bookings with "Afbestil" until the
// cancelling deadline; the confirmation carries the cancelling.
func TestMyBookingsOnMinSide(t *testing.T) {
	m := measurer(t)
	full, now := bookableBoard(t)
	// Only bookings: the sign-ups would fill the list before tomorrow.
	only := *full
	only.Activities, only.Meals, only.Meetings = nil, nil, nil
	bd := &only
	p1, _ := bd.Profile("p1")
	lv := &layout.LoginView{Offered: true, Who: "p1", Name: p1.Name, Page: &personal.Page{ProfileID: "p1", Name: p1.Name}}
	lw := words.LoginWordsFor("da")
	for _, sz := range sizes {
		p := layout.Build(m, layout.Input{Board: bd, Now: now, W: sz.w, H: sz.h, State: layout.State{Page: board.PageOf(board.PageMe)}, Login: lv})
		var cancel []board.Signup
		for _, tg := range targetsOf(p, layout.Confirm) {
			if tg.Intent.Signup.ItemType == board.BookingItem {
				cancel = append(cancel, tg.Intent.Signup)
			}
		}
		if len(cancel) != 1 || cancel[0].Action != board.Cancel || cancel[0].ItemID != "bk1" || cancel[0].ProfileID != "p1" || !hasText(p, lw.CancelBooking) {
			t.Errorf("%vx%v: Min side cancels %+v", sz.w, sz.h, cancel)
		}
	}
	// Within the hour before it starts it can no longer be cancelled.
	late := bd.Bookings[len(bd.Bookings)-2].Start.Add(-30 * time.Minute)
	p := layout.Build(m, layout.Input{Board: bd, Now: late, W: 1920, H: 1080, State: layout.State{Page: board.PageOf(board.PageMe)}, Login: lv})
	for _, tg := range targetsOf(p, layout.Confirm) {
		if tg.Intent.Signup.ItemType == board.BookingItem {
			t.Errorf("a booking 30 minutes ahead can be cancelled: %+v", tg.Intent.Signup)
		}
	}
	if !hasText(p, "Vaskeriet") {
		t.Error("the booking is not on Min side")
	}
}
