// Package personal holds what a logged-in resident's "Min side" shows: the
// items shared to them, the gallery pictures they are tagged on, their
// groups and suggestions. It lives in memory only, for as long as the
// session lasts.
//
// Nothing here can be written down by mistake: every type refuses to be
// encoded (JSON, text, binary, gob), prints and logs as "[personal]", and
// the cache package never imports this one (build/test.sh checks it), so
// the cache has no method that takes a personal value.
package personal

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// ErrNotStorable is what every attempt to encode personal data returns.
var ErrNotStorable = errors.New("personal data lives in memory only and is never encoded")

// sealed, embedded in every type here, gives it the methods that keep its
// content out of encoders, format verbs and logs.
type sealed struct{}

func (sealed) MarshalJSON() ([]byte, error)   { return nil, ErrNotStorable }
func (sealed) MarshalText() ([]byte, error)   { return nil, ErrNotStorable }
func (sealed) MarshalBinary() ([]byte, error) { return nil, ErrNotStorable }
func (sealed) GobEncode() ([]byte, error)     { return nil, ErrNotStorable }
func (sealed) String() string                 { return "[personal]" }
func (sealed) GoString() string               { return "[personal]" }
func (sealed) LogValue() slog.Value           { return slog.StringValue("[personal]") }
func (sealed) Format(f fmt.State, _ rune)     { fmt.Fprint(f, "[personal]") }

// Kinds of shared items.
const (
	Picture  = "picture"
	Document = "document"
	Video    = "video"
)

// Media is a shared item's picture (a document page, a video's still), with
// its bytes once fetched.
type Media struct {
	sealed
	SHA256      string
	ContentType string
	Width       int
	Height      int
	Data        []byte // nil until fetched; wiped with the page
}

// Item is one thing shared to the resident.
type Item struct {
	sealed
	ID       string
	Kind     string // Picture, Document or Video
	Title    string
	SharedAt time.Time
	Media    Media
}

// Group is a group the resident belongs to.
type Group struct {
	sealed
	ID, Name string
}

// Suggestion is one the resident wrote for a meeting.
type Suggestion struct {
	sealed
	MeetingID, Text string
}

// Page is everything Min side shows for one session.
type Page struct {
	sealed
	ProfileID   string
	Name        string
	Shared      []Item
	Tagged      []string // gallery item ids (the board has the pictures)
	Groups      []Group
	Suggestions []Suggestion
}

// Clone is a deep copy: its owner can wipe it without touching p, so two
// goroutines never share one page.
func (p *Page) Clone() *Page {
	if p == nil {
		return nil
	}
	c := &Page{ProfileID: p.ProfileID, Name: p.Name,
		Tagged: append([]string(nil), p.Tagged...), Groups: append([]Group(nil), p.Groups...),
		Suggestions: append([]Suggestion(nil), p.Suggestions...)}
	for _, it := range p.Shared {
		it.Media.Data = append([]byte(nil), it.Media.Data...)
		c.Shared = append(c.Shared, it)
	}
	return c
}

// Wipe overwrites the media bytes and drops every field, so nothing of the
// page stays reachable through a copy of the pointer.
func (p *Page) Wipe() {
	if p == nil {
		return
	}
	for i := range p.Shared {
		clear(p.Shared[i].Media.Data)
		p.Shared[i] = Item{}
	}
	for i := range p.Groups {
		p.Groups[i] = Group{}
	}
	for i := range p.Suggestions {
		p.Suggestions[i] = Suggestion{}
	}
	clear(p.Tagged)
	*p = Page{}
}
