package game

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/personal"
	"skaerm/words"
)

// Timings of the personal login.
const (
	maxWait = time.Minute // the screen's own wait after wrong PINs grows to this
)

// LoginState is what the login client says about the session, read once
// per turn of the loop.
type LoginState struct {
	Offered bool // the screen has a login client and the backend did not say no
	Offline bool // the backend cannot be reached
	Who     string
	Name    string
	Page    *personal.Page // Min side, nil while it loads
	Loading bool
}

// LoginRequestKind is what the game asks the login client to do.
type LoginRequestKind uint8

// The requests.
const (
	RequestPIN        LoginRequestKind = iota + 1 // log Profile in with PIN
	RequestLogout                                 // end the session (Reason)
	RequestTouch                                  // the resident touched the screen
	RequestSignupMade                             // sign-up ID was made in the session
	RequestSuggest                                // send Text as a suggestion for meeting ID
)

// LoginRequest is handed out by TakeLogin; the display passes it to the
// login client, off the loop's goroutine.
type LoginRequest struct {
	Kind    LoginRequestKind
	Profile string
	PIN     string // RequestPIN only; never logged
	Reason  string
	ID      string
	Text    string // RequestSuggest: the suggestion
}

// String never shows the PIN.
func (r LoginRequest) String() string {
	return fmt.Sprintf("login request %d (profile %s)", r.Kind, r.Profile)
}

// LoginOutcome is how a PIN login ended.
type LoginOutcome uint8

// The outcomes.
const (
	LoginOK LoginOutcome = iota + 1
	LoginWrongPIN
	LoginLocked
	LoginNoLogin
	LoginUnknown
	LoginOffline
	LoginFailed
	SuggestSent    // the backend has the suggestion
	SuggestQueued  // no answer yet: the client sends it while the session lasts
	SuggestClosed  // the meeting has started
	SuggestTooLong // over 280 characters
	SuggestRefused // refused for another reason
)

// LoginResult comes back in a later Tick.
type LoginResult struct {
	Outcome    LoginOutcome
	TriesLeft  int           // LoginWrongPIN; -1 unknown
	RetryAfter time.Duration // LoginLocked
}

// loginGame is the game's part of the login.
type loginGame struct {
	state     LoginState
	on        bool   // a login client exists
	digits    []byte // the PIN typed so far: memory only, wiped when used
	fails     int    // wrong PINs in a row on this screen
	waitUntil time.Time
	busy      bool
	msg       string
	bad       bool
	prompt    bool
	promptAt  time.Time
	touched   bool
	requests  []LoginRequest
	draft     []rune // the suggestion being written: memory only
	shift     bool
	sending   bool
}

// TakeLogin returns the login requests of the last Step.
func (g *Game) TakeLogin() []LoginRequest {
	r := g.login.requests
	g.login.requests = nil
	return r
}

func (g *Game) wipeDigits() {
	clear(g.login.digits)
	g.login.digits = g.login.digits[:0]
}

// loginWords are the login's words in the page's language.
func (g *Game) loginWords() words.LoginWords {
	return words.LoginWordsFor(g.strings().Lang)
}

// adoptLogin takes the login client's state of this turn.
func (g *Game) adoptLogin(st *LoginState, now time.Time) {
	l := &g.login
	l.on = st != nil
	var next LoginState
	if st != nil {
		next = *st
	}
	if next == l.state {
		return
	}
	was := l.state.Who
	l.state = next
	g.dirty = true
	switch {
	case was == "" && next.Who != "":
		// Logged in (PIN or tag): Min side, with a fresh idle time.
		g.lastTouch = now
		l.prompt = false
		g.wipeDigits()
		g.Open(board.PageOf(board.PageMe))
	case was != "" && next.Who == "":
		// Ended here or by the client (tag again, timeout, backend).
		l.prompt = false
		if g.state.Page.Is(board.PageMe) {
			g.Open(board.PageOf(board.PageToday))
		}
	case was != next.Who:
		g.lastTouch = now
		g.Open(board.PageOf(board.PageMe))
	}
}

