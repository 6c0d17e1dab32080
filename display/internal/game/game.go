// Package game is the Screen's state machine without a display: which page
// is shown, taps turned into intents, the timers (notices fade, a question
// lapses, the slideshow starts and turns), the sign-ups waiting to be
// written, and when the loop next has something to do. It builds the page
// with display/layout and never paints, reads files or waits: the display
// package feeds it one Tick per loop turn and paints what it built.
//
// # Caveats
//
// A Game belongs to one goroutine (the game loop's). Sign-ups it wants
// written are handed out by Step and their results come back in a later
// Tick: the write itself happens elsewhere, so a turn of the loop never
// waits for the disk.
package game

import (
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/layout"
	"skaerm/internal/voice/spoken"
	"skaerm/words"
)

// Timings of the game.
const (
	Bounce    = 300 * time.Millisecond // a second tap sooner than this is ignored
	NoticeFor = 8 * time.Second        // how long a message stays
	PickFor   = 60 * time.Second       // a confirmation left unanswered goes away
	SlideFor  = layout.SlideFor        // idle slideshow pace
)

// Config is what a Game is made with.
type Config struct {
	Measurer layout.Measurer
	Log      *slog.Logger
	// Locale is one of words.Codes(); "" for the department's.
	Locale string
	// IdleAfter: no touch for this long starts the slideshow.
	IdleAfter time.Duration
	// OfflineAfter: a last sync older than this is named on the page.
	OfflineAfter time.Duration
	// NewID makes the ids of sign-ups.
	NewID func() string
	// OnTouch, when set, is called for every press, before the page acts.
	OnTouch func()
	// OnFullBoard, when set, is called when the resident leaves the night
	// page for the day's board.
	OnFullBoard func()
}

// Reading is one reading of the Source, immutable once made.
type Reading struct {
	Board  *board.Board // nil before the first sync
	Meta   cache.Meta
	Outbox []board.Signup
	Logo   bool // the care home's logo is in the assets folder
	// Writes is how many sign-ups the outbox writer had stored when this
	// reading began: it shows every sign-up whose Written.Seq is at most
	// Writes, in the outbox or, once sent, on the board.
	Writes uint64
}

// Pairing is what the screen shows while it waits to be paired.
type Pairing struct {
	Code, URI string
	OK        bool // waiting: the pairing page replaces every other
}

// Pointer is a finger (or mouse button) going down or up.
type Pointer struct {
	Down bool
	X, Y float64
	At   time.Time // when it happened; zero: at the tick that reads it
}

// Written is the outcome of writing a sign-up to the outbox.
type Written struct {
	Signup board.Signup
	Err    error
	Seq    uint64 // the writer's count of stored sign-ups with this one; 0 when it failed
}

// Tick is what happened since the previous turn of the loop.
type Tick struct {
	Now        time.Time
	Reading    *Reading // the newest; a different pointer is a new reading
	Pairing    Pairing
	Blank      bool // the display is off: draw black, a touch only wakes
	DayUnknown bool // the clock cannot name today
	// Night: a display lit again now shows the night page, not the board.
	Night    bool
	Woken    bool // a motion sensor saw someone
	Pointers []Pointer
	Written  []Written
	// Speaking is the card the voice is reading ("" when silent).
	Speaking board.CardKey
	// Login is the login client's state; nil when the screen has none.
	Login        *LoginState
	LoginResults []LoginResult
}

// Speech is what the game asks of the voice after a Step: stop, or read a
// card (which stops any other).
type Speech struct {
	Stop      bool
	Card      board.CardKey
	Text      string
	Locale    string
	Recording *board.Audio // the staff's reading, nil for none
}

// Game is the state of one screen.
type Game struct {
	cfg        Config
	w, h       int
	state      layout.State
	page       *layout.Page
	shown      *Reading
	minute     int64
	dirty      bool
	lastTouch  time.Time
	idleSince  time.Time
	noticeAt   time.Time
	pickAt     time.Time
	press      *press
	lastTap    time.Time
	local      []board.Signup    // confirmed here, not yet seen in the outbox
	localSeq   map[string]uint64 // a local sign-up's Written.Seq, once it is stored
	noticesOn  string            // the ids of the notices shown, to redraw when they change
	writes     []board.Signup    // confirmed, to be written
	seenRefuse map[string]bool
	pairing    Pairing
	blank      bool
	night      bool // the last tick's Night
	dayUnknown bool
	speaking   board.CardKey // what the voice says it is reading
	speech     *Speech       // asked of the voice in this Step
	login      loginGame
}

