package backend

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The wire types of the Screen API and the admin API. JSON names follow
// docs/screen-api-v1.md. DepartmentID fields exist for the admin
// API only; the board leaves them out.

// Image is a picture a screen fetches from /api/screen/v1/media/{sha256}.
type Image struct {
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// Audio is a recorded reading of an item (Screen API v1.1), served by the
// media endpoint like a picture.
type Audio struct {
	SHA256      string  `json:"sha256"`
	ContentType string  `json:"content_type"`
	Seconds     float64 `json:"seconds"`
}

// Department is one ward of the care home; every screen belongs to one.
type Department struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	Locale   string `json:"locale"`
	// Announcements are the department's spoken reminders (Screen API
	// v1.1, audio); nil when it has none.
	Announcements *Announcements `json:"announcements,omitempty"`
}

// Announcements: the screens say what comes BeforeMinutes before each
// activity and meal, never in the Quiet hours ("HH:MM-HH:MM", across
// midnight when the first is later).
type Announcements struct {
	Enabled       bool   `json:"enabled"`
	BeforeMinutes int    `json:"before_minutes"`
	Quiet         string `json:"quiet,omitempty"`
}

// Profile kinds.
const (
	KindResident = "resident"
	KindStaff    = "staff"
	KindExternal = "external"
)

// Profile is a person as the Manager knows them. A screen keeps only the
// first name or alias and the avatar; LastName, Email, Phone, CPR, Birthday,
// Notes, Room and Home are here so that every board proves the screen drops
// them.
type Profile struct {
	ID              string `json:"id"`
	Kind            string `json:"kind"`
	FirstName       string `json:"first_name"`
	Alias           string `json:"alias"`
	Avatar          *Image `json:"avatar,omitempty"`
	VisibleOnScreen bool   `json:"visible_on_screen"`
	Anonymized      bool   `json:"anonymized"`
	LastName        string `json:"last_name"`
	Email           string `json:"email"`
	Phone           string `json:"phone"`
	CPR             string `json:"cpr"`
	Birthday        string `json:"birthday"`
	Notes           string `json:"notes"`
	Room            string `json:"room,omitempty"` // a field the contract does not name
	Home            string `json:"home,omitempty"` // external profiles: the other care home
	DepartmentID    string `json:"department_id,omitempty"`
}

// Pictograms the demo uses for activities.
var Pictograms = []string{"games", "music", "walk", "exercise", "crafts", "church", "trip", "cinema", "baking"}

// Activity is something residents sign up to.
type Activity struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	Location     string    `json:"location"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Capacity     int       `json:"capacity"` // 0: no limit
	SignupOpen   bool      `json:"signup_open"`
	Pictogram    string    `json:"pictogram,omitempty"`
	Image        *Image    `json:"image,omitempty"`
	Signups      []string  `json:"signups"`
	DepartmentID string    `json:"department_id,omitempty"`
}

// Meal kinds.
const (
	MealBreakfast = "breakfast"
	MealLunch     = "lunch"
	MealCoffee    = "coffee"
	MealDinner    = "dinner"
	MealEvening   = "evening"
)

// Meal is one meal of the day.
type Meal struct {
	ID             string    `json:"id"`
	Kind           string    `json:"kind"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	Menu           string    `json:"menu"`
	SignupDeadline time.Time `json:"signup_deadline,omitzero"`
	Signups        []string  `json:"signups"`
	Audio          *Audio    `json:"audio,omitempty"` // the cook reading the menu
	DepartmentID   string    `json:"department_id,omitempty"`
}

// Meeting is a house meeting with the residents' suggestions.
type Meeting struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	Start        time.Time    `json:"start"`
	End          time.Time    `json:"end"`
	Location     string       `json:"location"`
	Signups      []string     `json:"signups"`
	Suggestions  []Suggestion `json:"suggestions"`
	DepartmentID string       `json:"department_id,omitempty"`
}

