package board

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The names of the screen's pages and of the cards it reads aloud, shared
// by the renderer, the voice and the command line ("skaerm snapshot
// --page activity/a1").

// PageKind names a page, or a kind of detail page.
type PageKind string

// The pages. Today, Roster, Week, Bookings, News, Gallery, Idle and Pairing
// stand alone; Activity, Meal and Meeting show one item of the board, named
// by PageID.ID.
const (
	PageToday    PageKind = "today"
	PageRoster   PageKind = "roster"
	PageWeek     PageKind = "week"
	PageBookings PageKind = "bookings"
	PageNews     PageKind = "news"
	PageGallery  PageKind = "gallery"
	PageIdle     PageKind = "idle"
	PagePairing  PageKind = "pairing"
	PageActivity PageKind = "activity"
	PageMeal     PageKind = "meal"
	PageMeeting  PageKind = "meeting"
	// PageNight is the dimmed page a touch at night shows: the time, the
	// weekday and what comes first in the morning. Its card reads it.
	PageNight PageKind = "night"
)

// Pages lists the pages that stand alone; DetailKinds the kinds that show
// one item.
var (
	Pages       = []PageKind{PageToday, PageRoster, PageWeek, PageBookings, PageNews, PageGallery, PageIdle, PagePairing, PageLogin, PageMe, PageNight}
	DetailKinds = []PageKind{PageActivity, PageMeal, PageMeeting}
)

// Detail reports whether k shows one item of the board.
func (k PageKind) Detail() bool { return k == PageActivity || k == PageMeal || k == PageMeeting }

// PageID names one page: a page that stands alone (ID empty), or a detail
// page and the id of its item. The zero PageID is the today page.
type PageID struct {
	Kind PageKind
	ID   string
}

// PageOf is the PageID of a page that stands alone.
func PageOf(k PageKind) PageID { return PageID{Kind: k} }

// Is reports whether p is the page of kind k (the zero PageID is today).
func (p PageID) Is(k PageKind) bool { return p.kind() == k }

func (p PageID) kind() PageKind {
	if p.Kind == "" {
		return PageToday
	}
	return p.Kind
}

// String is the page's name: "today", "activity/a1".
func (p PageID) String() string {
	if p.Kind.Detail() || p.ID != "" && (p.Kind == PageLogin || p.Kind == PageMe || p.Kind == PageBookings) {
		return string(p.Kind) + "/" + p.ID
	}
	return string(p.kind())
}

// ErrUnknownPage means a page name names no page.
var ErrUnknownPage = errors.New("unknown page")

// ParsePageID reads a page name as String writes it. Unknown pages, detail
// pages without an id and ids on pages that stand alone are refused; the
// error lists the valid names.
func ParsePageID(s string) (PageID, error) {
	kind, id, _ := strings.Cut(s, "/")
	p := PageID{Kind: PageKind(kind), ID: id}
	if kind == "" || !p.Valid() || p.String() != s {
		return PageID{}, fmt.Errorf("%w %q: want one of %s", ErrUnknownPage, s, PageNames())
	}
	return p, nil
}

// Valid reports whether p names a page: a detail kind with an id, or a page
// that stands alone without one.
func (p PageID) Valid() bool {
	if p.Kind.Detail() {
		return p.ID != ""
	}
	if p.Kind == PageLogin && p.ID != "" {
		return p.PINProfile() != ""
	}
	if p.Kind == PageBookings && p.ID != "" {
		return true // one resource's week grid
	}
	if p.Kind == PageMe && p.ID != "" {
		return p.ID == "keyboard" || strings.HasPrefix(p.ID, "shared/") && len(p.ID) > len("shared/")
	}
	return p.ID == "" && (p.Kind == "" || slices.Contains(Pages, p.Kind))
}

// PageNames lists the valid page names for a person: "today, roster, …,
// activity/<id>, meal/<id>, meeting/<id>".
func PageNames() string {
	var names []string
	for _, k := range Pages {
		names = append(names, string(k))
	}
	for _, k := range DetailKinds {
		names = append(names, string(k)+"/<id>")
	}
	names = append(names, "bookings/<resource>", "login/pin/<profile>", "me/keyboard", "me/shared/<id>")
	return strings.Join(names, ", ")
}

// CardKey names a card that can be read aloud: "activity/a1", "meal/m1",
// "meeting/x1", "booking/b1", "news/n1", "roster" (who is on duty
// today) and "night" (the night page).
type CardKey string

// The kinds of card read aloud besides the detail kinds.
const (
	BookingCard  PageKind = "booking"
	BookableCard PageKind = "bookable" // a resource's week grid: what is free and taken
	NewsCard     PageKind = "news"
	RosterCard   PageKind = "roster"
	NightCard    PageKind = PageNight
)

// KeyOf is the key of a card of kind k showing item id ("" for the
// roster).
func KeyOf(k PageKind, id string) CardKey {
	if id == "" {
		return CardKey(k)
	}
	return CardKey(string(k) + "/" + id)
}

// Split is a key's kind and item id.
func (k CardKey) Split() (PageKind, string) {
	kind, id, _ := strings.Cut(string(k), "/")
	return PageKind(kind), id
}

// Login pages: login (the face grid), login with ID "pin/<profile>" (the
// keypad), me (Min side).
const (
	PageLogin PageKind = "login"
	PageMe    PageKind = "me"
)

// PINPage is the keypad page for a profile.
func PINPage(profileID string) PageID { return PageID{Kind: PageLogin, ID: "pin/" + profileID} }

// PINProfile is the profile of a keypad page, "" for any other page.
func (p PageID) PINProfile() string {
	if p.Kind != PageLogin {
		return ""
	}
	id, ok := strings.CutPrefix(p.ID, "pin/")
	if !ok {
		return ""
	}
	return id
}

// Card is one card to read aloud, as the renderer hands it to the voice.
type Card struct {
	Key       string // names the card, e.g. "activity/a1"; the voice's Speaking returns it
	Text      string // the sentence, as a person says it
	Locale    string
	Recording *Audio // a staff recording, played instead; nil for none
}
