package sync

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func readAll(t testing.TB, s string) ([]sseEvent, error) {
	t.Helper()
	p := newSSEParser(strings.NewReader(s))
	var out []sseEvent
	for {
		ev, err := p.Next()
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

func TestSSEParser(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []sseEvent
		wantErr error
	}{
		{name: "sync without data", in: "event: sync\n\n",
			want: []sseEvent{{Type: "sync"}}},
		{name: "CRLF", in: "event: sync\r\ndata: x\r\n\r\n",
			want: []sseEvent{{Type: "sync", Data: "x"}}},
		{name: "lone CR", in: "event: reload\rdata: y\r\r",
			want: []sseEvent{{Type: "reload", Data: "y"}}},
		{name: "comment keep-alive", in: ": ping\n\n",
			want: []sseEvent{{Comment: true, Data: "ping"}}},
		{name: "data lines joined, message by default", in: "data: a\ndata:b\ndata\n\n",
			want: []sseEvent{{Type: "message", Data: "a\nb\n"}}},
		{name: "one space after the colon is removed", in: "data:  two\n\n",
			want: []sseEvent{{Type: "message", Data: " two"}}},
		{name: "id and retry carried", in: "id: 7\nretry: 2500\nevent: sync\n\nevent: screenshot\n\n",
			want: []sseEvent{{Type: "sync", ID: "7", Retry: 2500 * time.Millisecond}, {Type: "screenshot", ID: "7", Retry: 2500 * time.Millisecond}}},
		{name: "bad retry ignored", in: "retry: 1s\nretry: -5\nevent: sync\n\n",
			want: []sseEvent{{Type: "sync"}}},
		{name: "unknown field ignored", in: "foo: bar\nevent: sync\n\n",
			want: []sseEvent{{Type: "sync"}}},
		{name: "blank lines alone dispatch nothing", in: "\n\n\r\n\r\n",
			want: nil},
		{name: "byte order mark", in: "\xEF\xBB\xBFevent: sync\n\n",
			want: []sseEvent{{Type: "sync"}}},
		{name: "event type resets after dispatch", in: "event: sync\ndata: 1\n\ndata: 2\n\n",
			want: []sseEvent{{Type: "sync", Data: "1"}, {Type: "message", Data: "2"}}},
		{name: "unfinished event discarded at the end", in: "event: sync\n\nevent: reload\n",
			want: []sseEvent{{Type: "sync"}}},
		{name: "unterminated last line", in: "event: sync\n\nevent: rel", wantErr: io.ErrUnexpectedEOF,
			want: []sseEvent{{Type: "sync"}}},
		{name: "line too long", in: "data: " + strings.Repeat("x", maxSSELine) + "\n\n", wantErr: errSSELineTooLong},
		{name: "data too long", in: strings.Repeat("data: "+strings.Repeat("x", 1000)+"\n", 100) + "\n", wantErr: errSSELineTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.in)
			want := tt.wantErr
			if want == nil {
				want = io.EOF
			}
			if !errors.Is(err, want) {
				t.Errorf("error = %v, want %v", err, want)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("events = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("event %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestSSESplitReads feeds a stream one byte at a time: a CRLF split across
// reads must not produce an extra blank line.
func TestSSESplitReads(t *testing.T) {
	in := "event: sync\r\n\r\n: ping\r\nevent: reload\r\n\r\n"
	p := newSSEParser(&oneByteReader{s: in})
	var types []string
	for {
		ev, err := p.Next()
		if err != nil {
			break
		}
		types = append(types, ev.Type)
	}
	if got := strings.Join(types, ","); got != "sync,,reload" {
		t.Errorf("got %q, want sync,,reload", got)
	}
}

type oneByteReader struct{ s string }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.s[0]
	r.s = r.s[1:]
	return 1, nil
}

// FuzzSSEParser checks the parser never panics, never returns more data
// than the stream held and honours its limits.
func FuzzSSEParser(f *testing.F) {
	for _, s := range []string{"event: sync\n\n", ": ping\r\n", "data: a\rdata: b\r\r", "retry: 10\nid: x\n\n", "\xEF\xBB\xBF:\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := newSSEParser(strings.NewReader(s))
		for i := 0; i < len(s)+1; i++ {
			ev, err := p.Next()
			if err != nil {
				return
			}
			if len(ev.Data) > len(s) || len(ev.Data) > maxSSEData || len(ev.Type) > maxSSELine {
				t.Fatalf("event larger than its input: %+v", ev)
			}
		}
		t.Fatalf("more events than bytes in %q", s)
	})
}
