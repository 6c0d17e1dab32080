package motion

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"skaerm/internal/clock"
	"skaerm/internal/device/sysinfo"
)

// armedPin is periph's fake pin, recording how the sensor configures it and
// saying when edge detection is armed (gpiotest's In drops edges sent
// before it).
type armedPin struct {
	*gpiotest.Pin
	armed chan struct{}

	mu    sync.Mutex
	calls []string
	halts int
}

func newPin(name string) *armedPin {
	return &armedPin{
		Pin:   &gpiotest.Pin{N: name, EdgesChan: make(chan gpio.Level)},
		armed: make(chan struct{}),
	}
}

func (p *armedPin) In(pull gpio.Pull, edge gpio.Edge) error {
	err := p.Pin.In(pull, edge)
	p.mu.Lock()
	p.calls = append(p.calls, pull.String()+"/"+edge.String())
	p.mu.Unlock()
	if edge != gpio.NoEdge {
		close(p.armed)
	}
	return err
}

func (p *armedPin) Halt() error {
	p.mu.Lock()
	p.halts++
	p.mu.Unlock()
	return p.Pin.Halt()
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// start runs a sensor on p and returns it with a stop function that cancels
// it and returns Run's error.
func start(t *testing.T, cfg Config, p Pin, clk clock.Clock) (*Sensor, func() error) {
	t.Helper()
	s, err := New(Options{Config: cfg, Pin: p, Clock: clk, Log: quiet, Wait: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() { _ = stop() })
	return s, stop
}

func TestMotionPublishesAndDebounces(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	p := newPin("GPIO17")
	s, stop := start(t, Config{Enabled: true, Pin: "GPIO17"}, p, fake)
	<-p.armed

	t0 := fake.Now()
	p.EdgesChan <- gpio.High
	ev := <-s.Events()
	if !ev.At.Equal(t0) || ev.Level != gpio.High {
		t.Fatalf("event %+v, want High at %s", ev, t0)
	}

	// A bounce 100 ms later is merged; a glitch that reads low is not
	// motion; an edge after the debounce time is a new detection.
	fake.Advance(100 * time.Millisecond)
	p.EdgesChan <- gpio.High
	fake.Advance(50 * time.Millisecond)
	p.EdgesChan <- gpio.Low
	fake.Advance(150 * time.Millisecond)
	p.EdgesChan <- gpio.High
	ev = <-s.Events()
	if want := t0.Add(300 * time.Millisecond); !ev.At.Equal(want) {
		t.Fatalf("event at %s, want %s (the bounce and the glitch must not count)", ev.At, want)
	}

	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if got := strings.Join(p.calls, " "); got != "PullDown/RisingEdge PullNoChange/NoEdge" {
		t.Fatalf("pin configured as %q, want armed then released", got)
	}
	if p.halts == 0 {
		t.Fatal("pin not halted on shutdown")
	}
}

func TestMotionCoalesces(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	p := newPin("GPIO17")
	s, _ := start(t, Config{Enabled: true, Pin: "GPIO17", Debounce: time.Second}, p, fake)
	<-p.armed
	// Nobody reads while three detections arrive: the reader then finds only
	// the newest, and the sensor never blocked.
	var last time.Time
	for range 3 {
		fake.Advance(2 * time.Second)
		last = fake.Now()
		p.EdgesChan <- gpio.High
	}
	p.EdgesChan <- gpio.Low // the sensor took the third edge and went on waiting
	if ev := <-s.Events(); !ev.At.Equal(last) {
		t.Fatalf("event at %s, want the newest %s", ev.At, last)
	}
	select {
	case ev := <-s.Events():
		t.Fatalf("a stale event queued: %+v", ev)
	default:
	}
}

func TestMotionEdges(t *testing.T) {
	tests := []struct {
		edge, pull string
		level      gpio.Level // the level read after the edge
		counts     bool
		arm        string
	}{
		{"rising", "down", gpio.High, true, "PullDown/RisingEdge"},
		{"rising", "", gpio.Low, false, "PullDown/RisingEdge"},
		{"falling", "up", gpio.Low, true, "PullUp/FallingEdge"},
		{"falling", "none", gpio.High, false, "Float/FallingEdge"},
		{"both", "down", gpio.Low, true, "PullDown/BothEdges"},
	}
	for _, tt := range tests {
		t.Run(tt.edge+"/"+tt.level.String(), func(t *testing.T) {
			fake := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
			p := newPin("GPIO27")
			s, _ := start(t, Config{Enabled: true, Pin: "GPIO27", Edge: tt.edge, Pull: tt.pull}, p, fake)
			<-p.armed
			p.EdgesChan <- tt.level
			// The same edge again at the same instant never publishes (a
			// bounce, or again not motion); once the sensor has taken it,
			// the first edge is fully handled.
			p.EdgesChan <- tt.level
			select {
			case <-s.Events():
				if !tt.counts {
					t.Fatal("published an edge that is not motion")
				}
			default:
				if tt.counts {
					t.Fatal("no event for motion")
				}
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.calls[0] != tt.arm {
				t.Fatalf("armed as %s, want %s", p.calls[0], tt.arm)
			}
		})
	}
}

func TestMotionDisabled(t *testing.T) {
	p := newPin("GPIO17")
	s, stop := start(t, Config{Enabled: false, Pin: "GPIO17"}, p, clock.NewFake(time.Unix(0, 0)))
	if s.Active() {
		t.Fatal("a disabled sensor is active")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if len(p.calls) != 0 {
		t.Fatalf("a disabled sensor touched the pin: %q", p.calls)
	}
	// No pin at all (none found) is also a quiet no-op.
	s, stop = start(t, Config{Enabled: true, Pin: "GPIO17"}, nil, clock.NewFake(time.Unix(0, 0)))
	if s.Active() {
		t.Fatal("a sensor without a pin is active")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestMotionBadConfig(t *testing.T) {
	for _, cfg := range []Config{{Enabled: true, Pull: "sideways"}, {Enabled: true, Edge: "up"}} {
		if _, err := New(Options{Clock: clock.Real{}, Config: cfg}); !errors.Is(err, ErrBadConfig) {
			t.Errorf("New(%+v) error %v, want ErrBadConfig", cfg, err)
		}
		if f := Check(context.Background(), cfg); f.Status != sysinfo.Fail {
			t.Errorf("Check(%+v) = %v, want FAIL", cfg, f)
		}
	}
}

// failingPin refuses to be armed, as a line held by another program does.
type failingPin struct{ *gpiotest.Pin }

func (failingPin) In(gpio.Pull, gpio.Edge) error { return errors.New("device or resource busy") }

func TestMotionArmFails(t *testing.T) {
	var logged bytes.Buffer
	s, err := New(Options{Clock: clock.Real{}, Config: Config{Enabled: true}, Pin: failingPin{&gpiotest.Pin{N: "GPIO17"}}, Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// The screen carries on: Run idles instead of failing.
	if err := s.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if s.Active() {
		t.Fatal("a sensor whose pin cannot be armed is active")
	}
	for _, want := range []string{"GPIO17", "busy", "touch only"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log %q does not mention %q", logged.String(), want)
		}
	}
	f := checkPin(context.Background(), failingPin{&gpiotest.Pin{N: "GPIO17"}}, gpio.PullDown, gpio.RisingEdge, sysinfo.Finding{})
	if f.Status != sysinfo.Fail || !strings.Contains(f.Fix, "stop it first") {
		t.Fatalf("check of a busy pin: %v", f)
	}
}

func TestCheckPinReady(t *testing.T) {
	p := newPin("GPIO17")
	f := checkPin(context.Background(), p, gpio.PullDown, gpio.RisingEdge, sysinfo.Finding{Check: "motion sensor"})
	if f.Status != sysinfo.OK || !strings.Contains(f.Detail, "GPIO17 ready") {
		t.Fatalf("finding %v", f)
	}
	if got := strings.Join(p.calls, " "); got != "PullDown/RisingEdge PullNoChange/NoEdge" {
		t.Fatalf("pin configured as %q, want armed then released", got)
	}
}

func TestOpenPinNotFound(t *testing.T) {
	// No machine has this line: on a laptop, in CI and on a Pi alike.
	_, err := Open(Config{Enabled: true, Pin: "GPIO_NO_SUCH_LINE"})
	if !errors.Is(err, ErrPinNotFound) {
		t.Fatalf("Open error %v, want ErrPinNotFound", err)
	}
	for _, want := range []string{"GPIO_NO_SUCH_LINE", "Raspberry Pi", "gpio group"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	var logged bytes.Buffer
	s := Setup(Config{Enabled: true, Pin: "GPIO_NO_SUCH_LINE"}, clock.NewFake(time.Unix(0, 0)), slog.New(slog.NewTextHandler(&logged, nil)))
	if s.Active() || !strings.Contains(logged.String(), "gpio group") {
		t.Fatalf("Setup: active=%t, log %q", s.Active(), logged.String())
	}
	f := Check(context.Background(), Config{Enabled: true, Pin: "GPIO_NO_SUCH_LINE"})
	if f.Status != sysinfo.Fail || f.Fix == "" {
		t.Fatalf("Check = %v, want FAIL with advice", f)
	}
	if f := Check(context.Background(), Config{}); f.Status != sysinfo.OK {
		t.Fatalf("Check of a disabled sensor = %v, want OK", f)
	}
}
