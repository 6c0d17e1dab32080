package tagreader

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"periph.io/x/conn/v3/conntest"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spitest"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

// The SPI address bytes of the registers used, written out from the
// datasheet's address format (MFRC522 rev. 3.9, 8.1.2.3: bit 7 read, bits
// 6..1 the address of table 20, bit 0 zero) rather than computed, so the
// test checks the code's arithmetic.
var addr = map[byte]struct{ w, r byte }{
	0x01: {0x02, 0x82}, // CommandReg
	0x04: {0x08, 0x88}, // ComIrqReg
	0x06: {0x0C, 0x8C}, // ErrorReg
	0x09: {0x12, 0x92}, // FIFODataReg
	0x0A: {0x14, 0x94}, // FIFOLevelReg
	0x0C: {0x18, 0x98}, // ControlReg
	0x0D: {0x1A, 0x9A}, // BitFramingReg
	0x0E: {0x1C, 0x9C}, // CollReg
	0x11: {0x22, 0xA2}, // ModeReg
	0x14: {0x28, 0xA8}, // TxControlReg
	0x15: {0x2A, 0xAA}, // TxASKReg
	0x2A: {0x54, 0xD4}, // TModeReg
	0x2B: {0x56, 0xD6}, // TPrescalerReg
	0x2C: {0x58, 0xD8}, // TReloadReg high
	0x2D: {0x5A, 0xDA}, // TReloadReg low
	0x37: {0x6E, 0xEE}, // VersionReg
}

type script struct{ ops []conntest.IO }

func (s *script) rd(reg, val byte) {
	s.ops = append(s.ops, conntest.IO{W: []byte{addr[reg].r, 0}, R: []byte{0, val}})
}

func (s *script) wr(reg byte, data ...byte) {
	w := append([]byte{addr[reg].w}, data...)
	s.ops = append(s.ops, conntest.IO{W: w, R: make([]byte, len(w))})
}

// transceive is the chip's side of one exchange: the writes that start it,
// then the card's answer (nil: the timer runs out).
func (s *script) transceive(send []byte, bits byte, answer []byte, lastBits byte) {
	s.wr(0x01, 0x00)
	s.wr(0x04, 0x7F)
	s.wr(0x0A, 0x80)
	s.wr(0x09, send...)
	s.wr(0x0D, bits)
	s.wr(0x01, 0x0C)
	s.wr(0x0D, 0x80|bits)
	if answer == nil {
		s.rd(0x04, 0x01) // TimerIRq
		return
	}
	s.rd(0x04, 0x00) // still busy once
	s.rd(0x04, 0x30) // RxIRq | IdleIRq
	s.rd(0x06, 0x00)
	s.rd(0x0A, byte(len(answer)))
	w := make([]byte, len(answer)+1)
	for i := range answer {
		w[i] = 0x92
	}
	s.ops = append(s.ops, conntest.IO{W: w, R: append([]byte{0}, answer...)})
	s.rd(0x0C, lastBits)
}

func (s *script) init() {
	s.rd(0x37, 0x92) // MFRC522 version 2.0
	s.wr(0x01, 0x0F)
	s.wr(0x2A, 0x80)
	s.wr(0x2B, 0xA9)
	s.wr(0x2C, 0x03)
	s.wr(0x2D, 0xE8)
	s.wr(0x15, 0x40)
	s.wr(0x11, 0x3D)
	s.rd(0x14, 0x80)
	s.wr(0x14, 0x83)
}

func playback(t *testing.T, s *script) (spi.Conn, func()) {
	t.Helper()
	p := &spitest.Playback{Playback: conntest.Playback{Ops: s.ops, DontPanic: true}}
	c, err := p.Connect(physic.MegaHertz, spi.Mode0, 8)
	if err != nil {
		t.Fatal(err)
	}
	return c, func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	}
}

// CRC_A values from ISO/IEC 14443-3 Annex B and from the frames cards send
// (SAK 08 of a MIFARE Classic 1K is followed by B6 DD).
func TestCRCA(t *testing.T) {
	for _, c := range []struct{ in, crc []byte }{
		{[]byte{0x00, 0x00}, []byte{0xA0, 0x1E}},
		{[]byte{0x12, 0x34}, []byte{0x26, 0xCF}},
		{[]byte{0x50, 0x00}, []byte{0x57, 0xCD}}, // HLTA
		{[]byte{0x08}, []byte{0xB6, 0xDD}},
		{[]byte{0x04}, []byte{0xDA, 0x17}},
		{[]byte{0x00}, []byte{0xFE, 0x51}},
	} {
		got := appendCRCA(append([]byte(nil), c.in...))[len(c.in):]
		if got[0] != c.crc[0] || got[1] != c.crc[1] {
			t.Errorf("CRC_A(% X) = % X, want % X", c.in, got, c.crc)
		}
	}
}

