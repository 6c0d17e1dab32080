package layout

import (
	"fmt"
	"math"
	"sort"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// bookings: the resources residents may book, then what is booked from
// now on, by start; bookings/<id> is one resource's week grid.
func (b *builder) bookings(id string) {
	if r, ok := b.in.Board.Bookable(id); ok {
		b.resource(r)
		return
	}
	content := b.frame()
	b.notice()
	content = b.resources(content)
	var bs []board.Booking
	for _, x := range b.in.Board.Bookings {
		if !board.Ended(x.Start, x.End, b.in.Now) {
			bs = append(bs, x)
		}
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].Start.Before(bs[j].Start) })
	content = b.blockTitle(content, b.s.Bookings)
	if len(bs) == 0 {
		b.empty(content, b.s.NoBookings)
		return
	}
	// When a booking's time does not fit beside the resource (one running
	// overnight, a narrow screen), it gets a line of its own.
	pad := 1.3 * b.u
	whenW := 0.0
	for _, x := range bs {
		whenW = math.Max(whenW, b.m.Width(b.bookingWhen(x), b.fBody)+b.u)
	}
	textW := content.W - 2*pad - (11*b.u - 2*pad) - 1.5*b.u
	ownLine := whenW > textW*0.55
	rowH := 11 * b.u
	if ownLine {
		rowH = 2*pad + b.lineH(b.fBody)*2 + b.lineH(b.fSmall)
	}
	gap := 1.2 * b.u
	per := max(1, int((content.H-9*b.u-b.u+gap)/(rowH+gap)))
	if len(bs) > per {
		content = b.dayPager(content, per, len(bs))
	}
	off := b.in.State.Offset
	if off >= len(bs) {
		off = 0
	}
	y := content.Y
	for _, x := range bs[off:min(off+per, len(bs))] {
		r := Rect{content.X, y, content.W, rowH}
		b.card(r)
		in := r.Inset(pad)
		btn := b.speakerAt(r, pad)
		in = b.clear(in, btn)
		d := 11*b.u - 2*pad
		faceR, text := in.takeLeft(d, 1.5*b.u)
		faceR = Rect{faceR.X, faceR.Y + (faceR.H-d)/2, d, d}
		p, ok := b.in.Board.Profile(x.ProfileID)
		if ok {
			b.face(faceR, p)
		} else {
			// Booked by someone hidden from screens: the booking, not an empty face.
			b.p.Items = append(b.p.Items, Item{Kind: Icon, R: faceR, Text: "booking", Color: Accent})
		}
		when := b.bookingWhen(x)
		what := Font{Size: b.fBody.Size, Bold: true}
		var by Rect
		if ownLine {
			rows := text.splitV(0, b.lineH(b.fBody), b.lineH(b.fBody), b.lineH(b.fSmall))
			b.line(rows[0], x.Resource, what, Ink, Left)
			b.line(rows[1], when, b.fBody, Ink, Left)
			by = rows[2]
		} else {
			rows := text.splitV(0, 1, 1)
			ww := b.m.Width(when, b.fBody) + b.u
			b.line(Rect{rows[0].Right() - ww, rows[0].Y, ww, rows[0].H}, when, b.fBody, Ink, Right)
			b.line(Rect{rows[0].X, rows[0].Y, rows[0].W - ww - b.u, rows[0].H}, x.Resource, what, Ink, Left)
			by = rows[1]
		}
		if ok {
			b.line(by, fmt.Sprintf(b.s.BookedBy, p.Name), b.fSmall, Muted, Left)
		}
		b.speaker(btn, board.KeyOf(board.BookingCard, x.ID))
		y += rowH + gap
	}
}

// bookingWhen is when a booking runs: "I morgen 13:00–15:00", and with
// both days when it ends on another day than it starts: "Fredag 27. 14:00 –
// lørdag 28. 11:00".
func (b *builder) bookingWhen(x board.Booking) string {
	start := b.dayOf(x.Start)
	if x.End.After(x.Start) && !board.SameDay(x.Start, x.End, b.loc) {
		end := b.s.InText(b.dayOf(x.End))
		return start + " " + words.Clock(x.Start, b.loc) + " – " + end + " " + words.Clock(x.End, b.loc)
	}
	return start + " " + words.Span(x.Start, x.End, b.loc)
}

// dayOf names the day holding t: "I dag", "I morgen" or "Fredag 27.".
func (b *builder) dayOf(t time.Time) string {
	_, tomorrow := board.DayBounds(b.in.Now, b.loc, 0)
	switch {
	case board.SameDay(t, b.in.Now, b.loc):
		return b.s.Today
	case board.SameDay(t, tomorrow, b.loc):
		return b.s.Tomorrow
	}
	return b.s.ShortDate(t, b.loc)
}