// press is a finger that went down on a target and has not lifted.
type press struct {
	target layout.Target
	ok     bool
	x, y   float64
}

// New makes a Game showing the today page; now is the last touch.
func New(cfg Config, now time.Time) *Game {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Game{cfg: cfg, state: layout.State{Page: board.PageOf(board.PageToday)}, seenRefuse: map[string]bool{}, localSeq: map[string]uint64{}, lastTouch: now}
}

// Resize takes a new size; the page is built again for it.
func (g *Game) Resize(w, h int) {
	if w == g.w && h == g.h {
		return
	}
	g.w, g.h = w, h
	g.dirty = true
}

// Retune applies new settings; zero durations keep the current ones.
func (g *Game) Retune(locale string, idleAfter, offlineAfter time.Duration) {
	g.cfg.Locale = locale
	if idleAfter > 0 {
		g.cfg.IdleAfter = idleAfter
	}
	if offlineAfter > 0 {
		g.cfg.OfflineAfter = offlineAfter
	}
	g.dirty = true
}

// Size is the size pages are built for.
func (g *Game) Size() (w, h int) { return g.w, g.h }

// Dirty reports whether the next Step builds a new page.
func (g *Game) Dirty() bool { return g.dirty }

// Page is the page last built (nil before the first Step).
func (g *Game) Page() *layout.Page { return g.page }

// State is where the resident is.
func (g *Game) State() layout.State { return g.state }

// Blank reports whether the screen draws black.
func (g *Game) Blank() bool { return g.blank }

// Shown is the reading the page was built from.
func (g *Game) Shown() *Reading { return g.shown }

// Show opens page at now as if just touched (snapshots).
func (g *Game) Show(page board.PageID, now time.Time) {
	g.state = layout.State{Page: page}
	g.lastTouch, g.idleSince = now, now
	g.dirty = true
}

// ShowState opens st at now as if just touched: a page with a slot or a
// face already chosen (snapshots).
func (g *Game) ShowState(st layout.State, now time.Time) {
	g.Show(st.Page, now)
	g.state = st
	g.pickAt = now
}

// Touch counts now as the last touch (the loop's first turn: the idle
// time starts when the screen is first shown).
func (g *Game) Touch(now time.Time) { g.lastTouch = now }

// Open goes to a page, forgetting paging, a pending question and messages.
func (g *Game) Open(page board.PageID) {
	if page != g.state.Page {
		g.wipeDigits()
		g.login.msg = ""
		g.wipeDraft()
	}
	g.state = layout.State{Page: page, Notice: g.state.Notice}
	if page.Is(board.PageIdle) || page.Is(board.PageToday) {
		g.state.Notice = layout.Notice{}
	}
	g.dirty = true
}

