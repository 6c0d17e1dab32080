package board

import (
	"slices"
	"time"
)

// NoticeLevel is how strongly a notice asks for attention.
type NoticeLevel string

// Notice levels (Screen API v1.2).
const (
	NoticeInfo   NoticeLevel = "info"   // a calm colour
	NoticeUrgent NoticeLevel = "urgent" // a strong colour, the chime, read aloud once
)

// Notice is staff's word to everyone in front of the screen ("Vandet er
// lukket i dag 10-12"): shown over every page while From <= now < Until.
type Notice struct {
	ID    string      `json:"id"`
	Level NoticeLevel `json:"level"`
	Title string      `json:"title,omitempty"` // "" when staff wrote only a body
	Body  string      `json:"body,omitempty"`
	From  time.Time   `json:"from"`
	Until time.Time   `json:"until"`
	// Wake: the notice switches a dark display on, whatever the display's
	// schedule or the motion sensor says.
	Wake bool `json:"wake,omitempty"`
}

// ShownAt reports whether the notice is shown at t.
func (n Notice) ShownAt(t time.Time) bool { return !t.Before(n.From) && t.Before(n.Until) }

// NoticesAt are the notices shown at t: urgent ones first, then the latest
// begun first.
func (b *Board) NoticesAt(t time.Time) []Notice {
	var out []Notice
	for _, n := range b.Notices {
		if n.ShownAt(t) {
			out = append(out, n)
		}
	}
	slices.SortStableFunc(out, func(x, y Notice) int {
		if c := UrgentFirst(x, y); c != 0 {
			return c
		}
		return y.From.Compare(x.From)
	})
	return out
}

// UrgentFirst orders urgent notices before the others (a sort function).
func UrgentFirst(x, y Notice) int {
	switch xu, yu := x.Level == NoticeUrgent, y.Level == NoticeUrgent; {
	case xu == yu:
		return 0
	case xu:
		return -1
	}
	return 1
}

// NextNoticeChange is the first moment after t at which a notice begins or
// ends (the screen's own clock ends a notice at Until, offline too); zero
// when none is ahead.
func (b *Board) NextNoticeChange(t time.Time) time.Time {
	var next time.Time
	for _, n := range b.Notices {
		for _, c := range []time.Time{n.From, n.Until} {
			if c.After(t) && (next.IsZero() || c.Before(next)) {
				next = c
			}
		}
	}
	return next
}
