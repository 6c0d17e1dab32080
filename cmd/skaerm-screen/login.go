package main

import (
	"context"
	"errors"
	"log/slog"
	gosync "sync"
	"time"

	"github.com/google/uuid"

	"skaerm/cache"
	"skaerm/display"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/device/tagreader"
	"skaerm/personal"
	"skaerm/sync"
)

// screenLogin is the personal login as the display uses it: the sync's
// login client, Min side fetched into memory after each login, and the
// key fob readers. It owns no file: nothing of a session is written.
type screenLogin struct {
	l       *sync.Login
	log     *slog.Logger
	meta    func() (cache.Meta, error)
	offline time.Duration
	clk     clock.Clock
	changes chan struct{}
	tags    chan string

	mu      gosync.Mutex
	page    *personal.Page
	loading bool
}

// newScreenLogin makes the login client on the screen's connection to its
// backend, which the sync and the runner share; nil when it cannot be
// made. A screen not paired yet offers no login until the runner sets the
// token from pairing on conn.
func newScreenLogin(conn *sync.Backend, c *cache.Cache, offlineAfter time.Duration, log *slog.Logger) *screenLogin {
	sl := &screenLogin{log: log, meta: c.Meta, offline: offlineAfter, clk: clock.Real{}, changes: make(chan struct{}, 1), tags: make(chan string, 4)}
	l, err := sync.NewLogin(sync.LoginOptions{Backend: conn, Logger: log,
		OnChange: func() {
			select {
			case sl.changes <- struct{}{}:
			default:
			}
		}})
	if err != nil {
		log.Error("personal login unavailable", "err", err)
		return nil
	}
	sl.l = l
	return sl
}

// State implements display.Login.
func (s *screenLogin) State() display.LoginState {
	st := display.LoginState{Offered: s.l.Offered(), Offline: s.l.Unreachable()}
	if m, err := s.meta(); err == nil && !m.LastSync.IsZero() && s.clk.Now().Sub(m.LastSync) >= s.offline {
		st.Offline = true
	}
	if who, ok := s.l.Current(); ok {
		st.Who, st.Name = who.ProfileID, who.Name
		s.mu.Lock()
		st.Page, st.Loading = s.page, s.loading
		s.mu.Unlock()
	}
	return st
}

// LoginPIN implements display.Login.
func (s *screenLogin) LoginPIN(ctx context.Context, profileID, pin string) display.LoginResult {
	_, err := s.l.LoginPIN(ctx, profileID, pin)
	return outcome(err)
}

// outcome maps the client's answer to what the keypad says.
func outcome(err error) display.LoginResult {
	var le *sync.LoginError
	switch {
	case err == nil:
		return display.LoginResult{Outcome: display.LoginOK}
	case errors.As(err, &le) && errors.Is(err, sync.ErrWrongPIN):
		return display.LoginResult{Outcome: display.LoginWrongPIN, TriesLeft: le.TriesLeft}
	case errors.As(err, &le) && errors.Is(err, sync.ErrPINLocked):
		return display.LoginResult{Outcome: display.LoginLocked, RetryAfter: le.RetryAfter}
	case errors.Is(err, sync.ErrNoLogin):
		return display.LoginResult{Outcome: display.LoginNoLogin}
	case errors.Is(err, sync.ErrUnknownPerson):
		return display.LoginResult{Outcome: display.LoginUnknown}
	case errors.Is(err, sync.ErrBackendUnreachable):
		return display.LoginResult{Outcome: display.LoginOffline}
	}
	return display.LoginResult{Outcome: display.LoginFailed}
}

// Logout implements display.Login.
func (s *screenLogin) Logout(reason string) { s.l.Logout(context.Background(), reason) }

// Touch implements display.Login.
func (s *screenLogin) Touch() { s.l.Touch() }

// SignupMade implements display.Login.
func (s *screenLogin) SignupMade(id string) { s.l.SignupMade(id) }

// Suggest implements display.Login: the suggestion goes with the session;
// one the backend did not answer stays with the client, which sends it
// again while the session lasts.
func (s *screenLogin) Suggest(ctx context.Context, meetingID, text string) display.LoginResult {
	err := s.l.Suggest(ctx, uuid.NewString(), meetingID, text)
	reason, refused := sync.SuggestionRefused(err)
	switch {
	case err == nil:
		return display.LoginResult{Outcome: display.SuggestSent}
	case refused && reason == "closed":
		return display.LoginResult{Outcome: display.SuggestClosed}
	case refused && reason == "too_long":
		return display.LoginResult{Outcome: display.SuggestTooLong}
	case refused, errors.Is(err, sync.ErrNoSession), errors.Is(err, sync.ErrConfig):
		return display.LoginResult{Outcome: display.SuggestRefused}
	}
	return display.LoginResult{Outcome: display.SuggestQueued}
}

// tag takes a tag id from a reader (never logged).
func (s *screenLogin) tag(id string) {
	select {
	case s.tags <- id:
	default:
	}
}

// run keeps the client going: its idle timeout and shutdown, Min side
// fetched after each login and dropped after each logout, and tags read
// by the readers.
func (s *screenLogin) run(ctx context.Context) error {
	var wg gosync.WaitGroup
	wg.Go(func() { s.l.Run(ctx) })
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return nil
		case id := <-s.tags:
			_, ended, err := s.l.LoginTag(ctx, id)
			switch {
			case err != nil:
				s.log.Info("tag not accepted", "err", err)
			case ended:
				s.log.Info("logged out by the tag")
			}
		case <-s.changes:
		}
		s.refresh(ctx)
	}
}

// refresh fetches Min side for a new session, or forgets it.
func (s *screenLogin) refresh(ctx context.Context) {
	_, ok := s.l.Current()
	s.mu.Lock()
	if !ok {
		s.page, s.loading = nil, false // the client wiped its copy, the display wipes its own
		s.mu.Unlock()
		return
	}
	if s.page != nil || s.loading {
		s.mu.Unlock()
		return
	}
	s.loading = true
	s.mu.Unlock()
	page, err := s.l.Page(ctx)
	s.mu.Lock()
	s.loading = false
	if err == nil {
		if _, still := s.l.Current(); still {
			// The display gets a copy of its own and wipes it when the
			// session ends; the client wipes its own.
			s.page = page.Clone()
		}
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("min side not fetched", "err", err)
	}
}

// readers starts the configured tag readers.
func (s *screenLogin) readers(p *parts, c config.Login, log *slog.Logger) {
	if c.Reader != "" {
		p.start("tag reader", func(ctx context.Context) error {
			tagreader.WatchEvdev(ctx, c.Reader, clock.Real{}, log, s.tag)
			return nil
		})
	}
	if c.RC522 != "" {
		m, closeFn, err := tagreader.OpenMFRC522(c.RC522)
		if err != nil {
			log.Error("card reader unavailable", "err", err)
			return
		}
		p.start("card reader", func(ctx context.Context) error {
			defer closeFn()
			tagreader.PollMFRC522(ctx, m, clock.Real{}, log, s.tag)
			return nil
		})
	}
}
