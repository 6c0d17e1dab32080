package layout_test

import (
	"fmt"
	"testing"

	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
)

// TestNoticeMovesNothing: the banner after a tap (a confirmed sign-up, a
// refusal) must not move anything a resident may tap next. Every target of
// the pages that show a banner has the same rectangle and intent with and
// without it, at every size.
func TestNoticeMovesNothing(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	pages := []board.PageID{board.PageOf(board.PageToday), {Kind: board.PageActivity, ID: "a1"}, {Kind: board.PageMeal, ID: "m0b"}, {Kind: board.PageMeeting, ID: "mt1"}}
	for _, sz := range sizes {
		for _, page := range pages {
			for _, n := range []layout.Notice{{Text: "Karen er tilmeldt"}, {Text: "Aktiviteten er fuld", Bad: true}} {
				t.Run(fmt.Sprintf("%s/%vx%v/bad=%v", page, sz.w, sz.h, n.Bad), func(t *testing.T) {
					in := layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: page}}
					before := layout.Build(m, in)
					in.State.Notice = n
					after := layout.Build(m, in)
					if !hasText(after, n.Text) {
						t.Fatalf("the notice %q is not shown", n.Text)
					}
					if len(before.Targets) != len(after.Targets) {
						t.Fatalf("%d targets without the notice, %d with it", len(before.Targets), len(after.Targets))
					}
					for i := range before.Targets {
						b, a := before.Targets[i], after.Targets[i]
						if b.R != a.R || b.Intent.Kind != a.Intent.Kind || b.Intent.Page != a.Intent.Page || b.Intent.Profile != a.Intent.Profile {
							t.Errorf("target %d moved: %v %v %s -> %v %v %s", i, b.R, b.Intent.Kind, b.Intent.Page, a.R, a.Intent.Kind, a.Intent.Page)
						}
					}
					checkPage(t, m, after)
				})
			}
		}
	}
}
