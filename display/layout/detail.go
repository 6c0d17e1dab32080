package layout

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// item is what the detail pages have in common.
type item struct {
	typ         board.ItemType
	id          string
	title       string
	start, end  time.Time
	place, body string
	pictogram   string
	signups     board.Signups
	capacity    int
	full, open  bool
	suggestions []board.Suggestion
	deadline    time.Time
	// signupsTaken: residents sign up for it (a meal may take none).
	signupsTaken bool
}

func (b *builder) findItem(page board.PageID) (item, bool) {
	bd, id := b.in.Board, page.ID
	switch page.Kind {
	case board.PageActivity:
		for _, a := range bd.Activities {
			if a.ID == id {
				return item{typ: board.ActivityItem, id: id, title: a.Title, start: a.Start, end: a.End,
					place: a.Location, body: a.Description, pictogram: a.Pictogram, signups: a.Signups,
					capacity: a.Capacity, full: a.Full(), open: a.SignupOpen && b.in.Now.Before(a.Start)}, true
			}
		}
	case board.PageMeal:
		for _, m := range bd.Meals {
			if m.ID == id {
				open := b.in.Now.Before(m.Start)
				if !m.SignupDeadline.IsZero() && !b.in.Now.Before(m.SignupDeadline) {
					open = false
				}
				return item{typ: board.MealItem, id: id, title: b.s.Meal(m.Kind), start: m.Start, end: m.End,
					body: m.Menu, pictogram: "meal-" + string(m.Kind), signups: m.Signups, open: open,
					deadline: m.SignupDeadline, signupsTaken: board.TakesSignups(m)}, true
			}
		}
	case board.PageMeeting:
		for _, m := range bd.Meetings {
			if m.ID == id {
				return item{typ: board.MeetingItem, id: id, title: m.Title, start: m.Start, end: m.End,
					place: m.Location, pictogram: "meeting", signups: m.Signups, suggestions: m.Suggestions,
					open: b.in.Now.Before(m.Start)}, true
			}
		}
	}
	return item{}, false
}

// Member is where one profile stands with an item, as the screen knows it.
type Member struct {
	Joined  bool   // signed up, counting a pending join from this screen
	Pending bool   // a sign-up or cancellation from this screen is on its way
	Refused string // the backend refused this screen's last attempt (reason)
}

// MemberOf combines the board with this screen's outbox for one profile.
func MemberOf(s board.Signups, outbox []board.Signup, typ board.ItemType, itemID, profileID string) Member {
	m := Member{Joined: s.Has(profileID)}
	for _, o := range outbox {
		if o.ItemType != typ || o.ItemID != itemID || o.ProfileID != profileID {
			continue
		}
		switch o.State {
		case board.Refused:
			m.Refused = o.Reason
			m.Pending = false
		default:
			m.Pending = true
			m.Refused = ""
			m.Joined = o.Action == board.Join
		}
	}
	return m
}

// residents are the profiles that can sign up on the screen, by name.
func (b *builder) residents() []board.Profile {
	var out []board.Profile
	for _, p := range b.in.Board.Profiles {
		if p.Kind == board.Resident {
			out = append(out, p)
		}
	}
	keys := make(map[string]string, len(out)) // each name's key once, not at every comparison
	for _, p := range out {
		keys[p.ID] = b.lang.NameKey(p.Name)
	}
	sort.SliceStable(out, func(i, j int) bool { return keys[out[i].ID] < keys[out[j].ID] })
	return out
}

// detail lays out activity/<id>, meal/<id> or meeting/<id>.
func (b *builder) detail(page board.PageID) bool {
	it, ok := b.findItem(page)
	if !ok {
		return false
	}
	content := b.frame()
	b.notice()
	var left, right Rect
	if b.portrait() {
		parts := content.splitV(b.margin(), 1, 1.2)
		left, right = parts[0], parts[1]
	} else {
		parts := content.splitH(b.margin(), 0.85, 1.2)
		left, right = parts[0], parts[1]
	}
	b.detailInfo(left, it, board.KeyOf(page.Kind, page.ID))
	right = b.signUpMe(right, it)
	b.faceGrid(right, it)
	if b.in.State.Pick != "" {
		b.confirm(it)
	}
	return true
}

