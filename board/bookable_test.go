package board

import (
	"testing"
	"time"
)

func cph(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func laundry() Bookable {
	return Bookable{ID: "r1", Name: "Vaskeriet", Slots: FixedSlots,
		SlotTimes: []ClockSpan{{420, 540}, {540, 660}, {660, 780}, {780, 900}},
		Open:      ClockSpan{420, 1140}, MaxAheadDays: 14, MaxPerWeek: 2, CancelUntilMinutes: 60}
}

func TestSlotsOnAFixedResource(t *testing.T) {
	loc := cph(t)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, loc) // a Monday
	r := laundry()
	b := &Board{Department: Department{Timezone: "Europe/Copenhagen"}, Bookables: []Bookable{r},
		Bookings: []Booking{{ID: "b1", ResourceID: "r1", Start: time.Date(2026, 12, 7, 13, 0, 0, 0, loc), End: time.Date(2026, 12, 7, 15, 0, 0, 0, loc), ProfileID: "p1"},
			{ID: "b2", ResourceID: "other", Start: time.Date(2026, 12, 7, 11, 0, 0, 0, loc), End: time.Date(2026, 12, 7, 13, 0, 0, 0, loc)}}}
	got := SlotsOn(b, r, now, 0)
	want := []SlotState{SlotStarted, SlotStarted, SlotFree, SlotTaken}
	if len(got) != len(want) {
		t.Fatalf("%d slots, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.State != want[i] {
			t.Errorf("slot %d (%s) is %d, want %d", i, s.Start.In(loc).Format("15:04"), s.State, want[i])
		}
	}
	if got[3].Booking == nil || got[3].Booking.ID != "b1" {
		t.Errorf("the taken slot names booking %+v, want b1", got[3].Booking)
	}
	if n := len(SlotsOn(b, r, now, 14)); n != 4 {
		t.Errorf("day 14 has %d slots, want 4", n)
	}
	if s := SlotsOn(b, r, now, 15); s != nil {
		t.Errorf("a day past max_ahead_days has slots: %v", s)
	}
	r.MaxAheadDays = 3
	if s := SlotsOn(b, r, now, 4); s != nil {
		t.Errorf("day 4 with max_ahead_days 3 has slots")
	}
	if ends := Lengths(b, r, time.Date(2026, 12, 8, 9, 0, 0, 0, loc)); len(ends) != 1 || !ends[0].Equal(time.Date(2026, 12, 8, 11, 0, 0, 0, loc)) {
		t.Errorf("a fixed slot's length: %v", ends)
	}
	if ends := Lengths(b, r, time.Date(2026, 12, 8, 9, 30, 0, 0, loc)); ends != nil {
		t.Errorf("a start that is no slot has lengths: %v", ends)
	}
}

// A slot 01:00-03:00 lasts one hour of real time on the night the clocks go
// forward, and three on the night they go back.
func TestSlotsAcrossDaylightSaving(t *testing.T) {
	loc := cph(t)
	r := Bookable{ID: "r1", Slots: FixedSlots, SlotTimes: []ClockSpan{{60, 180}}, Open: ClockSpan{0, 1440}, MaxAheadDays: 14}
	b := &Board{Department: Department{Timezone: "Europe/Copenhagen"}, Bookables: []Bookable{r}}
	for day, want := range map[time.Time]time.Duration{
		time.Date(2027, 3, 28, 0, 0, 0, 0, loc):  time.Hour,
		time.Date(2027, 10, 31, 0, 0, 0, 0, loc): 3 * time.Hour,
		time.Date(2027, 6, 1, 0, 0, 0, 0, loc):   2 * time.Hour,
	} {
		s := SlotsOn(b, r, day.Add(-12*time.Hour), 1)
		if len(s) != 1 {
			t.Fatalf("%s: %d slots", day.Format("2006-01-02"), len(s))
		}
		if got := s[0].End.Sub(s[0].Start); got != want {
			t.Errorf("%s: 01:00-03:00 lasts %s, want %s", day.Format("2006-01-02"), got, want)
		}
	}
}

