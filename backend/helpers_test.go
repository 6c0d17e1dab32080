package backend

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"skaerm/internal/clock"
)

const testToken = "screen-token-d1"

// testDay is a Monday in November, 10:00 in Copenhagen.
var testDay = time.Date(2026, 11, 23, 10, 0, 0, 0, copenhagen)

type testBackend struct {
	*Running
	clock *clock.Fake
	admin Admin
	dir   string
}

// startBackend runs a demo backend on loopback with a fake clock at testDay.
func startBackend(t *testing.T, change ...func(*Options)) *testBackend {
	t.Helper()
	fake := clock.NewFake(testDay)
	dir := t.TempDir()
	opts := Options{DataDir: dir, Tokens: []string{testToken}, Demo: true, Clock: fake}
	for _, c := range change {
		c(&opts)
	}
	r, err := Start(context.Background(), "127.0.0.1:0", opts)
	if err != nil {
		t.Fatalf("start backend: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("close backend: %v", err)
		}
	})
	return &testBackend{Running: r, clock: fake, admin: Admin{BaseURL: r.URL}, dir: dir}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request and reads the whole answer.
func do(t *testing.T, method, url, token string, body io.Reader, headers ...string) response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return response{resp.StatusCode, resp.Header, data}
}

func (tb *testBackend) get(t *testing.T, path string, headers ...string) response {
	t.Helper()
	return do(t, http.MethodGet, tb.URL+path, testToken, nil, headers...)
}

func (tb *testBackend) postJSON(t *testing.T, path string, v any) response {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, http.MethodPost, tb.URL+path, testToken, bytes.NewReader(data), "Content-Type", "application/json")
}

// board fetches and decodes the d1 board.
func (tb *testBackend) board(t *testing.T) (*Board, string) {
	t.Helper()
	r := tb.get(t, "/api/screen/v1/board")
	if r.status != http.StatusOK {
		t.Fatalf("board: %d %s", r.status, r.body)
	}
	var b Board
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatalf("decode board: %v", err)
	}
	return &b, r.header.Get("ETag")
}

// wantJSONError checks an error answer: status, JSON body with error and
// message, and the error code when code is not empty.
func wantJSONError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d (body %s)", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q, want JSON", ct)
	}
	var e struct{ Error, Message string }
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error == "" || e.Message == "" {
		t.Errorf("body %q is not {error, message}: %v", r.body, err)
	}
	if code != "" && e.Error != code {
		t.Errorf("error %q, want %q", e.Error, code)
	}
}

// sse is an open /events stream.
type sse struct {
	r      *bufio.Reader
	cancel context.CancelFunc
}

func (tb *testBackend) events(t *testing.T, token string) *sse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tb.URL+"/api/screen/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open events: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &sse{r: bufio.NewReader(resp.Body), cancel: func() { cancel(); resp.Body.Close() }}
	t.Cleanup(s.cancel)
	if block := s.next(t); !strings.Contains(block, ": connected") {
		t.Fatalf("first block %q, want the connected comment", block)
	}
	return s
}

// next reads one block (up to a blank line).
func (s *sse) next(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("read events: %v (so far %q)", err, b.String())
		}
		if line == "\n" {
			if b.Len() > 0 {
				return b.String()
			}
			continue
		}
		b.WriteString(line)
	}
}

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func clockAt(t time.Time) *clock.Fake { return clock.NewFake(t) }