// detailInfo: back button and speaker button, pictogram and title, time, place, count, text,
// who signed up, suggestions.
func (b *builder) detailInfo(r Rect, it item, key board.CardKey) {
	b.card(r)
	in := r.Inset(1.8 * b.u)
	btn := b.speakerAt(r, 1.8*b.u)
	defer b.speaker(btn, key)
	back, rest := in.takeTop(9*b.u, 1.2*b.u)
	back.W = math.Min(back.W, 30*b.u)
	// Lines that reach down to the speaker button end before it.
	beside := func(r Rect, h float64) Rect {
		if r.Y+h > btn.Y-b.u {
			return b.clear(r, btn)
		}
		return r
	}
	b.button(back, "‹ "+b.s.Back, Intent{Kind: Open, Page: board.PageOf(board.PageToday)}, false)
	titleF := Font{Size: 5.4 * b.u, Bold: true}
	iconS := 2 * b.lineH(titleF) * 0.9
	head, rest := rest.takeTop(iconS, b.u)
	icon, tr := head.takeLeft(iconS, 1.5*b.u)
	b.p.Items = append(b.p.Items, Item{Kind: Icon, R: icon, Text: it.pictogram, Color: Accent})
	b.para(Rect{tr.X, tr.Y + (tr.H-2*b.lineH(titleF))/2, tr.W, 2 * b.lineH(titleF)}, it.title, titleF, Ink, 2)
	row, rest := rest.takeTop(b.lineH(b.fBody), 0)
	when := b.s.ShortDate(it.start, b.loc)
	if board.SameDay(it.start, b.in.Now, b.loc) {
		when = b.s.Today
	}
	b.line(row, when+"  "+words.Span(it.start, it.end, b.loc), Font{Size: b.fBody.Size, Bold: true}, Ink, Left)
	if it.place != "" {
		row, rest = rest.takeTop(b.lineH(b.fBody), 0)
		b.line(row, it.place, b.fBody, Ink, Left)
	}
	row, rest = rest.takeTop(b.lineH(b.fBody), b.u)
	count := b.s.Count(it.signups.Count(), it.capacity)
	if it.typ == board.MealItem {
		count = ""
		if it.signupsTaken {
			count = fmt.Sprintf(b.s.Eating, it.signups.Count())
		}
	}
	b.countLine(row, count, it.full, !it.open)
	if it.body != "" {
		lines := 4
		if len(it.suggestions) > 0 {
			lines = 2
		}
		h := b.para(rest, it.body, b.fSmall, Ink, lines)
		rest.Y += h + b.u
		rest.H -= h + b.u
	}
	if len(it.suggestions) > 0 && rest.H > b.lineH(b.fSmall)*2 {
		top, more := rest.takeTop(b.lineH(b.fSmall), 0.3*b.u)
		b.line(top, b.s.Suggestions, Font{Size: b.fSmall.Size, Bold: true}, Ink, Left)
		rest = more
		for _, s := range it.suggestions {
			if rest.H < b.lineH(b.fSmall) {
				break
			}
			text := "- " + s.Text
			if p, ok := b.in.Board.Profile(s.ProfileID); ok {
				text += " (" + p.Name + ")"
			}
			row, rest = rest.takeTop(b.lineH(b.fSmall), 0)
			b.line(beside(row, row.H), text, b.fSmall, Ink, Left)
		}
		return
	}
	// Who signed up, with names.
	if rest.H >= 6.5*b.u+b.lineH(b.fTiny) && len(it.signups.IDs)+it.signups.Hidden > 0 {
		b.faceRow(beside(rest, 6.5*b.u+b.lineH(b.fTiny)), b.profiles(it.signups.IDs), it.signups.Hidden, 6.5*b.u, true)
	}
}

