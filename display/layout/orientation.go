package layout

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// SkyPictogram names the drawn sky of a part of the day: the sun low, the
// sun high, the sun setting or the moon.
func SkyPictogram(p words.DayPart) string {
	switch p {
	case words.Morning:
		return "sky-morning"
	case words.LateMorning, words.Afternoon:
		return "sky-day"
	case words.Evening:
		return "sky-evening"
	}
	return "sky-night"
}

// WeatherPictogram names the drawn pictogram of a weather symbol.
func WeatherPictogram(s board.Symbol) string { return "weather-" + string(s) }

// Happening is one thing on the day's programme: an activity, a meal or a
// meeting, as the now/next strip names it.
type Happening struct {
	Title, Place string
	Start, End   time.Time
	Page         board.PageID // the detail page
}

// Happenings are today's and the coming days' activities, meals and
// meetings on the board, by start.
func Happenings(bd *board.Board, s *words.Strings) []Happening {
	var out []Happening
	for _, a := range bd.Activities {
		out = append(out, Happening{a.Title, a.Location, a.Start, a.End, board.PageID{Kind: board.PageActivity, ID: a.ID}})
	}
	for _, m := range bd.Meals {
		out = append(out, Happening{s.Meal(m.Kind), "", m.Start, m.End, board.PageID{Kind: board.PageMeal, ID: m.ID}})
	}
	for _, m := range bd.Meetings {
		out = append(out, Happening{m.Title, m.Location, m.Start, m.End, board.PageID{Kind: board.PageMeeting, ID: m.ID}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// NowAndNext are the happenings going on at now, and the first one that
// starts after now (ok false when nothing more is planned on the board).
// Both change exactly at a start or an end, so a page built at each minute
// turn shows them from the minute they become true.
func NowAndNext(hs []Happening, now time.Time) (cur []Happening, next Happening, ok bool) {
	for _, h := range hs {
		switch {
		case !now.Before(h.Start) && !board.Ended(h.Start, h.End, now):
			cur = append(cur, h)
		case h.Start.After(now) && !ok:
			next, ok = h, true
		}
	}
	return cur, next, ok
}

// what is a happening in words: "Frokost i Spisestuen". A place that is a
// name ("Dagligstuen", "Fælleshuset, store sal") takes the preposition;
// one that is a phrase ("Mødes ved hoveddøren") follows a dash.
func what(s *words.Strings, h Happening) string {
	if h.Place == "" {
		return h.Title
	}
	name, _, _ := strings.Cut(h.Place, ",")
	if s.In != "" && !strings.Contains(strings.TrimSpace(name), " ") {
		return h.Title + " " + s.In + " " + h.Place
	}
	return h.Title + " – " + h.Place
}

// nowText is the now line: "Frokost i Spisestuen", several joined, or
// "ingenting planlagt".
func nowText(s *words.Strings, cur []Happening) string {
	if len(cur) == 0 {
		return s.NothingNow
	}
	parts := make([]string, len(cur))
	for i, h := range cur {
		parts[i] = what(s, h)
	}
	return strings.Join(parts, " · ")
}

// nextText is the next line: "14:30 Musik i Dagligstuen", with the day
// when it is not today ("I morgen 10:00 Strikkeklub").
func (b *builder) nextText(next Happening, ok bool) string {
	if !ok {
		return b.s.NothingPlanned
	}
	t := words.Clock(next.Start, b.loc) + " " + what(b.s, next)
	if !board.SameDay(next.Start, b.in.Now, b.loc) {
		t = b.dayOf(next.Start) + " " + t
	}
	return t
}

// orientationStrip draws the now/next strip (and the weather, when there is
// fresh weather) in r.
func (b *builder) orientationStrip(r Rect) {
	b.box(r, Card, Line, 0.25*b.u, 1.2*b.u)
	in := Rect{r.X + 1.5*b.u, r.Y + 1.2*b.u, r.W - 3*b.u, r.H - 2.4*b.u}
	if b.weatherShown() {
		if b.portrait() {
			// The weather under now and next, across the width.
			one := b.stripH() - 2.4*b.u
			tile := Rect{in.X, in.Bottom() - one, in.W, one}
			in.H -= one + 2.4*b.u
			b.box(Rect{r.X + b.u, tile.Y - 1.2*b.u - 0.125*b.u, r.W - 2*b.u, 0.25 * b.u}, Line, Line, 0, 0)
			b.weatherTile(tile)
		} else {
			tileW := math.Min(in.W*0.45, b.weatherTileW())
			var tile Rect
			in, tile = Rect{in.X, in.Y, in.W - tileW - 2.4*b.u, in.H}, Rect{in.Right() - tileW, in.Y, tileW, in.H}
			b.box(Rect{tile.X - 1.2*b.u - 0.125*b.u, r.Y + b.u, 0.25 * b.u, r.H - 2*b.u}, Line, Line, 0, 0)
			b.weatherTile(tile)
		}
	}
	cur, next, ok := NowAndNext(Happenings(b.in.Board, b.s), b.in.Now)
	rows := in.splitV(0, 1, 1)
	label := Font{Size: b.fBody.Size, Bold: true}
	lw := math.Max(b.m.Width(b.s.NowLabel, label), b.m.Width(b.s.NextLabel, label)) + 1.2*b.u
	for i, l := range []struct {
		label, text string
		bold        bool
	}{{b.s.NowLabel, nowText(b.s, cur), true}, {b.s.NextLabel, b.nextText(next, ok), false}} {
		row := rows[i]
		b.line(Rect{row.X, row.Y, lw, row.H}, l.label, label, Accent, Left)
		b.line(Rect{row.X + lw, row.Y, row.W - lw, row.H}, l.text, Font{Size: b.fBody.Size, Bold: l.bold}, Ink, Left)
	}
}

// stripH is the height of the now/next strip: two lines of body text set
// as tight as the header's, so the Today page keeps its two activity cards
// at 16:9.
func (b *builder) stripH() float64 { return 9.4 * b.u }

// orientationH is the height of the whole strip: in portrait the weather
// takes a row of its own under now and next.
func (b *builder) orientationH() float64 {
	if b.portrait() && b.weatherShown() {
		return 2 * b.stripH()
	}
	return b.stripH()
}

// weatherShown reports whether the page shows weather: the board carries
// weather updated less than six hours ago, and the clock can be trusted to
// say so.
func (b *builder) weatherShown() bool {
	return !b.in.DayUnknown && b.in.Board != nil && b.in.Board.Weather.Fresh(b.in.Now)
}

// The sizes of the weather tile.
func (b *builder) tempFont() Font { return Font{Size: 7 * b.u, Bold: true} }

func (b *builder) weatherTileW() float64 {
	return b.stripH() + b.m.Width("−10°", b.tempFont()) + 2*b.u + 30*b.u
}

// weatherTile: the pictogram, the temperature now in large numerals, and
// today's span with a word for the sky and, when it matters, a warning.
func (b *builder) weatherTile(r Rect) {
	w := b.in.Board.Weather
	iconS := r.H + b.u
	icon := Rect{r.X, r.Y + (r.H-iconS)/2, iconS, iconS}
	rest := Rect{r.X + iconS + 1.2*b.u, r.Y, r.W - iconS - 1.2*b.u, r.H}
	b.p.Items = append(b.p.Items, Item{Kind: Icon, R: icon, Text: WeatherPictogram(w.Now.Symbol), Color: Accent})
	tf := b.tempFont()
	temp := words.Temp(w.Now.TempC)
	tw := b.line(Rect{rest.X, rest.Y, math.Min(rest.W, b.m.Width(temp, tf)), rest.H}, temp, tf, Ink, Left)
	rest.X += tw + 1.6*b.u
	rest.W -= tw + 1.6*b.u
	rows := rest.splitV(0, 1, 1)
	b.line(rows[0], b.weatherLine(), Font{Size: b.fSmall.Size, Bold: true}, Ink, Left)
	b.line(rows[1], b.weatherHint(), b.fSmall, Ink, Left)
}

// weatherLine is the sky in a word and today's span: "Skyet, 1° til 5°".
func (b *builder) weatherLine() string {
	w := b.in.Board.Weather
	out := b.s.Sky[w.Now.Symbol]
	if d, ok := w.Day(b.in.Now, b.loc); ok {
		out += ", " + fmt.Sprintf(b.s.Span, words.Temp(d.MinC), words.Temp(d.MaxC))
	}
	return out
}

// strongWind is where wind is worth a word (a strong breeze, 6 Beaufort).
const strongWind = 10.8

// weatherHint is the one thing worth saying: slippery roads, wet weather
// later today, strong wind; else the place the weather is for.
func (b *builder) weatherHint() string {
	w := b.in.Board.Weather
	d, ok := w.Day(b.in.Now, b.loc)
	wet := w.Now.Symbol.Wet() || ok && (d.Symbol.Wet() || d.PrecipMM >= 0.5)
	switch {
	case wet && (w.Now.TempC <= 0 || ok && d.MinC <= 0):
		return b.s.Slippery
	case w.Now.WindMS >= strongWind:
		return fmt.Sprintf(b.s.Windy, int(math.Round(w.Now.WindMS)))
	case ok && d.Symbol.Wet() && !w.Now.Symbol.Wet() && words.PartOfDay(b.in.Now, b.loc) < words.Afternoon:
		return fmt.Sprintf(b.s.LaterToday, b.s.Sky[d.Symbol])
	}
	return w.Place
}
