package tagreader

import (
	"encoding/binary"
	"io"
	"time"
	"unsafe"
)

// Linux input event types and key codes (linux/input-event-codes.h).
const (
	evSyn = 0x00
	evKey = 0x01

	keyEnter   = 28
	keyKPEnter = 96
)

// keyChars maps the key codes a wedge reader types to the characters of a
// tag id: the digits of both rows and the hex letters (shift is ignored: ids
// are compared in lower case).
var keyChars = map[uint16]byte{
	2: '1', 3: '2', 4: '3', 5: '4', 6: '5', 7: '6', 8: '7', 9: '8', 10: '9', 11: '0',
	79: '1', 80: '2', 81: '3', 75: '4', 76: '5', 77: '6', 71: '7', 72: '8', 73: '9', 82: '0',
	30: 'a', 48: 'b', 46: 'c', 32: 'd', 18: 'e', 33: 'f',
}

// Limits of a typed tag id.
const (
	MinTagLen = 4
	MaxTagLen = 32
	// keyGap is the longest pause between two keys of one id: a reader types
	// a whole id within milliseconds, so a longer pause starts a new one.
	keyGap = 500 * time.Millisecond
)

// Event is one struct input_event: the kernel's time stamp, type, code and
// value.
type Event struct {
	Time  time.Duration // since the epoch, from the kernel
	Type  uint16
	Code  uint16
	Value int32
}

// eventSize is sizeof(struct input_event) on this machine: two longs of
// time stamp (8 bytes each on arm64 and amd64, 4 on armhf), then 8 bytes.
const eventSize = 2*int(unsafe.Sizeof(uintptr(0))) + 8

// ParseEvents decodes whole input events from b in the machine's layout
// and returns them with the number of bytes used.
func ParseEvents(b []byte) ([]Event, int) {
	return parseEvents(b, int(unsafe.Sizeof(uintptr(0))))
}

func parseEvents(b []byte, word int) ([]Event, int) {
	size := 2*word + 8
	var out []Event
	n := 0
	for len(b)-n >= size {
		e := b[n : n+size]
		var sec, usec int64
		if word == 8 {
			sec, usec = int64(binary.LittleEndian.Uint64(e)), int64(binary.LittleEndian.Uint64(e[8:]))
		} else {
			sec, usec = int64(int32(binary.LittleEndian.Uint32(e))), int64(int32(binary.LittleEndian.Uint32(e[4:])))
		}
		out = append(out, Event{
			Time:  time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond,
			Type:  binary.LittleEndian.Uint16(e[2*word:]),
			Code:  binary.LittleEndian.Uint16(e[2*word+2:]),
			Value: int32(binary.LittleEndian.Uint32(e[2*word+4:])),
		})
		n += size
	}
	return out, n
}

// AppendEvent encodes e in the machine's layout (tests and uinput write
// events with it).
func AppendEvent(b []byte, e Event) []byte {
	return appendEvent(b, e, int(unsafe.Sizeof(uintptr(0))))
}

func appendEvent(b []byte, e Event, word int) []byte {
	sec, usec := int64(e.Time/time.Second), int64(e.Time%time.Second/time.Microsecond)
	if word == 8 {
		b = binary.LittleEndian.AppendUint64(b, uint64(sec))
		b = binary.LittleEndian.AppendUint64(b, uint64(usec))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(sec))
		b = binary.LittleEndian.AppendUint32(b, uint32(usec))
	}
	b = binary.LittleEndian.AppendUint16(b, e.Type)
	b = binary.LittleEndian.AppendUint16(b, e.Code)
	return binary.LittleEndian.AppendUint32(b, uint32(e.Value))
}

// Wedge turns a wedge reader's key presses into tag ids: digits and hex
// letters, then Enter. Anything else (another key, an id too short or too
// long, a pause within an id) throws the partial id away.
type Wedge struct {
	buf  [MaxTagLen]byte
	n    int
	over bool
	last time.Duration
}

// Feed takes one event and returns a whole tag id when e ends one.
func (w *Wedge) Feed(e Event) (string, bool) {
	if e.Type != evKey || e.Value != 1 { // presses only: not releases or repeats
		return "", false
	}
	if w.n > 0 && e.Time-w.last > keyGap {
		w.reset()
	}
	w.last = e.Time
	switch e.Code {
	case keyEnter, keyKPEnter:
		defer w.reset()
		if w.over || w.n < MinTagLen {
			return "", false
		}
		return string(w.buf[:w.n]), true
	}
	c, ok := keyChars[e.Code]
	if !ok {
		if !isModifier(e.Code) {
			w.reset()
		}
		return "", false
	}
	if w.n == len(w.buf) {
		w.over = true
		return "", false
	}
	w.buf[w.n] = c
	w.n++
	return "", false
}

func (w *Wedge) reset() {
	clear(w.buf[:])
	w.n, w.over = 0, false
}

// isModifier: shift, ctrl, alt and meta keys some readers press around the
// letters.
func isModifier(code uint16) bool {
	switch code {
	case 42, 54, 29, 97, 56, 100, 125, 126, 58:
		return true
	}
	return false
}

// ReadTags reads input events from r (a device, or a recorded stream) and
// hands each tag id to onTag. It returns r's error (io.EOF at the end of a
// recording).
func ReadTags(r io.Reader, onTag func(string)) error {
	var w Wedge
	buf := make([]byte, 64*eventSize)
	have := 0
	defer clear(buf)
	for {
		n, err := r.Read(buf[have:])
		have += n
		events, used := ParseEvents(buf[:have])
		for _, e := range events {
			if tag, ok := w.Feed(e); ok {
				onTag(tag)
			}
		}
		copy(buf, buf[used:have])
		clear(buf[have-used : have])
		have -= used
		if err != nil {
			w.reset()
			return err
		}
	}
}

func wordSize() uintptr { return unsafe.Sizeof(uintptr(0)) }
