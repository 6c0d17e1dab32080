package backend

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults make the Screen API misbehave on purpose so reliability tests can
// watch a screen cope. The admin API sets one fault at a time; it touches
// only /api/screen/v1/ requests whose path starts with Fault.Path.

// Fault modes besides "status:NNN".
const (
	FaultRefuse           = "refuse"             // drop the connection without an answer
	FaultSlow             = "slow"               // answer after Fault.Delay
	FaultStall            = "stall"              // never answer
	FaultTruncate         = "truncate"           // send half the body, then drop the connection
	FaultInvalidJSON      = "invalid_json"       // 200 with a body that is not JSON
	FaultWrongContentType = "wrong_content_type" // 200 text/html, like a captive portal
	FaultHuge             = "huge"               // 200 with an endless-looking JSON body of Fault.Size bytes
	FaultStallEvents      = "stall_events"       // /events opens and then never sends a byte
	FaultCorruptMedia     = "corrupt_media"      // media with one byte flipped (wrong hash)
)

func (f Fault) check() error {
	switch f.Mode {
	case "", FaultRefuse, FaultSlow, FaultStall, FaultTruncate, FaultInvalidJSON, FaultWrongContentType,
		FaultHuge, FaultStallEvents, FaultCorruptMedia:
		return nil
	}
	if code, ok := strings.CutPrefix(f.Mode, "status:"); ok {
		if n, err := strconv.Atoi(code); err == nil && n >= 400 && n <= 599 {
			return nil
		}
	}
	return fmt.Errorf("unknown fault mode %q", f.Mode)
}

type faultState struct {
	mu sync.Mutex
	f  Fault
}

func (fs *faultState) set(f Fault) {
	fs.mu.Lock()
	fs.f = f
	fs.mu.Unlock()
}

func (fs *faultState) get() Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

// take reports the fault that applies to path now, counting it down.
func (fs *faultState) take(path string, now time.Time) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.f
	switch {
	case f.Mode == "":
		return f, false
	case !f.Until.IsZero() && !now.Before(f.Until):
		fs.f = Fault{}
		return f, false
	case !strings.HasPrefix(path, f.Path):
		return f, false
	case f.Mode == FaultStallEvents && path != "/api/screen/v1/events",
		f.Mode == FaultCorruptMedia && !strings.HasPrefix(path, "/api/screen/v1/media/"):
		return f, false
	}
	if f.Count > 0 {
		fs.f.Count--
		if fs.f.Count == 0 {
			fs.f = Fault{}
		}
	}
	return f, true
}

func (s *Server) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.take(r.URL.Path, s.clock.Now())
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if code, isStatus := strings.CutPrefix(f.Mode, "status:"); isStatus {
			n, _ := strconv.Atoi(code)
			if n == http.StatusServiceUnavailable || n == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, f.RetryAfter)))
			}
			writeError(w, n, "fault", "injected fault "+f.Mode)
			return
		}
		switch f.Mode {
		case FaultRefuse:
			panic(http.ErrAbortHandler)
		case FaultSlow:
			d := f.Delay
			if d <= 0 {
				d = 5 * time.Second
			}
			select {
			case <-s.clock.After(d):
			case <-r.Context().Done():
				return
			case <-s.quit:
				return
			}
			next.ServeHTTP(w, r)
		case FaultStall:
			select {
			case <-r.Context().Done():
			case <-s.quit:
			}
		case FaultStallEvents:
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
			case <-s.quit:
			}
		case FaultInvalidJSON:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("ETag", `"not-json"`)
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"generated_at": "2026-11-23T06:00:00Z", "department": {"id": "d1", "name": ]]`))
		case FaultWrongContentType:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("<!doctype html><html><body><h1>Log ind på gæstenettet</h1><form><input name=pw></form></body></html>\n"))
		case FaultHuge:
			s.serveHuge(w, r, f.Size)
		case FaultTruncate, FaultCorruptMedia:
			rec := &bufferWriter{header: http.Header{}}
			next.ServeHTTP(rec, r)
			h := w.Header()
			for k, v := range rec.header {
				h[k] = v
			}
			body := rec.buf.Bytes()
			if f.Mode == FaultCorruptMedia {
				if len(body) > 0 {
					body = bytes.Clone(body)
					body[len(body)/2] ^= 0xFF
				}
				w.WriteHeader(rec.code())
				w.Write(body)
				return
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.code())
			w.Write(body[:len(body)/2])
			http.NewResponseController(w).Flush()
			panic(http.ErrAbortHandler)
		}
	})
}

// serveHuge streams size bytes of a JSON array that never ends in time.
func (s *Server) serveHuge(w http.ResponseWriter, r *http.Request, size int64) {
	if size <= 0 {
		size = 256 << 20
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	chunk := bytes.Repeat([]byte(`{"id":"p","first_name":"Karen"},`), 2048)
	head := []byte(`{"profiles":[`)
	w.Write(head)
	left := size - int64(len(head))
	for left > 0 {
		if r.Context().Err() != nil {
			return
		}
		n := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
}

// bufferWriter keeps a whole response in memory.
type bufferWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.buf.Write(p)
}
func (b *bufferWriter) code() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}
