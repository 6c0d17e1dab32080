package pairing

import "sync"

// Shown is the code a screen shows while it waits to be paired. The pairing
// side sets and clears it, the renderer and the status report read it; it is
// safe for concurrent use and its zero value shows nothing.
type Shown struct {
	mu        sync.Mutex
	user, uri string
	active    bool
}

// Set shows userCode (and where staff type it) until Clear.
func (s *Shown) Set(userCode, verificationURI string) {
	s.mu.Lock()
	s.user, s.uri, s.active = userCode, verificationURI, true
	s.mu.Unlock()
}

// Clear shows no code: the screen is paired or has stopped pairing.
func (s *Shown) Clear() {
	s.mu.Lock()
	s.user, s.uri, s.active = "", "", false
	s.mu.Unlock()
}

// Code reports whether a code is shown, and which.
func (s *Shown) Code() (userCode, verificationURI string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user, s.uri, s.active
}
