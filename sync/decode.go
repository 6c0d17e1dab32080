package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // a screen must know its department's zone even without system zoneinfo
	"unicode"
	"unicode/utf8"

	"skaerm/board"
	"skaerm/words"
)

// Caps on what one string from the backend may hold, in runes. Longer text is
// cut and ends in an ellipsis.
const (
	maxNameRunes  = 60   // a profile's display name
	maxTitleRunes = 200  // titles, captions, locations, roles, resources
	maxTextRunes  = 4000 // descriptions, menus, news bodies, suggestions
	maxIDBytes    = 128  // ids are opaque but bounded
	maxPictogram  = 40
)

// DefaultTimezone is the zone a screen assumes before it has a board, and for
// a board whose department names none.
const DefaultTimezone = board.DefaultTimezone

// The kinds of profile a screen knows. An anonymized profile without an
// alias, and a profile with no name at all, is kept with no name: the screen
// names it in its own language (words.Strings.Placeholder).
var kinds = map[board.Kind]bool{board.Resident: true, board.Staff: true, board.External: true}

// The wire types hold only what a screen may keep. Every other field of the
// backend's document (last name, e-mail, phone, CPR, birthday, notes, gallery
// tags and anything a backend adds) has no field here and is skipped by the
// JSON decoder without being stored anywhere.
type (
	wireBoard struct {
		GeneratedAt string          `json:"generated_at"`
		Department  *wireDepartment `json:"department"`
		Profiles    []wireProfile   `json:"profiles"`
		Activities  []wireActivity  `json:"activities"`
		Meals       []wireMeal      `json:"meals"`
		Meetings    []wireMeeting   `json:"meetings"`
		Bookings    []wireBooking   `json:"bookings"`
		Bookables   json.RawMessage `json:"bookables"` // read one by one: a bad one costs only itself
		Roster      []wireShift     `json:"roster"`
		News        []wireNews      `json:"news"`
		Gallery     []wirePhoto     `json:"gallery"`
		Weather     json.RawMessage `json:"weather"` // read on its own: a bad one costs only the weather
		Notices     json.RawMessage `json:"notices"` // read one by one: a bad one costs only itself
	}
	wireNotice struct {
		ID    string `json:"id"`
		Level string `json:"level"`
		Title string `json:"title"`
		Body  string `json:"body"`
		From  string `json:"from"`
		Until string `json:"until"`
		Wake  bool   `json:"wake"`
	}
	wireDepartment struct {
		ID            string             `json:"id"`
		Name          string             `json:"name"`
		Timezone      string             `json:"timezone"`
		Locale        string             `json:"locale"`
		Announcements *wireAnnouncements `json:"announcements"`
	}
	wireAnnouncements struct {
		Enabled       bool   `json:"enabled"`
		BeforeMinutes *int   `json:"before_minutes"`
		Quiet         string `json:"quiet"`
	}
	wireAudio struct {
		SHA256      string  `json:"sha256"`
		ContentType string  `json:"content_type"`
		Seconds     float64 `json:"seconds"`
	}
	wireImage struct {
		SHA256 string `json:"sha256"`
	}
	wireProfile struct {
		ID         string     `json:"id"`
		Kind       string     `json:"kind"`
		FirstName  string     `json:"first_name"`
		Alias      string     `json:"alias"`
		Avatar     *wireImage `json:"avatar"`
		Visible    *bool      `json:"visible_on_screen"`
		Anonymized bool       `json:"anonymized"`
	}
	wireActivity struct {
		ID          string     `json:"id"`
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Location    string     `json:"location"`
		Start       string     `json:"start"`
		End         string     `json:"end"`
		Capacity    int        `json:"capacity"`
		SignupOpen  bool       `json:"signup_open"`
		Pictogram   string     `json:"pictogram"`
		Image       *wireImage `json:"image"`
		Signups     []string   `json:"signups"`
		Audio       *wireAudio `json:"audio"`
	}
	wireMeal struct {
		ID             string     `json:"id"`
		Kind           string     `json:"kind"`
		Start          string     `json:"start"`
		End            string     `json:"end"`
		Menu           string     `json:"menu"`
		SignupDeadline string     `json:"signup_deadline"`
		Signups        []string   `json:"signups"`
		Audio          *wireAudio `json:"audio"`
	}
	wireMeeting struct {
		ID          string           `json:"id"`
		Title       string           `json:"title"`
		Start       string           `json:"start"`
		End         string           `json:"end"`
		Location    string           `json:"location"`
		Signups     []string         `json:"signups"`
		Suggestions []wireSuggestion `json:"suggestions"`
		Audio       *wireAudio       `json:"audio"`
	}
	wireSuggestion struct {
		ID        string `json:"id"`
		ProfileID string `json:"profile_id"`
		Text      string `json:"text"`
	}
	wireBooking struct {
		ID         string `json:"id"`
		Resource   string `json:"resource"`
		ResourceID string `json:"resource_id"` // v1.2
		Start      string `json:"start"`
		End        string `json:"end"`
		ProfileID  string `json:"profile_id"`
	}
	// wireBookable is a resource residents book on the screen (v1.2).
	wireBookable struct {
		ID                 string   `json:"id"`
		Name               string   `json:"name"`
		Pictogram          string   `json:"pictogram"`
		Slots              string   `json:"slots"`
		SlotTimes          []string `json:"slot_times"`
		GridMinutes        int      `json:"grid_minutes"`
		MinMinutes         int      `json:"min_minutes"`
		MaxMinutes         int      `json:"max_minutes"`
		Open               string   `json:"open"`
		MaxAheadDays       int      `json:"max_ahead_days"`
		MaxPerWeek         int      `json:"max_per_week"`
		CancelUntilMinutes int      `json:"cancel_until_minutes"`
		LoginRequired      bool     `json:"login_required"`
	}
	wireShift struct {
		ID        string `json:"id"`
		ProfileID string `json:"profile_id"`
		Role      string `json:"role"`
		Shift     string `json:"shift"`
		Start     string `json:"start"`
		End       string `json:"end"`
	}
	wireNews struct {
		ID        string     `json:"id"`
		Title     string     `json:"title"`
		Body      string     `json:"body"`
		Published string     `json:"published"`
		Image     *wireImage `json:"image"`
		Visible   *bool      `json:"visible_on_screen"`
		Audio     *wireAudio `json:"audio"`
	}
	wirePhoto struct {
		ID      string     `json:"id"`
		Caption string     `json:"caption"`
		Image   *wireImage `json:"image"`
		Taken   string     `json:"taken"`
		Visible *bool      `json:"visible_on_screen"`
	}
)

