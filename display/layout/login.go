package layout

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/personal"
	"skaerm/words"
)

// The personal login ("Min side"): the header's "Log ind" and "Log ud", the
// face grid to log in from, the PIN keypad, and the resident's own page.
// Everything drawn from the personal page is marked Private, so a remote
// screenshot can cover it.

// LoginView is what the screen knows about the personal login.
type LoginView struct {
	Offered bool // a login client exists and the backend has not said no
	// Offline: the backend cannot be reached now; logging in is not
	// possible and the login page says so.
	Offline bool
	// Who is the logged-in profile, "" when nobody is.
	Who, Name string
	Page      *personal.Page // Min side; nil while it loads
	Loading   bool           // Min side is being fetched
	Digits    int            // PIN digits typed so far (the digits stay in the game)
	Message   string         // under the keypad: a wrong PIN, a lock, offline
	Bad       bool
	Wait      time.Duration // the keypad waits this long before the next try
	Busy      bool          // a login is on its way
	Prompt    bool          // "Er du her stadig?"
	Draft     string        // the suggestion being written (memory only)
	DraftLen  int           // its length in characters
	Shift     bool          // the keyboard types capitals
}

// LoggedIn reports whether someone is logged in.
func (v *LoginView) LoggedIn() bool { return v != nil && v.Who != "" }

func (b *builder) lw() words.LoginWords { return b.lang.Login }

// private appends items marked Private from index i on.
func (b *builder) markPrivate(from int) {
	for i := from; i < len(b.p.Items); i++ {
		b.p.Items[i].Private = true
	}
}

// headerLogin draws "Log ind", or who is logged in and "Log ud", at the right
// of r (the header's row left of the clock), and returns the width taken.
func (b *builder) headerLogin(r Rect) float64 {
	v := b.in.Login
	if v == nil || (!v.Offered && !v.LoggedIn()) {
		return 0
	}
	w := b.lw()
	bf := Font{Size: b.fBody.Size, Bold: true}
	if !v.LoggedIn() {
		bw := b.m.Width(w.LogIn, bf) + 5*b.u
		btn := Rect{r.Right() - bw, r.Y, bw, r.H}
		b.button(btn, w.LogIn, Intent{Kind: Open, Page: board.PageOf(board.PageLogin)}, false)
		return bw
	}
	// "Log ud" is large and filled: always there, easy to find.
	bw := b.m.Width(w.LogOut, bf) + 6*b.u
	btn := Rect{r.Right() - bw, r.Y, bw, r.H}
	b.button(btn, w.LogOut, Intent{Kind: Logout}, true)
	label := fmt.Sprintf(w.LoggedIn, v.Name)
	room := r.W * 0.4
	if b.portrait() {
		room = r.W - bw - r.H - 3*b.u // the strip is the login's own
	}
	lf := b.shrink(label, bf, room, b.fSmall.Size)
	lw := math.Min(b.m.Width(label, lf), room)
	d := r.H
	x := btn.X - b.u - lw
	start := len(b.p.Items)
	b.line(Rect{x, r.Y, lw, r.H}, label, lf, Ink, Left)
	if p, ok := b.in.Board.Profile(v.Who); ok {
		x -= d + b.u
		b.face(Rect{x, r.Y, d, d}, p)
	}
	b.markPrivate(start)
	// Tapping the name opens Min side.
	b.target(Rect{x, r.Y, btn.X - x, r.H}, Intent{Kind: Open, Page: board.PageOf(board.PageMe)})
	return r.Right() - x
}

// login lays out the face grid, or says why logging in is not possible.
func (b *builder) login() {
	content := b.frame()
	b.notice()
	w := b.lw()
	v := b.in.Login
	switch {
	case v == nil || !v.Offered:
		b.loginMessage(content, w.NotOffered)
		return
	case v.Offline:
		b.loginMessage(content, w.Offline)
		return
	}
	hf := Font{Size: b.fTitle.Size, Bold: true}
	hint, rest := content.takeTop(b.lineH(hf), 1.5*b.u)
	b.line(hint, w.TapYourPicture, b.shrink(w.TapYourPicture, hf, hint.W, b.fBody.Size), Ink, Left)
	people := b.residents()
	nameH := b.lineH(b.fBody)
	g := gridSpec{gap: 1.5 * b.u, maxW: 30 * b.u, minW: 18 * b.u,
		height: func(cw float64) float64 { return cw*0.7 + nameH + b.u }}
	b.pagedGrid(rest, len(people), g, func(cr Rect, i int) {
		p := people[i]
		b.box(cr, Card, Line, 0.25*b.u, 1.2*b.u)
		in := cr.Inset(0.6 * b.u)
		d := math.Min(in.W, in.H-nameH)
		b.face(Rect{in.X + (in.W-d)/2, in.Y, d, d}, p)
		b.line(Rect{in.X, in.Y + d, in.W, nameH}, p.Name, Font{Size: b.fBody.Size, Bold: true}, Ink, Center)
		b.target(cr, Intent{Kind: Open, Page: board.PINPage(p.ID)})
	})
}

