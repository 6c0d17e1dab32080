package display

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skaerm/board"
	"skaerm/display/internal/game"
	"skaerm/internal/clock"
)

// pointerEvent is a finger (or mouse button) going down or up. On X11 a
// touch screen arrives as the mouse.
type pointerEvent = game.Pointer

// pressQueue holds the presses and releases the X server reported since the
// last tick, in order, each with its time: none is lost however short the
// tap, and two taps read in one tick keep their distance in time.
type pressQueue struct {
	on atomic.Bool // the X server reports presses: the sampled mouse state is not used
	handoff
	evs []pointerEvent
}

// handoff is what a turn of the loop waits on for a producer's news: the
// producer adds under mu and, while a turn waits, signals it; that turn
// takes what was added, so the producer need not schedule a turn of its own
// (which would only present the same frame again).
type handoff struct {
	mu      sync.Mutex
	waiting bool          // a turn of the loop waits in wait
	signal  chan struct{} // buffered 1: something was added while a turn waited
}

// wait waits until ready, asked under mu, holds or limit has passed. It
// returns with mu held, so that the caller takes under the same lock as the
// last look whatever was added meanwhile.
func (h *handoff) wait(limit time.Duration, ready func() bool) {
	t := time.NewTimer(limit)
	defer t.Stop()
	h.mu.Lock()
	h.waiting = true
	for !ready() {
		h.mu.Unlock()
		timeout := false
		select {
		case <-h.signal:
		case <-t.C:
			timeout = true
		}
		h.mu.Lock()
		if timeout {
			break
		}
	}
	h.waiting = false
}

// wake tells a waiting turn that something was added.
func (h *handoff) wake() {
	select {
	case h.signal <- struct{}{}:
	default:
	}
}

// pressWait is how long a turn of the loop that saw the pointer stir waits
// for the X reader's report of the press or release that stirred it.
const pressWait = 15 * time.Millisecond

// push returns the function the X reader calls with each press or release.
func (q *pressQueue) push(clk clock.Clock) func(down bool, x, y int) {
	return func(down bool, x, y int) {
		q.mu.Lock()
		q.evs = append(q.evs, pointerEvent{Down: down, X: float64(x), Y: float64(y), At: clk.Now()})
		waiting := q.waiting
		q.mu.Unlock()
		q.wake()
		if !waiting {
			// Otherwise the turn waiting takes it.
			ebiten.ScheduleFrame()
		}
	}
}

// await takes the queue once it holds a release, or when limit has passed.
// The loop wakes for the window's own pointer events, which the X server
// sends at the same moment as the raw ones the reader hears on its own
// connection: without waiting, the turn they wake often finds the queue
// still empty, presents an unchanged frame (Ebitengine presents a few after
// every change) and acts on the tap only in the turn after it.
func (q *pressQueue) await(limit time.Duration) []pointerEvent {
	q.wait(limit, func() bool {
		return slices.ContainsFunc(q.evs, func(e pointerEvent) bool { return !e.Down })
	})
	evs := q.evs
	q.evs = nil
	q.mu.Unlock()
	return evs
}

// take empties the queue.
func (q *pressQueue) take() []pointerEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs := q.evs
	q.evs = nil
	return evs
}

// readInput turns this tick's raw mouse and touch state into pointer events.
func (s *Screen) readInput() []pointerEvent {
	if s.presses.on.Load() {
		evs := s.presses.take()
		if s.pointerStirred() && !slices.ContainsFunc(evs, func(e pointerEvent) bool { return !e.Down }) {
			evs = append(evs, s.presses.await(pressWait)...)
		}
		// X reports window pixels; the layout is in device-independent ones.
		if f := ebiten.Monitor().DeviceScaleFactor(); f > 0 && f != 1 {
			for i := range evs {
				evs[i].X, evs[i].Y = evs[i].X/f, evs[i].Y/f
			}
		}
		return evs
	}
	var evs []pointerEvent
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		x, y := ebiten.CursorPosition()
		evs = append(evs, pointerEvent{Down: true, X: float64(x), Y: float64(y)})
	}
	if inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
		x, y := ebiten.CursorPosition()
		evs = append(evs, pointerEvent{Down: false, X: float64(x), Y: float64(y)})
	}
	for _, id := range inpututil.AppendJustPressedTouchIDs(nil) {
		x, y := ebiten.TouchPosition(id)
		evs = append(evs, pointerEvent{Down: true, X: float64(x), Y: float64(y)})
	}
	for _, id := range inpututil.AppendJustReleasedTouchIDs(nil) {
		x, y := inpututil.TouchPositionInPreviousTick(id)
		evs = append(evs, pointerEvent{Down: false, X: float64(x), Y: float64(y)})
	}
	return evs
}