// Step advances the game to t.Now. It reports whether a new page was built
// that must be painted, and returns the sign-ups to write to the outbox.
func (g *Game) Step(t Tick) (repaint bool, writes []board.Signup) {
	if g.w == 0 || g.h == 0 {
		return false, nil
	}
	now := t.Now
	if t.Reading != g.shown {
		g.adopt(t.Reading, now)
	}
	if m := now.Unix() / 60; m != g.minute {
		g.minute = m
		g.dirty = true
	}
	if t.Woken {
		g.lastTouch = now
		if g.state.Page.Is(board.PageIdle) {
			g.Open(board.PageOf(board.PageToday))
		}
	}
	if t.Pairing != g.pairing {
		g.pairing = t.Pairing
		g.dirty = true
	}
	blankChanged := t.Blank != g.blank
	if blankChanged {
		g.blank = t.Blank
		g.dirty = true
		if !g.blank && t.Night && !g.state.Page.Is(board.PageNight) {
			// Lit again at night: the calm page, not the bright board.
			g.Open(board.PageOf(board.PageNight))
			g.lastTouch = now
		}
	}
	if g.night && !t.Night && g.state.Page.Is(board.PageNight) {
		// The morning came while the night page was shown.
		g.Open(board.PageOf(board.PageToday))
	}
	g.night = t.Night
	if t.DayUnknown != g.dayUnknown {
		g.dayUnknown = t.DayUnknown
		g.dirty = true
	}
	if t.Speaking != g.speaking {
		g.speaking = t.Speaking
		g.dirty = true
	}
	for _, w := range t.Written {
		g.written(w, now)
	}
	g.adoptLogin(t.Login, now)
	for _, r := range t.LoginResults {
		g.loginResult(r, now)
	}
	if g.page == nil {
		g.dirty = true
		g.build(now)
	}
	was := g.state.Page
	g.handle(now, t.Pointers)
	g.timers(now)
	// Leaving the page (or the display going dark) ends its reading.
	if g.speaking != "" && g.speech == nil && (g.state.Page != was || g.blank) {
		g.speech = &Speech{Stop: true}
	}
	g.loginTimers(now)
	writes, g.writes = g.writes, nil
	if g.dirty {
		g.build(now)
		g.dirty = false
		// A dark display shows black whatever the page says: only going
		// dark or light again is a new picture. (The page is still kept
		// up to date, for the moment it lights up.)
		return !g.blank || blankChanged, writes
	}
	return false, writes
}

// TakeSpeech returns what the last Step asked of the voice, once.
func (g *Game) TakeSpeech() (Speech, bool) {
	sp := g.speech
	g.speech = nil
	if sp == nil {
		return Speech{}, false
	}
	return *sp, true
}

// read asks the voice to read a card, or to stop when it is reading it
// already (the second tap).
func (g *Game) read(now time.Time, key board.CardKey) {
	if g.speaking == key {
		g.speech = &Speech{Stop: true}
		return
	}
	if g.shown == nil || g.shown.Board == nil {
		return
	}
	lang := g.strings().Lang
	text, rec, ok := spoken.For(lang).Card(g.shown.Board, key, g.Input(now, g.state).Now)
	if !ok {
		return
	}
	g.speech = &Speech{Card: key, Text: text, Locale: lang, Recording: rec}
}

// adopt takes a new reading of the Source.
func (g *Game) adopt(r *Reading, now time.Time) {
	first := g.shown == nil
	g.shown = r
	g.dirty = true
	if r == nil {
		return
	}
	g.forgetLocal(now)
	// A refusal that arrives while someone may still be looking is said
	// in words; older ones only mark the face.
	for _, o := range r.Outbox {
		if o.State != board.Refused || g.seenRefuse[o.ID] {
			continue
		}
		g.seenRefuse[o.ID] = true
		if first {
			continue
		}
		g.cfg.Log.Info("refusal shown", "id", o.ID, "item_type", o.ItemType, "item", o.ItemID, "reason", o.Reason)
		msg := g.strings().Refusal(o.Reason)
		if o.ItemType == board.BookingItem {
			msg = g.strings().BookingRefusal(o.Reason)
		}
		if name := g.name(o.ProfileID); name != "" {
			msg = name + ": " + msg
		}
		g.setNotice(now, msg, true)
	}
}

// strings are the words of the language the page speaks.
func (g *Game) strings() *words.Strings {
	var bd *board.Board
	if g.shown != nil {
		bd = g.shown.Board
	}
	return words.Locale(layout.SpokenLocale(g.cfg.Locale, bd))
}

// name is a profile's display name, "" when it is not on the board.
func (g *Game) name(profileID string) string {
	if g.shown != nil && g.shown.Board != nil {
		if p, ok := g.shown.Board.Profile(profileID); ok {
			if p.Name == "" {
				return g.strings().Placeholder(p.Kind)
			}
			return p.Name
		}
	}
	return ""
}

func (g *Game) setNotice(now time.Time, text string, bad bool) {
	g.state.Notice = layout.Notice{Text: text, Bad: bad}
	g.noticeAt = now
	g.dirty = true
}