// loginMessage: why logging in is not possible, and the way back.
func (b *builder) loginMessage(r Rect, msg string) {
	b.card(r)
	in := r.Inset(3 * b.u)
	back, rest := in.takeTop(9*b.u, 3*b.u)
	back.W = math.Min(back.W, 30*b.u)
	b.button(back, "‹ "+b.s.Back, Intent{Kind: Open, Page: board.PageOf(board.PageToday)}, false)
	b.para(rest, msg, Font{Size: b.fTitle.Size, Bold: true}, Ink, 6)
}

// keySide is the keypad's key size: large (a 24" screen at 1920x1080 has
// 0.28 mm pixels; 15 mm is 54 px there, 36 px at 1280x720) and never
// smaller than 15 mm on any screen this size runs on.
func (b *builder) keySide(area Rect) float64 {
	gap := 1.5 * b.u
	s := math.Min((area.W-2*gap)/3, (area.H-3*gap)/4)
	return math.Min(s, 22*b.u)
}

// pin lays out the keypad for the profile in the page id.
func (b *builder) pin(page board.PageID) {
	p, ok := b.in.Board.Profile(page.PINProfile())
	if !ok || b.in.Login == nil || !b.in.Login.Offered {
		b.p.ID = board.PageOf(board.PageLogin)
		b.login()
		return
	}
	content := b.frame()
	b.notice()
	v, w := b.in.Login, b.lw()
	var left, right Rect
	if b.portrait() {
		parts := content.splitV(b.margin(), 0.8, 1.2)
		left, right = parts[0], parts[1]
	} else {
		parts := content.splitH(b.margin(), 1, 1)
		left, right = parts[0], parts[1]
	}
	b.card(left)
	in := left.Inset(2 * b.u)
	back, rest := in.takeTop(9*b.u, 2*b.u)
	back.W = math.Min(back.W, 30*b.u)
	b.button(back, "‹ "+w.Back, Intent{Kind: Open, Page: board.PageOf(board.PageLogin)}, false)
	faceS := math.Min(24*b.u, rest.H*0.4)
	top, rest := rest.takeTop(faceS, 2*b.u)
	face, name := top.takeLeft(faceS, 2*b.u)
	b.face(face, p)
	b.line(name, p.Name, Font{Size: 6 * b.u, Bold: true}, Ink, Left)
	row, rest := rest.takeTop(b.lineH(b.fTitle), b.u)
	b.line(row, w.TypePIN, b.fTitle, Ink, Left)
	// Four places, filled as digits are typed: the count is visible, the
	// digits are not.
	dots, rest := rest.takeTop(8*b.u, 2*b.u)
	ds := 6 * b.u
	for i := 0; i < 4; i++ {
		r := Rect{dots.X + float64(i)*(ds+2.5*b.u), dots.Y + (dots.H-ds)/2, ds, ds}
		if i < v.Digits {
			b.box(r, Ink, Ink, 0, ds/2)
		} else {
			b.box(r, Card, Ink, 0.45*b.u, ds/2)
		}
	}
	mf := Font{Size: b.fBody.Size, Bold: true}
	if v.Message != "" {
		c := Ink
		if v.Bad {
			c = Alarm
		}
		h := b.para(rest, v.Message, mf, c, 3)
		rest.Y += h + b.u
		rest.H -= h + b.u
	}
	if v.Wait > 0 {
		b.para(rest, fmt.Sprintf(w.WaitSeconds, int(math.Ceil(v.Wait.Seconds()))), b.fBody, Ink, 2)
	}
	// The keypad: 1-9, then Slet and 0. Digits only.
	s := b.keySide(right)
	gap := 1.5 * b.u
	kw, kh := 3*s+2*gap, 4*s+3*gap
	x0, y0 := right.X+(right.W-kw)/2, right.Y+(right.H-kh)/2
	enabled := v.Wait <= 0 && !v.Busy
	key := func(col, row int, label string, digit int) {
		r := Rect{x0 + float64(col)*(s+gap), y0 + float64(row)*(s+gap), s, s}
		if !enabled {
			b.box(r, Chip, Line, 0.3*b.u, b.u)
			b.line(r, label, Font{Size: math.Min(s*0.45, 9*b.u), Bold: true}, Muted, Center)
			return
		}
		b.box(r, Card, Accent, 0.45*b.u, b.u)
		f := Font{Size: math.Min(s*0.45, 9*b.u), Bold: true}
		if digit < 0 {
			f = b.shrink(label, Font{Size: math.Min(s*0.3, 5*b.u), Bold: true}, s-b.u, b.fSmall.Size)
		}
		b.line(r, label, f, Accent, Center)
		b.target(r, Intent{Kind: Key, Offset: digit})
	}
	for i := 1; i <= 9; i++ {
		key((i-1)%3, (i-1)/3, fmt.Sprint(i), i)
	}
	key(0, 3, w.Delete, -1)
	key(1, 3, "0", 0)
}

