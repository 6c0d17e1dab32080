package taptest

import (
	"context"
	"sync"
	"testing"
	"time"

	"skaerm/assets"
	"skaerm/board"
	"skaerm/display"
	"skaerm/display/layout"
	"skaerm/personal"
)

// loopLogin is the login client of the running screen: Karen (p1) logs in
// with 2580.
type loopLogin struct {
	mu       sync.Mutex
	st       display.LoginState
	pins     int
	logouts  []string
	sessions map[string]bool // sign-ups made in the session
}

var login = &loopLogin{st: display.LoginState{Offered: true}, sessions: map[string]bool{}}

func (l *loopLogin) State() display.LoginState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

func (l *loopLogin) LoginPIN(_ context.Context, profile, pin string) display.LoginResult {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pins++
	if profile != "p1" || pin != "2580" {
		return display.LoginResult{Outcome: display.LoginWrongPIN, TriesLeft: 2}
	}
	l.st = display.LoginState{Offered: true, Who: "p1", Name: "Karen", Page: karen()}
	return display.LoginResult{Outcome: display.LoginOK}
}

func (l *loopLogin) Logout(reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logouts = append(l.logouts, reason)
	l.st = display.LoginState{Offered: true} // the screen wipes the page it had
}

func (l *loopLogin) Touch() {}
func (l *loopLogin) SignupMade(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sessions[id] = true
}
func (l *loopLogin) Suggest(context.Context, string, string) display.LoginResult {
	return display.LoginResult{Outcome: display.SuggestSent}
}

func karen() *personal.Page {
	return &personal.Page{ProfileID: "p1", Name: "Karen", Groups: []personal.Group{{ID: "g", Name: "Strikkeklubben"}}}
}

// loginTarget is the centre of the first matching target on the page the
// layout builds for st with the login view v.
func loginTarget(t *testing.T, st layout.State, v *layout.LoginView, match func(layout.Intent) bool) point {
	t.Helper()
	m, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		t.Fatal(err)
	}
	p := layout.Build(m, layout.Input{Board: bd, Now: clk.Now(), W: width, H: height, State: st, Login: v})
	for _, tg := range p.Targets {
		if match(tg.Intent) {
			return point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}
		}
	}
	t.Fatalf("no such target on %s", p.ID)
	return point{}
}

// waitPage waits for the running screen to show page.
func waitPage(t *testing.T, page board.PageID) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for screen.Page() != page {
		if time.Now().After(deadline) {
			t.Fatalf("the screen shows %s, want %s", screen.Page(), page)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLoginInTheLoop: Log ind -> picture -> PIN -> Min side -> Afmeld ->
// Log ud, as instant taps through the X server on the running screen.
func TestLoginInTheLoop(t *testing.T) {
	x, send := fakeInput(t)
	waitDrawn(t)
	tapAt(t, x, send, navButton(t, board.PageToday), layout.Open)
	out := &layout.LoginView{Offered: true}
	tapAt(t, x, send, loginTarget(t, layout.State{}, out, func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page.Is(board.PageLogin)
	}), layout.Open)
	waitPage(t, board.PageOf(board.PageLogin))
	tapAt(t, x, send, loginTarget(t, layout.State{Page: board.PageOf(board.PageLogin)}, out, func(in layout.Intent) bool {
		return in.Page == board.PINPage("p1")
	}), layout.Open)
	waitPage(t, board.PINPage("p1"))
	for _, d := range []int{2, 5, 8, 0} {
		tapAt(t, x, send, loginTarget(t, layout.State{Page: board.PINPage("p1")}, out, func(in layout.Intent) bool {
			return in.Kind == layout.Key && in.Offset == d
		}), layout.Key)
	}
	waitPage(t, board.PageOf(board.PageMe))

	in := &layout.LoginView{Offered: true, Who: "p1", Name: "Karen", Page: karen()}
	before, err := src.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	var item string
	tapAt(t, x, send, loginTarget(t, layout.State{Page: board.PageOf(board.PageMe)}, in, func(in layout.Intent) bool {
		if in.Kind == layout.Confirm && in.Signup.Action == board.Leave && in.Signup.ProfileID == "p1" {
			item = in.Signup.ItemID
			return true
		}
		return false
	}), layout.Confirm)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ob, err := src.Outbox()
		if err != nil {
			t.Fatal(err)
		}
		if len(ob) == len(before)+1 {
			sg := ob[len(ob)-1]
			if sg.ItemID != item || sg.ProfileID != "p1" || sg.Action != board.Leave {
				t.Errorf("outbox holds %+v, want p1 leaving %s", sg, item)
			}
			login.mu.Lock()
			made := login.sessions[sg.ID]
			login.mu.Unlock()
			if !made {
				t.Error("the cancellation was not marked as made in the session")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no cancellation in the outbox 10 s after Afmeld")
		}
		time.Sleep(50 * time.Millisecond)
	}
	tapAt(t, x, send, loginTarget(t, layout.State{Page: board.PageOf(board.PageMe)}, in, func(in layout.Intent) bool {
		return in.Kind == layout.Logout
	}), layout.Logout)
	waitPage(t, board.PageOf(board.PageToday))
	deadline = time.Now().Add(10 * time.Second)
	for {
		login.mu.Lock()
		n := len(login.logouts)
		login.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Log ud did not reach the login client")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