// note is something the policy filter dropped or repaired. It carries the
// kind of item and its id, never a name or any other content, so it may be
// logged as it is.
type note struct {
	Kind   string // profile, activity, meal, meeting, suggestion, booking, bookable, shift, news, photo, department, weather, announcements
	ID     string
	Reason string
}

// filterStats counts what the policy filter kept out of a board.
type filterStats struct {
	HiddenProfiles    int // profiles not visible on screens: not kept
	HiddenSignups     int // sign-ups by profiles not on the board: counted only
	InvisibleNews     int
	InvisiblePhotos   int
	DroppedItems      int // items that broke the contract (see the notes)
	AnonymizedAvatars int // avatars dropped because the profile is anonymized
}

// Decode reads a board document and applies the privacy policy. The document
// is decoded into types that have fields only for what a screen may keep, so
// a last name or a CPR number is never even copied out of the input. A
// document that cannot be read as a board returns an error wrapping
// ErrBadBoard; items that break the contract are dropped silently (a Syncer
// logs them by id). Which days a screen keeps is the cache's to decide: it
// trims the board to its window when it stores it.
func Decode(r io.Reader) (*board.Board, error) {
	b, _, _, err := decode(r)
	return b, err
}

// decodeOptions say which parts beyond Screen API v1 a screen reads.
type decodeOptions struct {
	// Weather: the backend offers weather (v1.1 capabilities), so the
	// board's weather is read; otherwise it is ignored.
	Weather bool
	// Audio: the backend offers audio (v1.1), so items' recorded readings
	// and the department's announcements are read; otherwise ignored.
	Audio bool
	// Bookables: the backend offers booking on the screen (v1.2), so the
	// board's bookables and its bookings' resource_id are read; otherwise
	// both are ignored and every booking is a plain one, as in v1.
	Bookables bool
	// Notices: the backend offers urgent notices (v1.2), so the board's
	// notices are read; otherwise they are ignored.
	Notices bool
}

// decode is Decode with the filter's notes and counts. It reads
// everything the screen knows, weather included.
func decode(r io.Reader) (*board.Board, []note, filterStats, error) {
	return decodeWith(r, decodeOptions{Weather: true, Audio: true, Bookables: true, Notices: true})
}

// decodeWith is decode for what the backend offers.
func decodeWith(r io.Reader, opts decodeOptions) (*board.Board, []note, filterStats, error) {
	var w wireBoard
	dec := json.NewDecoder(r)
	if err := dec.Decode(&w); err != nil {
		return nil, nil, filterStats{}, fmt.Errorf("%w: %s", ErrBadBoard, jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, filterStats{}, fmt.Errorf("%w: data after the board document", ErrBadBoard)
	}
	f := &filter{audio: opts.Audio}
	if !opts.Weather {
		w.Weather = nil
	}
	if !opts.Notices {
		w.Notices = nil
	}
	if !opts.Bookables {
		w.Bookables = nil
		for i := range w.Bookings {
			w.Bookings[i].ResourceID = ""
		}
	}
	b, err := f.board(&w)
	if err != nil {
		return nil, f.notes, f.stats, err
	}
	return b, f.notes, f.stats, nil
}

// jsonProblem describes a JSON error without quoting the document: a syntax
// or type error's offset and field, never the value.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q has the wrong type (%s, want %s) at byte %d", typ.Field, typ.Value, typ.Type, typ.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the document is empty or cut short"
	}
	return "not a board document"
}

// filter turns a wire board into a board.Board, collecting notes.
type filter struct {
	notes   []note
	stats   filterStats
	visible map[string]bool // profiles kept on the board
	audio   bool            // read recordings and announcements
}

func (f *filter) note(kind, id, reason string) {
	f.notes = append(f.notes, note{Kind: kind, ID: id, Reason: reason})
}

func (f *filter) drop(kind, id, reason string) {
	f.stats.DroppedItems++
	f.note(kind, id, reason)
}

func (f *filter) board(w *wireBoard) (*board.Board, error) {
	if w.Department == nil {
		return nil, fmt.Errorf("%w: no department", ErrBadBoard)
	}
	dept, err := f.department(w.Department)
	if err != nil {
		return nil, err
	}
	b := &board.Board{Department: dept}
	if w.GeneratedAt != "" {
		t, err := parseTime(w.GeneratedAt)
		if err != nil {
			return nil, fmt.Errorf("%w: generated_at: %v", ErrBadBoard, err)
		}
		b.GeneratedAt = t
	}
	b.Profiles = f.profiles(w.Profiles)
	b.Activities = f.activities(w.Activities)
	b.Meals = f.meals(w.Meals)
	b.Meetings = f.meetings(w.Meetings)
	b.Bookables = f.bookables(w.Bookables)
	b.Bookings = f.bookings(w.Bookings, b.Bookables)
	b.Roster = f.roster(w.Roster)
	b.News = f.news(w.News)
	b.Gallery = f.gallery(w.Gallery)
	b.Weather = f.weather(w.Weather, b.Location())
	b.Notices = f.notices(w.Notices)
	return b, nil
}

