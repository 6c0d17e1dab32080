package sync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Timing of the loop. All waiting goes through the injected clock.
const (
	backoffBase = time.Second
	backoffCap  = 5 * time.Minute
	// streamIdle is how long the event stream may stay silent before it is
	// considered dead; the backend sends a comment at least every 30 s.
	streamIdle = 75 * time.Second
	// coalesce is how long a sync event waits for more before it pulls, so
	// a burst of edits in the Manager costs one fetch.
	coalesce = 500 * time.Millisecond
	// reconnectSpread is how widely a fleet's reconnects after a shared
	// stream loss are spread (uniformly, on top of the retry hint): 1000
	// screens then put at most a few percent of themselves in any second.
	reconnectSpread = 30 * time.Second
	// screenshotTimeout bounds taking and posting one screenshot.
	screenshotTimeout = 30 * time.Second
)

// streamMsg is what the event-stream reader sends to the loop.
type streamMsg struct {
	conn      int // which connection it came from; the loop ignores old ones
	connected bool
	ev        sseEvent
	err       error // the connection ended (never nil at the end)
	end       bool
}

// Run keeps the cache in step with the backend until ctx ends: a sync at
// once, then one per `sync` event (coalesced), per new sign-up in the outbox
// and every PollInterval (±20%) as a fallback for a silent event stream.
// Failures back off exponentially with full jitter (1 s to 5 min), the event
// stream separately; a stream silent for 75 s is dropped and reconnected.
// Every wait is on the injected clock (with clock.Real they are monotonic, so
// NTP stepping the wall clock neither fires nor postpones them). Run returns
// ctx's error, or an error wrapping ErrUnauthorized when the backend no longer
// accepts the screen's token. Only one Run may run per Syncer.
func (s *Syncer) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	notify, unsubscribe := s.cache.Subscribe()
	defer unsubscribe()

	var readers sync.WaitGroup
	defer readers.Wait()
	defer cancel()

	msgs := make(chan streamMsg, 16)
	var (
		now         = s.clock.Now()
		pullAt      = now // next sync; zero: none planned
		failures    int   // consecutive failed syncs
		conn        int   // current stream connection, 0 when none
		connSeq     int
		stopStream  = func() {}
		streamAt    = now // next connection attempt while conn == 0
		streamFails int
		idleAt      time.Time // when the current stream counts as dead
		retryHint   time.Duration
		connected   bool // a stream has connected before: reconnecting may have missed events
	)
	planPull := func(at time.Time) {
		if pullAt.IsZero() || at.Before(pullAt) {
			pullAt = at
		}
	}
	endStream := func(err error) {
		stopStream()
		conn, stopStream = 0, func() {}
		streamFails++
		wait := s.reconnectWait(streamFails, retryHint)
		streamAt = s.clock.Now().Add(wait)
		s.log.Info("event stream closed", "err", err, "reconnect_in", wait.Round(time.Millisecond))
	}

	for {
		now = s.clock.Now()
		if conn == 0 && !now.Before(streamAt) {
			sctx, stop := context.WithCancel(ctx)
			stopStream = stop
			connSeq++
			conn = connSeq
			idleAt = now.Add(streamIdle + headerTimeout)
			readers.Add(1)
			go func(id int) {
				defer readers.Done()
				s.stream(sctx, id, msgs)
			}(conn)
		}
		if !pullAt.IsZero() && !now.Before(pullAt) {
			pullAt = time.Time{}
			res, err := s.SyncOnce(ctx)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, ErrUnauthorized) {
				return err
			}
			if err != nil {
				failures++
				wait := s.backoff(failures)
				s.log.Warn("sync failed", "err", err, "attempt", failures, "retry_in", wait.Round(time.Millisecond))
				planPull(s.clock.Now().Add(wait))
			} else {
				failures = 0
				s.log.Debug("synced", "not_modified", res.NotModified, "generation", res.Generation,
					"media", res.MediaFetched, "sent", res.Sent, "refused", res.Refused)
				planPull(s.clock.Now().Add(s.jitter(s.opts.PollInterval)))
			}
			continue
		}

		next := pullAt
		if conn == 0 {
			next = earliest(next, streamAt)
		} else {
			next = earliest(next, idleAt)
		}
		// A fresh timer each time round: the loop's state, not the timer,
		// says what is due, so an abandoned timer loses nothing.
		timer := s.clock.After(next.Sub(now))

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer:
			if conn != 0 && !s.clock.Now().Before(idleAt) {
				endStream(fmt.Errorf("%w: no keep-alive for %s", ErrBackendUnreachable, streamIdle))
			}
		case <-notify:
			if !s.newPending() {
				continue
			}
			res, err := s.flushNow(ctx)
			switch {
			case errors.Is(err, ErrUnauthorized):
				return err
			case err != nil:
				// The sign-up waits in the outbox; the next sync retries it.
				failures++
				planPull(s.clock.Now().Add(s.backoff(failures)))
			case res.Sent+res.Refused > 0:
				planPull(s.clock.Now()) // show the backend's truth at once
			}
		case m := <-msgs:
			if m.conn != conn {
				continue // from a connection already given up
			}
			now = s.clock.Now()
			idleAt = now.Add(streamIdle)
			switch {
			case m.end:
				if errors.Is(m.err, ErrUnauthorized) {
					return m.err
				}
				endStream(m.err)
			case m.connected:
				s.log.Info("event stream connected")
				if connected {
					planPull(now.Add(coalesce)) // events may have been missed meanwhile
				}
				connected = true
			default:
				streamFails = 0
				if m.ev.Retry > 0 {
					retryHint = min(m.ev.Retry, backoffCap)
				}
				s.handleEvent(ctx, m.ev, planPull)
			}
		}
	}
}

