package sync

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Limits of the event-stream parser. The backend's events are tiny; anything
// near these limits is a broken or hostile stream and is dropped.
const (
	maxSSELine = 16 << 10 // bytes in one line
	maxSSEData = 64 << 10 // bytes of data in one event
)

// sseEvent is one item read from an event stream: a dispatched event, or a
// comment (Comment true), which the backend sends as a keep-alive.
type sseEvent struct {
	Type    string        // "message" when the stream names none
	Data    string        // data lines joined by "\n"
	ID      string        // last event id seen
	Retry   time.Duration // reconnection time the server asked for, 0 if none
	Comment bool
}

// sseParser reads text/event-stream (the WHATWG format): lines end in LF,
// CRLF or a lone CR; "field: value" lines build an event that a blank line
// dispatches; lines starting with ':' are comments. Unlike a browser it also
// dispatches an event that has a type but no data (the backend's "sync" needs
// none).
type sseParser struct {
	r      *bufio.Reader
	line   []byte
	lastCR bool // the previous line ended in CR: a following LF belongs to it
	bom    bool // the leading byte order mark has been dealt with

	typ, id string
	data    strings.Builder
	hasData bool
	retry   time.Duration
}

func newSSEParser(r io.Reader) *sseParser {
	return &sseParser{r: bufio.NewReaderSize(r, 4096)}
}

// Next returns the next event or comment. At the end of the stream it
// returns io.EOF (an event not yet dispatched by a blank line is discarded,
// as the format says). A line longer than maxSSELine returns
// errSSELineTooLong.
func (p *sseParser) Next() (sseEvent, error) {
	for {
		line, err := p.readLine()
		if err != nil {
			return sseEvent{}, err
		}
		if len(line) == 0 {
			if ev, ok := p.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		if line[0] == ':' {
			return sseEvent{Comment: true, Data: strings.TrimPrefix(string(line[1:]), " ")}, nil
		}
		field, value := string(line), ""
		if i := strings.IndexByte(field, ':'); i >= 0 {
			field, value = field[:i], strings.TrimPrefix(field[i+1:], " ")
		}
		switch field {
		case "event":
			p.typ = value
		case "data":
			if p.data.Len()+len(value)+1 > maxSSEData {
				return sseEvent{}, fmt.Errorf("%w: event data over %d bytes", errSSELineTooLong, maxSSEData)
			}
			if p.hasData {
				p.data.WriteByte('\n')
			}
			p.data.WriteString(value)
			p.hasData = true
		case "id":
			if !strings.ContainsRune(value, 0) {
				p.id = value
			}
		case "retry":
			if ms, err := strconv.ParseUint(value, 10, 31); err == nil && value != "" && strings.Trim(value, "0123456789") == "" {
				p.retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
}

// dispatch ends the event being built. An empty one (no type, no data) is
// not an event.
func (p *sseParser) dispatch() (sseEvent, bool) {
	defer func() {
		p.typ, p.hasData = "", false
		p.data.Reset()
	}()
	if p.typ == "" && !p.hasData {
		return sseEvent{}, false
	}
	ev := sseEvent{Type: p.typ, Data: p.data.String(), ID: p.id, Retry: p.retry}
	if ev.Type == "" {
		ev.Type = "message"
	}
	return ev, true
}

// readLine returns one line without its terminator. The returned slice is
// valid until the next call.
func (p *sseParser) readLine() ([]byte, error) {
	p.line = p.line[:0]
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			if err == io.EOF && len(p.line) > 0 {
				// A last line without a terminator is incomplete: drop it.
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if !p.bom {
			p.bom = true
			// U+FEFF at the very start is EF BB BF; skip it whole.
			if c == 0xEF {
				if b, err := p.r.Peek(2); err == nil && b[0] == 0xBB && b[1] == 0xBF {
					p.r.Discard(2)
					continue
				}
			}
		}
		lastCR := p.lastCR
		p.lastCR = false
		switch c {
		case '\n':
			if lastCR && len(p.line) == 0 {
				continue // the LF of a CRLF
			}
			return p.line, nil
		case '\r':
			p.lastCR = true
			return p.line, nil
		}
		if len(p.line) >= maxSSELine {
			return nil, fmt.Errorf("%w: over %d bytes", errSSELineTooLong, maxSSELine)
		}
		p.line = append(p.line, c)
	}
}