// Bounds of notices: a screen shows a few at a time; what staff write is
// cut to what large type holds on a wall.
const (
	maxNotices     = 10
	maxNoticeTitle = 120 // runes
	maxNoticeBody  = 600 // runes
)

// notices reads staff's notices. Each is read on its own: one that breaks
// the contract (a field of the wrong type, no until, until not after from,
// neither title nor body) is dropped with a note and costs nothing else.
// An unknown level is read as info (a calm notice rather than none), text
// too long for the screen is cut, and beyond maxNotices the rest are
// dropped (urgent ones are kept first).
func (f *filter) notices(raw json.RawMessage) []board.Notice {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		f.drop("notice", "", "notices: "+jsonProblem(err)+", none kept")
		return nil
	}
	seen := ids{}
	var out []board.Notice
	for i, item := range items {
		var w wireNotice
		if err := json.Unmarshal(item, &w); err != nil {
			id, _ := cleanID(w.ID)
			f.drop("notice", id, fmt.Sprintf("notices[%d]: %s", i, jsonProblem(err)))
			continue
		}
		id, ok := f.itemID("notice", w.ID, seen)
		if !ok {
			continue
		}
		if n, ok := f.notice(id, &w); ok {
			out = append(out, n)
		}
	}
	if len(out) > maxNotices {
		slices.SortStableFunc(out, board.UrgentFirst)
		for _, n := range out[maxNotices:] {
			f.drop("notice", n.ID, fmt.Sprintf("more than %d notices: the board has %d", maxNotices, len(out)))
		}
		out = out[:maxNotices]
	}
	return out
}

// notice checks one notice; a note says why one is dropped or repaired,
// never quoting its words.
func (f *filter) notice(id string, w *wireNotice) (board.Notice, bool) {
	n := board.Notice{ID: id, Level: board.NoticeLevel(w.Level), Wake: w.Wake,
		Title: cleanLine(w.Title, maxNoticeTitle), Body: cleanText(w.Body, maxNoticeBody)}
	switch n.Level {
	case board.NoticeInfo, board.NoticeUrgent:
	default:
		f.note("notice", id, "level is neither info nor urgent: shown as info")
		n.Level = board.NoticeInfo
	}
	if n.Title == "" && n.Body == "" {
		f.drop("notice", id, "neither title nor body")
		return board.Notice{}, false
	}
	if n.Title == "" {
		f.note("notice", id, "no title: the body is shown alone")
	}
	if utf8.RuneCountInString(strings.TrimSpace(w.Title)) > maxNoticeTitle || utf8.RuneCountInString(strings.TrimSpace(w.Body)) > maxNoticeBody {
		f.note("notice", id, fmt.Sprintf("text cut to %d runes of title and %d of body", maxNoticeTitle, maxNoticeBody))
	}
	if w.Until == "" {
		f.drop("notice", id, "no until: a notice must end")
		return board.Notice{}, false
	}
	until, err := parseTime(w.Until)
	if err != nil {
		f.drop("notice", id, "until is not a time")
		return board.Notice{}, false
	}
	n.Until = until
	if w.From != "" {
		from, err := parseTime(w.From)
		if err != nil {
			f.drop("notice", id, "from is not a time")
			return board.Notice{}, false
		}
		n.From = from
	}
	if !n.Until.After(n.From) {
		f.drop("notice", id, "until is not after from")
		return board.Notice{}, false
	}
	return n, true
}

func (f *filter) department(w *wireDepartment) (board.Department, error) {
	id, ok := cleanID(w.ID)
	if !ok {
		return board.Department{}, fmt.Errorf("%w: the department has no usable id", ErrBadBoard)
	}
	d := board.Department{ID: id, Name: cleanLine(w.Name, maxTitleRunes), Timezone: strings.TrimSpace(w.Timezone)}
	if d.Timezone == "" {
		d.Timezone = DefaultTimezone
		f.note("department", id, "no time zone, assuming "+DefaultTimezone)
	}
	if _, err := time.LoadLocation(d.Timezone); err != nil || d.Timezone == "Local" {
		return board.Department{}, fmt.Errorf("%w: department %s: unknown time zone %q", ErrBadBoard, id, cleanLine(w.Timezone, 64))
	}
	loc := strings.TrimSpace(w.Locale)
	if !words.Known(loc) && loc != "" {
		f.note("department", id, "unknown locale, using "+words.Codes()[0])
	}
	d.Locale = words.Lookup(loc).Code
	d.Announcements = f.announcements(id, w.Announcements)
	return d, nil
}

func (f *filter) profiles(in []wireProfile) []board.Profile {
	f.visible = map[string]bool{}
	seen := map[string]bool{}
	var out []board.Profile
	for _, w := range in {
		id, ok := cleanID(w.ID)
		if !ok {
			f.drop("profile", "", "no usable id")
			continue
		}
		if seen[id] {
			f.drop("profile", id, "duplicate id, the first is kept")
			continue
		}
		seen[id] = true
		if w.Visible == nil || !*w.Visible {
			f.stats.HiddenProfiles++
			continue
		}
		kind := board.Kind(w.Kind)
		if !kinds[kind] {
			f.drop("profile", id, "unknown kind")
			continue
		}
		p := board.Profile{ID: id, Kind: kind, Anonymized: w.Anonymized}
		alias := cleanLine(w.Alias, maxNameRunes)
		switch {
		case alias != "":
			p.Name = alias
		case !w.Anonymized:
			p.Name = cleanLine(w.FirstName, maxNameRunes)
		}
		if w.Avatar != nil && w.Avatar.SHA256 != "" {
			switch h, ok := cleanHash(w.Avatar.SHA256); {
			case w.Anonymized:
				f.stats.AnonymizedAvatars++
			case ok:
				p.Avatar = h
			default:
				f.note("profile", id, "avatar hash is not 64 hex digits, no avatar")
			}
		}
		f.visible[id] = true
		out = append(out, p)
	}
	return out
}