// Suggestion is a point a resident raises for a meeting.
type Suggestion struct {
	ID        string `json:"id"`
	ProfileID string `json:"profile_id"`
	Text      string `json:"text"`
}

// Booking is a shared resource taken for a while. Resource is the name a
// v1 screen shows; ResourceID (Screen API v1.2) names the Bookable. Staff
// may store either: the board fills in the other from the department's
// bookables.
type Booking struct {
	ID           string    `json:"id"`
	Resource     string    `json:"resource"`
	ResourceID   string    `json:"resource_id,omitempty"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	ProfileID    string    `json:"profile_id"`
	DepartmentID string    `json:"department_id,omitempty"`
}

// Slot kinds of a Bookable.
const (
	SlotsFixed = "fixed" // only the listed slot times
	SlotsFree  = "free"  // any start on the grid, within the lengths and the opening hours
)

// BookablePictograms are the pictograms the demo's bookables use.
var BookablePictograms = []string{"laundry", "bus", "bed"}

// Bookable is a resource residents book on the screen (Screen API v1.2),
// with the Manager's rules. Times of day are the department's local
// "HH:MM-HH:MM" ("24:00" ends a day). For every limit, 0 means none:
// MaxAheadDays 0 lets any future day be booked, MaxPerWeek 0 any number of
// bookings, CancelUntilMinutes 0 cancelling until the start.
type Bookable struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Pictogram string `json:"pictogram"`
	Slots     string `json:"slots"` // SlotsFixed or SlotsFree
	// SlotTimes are the slots of a fixed resource, each within one day.
	SlotTimes []string `json:"slot_times"`
	// GridMinutes, MinMinutes and MaxMinutes shape a free booking: it
	// starts and ends on the grid (counted from local midnight) and lasts
	// between the two lengths.
	GridMinutes int `json:"grid_minutes"`
	MinMinutes  int `json:"min_minutes"`
	MaxMinutes  int `json:"max_minutes"`
	// Open is when the resource may be used; a free booking stays inside
	// it on one day, except that "00:00-24:00" lets it cross midnight.
	Open               string `json:"open"`
	MaxAheadDays       int    `json:"max_ahead_days"` // the latest day that may be booked, counted from today
	MaxPerWeek         int    `json:"max_per_week"`   // bookings per profile, Monday to Sunday
	CancelUntilMinutes int    `json:"cancel_until_minutes"`
	LoginRequired      bool   `json:"login_required"` // only a resident logged in on the screen may book
	DepartmentID       string `json:"department_id,omitempty"`
}

// Shift kinds.
const (
	ShiftDay     = "day"
	ShiftEvening = "evening"
	ShiftNight   = "night"
)

// RosterEntry is one staff member on one shift.
type RosterEntry struct {
	ID           string    `json:"id"`
	ProfileID    string    `json:"profile_id"`
	Role         string    `json:"role"`
	Shift        string    `json:"shift"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	DepartmentID string    `json:"department_id,omitempty"`
}

// News is a notice; only visible ones belong on screens.
type News struct {
	ID              string    `json:"id"`
	Title           string    `json:"title"`
	Body            string    `json:"body"`
	Published       time.Time `json:"published"`
	Image           *Image    `json:"image,omitempty"`
	VisibleOnScreen bool      `json:"visible_on_screen"`
	DepartmentID    string    `json:"department_id,omitempty"`
}

// GalleryItem is a photo; screens show visible ones and drop the tags.
type GalleryItem struct {
	ID              string    `json:"id"`
	Caption         string    `json:"caption"`
	Image           *Image    `json:"image"`
	Taken           time.Time `json:"taken"`
	VisibleOnScreen bool      `json:"visible_on_screen"`
	Tagged          []string  `json:"tagged"`
	DepartmentID    string    `json:"department_id,omitempty"`
}

