package layout

import (
	"fmt"
	"hash/fnv"
	"image/color"
	"math"
	"strings"
	"time"
	"unicode"

	"skaerm/board"
	"skaerm/words"
)

// ItemKind says how the display paints an Item.
type ItemKind uint8

// The kinds of Item.
const (
	Box     ItemKind = iota // a filled and/or stroked rounded rectangle
	Text                    // one line of text, already fitted; R is its line box
	Face                    // a round face: the avatar, or initials on a colour
	Icon                    // a pictogram drawn as a vector icon in R
	Picture                 // a media image cropped to fill R
)

// Item is one thing to paint. Items are painted in order.
type Item struct {
	Kind    ItemKind
	R       Rect
	Fill    color.RGBA // Box fill; Face background for initials
	Stroke  color.RGBA // Box outline (none when StrokeW is 0)
	StrokeW float64
	Radius  float64
	Text    string // Text: the line; Face: the initials; Icon: the pictogram name
	Font    Font
	Color   color.RGBA // Text, Icon, initials
	Media   string     // Face: avatar hash ("" for initials); Picture: image hash or asset key (IsAssetKey)
	Fit     bool       // Picture: fit inside R keeping its shape (a logo), instead of filling it
	// Private marks what comes from a resident's login (Min side, the
	// name in the header): a remote screenshot covers it.
	Private bool
}

// Keys of the pictures a care home may put in its assets override folder;
// the display looks them up beside the media hashes.
const (
	assetPrefix = "asset:"
	LogoKey     = assetPrefix + "logo"
)

// PictogramKey is the key of an override picture for a pictogram name.
func PictogramKey(name string) string { return assetPrefix + "pictogram/" + name }

// IsAssetKey reports whether a picture's key names a picture of the assets
// folder rather than a media hash from the board.
func IsAssetKey(key string) bool { return strings.HasPrefix(key, assetPrefix) }

// IntentKind is what a touch target asks for.
type IntentKind uint8

// The intents a tap can carry.
const (
	Open    IntentKind = iota + 1 // go to Intent.Page
	Pick                          // a face was chosen: ask to confirm
	Confirm                       // the confirmation was given: enqueue Intent.Signup
	Cancel                        // leave the confirmation without doing anything
	Turn                          // page through: Intent.Offset is the new offset
	Notify                        // show Intent.Notice (a tap that cannot be acted on)
	Read                          // read Intent.Card aloud, or stop reading it
	Key                           // a key of the PIN keypad: Intent.Offset is the digit, -1 deletes
	Logout                        // end the personal login
	Stay                          // "Ja, jeg er her": the resident is still here
	Type                          // a key of the on-screen keyboard: Intent.Text ("⌫" deletes, "⇧" shifts)
	Send                          // send the suggestion written on the keyboard
	Choose                        // a slot of a resource: Intent.Start, End (zero: ask how long) and Booking (to cancel)
	Days                          // page a resource's week grid: Intent.Offset is the first day shown
)

// String names the intent in logs: "open", "pick", …
func (k IntentKind) String() string {
	if int(k) < len(intentNames) {
		return intentNames[k]
	}
	return fmt.Sprintf("intent(%d)", uint8(k))
}

var intentNames = [...]string{"", "open", "pick", "confirm", "cancel", "turn", "notify", "read", "key", "logout", "stay", "type", "send", "choose", "days"}

// Intent is what happens when a target is tapped.
type Intent struct {
	Kind    IntentKind
	Page    board.PageID
	Profile string
	Offset  int
	Signup  board.Signup // Confirm: everything but ID and At
	Notice  string
	Card    board.CardKey // Read: the card to read
	Text    string        // Type: the character
	// Choose: the slot, and the booking when the slot is taken by one.
	Start, End time.Time
	Booking    string
}

// Target is a touch target: a tap released inside R carries Intent.
type Target struct {
	R      Rect
	Intent Intent
}

// Page is everything the display paints for one frame, and where taps go.
type Page struct {
	ID      board.PageID
	W, H    float64
	Bg      color.RGBA
	Items   []Item
	Targets []Target
	// Idle says a tap anywhere (outside the targets) returns to Today.
	Idle bool
	// SwipeLeft and SwipeRight are what a sideways swipe does (a zero
	// Intent: nothing).
	SwipeLeft, SwipeRight Intent
}

// TargetAt returns the topmost target under (x, y).
func (p *Page) TargetAt(x, y float64) (Target, bool) {
	for i := len(p.Targets) - 1; i >= 0; i-- {
		if p.Targets[i].R.Contains(x, y) {
			return p.Targets[i], true
		}
	}
	return Target{}, false
}

