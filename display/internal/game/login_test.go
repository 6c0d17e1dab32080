package game_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/personal"
)

// fakeLogin plays the login client: it answers the game's requests in the
// next turn, as the display's worker does.
type fakeLogin struct {
	state    game.LoginState
	results  []game.LoginResult
	pins     []string
	logouts  []string
	touches  int
	signups  []string
	suggests []string
	wrongFor int // this many PINs are wrong before the right one
}

func (f *fakeLogin) serve(reqs []game.LoginRequest) {
	for _, r := range reqs {
		switch r.Kind {
		case game.RequestPIN:
			f.pins = append(f.pins, r.PIN)
			if r.PIN != "2580" || f.wrongFor > 0 {
				f.wrongFor--
				f.results = append(f.results, game.LoginResult{Outcome: game.LoginWrongPIN, TriesLeft: 2})
				continue
			}
			f.results = append(f.results, game.LoginResult{Outcome: game.LoginOK})
			f.state.Who, f.state.Name = r.Profile, "Karen"
			f.state.Page = &personal.Page{ProfileID: r.Profile, Name: "Karen",
				Shared: []personal.Item{{ID: "sh1", Kind: personal.Picture, Title: "PRIVATCANARY-1", Media: personal.Media{SHA256: strings.Repeat("a", 64)}},
					{ID: "sh2", Kind: personal.Document, Title: "PRIVATCANARY-2", Media: personal.Media{SHA256: strings.Repeat("b", 64)}}},
				Groups: []personal.Group{{ID: "g", Name: "Strikkeklubben"}}}
		case game.RequestLogout:
			f.logouts = append(f.logouts, r.Reason)
			f.state.Who, f.state.Name, f.state.Page = "", "", nil
		case game.RequestTouch:
			f.touches++
		case game.RequestSignupMade:
			f.signups = append(f.signups, r.ID)
		case game.RequestSuggest:
			f.suggests = append(f.suggests, r.ID+": "+r.Text)
			f.results = append(f.results, game.LoginResult{Outcome: game.SuggestSent})
		}
	}
}

// turn runs one turn with the login's state and results.
func (p *play) turn(f *fakeLogin, tick game.Tick) {
	st := f.state
	tick.Login = &st
	tick.LoginResults, f.results = f.results, nil
	p.step(tick)
	f.serve(p.g.TakeLogin())
}

func (p *play) tapLogin(f *fakeLogin, match func(layout.Intent) bool) {
	p.t.Helper()
	for _, tg := range p.g.Page().Targets {
		if match(tg.Intent) {
			x, y := tg.R.X+tg.R.W/2, tg.R.Y+tg.R.H/2
			p.turn(f, game.Tick{Pointers: []game.Pointer{{Down: true, X: x, Y: y}, {Down: false, X: x, Y: y}}})
			p.now = p.now.Add(time.Second)
			p.turn(f, game.Tick{})
			return
		}
	}
	p.t.Fatalf("no such target on %s", p.g.Page().ID)
}

func key(d int) func(layout.Intent) bool {
	return func(in layout.Intent) bool { return in.Kind == layout.Key && in.Offset == d }
}

func typePIN(p *play, f *fakeLogin, pin string) {
	for _, c := range pin {
		p.tapLogin(f, key(int(c-'0')))
	}
}

