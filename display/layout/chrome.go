package layout

import (
	"fmt"
	"math"
	"skaerm/board"
	"skaerm/words"
	"strings"
)

// portrait reports whether the screen is taller than wide.
func (b *builder) portrait() bool { return b.in.H > b.in.W }

// margin is the space around the page and between blocks.
func (b *builder) margin() float64 { return 2 * b.u }

// headerH is the header's height: in portrait it has a row of its own for
// the part of the day.
func (b *builder) headerH() float64 {
	if b.portrait() && !b.in.DayUnknown {
		return 17 * b.u
	}
	return 11 * b.u
}

// header draws the department, the date and the clock along the top and
// returns the area left below it.
func (b *builder) header() Rect {
	M := b.margin()
	full := Rect{0, 0, b.in.W, b.in.H}
	head, rest := full.takeTop(b.headerH(), 0)
	b.box(head, Card, Card, 0, 0)
	b.box(Rect{0, head.Bottom() - 0.3*b.u, b.in.W, 0.3 * b.u}, Line, Line, 0, 0)
	inner := head.Inset(M)
	clockF := Font{Size: 8.5 * b.u, Bold: true}
	clock := words.Clock(b.in.Now, b.loc)
	date := b.s.Date(b.in.Now, b.loc)
	if b.in.DayUnknown {
		// Claim no day and no time: say which day the board is from.
		clock = "--:--"
		date = fmt.Sprintf(b.s.BoardOf, b.s.ShortDate(b.in.Now, b.loc))
	}
	cw := b.m.Width("00:00", clockF) + b.u
	clockR := Rect{inner.Right() - cw, inner.Y, cw, inner.H}
	left := Rect{inner.X, inner.Y, inner.W - cw - M, inner.H}
	if b.in.Logo {
		var logo Rect
		logo, left = left.takeLeft(inner.H*2, M)
		b.p.Items = append(b.p.Items, Item{Kind: Picture, R: logo, Media: LogoKey, Fit: true})
	}
	if b.in.Login != nil && !b.portrait() {
		bh := minF(inner.H, 8*b.u)
		if w := b.headerLogin(Rect{left.X, inner.Y + (inner.H-bh)/2, left.W, bh}); w > 0 {
			left.W -= w + M
		}
	}
	b.line(clockR, clock, clockF, Accent, Right)
	rows := left.splitV(0, 1, 1)
	dept := ""
	if b.in.Board != nil {
		dept = b.in.Board.Department.Name
	}
	dateRow := rows[0]
	besideDate := false // the part of the day takes the right of the date's row
	// While someone is logged in the header names them instead of the part
	// of the day (landscape has room for one of the two beside the date).
	showPart := !b.in.DayUnknown && !(b.in.Login.LoggedIn() && !b.portrait())
	if showPart {
		// The part of the day in words beside the clock: its own row in
		// portrait, the right of the date's row in landscape.
		if b.portrait() {
			rows = left.splitV(0, 1, 1, 1)
			dateRow = rows[0]
			b.partOfDay(rows[1], Left)
			rows = rows[1:]
		} else {
			dateRow.W -= b.partOfDay(dateRow, Right) + M
			besideDate = true
		}
	}
	b.line(dateRow, date, Font{Size: 4.6 * b.u, Bold: true}, Ink, Left)
	sub := rows[1]
	// A calm note, not an alarm, right of the department's name; when it
	// does not fit there whole, or the part of the day's pictogram and
	// words reach down there, in a strip of its own under the header.
	note := func(msg string) {
		dw := b.m.Width(dept, b.fBody)
		maxTag := sub.W - minF(dw, sub.W*0.45) - M
		mw := b.m.Width(msg, b.fSmall) + 1.6*b.u
		if mw > maxTag || besideDate {
			var strip Rect
			strip, rest = rest.takeTop(b.lineH(b.fSmall)+1.6*b.u, 0)
			b.box(strip, Card, Card, 0, 0)
			b.box(Rect{0, strip.Bottom() - 0.3*b.u, b.in.W, 0.3 * b.u}, Line, Line, 0, 0)
			b.line(Rect{strip.X + M, strip.Y, strip.W - 2*M, strip.H - 0.3*b.u}, msg, b.fSmall, Ink, Left)
			return
		}
		w := b.tag(sub.Right()-mw, sub.Y+(sub.H-b.m.Metrics(b.fSmall).Height()-0.4*b.u)/2, msg, b.fSmall, Paper, Ink, maxTag)
		sub.W -= w + M
	}
	switch {
	case b.in.DayUnknown:
		note(b.s.ClockUnset)
	case b.in.Offline && !b.in.LastSync.IsZero():
		// The board is still good, only older.
		note(b.s.Updated(b.in.LastSync, b.in.Now, b.loc))
	}
	b.line(sub, dept, b.fBody, Muted, Left)
	if b.in.Login != nil && b.portrait() && (b.in.Login.Offered || b.in.Login.LoggedIn()) {
		// Portrait: the login has a strip of its own under the header.
		var strip Rect
		strip, rest = rest.takeTop(11*b.u, 0)
		b.box(strip, Card, Card, 0, 0)
		b.box(Rect{0, strip.Bottom() - 0.3*b.u, b.in.W, 0.3 * b.u}, Line, Line, 0, 0)
		in := strip.Inset(M)
		in.H -= 0.3 * b.u
		b.headerLogin(in)
	}
	rest = b.notices(rest)
	return Rect{rest.X + M, rest.Y + M, rest.W - 2*M, rest.H - 2*M}
}