// signups keeps the ids of profiles on the board and counts the rest: hidden
// profiles and ids the board does not hold are never named.
func (f *filter) signups(ids []string) board.Signups {
	var s board.Signups
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if f.visible[id] {
			s.IDs = append(s.IDs, id)
		} else {
			s.Hidden++
			f.stats.HiddenSignups++
		}
	}
	return s
}

// who returns id when the profile is on the board, else "".
func (f *filter) who(id string) string {
	if f.visible[id] {
		return id
	}
	return ""
}

// ids checks one item's id against the ones already kept of its kind.
type ids map[string]bool

func (f *filter) itemID(kind, raw string, seen ids) (string, bool) {
	id, ok := cleanID(raw)
	if !ok {
		f.drop(kind, "", "no usable id")
		return "", false
	}
	if seen[id] {
		f.drop(kind, id, "duplicate id, the first is kept")
		return "", false
	}
	seen[id] = true
	return id, true
}

// span parses an item's start (required) and end (optional).
func (f *filter) span(kind, id, start, end string) (time.Time, time.Time, bool) {
	s, err := parseTime(start)
	if err != nil {
		f.drop(kind, id, "start: "+err.Error())
		return time.Time{}, time.Time{}, false
	}
	var e time.Time
	if end != "" {
		if e, err = parseTime(end); err != nil {
			f.drop(kind, id, "end: "+err.Error())
			return time.Time{}, time.Time{}, false
		}
	}
	return s, e, true
}

// optTime parses an optional time; a malformed one is dropped with a note.
func (f *filter) optTime(kind, id, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := parseTime(v)
	if err != nil {
		f.note(kind, id, field+": "+err.Error()+", ignored")
		return time.Time{}
	}
	return t
}

// image returns a usable media hash or "" with a note.
func (f *filter) image(kind, id string, w *wireImage) string {
	if w == nil || w.SHA256 == "" {
		return ""
	}
	h, ok := cleanHash(w.SHA256)
	if !ok {
		f.note(kind, id, "image hash is not 64 hex digits, no image")
	}
	return h
}

func (f *filter) activities(in []wireActivity) []board.Activity {
	seen := ids{}
	var out []board.Activity
	for _, w := range in {
		id, ok := f.itemID("activity", w.ID, seen)
		if !ok {
			continue
		}
		start, end, ok := f.span("activity", id, w.Start, w.End)
		if !ok {
			continue
		}
		out = append(out, board.Activity{
			ID:          id,
			Title:       cleanLine(w.Title, maxTitleRunes),
			Description: cleanText(w.Description, maxTextRunes),
			Location:    cleanLine(w.Location, maxTitleRunes),
			Start:       start,
			End:         end,
			Capacity:    max(w.Capacity, 0),
			SignupOpen:  w.SignupOpen,
			Pictogram:   cleanToken(w.Pictogram, maxPictogram),
			Image:       f.image("activity", id, w.Image),
			Signups:     f.signups(w.Signups),
			Audio:       f.recording("activity", id, w.Audio),
		})
	}
	return out
}

var mealKinds = map[board.MealKind]bool{
	board.Breakfast: true, board.Lunch: true, board.Coffee: true, board.Dinner: true, board.EveningMeal: true,
}

func (f *filter) meals(in []wireMeal) []board.Meal {
	seen := ids{}
	var out []board.Meal
	for _, w := range in {
		id, ok := f.itemID("meal", w.ID, seen)
		if !ok {
			continue
		}
		kind := board.MealKind(w.Kind)
		if !mealKinds[kind] {
			f.drop("meal", id, "unknown meal kind")
			continue
		}
		start, end, ok := f.span("meal", id, w.Start, w.End)
		if !ok {
			continue
		}
		out = append(out, board.Meal{
			ID:             id,
			Kind:           kind,
			Start:          start,
			End:            end,
			Menu:           cleanText(w.Menu, maxTextRunes),
			SignupDeadline: f.optTime("meal", id, "signup_deadline", w.SignupDeadline),
			Signups:        f.signups(w.Signups),
			Audio:          f.recording("meal", id, w.Audio),
		})
	}
	return out
}

func (f *filter) meetings(in []wireMeeting) []board.Meeting {
	seen := ids{}
	var out []board.Meeting
	for _, w := range in {
		id, ok := f.itemID("meeting", w.ID, seen)
		if !ok {
			continue
		}
		start, end, ok := f.span("meeting", id, w.Start, w.End)
		if !ok {
			continue
		}
		m := board.Meeting{
			ID:       id,
			Title:    cleanLine(w.Title, maxTitleRunes),
			Location: cleanLine(w.Location, maxTitleRunes),
			Start:    start,
			End:      end,
			Signups:  f.signups(w.Signups),
			Audio:    f.recording("meeting", id, w.Audio),
		}
		seenS := ids{}
		for _, s := range w.Suggestions {
			sid, ok := f.itemID("suggestion", s.ID, seenS)
			if !ok {
				continue
			}
			m.Suggestions = append(m.Suggestions, board.Suggestion{
				ID:        sid,
				ProfileID: f.who(s.ProfileID),
				Text:      cleanText(s.Text, maxTextRunes),
			})
		}
		out = append(out, m)
	}
	return out
}

