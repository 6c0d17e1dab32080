package game_test

import (
	"fmt"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/words"
)

// withLaundry gives the play's board Solsikken's laundry with fixed slots.
func withLaundry(p *play) {
	c := *p.reading.Board
	c.Bookables = []board.Bookable{{ID: "laundry", Name: "Vaskeriet", Pictogram: "laundry", Slots: board.FixedSlots,
		SlotTimes: []board.ClockSpan{{From: 420, To: 540}, {From: 540, To: 660}, {From: 660, To: 780}, {From: 780, To: 900}},
		Open:      board.ClockSpan{From: 420, To: 900}, MaxAheadDays: 14, MaxPerWeek: 2, CancelUntilMinutes: 60}}
	p.reading = &game.Reading{Board: &c}
	p.step(game.Tick{})
}

// book goes Bookings -> the laundry -> tomorrow 09-11 -> p3's face ->
// "Ja, book til …", as a resident taps it.
func (p *play) book(start time.Time) {
	p.t.Helper()
	p.tap(func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page.Is(board.PageBookings) && in.Page.ID == ""
	})
	p.tap(func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page == layout.ResourcePage("laundry")
	})
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Choose && in.Start.Equal(start) })
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" })
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Confirm })
}

func TestBookingTapSequence(t *testing.T) {
	p := newPlay(t)
	withLaundry(p)
	loc := p.reading.Board.Location()
	y, m, d := p.now.In(loc).Date()
	start := time.Date(y, m, d+1, 9, 0, 0, 0, loc)
	p.book(start)
	if len(p.writes) != 1 {
		t.Fatalf("handed out %d writes, want one booking", len(p.writes))
	}
	w := p.writes[0]
	if w.ItemType != board.BookingItem || w.Action != board.Book || w.ItemID != "laundry" || w.ProfileID != "p3" ||
		!w.Start.Equal(start) || !w.End.Equal(start.Add(2*time.Hour)) || w.State != board.Pending || w.ID == "" {
		t.Fatalf("handed out %+v", w)
	}
	if p.g.State().Page != layout.ResourcePage("laundry") || !p.g.State().Slot.IsZero() {
		t.Errorf("after confirming: page %s, slot %v; want the grid again", p.g.State().Page, p.g.State().Slot)
	}
	s := words.Locale("da")
	if !has(p.g.Page(), s.Pending) {
		t.Error("the slot does not show the booking as waiting")
	}
	p.step(game.Tick{Written: []game.Written{{Signup: w}}})
	if !has(p.g.Page(), fmt.Sprintf(s.Booked, "Vaskeriet", "Ærtebjørg")) {
		t.Error("the booking is not said when it is written")
	}
	// The backend says another screen took the time first: the resident is
	// told in words and the slot is free again on the grid.
	p.now = p.now.Add(5 * time.Second)
	refused := w
	refused.State, refused.Reason = board.Refused, "taken"
	p.reading = &game.Reading{Board: p.reading.Board, Outbox: []board.Signup{refused}}
	p.step(game.Tick{})
	if !has(p.g.Page(), "Ærtebjørg: "+s.RefusedTaken) {
		t.Errorf("the refusal is not said: %q", allText(p.g.Page()))
	}
	free := false
	for _, tg := range p.g.Page().Targets {
		if tg.Intent.Kind == layout.Choose && tg.Intent.Start.Equal(start) && tg.Intent.Booking == "" {
			free = true
		}
	}
	if !free {
		t.Error("a refused booking still holds its slot")
	}
}

// A chosen slot left alone goes away like an unanswered question.
func TestChosenSlotLapses(t *testing.T) {
	p := newPlay(t)
	withLaundry(p)
	loc := p.reading.Board.Location()
	y, m, d := p.now.In(loc).Date()
	start := time.Date(y, m, d+1, 9, 0, 0, 0, loc)
	p.tap(func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page.Is(board.PageBookings) && in.Page.ID == ""
	})
	p.tap(func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page == layout.ResourcePage("laundry")
	})
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Choose && in.Start.Equal(start) })
	if p.g.State().Slot.IsZero() {
		t.Fatal("no slot chosen")
	}
	p.now = p.now.Add(game.PickFor)
	p.step(game.Tick{})
	if !p.g.State().Slot.IsZero() {
		t.Error("the chosen slot did not lapse")
	}
}