// TestLoginTapSequence: picture -> PIN -> Min side -> Afmeld -> Log ud.
func TestLoginTapSequence(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true}}
	p.turn(f, game.Tick{})
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page.Is(board.PageLogin) })
	if !p.g.State().Page.Is(board.PageLogin) {
		t.Fatalf("on %s after Log ind", p.g.State().Page)
	}
	p.tapLogin(f, func(in layout.Intent) bool { return in.Page == board.PINPage("p1") })
	if p.g.State().Page != board.PINPage("p1") {
		t.Fatalf("on %s after the picture", p.g.State().Page)
	}
	// Digits only, at least 15 mm on a 24" 1920x1080 screen (0.277 mm a pixel).
	keys := 0
	for _, tg := range p.g.Page().Targets {
		if tg.Intent.Kind == layout.Key {
			keys++
			if tg.R.W*0.277 < 15 || tg.R.H*0.277 < 15 {
				t.Errorf("key %d is %.0fx%.0f px, under 15 mm", tg.Intent.Offset, tg.R.W, tg.R.H)
			}
		}
	}
	if keys != 11 {
		t.Errorf("%d keys, want 0-9 and Slet", keys)
	}
	p.tapLogin(f, key(2))
	p.tapLogin(f, key(5))
	if v := p.g.Input(p.now, p.g.State()).Login; v.Digits != 2 {
		t.Errorf("%d digits shown, want 2", v.Digits)
	}
	for _, it := range p.g.Page().Items {
		if it.Kind == layout.Text && (strings.Contains(it.Text, "25")) {
			t.Errorf("the page shows the typed digits: %q", it.Text)
		}
	}
	p.tapLogin(f, key(-1)) // Slet
	p.tapLogin(f, key(5))
	p.tapLogin(f, key(8))
	p.tapLogin(f, key(0))
	if len(f.pins) != 1 || f.pins[0] != "2580" {
		t.Fatalf("PINs sent %q", f.pins)
	}
	if !p.g.State().Page.Is(board.PageMe) {
		t.Fatalf("on %s after the PIN", p.g.State().Page)
	}
	if !has(p.g.Page(), "Logget ind: Karen") || !has(p.g.Page(), "Log ud") || !has(p.g.Page(), "Strikkeklubben") {
		t.Error("Min side lacks the header's login or the groups")
	}
	private := 0
	for _, it := range p.g.Page().Items {
		if it.Private {
			private++
		}
		if it.Text == "Strikkeklubben" && !it.Private {
			t.Error("a group name is not marked private")
		}
	}
	if private == 0 {
		t.Error("nothing on Min side is marked private")
	}
	// Afmeld: the sign-up is cancelled without the face grid, in the session.
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Confirm && in.Signup.Action == board.Leave })
	if len(p.writes) != 1 || p.writes[0].ProfileID != "p1" || p.writes[0].Action != board.Leave {
		t.Fatalf("writes %+v", p.writes)
	}
	if len(f.signups) != 1 || f.signups[0] != p.writes[0].ID {
		t.Errorf("the sign-up was not marked as made in the session: %v", f.signups)
	}
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Logout })
	if len(f.logouts) != 1 || f.logouts[0] != "logout" || !p.g.State().Page.Is(board.PageToday) {
		t.Errorf("after Log ud: logouts %v, page %s", f.logouts, p.g.State().Page)
	}
	if has(p.g.Page(), "Strikkeklubben") {
		t.Error("Min side still drawn after logout")
	}
	if f.touches == 0 {
		t.Error("touches were not passed to the login client")
	}
}

// TestLoginWrongPINWaits: a wrong PIN says the tries left in Danish and
// the keypad waits longer after each wrong try.
func TestLoginWrongPINWaits(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true}, wrongFor: 5}
	p.g.Open(board.PINPage("p1"))
	p.turn(f, game.Tick{})
	typePIN(p, f, "1111")
	if !strings.Contains(allText(p.g.Page()), "Forkert kode. Du har 2 forsøg tilbage.") {
		t.Error("no Danish message for the wrong PIN")
	}
	v := p.g.Input(p.now, p.g.State()).Login
	if v.Wait <= 0 {
		t.Fatal("no wait after a wrong PIN")
	}
	first := v.Wait
	// Keys do nothing while it waits.
	p.tapLoginIfAny(f, key(1))
	if p.g.Input(p.now, p.g.State()).Login.Digits != 0 {
		t.Error("a key counted during the wait")
	}
	p.now = p.now.Add(first + time.Second)
	p.turn(f, game.Tick{})
	typePIN(p, f, "2222")
	if second := p.g.Input(p.now, p.g.State()).Login.Wait; second <= first {
		t.Errorf("second wait %s, not longer than the first %s", second, first)
	}
}

func (p *play) tapLoginIfAny(f *fakeLogin, match func(layout.Intent) bool) {
	for _, tg := range p.g.Page().Targets {
		if match(tg.Intent) {
			p.tapLogin(f, match)
			return
		}
	}
}