// Notice is a message shown at the top of a page for a while.
type Notice struct {
	Text string
	Bad  bool // a refusal or error rather than a confirmation
}

// State is where the resident is: the page, paging, a face awaiting
// confirmation and a message. The display owns it and changes it on intents.
type State struct {
	Page   board.PageID
	Offset int    // paging within the page
	Pick   string // profile id awaiting confirmation on a detail page
	Notice Notice
	Slide  int // idle slideshow position
	// On a resource's week grid: the first day shown (from today), and the
	// slot chosen to book (Slot, SlotEnd once its length is known) or the
	// booking chosen to cancel.
	Day           int
	Slot, SlotEnd time.Time
	Booking       string
}

// Pairing is what the pairing page shows.
type Pairing struct {
	Code, URI string
}

// Input is everything a page is built from.
type Input struct {
	Board    *board.Board // nil before the first sync
	Now      time.Time
	Locale   string // "" for the department's
	W, H     float64
	State    State
	Outbox   []board.Signup
	LastSync time.Time
	Offline  bool // show "Sidst opdateret kl. …"
	// Logo: the care home's logo is in the assets folder; the header shows it.
	Logo bool
	// DayUnknown: the clock cannot be trusted; Now is the board's own day,
	// the header says the clock is not set and shows no time.
	DayUnknown bool
	Pairing    *Pairing // non-nil: show the pairing page whatever State says
	// Speaking is the card being read aloud: its speaker button shows
	// that it is reading (a second tap stops it).
	Speaking board.CardKey
	// Login is the personal login; nil when the screen has none.
	Login *LoginView
}

// SpokenLocale is the language the screen speaks: the configured one, else
// the department's (bd may be nil before the first sync).
func SpokenLocale(configured string, bd *board.Board) string {
	if configured == "" && bd != nil {
		return bd.Department.Locale
	}
	return configured
}

// builder carries what every page needs.
type builder struct {
	m    Measurer
	in   *Input
	lang *words.Language
	s    *words.Strings
	loc  *time.Location
	u    float64 // a hundredth of the short side
	p    *Page
	// type sizes
	fTitle, fBody, fSmall, fTiny Font
}

// Build lays out the page in.State.Page (or the pairing page) for in.
func Build(m Measurer, in Input) *Page {
	b := &builder{m: m, in: &in, loc: in.Board.Location()}
	b.lang = words.Lookup(SpokenLocale(in.Locale, in.Board))
	b.s = &b.lang.Strings
	// A person whose name the screen may not show is named in the
	// screen's language.
	in.Board = in.Board.Named(b.s.Placeholder)
	b.u = math.Min(in.W, in.H) / 100
	b.fTitle = Font{Size: 4.6 * b.u, Bold: true}
	b.fBody = Font{Size: 3.9 * b.u}
	b.fSmall = Font{Size: 3.3 * b.u}
	b.fTiny = Font{Size: 2.8 * b.u}
	id := in.State.Page
	if id.Kind == "" {
		id = board.PageOf(board.PageToday)
	}
	if in.Pairing != nil {
		id = board.PageOf(board.PagePairing)
	}
	b.p = &Page{ID: id, W: in.W, H: in.H, Bg: Paper}
	if id.Kind == board.PagePairing {
		b.pairing()
		return b.p
	}
	if in.Board == nil {
		b.waiting()
		return b.p
	}
	switch id.Kind {
	case board.PageActivity, board.PageMeal, board.PageMeeting:
		if !b.detail(id) {
			b.p.ID = board.PageOf(board.PageToday)
			b.today()
		}
	case board.PageRoster:
		b.roster()
	case board.PageWeek:
		b.week()
	case board.PageBookings:
		b.bookings(id.ID)
	case board.PageNews:
		b.news()
	case board.PageGallery:
		b.gallery()
	case board.PageIdle:
		b.idle()
	case board.PageNight:
		b.night()
	case board.PageLogin:
		if id.PINProfile() != "" {
			b.pin(id)
		} else {
			b.login()
		}
	case board.PageMe:
		switch {
		case id.ID == "keyboard":
			b.keyboard()
		case strings.HasPrefix(id.ID, "shared/"):
			b.shared(strings.TrimPrefix(id.ID, "shared/"))
		default:
			b.me()
		}
	default:
		b.p.ID = board.PageOf(board.PageToday)
		b.today()
	}
	b.stillHere()
	return b.p
}

// --- painting helpers ---

func (b *builder) box(r Rect, fill color.RGBA, stroke color.RGBA, strokeW, radius float64) {
	b.p.Items = append(b.p.Items, Item{Kind: Box, R: r, Fill: fill, Stroke: stroke, StrokeW: strokeW, Radius: radius})
}

