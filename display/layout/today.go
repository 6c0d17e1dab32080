package layout

import (
	"fmt"
	"math"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// today lays out the Today page: activities, meals and who is at work.
func (b *builder) today() {
	content := b.frame()
	b.notice()
	if !b.in.DayUnknown {
		var strip Rect
		strip, content = content.takeTop(b.orientationH(), 1.2*b.u)
		b.orientationStrip(strip)
	}
	var cols []Rect
	if b.portrait() {
		acts, pastActs := b.todaysActivities()
		meals, pastMeals := b.todaysMeals()
		cols = b.stack(content, []block{
			b.cardBlock(len(acts), b.activityCardH(), len(pastActs), b.nextActivity(), content.W),
			b.cardBlock(len(meals), b.mealCardH(), len(pastMeals), "", content.W),
			b.staffBlock(board.ShiftsOn(b.in.Board, b.in.Now, 0)),
		})
	} else {
		cols = content.splitH(b.margin(), 1.35, 1, 0.95)
	}
	b.todayActivities(cols[0])
	b.todayMeals(cols[1])
	b.todayStaff(cols[2])
}

// todaysActivities splits the day's activities into those still to come
// (or going on) and those that have ended, each by start.
func (b *builder) todaysActivities() (coming, past []board.Activity) {
	return splitEnded(board.ActivitiesOn(b.in.Board, b.in.Now, 0, false), b.in.Now, func(a board.Activity) (time.Time, time.Time) { return a.Start, a.End })
}

// todaysMeals is todaysActivities for meals.
func (b *builder) todaysMeals() (coming, past []board.Meal) {
	return splitEnded(board.MealsOn(b.in.Board, b.in.Now, 0, false), b.in.Now, func(m board.Meal) (time.Time, time.Time) { return m.Start, m.End })
}

// splitEnded splits items into those not ended at now and those ended.
func splitEnded[T any](items []T, now time.Time, span func(T) (time.Time, time.Time)) (coming, past []T) {
	for _, x := range items {
		if s, e := span(x); board.Ended(s, e, now) {
			past = append(past, x)
		} else {
			coming = append(coming, x)
		}
	}
	return coming, past
}

func (b *builder) todayActivities(r Rect) {
	top, r := b.titleRow(r)
	acts, past := b.todaysActivities()
	var rows []pastRow
	for _, a := range past {
		rows = append(rows, pastRow{words.Span(a.Start, a.End, b.loc) + "  " + a.Title, board.PageID{Kind: board.PageActivity, ID: a.ID}})
	}
	if len(acts) == 0 {
		b.heading(top, b.s.Activities, 0, "")
		if len(past) == 0 {
			b.empty(r, b.s.NothingToday)
			return
		}
		// The day had activities: say that none are left, and which is next.
		used := b.noMore(r, b.s.NoMoreActivities, b.nextActivity())
		b.pastRows(r.below(used+1.2*b.u), rows)
		return
	}
	shown := b.cards(r, len(acts), b.activityCardH(), func(i int, c Rect) { b.activityCard(c, acts[i]) })
	b.heading(top, b.s.Activities, len(acts)-shown, board.PageWeek)
	b.pastRows(r.below(float64(shown)*(b.activityCardH()+1.2*b.u)), rows)
}

// below is what is left of r under its top h.
func (r Rect) below(h float64) Rect {
	_, rest := r.takeTop(h, 0)
	return rest
}

// nextActivity names the first activity after now on the board ("I
// morgen 10:00 Strikkeklub i Dagligstuen"), "" when there is none.
func (b *builder) nextActivity() string {
	var first *board.Activity
	for i, a := range b.in.Board.Activities {
		if a.Start.After(b.in.Now) && (first == nil || a.Start.Before(first.Start)) {
			first = &b.in.Board.Activities[i]
		}
	}
	if first == nil {
		return ""
	}
	return b.nextText(Happening{Title: first.Title, Place: first.Location, Start: first.Start}, true)
}

// noMore is a card saying nothing more of a kind is planned today, and
// what comes next; it returns the height it took.
func (b *builder) noMore(r Rect, msg, next string) float64 {
	h := b.noMoreH(r.W, next)
	c := Rect{r.X, r.Y, r.W, math.Min(h, r.H)}
	b.box(c, Card, Line, 0.25*b.u, 1.2*b.u)
	in := c.Inset(1.5 * b.u)
	row, rest := in.takeTop(b.lineH(b.fBody), 0)
	b.line(row, msg, Font{Size: b.fBody.Size, Bold: true}, Ink, Left)
	b.para(rest, next, b.fBody, Ink, 2)
	return h
}

// noMoreH is the height of a noMore card w wide: the message and up to two
// lines naming the next item.
func (b *builder) noMoreH(w float64, next string) float64 {
	lines := len(Wrap(b.m, next, b.fBody, w-3*b.u, 2))
	return float64(1+lines)*b.lineH(b.fBody) + 3.5*b.u
}

// pastRow is an item of today that has ended, as a dimmed row.
type pastRow struct {
	text string
	page board.PageID
}

func (b *builder) pastRowH() float64 { return 7.6 * b.u }

// pastRows draws what has ended today, dimmed and marked in words, under
// what is still to come: as many of the latest as fit, in the day's order.
// A resident who asks whether they missed something finds it here.
func (b *builder) pastRows(r Rect, rows []pastRow) {
	gap := 1.2 * b.u
	h := b.pastRowH()
	fit := int((r.H + gap) / (h + gap))
	if fit <= 0 || len(rows) == 0 {
		return
	}
	if len(rows) > fit {
		rows = rows[len(rows)-fit:]
	}
	tagF := Font{Size: b.fTiny.Size, Bold: true}
	y := r.Y
	for _, row := range rows {
		c := Rect{r.X, y, r.W, h}
		b.box(c, Paper, Line, 0.2*b.u, 1.2*b.u)
		in := c.Inset(1.2 * b.u)
		th := b.m.Metrics(tagF).Height() + 0.4*b.u
		tw := b.tag(in.X, in.Y+(in.H-th)/2, b.s.Over, tagF, Muted, OnDark, in.W*0.4)
		b.line(Rect{in.X + tw + 1.2*b.u, in.Y, in.W - tw - 1.2*b.u, in.H}, row.text, b.fSmall, Muted, Left)
		b.target(c, Intent{Kind: Open, Page: row.page})
		y += h + gap
	}
}

// cards stacks n cards of height h in r; those that do not fit are counted
// by the caller; cards returns how many it drew.
func (b *builder) cards(r Rect, n int, h float64, draw func(int, Rect)) int {
	gap := 1.2 * b.u
	fit := max(1, int((r.H+gap)/(h+gap)))
	h = math.Min(h, r.H)
	shown := min(fit, n)
	y := r.Y
	for i := 0; i < shown; i++ {
		draw(i, Rect{r.X, y, r.W, h})
		y += h + gap
	}
	return shown
}

// emptyH is the height of the box that says a section is empty.
func (b *builder) emptyH() float64 { return 10 * b.u }

func (b *builder) empty(r Rect, msg string) {
	h := b.emptyH()
	c := Rect{r.X, r.Y, r.W, h}
	b.box(c, Paper, Line, 0.2*b.u, 1.2*b.u)
	b.line(c.Inset(2*b.u), msg, b.fBody, Muted, Left)
}

func (b *builder) activityCardH() float64 {
	pad := 1.3 * b.u
	return 2*pad + b.lineH(b.cardTitle()) + b.lineH(b.fSmall) + 6.5*b.u + b.lineH(b.fTiny) + 0.5*b.u + b.lineH(b.fSmall)
}

// cardTitle is the type of a card's first line.
func (b *builder) cardTitle() Font { return Font{Size: 4.2 * b.u, Bold: true} }

// activityCard: pictogram, time and title, place, faces, count and state.
func (b *builder) activityCard(r Rect, a board.Activity) {
	b.card(r)
	pad := 1.3 * b.u
	in := r.Inset(pad)
	btn := b.speakerAt(r, pad)
	iconS := b.lineH(b.cardTitle()) + b.lineH(b.fSmall)
	icon, text := in.takeLeft(iconS, 1.2*b.u)
	b.p.Items = append(b.p.Items, Item{Kind: Icon, R: Rect{icon.X, icon.Y, iconS, iconS}, Text: a.Pictogram, Color: Accent})
	row, rest := text.takeTop(b.lineH(b.cardTitle()), 0)
	b.line(row, a.Title, b.cardTitle(), Ink, Left)
	row, rest = rest.takeTop(b.lineH(b.fSmall), 0)
	tw := b.line(row, words.Span(a.Start, a.End, b.loc), Font{Size: b.fSmall.Size, Bold: true}, Accent, Left)
	row.X += tw + 1.5*b.u
	row.W -= tw + 1.5*b.u
	b.line(row, a.Location, b.fSmall, Ink, Left)
	rest = Rect{in.X, rest.Y, in.W, in.Bottom() - rest.Y}
	faces, rest := rest.takeTop(6.5*b.u+b.lineH(b.fTiny), 0.5*b.u)
	ps := b.profiles(a.Signups.IDs)
	b.faceRow(b.clear(faces, btn), ps, a.Signups.Hidden, 6.5*b.u, true)
	b.countLine(b.clear(rest, btn), b.s.Count(a.Signups.Count(), a.Capacity), a.Full(), !a.SignupOpen)
	b.target(r, Intent{Kind: Open, Page: board.PageID{Kind: board.PageActivity, ID: a.ID}})
	b.speaker(btn, board.KeyOf(board.PageActivity, a.ID))
}

// countLine is "8 af 12 tilmeldt" and the FULDT or LUKKET tag. The tag is
// never cut: the count gives way to it.
func (b *builder) countLine(r Rect, count string, full, closed bool) {
	f := Font{Size: b.fTiny.Size, Bold: true}
	word := ""
	switch {
	case closed:
		word = b.s.Closed
	case full:
		word = b.s.Full
	}
	if word == "" {
		b.line(r, count, b.fSmall, Ink, Left)
		return
	}
	tw := b.m.Width(word, f) + 1.6*b.u
	cr := r
	cr.W = math.Max(0, r.W-tw-1.5*b.u)
	w := b.line(cr, count, b.fSmall, Ink, Left)
	h := b.m.Metrics(f).Height() + 0.4*b.u
	b.tag(r.X+w+1.5*b.u, r.Y+(r.H-h)/2, word, f, Alarm, OnDark, tw+0.1*b.u)
}

func (b *builder) mealCardH() float64 {
	pad := 1.3 * b.u
	return 2*pad + b.lineH(b.cardTitle()) + 2*b.lineH(b.fSmall) + 0.4*b.u + 5.5*b.u
}

func (b *builder) todayMeals(r Rect) {
	top, r := b.titleRow(r)
	meals, past := b.todaysMeals()
	var rows []pastRow
	for _, m := range past {
		rows = append(rows, pastRow{words.Clock(m.Start, b.loc) + "  " + b.s.Meal(m.Kind), board.PageID{Kind: board.PageMeal, ID: m.ID}})
	}
	if len(meals) == 0 {
		b.heading(top, b.s.MealsTitle, 0, "")
		if len(past) == 0 {
			b.empty(r, b.s.NoMeals)
			return
		}
		used := b.noMore(r, b.s.NoMoreMeals, "")
		b.pastRows(r.below(used+1.2*b.u), rows)
		return
	}
	shown := b.cards(r, len(meals), b.mealCardH(), func(i int, c Rect) { b.mealCard(c, meals[i]) })
	b.heading(top, b.s.MealsTitle, len(meals)-shown, board.PageWeek)
	b.pastRows(r.below(float64(shown)*(b.mealCardH()+1.2*b.u)), rows)
}

// mealCard: kind and time, the menu (two lines), who eats along.
func (b *builder) mealCard(r Rect, m board.Meal) {
	b.card(r)
	in := r.Inset(1.3 * b.u)
	btn := b.speakerAt(r, 1.3*b.u)
	row, rest := in.takeTop(b.lineH(b.cardTitle()), 0)
	tw := b.line(row, words.Clock(m.Start, b.loc), b.cardTitle(), Accent, Left)
	row.X += tw + 1.5*b.u
	row.W -= tw + 1.5*b.u
	kind := b.s.Meal(m.Kind) // one word ("Eftermiddagskaffe"): smaller rather than cut
	b.line(row, kind, b.shrink(kind, b.cardTitle(), row.W, b.fBody.Size), Ink, Left)
	menu, rest := rest.takeTop(2*b.lineH(b.fSmall), 0.4*b.u)
	b.para(menu, m.Menu, b.fSmall, Ink, 2)
	faces := b.clear(rest, btn)
	if board.TakesSignups(m) {
		count := fmt.Sprintf(b.s.Eating, m.Signups.Count())
		cw := b.m.Width(count, b.fSmall)
		if cw > faces.W*0.5 {
			cw = faces.W * 0.5
		}
		b.line(Rect{faces.Right() - cw, faces.Y, cw, 5.5 * b.u}, count, b.fSmall, Ink, Right)
		faces.W -= cw + 1.5*b.u
	}
	b.faceRow(faces, b.profiles(m.Signups.IDs), m.Signups.Hidden, 5.5*b.u, false)
	b.target(r, Intent{Kind: Open, Page: board.PageID{Kind: board.PageMeal, ID: m.ID}})
	b.speaker(btn, board.KeyOf(board.PageMeal, m.ID))
}

func (b *builder) todayStaff(r Rect) {
	top, r := b.titleRow(r)
	shifts := board.ShiftsOn(b.in.Board, b.in.Now, 0)
	if len(shifts) == 0 {
		b.heading(top, b.s.OnDuty, 0, "")
		b.empty(r, b.s.NoStaff)
		return
	}
	more := 0
	defer func() { b.heading(top, b.s.OnDuty, more, board.PageRoster) }()
	rowH := b.staffRowH()
	headH := b.staffHeadH()
	y := r.Y
	var last board.ShiftKind
	for i, s := range shifts {
		need := rowH
		if s.Shift != last {
			need += headH
		}
		if y+need-0.6*b.u > r.Bottom() {
			more = len(shifts) - i
			return
		}
		if s.Shift != last {
			last = s.Shift
			b.line(Rect{r.X, y, r.W, headH}, b.s.Shift(s.Shift), Font{Size: b.fSmall.Size, Bold: true}, Muted, Left)
			y += headH
		}
		b.staffRow(Rect{r.X, y, r.W, rowH - 0.8*b.u}, s)
		y += rowH
	}
}

func (b *builder) staffRowH() float64 { return 10 * b.u }

// staffHeadH is the height of a shift's name over its rows.
func (b *builder) staffHeadH() float64 { return b.lineH(b.fSmall) + 0.4*b.u }

// block is what a section of the portrait Today page asks for: its heading
// row and then one step per card, in order.
type block struct {
	head  float64
	steps []float64
	first int // steps that come together in the block's first turn (at least 1)
	// fill are rows (of items that have ended) that take the height left
	// over once no block can show another card.
	fill []float64
}

// titleH is the height titleRow takes.
func (b *builder) titleH() float64 { return 8.8 * b.u }

// cardBlock is a section of n cards of height h (or its "nothing today"
// box, or the "no more today" box naming next, w wide) and the rows of past
// items of today under them; each step holds a card or a row and the gap
// under it.
func (b *builder) cardBlock(n int, h float64, past int, next string, w float64) block {
	bl := block{head: b.titleH()}
	if n == 0 {
		bl.steps = []float64{b.emptyH()}
		if past > 0 {
			bl.steps[0] = b.noMoreH(w, next) + 1.2*b.u
		}
	}
	for range n {
		bl.steps = append(bl.steps, h+1.2*b.u)
	}
	for range past {
		bl.fill = append(bl.fill, b.pastRowH()+1.2*b.u)
	}
	return bl
}

// staffBlock is the who-is-at-work section: a row per shift, and a shift's
// name over its first row, as todayStaff draws them.
func (b *builder) staffBlock(shifts []board.Shift) block {
	bl := block{head: b.titleH()}
	if len(shifts) == 0 {
		bl.steps = []float64{b.emptyH()}
	}
	var last board.ShiftKind
	for _, s := range shifts {
		h := b.staffRowH()
		if s.Shift != last {
			last = s.Shift
			h += b.staffHeadH()
		}
		bl.steps = append(bl.steps, h)
		// Everyone at work now comes first, together.
		if board.OnNow(s, b.in.Now) && bl.first == len(bl.steps)-1 {
			bl.first++
		}
	}
	return bl
}

// stack splits r into rows for blocks, in whole cards: every block gets its
// heading, then the blocks take turns, in order, at one more card each (its
// first turn at all its first cards) while it fits, so the screen's height
// goes to cards rather than to gaps under a "+N flere". Space left over goes
// to the last block.
func (b *builder) stack(r Rect, blocks []block) []Rect {
	gap := b.margin()
	left := r.H - gap*float64(len(blocks)-1)
	got := make([]float64, len(blocks))
	next := make([]int, len(blocks))
	for i, bl := range blocks {
		got[i] = bl.head
		left -= bl.head
	}
	for more := true; more; {
		more = false
		for i, bl := range blocks {
			turn := 1
			if next[i] == 0 {
				turn = max(1, bl.first)
			}
			for ; turn > 0 && next[i] < len(bl.steps) && bl.steps[next[i]] <= left; turn-- {
				got[i] += bl.steps[next[i]]
				left -= bl.steps[next[i]]
				next[i]++
				more = true
			}
		}
	}
	for i, bl := range blocks {
		for _, f := range bl.fill {
			if f > left {
				break
			}
			got[i] += f
			left -= f
		}
	}
	got[len(got)-1] += max(0, left)
	out := make([]Rect, len(blocks))
	y := r.Y
	for i, h := range got {
		out[i] = Rect{r.X, y, r.W, h}
		y += h + gap
	}
	return out
}

// staffRow: face, name, role, hours; the shift on now is highlighted and
// marked "NU".
func (b *builder) staffRow(r Rect, s board.Shift) {
	now := board.OnNow(s, b.in.Now) && !b.in.DayUnknown
	if now {
		b.box(r, NowBg, Ink, 0.35*b.u, 1.2*b.u)
	} else {
		b.card(r)
	}
	in := r.Inset(b.u)
	d := in.H
	p, ok := b.in.Board.Profile(s.ProfileID)
	faceR, text := in.takeLeft(d, 1.2*b.u)
	if ok {
		b.face(faceR, p)
	} else {
		// Hidden from screens: what the person does, never an empty face.
		b.p.Items = append(b.p.Items, Item{Kind: Icon, R: faceR, Text: RolePictogram(s.Role), Color: Accent})
	}
	rows := text.splitV(0, 1.15, 1)
	hours := words.Span(s.Start, s.End, b.loc)
	hw := b.m.Width(hours, b.fSmall)
	top := rows[0]
	if now {
		f := Font{Size: b.fTiny.Size, Bold: true}
		tw := b.m.Width(b.s.NowMarker, f) + 1.6*b.u
		th := b.m.Metrics(f).Height() + 0.4*b.u
		b.tag(top.Right()-tw, top.Y+(top.H-th)/2, b.s.NowMarker, f, Ink, NowBg, tw)
		top.W -= tw + b.u
	}
	name, nameF := p.Name, Font{Size: b.fBody.Size, Bold: true}
	if !ok {
		name, nameF = b.roleText(s.Role, nameF, top.W, b.fSmall.Size)
	}
	b.line(top, name, nameF, Ink, Left)
	bottom := rows[1]
	b.line(Rect{bottom.Right() - hw, bottom.Y, hw, bottom.H}, hours, b.fSmall, Ink, Right)
	bottom.W -= hw + 1.2*b.u
	if ok {
		role, f := b.roleText(s.Role, b.fSmall, bottom.W, 0.9*b.fSmall.Size)
		b.line(bottom, role, f, Muted, Left)
	}
}