// me lays out Min side.
func (b *builder) me() {
	v, w := b.in.Login, b.lw()
	if !v.LoggedIn() {
		b.p.ID = board.PageOf(board.PageLogin)
		b.login()
		return
	}
	content := b.frame()
	b.notice()
	if v.Page == nil {
		b.card(content)
		b.line(content.Inset(3*b.u).withX(content.X+3*b.u, content.W-6*b.u), w.Loading, b.fTitle, Muted, Left)
		return
	}
	var cols []Rect
	if b.portrait() {
		cols = content.splitV(b.margin(), 1, 1.3)
	} else {
		cols = content.splitH(b.margin(), 1, 1.25)
	}
	b.mySignups(cols[0])
	right := cols[1]
	parts := right.splitV(b.margin(), 1.3, 1)
	b.myShared(parts[0])
	bottom := parts[1].splitH(b.margin(), 1, 1)
	b.myGroups(bottom[0])
	b.mySuggestions(bottom[1])
}

// signupRow is one of my sign-ups.
type signupRow struct {
	typ         board.ItemType
	id, title   string
	start, end  time.Time
	open        bool
	pendingLeft bool
}

// myBookings are the logged-in resident's bookings from now on, with
// this screen's own not yet answered laid over them: a booking waiting for
// the backend, or one being cancelled, says so.
func (b *builder) myBookings(who string) []signupRow {
	var rows []signupRow
	bd := b.in.Board
	cancelling := map[string]bool{}
	for _, o := range b.in.Outbox {
		if o.ItemType != board.BookingItem || o.State != board.Pending || o.ProfileID != who {
			continue
		}
		switch o.Action {
		case board.Cancel:
			cancelling[o.ItemID] = true
		case board.Book:
			if r, ok := bd.Bookable(o.ItemID); ok && o.End.After(b.in.Now) {
				rows = append(rows, signupRow{typ: board.BookingItem, title: r.Name, start: o.Start, end: o.End, pendingLeft: true})
			}
		}
	}
	for _, x := range bd.Bookings {
		if x.ProfileID != who || board.Ended(x.Start, x.End, b.in.Now) {
			continue
		}
		r, ok := bd.Bookable(x.ResourceID)
		rows = append(rows, signupRow{typ: board.BookingItem, id: x.ID, title: x.Resource, start: x.Start, end: x.End,
			open: ok && board.CanCancel(r, x, b.in.Now), pendingLeft: cancelling[x.ID]})
	}
	return rows
}