// loginResult takes the outcome of a PIN login.
func (g *Game) loginResult(r LoginResult, now time.Time) {
	l := &g.login
	w := g.loginWords()
	if r.Outcome >= SuggestSent {
		g.suggested(r, now)
		return
	}
	l.busy = false
	g.dirty = true
	l.msg, l.bad = "", true
	switch r.Outcome {
	case LoginOK:
		l.fails = 0
		l.waitUntil = time.Time{}
		return
	case LoginWrongPIN:
		l.fails++
		// The screen slows guessing on its own: 2, 4, 8 … seconds.
		wait := time.Duration(math.Min(math.Pow(2, float64(l.fails)), maxWait.Seconds())) * time.Second
		l.waitUntil = now.Add(wait)
		switch {
		case r.TriesLeft == 1:
			l.msg = w.WrongPINLast
		case r.TriesLeft > 1:
			l.msg = fmt.Sprintf(w.WrongPIN, r.TriesLeft)
		default:
			l.msg = w.LoginFailed
		}
	case LoginLocked:
		mins := int(math.Ceil(r.RetryAfter.Minutes()))
		if mins < 1 {
			mins = 1
		}
		l.msg = fmt.Sprintf(w.Locked, mins)
		l.waitUntil = now.Add(min(r.RetryAfter, 5*time.Minute))
	case LoginNoLogin:
		l.msg = w.NoLogin
	case LoginUnknown:
		l.msg = w.UnknownProfile
	case LoginOffline:
		l.msg = w.Offline
	default:
		l.msg = w.LoginFailed
	}
}

// key takes a key of the keypad.
func (g *Game) key(now time.Time, digit int) {
	l := &g.login
	profile := g.state.Page.PINProfile()
	if profile == "" || l.busy || now.Before(l.waitUntil) {
		return
	}
	if digit < 0 {
		if n := len(l.digits); n > 0 {
			l.digits[n-1] = 0
			l.digits = l.digits[:n-1]
		}
		return
	}
	if digit > 9 || len(l.digits) >= 4 {
		return
	}
	l.digits = append(l.digits, byte('0'+digit))
	l.msg = ""
	if len(l.digits) == 4 {
		l.requests = append(l.requests, LoginRequest{Kind: RequestPIN, Profile: profile, PIN: string(l.digits)})
		g.wipeDigits()
		l.busy = true
	}
}

// logout ends the session for reason and goes home.
func (g *Game) logout(now time.Time, reason string, notice bool) {
	l := &g.login
	if l.state.Who == "" {
		return
	}
	l.requests = append(l.requests, LoginRequest{Kind: RequestLogout, Reason: reason})
	l.prompt = false
	g.wipeDigits()
	g.wipeDraft()
	g.Open(board.PageOf(board.PageToday))
	if notice {
		g.setNotice(now, g.loginWords().LoggedOutIdle, false)
	}
}

// loginTimers: the question after a minute without a touch, the logout 15 s
// later, and the keypad's wait running out.
func (g *Game) loginTimers(now time.Time) {
	l := &g.login
	if l.touched {
		l.touched = false
		if l.state.Who != "" {
			l.requests = append(l.requests, LoginRequest{Kind: RequestTouch})
		}
	}
	if !l.waitUntil.IsZero() {
		g.dirty = true // the countdown
		if !now.Before(l.waitUntil) {
			l.waitUntil = time.Time{}
		}
	}
	if l.state.Who == "" {
		return
	}
	switch {
	case l.prompt && now.Sub(l.promptAt) >= personal.AnswerFor:
		g.logout(now, "idle", true)
	case !l.prompt && now.Sub(g.lastTouch) >= personal.AskAfter:
		l.prompt, l.promptAt = true, now
		g.dirty = true
	}
}