// Align places a line in its box.
type Align uint8

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// line draws s fitted into r's width, centred vertically in r, and returns
// the width it took.
func (b *builder) line(r Rect, s string, f Font, c color.RGBA, a Align) float64 {
	s = Fit(b.m, s, f, r.W)
	if s == "" {
		return 0
	}
	w := b.m.Width(s, f)
	h := b.m.Metrics(f).Height()
	x := r.X
	switch a {
	case Center:
		x += (r.W - w) / 2
	case Right:
		x += r.W - w
	}
	y := r.Y + (r.H-h)/2
	b.p.Items = append(b.p.Items, Item{Kind: Text, R: Rect{x, y, w, h}, Text: s, Font: f, Color: c})
	return w
}

// shrink is f made smaller, down to minSize, until s fits in width w: a
// word a resident needs is shown smaller rather than cut.
func (b *builder) shrink(s string, f Font, w, minSize float64) Font {
	for f.Size > minSize && b.m.Width(s, f) > w {
		f.Size = math.Max(minSize, f.Size-0.1*b.u)
	}
	return f
}

// lineH is the height of a row holding one line of f.
func (b *builder) lineH(f Font) float64 { return b.m.Metrics(f).Height() * 1.02 }

// para wraps s into r (as many lines as fit, at most maxLines; 0 for any) and
// returns the height used.
func (b *builder) para(r Rect, s string, f Font, c color.RGBA, maxLines int) float64 {
	lh := b.lineH(f)
	fit := int(r.H / lh)
	if maxLines > 0 && fit > maxLines {
		fit = maxLines
	}
	lines := Wrap(b.m, s, f, r.W, fit)
	for i, l := range lines {
		b.line(Rect{r.X, r.Y + float64(i)*lh, r.W, lh}, l, f, c, Left)
	}
	return float64(len(lines)) * lh
}

func (b *builder) target(r Rect, in Intent) {
	b.p.Targets = append(b.p.Targets, Target{R: r, Intent: in})
}

// MinUnitMM is the smallest a unit (a hundredth of the screen's short
// side) is on a screen skaerm hangs on: a 24" 16:9 panel's short side is
// 299 mm.
const MinUnitMM = 2.99

// SpeakerSize is the side of the speaker button on a screen whose short
// side is short pixels: 16 mm on the smallest screen. Its touch target
// reaches a little past it, to the 7.4 units every target has.
func SpeakerSize(short float64) float64 { return 16 / MinUnitMM * short / 100 }

// speakerAt is where the read-aloud button of card r goes: its
// bottom-right corner, pad inside its edges, the same place on every card
// (under the thumb, and clear of the titles). The card's last lines keep
// clear of it (clear).
func (b *builder) speakerAt(r Rect, pad float64) Rect {
	s := SpeakerSize(math.Min(b.in.W, b.in.H))
	return Rect{r.Right() - pad - s, r.Bottom() - pad - s, s, s}
}

// speaker draws the read-aloud button btn for the card key, after the
// card's own target so a tap on it reads rather than opens. While the card
// is being read the button is filled and shows a stop sign.
func (b *builder) speaker(btn Rect, key board.CardKey) {
	b.speakerIn(btn, key, Accent, Card, Accent, OnDark)
}

// speakerIn is speaker in the colours of a page: ink for the icon and the
// filled button, ground behind it, line its outline, onInk the stop sign.
func (b *builder) speakerIn(btn Rect, key board.CardKey, ink, ground, line, onInk color.RGBA) {
	icon, fg, under := "speaker", ink, ground
	if b.in.Speaking == key {
		b.box(btn, ink, ink, 0, btn.W/2)
		icon, fg, under = "speaker-stop", onInk, ink
	} else {
		b.box(btn, ground, line, 0.35*b.u, btn.W/2)
	}
	if under == Card {
		under = color.RGBA{} // a card: the icons' own white
	}
	b.p.Items = append(b.p.Items, Item{Kind: Icon, R: btn.Inset(btn.W * 0.2), Text: icon, Color: fg, Fill: under})
	reach := math.Max(0, (7.45*b.u-btn.W)/2)
	b.target(btn.Inset(-reach), Intent{Kind: Read, Card: key})
}

// clear is r narrowed to end a gap before btn: the lines beside a speaker
// button.
func (b *builder) clear(r, btn Rect) Rect {
	r.W = math.Max(0, btn.X-b.u-r.X)
	return r
}