// mySignups: what I am signed up for in the next 7 days, each with Afmeld.
func (b *builder) mySignups(r Rect) {
	w, who := b.lw(), b.in.Login.Who
	b.card(r)
	in := r.Inset(2 * b.u)
	rest := b.blockTitle(in, w.MySignups)
	from, to := b.in.Now, b.in.Now.Add(7*24*time.Hour)
	var rows []signupRow
	add := func(typ board.ItemType, id, title string, s board.Signups, start, end time.Time, open bool) {
		if !overlaps(start, end, from, to) || board.Ended(start, end, b.in.Now) {
			return
		}
		mem := MemberOf(s, b.in.Outbox, typ, id, who)
		if !mem.Joined && !(mem.Pending && s.Has(who)) {
			return
		}
		// Like the backend, no change once the item has started.
		open = open && b.in.Now.Before(start)
		rows = append(rows, signupRow{typ: typ, id: id, title: title, start: start, end: end, open: open, pendingLeft: mem.Pending && !mem.Joined})
	}
	bd := b.in.Board
	for _, a := range bd.Activities {
		add(board.ActivityItem, a.ID, a.Title, a.Signups, a.Start, a.End, a.SignupOpen)
	}
	for _, m := range bd.Meals {
		open := m.SignupDeadline.IsZero() || b.in.Now.Before(m.SignupDeadline)
		add(board.MealItem, m.ID, b.s.Meal(m.Kind), m.Signups, m.Start, m.End, open)
	}
	for _, m := range bd.Meetings {
		add(board.MeetingItem, m.ID, m.Title, m.Signups, m.Start, m.End, true)
	}
	rows = append(rows, b.myBookings(who)...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].start.Before(rows[j].start) })
	start := len(b.p.Items)
	if len(rows) == 0 {
		b.para(rest, w.NoSignups, b.fBody, Muted, 3)
		b.markPrivate(start)
		return
	}
	rowH := 10 * b.u
	bf := Font{Size: b.fBody.Size, Bold: true}
	for _, row := range rows {
		if rest.H < rowH {
			break
		}
		var line Rect
		line, rest = rest.takeTop(rowH, b.u)
		b.box(line, Paper, Line, 0.2*b.u, b.u)
		li := line.Inset(b.u)
		bw := math.Min(24*b.u, li.W*0.35)
		btn := Rect{li.Right() - bw, li.Y, bw, li.H}
		text := Rect{li.X, li.Y, li.W - bw - b.u, li.H}
		halves := text.splitV(0, 1, 1)
		b.line(halves[0], row.title, bf, Ink, Left)
		when := words.Span(row.start, row.end, b.loc) + "  " + b.s.Day(row.start, b.in.Now, b.loc)
		if row.typ == board.BookingItem && !board.SameDay(row.start, row.end, b.loc) {
			when = b.bookingDay(row.start, row.end)
		}
		b.line(halves[1], when, b.fSmall, Ink, Left)
		switch {
		case row.pendingLeft:
			b.line(btn, b.s.Pending, Font{Size: b.fSmall.Size, Bold: true}, Muted, Center)
		case row.open && row.typ == board.BookingItem:
			sg := board.Signup{ItemType: board.BookingItem, ItemID: row.id, ProfileID: who, Action: board.Cancel}
			b.button(btn, w.CancelBooking, Intent{Kind: Confirm, Profile: who, Signup: sg}, false)
		case row.open:
			sg := board.Signup{ItemType: row.typ, ItemID: row.id, ProfileID: who, Action: board.Leave}
			b.button(btn, w.Unsubscribe, Intent{Kind: Confirm, Profile: who, Signup: sg}, false)
		default:
			b.line(btn, b.s.Closed, Font{Size: b.fSmall.Size, Bold: true}, Muted, Center)
		}
	}
	b.markPrivate(start)
}

// myShared: pictures and documents shared to me, and pictures I am on.
func (b *builder) myShared(r Rect) {
	w := b.lw()
	b.card(r)
	in := r.Inset(2 * b.u)
	start := len(b.p.Items)
	rest := b.blockTitle(in, w.SharedWithMe)
	tiles := b.tiles()
	if len(tiles) == 0 {
		b.para(rest, w.NothingShared, b.fBody, Muted, 2)
		b.markPrivate(start)
		return
	}
	cols := 3
	if b.portrait() {
		cols = 2
	}
	rows := 2
	gap := 1.2 * b.u
	var cells []Rect
	for _, row := range rest.splitV(gap, repeat(1, rows)...) {
		cells = append(cells, row.splitH(gap, repeat(1, cols)...)...)
	}
	for i, t := range tiles {
		if i >= len(cells) {
			break
		}
		c := cells[i]
		capR, pic := c.takeBottom(b.lineH(b.fTiny), 0.3*b.u)
		if t.note != "" {
			var noteR Rect
			noteR, pic = pic.takeBottom(b.lineH(b.fTiny), 0)
			b.line(noteR, t.note, Font{Size: b.fTiny.Size, Bold: true}, Accent, Left)
		}
		b.box(pic, Chip, Chip, 0, b.u)
		b.p.Items = append(b.p.Items, Item{Kind: Picture, R: pic, Media: t.media, Radius: b.u})
		b.line(capR, t.caption, b.fTiny, Ink, Left)
		b.target(c, Intent{Kind: Open, Page: SharedPage(t.id)})
	}
	b.markPrivate(start)
}