// loginNext is when the login next has something to do.
func (g *Game) loginNext(now time.Time, consider func(time.Time)) {
	l := &g.login
	if !l.waitUntil.IsZero() {
		consider(now.Truncate(time.Second).Add(time.Second))
		consider(l.waitUntil)
	}
	if l.state.Who != "" {
		if l.prompt {
			consider(l.promptAt.Add(personal.AnswerFor))
		} else {
			consider(g.lastTouch.Add(personal.AskAfter))
		}
	}
}

// loginView is the layout's view of the login at now.
func (g *Game) loginView(now time.Time) *layout.LoginView {
	l := &g.login
	if !l.on {
		return nil
	}
	v := &layout.LoginView{
		Offered: l.state.Offered, Offline: l.state.Offline, Who: l.state.Who, Name: l.state.Name,
		Page: l.state.Page, Loading: l.state.Loading, Digits: len(l.digits), Message: l.msg, Bad: l.bad,
		Busy: l.busy || l.sending, Prompt: l.prompt, Shift: l.shift,
	}
	if len(l.draft) > 0 {
		v.Draft, v.DraftLen = string(l.draft), len(l.draft)
	}
	if now.Before(l.waitUntil) {
		v.Wait = l.waitUntil.Sub(now)
	}
	return v
}

// signupMade notes a sign-up made by the logged-in resident.
func (g *Game) signupMade(sg board.Signup) {
	if w := g.login.state.Who; w != "" && sg.ProfileID == w {
		g.login.requests = append(g.login.requests, LoginRequest{Kind: RequestSignupMade, ID: sg.ID})
	}
}

func (g *Game) wipeDraft() {
	clear(g.login.draft)
	g.login.draft = g.login.draft[:0]
	g.login.shift = true // a suggestion starts with a capital
	g.login.sending = false
}

// typeKey takes a key of the on-screen keyboard.
func (g *Game) typeKey(k string) {
	l := &g.login
	if !g.state.Page.Is(board.PageMe) || g.state.Page.ID != "keyboard" || l.sending {
		return
	}
	switch k {
	case "⌫":
		if n := len(l.draft); n > 0 {
			l.draft[n-1] = 0
			l.draft = l.draft[:n-1]
		}
		l.shift = len(l.draft) == 0
		return
	case "⇧":
		l.shift = !l.shift
		return
	}
	rs := []rune(k)
	if len(rs) != 1 || len(l.draft) >= personal.MaxSuggestion {
		return
	}
	r := rs[0]
	if l.shift {
		r = unicode.ToUpper(r)
		l.shift = false
	}
	l.draft = append(l.draft, r)
	if r == '.' || r == '?' {
		l.shift = true
	}
}

// sendSuggestion asks the login client to send the draft for the next
// meeting.
func (g *Game) sendSuggestion(now time.Time) {
	l := &g.login
	text := strings.TrimSpace(string(l.draft))
	if l.sending || text == "" || l.state.Who == "" || g.shown == nil {
		return
	}
	m, ok := board.NextMeeting(g.shown.Board, now)
	if !ok {
		return
	}
	l.requests = append(l.requests, LoginRequest{Kind: RequestSuggest, ID: m.ID, Text: text})
	l.sending = true
}

// suggested takes the outcome of sending a suggestion.
func (g *Game) suggested(r LoginResult, now time.Time) {
	w := g.loginWords()
	g.login.sending = false
	switch r.Outcome {
	case SuggestSent, SuggestQueued:
		msg := w.Sent
		if r.Outcome == SuggestQueued {
			msg = w.Queued
		}
		g.wipeDraft()
		if g.state.Page.ID == "keyboard" {
			g.Open(board.PageOf(board.PageMe))
		}
		g.setNotice(now, msg, false)
	case SuggestClosed:
		g.setNotice(now, w.SuggestClosed, true)
	case SuggestTooLong:
		g.setNotice(now, w.TooLong, true)
	default:
		g.setNotice(now, w.NotSent, true)
	}
}