// faceGrid: every resident's face to tap, each marked in words when signed
// up, waiting or refused.
func (b *builder) faceGrid(r Rect, it item) {
	hf := Font{Size: b.fBody.Size, Bold: true}
	msg := b.s.TapToJoin
	if !it.open {
		msg = b.s.RefusedClosed
	}
	lines := Wrap(b.m, msg, hf, r.W, 2)
	hint, rest := r.takeTop(float64(len(lines))*b.lineH(hf), b.u)
	b.para(hint, msg, hf, Ink, 2)
	people := b.residents()
	if len(people) == 0 {
		return
	}
	// The widest cells (room for the name) that fit everyone; page through
	// them when even the smallest do not.
	nameH, labelH := b.lineH(b.fSmall), b.lineH(b.fTiny)
	g := gridSpec{gap: 1.2 * b.u, maxW: 32 * b.u, minW: 17 * b.u,
		height: func(cw float64) float64 { return cw*0.55 + nameH + labelH + 1.2*b.u }}
	b.pagedGrid(rest, len(people), g, func(cr Rect, i int) { b.faceCell(cr, people[i], it) })
}

// gridSpec is a grid of equal cells: as wide as maxW, down to minW in
// steps of half a unit, height(w) tall, gap apart.
type gridSpec struct {
	gap, maxW, minW float64
	height          func(w float64) float64
}

// pagedGrid lays out n cells in r at the widest size that fits them all;
// when even the smallest does not, it pages through them at the smallest
// size, with earlier/later buttons under the grid (State.Offset is the
// first cell shown). cell draws cell i in its rectangle.
func (b *builder) pagedGrid(r Rect, n int, g gridSpec, cell func(cr Rect, i int)) {
	var cols, rows int
	var cw, ch float64
	fits := func(grid Rect) bool {
		for cw = g.maxW; ; cw -= 0.5 * b.u {
			ch = g.height(cw)
			cols = max(1, int((grid.W+g.gap)/(cw+g.gap)))
			rows = max(1, int((grid.H+g.gap)/(ch+g.gap)))
			if cols*rows >= n {
				return true
			}
			if cw <= g.minW {
				return false
			}
		}
	}
	grid := r
	pager := Rect{}
	if !fits(grid) {
		pager, grid = r.takeBottom(9*b.u, b.u)
		fits(grid)
	}
	per := cols * rows
	off := b.in.State.Offset
	if off >= n || off < 0 {
		off = 0
	}
	end := min(off+per, n)
	for i := off; i < end; i++ {
		c, rw := (i-off)%cols, (i-off)/cols
		cell(Rect{grid.X + float64(c)*(cw+g.gap), grid.Y + float64(rw)*(ch+g.gap), cw, ch}, i)
	}
	if n > per {
		bw := math.Min(28*b.u, pager.W/2-g.gap)
		if off > 0 {
			b.button(Rect{pager.X, pager.Y, bw, pager.H}, "‹ "+b.s.Earlier, Intent{Kind: Turn, Offset: max(0, off-per)}, false)
		}
		if end < n {
			b.button(Rect{pager.Right() - bw, pager.Y, bw, pager.H}, b.s.Later+" ›", Intent{Kind: Turn, Offset: end}, false)
		}
	}
}

// faceCell: a face, the name under it and the resident's state in words.
func (b *builder) faceCell(r Rect, p board.Profile, it item) {
	mem := MemberOf(it.signups, b.in.Outbox, it.typ, it.id, p.ID)
	stroke, sw := Line, 0.25*b.u
	if mem.Joined {
		stroke, sw = Good, 0.7*b.u
	}
	label, c := "", Ink
	switch {
	case mem.Pending:
		label = b.s.Pending
	case mem.Refused != "":
		label, c = b.s.Full, Alarm
		if mem.Refused != "full" {
			label = b.s.Closed
		}
	case mem.Joined:
		label, c = b.s.Who, Good
	}
	b.faceTile(r, p, stroke, sw, label, c)
	switch {
	case !it.open:
		b.target(r, Intent{Kind: Notify, Notice: b.s.RefusedClosed, Profile: p.ID})
	case !mem.Joined && it.full:
		b.target(r, Intent{Kind: Notify, Notice: b.s.RefusedFull, Profile: p.ID})
	default:
		b.target(r, Intent{Kind: Pick, Profile: p.ID})
	}
}

