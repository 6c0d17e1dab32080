package backend_test

import (
	"net/http"
	"net/http/httptest"
	"skaerm/internal/clock"
	"testing"

	"skaerm/backend"
)

// The backend's hot path under a fleet of screens: every screen's poll is a
// conditional GET of its board (a 304 when nothing changed), and every edit
// in the Manager makes each screen fetch the whole board once (a 200).
func benchBoard(b *testing.B, conditional bool) {
	s, err := backend.New(backend.Options{Clock: clock.Real{}, DataDir: b.TempDir(), Tokens: []string{"T"}, Demo: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	h := s.Handler()
	get := func(etag string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/api/screen/v1/board", nil)
		r.RemoteAddr = "192.0.2.1:1234"
		r.Header.Set("Authorization", "Bearer T")
		if etag != "" {
			r.Header.Set("If-None-Match", etag)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	first := get("")
	if first.Code != http.StatusOK {
		b.Fatalf("board: %d %s", first.Code, first.Body)
	}
	etag, want := "", http.StatusOK
	if conditional {
		etag, want = first.Header().Get("ETag"), http.StatusNotModified
	}
	if !conditional {
		b.SetBytes(int64(first.Body.Len()))
	}
	b.ReportAllocs()
	for b.Loop() {
		if w := get(etag); w.Code != want {
			b.Fatalf("board: %d, want %d", w.Code, want)
		}
	}
}

func BenchmarkBoardFull(b *testing.B)        { benchBoard(b, false) }
func BenchmarkBoardNotModified(b *testing.B) { benchBoard(b, true) }