// Notices on a page: at most this many at once, and together at most this
// share of the room under the header.
const (
	noticesShown = 2
	noticesShare = 0.4
)

// notices draws staff's notices shown now (urgent first) in bands across
// the top of r, under the header and its clock, and returns the room left
// below them: every page takes them, and nothing of the page is hidden
// under them. An urgent one is on Alarm and says so in words; an info one
// on a calm colour.
func (b *builder) notices(r Rect) Rect {
	if b.in.Board == nil {
		return r
	}
	ns := b.in.Board.NoticesAt(b.in.Now)
	if len(ns) > noticesShown {
		ns = ns[:noticesShown]
	}
	M := b.margin()
	titleF := Font{Size: 5.4 * b.u, Bold: true}
	bodyF := Font{Size: b.fBody.Size}
	room := r.H * noticesShare
	for _, n := range ns {
		fill, ink := Calm, Ink
		title := n.Title
		if n.Level == board.NoticeUrgent {
			fill, ink = Alarm, OnDark
			title = strings.TrimSpace(b.s.Important + ": " + title)
		}
		w := r.W - 2*M
		tl := len(Wrap(b.m, title, titleF, w, 2))
		bl := 0
		if n.Body != "" {
			bl = len(Wrap(b.m, n.Body, bodyF, w, 3))
		}
		h := float64(tl)*b.lineH(titleF) + float64(bl)*b.lineH(bodyF) + 2*M
		if bl > 0 {
			h += 0.5 * M
		}
		if h > room {
			h = room
		}
		if h < b.lineH(titleF)+2*M {
			break
		}
		band, more := r.takeTop(h, 0)
		r, room = more, room-h
		b.box(band, fill, fill, 0, 0)
		in := band.Inset(M)
		used := b.para(in, title, titleF, ink, 2)
		if bl > 0 {
			b.para(Rect{in.X, in.Y + used + 0.5*M, in.W, in.H - used - 0.5*M}, n.Body, bodyF, ink, 3)
		}
	}
	return r
}

// partOfDay draws the sky pictogram and the part of the day in words
// ("Mandag formiddag") at the left or right of r, and returns its width.
func (b *builder) partOfDay(r Rect, a Align) float64 {
	f := Font{Size: 4.6 * b.u, Bold: true}
	text := b.s.PartOfDay(b.in.Now, b.loc)
	iconS := 6 * b.u
	if a == Left {
		// Portrait: a row of its own between the date and the department,
		// lower than the pictogram; it stays inside it.
		iconS = math.Min(iconS, r.H)
	}
	room := r.W - iconS - b.u
	if a == Right {
		room = r.W*0.5 - iconS - b.u // the date keeps the other half
	}
	tw := math.Min(b.m.Width(text, f), room)
	w := iconS + b.u + tw
	x := r.X
	if a == Right {
		x = r.Right() - w
	}
	icon := Rect{x, r.Y + (r.H-iconS)/2, iconS, iconS}
	b.p.Items = append(b.p.Items, Item{Kind: Icon, R: icon, Text: SkyPictogram(words.PartOfDay(b.in.Now, b.loc)), Color: Accent})
	b.line(Rect{x + iconS + b.u, r.Y, tw, r.H}, text, f, Ink, Left)
	return w
}