// bookings reads the bookings. A booking naming one of the board's
// bookables (resource_id, v1.2) is that resource's: of two that overlap,
// the one starting first is kept (on a tie, the lower id) and the other
// dropped, so the screen never shows a slot taken twice. A resource_id
// that names no bookable leaves a plain booking, as from a v1 backend.
func (f *filter) bookings(in []wireBooking, bookables []board.Bookable) []board.Booking {
	names := map[string]string{}
	for _, r := range bookables {
		names[r.ID] = r.Name
	}
	seen := ids{}
	var out []board.Booking
	for _, w := range in {
		id, ok := f.itemID("booking", w.ID, seen)
		if !ok {
			continue
		}
		start, end, ok := f.span("booking", id, w.Start, w.End)
		if !ok {
			continue
		}
		if !end.IsZero() && !end.After(start) {
			f.drop("booking", id, "ends before or when it starts")
			continue
		}
		x := board.Booking{
			ID:        id,
			Resource:  cleanLine(w.Resource, maxTitleRunes),
			Start:     start,
			End:       end,
			ProfileID: f.who(w.ProfileID),
		}
		if w.ResourceID != "" {
			rid, ok := cleanID(w.ResourceID)
			name, known := names[rid]
			switch {
			case !ok:
				f.note("booking", id, "resource_id is not a usable id, kept as a plain booking")
			case !known:
				f.note("booking", id, "resource_id "+rid+" names no bookable on the board, kept as a plain booking")
			case end.IsZero():
				f.note("booking", id, "a booking of bookable "+rid+" without an end, kept as a plain booking")
			default:
				x.ResourceID = rid
				if x.Resource == "" {
					x.Resource = name
				}
			}
		}
		out = append(out, x)
	}
	return f.dropOverlaps(out)
}

// dropOverlaps keeps, of the bookings of one bookable that overlap, the
// one that starts first (the lower id on a tie); the rest keep their order.
func (f *filter) dropOverlaps(in []board.Booking) []board.Booking {
	var order []int
	for i, x := range in {
		if x.ResourceID != "" {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := in[order[a]], in[order[b]]
		if !x.Start.Equal(y.Start) {
			return x.Start.Before(y.Start)
		}
		return x.ID < y.ID
	})
	// Sorted by start, a booking overlaps one kept before it exactly when
	// it starts before the latest end kept so far on its resource.
	type kept struct {
		end time.Time
		id  string
	}
	last := map[string]kept{}
	dropped := map[int]bool{}
	for _, i := range order {
		x := in[i]
		if k, ok := last[x.ResourceID]; ok && x.Start.Before(k.end) {
			f.drop("booking", x.ID, "overlaps booking "+k.id+" of the same bookable, which starts first and is kept")
			dropped[i] = true
			continue
		}
		last[x.ResourceID] = kept{x.End, x.ID} // it starts at or after every end kept before it
	}
	if len(dropped) == 0 {
		return in
	}
	out := in[:0:0]
	for i, x := range in {
		if !dropped[i] {
			out = append(out, x)
		}
	}
	return out
}

// Bounds of a bookable resource's rules (Screen API v1.2).
const (
	// maxSlotsPerDay is the most slots one resource may offer a day:
	// every 15 minutes around the clock. The screen draws each day's slots
	// as buttons and checks each against the bookings at every redraw; 2000
	// slot times, or a 1-minute grid on 00:00-24:00 (1440 a day, over
	// 10,000 a week), is a fault at the backend, and such a resource is
	// refused rather than drawn as a wall of specks a resident cannot hit.
	maxSlotsPerDay = 96
	// maxBookingMinutes is the longest booking a free resource offers: a
	// week (the guest room for a visit). The screen walks the lengths in
	// grid steps, so a larger max_minutes is cut to it.
	maxBookingMinutes = 7 * 24 * 60
	// maxCancelMinutes is the longest cancel deadline kept: the days a
	// screen shows. A longer one means the same on the screen (no booking
	// it shows can be cancelled there) and is cut to it.
	maxCancelMinutes = (board.DaysAhead + 1) * 24 * 60
)

// bookables reads the resources residents may book. Each is read on its
// own: one that breaks the contract (a field of the wrong type, an unknown
// slot mode, rules that contradict each other, more slots a day than
// maxSlotsPerDay) is dropped with a note and costs nothing else. A fixed
// resource's slot time that is malformed, outside its open hours or
// overlaps another is dropped alone; a fixed resource left with none is
// dropped.
func (f *filter) bookables(raw json.RawMessage) []board.Bookable {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		f.drop("bookable", "", "bookables: "+jsonProblem(err)+", none kept")
		return nil
	}
	seen := ids{}
	var out []board.Bookable
	for i, item := range items {
		var w wireBookable
		if err := json.Unmarshal(item, &w); err != nil {
			id, _ := cleanID(w.ID)
			f.drop("bookable", id, fmt.Sprintf("bookables[%d]: %s", i, jsonProblem(err)))
			continue
		}
		id, ok := f.itemID("bookable", w.ID, seen)
		if !ok {
			continue
		}
		if r, ok := f.bookable(id, &w); ok {
			out = append(out, r)
		}
	}
	return out
}

