package pairing

import "sync"

// Shown is the code a screen shows while it waits to be paired. The pairing
// side sets and clears it, the renderer and the status report read it; it is
// safe for concurrent use and its zero value shows nothing.
type Shown struct {
	mu        sync.Mutex
	user, uri string
	active    bool
	changed   chan struct{} // a value after a change not yet looked at; made on first use
}

// Set shows userCode (and where staff type it) until Clear.
func (s *Shown) Set(userCode, verificationURI string) {
	s.set(userCode, verificationURI, true)
}

// Clear shows no code: the screen is paired or has stopped pairing.
func (s *Shown) Clear() {
	s.set("", "", false)
}

func (s *Shown) set(user, uri string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.user == user && s.uri == uri && s.active == active {
		return
	}
	s.user, s.uri, s.active = user, uri, active
	select {
	case s.changedLocked() <- struct{}{}:
	default: // a change is already waiting to be looked at
	}
}

// Code reports whether a code is shown, and which.
func (s *Shown) Code() (userCode, verificationURI string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user, s.uri, s.active
}

// Changed carries a value after the code shown has changed, so that its
// one reader need not ask Code again and again: changes that come before
// the value is taken make one value. Read Code after receiving.
func (s *Shown) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changedLocked()
}

func (s *Shown) changedLocked() chan struct{} {
	if s.changed == nil {
		s.changed = make(chan struct{}, 1)
	}
	return s.changed
}
