package backend

import (
	"fmt"
	"net/http"
	"sync"
)

// The events stream tells screens to act now: sync (content changed),
// screenshot and reload. Each connection has its own small mailbox that holds
// at most one pending event of each name, so a slow screen merges repeats
// and the publisher never waits.

type event struct {
	name string // sync, screenshot or reload
	data string // one line of JSON
}

// subscriber is one open /events connection.
type subscriber struct {
	dept, screen string

	mu      sync.Mutex
	pending []event       // at most one per name, oldest first
	wake    chan struct{} // capacity 1
}

func (sub *subscriber) offer(ev event) {
	sub.mu.Lock()
	merged := false
	for i := range sub.pending {
		if sub.pending[i].name == ev.name {
			sub.pending[i] = ev
			merged = true
		}
	}
	if !merged {
		sub.pending = append(sub.pending, ev)
	}
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

func (sub *subscriber) take() []event {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	out := sub.pending
	sub.pending = nil
	return out
}

type hub struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

func newHub() *hub { return &hub{subs: map[*subscriber]struct{}{}} }

func (h *hub) add(dept, screen string) *subscriber {
	sub := &subscriber{dept: dept, screen: screen, wake: make(chan struct{}, 1)}
	h.mu.Lock()
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	return sub
}

func (h *hub) remove(sub *subscriber) {
	h.mu.Lock()
	delete(h.subs, sub)
	h.mu.Unlock()
}

// publish offers ev to the screens of dept ("" for every department), or to
// one screen when screen is set. It never blocks.
func (h *hub) publish(dept, screen string, ev event) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for sub := range h.subs {
		if (dept == "" || sub.dept == dept) && (screen == "" || sub.screen == screen) {
			sub.offer(ev)
			n++
		}
	}
	return n
}

// streams counts the open connections of each screen.
func (h *hub) streams() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for sub := range h.subs {
		out[sub.screen]++
	}
	return out
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, sc screen) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	sub := s.hub.add(sc.dept, sc.id)
	defer s.hub.remove(sub)
	s.log.Debug("event stream open", "screen", sc.id, "department", sc.dept)
	defer s.log.Debug("event stream closed", "screen", sc.id)

	write := func(text string) bool {
		if _, err := fmt.Fprint(w, text); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// The first comment tells the screen the stream is up (and tests that
	// the subscription is in place).
	if !write("retry: 5000\n: connected\n\n") {
		return
	}
	keepAlive := s.clock.After(s.keepAlive)
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.quit:
			return
		case <-sub.wake:
			for _, ev := range sub.take() {
				if !write("event: " + ev.name + "\ndata: " + ev.data + "\n\n") {
					return
				}
			}
		case <-keepAlive:
			if !write(": keep-alive\n\n") {
				return
			}
			keepAlive = s.clock.After(s.keepAlive)
		}
	}
}