// tile is one picture of Min side: shared to me, or a gallery picture I
// am on.
type tile struct{ id, media, caption, note, kind string }

func (b *builder) tiles() []tile {
	w, pg := b.lw(), b.in.Login.Page
	var tiles []tile
	for _, it := range pg.Shared {
		t := tile{id: it.ID, media: PersonalKey(it.Media.SHA256), caption: it.Title, kind: it.Kind}
		switch {
		case it.Kind == personal.Video:
			t.note = w.VideoInApp
		case it.Kind == personal.Document && !strings.HasPrefix(it.Media.ContentType, "image/"):
			t.note = w.DocumentInApp // a PDF: the screen does not draw it
		case it.Kind == personal.Document:
			t.note = w.Document
		}
		tiles = append(tiles, t)
	}
	photos := map[string]board.Photo{}
	for _, p := range b.in.Board.Gallery {
		photos[p.ID] = p
	}
	for _, id := range pg.Tagged {
		if p, ok := photos[id]; ok {
			tiles = append(tiles, tile{id: p.ID, media: p.Image, caption: p.Caption, note: w.PicturesOfMe, kind: personal.Picture})
		}
	}
	return tiles
}

// SharedPage is the page showing one picture of Min side full size.
func SharedPage(id string) board.PageID { return board.PageID{Kind: board.PageMe, ID: "shared/" + id} }

// shared shows one picture of Min side as large as it goes, with its
// title, the way back and the next and previous ones.
func (b *builder) shared(id string) {
	v, w := b.in.Login, b.lw()
	if !v.LoggedIn() || v.Page == nil {
		b.p.ID = board.PageOf(board.PageMe)
		b.me()
		return
	}
	tiles := b.tiles()
	at := -1
	for i, t := range tiles {
		if t.id == id {
			at = i
		}
	}
	if at < 0 {
		b.p.ID = board.PageOf(board.PageMe)
		b.me()
		return
	}
	content := b.header()
	b.notice()
	t := tiles[at]
	btns, rest := content.takeBottom(11*b.u, b.margin())
	capR, pic := rest.takeBottom(b.lineH(b.fTitle), b.u)
	start := len(b.p.Items)
	b.box(pic, Ink, Ink, 0, b.u)
	b.p.Items = append(b.p.Items, Item{Kind: Picture, R: pic, Media: t.media, Fit: true})
	caption := t.caption
	if t.note != "" {
		caption = t.note + ": " + caption
	}
	b.line(capR, caption, b.shrink(caption, b.fTitle, capR.W, b.fBody.Size), Ink, Left)
	b.markPrivate(start)
	parts := btns.splitH(b.margin(), 1, 1.4, 1)
	if at > 0 {
		b.p.SwipeRight = Intent{Kind: Open, Page: SharedPage(tiles[at-1].id)}
		b.button(parts[0], "‹ "+b.s.Earlier, b.p.SwipeRight, false)
	}
	b.button(parts[1], w.Back, Intent{Kind: Open, Page: board.PageOf(board.PageMe)}, true)
	if at+1 < len(tiles) {
		b.p.SwipeLeft = Intent{Kind: Open, Page: SharedPage(tiles[at+1].id)}
		b.button(parts[2], b.s.Later+" ›", b.p.SwipeLeft, false)
	}
}

func (b *builder) myGroups(r Rect) {
	w, pg := b.lw(), b.in.Login.Page
	b.card(r)
	in := r.Inset(2 * b.u)
	start := len(b.p.Items)
	rest := b.blockTitle(in, w.MyGroups)
	if len(pg.Groups) == 0 {
		b.line(Rect{rest.X, rest.Y, rest.W, b.lineH(b.fBody)}, w.NoGroups, b.fBody, Muted, Left)
	}
	for _, g := range pg.Groups {
		if rest.H < b.lineH(b.fBody) {
			break
		}
		var row Rect
		row, rest = rest.takeTop(b.lineH(b.fBody), 0)
		b.line(row, g.Name, b.fBody, Ink, Left)
	}
	b.markPrivate(start)
}

