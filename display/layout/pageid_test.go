package layout_test

import (
	"errors"
	"strings"
	"testing"

	"skaerm/display/layout"
)

func TestParsePageID(t *testing.T) {
	good := map[string]layout.PageID{
		"today":       layout.Of(layout.PageToday),
		"pairing":     layout.Of(layout.PagePairing),
		"activity/a1": {Kind: layout.PageActivity, ID: "a1"},
		"meal/m 2":    {Kind: layout.PageMeal, ID: "m 2"},
		"meeting/x/y": {Kind: layout.PageMeeting, ID: "x/y"},
	}
	for s, want := range good {
		got, err := layout.ParsePageID(s)
		if err != nil || got != want {
			t.Errorf("ParsePageID(%q) = %+v, %v; want %+v", s, got, err, want)
		}
		if got.String() != s {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), s)
		}
	}
	for _, s := range []string{"", "nosuch", "activity", "activity/", "today/x", "Today", "/a1", "news/"} {
		_, err := layout.ParsePageID(s)
		if !errors.Is(err, layout.ErrUnknownPage) {
			t.Errorf("ParsePageID(%q): err %v, want ErrUnknownPage", s, err)
			continue
		}
		if !strings.Contains(err.Error(), "activity/<id>") || !strings.Contains(err.Error(), "gallery") {
			t.Errorf("ParsePageID(%q): %v does not list the valid pages", s, err)
		}
	}
	if !(layout.PageID{}).Is(layout.PageToday) || (layout.PageID{}).String() != "today" {
		t.Error("the zero PageID is not the today page")
	}
}