func TestLengthsOfAFreeResource(t *testing.T) {
	loc := cph(t)
	bus := Bookable{ID: "bus", Slots: FreeSlots, GridMinutes: 30, MinMinutes: 60, MaxMinutes: 240, Open: ClockSpan{480, 1200}, MaxAheadDays: 30}
	room := Bookable{ID: "room", Slots: FreeSlots, GridMinutes: 60, MinMinutes: 1200, MaxMinutes: 4320, Open: ClockSpan{0, 1440}, MaxAheadDays: 60}
	b := &Board{Department: Department{Timezone: "Europe/Copenhagen"}, Bookables: []Bookable{bus, room},
		Bookings: []Booking{{ID: "x", ResourceID: "bus", Start: time.Date(2026, 12, 8, 12, 0, 0, 0, loc), End: time.Date(2026, 12, 8, 13, 0, 0, 0, loc)}}}
	ends := Lengths(b, bus, time.Date(2026, 12, 8, 10, 0, 0, 0, loc))
	// 11:00, 11:30, 12:00; 12:30 would run into the booking at 12.
	if len(ends) != 3 || ends[0].In(loc).Hour() != 11 || !ends[2].Equal(time.Date(2026, 12, 8, 12, 0, 0, 0, loc)) {
		t.Errorf("bus from 10: %v", ends)
	}
	ends = Lengths(b, bus, time.Date(2026, 12, 8, 18, 30, 0, 0, loc))
	if len(ends) != 2 || !ends[1].Equal(time.Date(2026, 12, 8, 20, 0, 0, 0, loc)) {
		t.Errorf("bus from 18:30 must end by 20:00: %v", ends)
	}
	// The guest room from 14:00 to 11:00 two days later: 45 hours.
	ends = Lengths(b, room, time.Date(2026, 12, 8, 14, 0, 0, 0, loc))
	found := false
	for _, e := range ends {
		if e.Equal(time.Date(2026, 12, 10, 11, 0, 0, 0, loc)) {
			found = true
		}
	}
	if !found || len(ends) != (4320-1200)/60+1 {
		t.Errorf("guest room from 14:00: %d ends, 11:00 two days later offered %v", len(ends), found)
	}
	slots := SlotsOn(b, bus, time.Date(2026, 12, 8, 7, 0, 0, 0, loc), 0)
	if len(slots) != (1200-480)/30 || slots[0].Start.In(loc).Hour() != 8 || slots[len(slots)-1].End.In(loc).Hour() != 20 {
		t.Errorf("the bus's grid: %d slots", len(slots))
	}
	if SlotsOn(b, Bookable{Slots: FreeSlots, Open: ClockSpan{0, 1440}, MaxAheadDays: 3}, time.Date(2026, 12, 8, 7, 0, 0, 0, loc), 0) != nil {
		t.Error("grid_minutes 0 gives slots")
	}
}

func TestWeekLimit(t *testing.T) {
	loc := cph(t)
	r := laundry()
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, loc) }
	b := &Board{Department: Department{Timezone: "Europe/Copenhagen"}, Bookables: []Bookable{r}, Bookings: []Booking{
		{ID: "1", ResourceID: "r1", ProfileID: "p1", Start: at(7, 7), End: at(7, 9)},   // Monday
		{ID: "2", ResourceID: "r1", ProfileID: "p1", Start: at(13, 7), End: at(13, 9)}, // Sunday
		{ID: "3", ResourceID: "r1", ProfileID: "p1", Start: at(14, 7), End: at(14, 9)}, // next Monday
		{ID: "4", ResourceID: "r1", ProfileID: "p2", Start: at(9, 7), End: at(9, 9)},
	}}
	if n := BookedInWeek(b, nil, "r1", "p1", at(10, 12)); n != 2 {
		t.Errorf("p1 has %d bookings in the week of 10 December, want 2", n)
	}
	if !AtWeekLimit(b, nil, r, "p1", at(11, 12)) || AtWeekLimit(b, nil, r, "p2", at(11, 12)) || AtWeekLimit(b, nil, r, "p1", at(15, 12)) {
		t.Error("the week limit is counted Monday to Sunday per profile")
	}
	// What waits in the outbox counts as the screen shows it: p2's booking
	// made offline fills the week, p1's cancelling frees a place, and a
	// refused booking or another week's counts nothing.
	outbox := []Signup{
		{ItemType: BookingItem, ItemID: "r1", ProfileID: "p2", Action: Book, Start: at(11, 13), End: at(11, 15), State: Pending},
		{ItemType: BookingItem, ItemID: "r1", ProfileID: "p2", Action: Book, Start: at(12, 13), End: at(12, 15), State: Refused},
		{ItemType: BookingItem, ItemID: "r1", ProfileID: "p2", Action: Book, Start: at(15, 13), End: at(15, 15), State: Pending},
		{ItemType: BookingItem, ItemID: "2", ProfileID: "p1", Action: Cancel, State: Pending},
	}
	if n := BookedInWeek(b, outbox, "r1", "p2", at(10, 12)); n != 2 || !AtWeekLimit(b, outbox, r, "p2", at(10, 12)) {
		t.Errorf("p2 with a booking waiting: %d in the week, want 2 and the limit reached", n)
	}
	if n := BookedInWeek(b, outbox, "r1", "p1", at(10, 12)); n != 1 || AtWeekLimit(b, outbox, r, "p1", at(10, 12)) {
		t.Errorf("p1 cancelling one: %d in the week, want 1", n)
	}
	if !CanCancel(r, b.Bookings[0], at(7, 5)) || CanCancel(r, b.Bookings[0], at(7, 6).Add(time.Minute)) {
		t.Error("a booking can be cancelled until 60 minutes before it starts")
	}
}