// handleEvent acts on one event from the backend.
func (s *Syncer) handleEvent(ctx context.Context, ev sseEvent, planPull func(time.Time)) {
	if ev.Comment {
		return
	}
	switch ev.Type {
	case "sync":
		planPull(s.clock.Now().Add(coalesce))
	case "screenshot":
		sctx, cancel := context.WithTimeout(ctx, screenshotTimeout)
		defer cancel()
		if err := s.sendScreenshot(sctx); err != nil {
			s.log.Warn("screenshot not sent", "err", err)
		}
	case "reload":
		if s.opts.OnReload != nil {
			s.opts.OnReload()
		}
	default:
		s.log.Debug("event ignored", "type", ev.Type)
	}
}

// stream holds one connection to /events and feeds what it reads to out.
// It only reads and reports; the loop decides everything.
func (s *Syncer) stream(ctx context.Context, conn int, out chan<- streamMsg) {
	send := func(m streamMsg) bool {
		m.conn = conn
		select {
		case out <- m:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(err error) { send(streamMsg{end: true, err: err}) }

	req, err := s.t.newRequest(ctx, http.MethodGet, "/events", nil, nil, "")
	if err != nil {
		fail(err)
		return
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := s.t.do(s.t.stream, req)
	if err != nil {
		fail(fmt.Errorf("event stream: %w", err))
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fail(fmt.Errorf("event stream: %w: %s", ErrBackendFailed, resp.Status))
		return
	}
	if mt := mediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		fail(fmt.Errorf("event stream: %w: answered %q, not text/event-stream", ErrBackendFailed, mt))
		return
	}
	if !send(streamMsg{connected: true}) {
		return
	}
	p := newSSEParser(resp.Body)
	for {
		ev, err := p.Next()
		if err != nil {
			fail(fmt.Errorf("event stream: %w", classify(err)))
			return
		}
		if !send(streamMsg{ev: ev}) {
			return
		}
	}
}

// backoff is the wait after the n-th failure in a row: full jitter over
// an exponential ceiling (1 s, 2 s, 4 s ... 5 min).
func (s *Syncer) backoff(n int) time.Duration {
	ceil := backoffCap
	if n < 20 {
		ceil = min(backoffBase<<max(n-1, 0), backoffCap)
	}
	return time.Duration(s.rand.Int64N(int64(ceil) + 1))
}

// reconnectWait is the wait before the event stream is opened again after
// the n-th failure in a row. A backend restart ends every screen's stream at
// the same moment: on top of the backend's retry hint, each screen waits a
// random part of reconnectSpread, so the fleet comes back spread out; the
// exponential backoff takes over when failures go on.
func (s *Syncer) reconnectWait(n int, hint time.Duration) time.Duration {
	wait := s.backoff(n)
	if floor := hint + time.Duration(s.rand.Int64N(int64(reconnectSpread))); floor > wait {
		wait = floor
	}
	return wait
}

// jitter spreads d by ±20% so a building's screens do not poll in step.
func (s *Syncer) jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*s.rand.Float64()))
}

func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}