// bookable checks one resource's rules; a note says why one is dropped.
// A note never quotes a value from the document, only field names and
// numbers the screen works with.
func (f *filter) bookable(id string, w *wireBookable) (board.Bookable, bool) {
	fail := func(reason string) (board.Bookable, bool) {
		f.drop("bookable", id, reason)
		return board.Bookable{}, false
	}
	r := board.Bookable{
		ID:            id,
		Name:          cleanLine(w.Name, maxTitleRunes),
		Pictogram:     cleanToken(w.Pictogram, maxPictogram),
		Slots:         board.SlotMode(w.Slots),
		MaxAheadDays:  w.MaxAheadDays,
		MaxPerWeek:    w.MaxPerWeek,
		LoginRequired: w.LoginRequired,
	}
	if r.Name == "" {
		return fail("no name")
	}
	open, err := parseClockSpan(w.Open)
	if err != nil {
		return fail("open: " + err.Error())
	}
	r.Open = open
	switch {
	case w.MaxAheadDays < 0:
		return fail("max_ahead_days is below 0")
	case w.MaxPerWeek < 0:
		return fail("max_per_week is below 0")
	case w.CancelUntilMinutes < 0:
		return fail("cancel_until_minutes is below 0")
	}
	r.CancelUntilMinutes = w.CancelUntilMinutes
	if r.CancelUntilMinutes > maxCancelMinutes {
		f.note("bookable", id, fmt.Sprintf("cancel_until_minutes cut to %d", maxCancelMinutes))
		r.CancelUntilMinutes = maxCancelMinutes
	}
	length := open.To - open.From
	switch r.Slots {
	case board.FixedSlots:
		if n := len(w.SlotTimes); n > maxSlotsPerDay {
			return fail(fmt.Sprintf("%d slot_times, more than the %d a day a screen offers", n, maxSlotsPerDay))
		}
		r.SlotTimes = f.slotTimes(id, w.SlotTimes, open)
		if len(r.SlotTimes) == 0 {
			return fail("a fixed bookable with no usable slot_times")
		}
	case board.FreeSlots:
		r.GridMinutes, r.MinMinutes, r.MaxMinutes = w.GridMinutes, w.MinMinutes, w.MaxMinutes
		switch {
		case r.GridMinutes <= 0:
			return fail("grid_minutes must be above 0 on a free bookable")
		case length < r.GridMinutes:
			return fail("open is shorter than one grid step")
		case length/r.GridMinutes > maxSlotsPerDay:
			return fail(fmt.Sprintf("grid_minutes %d makes %d slots a day, more than the %d a screen offers",
				r.GridMinutes, length/r.GridMinutes, maxSlotsPerDay))
		case r.MinMinutes <= 0:
			return fail("min_minutes must be above 0 on a free bookable")
		case r.MinMinutes > r.MaxMinutes:
			return fail("min_minutes is above max_minutes")
		case r.MinMinutes > maxBookingMinutes:
			return fail(fmt.Sprintf("min_minutes is above %d (a week)", maxBookingMinutes))
		case !r.AllDay() && r.MinMinutes > length:
			return fail("min_minutes is longer than open")
		}
		if r.MaxMinutes > maxBookingMinutes {
			f.note("bookable", id, fmt.Sprintf("max_minutes cut to %d (a week)", maxBookingMinutes))
			r.MaxMinutes = maxBookingMinutes
		}
	default:
		return fail("slots is neither fixed nor free")
	}
	return r, true
}

// slotTimes reads a fixed resource's slot times, in order of start. One
// that is malformed, not inside open or overlapping an earlier one is
// dropped with a note.
func (f *filter) slotTimes(id string, in []string, open board.ClockSpan) []board.ClockSpan {
	type slot struct {
		i int
		c board.ClockSpan
	}
	var ok []slot
	for i, s := range in {
		c, err := parseClockSpan(s)
		switch {
		case err != nil:
			f.note("bookable", id, fmt.Sprintf("slot_times[%d]: %v, dropped", i, err))
		case c.From < open.From || c.To > open.To:
			f.note("bookable", id, fmt.Sprintf("slot_times[%d]: not inside open, dropped", i))
		default:
			ok = append(ok, slot{i, c})
		}
	}
	sort.SliceStable(ok, func(a, b int) bool {
		if ok[a].c.From != ok[b].c.From {
			return ok[a].c.From < ok[b].c.From
		}
		return ok[a].c.To < ok[b].c.To
	})
	var out []board.ClockSpan
	for _, s := range ok {
		if n := len(out); n > 0 && s.c.From < out[n-1].To {
			f.note("bookable", id, fmt.Sprintf("slot_times[%d]: overlaps another slot, dropped", s.i))
			continue
		}
		out = append(out, s.c)
	}
	return out
}

// parseClockSpan reads "HH:MM-HH:MM" in the department's wall-clock time:
// 00:00 to 23:59, and 24:00 as an end; the end after the start. Its errors
// do not quote the input.
func parseClockSpan(s string) (board.ClockSpan, error) {
	if len(s) != len("07:00-09:00") || s[5] != '-' {
		return board.ClockSpan{}, errors.New("not HH:MM-HH:MM")
	}
	from, ok1 := clockMinutes(s[:5], false)
	to, ok2 := clockMinutes(s[6:], true)
	switch {
	case !ok1 || !ok2:
		return board.ClockSpan{}, errors.New("not HH:MM-HH:MM with times 00:00 to 24:00")
	case to <= from:
		return board.ClockSpan{}, errors.New("ends before or when it starts")
	}
	return board.ClockSpan{From: from, To: to}, nil
}

// clockMinutes reads "HH:MM" as minutes after midnight; "24:00" only as an
// end.
func clockMinutes(s string, end bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	d := [4]int{}
	for i, j := range []int{0, 1, 3, 4} {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		d[i] = int(c - '0')
	}
	h, m := d[0]*10+d[1], d[2]*10+d[3]
	switch {
	case h == 24 && m == 0 && end:
		return 24 * 60, true
	case h > 23 || m > 59:
		return 0, false
	}
	return h*60 + m, true
}

var shiftKinds = map[board.ShiftKind]bool{board.DayShift: true, board.EveningShift: true, board.NightShift: true}