func (b *builder) mySuggestions(r Rect) {
	w, pg := b.lw(), b.in.Login.Page
	b.card(r)
	in := r.Inset(2 * b.u)
	if _, ok := board.NextMeeting(b.in.Board, b.in.Now); ok {
		var btn Rect
		btn, in = in.takeBottom(10*b.u, b.u)
		b.button(btn, w.WriteSuggestion, Intent{Kind: Open, Page: board.PageID{Kind: board.PageMe, ID: "keyboard"}}, true)
	}
	start := len(b.p.Items)
	rest := b.blockTitle(in, w.MySuggestions)
	if len(pg.Suggestions) == 0 {
		b.line(Rect{rest.X, rest.Y, rest.W, b.lineH(b.fBody)}, w.NoSuggestions, b.fBody, Muted, Left)
	}
	for _, s := range pg.Suggestions {
		if rest.H < b.lineH(b.fSmall) {
			break
		}
		h := b.para(rest, "- "+s.Text, b.fSmall, Ink, 2)
		rest.Y += h
		rest.H -= h
	}
	b.markPrivate(start)
}

// PersonalKey is the picture key of a shared item's medium: it is looked up
// among the session's pictures in memory, never in the cache.
func PersonalKey(sha string) string { return personalPrefix + sha }

const personalPrefix = "me:"

// IsPersonalKey reports whether a picture key names a session picture.
func IsPersonalKey(key string) bool { return strings.HasPrefix(key, personalPrefix) }

// stillHere covers the page with the question after a minute without a
// touch.
func (b *builder) stillHere() {
	v := b.in.Login
	if !v.LoggedIn() || !v.Prompt {
		return
	}
	w := b.lw()
	b.p.Targets = nil // modal
	b.box(Rect{0, 0, b.in.W, b.in.H}, Shade, Shade, 0, 0)
	dw := math.Min(b.in.W-4*b.margin(), 110*b.u)
	dh := math.Min(b.in.H-4*b.margin(), 50*b.u)
	d := Rect{(b.in.W - dw) / 2, (b.in.H - dh) / 2, dw, dh}
	b.box(d, Card, Ink, 0.4*b.u, 2*b.u)
	in := d.Inset(3 * b.u)
	btns, top := in.takeBottom(math.Min(14*b.u, in.H/2), 2*b.u)
	b.para(top, w.StillHere, Font{Size: 7 * b.u, Bold: true}, Ink, 2)
	parts := btns.splitH(3*b.u, 1.4, 1)
	b.button(parts[0], w.YesStillHere, Intent{Kind: Stay}, true)
	b.button(parts[1], w.LogOut, Intent{Kind: Logout}, false)
}

// signUpMe: while someone is logged in, a large "Tilmeld mig" (or "Afmeld")
// over the face grid signs them up without finding their own face. It
// returns what is left of r.
func (b *builder) signUpMe(r Rect, it item) Rect {
	v := b.in.Login
	if !v.LoggedIn() || !it.open || (it.typ == board.MealItem && !it.signupsTaken) {
		return r
	}
	w := b.lw()
	row, rest := r.takeTop(12*b.u, 1.5*b.u)
	mem := MemberOf(it.signups, b.in.Outbox, it.typ, it.id, v.Who)
	sg := board.Signup{ItemType: it.typ, ItemID: it.id, ProfileID: v.Who, Action: board.Join}
	label := w.SignUpMe
	switch {
	case mem.Pending:
		b.box(row, Chip, Line, 0.3*b.u, b.u)
		b.line(row.Inset(b.u), b.s.Pending, Font{Size: b.fBody.Size, Bold: true}, Ink, Center)
		return rest
	case mem.Joined:
		sg.Action, label = board.Leave, w.Unsubscribe
	case it.full:
		b.box(row, Chip, Line, 0.3*b.u, b.u)
		b.line(row.Inset(b.u), b.s.RefusedFull, Font{Size: b.fBody.Size, Bold: true}, Alarm, Center)
		return rest
	}
	b.button(row, label, Intent{Kind: Confirm, Profile: v.Who, Signup: sg}, !mem.Joined)
	return rest
}

