// Package board holds what one screen may know: the department's board after
// the privacy policy has been applied. Every type here carries only permitted
// fields (a profile's display name and avatar hash, never a last name, e-mail,
// phone, CPR number, birthday or note), so anything that holds a board holds
// nothing else. sync builds boards, cache keeps them, display draws them.
//
// # Caveats
//
// A Board is a value that is replaced whole, never edited in place: readers
// may share one freely. Times are absolute instants; turn them into wall-clock
// time with Board.Location.
package board

import (
	"fmt"
	"sync"
	"time"
)

// Kind says what a profile is.
type Kind string

// The profile kinds of the Screen API.
const (
	Resident Kind = "resident"
	Staff    Kind = "staff"
	External Kind = "external"
)

// Board is one generation of everything a screen shows.
type Board struct {
	GeneratedAt time.Time  `json:"generated_at"`
	Department  Department `json:"department"`
	Profiles    []Profile  `json:"profiles,omitempty"`
	Activities  []Activity `json:"activities,omitempty"`
	Meals       []Meal     `json:"meals,omitempty"`
	Meetings    []Meeting  `json:"meetings,omitempty"`
	Bookings    []Booking  `json:"bookings,omitempty"`
	Bookables   []Bookable `json:"bookables,omitempty"` // what residents may book on the screen (Screen API v1.2)
	Roster      []Shift    `json:"roster,omitempty"`
	News        []News     `json:"news,omitempty"`
	Gallery     []Photo    `json:"gallery,omitempty"`
	Weather     *Weather   `json:"weather,omitempty"` // nil: the backend offers none (Screen API v1)
	Notices     []Notice   `json:"notices,omitempty"` // staff's urgent word (Screen API v1.2)
}

// Department is the place the screen hangs in.
type Department struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"` // IANA name, e.g. Europe/Copenhagen
	Locale   string `json:"locale"`   // a screen language's code (package words)
	// Announcements: nil when the department has none (or the backend
	// offers no audio, Screen API v1).
	Announcements *Announcements `json:"announcements,omitempty"`
}

// Profile is a person as a screen may show them: a display name (alias or
// first name) and, unless anonymized, an avatar.
type Profile struct {
	ID         string `json:"id"`
	Kind       Kind   `json:"kind"`
	Name       string `json:"name"`             // alias when set or anonymized, else first name
	Avatar     string `json:"avatar,omitempty"` // sha256 hex of the avatar, "" for none
	Anonymized bool   `json:"anonymized,omitempty"`
}

// Signups are who signed up to an item. Hidden profiles are counted but
// carry no id, name or face.
type Signups struct {
	IDs    []string `json:"ids,omitempty"`    // visible profiles, in the backend's order
	Hidden int      `json:"hidden,omitempty"` // profiles hidden from screens
}

// Count is everyone signed up, hidden profiles included.
func (s Signups) Count() int { return len(s.IDs) + s.Hidden }

// Has reports whether profile id is signed up.
func (s Signups) Has(id string) bool {
	for _, x := range s.IDs {
		if x == id {
			return true
		}
	}
	return false
}

// Activity is something to sign up to: banko, a walk, a trip.
type Activity struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Location    string    `json:"location,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Capacity    int       `json:"capacity,omitempty"` // 0: no limit
	SignupOpen  bool      `json:"signup_open"`
	Pictogram   string    `json:"pictogram,omitempty"`
	Image       string    `json:"image,omitempty"` // sha256 hex
	Signups     Signups   `json:"signups"`
	Audio       *Audio    `json:"audio,omitempty"` // a recorded reading, nil for none
}

// Full reports whether the activity has no free places.
func (a Activity) Full() bool { return a.Capacity > 0 && a.Signups.Count() >= a.Capacity }

// MealKind is breakfast, lunch, coffee, dinner or evening.
type MealKind string

// The meal kinds of the Screen API.
const (
	Breakfast   MealKind = "breakfast"
	Lunch       MealKind = "lunch"
	Coffee      MealKind = "coffee"
	Dinner      MealKind = "dinner"
	EveningMeal MealKind = "evening"
)

// Meal is one meal of the day and who eats along.
type Meal struct {
	ID             string    `json:"id"`
	Kind           MealKind  `json:"kind"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	Menu           string    `json:"menu"`
	SignupDeadline time.Time `json:"signup_deadline,omitempty"`
	Signups        Signups   `json:"signups"`
	Audio          *Audio    `json:"audio,omitempty"`
}