// button is a large labelled button; primary ones are filled.
func (b *builder) button(r Rect, label string, in Intent, primary bool) {
	if primary {
		b.box(r, Accent, Accent, 0, b.u)
	} else {
		b.box(r, Card, Accent, 0.45*b.u, b.u)
	}
	c := Accent
	if primary {
		c = OnDark
	}
	f := Font{Size: math.Min(b.fBody.Size, r.H*0.5), Bold: true}
	pad := 1.2 * b.u
	// Shrink a long label down to the small size before cutting it.
	f = b.shrink(label, f, r.W-2*pad, b.fSmall.Size)
	b.line(r.Inset(pad), label, f, c, Center)
	b.target(r, in)
}

// tag is a word in a box ("FULDT", "NU"), so nothing is said by colour alone.
func (b *builder) tag(x, y float64, s string, f Font, fill, fg color.RGBA, maxW float64) float64 {
	pad := 0.8 * b.u
	h := b.m.Metrics(f).Height() + 0.4*b.u
	s = Fit(b.m, s, f, maxW-2*pad)
	w := b.m.Width(s, f) + 2*pad
	if s == "" {
		return 0
	}
	r := Rect{x, y, w, h}
	b.box(r, fill, fill, 0, 0.6*b.u)
	b.line(r.Inset(0).withX(x+pad, w-2*pad), s, f, fg, Left)
	return w
}

func (r Rect) withX(x, w float64) Rect { return Rect{x, r.Y, w, r.H} }

// --- faces ---

// FaceOf is how a profile's face is drawn: its avatar when it has one and is
// not anonymized, else initials on a colour derived from its id.
func FaceOf(p board.Profile) Item {
	it := Item{Kind: Face, Text: Initials(p.Name), Fill: FaceColor(p.ID), Color: OnDark}
	if !p.Anonymized {
		it.Media = p.Avatar
	}
	return it
}

// Initials are up to two capital letters from a display name.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		if len(r) > 0 && (unicode.IsLetter(r[0]) || unicode.IsDigit(r[0])) {
			out = append(out, unicode.ToUpper(r[0]))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// FaceColor is the initials background for a profile id, stable across runs.
func FaceColor(id string) color.RGBA {
	h := fnv.New32a()
	h.Write([]byte(id))
	return faceColors[h.Sum32()%uint32(len(faceColors))]
}

// face draws p's face in the square r.
func (b *builder) face(r Rect, p board.Profile) {
	it := FaceOf(p)
	it.R = r
	it.Font = Font{Size: r.H * 0.42, Bold: true}
	b.p.Items = append(b.p.Items, it)
}

// chip draws the neutral "+3" for faces not shown.
func (b *builder) chip(r Rect, more int) {
	b.box(r, Chip, Line, 0.25*b.u, r.H/2)
	f := Font{Size: math.Max(r.H*0.4, b.fTiny.Size), Bold: true}
	b.line(r, fmt.Sprintf("+%d", more), f, Ink, Center)
}

// FacesShown says how many of n faces fit in a row of width w with faces of
// size d and gap g, keeping room for a "+N" chip when some are left over.
func FacesShown(n int, w, d, g float64) (shown, more int) {
	if n <= 0 || d <= 0 {
		return 0, n
	}
	fit := int((w + g) / (d + g))
	if fit >= n {
		return n, 0
	}
	if fit <= 1 {
		return 0, n
	}
	return fit - 1, n - (fit - 1)
}

// profiles returns the visible profiles among ids, in order.
func (b *builder) profiles(ids []string) []board.Profile {
	var out []board.Profile
	for _, id := range ids {
		if p, ok := b.in.Board.Profile(id); ok {
			out = append(out, p)
		}
	}
	return out
}

// faceRow draws faces (optionally with first names under them) in r and a
// "+N" chip for the rest, hidden profiles included.
func (b *builder) faceRow(r Rect, ps []board.Profile, hidden int, d float64, names bool) {
	g := 0.9 * b.u
	cell := d
	if names {
		cell = math.Max(d, 11*b.u)
	}
	shown, more := FacesShown(len(ps)+hidden, r.W, cell, g)
	if shown > len(ps) {
		shown = len(ps)
		more = hidden
	}
	x := r.X
	for _, p := range ps[:shown] {
		b.face(Rect{x + (cell-d)/2, r.Y, d, d}, p)
		if names {
			b.line(Rect{x - g/2, r.Y + d, cell + g, b.lineH(b.fTiny)}, p.Name, b.fTiny, Ink, Center)
		}
		x += cell + g
	}
	if more > 0 {
		b.chip(Rect{x + (cell-d)/2, r.Y, d, d}, more)
	}
}

// --- time ---

// overlaps reports whether [s, e) touches [from, to).
func overlaps(s, e, from, to time.Time) bool {
	if e.Before(s) || e.IsZero() {
		e = s
	}
	return s.Before(to) && !e.Before(from) && (e.After(from) || s.Equal(from))
}