// Board is what GET /api/screen/v1/board returns.
type Board struct {
	GeneratedAt time.Time       `json:"generated_at"`
	Department  Department      `json:"department"`
	Profiles    []Profile       `json:"profiles"`
	Activities  []Activity      `json:"activities"`
	Meals       []Meal          `json:"meals"`
	Meetings    []Meeting       `json:"meetings"`
	Bookings    []Booking       `json:"bookings"`
	Bookables   []Bookable      `json:"bookables,omitempty"` // Screen API v1.2
	Roster      []RosterEntry   `json:"roster"`
	News        []News          `json:"news"`
	Gallery     []GalleryItem   `json:"gallery"`
	Weather     json.RawMessage `json:"weather,omitempty"` // Screen API v1.1
	Notices     []Notice        `json:"notices,omitempty"` // Screen API v1.2
}

// Notice levels.
const (
	NoticeInfo   = "info"
	NoticeUrgent = "urgent"
)

// Notice is staff's word to every screen of a department, shown over
// every page while From <= now < Until (Screen API v1.2).
type Notice struct {
	ID           string    `json:"id"`
	Level        string    `json:"level"` // info or urgent
	Title        string    `json:"title"`
	Body         string    `json:"body,omitempty"`
	From         time.Time `json:"from"`
	Until        time.Time `json:"until"`
	Wake         bool      `json:"wake,omitempty"` // switch a dark display on
	DepartmentID string    `json:"department_id,omitempty"`
}

// Lengths the Manager allows a notice.
const (
	maxNoticeTitle = 200
	maxNoticeBody  = 2000
)

func (n Notice) validate() error {
	switch {
	case n.Level != NoticeInfo && n.Level != NoticeUrgent:
		return invalid("notice %s: level must be info or urgent", n.ID)
	case strings.TrimSpace(n.Title) == "" && strings.TrimSpace(n.Body) == "":
		return invalid("notice %s: it needs a title or a body", n.ID)
	case utf8.RuneCountInString(n.Title) > maxNoticeTitle || utf8.RuneCountInString(n.Body) > maxNoticeBody:
		return invalid("notice %s: at most %d characters of title and %d of body", n.ID, maxNoticeTitle, maxNoticeBody)
	case n.Until.IsZero():
		return invalid("notice %s: until is required: a notice must end", n.ID)
	case !n.Until.After(n.From):
		return invalid("notice %s: until must be after from", n.ID)
	}
	return nil
}

// Item types and actions of a sign-up.
const (
	ItemActivity = "activity"
	ItemMeal     = "meal"
	ItemMeeting  = "meeting"
	ActionJoin   = "join"
	ActionLeave  = "leave"
)

// SignupRequest is the body of POST /api/screen/v1/signups.
type SignupRequest struct {
	ID        string    `json:"id"`
	ItemType  string    `json:"item_type"`
	ItemID    string    `json:"item_id"`
	ProfileID string    `json:"profile_id"`
	Action    string    `json:"action"`
	At        time.Time `json:"at,omitzero"`
	// Session is the screen session the sign-up was made in (v1.1). The
	// backend records whose session it was, never the session itself.
	Session string `json:"session,omitempty"`
}

// Sign-up results: applied and unchanged answer 200, the rest 409.
const (
	ResultApplied        = "applied"   // the sign-up changed the item
	ResultUnchanged      = "unchanged" // already joined, or not joined when leaving
	ResultFull           = "full"
	ResultClosed         = "closed"
	ResultUnknownItem    = "unknown_item"
	ResultUnknownProfile = "unknown_profile"
)

// SignupRecord is every sign-up request the backend received, once per id,
// with how often it arrived; Received > 1 with one application proves the
// backend applied it exactly once.
type SignupRecord struct {
	SignupRequest
	DepartmentID  string    `json:"department_id"`
	ScreenID      string    `json:"screen_id"`
	SessionOf     string    `json:"session_of,omitempty"` // profile logged in when it was made
	Result        string    `json:"result"`
	Received      int       `json:"received"`
	FirstReceived time.Time `json:"first_received"`
	LastReceived  time.Time `json:"last_received"`
}

// Booking actions.
const (
	ActionBook   = "book"
	ActionCancel = "cancel"
)

