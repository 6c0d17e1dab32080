package display

import (
	"context"
	"image"
	"image/draw"

	"github.com/hajimehoshi/ebiten/v2"

	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/personal"
)

// Login is the personal login as the screen uses it. The program wires it
// to the sync's login client: the display itself never talks to the
// network. The Page in State is the screen's own: the screen wipes it when
// a new one (or none) comes. State is called on every turn of the loop and
// must be cheap;
// LoginPIN and Logout may wait on the network and are called from the
// screen's login worker, never from the loop.
type Login interface {
	State() LoginState
	LoginPIN(ctx context.Context, profileID, pin string) LoginResult
	Logout(reason string)
	Touch()
	SignupMade(id string)
	// Suggest sends a suggestion for a meeting with the session.
	Suggest(ctx context.Context, meetingID, text string) LoginResult
}

// The login's types, shared with the game state.
type (
	LoginState   = game.LoginState
	LoginResult  = game.LoginResult
	LoginOutcome = game.LoginOutcome
)

// Outcomes of a PIN login.
const (
	LoginOK        = game.LoginOK
	LoginWrongPIN  = game.LoginWrongPIN
	LoginLocked    = game.LoginLocked
	LoginNoLogin   = game.LoginNoLogin
	LoginUnknown   = game.LoginUnknown
	LoginOffline   = game.LoginOffline
	LoginFailed    = game.LoginFailed
	SuggestSent    = game.SuggestSent
	SuggestQueued  = game.SuggestQueued
	SuggestClosed  = game.SuggestClosed
	SuggestTooLong = game.SuggestTooLong
	SuggestRefused = game.SuggestRefused
)

// loginPort runs the game's login requests off the loop.
type loginPort struct {
	l       Login
	reqs    chan game.LoginRequest
	results chan game.LoginResult
	page    *personal.Page    // the page the stills were made from
	stills  map[string]*still // the session's pictures, by layout key
}

func newLoginPort(l Login) *loginPort {
	if l == nil {
		return nil
	}
	return &loginPort{l: l, reqs: make(chan game.LoginRequest, 8), results: make(chan game.LoginResult, 8)}
}

// run carries out PIN logins and logouts one at a time until ctx ends.
func (p *loginPort) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-p.reqs:
			switch r.Kind {
			case game.RequestPIN:
				res := p.l.LoginPIN(ctx, r.Profile, r.PIN)
				r.PIN = ""
				select {
				case p.results <- res:
				case <-ctx.Done():
					return
				}
			case game.RequestLogout:
				p.l.Logout(r.Reason)
			case game.RequestSuggest:
				res := p.l.Suggest(ctx, r.ID, r.Text)
				r.Text = ""
				select {
				case p.results <- res:
				case <-ctx.Done():
					return
				}
			}
			ebiten.ScheduleFrame()
		}
	}
}

// hand passes the game's requests on: the cheap ones at once, the rest to
// the worker.
func (p *loginPort) hand(reqs []game.LoginRequest) {
	for _, r := range reqs {
		switch r.Kind {
		case game.RequestTouch:
			p.l.Touch()
		case game.RequestSignupMade:
			p.l.SignupMade(r.ID)
		default:
			select {
			case p.reqs <- r:
			default: // a full queue: the resident taps again
			}
		}
	}
}

// take returns the results that came back since the last turn.
func (p *loginPort) take() []game.LoginResult {
	var out []game.LoginResult
	for {
		select {
		case r := <-p.results:
			out = append(out, r)
		default:
			return out
		}
	}
}

// follow makes stills of the session's pictures when the page changes and
// drops them (and the painter's scaled copies) when the session ends. A
// Login hands over each page once and never touches it again.
func (p *loginPort) follow(st LoginState, paint *painter) {
	if st.Page == p.page {
		return
	}
	// The page handed over is the screen's own copy: the one it showed
	// is wiped here, on the loop's goroutine, which alone reads it.
	p.page.Wipe()
	p.page = st.Page
	p.stills = nil
	paint.forgetPersonal()
	if st.Page == nil {
		return
	}
	p.stills = map[string]*still{}
	for _, it := range st.Page.Shared {
		if len(it.Media.Data) == 0 {
			continue
		}
		if s, err := encodedStill(it.Media.Data); err == nil {
			p.stills[layout.PersonalKey(it.Media.SHA256)] = s
		}
	}
}

// withPersonal is media plus the session's pictures.
func (p *loginPort) withPersonal(media map[string]*still) map[string]*still {
	if p == nil || len(p.stills) == 0 {
		return media
	}
	out := make(map[string]*still, len(media)+len(p.stills))
	for k, v := range media {
		out[k] = v
	}
	for k, v := range p.stills {
		out[k] = v
	}
	return out
}

// forgetPersonal frees the scaled copies of the session's pictures.
func (p *painter) forgetPersonal() {
	for k, c := range p.scaled {
		if layout.IsPersonalKey(k.hash) {
			c.free()
			delete(p.scaled, k)
		}
	}
	p.shown = nil
}

// maskPrivate covers what the page marks private (a resident's own
// content) on img: screenshots sent away and page shots written to disk
// never show it.
func maskPrivate(img *image.RGBA, page *layout.Page) {
	if page == nil {
		return
	}
	cover := image.NewUniform(layout.Chip)
	for _, it := range page.Items {
		if !it.Private {
			continue
		}
		r := image.Rect(int(it.R.X)-1, int(it.R.Y)-1, int(it.R.Right())+2, int(it.R.Bottom())+2)
		draw.Draw(img, r.Intersect(img.Bounds()), cover, image.Point{}, draw.Src)
	}
}

// loginState reads the login client's state for this turn.
func (s *Screen) loginState() *LoginState {
	if s.login == nil {
		return nil
	}
	st := s.login.l.State()
	return &st
}