// Meeting is a house meeting with its suggestions.
type Meeting struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Location    string       `json:"location,omitempty"`
	Start       time.Time    `json:"start"`
	End         time.Time    `json:"end"`
	Signups     Signups      `json:"signups"`
	Suggestions []Suggestion `json:"suggestions,omitempty"`
	Audio       *Audio       `json:"audio,omitempty"`
}

// Suggestion is a point raised for a meeting. ProfileID is "" when its
// author is hidden from screens.
type Suggestion struct {
	ID        string `json:"id"`
	ProfileID string `json:"profile_id,omitempty"`
	Text      string `json:"text"`
}

// Booking is a shared resource (the minibus, the laundry) taken for a while.
// ProfileID is "" when the one who booked is hidden from screens.
type Booking struct {
	ID         string    `json:"id"`
	Resource   string    `json:"resource"`              // the resource's name
	ResourceID string    `json:"resource_id,omitempty"` // the Bookable, "" from a v1 backend
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	ProfileID  string    `json:"profile_id,omitempty"`
}

// ShiftKind is day, evening or night.
type ShiftKind string

// The shift kinds of the Screen API.
const (
	DayShift     ShiftKind = "day"
	EveningShift ShiftKind = "evening"
	NightShift   ShiftKind = "night"
)

// Shift is one staff member on the duty roster. ProfileID is "" when the
// staff member is hidden from screens.
type Shift struct {
	ID        string    `json:"id"`
	ProfileID string    `json:"profile_id,omitempty"`
	Role      string    `json:"role,omitempty"`
	Shift     ShiftKind `json:"shift"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
}

// News is a notice visible on screens.
type News struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body,omitempty"`
	Published time.Time `json:"published"`
	Image     string    `json:"image,omitempty"` // sha256 hex
	Audio     *Audio    `json:"audio,omitempty"`
}

// Photo is a gallery picture visible on screens (tags are never kept).
type Photo struct {
	ID      string    `json:"id"`
	Caption string    `json:"caption,omitempty"`
	Image   string    `json:"image"` // sha256 hex
	Taken   time.Time `json:"taken,omitempty"`
}