// faceTile is a face to tap: the picture, the name under it and, when
// label is set, a word about the resident in colour c.
func (b *builder) faceTile(r Rect, p board.Profile, stroke color.RGBA, strokeW float64, label string, c color.RGBA) {
	b.box(r, Card, stroke, strokeW, 1.2*b.u)
	in := r.Inset(0.6 * b.u)
	labelH := b.lineH(b.fTiny)
	nameH := b.lineH(b.fSmall)
	d := math.Min(in.W, in.H-nameH-labelH)
	b.face(Rect{in.X + (in.W-d)/2, in.Y, d, d}, p)
	y := in.Y + d
	b.line(Rect{in.X, y, in.W, nameH}, p.Name, Font{Size: b.fSmall.Size, Bold: true}, Ink, Center)
	if label != "" {
		b.line(Rect{in.X, y + nameH, in.W, labelH}, label, Font{Size: b.fTiny.Size, Bold: true}, c, Center)
	}
}

// confirm covers the page with the question and two big answers.
func (b *builder) confirm(it item) {
	p, ok := b.in.Board.Profile(b.in.State.Pick)
	if !ok {
		return
	}
	mem := MemberOf(it.signups, b.in.Outbox, it.typ, it.id, p.ID)
	action, label := board.Join, fmt.Sprintf(b.s.ConfirmJoin, p.Name)
	if mem.Joined {
		action, label = board.Leave, fmt.Sprintf(b.s.ConfirmLeave, p.Name)
	}
	b.p.Targets = nil // the question is modal
	b.box(Rect{0, 0, b.in.W, b.in.H}, Shade, Shade, 0, 0)
	w := math.Min(b.in.W-4*b.margin(), 110*b.u)
	h := math.Min(b.in.H-4*b.margin(), 62*b.u)
	d := Rect{(b.in.W - w) / 2, (b.in.H - h) / 2, w, h}
	b.box(d, Card, Ink, 0.4*b.u, 2*b.u)
	in := d.Inset(3 * b.u)
	top, rest := in.takeTop(22*b.u, 2*b.u)
	face, text := top.takeLeft(22*b.u, 3*b.u)
	b.face(face, p)
	nameF := Font{Size: 6 * b.u, Bold: true}
	name, title := text.takeTop(b.lineH(nameF), 0.5*b.u)
	b.line(name, p.Name, nameF, Ink, Left)
	b.para(title, it.title, b.fBody, Ink, 2)
	btns, rest := rest.takeBottom(math.Min(13*b.u, rest.H), 2*b.u)
	// The day in words, so nobody signs up for the wrong one: on one line
	// when it fits, else the day above the time.
	day, span := b.s.Day(it.start, b.in.Now, b.loc), words.Span(it.start, it.end, b.loc)
	whenF := Font{Size: b.fBody.Size, Bold: true}
	lines := []string{fmt.Sprintf(b.s.DayAt, day, span)}
	if b.m.Width(lines[0], whenF) > rest.W {
		lines = []string{day, fmt.Sprintf(b.s.At, span)}
	}
	// In the middle between the question and the answers.
	lh := b.lineH(whenF)
	y := rest.Y + math.Max(0, rest.H-float64(len(lines))*lh)/2
	for i, l := range lines {
		b.line(Rect{rest.X, y + float64(i)*lh, rest.W, lh}, l, whenF, Ink, Left)
	}
	parts := btns.splitH(3*b.u, 1.5, 1)
	sg := board.Signup{ItemType: it.typ, ItemID: it.id, ProfileID: p.ID, Action: action}
	b.button(parts[0], label, Intent{Kind: Confirm, Profile: p.ID, Signup: sg}, true)
	b.button(parts[1], b.s.Cancel, Intent{Kind: Cancel}, false)
}