// pointerStirred reports whether Ebitengine saw the pointer move or a
// button or touch change since the last turn: a press or release is then
// likely on its way from the X reader.
func (s *Screen) pointerStirred() bool {
	x, y := ebiten.CursorPosition()
	moved := x != s.cursorX || y != s.cursorY
	s.cursorX, s.cursorY = x, y
	return moved || inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) ||
		inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) ||
		len(inpututil.AppendJustPressedTouchIDs(nil)) > 0 || len(inpututil.AppendJustReleasedTouchIDs(nil)) > 0
}

// outboxWriter writes confirmed sign-ups to the Source's outbox on a
// goroutine of its own (an fsync'd bbolt commit may take a while on an SD
// card); the game loop hands them over and reads the outcomes without
// waiting longer than writeWait. Without Run (tests, snapshots) add writes
// at once.
type outboxWriter struct {
	src     Source
	running atomic.Bool
	queue   chan board.Signup
	handoff
	done []game.Written
	seq  atomic.Uint64 // sign-ups stored so far
}

// writeWait is how long the turn of the loop that handed a sign-up over
// waits for it to be written: a write within it is said in the same frame
// as the closing of the confirmation sheet, one frame sooner than in a
// turn of its own (a frame under llvmpipe is 20-24 ms of painting). A
// slower disk only delays that frame by this much; the outcome then comes
// in a turn of its own.
const writeWait = 50 * time.Millisecond

// errQueueFull means sign-ups came faster than the disk took them.
var errQueueFull = errors.New("display: too many sign-ups waiting for the disk")

// add hands sign-ups over to be written.
func (w *outboxWriter) add(sgs []board.Signup) {
	for _, sg := range sgs {
		if !w.running.Load() {
			w.finish(w.store(sg))
			continue
		}
		select {
		case w.queue <- sg:
		default:
			w.finish(game.Written{Signup: sg, Err: errQueueFull})
		}
	}
}

// store writes sg to the outbox and counts it.
func (w *outboxWriter) store(sg board.Signup) game.Written {
	r := game.Written{Signup: sg, Err: w.src.Enqueue(sg)}
	if r.Err == nil {
		r.Seq = w.seq.Add(1)
	}
	return r
}

// finish records an outcome. It reports whether a turn of the loop was
// waiting for outcomes: that turn takes it, and no other turn is needed.
func (w *outboxWriter) finish(r game.Written) (taken bool) {
	w.mu.Lock()
	w.done = append(w.done, r)
	taken = w.waiting
	w.mu.Unlock()
	if taken {
		w.wake()
	}
	return taken
}

// results takes the outcomes of the writes done since the last call.
func (w *outboxWriter) results() []game.Written {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.done
	w.done = nil
	return out
}

// await takes the outcomes once n are done, or what is done when limit has
// passed. It waits only while the writer runs (without it add wrote them).
func (w *outboxWriter) await(n int, limit time.Duration) []game.Written {
	if !w.running.Load() {
		return w.results()
	}
	w.wait(limit, func() bool { return len(w.done) >= n })
	// Under the same lock as the last look: an outcome finished while this
	// turn waited is taken here, and its writer schedules no turn.
	out := w.done
	w.done = nil
	w.mu.Unlock()
	return out
}

// run writes until ctx ends, then writes what was handed over before it
// stops (a sign-up a resident confirmed is not dropped on shutdown), and
// calls notify after each write, saying whether a waiting turn of the loop
// took its outcome.
func (w *outboxWriter) run(ctx context.Context, notify func(r game.Written, taken bool)) {
	w.queue = make(chan board.Signup, writesQueue)
	w.signal = make(chan struct{}, 1)
	w.running.Store(true)
	write := func(sg board.Signup) {
		r := w.store(sg)
		notify(r, w.finish(r))
	}
	for {
		select {
		case sg := <-w.queue:
			write(sg)
		case <-ctx.Done():
			w.running.Store(false)
			for {
				select {
				case sg := <-w.queue:
					write(sg)
				default:
					return
				}
			}
		}
	}
}