// handle turns pointer events into taps, and taps into intents: a tap is a
// release inside the same target the press began on, not sooner than
// Bounce after the previous tap.
func (g *Game) handle(tick time.Time, evs []Pointer) {
	for _, ev := range evs {
		now := tick
		if !ev.At.IsZero() && ev.At.Before(now) {
			now = ev.At
		}
		g.lastTouch = now
		g.login.touched = true
		if ev.Down && g.cfg.OnTouch != nil {
			g.cfg.OnTouch()
		}
		if g.blank {
			// The first touch on a dark screen only wakes it.
			g.press = nil
			continue
		}
		if g.page == nil {
			continue
		}
		if ev.Down {
			t, ok := g.page.TargetAt(ev.X, ev.Y)
			g.press = &press{target: t, ok: ok, x: ev.X, y: ev.Y}
			continue
		}
		p := g.press
		g.press = nil
		if p == nil {
			continue
		}
		if !g.lastTap.IsZero() && now.Sub(g.lastTap) < Bounce {
			// A bounce or a double tap: the first tap has acted.
			g.cfg.Log.Debug("tap ignored", "on", g.page.ID.String(), "why", "bounce", "after", now.Sub(g.lastTap))
			continue
		}
		t, ok := g.page.TargetAt(ev.X, ev.Y)
		if in, swiped := g.swipe(p, ev); swiped {
			g.lastTap = now
			g.cfg.Log.Debug("swipe", "on", g.page.ID.String(), "page", in.Page.String())
			g.act(now, in)
			continue
		}
		switch {
		case ok && p.ok && t.R == p.target.R && t.Intent.Kind == p.target.Intent.Kind:
			g.lastTap = now
			g.cfg.Log.Debug("tap", "on", g.page.ID.String(), "intent", p.target.Intent.Kind.String(), "page", p.target.Intent.Page.String())
			g.act(now, p.target.Intent)
		case !p.ok && !ok && g.page.Idle:
			g.lastTap = now
			g.cfg.Log.Debug("tap", "on", g.page.ID.String(), "intent", layout.Open.String(), "page", board.PageOf(board.PageToday).String())
			g.Open(board.PageOf(board.PageToday))
		default:
			g.cfg.Log.Debug("tap ignored", "on", g.page.ID.String(), "why", "no target", "x", int(ev.X), "y", int(ev.Y), "pressed_on_target", p.ok)
		}
	}
}

// act carries out one intent.
func (g *Game) act(now time.Time, in layout.Intent) {
	g.dirty = true
	switch in.Kind {
	case layout.Open:
		if g.state.Page.Is(board.PageNight) && g.cfg.OnFullBoard != nil {
			g.cfg.OnFullBoard()
		}
		g.Open(in.Page)
	case layout.Turn:
		g.state.Offset = in.Offset
	case layout.Pick:
		g.state.Pick = in.Profile
		g.pickAt = now
	case layout.Cancel:
		g.state.Pick = ""
		g.state.Slot, g.state.SlotEnd, g.state.Booking = time.Time{}, time.Time{}, ""
		g.state.Offset = 0
	case layout.Choose:
		// A slot (or, for a free resource, its length) was chosen: the
		// sheet asks who, and the face grid on it starts at its first page.
		g.state.Slot, g.state.SlotEnd, g.state.Booking = in.Start, in.End, in.Booking
		g.state.Pick, g.state.Offset = "", 0
		g.pickAt = now
	case layout.Days:
		g.state.Day = in.Offset
	case layout.Notify:
		g.setNotice(now, in.Notice, true)
	case layout.Confirm:
		g.state.Pick = ""
		g.state.Slot, g.state.SlotEnd, g.state.Booking = time.Time{}, time.Time{}, ""
		g.state.Offset = 0
		g.confirm(now, in.Signup)
	case layout.Read:
		g.read(now, in.Card)
	case layout.Key:
		g.key(now, in.Offset)
	case layout.Logout:
		g.logout(now, "logout", false)
	case layout.Stay:
		g.login.prompt = false
	case layout.Type:
		g.typeKey(in.Text)
	case layout.Send:
		g.sendSuggestion(now)
	}
}