// keyboard lays out "Skriv et forslag": the text so far with its count,
// and a large keyboard laid out as the language's own.
func (b *builder) keyboard() {
	v, w := b.in.Login, b.lw()
	m, ok := board.NextMeeting(b.in.Board, b.in.Now)
	if !v.LoggedIn() || !ok {
		b.p.ID = board.PageOf(board.PageMe)
		b.me()
		return
	}
	content := b.header() // no navigation bar: the keyboard takes the room
	b.notice()
	gap := 1.2 * b.u
	cols := float64(words.KeyboardColumns)
	kw := (content.W - (cols-1)*gap) / cols
	// The text keeps room for its title and four lines.
	minTop := b.lineH(b.fTitle) + 4*b.lineH(b.fBody) + 6*b.u
	rows := float64(words.KeyboardRows + 1) // the letters, then the space bar's row
	kh := math.Min(math.Min(kw, 13*b.u), (content.H-minTop-b.margin()-(rows-1)*gap)/rows)
	kbH := rows*kh + (rows-1)*gap
	top, kb := content.takeTop(content.H-kbH-b.margin(), b.margin())
	b.card(top)
	in := top.Inset(2 * b.u)
	title := fmt.Sprintf(w.SuggestionFor, m.Title, b.s.DateInText(m.Start, b.loc))
	row, rest := in.takeTop(b.lineH(b.fTitle), b.u)
	count := fmt.Sprintf("%d / %d", v.DraftLen, personal.MaxSuggestion)
	cw := b.m.Width(count, b.fBody) + 2*b.u
	b.line(Rect{row.X, row.Y, row.W - cw, row.H}, title, b.shrink(title, b.fTitle, row.W-cw, b.fBody.Size), Ink, Left)
	b.line(Rect{row.Right() - cw, row.Y, cw, row.H}, count, b.fBody, Muted, Right)
	box := rest
	b.box(box, Paper, Accent, 0.35*b.u, b.u)
	start := len(b.p.Items)
	text := v.Draft + "|"
	b.para(box.Inset(1.5*b.u), text, b.fBody, Ink, 0)
	b.markPrivate(start)

	for ri, keys := range b.lang.Keyboard {
		y := kb.Y + float64(ri)*(kh+gap)
		x0 := kb.X + float64(words.KeyboardColumns-len(keys))*(kw+gap)/2 // a shorter row is centred
		for ci, k := range keys {
			r := Rect{x0 + float64(ci)*(kw+gap), y, kw, kh}
			label := k
			if v.Shift && len([]rune(k)) == 1 && k != "⇧" {
				label = strings.ToUpper(k)
			}
			primary := k == "⇧" && v.Shift
			switch k {
			case "⇧": // the font has no arrow: the key says what it types
				label = "ABC"
				if v.Shift {
					label = "abc"
				}
			}
			b.key(r, label, Intent{Kind: Type, Text: k}, primary)
		}
	}
	last := Rect{kb.X, kb.Y + (rows-1)*(kh+gap), kb.W, kh}
	// The delete key sits in this row, where its word has room.
	parts := last.splitH(gap, 2, 3.5, 1.5, 2)
	b.button(parts[0], w.Abort, Intent{Kind: Open, Page: board.PageOf(board.PageMe)}, false)
	b.key(parts[1], w.Space, Intent{Kind: Type, Text: " "}, false)
	b.key(parts[2], w.Delete, Intent{Kind: Type, Text: "⌫"}, false)
	if v.DraftLen > 0 && !v.Busy {
		b.button(parts[3], w.Send, Intent{Kind: Send}, true)
	} else {
		b.box(parts[3], Chip, Line, 0.3*b.u, b.u)
		b.line(parts[3].Inset(b.u), w.Send, Font{Size: b.fBody.Size, Bold: true}, Muted, Center)
	}
}

// key is one key of the on-screen keyboard: a large label, the whole key
// to tap.
func (b *builder) key(r Rect, label string, in Intent, primary bool) {
	fill, fg := Card, Accent
	if primary {
		fill, fg = Accent, OnDark
	}
	b.box(r, fill, Accent, 0.35*b.u, b.u)
	f := Font{Size: math.Min(r.H*0.45, 6*b.u), Bold: true}
	f = b.shrink(label, f, r.W-b.u, b.fTiny.Size)
	b.line(r, label, f, fg, Center)
	b.target(r, in)
}