// TestLoginIdleQuestion: after 60 s without a touch the screen asks, and
// 15 s later logs out and goes home.
func TestLoginIdleQuestion(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true}}
	p.g.Open(board.PINPage("p1"))
	p.turn(f, game.Tick{})
	typePIN(p, f, "2580")
	p.turn(f, game.Tick{})
	if !p.g.State().Page.Is(board.PageMe) {
		t.Fatalf("not logged in: %s", p.g.State().Page)
	}
	if next := p.g.Next(p.now); next.After(p.now.Add(personal.AskAfter)) {
		t.Errorf("next wake-up %s is after the question is due", next.Sub(p.now))
	}
	p.now = p.now.Add(personal.AskAfter)
	p.turn(f, game.Tick{})
	if !strings.Contains(allText(p.g.Page()), "Er du her stadig?") {
		t.Fatal("no question after 60 s")
	}
	// Answering keeps the session.
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Stay })
	if strings.Contains(allText(p.g.Page()), "Er du her stadig?") || len(f.logouts) != 0 {
		t.Fatal("the question stayed after the answer")
	}
	p.now = p.now.Add(personal.AskAfter)
	p.turn(f, game.Tick{})
	p.now = p.now.Add(personal.AnswerFor)
	p.turn(f, game.Tick{})
	p.turn(f, game.Tick{})
	if len(f.logouts) != 1 || f.logouts[0] != "idle" || !p.g.State().Page.Is(board.PageToday) {
		t.Errorf("after 75 s: logouts %v, page %s", f.logouts, p.g.State().Page)
	}
}

// TestLoginOffline: the login page says in Danish that logging in needs the
// connection.
func TestLoginOffline(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true, Offline: true}}
	p.g.Open(board.PageOf(board.PageLogin))
	p.turn(f, game.Tick{})
	found := false
	for _, it := range p.g.Page().Items {
		found = found || it.Kind == layout.Text && strings.Contains(it.Text, "Du kan ikke logge ind lige nu")
	}
	if !found {
		t.Error("no offline message on the login page")
	}
	for _, tg := range p.g.Page().Targets {
		if tg.Intent.Page.PINProfile() != "" {
			t.Error("faces to log in with while offline")
		}
	}
}

// allText is the page's lines joined by spaces (wrapped sentences whole).
func allText(pg *layout.Page) string {
	var parts []string
	for _, it := range pg.Items {
		if it.Kind == layout.Text {
			parts = append(parts, it.Text)
		}
	}
	return strings.Join(parts, " ")
}

// TestSignUpMeSkipsTheFaceGrid: on an activity while logged in, "Tilmeld
// mig" signs the resident up at once, in the session.
func TestSignUpMeSkipsTheFaceGrid(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true}}
	p.g.Open(board.PINPage("p1"))
	p.turn(f, game.Tick{})
	typePIN(p, f, "2580")
	p.turn(f, game.Tick{})
	var act string
	for _, a := range p.reading.Board.Activities {
		if a.SignupOpen && a.Start.After(p.now) && !a.Signups.Has("p1") && !a.Full() {
			act = a.ID
			break
		}
	}
	if act == "" {
		t.Fatal("no open activity without Karen on the fixture board")
	}
	p.g.Open(board.PageID{Kind: board.PageActivity, ID: act})
	p.turn(f, game.Tick{})
	if !has(p.g.Page(), "Tilmeld mig") {
		t.Fatal("no Tilmeld mig while logged in")
	}
	p.tapLogin(f, func(in layout.Intent) bool {
		return in.Kind == layout.Confirm && in.Signup.ProfileID == "p1" && in.Signup.Action == board.Join
	})
	if len(p.writes) != 1 || p.writes[0].ItemID != act || p.writes[0].ProfileID != "p1" {
		t.Fatalf("writes %+v", p.writes)
	}
	if len(f.signups) != 1 {
		t.Error("the sign-up was not marked as made in the session")
	}
}

func typeKey(k string) func(layout.Intent) bool {
	return func(in layout.Intent) bool { return in.Kind == layout.Type && in.Text == k }
}

