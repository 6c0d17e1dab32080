package display

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

// pointerEvent is a finger (or mouse button) going down or up. On X11 a
// touch screen arrives as the mouse.
type pointerEvent struct {
	down bool
	x, y float64
	at   time.Time // when it happened; zero: at the tick that reads it
}

// pressQueue holds the presses and releases the X server reported since the
// last tick, in order, each with its time: none is lost however short the
// tap, and two taps read in one tick keep their distance in time.
type pressQueue struct {
	on  atomic.Bool // the X server reports presses: the sampled mouse state is not used
	mu  sync.Mutex
	evs []pointerEvent
}

// push returns the function the X reader calls with each press or release.
func (q *pressQueue) push(clk clock.Clock) func(down bool, x, y int) {
	return func(down bool, x, y int) {
		q.mu.Lock()
		q.evs = append(q.evs, pointerEvent{down: down, x: float64(x), y: float64(y), at: clk.Now()})
		q.mu.Unlock()
		ebiten.ScheduleFrame()
	}
}

// take empties the queue.
func (q *pressQueue) take() []pointerEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs := q.evs
	q.evs = nil
	return evs
}

// press is a finger that went down on a target and has not lifted.
type press struct {
	target layout.Target
	ok     bool
	at     time.Time
}

// readInput turns this tick's raw mouse and touch state into pointer events.
func (s *Screen) readInput() []pointerEvent {
	if s.presses.on.Load() {
		evs := s.presses.take()
		// X reports window pixels; the layout is in device-independent ones.
		if f := ebiten.Monitor().DeviceScaleFactor(); f > 0 && f != 1 {
			for i := range evs {
				evs[i].x, evs[i].y = evs[i].x/f, evs[i].y/f
			}
		}
		return evs
	}
	var evs []pointerEvent
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		x, y := ebiten.CursorPosition()
		evs = append(evs, pointerEvent{down: true, x: float64(x), y: float64(y)})
	}
	if inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
		x, y := ebiten.CursorPosition()
		evs = append(evs, pointerEvent{down: false, x: float64(x), y: float64(y)})
	}
	for _, id := range inpututil.AppendJustPressedTouchIDs(nil) {
		x, y := ebiten.TouchPosition(id)
		evs = append(evs, pointerEvent{down: true, x: float64(x), y: float64(y)})
	}
	for _, id := range inpututil.AppendJustReleasedTouchIDs(nil) {
		x, y := inpututil.TouchPositionInPreviousTick(id)
		evs = append(evs, pointerEvent{down: false, x: float64(x), y: float64(y)})
	}
	return evs
}

// handle turns pointer events into taps, and taps into intents: a tap is a
// release inside the same target the press began on, not sooner than
// bounce after the previous tap.
func (s *Screen) handle(now time.Time, evs []pointerEvent) {
	g := &s.game
	for _, ev := range evs {
		now := now
		if !ev.at.IsZero() && ev.at.Before(now) {
			now = ev.at
		}
		g.lastTouch = now
		if ev.down && s.opts.OnTouch != nil {
			s.opts.OnTouch()
		}
		if g.blank {
			// The first touch on a dark screen only wakes it.
			g.press = nil
			continue
		}
		if g.page == nil {
			continue
		}
		if ev.down {
			t, ok := g.page.TargetAt(ev.x, ev.y)
			g.press = &press{target: t, ok: ok, at: now}
			continue
		}
		p := g.press
		g.press = nil
		if p == nil {
			continue
		}
		if !g.lastTap.IsZero() && now.Sub(g.lastTap) < bounce {
			continue // a bounce or a double tap: the first tap has acted
		}
		t, ok := g.page.TargetAt(ev.x, ev.y)
		switch {
		case ok && p.ok && t.R == p.target.R && t.Intent.Kind == p.target.Intent.Kind:
			g.lastTap = now
			s.log.Debug("tap", "on", g.page.ID.String(), "intent", p.target.Intent.Kind.String(), "page", p.target.Intent.Page.String())
			s.act(now, p.target.Intent)
		case !p.ok && !ok && g.page.Idle:
			g.lastTap = now
			s.log.Debug("tap", "on", g.page.ID.String(), "intent", layout.Open.String(), "page", layout.Of(layout.PageToday).String())
			s.open(layout.Of(layout.PageToday))
		}
	}
}

// act carries out one intent.
func (s *Screen) act(now time.Time, in layout.Intent) {
	g := &s.game
	g.dirty = true
	switch in.Kind {
	case layout.Open:
		s.open(in.Page)
	case layout.Turn:
		g.state.Offset = in.Offset
	case layout.Pick:
		g.state.Pick = in.Profile
		g.pickAt = now
	case layout.Cancel:
		g.state.Pick = ""
	case layout.Notify:
		s.setNotice(now, in.Notice, true)
	case layout.Confirm:
		g.state.Pick = ""
		s.enqueue(now, in.Signup)
	}
}

// enqueue writes a confirmed sign-up to the outbox. This is the loop's one
// write: a small bbolt commit, made only after the resident said yes.
func (s *Screen) enqueue(now time.Time, sg board.Signup) {
	sg.ID = s.opts.NewID()
	sg.At = now
	sg.State = board.Pending
	strs := layout.Locale(s.locale())
	name := sg.ProfileID
	if sn := s.game.shown; sn != nil && sn.board != nil {
		if p, ok := sn.board.Profile(sg.ProfileID); ok {
			name = p.Name
		}
	}
	if err := s.src.Enqueue(sg); err != nil {
		s.log.Error("enqueue sign-up", "id", sg.ID, "item", sg.ItemID, "err", err)
		s.setNotice(now, strs.RefusedOther, true)
		return
	}
	s.log.Info("sign-up enqueued", "id", sg.ID, "item_type", sg.ItemType, "item", sg.ItemID, "action", sg.Action)
	s.game.local = append(s.game.local, sg)
	msg := strs.Joined
	if sg.Action == board.Leave {
		msg = strs.Left
	}
	s.setNotice(now, sprintf(msg, name), false)
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *Screen) locale() string {
	if s.opts.Locale != "" {
		return s.opts.Locale
	}
	if sn := s.game.shown; sn != nil && sn.board != nil {
		return sn.board.Department.Locale
	}
	return ""
}