// forgetLocal drops the local sign-ups the reading shows: those in its
// outbox, and those stored before it began (sent since, they are on the
// board or on their way to it). A sign-up is local for a minute at most.
func (g *Game) forgetLocal(now time.Time) {
	r := g.shown
	if r == nil {
		return
	}
	inBox := map[string]bool{}
	for _, o := range r.Outbox {
		inBox[o.ID] = true
	}
	keep := g.local[:0]
	for _, l := range g.local {
		seq, stored := g.localSeq[l.ID]
		if inBox[l.ID] || (stored && seq <= r.Writes) || now.Sub(l.At) >= time.Minute {
			delete(g.localSeq, l.ID)
			continue
		}
		keep = append(keep, l)
	}
	g.local = keep
}

// confirm makes the sign-up the resident said yes to. The face shows it as
// waiting at once; it is handed out to be written to the outbox, and the
// confirmation (or the failure) is said when the write is done.
func (g *Game) confirm(now time.Time, sg board.Signup) {
	sg.ID = g.cfg.NewID()
	sg.At = now
	sg.State = board.Pending
	g.local = append(g.local, sg)
	g.writes = append(g.writes, sg)
	g.signupMade(sg)
}

// written takes the outcome of a write.
func (g *Game) written(w Written, now time.Time) {
	strs := g.strings()
	sg := w.Signup
	if w.Err != nil {
		g.cfg.Log.Error("enqueue sign-up", "id", sg.ID, "item", sg.ItemID, "err", w.Err)
		for i, l := range g.local {
			if l.ID == sg.ID {
				g.local = append(g.local[:i], g.local[i+1:]...)
				break
			}
		}
		g.setNotice(now, strs.RefusedOther, true)
		return
	}
	g.cfg.Log.Info("sign-up enqueued", "id", sg.ID, "item_type", sg.ItemType, "item", sg.ItemID, "action", sg.Action)
	if w.Seq != 0 {
		g.localSeq[sg.ID] = w.Seq
		g.forgetLocal(now)
	}
	name := g.name(sg.ProfileID)
	if name == "" {
		name = sg.ProfileID
	}
	switch sg.Action {
	case board.Book:
		g.setNotice(now, fmt.Sprintf(strs.Booked, g.resourceName(sg), name), false)
	case board.Cancel:
		g.setNotice(now, fmt.Sprintf(strs.Unbooked, g.resourceName(sg)), false)
	case board.Leave:
		g.setNotice(now, fmt.Sprintf(strs.Left, name), false)
	default:
		g.setNotice(now, fmt.Sprintf(strs.Joined, name), false)
	}
}

// timers: notices fade, questions lapse, idle starts, slides turn, staff's
// notices begin and end.
func (g *Game) timers(now time.Time) {
	// Most boards have no notices: nothing to look at in the loop then.
	if g.shown != nil && g.shown.Board != nil && (len(g.shown.Board.Notices) > 0 || g.noticesOn != "") {
		var ids []string
		for _, n := range g.shown.Board.NoticesAt(now) {
			ids = append(ids, n.ID)
		}
		if on := strings.Join(ids, ","); on != g.noticesOn {
			g.noticesOn = on
			g.dirty = true
		}
	}
	if g.state.Notice.Text != "" && now.Sub(g.noticeAt) >= NoticeFor {
		g.state.Notice = layout.Notice{}
		g.dirty = true
	}
	if (g.state.Pick != "" || !g.state.Slot.IsZero() || g.state.Booking != "") && now.Sub(g.pickAt) >= PickFor {
		g.state.Pick = ""
		g.state.Slot, g.state.SlotEnd, g.state.Booking = time.Time{}, time.Time{}, ""
		g.dirty = true
	}
	if !g.state.Page.Is(board.PageIdle) && !g.state.Page.Is(board.PageNight) && now.Sub(g.lastTouch) >= g.cfg.IdleAfter && g.shown != nil && g.shown.Board != nil && g.login.state.Who == "" {
		g.Open(board.PageOf(board.PageIdle))
		g.idleSince = now
	}
	if g.state.Page.Is(board.PageIdle) && !g.blank {
		// A dark display turns no slides; it goes on where the time says
		// when it lights up.
		if slide := int(now.Sub(g.idleSince) / SlideFor); slide != g.state.Slide {
			g.state.Slide = slide
			g.dirty = true
		}
	}
}

