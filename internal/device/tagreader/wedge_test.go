package tagreader

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
	"time"
)

// Key codes as a US/DK keyboard layout types them.
var charKeys = map[rune]uint16{
	'1': 2, '2': 3, '3': 4, '4': 5, '5': 6, '6': 7, '7': 8, '8': 9, '9': 10, '0': 11,
	'A': 30, 'B': 48, 'C': 46, 'D': 32, 'E': 18, 'F': 33,
}

const (
	evMsc      = 0x04
	mscScan    = 0x04
	keyLShift  = 42
	keyQ       = 16
	keyKP1     = 79
	keyCapital = 58
)

// typed is the event stream a wedge reader sends for s then Enter, as a
// USB HID keyboard does: for each key an MSC_SCAN, the press, a SYN, then
// the release and a SYN; upper-case letters with shift held, a few
// milliseconds apart.
func typed(start time.Duration, s string) []Event {
	var out []Event
	t := start
	key := func(code uint16, value int32) {
		out = append(out,
			Event{Time: t, Type: evMsc, Code: mscScan, Value: 0x70000 + int32(code)},
			Event{Time: t, Type: evKey, Code: code, Value: value},
			Event{Time: t, Type: evSyn})
		t += 4 * time.Millisecond
	}
	for _, c := range s {
		shift := c >= 'A' && c <= 'F'
		if shift {
			key(keyLShift, 1)
		}
		key(charKeys[c], 1)
		key(charKeys[c], 0)
		if shift {
			key(keyLShift, 0)
		}
	}
	key(keyEnter, 1)
	key(keyEnter, 0)
	return out
}

func stream(word int, events ...[]Event) []byte {
	var b []byte
	for _, es := range events {
		for _, e := range es {
			b = appendEvent(b, e, word)
		}
	}
	return b
}

// chunked reads a few bytes at a time, so events arrive split.
type chunked struct {
	r io.Reader
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

func TestWedgeStream(t *testing.T) {
	base := 1764500000 * time.Second
	// An EM4100 reader types ten decimal digits; a MIFARE reader the UID
	// in hex (upper case, with shift). Between them, a partial id followed
	// by a long pause, and a stray key, are thrown away.
	events := stream(int(wordSize()),
		typed(base, "0008123456"),
		typed(base+2*time.Second, "04A1B2C3D4E5F6"),
		[]Event{{Time: base + 3*time.Second, Type: evKey, Code: charKeys['1'], Value: 1}},
		typed(base+4*time.Second, "04C0FFEE123480"),
		[]Event{{Time: base + 5*time.Second, Type: evKey, Code: keyQ, Value: 1}},
		typed(base+5*time.Second+time.Millisecond, "12"), // too short
		typed(base+6*time.Second, "0012345678"),
	)
	var got []string
	err := ReadTags(&chunked{bytes.NewReader(events), 37}, func(tag string) { got = append(got, tag) })
	if !errors.Is(err, io.EOF) {
		t.Fatalf("ReadTags: %v, want io.EOF at the end", err)
	}
	want := []string{"0008123456", "04a1b2c3d4e5f6", "04c0ffee123480", "0012345678"}
	if !slices.Equal(got, want) {
		t.Errorf("tags %q, want %q", got, want)
	}
}

func TestWedgeRules(t *testing.T) {
	base := time.Hour
	feed := func(es []Event) []string {
		var w Wedge
		var out []string
		for _, e := range es {
			if tag, ok := w.Feed(e); ok {
				out = append(out, tag)
			}
		}
		return out
	}
	// A pause longer than keyGap inside an id drops the first part.
	slow := append(typed(base, "1234")[:12], typed(base+time.Second, "5678")...)
	if got := feed(slow); !slices.Equal(got, []string{"5678"}) {
		t.Errorf("slow typing: %q", got)
	}
	// Too long: dropped whole.
	long := typed(base, "0123456789ABCDEF0123456789ABCDEF0")
	if got := feed(long); len(got) != 0 {
		t.Errorf("33 characters: %q", got)
	}
	// The keypad's digits and Enter, and repeats, work as readers send them.
	kp := []Event{{Time: base, Type: evKey, Code: keyKP1, Value: 1}, {Time: base, Type: evKey, Code: keyKP1, Value: 2},
		{Time: base, Type: evKey, Code: keyKP1, Value: 1}, {Time: base, Type: evKey, Code: keyKP1, Value: 1},
		{Time: base, Type: evKey, Code: keyKP1, Value: 1}, {Time: base, Type: evKey, Code: keyKPEnter, Value: 1}}
	if got := feed(kp); !slices.Equal(got, []string{"1111"}) {
		t.Errorf("keypad: %q", got)
	}
	// Caps lock pressed by the reader is not part of the id.
	caps := append([]Event{{Time: base, Type: evKey, Code: keyCapital, Value: 1}}, typed(base, "ABCD")...)
	if got := feed(caps); !slices.Equal(got, []string{"abcd"}) {
		t.Errorf("caps lock: %q", got)
	}
}

func TestEventLayouts(t *testing.T) {
	e := Event{Time: 1764500000*time.Second + 123456*time.Microsecond, Type: evKey, Code: keyEnter, Value: 1}
	for _, word := range []int{4, 8} {
		b := appendEvent(nil, e, word)
		if len(b) != 2*word+8 {
			t.Errorf("word %d: %d bytes", word, len(b))
		}
		got, n := parseEvents(append(b, 1, 2, 3), word)
		if n != len(b) || len(got) != 1 || got[0] != e {
			t.Errorf("word %d: parsed %+v (%d bytes)", word, got, n)
		}
	}
	if eventSize != 2*int(wordSize())+8 {
		t.Errorf("eventSize %d", eventSize)
	}
}