// Location is the department's time zone, UTC when it is unknown.
func (b *Board) Location() *time.Location {
	if b == nil || b.Department.Timezone == "" {
		return time.UTC
	}
	loc, err := LoadZone(b.Department.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// zones holds the time zones loaded so far, by name.
var zones sync.Map

// LoadZone is time.LoadLocation, which reads and parses the zone's file at
// every call, remembering each zone it loaded: the screen asks for its
// department's zone several times at every turn of the clock.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// Profile returns the profile with id, if the board holds it.
func (b *Board) Profile(id string) (Profile, bool) {
	for _, p := range b.Profiles {
		if p.ID == id {
			return p, true
		}
	}
	return Profile{}, false
}

// MediaHashes lists every media hash the board refers to, each once.
func (b *Board) MediaHashes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(h string) {
		if h != "" && !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	for _, p := range b.Profiles {
		add(p.Avatar)
	}
	for _, a := range b.Activities {
		add(a.Image)
	}
	for _, n := range b.News {
		add(n.Image)
	}
	for _, g := range b.Gallery {
		add(g.Image)
	}
	return out
}

// Recordings lists every recorded reading the board refers to, each hash
// once. They are kept in the cache beside the pictures, by hash.
func (b *Board) Recordings() []Audio {
	seen := map[string]bool{}
	var out []Audio
	add := func(a *Audio) {
		if a != nil && a.SHA256 != "" && !seen[a.SHA256] {
			seen[a.SHA256] = true
			out = append(out, *a)
		}
	}
	for _, a := range b.Activities {
		add(a.Audio)
	}
	for _, m := range b.Meals {
		add(m.Audio)
	}
	for _, m := range b.Meetings {
		add(m.Audio)
	}
	for _, n := range b.News {
		add(n.Audio)
	}
	return out
}

// StoredHashes are the hashes of everything the cache keeps for the board:
// its media and its recordings.
func (b *Board) StoredHashes() []string {
	out := b.MediaHashes()
	for _, a := range b.Recordings() {
		out = append(out, a.SHA256)
	}
	return out
}

// ItemType is what a sign-up is for.
type ItemType string

// The item types a screen can sign up to.
const (
	ActivityItem ItemType = "activity"
	MealItem     ItemType = "meal"
	MeetingItem  ItemType = "meeting"
	BookingItem  ItemType = "booking" // ItemID is the resource to book, or the booking to cancel
)

// Action is join or leave.
type Action string

// The sign-up actions.
const (
	Join  Action = "join"
	Leave Action = "leave"
	// A booking is booked and cancelled.
	Book   Action = "book"
	Cancel Action = "cancel"
)

// SignupState is where a sign-up made on the screen is on its way.
type SignupState string

// The states of an outbox entry.
const (
	Pending SignupState = "pending" // written locally, not yet accepted by the backend
	Refused SignupState = "refused" // the backend said no for good (Reason says why)
)

// Signup is a sign-up or cancellation made on the screen, kept in the outbox
// until the backend has it.
type Signup struct {
	ID        string      `json:"id"` // UUID made by the screen; the backend is idempotent on it
	ItemType  ItemType    `json:"item_type"`
	ItemID    string      `json:"item_id"`
	ProfileID string      `json:"profile_id"`
	Action    Action      `json:"action"`
	At        time.Time   `json:"at"`
	State     SignupState `json:"state"`
	Reason    string      `json:"reason,omitempty"` // full, closed, unknown_item, unknown_profile; taken, too_many, ... for a booking
	Attempts  int         `json:"attempts,omitempty"`
	// Start and End are the time a booking asks for (action book).
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
}

// Validate reports what is wrong with a sign-up before it goes anywhere.
func (s Signup) Validate() error {
	switch {
	case s.ID == "":
		return fmt.Errorf("signup: no id")
	case s.ItemType != ActivityItem && s.ItemType != MealItem && s.ItemType != MeetingItem && s.ItemType != BookingItem:
		return fmt.Errorf("signup %s: unknown item type %q", s.ID, s.ItemType)
	case s.ItemID == "" || s.ProfileID == "":
		return fmt.Errorf("signup %s: item and profile are required", s.ID)
	case s.ItemType == BookingItem && s.Action != Book && s.Action != Cancel:
		return fmt.Errorf("booking %s: unknown action %q", s.ID, s.Action)
	case s.ItemType != BookingItem && s.Action != Join && s.Action != Leave:
		return fmt.Errorf("signup %s: unknown action %q", s.ID, s.Action)
	case s.Action == Book && !s.Start.Before(s.End):
		return fmt.Errorf("booking %s: it must end after it starts (%s to %s)", s.ID, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339))
	}
	return nil
}

// Named is b with every profile that has no name named by placeholder (the
// screen's word for its kind). b itself is not changed: its profiles are
// copied when one needs a name.
func (b *Board) Named(placeholder func(Kind) string) *Board {
	if b == nil {
		return nil
	}
	out := b
	for i, p := range b.Profiles {
		if p.Name != "" {
			continue
		}
		if out == b {
			c := *b
			c.Profiles = append([]Profile(nil), b.Profiles...)
			out = &c
		}
		out.Profiles[i].Name = placeholder(p.Kind)
	}
	return out
}