// Next is when the game next has something to do after now: the next
// minute, a notice fading, a question lapsing, the slideshow.
func (g *Game) Next(now time.Time) time.Time {
	next := now.Truncate(time.Minute).Add(time.Minute)
	consider := func(t time.Time) {
		if t.After(now) && t.Before(next) {
			next = t
		}
	}
	if g.state.Notice.Text != "" {
		consider(g.noticeAt.Add(NoticeFor))
	}
	if g.state.Pick != "" {
		consider(g.pickAt.Add(PickFor))
	}
	switch {
	case g.state.Page.Is(board.PageIdle) && g.blank:
		// No slides while dark: the minute is the next thing to do.
	case g.state.Page.Is(board.PageIdle):
		consider(g.idleSince.Add(time.Duration(g.state.Slide+1) * SlideFor))
	default:
		consider(g.lastTouch.Add(g.cfg.IdleAfter))
	}
	if g.shown != nil && g.shown.Board != nil {
		consider(g.shown.Board.NextNoticeChange(now)) // ended by the screen's clock, offline too
	}
	g.loginNext(now, consider)
	return next
}

// Input is the layout's view of now, for state st.
func (g *Game) Input(now time.Time, st layout.State) layout.Input {
	in := layout.Input{Now: now, Locale: g.cfg.Locale, W: float64(g.w), H: float64(g.h), State: st, DayUnknown: g.dayUnknown}
	if r := g.shown; r != nil {
		in.Logo = r.Logo
		in.Board = r.Board
		if g.dayUnknown && r.Board != nil && !r.Board.GeneratedAt.IsZero() {
			// The last day the backend vouched for, not the Pi's guess.
			in.Now = r.Board.GeneratedAt
		}
		in.Outbox = append(append([]board.Signup(nil), r.Outbox...), g.local...)
		in.LastSync = r.Meta.LastSync
		in.Offline = !r.Meta.LastSync.IsZero() && now.Sub(r.Meta.LastSync) >= g.cfg.OfflineAfter
	}
	if g.pairing.OK {
		in.Pairing = &layout.Pairing{Code: g.pairing.Code, URI: g.pairing.URI}
	}
	in.Speaking = g.speaking
	in.Login = g.loginView(now)
	return in
}

func (g *Game) build(now time.Time) {
	g.page = layout.Build(g.cfg.Measurer, g.Input(now, g.state))
	// A page that no longer exists (an item gone from the board) falls back.
	if g.page.ID != g.state.Page && g.state.Page.Kind != "" && !g.pairing.OK && g.shown != nil && g.shown.Board != nil {
		g.state = layout.State{Page: g.page.ID, Notice: g.state.Notice}
	}
}

// swipe is the page's swipe intent when the finger moved sideways far
// enough between press and release (a picture of Min side to the next).
func (g *Game) swipe(p *press, ev Pointer) (layout.Intent, bool) {
	dx, dy := ev.X-p.x, ev.Y-p.y
	if math.Abs(dx) < float64(g.w)*0.08 || math.Abs(dx) < 2*math.Abs(dy) {
		return layout.Intent{}, false
	}
	in := g.page.SwipeLeft // the finger moved left: the next one
	if dx > 0 {
		in = g.page.SwipeRight
	}
	return in, in.Kind != 0
}

// resourceName is the name of what a booking entry books or cancels.
func (g *Game) resourceName(sg board.Signup) string {
	if g.shown == nil || g.shown.Board == nil {
		return ""
	}
	bd := g.shown.Board
	if sg.Action == board.Book {
		if r, ok := bd.Bookable(sg.ItemID); ok {
			return r.Name
		}
		return ""
	}
	for _, x := range bd.Bookings {
		if x.ID == sg.ItemID {
			return x.Resource
		}
	}
	return ""
}