func (f *filter) roster(in []wireShift) []board.Shift {
	seen := ids{}
	var out []board.Shift
	for _, w := range in {
		id, ok := f.itemID("shift", w.ID, seen)
		if !ok {
			continue
		}
		kind := board.ShiftKind(w.Shift)
		if !shiftKinds[kind] {
			f.drop("shift", id, "unknown shift kind")
			continue
		}
		start, end, ok := f.span("shift", id, w.Start, w.End)
		if !ok {
			continue
		}
		out = append(out, board.Shift{
			ID:        id,
			ProfileID: f.who(w.ProfileID),
			Role:      cleanLine(w.Role, maxTitleRunes),
			Shift:     kind,
			Start:     start,
			End:       end,
		})
	}
	return out
}

func (f *filter) news(in []wireNews) []board.News {
	seen := ids{}
	var out []board.News
	for _, w := range in {
		id, ok := f.itemID("news", w.ID, seen)
		if !ok {
			continue
		}
		if w.Visible == nil || !*w.Visible {
			f.stats.InvisibleNews++
			continue
		}
		out = append(out, board.News{
			ID:        id,
			Title:     cleanLine(w.Title, maxTitleRunes),
			Body:      cleanText(w.Body, maxTextRunes),
			Published: f.optTime("news", id, "published", w.Published),
			Image:     f.image("news", id, w.Image),
			Audio:     f.recording("news", id, w.Audio),
		})
	}
	return out
}

func (f *filter) gallery(in []wirePhoto) []board.Photo {
	seen := ids{}
	var out []board.Photo
	for _, w := range in {
		id, ok := f.itemID("photo", w.ID, seen)
		if !ok {
			continue
		}
		if w.Visible == nil || !*w.Visible {
			f.stats.InvisiblePhotos++
			continue
		}
		img := f.image("photo", id, w.Image)
		if img == "" {
			f.drop("photo", id, "no usable image")
			continue
		}
		out = append(out, board.Photo{
			ID:      id,
			Caption: cleanLine(w.Caption, maxTitleRunes),
			Image:   img,
			Taken:   f.optTime("photo", id, "taken", w.Taken),
		})
	}
	return out
}

// parseTime accepts RFC 3339 only: a time without an offset is ambiguous on
// a screen whose own clock and zone may be wrong.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("missing")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New("not an RFC 3339 time with offset")
	}
	return t, nil
}

// cleanID accepts an id that is non-empty, bounded, valid UTF-8 and free of
// control characters. Ids are otherwise opaque and not trimmed.
func cleanID(s string) (string, bool) {
	if s == "" || len(s) > maxIDBytes || !utf8.ValidString(s) || strings.TrimSpace(s) == "" {
		return "", false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", false
		}
	}
	return s, true
}

// cleanHash accepts 64 hex digits and returns them in lower case.
func cleanHash(s string) (string, bool) {
	if len(s) != 64 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return "", false
		}
	}
	return strings.ToLower(s), true
}

// cleanToken keeps a short machine word such as a pictogram name: lower-case
// letters, digits, '-' and '_'; anything else gives "".
func cleanToken(s string, max int) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > max {
		return ""
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return s
}

// cleanLine makes a single line of text: invalid UTF-8 becomes U+FFFD,
// line breaks and tabs become spaces, other control and format characters
// go, runs of spaces collapse, and the result is trimmed and capped.
func cleanLine(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return capRunes(b.String(), max)
}

// cleanText is cleanLine for text with paragraphs: line breaks are kept
// (CRLF and CR become LF, at most one blank line in a row), every line is
// cleaned as by cleanLine.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = cleanLine(l, max)
		if l == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return capRunes(strings.TrimSpace(strings.Join(out, "\n")), max)
}

// capRunes cuts s to at most max runes, ending in an ellipsis when cut.
func capRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
		}
		n++
	}
	return s
}

// Bounds of believable weather. A value outside them is a fault at the
// backend or its weather service (900 degrees, a minus sign lost), and
// weather that says so is not shown at all rather than shown wrong.
const (
	minTempC      = -60.0
	maxTempC      = 60.0
	maxWindMS     = 80.0  // beyond the strongest gusts measured in Europe
	maxPrecipMM   = 500.0 // a day's rain; Denmark's record is under 200
	maxPlaceRunes = 60
	maxWeatherDay = 16 // days of forecast kept
)

type (
	wireWeather struct {
		Updated string           `json:"updated"`
		Place   string           `json:"place"`
		Now     *wireWeatherNow  `json:"now"`
		Days    []wireWeatherDay `json:"days"`
	}
	wireWeatherNow struct {
		TempC  *float64 `json:"temp_c"`
		Symbol string   `json:"symbol"`
		WindMS float64  `json:"wind_ms"`
	}
	wireWeatherDay struct {
		Date     string   `json:"date"`
		MinC     *float64 `json:"min_c"`
		MaxC     *float64 `json:"max_c"`
		Symbol   string   `json:"symbol"`
		PrecipMM float64  `json:"precip_mm"`
	}
)

var weatherSymbols = func() map[board.Symbol]bool {
	m := map[board.Symbol]bool{}
	for _, s := range board.Symbols {
		m[s] = true
	}
	return m
}()

