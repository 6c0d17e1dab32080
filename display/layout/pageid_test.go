package layout_test

import (
	"errors"
	"skaerm/board"
	"strings"
	"testing"
)

func TestParsePageID(t *testing.T) {
	good := map[string]board.PageID{
		"today":       board.PageOf(board.PageToday),
		"pairing":     board.PageOf(board.PagePairing),
		"activity/a1": {Kind: board.PageActivity, ID: "a1"},
		"meal/m 2":    {Kind: board.PageMeal, ID: "m 2"},
		"meeting/x/y": {Kind: board.PageMeeting, ID: "x/y"},
		"bookings/r1": {Kind: board.PageBookings, ID: "r1"},
	}
	for s, want := range good {
		got, err := board.ParsePageID(s)
		if err != nil || got != want {
			t.Errorf("ParsePageID(%q) = %+v, %v; want %+v", s, got, err, want)
		}
		if got.String() != s {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), s)
		}
	}
	for _, s := range []string{"", "nosuch", "activity", "activity/", "today/x", "Today", "/a1", "news/"} {
		_, err := board.ParsePageID(s)
		if !errors.Is(err, board.ErrUnknownPage) {
			t.Errorf("ParsePageID(%q): err %v, want ErrUnknownPage", s, err)
			continue
		}
		if !strings.Contains(err.Error(), "activity/<id>") || !strings.Contains(err.Error(), "gallery") {
			t.Errorf("ParsePageID(%q): %v does not list the valid pages", s, err)
		}
	}
	if !(board.PageID{}).Is(board.PageToday) || (board.PageID{}).String() != "today" {
		t.Error("the zero PageID is not the today page")
	}
}