// TestMFRC522FourByteUID: a MIFARE Classic 1K (ATQA 04 00, SAK 08) with
// UID 12 34 56 78.
func TestMFRC522FourByteUID(t *testing.T) {
	var s script
	s.init()
	s.wr(0x0E, 0x80)
	s.transceive([]byte{0x26}, 7, []byte{0x04, 0x00}, 0)
	s.transceive([]byte{0x93, 0x20}, 0, []byte{0x12, 0x34, 0x56, 0x78, 0x08}, 0)
	sel := []byte{0x93, 0x70, 0x12, 0x34, 0x56, 0x78, 0x08}
	s.transceive(appendCRCA(sel), 0, []byte{0x08, 0xB6, 0xDD}, 0)
	s.transceive([]byte{0x50, 0x00, 0x57, 0xCD}, 0, nil, 0) // HLTA: no answer
	// Then the card is halted: the next REQA times out.
	s.wr(0x0E, 0x80)
	s.transceive([]byte{0x26}, 7, nil, 0)

	c, done := playback(t, &s)
	defer done()
	m, err := NewMFRC522(c)
	if err != nil {
		t.Fatal(err)
	}
	uid, err := m.ReadUID()
	if err != nil || uid != "12345678" {
		t.Fatalf("ReadUID = %q, %v", uid, err)
	}
	if _, err := m.ReadUID(); !errors.Is(err, ErrNoCard) {
		t.Errorf("halted card: %v, want ErrNoCard", err)
	}
}

// TestMFRC522SevenByteUID: a MIFARE Ultralight/NTAG (ATQA 44 00) with UID
// 04 A1 B2 C3 D4 E5 F6 needs two cascade levels; the first carries the
// cascade tag 88 and SAK 04 (UID not complete).
func TestMFRC522SevenByteUID(t *testing.T) {
	var s script
	s.init()
	s.wr(0x0E, 0x80)
	s.transceive([]byte{0x26}, 7, []byte{0x44, 0x00}, 0)
	cl1 := []byte{0x88, 0x04, 0xA1, 0xB2, 0x88 ^ 0x04 ^ 0xA1 ^ 0xB2}
	s.transceive([]byte{0x93, 0x20}, 0, cl1, 0)
	s.transceive(appendCRCA(append([]byte{0x93, 0x70}, cl1...)), 0, []byte{0x04, 0xDA, 0x17}, 0)
	cl2 := []byte{0xC3, 0xD4, 0xE5, 0xF6, 0xC3 ^ 0xD4 ^ 0xE5 ^ 0xF6}
	s.transceive([]byte{0x95, 0x20}, 0, cl2, 0)
	s.transceive(appendCRCA(append([]byte{0x95, 0x70}, cl2...)), 0, []byte{0x00, 0xFE, 0x51}, 0)
	s.transceive([]byte{0x50, 0x00, 0x57, 0xCD}, 0, nil, 0)

	c, done := playback(t, &s)
	defer done()
	m, err := NewMFRC522(c)
	if err != nil {
		t.Fatal(err)
	}
	uid, err := m.ReadUID()
	if err != nil || uid != "04a1b2c3d4e5f6" {
		t.Fatalf("ReadUID = %q, %v", uid, err)
	}
}

func TestMFRC522Faults(t *testing.T) {
	// No chip: the version register reads 0x00.
	var none script
	none.rd(0x37, 0x00)
	c, done := playback(t, &none)
	if _, err := NewMFRC522(c); !errors.Is(err, ErrNoChip) {
		t.Errorf("no chip: %v", err)
	}
	done()

	// A bad check byte in the anticollision answer.
	var bad script
	bad.init()
	bad.wr(0x0E, 0x80)
	bad.transceive([]byte{0x26}, 7, []byte{0x04, 0x00}, 0)
	bad.transceive([]byte{0x93, 0x20}, 0, []byte{0x12, 0x34, 0x56, 0x78, 0x00}, 0)
	c, done = playback(t, &bad)
	defer done()
	m, err := NewMFRC522(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ReadUID(); !errors.Is(err, ErrCardComm) {
		t.Errorf("bad BCC: %v", err)
	}
}

// TestPollMFRC522 reads one card, then finds the field empty.
func TestPollMFRC522(t *testing.T) {
	var s script
	s.init()
	s.wr(0x0E, 0x80)
	s.transceive([]byte{0x26}, 7, []byte{0x04, 0x00}, 0)
	s.transceive([]byte{0x93, 0x20}, 0, []byte{0x12, 0x34, 0x56, 0x78, 0x08}, 0)
	s.transceive(appendCRCA([]byte{0x93, 0x70, 0x12, 0x34, 0x56, 0x78, 0x08}), 0, []byte{0x08, 0xB6, 0xDD}, 0)
	s.transceive([]byte{0x50, 0x00, 0x57, 0xCD}, 0, nil, 0)
	s.wr(0x0E, 0x80)
	s.transceive([]byte{0x26}, 7, nil, 0)
	p := &spitest.Playback{Playback: conntest.Playback{Ops: s.ops, DontPanic: true}}
	c, err := p.Connect(physic.MegaHertz, spi.Mode0, 8)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMFRC522(c)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	tags := make(chan string, 2)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		PollMFRC522(ctx, m, clk, slog.New(slog.DiscardHandler), func(tag string) { tags <- tag })
	}()
	if got := <-tags; got != "12345678" {
		t.Errorf("tag %q", got)
	}
	wait.Until(t, "the poll timer", func() bool { return clk.Waiters() > 0 })
	clk.Advance(pollEvery)
	wait.Until(t, "the second poll", func() bool {
		p.Lock()
		defer p.Unlock()
		return p.Count == len(p.Ops)
	})
	cancel()
	<-finished
	if err := p.Close(); err != nil {
		t.Error(err)
	}
	if len(tags) != 0 {
		t.Errorf("a halted card was read again")
	}
}