// BookingRequest is the body of POST /api/screen/v1/bookings (Screen API
// v1.2): book ResourceID from Start to End, or cancel BookingID.
type BookingRequest struct {
	ID         string    `json:"id"`
	Action     string    `json:"action"`
	ResourceID string    `json:"resource_id,omitempty"`
	BookingID  string    `json:"booking_id,omitempty"`
	ProfileID  string    `json:"profile_id"`
	Start      time.Time `json:"start,omitzero"`
	End        time.Time `json:"end,omitzero"`
	At         time.Time `json:"at,omitzero"`
	// Session is the screen session the request was made in; the backend
	// records whose session it was, never the session itself.
	Session string `json:"session,omitempty"`
}

// BookingAnswer is the booking a 200 answer names: the new one, or the one
// cancelled.
type BookingAnswer struct {
	ID         string    `json:"id"`
	ResourceID string    `json:"resource_id"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	ProfileID  string    `json:"profile_id"`
}

// Booking results: booked and cancelled answer 200, the rest (and
// ResultClosed, for a slot that has started) 409 with the result as the
// error.
const (
	ResultBooked          = "booked"
	ResultCancelled       = "cancelled"
	ResultTaken           = "taken"
	ResultOutsideHours    = "outside_hours"
	ResultTooMany         = "too_many"
	ResultTooFarAhead     = "too_far_ahead"
	ResultTooLateToCancel = "too_late_to_cancel"
	ResultLoginRequired   = "login_required"
	ResultUnknownResource = "unknown_resource"
	ResultUnknownBooking  = "unknown_booking"
	ResultNotYours        = "not_yours"
)

// BookingRecord is every booking request the backend received, once per
// id, with its answer and how often it arrived.
type BookingRecord struct {
	BookingRequest
	DepartmentID  string         `json:"department_id"`
	ScreenID      string         `json:"screen_id"`
	SessionOf     string         `json:"session_of,omitempty"` // profile logged in when it was made
	Result        string         `json:"result"`
	Booking       *BookingAnswer `json:"booking,omitempty"` // for booked and cancelled
	Received      int            `json:"received"`
	FirstReceived time.Time      `json:"first_received"`
	LastReceived  time.Time      `json:"last_received"`
}

// StatusReport is the body of POST /api/screen/v1/status.
type StatusReport struct {
	Version     string     `json:"version"`
	UptimeS     float64    `json:"uptime_s"`
	LastSync    *time.Time `json:"last_sync"`
	BoardETag   string     `json:"board_etag"`
	DisplayOn   bool       `json:"display_on"`
	SocTempC    *float64   `json:"soc_temp_c"`
	Outbox      int        `json:"outbox"`
	ClockSynced bool       `json:"clock_synced"`
}

// ScreenStatus is what the admin API knows about one screen.
type ScreenStatus struct {
	ScreenID      string        `json:"screen_id"`
	DepartmentID  string        `json:"department_id"`
	RemoteAddr    string        `json:"remote_addr,omitempty"`
	LastSeen      time.Time     `json:"last_seen,omitzero"`
	StatusAt      time.Time     `json:"status_at,omitzero"`
	Status        *StatusReport `json:"status,omitempty"`
	HasScreenshot bool          `json:"has_screenshot"`
	ScreenshotAt  time.Time     `json:"screenshot_at,omitzero"`
	EventStreams  int           `json:"event_streams"` // open /events connections now
}

// Fault makes the screen API misbehave on purpose, for reliability tests.
// Mode is one of the Fault* constants or "status:NNN". A zero Mode clears.
type Fault struct {
	Mode       string        `json:"mode"`
	Path       string        `json:"path,omitempty"`        // only requests whose path starts with this
	Count      int           `json:"count,omitempty"`       // affect this many requests; 0: all
	Until      time.Time     `json:"until,omitzero"`        // stop at this time (backend clock); zero: never
	Delay      time.Duration `json:"delay,omitempty"`       // for slow: how long on the backend's clock (default 5 s)
	RetryAfter int           `json:"retry_after,omitempty"` // for status:NNN: Retry-After seconds (default 1)
	Size       int64         `json:"size,omitempty"`        // for huge: body bytes (default 256 MiB)
}

// invalidError is bad input, answered with 400.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }

func invalid(format string, args ...any) error {
	return &invalidError{fmt.Sprintf(format, args...)}
}

func checkSpan(start, end time.Time) error {
	if start.IsZero() || end.IsZero() {
		return invalid("start and end are required")
	}
	if end.Before(start) {
		return invalid("end %s is before start %s", end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return nil
}

func (p Profile) validate() error {
	switch {
	case p.ID == "":
		return invalid("profile without id")
	case p.Kind != KindResident && p.Kind != KindStaff && p.Kind != KindExternal:
		return invalid("profile %s: unknown kind %q", p.ID, p.Kind)
	case p.FirstName == "" && p.Alias == "":
		return invalid("profile %s: first_name or alias is required", p.ID)
	case p.Anonymized && p.Alias == "":
		return invalid("profile %s: an anonymized profile needs an alias", p.ID)
	}
	return nil
}

func (a Activity) validate() error {
	if a.ID == "" || a.Title == "" {
		return invalid("activity needs id and title")
	}
	if a.Capacity < 0 {
		return invalid("activity %s: negative capacity", a.ID)
	}
	return checkSpan(a.Start, a.End)
}

func (m Meal) validate() error {
	switch m.Kind {
	case MealBreakfast, MealLunch, MealCoffee, MealDinner, MealEvening:
	default:
		return invalid("meal %s: unknown kind %q", m.ID, m.Kind)
	}
	if m.ID == "" {
		return invalid("meal without id")
	}
	return checkSpan(m.Start, m.End)
}

func (m Meeting) validate() error {
	if m.ID == "" || m.Title == "" {
		return invalid("meeting needs id and title")
	}
	return checkSpan(m.Start, m.End)
}

func (b Booking) validate() error {
	if b.ID == "" || b.Resource == "" && b.ResourceID == "" {
		return invalid("booking needs id and resource or resource_id")
	}
	return checkSpan(b.Start, b.End)
}

func (x Bookable) validate() error {
	if x.ID == "" || x.Name == "" {
		return invalid("bookable needs id and name")
	}
	open, err := parseDaySpan(x.Open)
	if err != nil {
		return invalid("bookable %s: open: %v", x.ID, err)
	}
	if x.MaxAheadDays < 0 || x.MaxPerWeek < 0 || x.CancelUntilMinutes < 0 {
		return invalid("bookable %s: max_ahead_days, max_per_week and cancel_until_minutes cannot be negative", x.ID)
	}
	switch x.Slots {
	case SlotsFixed:
		if len(x.SlotTimes) == 0 {
			return invalid("bookable %s: a fixed resource needs slot_times", x.ID)
		}
		for _, st := range x.SlotTimes {
			sp, err := parseDaySpan(st)
			if err != nil {
				return invalid("bookable %s: slot %q: %v", x.ID, st, err)
			}
			if sp.from < open.from || sp.to > open.to {
				return invalid("bookable %s: slot %s is outside the opening hours %s", x.ID, st, x.Open)
			}
		}
	case SlotsFree:
		switch {
		case len(x.SlotTimes) > 0:
			return invalid("bookable %s: slot_times are for fixed resources", x.ID)
		case x.GridMinutes <= 0 || x.GridMinutes > minutesPerDay:
			return invalid("bookable %s: a free resource needs grid_minutes from 1 to %d", x.ID, minutesPerDay)
		case x.MinMinutes < 0 || x.MaxMinutes <= 0 || x.MaxMinutes < x.MinMinutes:
			return invalid("bookable %s: min_minutes %d and max_minutes %d make no length", x.ID, x.MinMinutes, x.MaxMinutes)
		}
	default:
		return invalid("bookable %s: slots %q is not fixed or free", x.ID, x.Slots)
	}
	return nil
}

func (r RosterEntry) validate() error {
	switch r.Shift {
	case ShiftDay, ShiftEvening, ShiftNight:
	default:
		return invalid("roster entry %s: unknown shift %q", r.ID, r.Shift)
	}
	if r.ID == "" || r.ProfileID == "" {
		return invalid("roster entry needs id and profile_id")
	}
	return checkSpan(r.Start, r.End)
}

func (n News) validate() error {
	if n.ID == "" || n.Title == "" {
		return invalid("news needs id and title")
	}
	return nil
}

func (g GalleryItem) validate() error {
	if g.ID == "" || g.Image == nil || g.Image.SHA256 == "" {
		return invalid("gallery item needs id and image")
	}
	return nil
}

func (d Department) validate() error {
	if d.ID == "" || d.Name == "" {
		return invalid("department needs id and name")
	}
	if _, err := time.LoadLocation(d.Timezone); err != nil || d.Timezone == "" {
		return invalid("department %s: unknown time zone %q", d.ID, d.Timezone)
	}
	return nil
}

// Row plumbing for the generic store: every stored type names its id and
// department.

func (d Department) rowID() string   { return d.ID }
func (d Department) rowDept() string { return d.ID }
func (p Profile) rowID() string      { return p.ID }
func (p Profile) rowDept() string    { return p.DepartmentID }
func (a Activity) rowID() string     { return a.ID }
func (a Activity) rowDept() string   { return a.DepartmentID }
func (m Meal) rowID() string         { return m.ID }
func (m Meal) rowDept() string       { return m.DepartmentID }
func (m Meeting) rowID() string      { return m.ID }
func (m Meeting) rowDept() string    { return m.DepartmentID }
func (b Booking) rowID() string      { return b.ID }
func (b Booking) rowDept() string    { return b.DepartmentID }
func (x Bookable) rowID() string     { return x.ID }
func (n Notice) rowID() string       { return n.ID }
func (n Notice) rowDept() string     { return n.DepartmentID }
func (n *Notice) setDept(id string)  { n.DepartmentID = id }
func (n *Notice) setID(id string)    { n.ID = id }
func (x Bookable) rowDept() string   { return x.DepartmentID }
func (r RosterEntry) rowID() string  { return r.ID }
func (r RosterEntry) rowDept() string {
	return r.DepartmentID
}
func (n News) rowID() string          { return n.ID }
func (n News) rowDept() string        { return n.DepartmentID }
func (g GalleryItem) rowID() string   { return g.ID }
func (g GalleryItem) rowDept() string { return g.DepartmentID }

func (d *Department) setDept(string)     {}
func (p *Profile) setDept(id string)     { p.DepartmentID = id }
func (a *Activity) setDept(id string)    { a.DepartmentID = id }
func (m *Meal) setDept(id string)        { m.DepartmentID = id }
func (m *Meeting) setDept(id string)     { m.DepartmentID = id }
func (b *Booking) setDept(id string)     { b.DepartmentID = id }
func (x *Bookable) setDept(id string)    { x.DepartmentID = id }
func (r *RosterEntry) setDept(id string) { r.DepartmentID = id }
func (n *News) setDept(id string)        { n.DepartmentID = id }
func (g *GalleryItem) setDept(id string) { g.DepartmentID = id }

func isInvalid(err error) bool {
	var ie *invalidError
	return errors.As(err, &ie)
}

func (d *Department) setID(id string)  { d.ID = id }
func (p *Profile) setID(id string)     { p.ID = id }
func (a *Activity) setID(id string)    { a.ID = id }
func (m *Meal) setID(id string)        { m.ID = id }
func (m *Meeting) setID(id string)     { m.ID = id }
func (b *Booking) setID(id string)     { b.ID = id }
func (x *Bookable) setID(id string)    { x.ID = id }
func (r *RosterEntry) setID(id string) { r.ID = id }
func (n *News) setID(id string)        { n.ID = id }
func (g *GalleryItem) setID(id string) { g.ID = id }