func minF(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// navItem is a button of the navigation bar.
type navItem struct {
	page  board.PageKind
	label string
}

func (b *builder) navItems() []navItem {
	return []navItem{
		{board.PageToday, b.s.Today}, {board.PageWeek, b.s.Week}, {board.PageRoster, b.s.Roster},
		{board.PageBookings, b.s.Bookings}, {board.PageNews, b.s.News}, {board.PageGallery, b.s.Gallery},
	}
}

// nav draws the navigation bar at the bottom of r and returns what is left
// above it. The current page's button is filled and says so in its frame.
func (b *builder) nav(r Rect) Rect {
	items := b.navItems()
	rowsN := 1
	if b.portrait() {
		rowsN = 2
	}
	bh := 8.5 * b.u
	gap := 1.2 * b.u
	barH := float64(rowsN)*bh + float64(rowsN-1)*gap
	bar, rest := r.takeBottom(barH, b.margin())
	rows := bar.splitV(gap, repeat(1, rowsN)...)
	per := (len(items) + rowsN - 1) / rowsN
	cur := b.p.ID.Kind
	for ri, row := range rows {
		lo, hi := ri*per, min((ri+1)*per, len(items))
		cols := row.splitH(gap, repeat(1, hi-lo)...)
		for i, it := range items[lo:hi] {
			b.button(cols[i], it.label, Intent{Kind: Open, Page: board.PageOf(it.page)}, it.page == cur)
		}
	}
	return rest
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// frame draws header and navigation and returns the content area.
func (b *builder) frame() Rect {
	content := b.header()
	return b.nav(content)
}

// blockTitle draws a block heading and returns the area below it.
func (b *builder) blockTitle(r Rect, title string) Rect {
	h := b.lineH(b.fTitle)
	top, rest := r.takeTop(h, 0.8*b.u)
	b.line(top, title, b.fTitle, Ink, Left)
	return rest
}

// titleRow takes the row for a block heading from the top of r; heading
// fills it in once the block knows how much did not fit.
func (b *builder) titleRow(r Rect) (top, rest Rect) {
	return r.takeTop(8*b.u, 0.8*b.u)
}

// heading draws a block title in top and, when more items did not fit, a
// "+N flere" button at its right that opens page.
func (b *builder) heading(top Rect, title string, more int, page board.PageKind) {
	if more > 0 {
		bf := Font{Size: b.fBody.Size, Bold: true}
		label := fmt.Sprintf(b.s.More, more)
		if b.m.Width(title, b.fTitle)+b.m.Width(label, bf)+6*b.u > top.W {
			label = fmt.Sprintf("+%d", more) // the title comes first
		}
		bw := math.Min(top.W*0.45, b.m.Width(label, bf)+4*b.u)
		bw = math.Max(bw, 12*b.u)
		b.button(Rect{top.Right() - bw, top.Y, bw, top.H}, label, Intent{Kind: Open, Page: board.PageOf(page)}, false)
		top.W -= bw + b.u
	}
	b.line(top, title, b.shrink(title, b.fTitle, top.W, b.fBody.Size), Ink, Left)
}

// card draws a card's frame.
func (b *builder) card(r Rect) {
	b.box(r, Card, Line, 0.25*b.u, 1.2*b.u)
}

// notice draws the state's message as a banner over the header, which holds
// nothing to tap: the page under it stays where it was, so the face or
// button a resident just tapped is still under the finger.
func (b *builder) notice() {
	n := b.in.State.Notice
	if n.Text == "" {
		return
	}
	fill := Good
	if n.Bad {
		fill = Alarm
	}
	r := Rect{0, 0, b.in.W, b.headerH()}
	b.box(r, fill, fill, 0, 0)
	b.line(r.Inset(b.margin()), n.Text, Font{Size: b.fTitle.Size, Bold: true}, OnDark, Left)
}
