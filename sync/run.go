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

// schedule is when the next sync is due and how many failed in a row.
type schedule struct {
	at       time.Time // zero: none planned
	failures int
}

// plan asks for a sync at t; an earlier plan stands.
func (p *schedule) plan(t time.Time) {
	if p.at.IsZero() || t.Before(p.at) {
		p.at = t
	}
}

// due reports whether a sync is planned for now or earlier, and takes it
// off the schedule.
func (p *schedule) due(now time.Time) bool {
	if p.at.IsZero() || now.Before(p.at) {
		return false
	}
	p.at = time.Time{}
	return true
}

// events is the event stream as the loop sees it: at most one connection,
// read by its own goroutine, and when to open the next one.
type events struct {
	conn      int                // the current connection, 0 when none
	seq       int                // the last connection's number
	stop      context.CancelFunc // ends the current connection's reader
	at        time.Time          // the next connection attempt while conn == 0
	idleAt    time.Time          // when the current connection counts as dead
	fails     int                // connections lost in a row
	retryHint time.Duration      // the backend's retry field
	connected bool               // one has connected before: reconnecting may have missed events
}

// loop is one Run's state: the sync schedule and the event stream. Only
// Run's goroutine touches it; the stream readers only send on msgs.
type loop struct {
	s       *Syncer
	pull    schedule
	ev      events
	msgs    chan streamMsg
	readers sync.WaitGroup
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

	now := s.clock.Now()
	l := &loop{s: s, pull: schedule{at: now}, ev: events{at: now, stop: func() {}}, msgs: make(chan streamMsg, 16)}
	defer l.readers.Wait()
	defer cancel()
	for {
		now := s.clock.Now()
		l.connect(ctx, now)
		if l.pull.due(now) {
			if err := l.sync(ctx); err != nil {
				return err
			}
			continue
		}
		// A fresh timer each time round: the loop's state, not the timer,
		// says what is due, so an abandoned timer loses nothing.
		timer := s.clock.After(l.next().Sub(now))
		var err error
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer:
			l.checkIdle()
		case <-notify:
			err = l.flush(ctx)
		case m := <-l.msgs:
			err = l.receive(ctx, m)
		}
		if err != nil {
			return err
		}
	}
}

// connect opens the event stream when none is open and the next attempt
// is due.
func (l *loop) connect(ctx context.Context, now time.Time) {
	if l.ev.conn != 0 || now.Before(l.ev.at) {
		return
	}
	sctx, stop := context.WithCancel(ctx)
	l.ev.stop = stop
	l.ev.seq++
	l.ev.conn = l.ev.seq
	l.ev.idleAt = now.Add(streamIdle + headerTimeout)
	l.readers.Add(1)
	go func(id int) {
		defer l.readers.Done()
		l.s.stream(sctx, id, l.msgs)
	}(l.ev.conn)
}

// next is when the loop must wake without news: the next sync, and the
// next connection attempt or the open stream's idle limit.
func (l *loop) next() time.Time {
	if l.ev.conn == 0 {
		return earliest(l.pull.at, l.ev.at)
	}
	return earliest(l.pull.at, l.ev.idleAt)
}

// sync runs one SyncOnce and plans the next: after the poll interval, or
// after a backoff when it failed. It returns only ctx's error or
// ErrUnauthorized.
func (l *loop) sync(ctx context.Context) error {
	s := l.s
	res, err := s.SyncOnce(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, ErrUnauthorized) {
		return err
	}
	if err != nil {
		l.pull.failures++
		wait := s.backoff(l.pull.failures)
		s.log.Warn("sync failed", "err", err, "attempt", l.pull.failures, "retry_in", wait.Round(time.Millisecond))
		l.pull.plan(s.clock.Now().Add(wait))
		return nil
	}
	l.pull.failures = 0
	s.log.Debug("synced", "not_modified", res.NotModified, "generation", res.Generation,
		"media", res.MediaFetched, "sent", res.Sent, "refused", res.Refused)
	l.pull.plan(s.clock.Now().Add(s.jitter(s.opts.PollInterval)))
	return nil
}

// flush sends a sign-up the outbox just got, without waiting for the next
// sync. It returns only ErrUnauthorized.
func (l *loop) flush(ctx context.Context) error {
	s := l.s
	if !s.newPending() {
		return nil
	}
	res, err := s.flushNow(ctx)
	switch {
	case errors.Is(err, ErrUnauthorized):
		return err
	case err != nil:
		// The sign-up waits in the outbox; the next sync retries it.
		l.pull.failures++
		l.pull.plan(s.clock.Now().Add(s.backoff(l.pull.failures)))
	case res.Sent+res.Refused > 0:
		l.pull.plan(s.clock.Now()) // show the backend's truth at once
	}
	return nil
}

// checkIdle drops an open stream that has been silent too long.
func (l *loop) checkIdle() {
	if l.ev.conn != 0 && !l.s.clock.Now().Before(l.ev.idleAt) {
		l.endStream(fmt.Errorf("%w: no keep-alive for %s", ErrBackendUnreachable, streamIdle))
	}
}

// endStream gives the current connection up and plans the next attempt.
func (l *loop) endStream(err error) {
	s := l.s
	l.ev.stop()
	l.ev.conn, l.ev.stop = 0, func() {}
	l.ev.fails++
	wait := s.reconnectWait(l.ev.fails, l.ev.retryHint)
	l.ev.at = s.clock.Now().Add(wait)
	s.log.Info("event stream closed", "err", err, "reconnect_in", wait.Round(time.Millisecond))
}

// receive handles what a stream reader sent. It returns only
// ErrUnauthorized.
func (l *loop) receive(ctx context.Context, m streamMsg) error {
	if m.conn != l.ev.conn {
		return nil // from a connection already given up
	}
	now := l.s.clock.Now()
	l.ev.idleAt = now.Add(streamIdle)
	switch {
	case m.end:
		if errors.Is(m.err, ErrUnauthorized) {
			return m.err
		}
		l.endStream(m.err)
	case m.connected:
		l.s.log.Info("event stream connected")
		if l.ev.connected {
			l.pull.plan(now.Add(coalesce)) // events may have been missed meanwhile
		}
		l.ev.connected = true
	default:
		l.ev.fails = 0
		if m.ev.Retry > 0 {
			l.ev.retryHint = min(m.ev.Retry, backoffCap)
		}
		l.handleEvent(ctx, m.ev)
	}
	return nil
}

// handleEvent acts on one event from the backend.
func (l *loop) handleEvent(ctx context.Context, ev sseEvent) {
	s := l.s
	if ev.Comment {
		return
	}
	switch ev.Type {
	case "sync":
		l.pull.plan(s.clock.Now().Add(coalesce))
	case "notice":
		// Staff's urgent word (Screen API v1.2): the board at once, not
		// after the pause that gathers a burst of edits.
		l.pull.plan(s.clock.Now())
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
