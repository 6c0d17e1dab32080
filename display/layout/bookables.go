package layout

import (
	"fmt"
	"math"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// ResourcePage is the week grid of the resource with id: bookings/<id>.
func ResourcePage(id string) board.PageID { return board.PageID{Kind: board.PageBookings, ID: id} }

// resources draws the resources residents may book as large buttons in a
// band at the top of r, and returns what is left under it.
func (b *builder) resources(r Rect) Rect {
	rs := b.in.Board.Bookables
	if len(rs) == 0 {
		return r
	}
	r = b.blockTitle(r, b.s.BookablesTitle)
	h := 13 * b.u
	cols := len(rs)
	if b.portrait() {
		cols = min(cols, 2)
	}
	rows := (len(rs) + cols - 1) / cols
	band, rest := r.takeTop(float64(rows)*h+float64(rows-1)*1.2*b.u, 2*b.u)
	cells := band.splitV(1.2*b.u, repeat(1, rows)...)
	for i, res := range rs {
		row := cells[i/cols].splitH(1.2*b.u, repeat(1, cols)...)
		cell := row[i%cols]
		b.box(cell, Card, Accent, 0.45*b.u, 1.2*b.u)
		in := cell.Inset(1.2 * b.u)
		icon, text := in.takeLeft(in.H, 1.5*b.u)
		b.p.Items = append(b.p.Items, Item{Kind: Icon, R: icon, Text: resourcePictogram(res.Pictogram), Color: Accent})
		f := Font{Size: b.fTitle.Size, Bold: true}
		b.line(text, res.Name, b.shrink(res.Name, f, text.W, b.fSmall.Size), Accent, Left)
		b.target(cell, Intent{Kind: Open, Page: ResourcePage(res.ID)})
	}
	return rest
}

// resourcePictogram is the icon of a resource's pictogram.
func resourcePictogram(p string) string {
	switch p {
	case "bus", "minibus", "car":
		return "trip"
	case "":
		return "booking"
	}
	return p
}

// heldSlot is a slot as the grid shows it: the board's bookings with this
// screen's own bookings and cancellings not yet answered laid over them. A
// booking the backend refused is never shown as booked.
type heldSlot struct {
	board.Slot
	pending bool   // this screen's booking or cancelling waits for the backend
	who     string // the booker's profile id, "" when hidden or free
}

// heldSlots are the slots of r on day plus, with the outbox laid over them.
func (b *builder) heldSlots(r board.Bookable, plus int) []heldSlot {
	slots := board.SlotsOn(b.in.Board, r, b.in.Now, plus)
	out := make([]heldSlot, len(slots))
	for i, s := range slots {
		h := heldSlot{Slot: s}
		if s.Booking != nil {
			h.who = s.Booking.ProfileID
		}
		for _, o := range b.in.Outbox {
			if o.ItemType != board.BookingItem || o.State != board.Pending {
				continue
			}
			switch {
			case o.Action == board.Book && o.ItemID == r.ID && o.Start.Before(s.End) && s.Start.Before(o.End) && h.State == board.SlotFree:
				h.State, h.pending, h.who = board.SlotTaken, true, o.ProfileID
			case o.Action == board.Cancel && s.Booking != nil && o.ItemID == s.Booking.ID:
				h.pending = true
			}
		}
		out[i] = h
	}
	return out
}

// resource lays out bookings/<id>: the week grid of one resource, a column
// a day, free slots as large buttons and taken ones with who booked them,
// and the sheet for a chosen slot over it.
func (b *builder) resource(r board.Bookable) {
	content := b.header() // no navigation bar: the grid takes the room, "Tilbage" leads out
	b.notice()
	top, rest := content.takeTop(9*b.u, 1.2*b.u)
	back, title := top.takeLeft(math.Min(30*b.u, top.W/3), 2*b.u)
	b.button(back, "‹ "+b.s.Back, Intent{Kind: Open, Page: board.PageOf(board.PageBookings)}, false)
	btn := Rect{title.Right() - SpeakerSize(math.Min(b.in.W, b.in.H)), title.Y, SpeakerSize(math.Min(b.in.W, b.in.H)), title.H}
	btn.Y += (btn.H - btn.W) / 2
	btn.H = btn.W
	title = b.clear(title, btn)
	icon, name := title.takeLeft(title.H, 1.2*b.u)
	b.p.Items = append(b.p.Items, Item{Kind: Icon, R: icon, Text: resourcePictogram(r.Pictogram), Color: Accent})
	b.line(name, r.Name, b.shrink(r.Name, b.fTitle, name.W, b.fBody.Size), Ink, Left)
	b.speaker(btn, board.KeyOf(board.BookableCard, r.ID))
	// A booking from this screen that the backend refused (perhaps while
	// the screen was offline) is said here, where it would have been.
	if msg := b.refusedBooking(r); msg != "" {
		// Portrait has room below the grid's columns for the whole advice.
		f, most := Font{Size: b.fSmall.Size, Bold: true}, 2
		if b.portrait() {
			most = 4
		}
		lines := len(Wrap(b.m, msg, f, rest.W, most))
		row, more := rest.takeTop(float64(lines)*b.lineH(f), b.u)
		b.para(row, msg, f, Alarm, most)
		rest = more
	}

	cols := 7
	switch {
	case b.portrait():
		cols = 3
	case b.in.W < 1600:
		cols = 5
	}
	last := board.LastBookableDay(r)
	days := last + 1
	first := min(max(0, b.in.State.Day), last)
	if days > cols {
		row, more := rest.takeBottom(9*b.u, b.u)
		rest = more
		bw := math.Min(32*b.u, row.W/2-b.u)
		if first > 0 {
			b.button(Rect{row.X, row.Y, bw, row.H}, "‹ "+b.s.Earlier, Intent{Kind: Days, Offset: max(0, first-cols)}, false)
		}
		if first+cols < days {
			b.button(Rect{row.Right() - bw, row.Y, bw, row.H}, b.s.Later+" ›", Intent{Kind: Days, Offset: first + cols}, false)
		}
	}
	shown := min(cols, days-first)
	colRects := rest.splitH(1.2*b.u, repeat(1, cols)...)
	for c := 0; c < shown; c++ {
		b.resourceDay(colRects[c], r, first+c)
	}
	if !b.in.State.Slot.IsZero() || b.in.State.Booking != "" {
		b.bookingSheet(r)
	}
}

// resourceDay is one day's column of a resource's grid.
func (b *builder) resourceDay(col Rect, r board.Bookable, plus int) {
	b.card(col)
	in := col.Inset(0.8 * b.u)
	hf := Font{Size: b.fBody.Size, Bold: true}
	head, rest := in.takeTop(b.lineH(hf), b.u)
	t := b.dayTitle(plus)
	b.line(head, t, b.shrink(t, hf, head.W, b.fTiny.Size), Ink, Center)
	slots := b.heldSlots(r, plus)
	if len(slots) == 0 {
		return
	}
	// A free resource's grid is shown in steps that fit: every slot stays
	// bookable from the sheet, which offers the lengths.
	gap := 0.8 * b.u
	minH := 7.4 * b.u
	fit := max(1, int((rest.H+gap)/(minH+gap)))
	step := 1
	if len(slots) > fit && r.Slots == board.FreeSlots {
		step = (len(slots) + fit - 1) / fit
	}
	var show []heldSlot
	for i := 0; i < len(slots); i += step {
		show = append(show, slots[i])
	}
	h := math.Min(12*b.u, (rest.H-float64(len(show)-1)*gap)/float64(len(show)))
	if h < minH { // more fixed slots than fit: the first ones, at a size a finger can hit
		h = minH
		show = show[:fit]
	}
	for i, s := range show {
		cell := Rect{rest.X, rest.Y + float64(i)*(h+gap), rest.W, h}
		b.slotCell(cell, r, s)
	}
}

// slotLabel is what a slot's button says: "13–15" for a fixed slot on the
// hours ("13:30–15:00" off them), the start for a free resource's grid.
func (b *builder) slotLabel(r board.Bookable, s board.Slot) string {
	if r.Slots == board.FreeSlots {
		return words.Clock(s.Start, b.loc)
	}
	st, en := s.Start.In(b.loc), s.End.In(b.loc)
	if st.Minute() == 0 && en.Minute() == 0 {
		return fmt.Sprintf("%02d–%02d", st.Hour(), en.Hour())
	}
	return words.Span(s.Start, s.End, b.loc)
}

// slotCell draws one slot: a button when free, the booker's name (or only
// "Optaget" for someone hidden from screens) when taken, muted when begun.
func (b *builder) slotCell(cell Rect, r board.Bookable, s heldSlot) {
	label := b.slotLabel(r, s.Slot)
	small := Font{Size: math.Min(b.fSmall.Size, cell.H*0.4), Bold: true}
	switch {
	case s.State == board.SlotFree:
		end := s.End
		if r.Slots == board.FreeSlots {
			end = time.Time{}
		}
		b.button(cell, label, Intent{Kind: Choose, Start: s.Start, End: end}, false)
	case s.State == board.SlotTaken:
		b.box(cell, Chip, Line, 0.25*b.u, b.u)
		who := b.s.Taken
		if p, ok := b.in.Board.Profile(s.who); ok && s.who != "" {
			who = p.Name
		}
		if s.pending {
			who = b.s.Pending
		}
		rows := cell.Inset(0.5*b.u).splitV(0, 1, 1)
		b.line(rows[0], label, b.shrink(label, small, rows[0].W, b.fTiny.Size), Muted, Center)
		b.line(rows[1], who, b.shrink(who, small, rows[1].W, b.fTiny.Size), Ink, Center)
		switch {
		case s.pending:
		case s.Booking != nil && s.who != "":
			b.target(cell, Intent{Kind: Choose, Start: s.Booking.Start, End: s.Booking.End, Booking: s.Booking.ID})
		default:
			b.target(cell, Intent{Kind: Notify, Notice: b.s.Taken})
		}
	default: // begun: no longer free
		b.box(cell, Paper, Line, 0.2*b.u, b.u)
		b.line(cell.Inset(0.5*b.u), label, b.shrink(label, Font{Size: small.Size}, cell.W-b.u, b.fTiny.Size), Muted, Center)
	}
}

// sheet covers the page and returns the dialog's inside, with a cancel
// button in its bottom row (the rest of that row is returned too).
func (b *builder) sheet(tall bool) (inside, buttons Rect) {
	b.p.Targets = nil // the sheet is modal
	b.box(Rect{0, 0, b.in.W, b.in.H}, Shade, Shade, 0, 0)
	w := math.Min(b.in.W-4*b.margin(), 130*b.u)
	h := math.Min(b.in.H-4*b.margin(), 62*b.u)
	if tall {
		h = b.in.H - 4*b.margin()
	}
	d := Rect{(b.in.W - w) / 2, (b.in.H - h) / 2, w, h}
	b.box(d, Card, Ink, 0.4*b.u, 2*b.u)
	in := d.Inset(3 * b.u)
	btns, rest := in.takeBottom(math.Min(13*b.u, in.H/4), 2*b.u)
	return rest, btns
}

// bookingSheet asks, for the chosen slot: how long (a free resource), who
// (the face grid, or the logged-in resident at once), then to confirm;
// for a chosen booking, the booker's face and to confirm the cancelling.
func (b *builder) bookingSheet(r board.Bookable) {
	st := b.in.State
	lv := b.in.Login
	cancel := func(btns Rect, primary *Intent, label string) {
		if primary == nil {
			bw := math.Min(btns.W, 40*b.u)
			b.button(Rect{btns.Right() - bw, btns.Y, bw, btns.H}, b.s.Cancel, Intent{Kind: Cancel}, false)
			return
		}
		parts := btns.splitH(3*b.u, 1.5, 1)
		b.button(parts[0], label, *primary, true)
		b.button(parts[1], b.s.Cancel, Intent{Kind: Cancel}, false)
	}
	message := func(msg string) {
		in, btns := b.sheet(false)
		b.para(in, msg, Font{Size: b.fTitle.Size, Bold: true}, Ink, 4)
		cancel(btns, nil, "")
	}

	if st.Booking != "" { // cancelling a booking
		var x board.Booking
		for _, y := range b.in.Board.Bookings {
			if y.ID == st.Booking {
				x = y
			}
		}
		if x.ID == "" {
			return
		}
		who := st.Pick
		if lv.LoggedIn() {
			who = lv.Who
		}
		switch {
		case who == "":
			b.whoSheet(r, x.Start, func(p board.Profile) Intent { return Intent{Kind: Pick, Profile: p.ID} })
		case who != x.ProfileID:
			message(b.s.NotYours)
		case !board.CanCancel(r, x, b.in.Now):
			message(b.s.RefusedTooLate)
		default:
			p, _ := b.in.Board.Profile(who)
			in, btns := b.sheet(false)
			b.sheetWho(in, p, fmt.Sprintf(b.s.BookingWhen, r.Name, b.bookingDay(x.Start, x.End)))
			sg := board.Signup{ItemType: board.BookingItem, ItemID: x.ID, ProfileID: who, Action: board.Cancel}
			cancel(btns, &Intent{Kind: Confirm, Profile: who, Signup: sg}, fmt.Sprintf(b.s.ConfirmUnbook, p.Name))
		}
		return
	}

	if st.SlotEnd.IsZero() { // how long: a free resource
		ends := board.Lengths(b.in.Board, r, st.Slot)
		in, btns := b.sheet(true)
		head, rest := in.takeTop(b.lineH(b.fTitle), 2*b.u)
		b.line(head, r.Name+", "+b.s.InText(b.bookingDay(st.Slot, time.Time{}))+": "+b.s.HowLong, b.shrink(r.Name, b.fTitle, head.W, b.fBody.Size), Ink, Left)
		if len(ends) == 0 {
			b.para(rest, b.s.RefusedTime, b.fBody, Ink, 2)
		}
		g := gridSpec{gap: 1.2 * b.u, maxW: 34 * b.u, minW: 24 * b.u, height: func(float64) float64 { return 11 * b.u }}
		b.pagedGrid(rest, len(ends), g, func(cr Rect, i int) {
			e := ends[i]
			label := fmt.Sprintf(b.s.Until, words.Clock(e, b.loc))
			if !board.SameDay(e, st.Slot, b.loc) {
				label = fmt.Sprintf(b.s.Until, b.s.InText(b.dayOf(e))+" "+words.Clock(e, b.loc))
			}
			b.button(cr, label, Intent{Kind: Choose, Start: st.Slot, End: e}, false)
		})
		cancel(btns, nil, "")
		return
	}

	who := st.Pick
	if lv.LoggedIn() {
		who = lv.Who
	}
	switch {
	case r.LoginRequired && !lv.LoggedIn():
		in, btns := b.sheet(false)
		b.para(in, fmt.Sprintf(b.s.LoginToBook, r.Name), Font{Size: b.fTitle.Size, Bold: true}, Ink, 3)
		if lv != nil && lv.Offered {
			cancel(btns, &Intent{Kind: Open, Page: board.PageOf(board.PageLogin)}, b.lw().LogIn)
		} else {
			cancel(btns, nil, "")
		}
	case who == "":
		b.whoSheet(r, st.Slot, func(p board.Profile) Intent {
			if board.AtWeekLimit(b.in.Board, b.in.Outbox, r, p.ID, st.Slot) {
				return Intent{Kind: Notify, Notice: b.weekLimit(r, p), Profile: p.ID}
			}
			return Intent{Kind: Pick, Profile: p.ID}
		})
	default:
		p, _ := b.in.Board.Profile(who)
		in, btns := b.sheet(false)
		when := fmt.Sprintf(b.s.BookingWhen, r.Name, b.bookingDay(st.Slot, st.SlotEnd))
		if board.AtWeekLimit(b.in.Board, b.in.Outbox, r, who, st.Slot) {
			b.sheetWho(in, p, b.weekLimit(r, p))
			cancel(btns, nil, "")
			return
		}
		b.sheetWho(in, p, when)
		sg := board.Signup{ItemType: board.BookingItem, ItemID: r.ID, ProfileID: who, Action: board.Book, Start: st.Slot, End: st.SlotEnd}
		cancel(btns, &Intent{Kind: Confirm, Profile: who, Signup: sg}, fmt.Sprintf(b.s.ConfirmBook, p.Name))
	}
}

// weekLimit says that p may book no more of r this week.
func (b *builder) weekLimit(r board.Bookable, p board.Profile) string {
	return fmt.Sprintf(b.s.WeekLimit, p.Name, r.MaxPerWeek, r.Name)
}

// bookingDay names a booking's time with its day in words: "i morgen,
// tirsdag 24. november kl. 13:00–15:00", with both days when it ends on
// another ("… kl. 14:00 – torsdag 10. december 11:00"); only the day and
// start when end is zero.
func (b *builder) bookingDay(start, end time.Time) string {
	day := b.s.InText(b.s.Day(start, b.in.Now, b.loc))
	switch {
	case end.IsZero():
		return day + " " + fmt.Sprintf(b.s.At, words.Clock(start, b.loc))
	case !board.SameDay(start, end, b.loc):
		return day + " " + fmt.Sprintf(b.s.At, words.Clock(start, b.loc)) + " – " + b.s.InText(b.dayOf(end)) + " " + words.Clock(end, b.loc)
	}
	return fmt.Sprintf(b.s.DayAt, day, words.Span(start, end, b.loc))
}

// sheetWho fills a sheet's inside with a face, the name and a line about
// the booking.
func (b *builder) sheetWho(in Rect, p board.Profile, text string) {
	top, rest := in.takeTop(math.Min(22*b.u, in.H/2), 2*b.u)
	face, name := top.takeLeft(top.H, 3*b.u)
	b.face(face, p)
	nameF := Font{Size: 6 * b.u, Bold: true}
	b.line(name, p.Name, nameF, Ink, Left)
	b.para(rest, text, Font{Size: b.fBody.Size, Bold: true}, Ink, 3)
}

// whoSheet is the face grid on a sheet: a resident taps their own face.
// Each face says when its resident may book no more this week.
func (b *builder) whoSheet(r board.Bookable, at time.Time, tap func(board.Profile) Intent) {
	in, btns := b.sheet(true)
	hf := Font{Size: b.fBody.Size, Bold: true}
	hint, rest := in.takeTop(b.lineH(hf), b.u)
	b.line(hint, b.s.TapToJoin, hf, Ink, Left)
	people := b.residents()
	nameH, labelH := b.lineH(b.fSmall), b.lineH(b.fTiny)
	g := gridSpec{gap: 1.2 * b.u, maxW: 26 * b.u, minW: 17 * b.u,
		height: func(cw float64) float64 { return cw*0.55 + nameH + labelH + 1.2*b.u }}
	b.pagedGrid(rest, len(people), g, func(cr Rect, i int) {
		p := people[i]
		label := ""
		if board.AtWeekLimit(b.in.Board, b.in.Outbox, r, p.ID, at) {
			label = fmt.Sprintf("%d/%d", board.BookedInWeek(b.in.Board, b.in.Outbox, r.ID, p.ID, at), r.MaxPerWeek)
		}
		b.faceTile(cr, p, Line, 0.25*b.u, label, Alarm)
		b.target(cr, tap(p))
	})
	bw := math.Min(btns.W, 40*b.u)
	b.button(Rect{btns.Right() - bw, btns.Y, bw, btns.H}, b.s.Cancel, Intent{Kind: Cancel}, false)
}

// refusedBooking is the last booking of r this screen made that the
// backend refused, in words ("Karen, i morgen, tirsdag 24. november kl.
// 13:00–15:00: Tiden blev lige taget …"), while its time is still ahead.
func (b *builder) refusedBooking(r board.Bookable) string {
	for i := len(b.in.Outbox) - 1; i >= 0; i-- {
		o := b.in.Outbox[i]
		if o.ItemType != board.BookingItem || o.Action != board.Book || o.ItemID != r.ID || o.State != board.Refused || !o.End.After(b.in.Now) {
			continue
		}
		who := ""
		if p, ok := b.in.Board.Profile(o.ProfileID); ok {
			who = p.Name + ", "
		}
		return who + b.bookingDay(o.Start, o.End) + ": " + b.s.BookingRefusal(o.Reason)
	}
	return ""
}