// TestWriteSuggestion: "Skriv et forslag" on Min side, the Danish keyboard
// with æ, ø and å, at most 280 characters, sent with the session.
func TestWriteSuggestion(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true}}
	p.g.Open(board.PINPage("p1"))
	p.turn(f, game.Tick{})
	typePIN(p, f, "2580")
	p.turn(f, game.Tick{})
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page.ID == "keyboard" })
	if p.g.State().Page.ID != "keyboard" {
		t.Fatalf("on %s", p.g.State().Page)
	}
	for _, k := range []string{"å", "æ", "ø"} {
		found := false
		for _, tg := range p.g.Page().Targets {
			if tg.Intent.Kind == layout.Type && tg.Intent.Text == k {
				found = true
				if tg.R.W*0.277 < 15 || tg.R.H*0.277 < 15 {
					t.Errorf("key %s is %.0fx%.0f px, under 15 mm", k, tg.R.W, tg.R.H)
				}
			}
		}
		if !found {
			t.Errorf("no %s key", k)
		}
	}
	for _, k := range []string{"m", "e", "r", "e", " ", "æ", "b", "l", "x", "⌫", "e"} {
		p.tapLogin(f, typeKey(k))
	}
	if v := p.g.Input(p.now, p.g.State()).Login; v.Draft != "Mere æble" || v.DraftLen != 9 {
		t.Fatalf("draft %q (%d)", v.Draft, v.DraftLen)
	}
	if !has(p.g.Page(), "9 / 280") {
		t.Error("no count on the keyboard page")
	}
	for _, it := range p.g.Page().Items {
		if strings.Contains(it.Text, "æble") && !it.Private {
			t.Error("the draft is not marked private")
		}
	}
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Send })
	if len(f.suggests) != 1 || !strings.HasSuffix(f.suggests[0], ": Mere æble") {
		t.Fatalf("suggestions sent %q", f.suggests)
	}
	p.turn(f, game.Tick{})
	if !p.g.State().Page.Is(board.PageMe) || p.g.State().Page.ID != "" || !has(p.g.Page(), "Tak. Dit forslag er sendt.") {
		t.Errorf("after sending: on %s", p.g.State().Page)
	}
	// 280 characters at most.
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page.ID == "keyboard" })
	for range 290 {
		p.tapLogin(f, typeKey("a"))
	}
	if n := p.g.Input(p.now, p.g.State()).Login.DraftLen; n != 280 {
		t.Errorf("%d characters typed, want at most 280", n)
	}
	// Logging out drops the draft.
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Logout })
	if v := p.g.Input(p.now, p.g.State()).Login; v.Draft != "" {
		t.Error("the draft survived the logout")
	}
}

// TestSharedFullSize: a picture of Min side opens full size, with the next
// one and the way back.
func TestSharedFullSize(t *testing.T) {
	p := newPlay(t)
	f := &fakeLogin{state: game.LoginState{Offered: true}}
	p.g.Open(board.PINPage("p1"))
	p.turn(f, game.Tick{})
	typePIN(p, f, "2580")
	p.turn(f, game.Tick{})
	p.tapLogin(f, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == layout.SharedPage("sh1") })
	if p.g.State().Page != layout.SharedPage("sh1") {
		t.Fatalf("on %s", p.g.State().Page)
	}
	pic := false
	for _, it := range p.g.Page().Items {
		if it.Kind == layout.Picture && it.Fit && it.Private && it.R.W > 1000 {
			pic = true
		}
	}
	if !pic {
		t.Error("no large private picture on the full-size page")
	}
	// A swipe to the left shows the next one, to the right the one before.
	swipe := func(from, to float64) {
		p.turn(f, game.Tick{Pointers: []game.Pointer{{Down: true, X: from, Y: 500}, {Down: false, X: to, Y: 520}}})
		p.now = p.now.Add(time.Second)
		p.turn(f, game.Tick{})
	}
	swipe(1400, 600)
	if p.g.State().Page != layout.SharedPage("sh2") {
		t.Fatalf("after a swipe left: %s", p.g.State().Page)
	}
	swipe(600, 1400)
	if p.g.State().Page != layout.SharedPage("sh1") {
		t.Errorf("after a swipe right: %s", p.g.State().Page)
	}
	p.tapLogin(f, func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page.Is(board.PageMe) && in.Page.ID == ""
	})
	if p.g.State().Page != board.PageOf(board.PageMe) {
		t.Errorf("back to %s", p.g.State().Page)
	}
}

// TestPINNeverLogged: the game's log, at every level, shows the keys as
// "key" and never the digits typed.
func TestPINNeverLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug - 8}))
	p := newPlay(t, func(c *game.Config) { c.Log = log })
	f := &fakeLogin{state: game.LoginState{Offered: true}}
	p.g.Open(board.PINPage("p1"))
	p.turn(f, game.Tick{})
	typePIN(p, f, "9731")
	p.now = p.now.Add(time.Minute)
	p.turn(f, game.Tick{})
	typePIN(p, f, "2580")
	if !strings.Contains(buf.String(), "intent=key") {
		t.Fatalf("no key taps in the log:\n%s", buf.String())
	}
	for _, pin := range []string{"9731", "2580", "Karen"} {
		if strings.Contains(buf.String(), pin) {
			t.Errorf("the log holds %q:\n%s", pin, buf.String())
		}
	}
	for _, r := range f.pins {
		if s := (game.LoginRequest{Kind: game.RequestPIN, PIN: r}).String(); strings.Contains(s, r) {
			t.Errorf("a login request prints its PIN: %s", s)
		}
	}
}