// weather reads the board's weather. Weather that breaks the contract
// (a value out of bounds, an unknown symbol, a missing or malformed
// time) is dropped whole with a note saying which field and why; the rest
// of the board is kept. A forecast day that breaks it is dropped alone.
func (f *filter) weather(raw json.RawMessage, loc *time.Location) *board.Weather {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var w wireWeather
	if err := json.Unmarshal(raw, &w); err != nil {
		f.drop("weather", "", jsonProblem(err))
		return nil
	}
	updated, err := parseTime(w.Updated)
	if err != nil {
		f.drop("weather", "", "updated: "+err.Error())
		return nil
	}
	if w.Now == nil {
		f.drop("weather", "", "no now")
		return nil
	}
	out := &board.Weather{Updated: updated, Place: cleanLine(w.Place, maxPlaceRunes)}
	if w.Now.TempC == nil {
		f.drop("weather", "", "now.temp_c: missing")
		return nil
	}
	if reason := outside("now.temp_c", *w.Now.TempC, minTempC, maxTempC, "°C"); reason != "" {
		f.drop("weather", "", reason)
		return nil
	}
	if reason := outside("now.wind_ms", w.Now.WindMS, 0, maxWindMS, "m/s"); reason != "" {
		f.drop("weather", "", reason)
		return nil
	}
	sym := board.Symbol(cleanToken(w.Now.Symbol, maxPictogram))
	if !weatherSymbols[sym] {
		f.drop("weather", "", "now.symbol: not a known weather symbol")
		return nil
	}
	out.Now = board.WeatherNow{TempC: *w.Now.TempC, Symbol: sym, WindMS: w.Now.WindMS}
	seen := map[string]bool{}
	for i, d := range w.Days {
		if len(out.Days) == maxWeatherDay {
			f.note("weather", "", fmt.Sprintf("more than %d days of forecast, the rest ignored", maxWeatherDay))
			break
		}
		day, reason := weatherDay(d, loc)
		if reason == "" && seen[day.Date] {
			reason = "the same date twice, the first is kept"
		}
		if reason != "" {
			f.note("weather", "", fmt.Sprintf("days[%d]: %s, day dropped", i, reason))
			continue
		}
		seen[day.Date] = true
		out.Days = append(out.Days, day)
	}
	return out
}

// weatherDay checks one forecast day; reason says what is wrong.
func weatherDay(d wireWeatherDay, loc *time.Location) (board.WeatherDay, string) {
	t, err := time.ParseInLocation(time.DateOnly, d.Date, loc)
	if err != nil {
		return board.WeatherDay{}, "date: not YYYY-MM-DD"
	}
	if d.MinC == nil || d.MaxC == nil {
		return board.WeatherDay{}, "min_c and max_c are required"
	}
	for _, c := range []struct {
		field string
		v     float64
	}{{"min_c", *d.MinC}, {"max_c", *d.MaxC}} {
		if reason := outside(c.field, c.v, minTempC, maxTempC, "°C"); reason != "" {
			return board.WeatherDay{}, reason
		}
	}
	if *d.MinC > *d.MaxC {
		return board.WeatherDay{}, "min_c is above max_c"
	}
	if reason := outside("precip_mm", d.PrecipMM, 0, maxPrecipMM, "mm"); reason != "" {
		return board.WeatherDay{}, reason
	}
	sym := board.Symbol(cleanToken(d.Symbol, maxPictogram))
	if !weatherSymbols[sym] {
		return board.WeatherDay{}, "symbol: not a known weather symbol"
	}
	return board.WeatherDay{Date: t.Format(time.DateOnly), MinC: *d.MinC, MaxC: *d.MaxC, Symbol: sym, PrecipMM: d.PrecipMM}, ""
}

// outside says why v is not a believable value of field, or "".
func outside(field string, v, lo, hi float64, unit string) string {
	if math.IsNaN(v) || v < lo || v > hi {
		return fmt.Sprintf("%s %g %s is outside %g..%g", field, v, unit, lo, hi)
	}
	return ""
}

// Bounds of a department's announcements.
const (
	defaultBeforeMinutes = 10
	maxBeforeMinutes     = 120
)

// announcements reads the department's announcements setting. One that
// breaks the contract (a lead time out of bounds, quiet hours that are not
// HH:MM-HH:MM) is dropped whole with a note: a screen that cannot tell when
// to be quiet says nothing rather than speak in the night.
func (f *filter) announcements(dept string, w *wireAnnouncements) *board.Announcements {
	if w == nil || !f.audio {
		return nil
	}
	a := &board.Announcements{Enabled: w.Enabled, BeforeMinutes: defaultBeforeMinutes}
	if w.BeforeMinutes != nil {
		a.BeforeMinutes = *w.BeforeMinutes
	}
	if a.BeforeMinutes < 1 || a.BeforeMinutes > maxBeforeMinutes {
		f.drop("announcements", dept, fmt.Sprintf("before_minutes %d is outside 1..%d", a.BeforeMinutes, maxBeforeMinutes))
		return nil
	}
	if q := strings.TrimSpace(w.Quiet); q != "" {
		span, err := board.ParseDaySpan(q)
		if err != nil {
			f.drop("announcements", dept, "quiet: not HH:MM-HH:MM with two different times")
			return nil
		}
		a.Quiet = &span
	}
	return a
}

var audioTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range board.AudioTypes {
		m[t] = true
	}
	return m
}()

// recording reads an item's recorded reading. One that breaks the contract
// (hash, type, length) is dropped with a note; the item is kept and is read
// by the speech engine instead.
func (f *filter) recording(kind, id string, w *wireAudio) *board.Audio {
	if w == nil || !f.audio {
		return nil
	}
	h, ok := cleanHash(w.SHA256)
	if !ok {
		f.note(kind, id, "audio hash is not 64 hex digits, no recording")
		return nil
	}
	ct := strings.ToLower(strings.TrimSpace(w.ContentType))
	if !audioTypes[ct] {
		f.note(kind, id, "audio content_type is not one of "+strings.Join(board.AudioTypes, ", ")+", no recording")
		return nil
	}
	if math.IsNaN(w.Seconds) || w.Seconds <= 0 || w.Seconds > board.MaxAudioSeconds {
		f.note(kind, id, fmt.Sprintf("audio of %g seconds is outside 0..%d, no recording", w.Seconds, board.MaxAudioSeconds))
		return nil
	}
	return &board.Audio{SHA256: h, ContentType: ct, Seconds: w.Seconds}
}
