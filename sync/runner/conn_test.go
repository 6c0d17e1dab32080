package runner

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// karen is a demo resident with a screen login.
const karen, karenPIN = "p1", "2580"

// TestPairingReachesTheLogin: a screen that starts unpaired offers no
// login; once the runner has paired it, the personal login on the same
// connection offers login and logs in with the token from pairing, without
// being told. When the backend stops accepting that token, login is no
// longer offered and nothing is sent with the old token any more, by the
// login or anyone; after the screen is paired again it logs in with the
// new token.
func TestPairingReachesTheLogin(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sb := startScreenBackend(t)
	conn, err := sync.NewBackend(sb.URL, sb.CAFile, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	login, err := sync.NewLogin(sync.LoginOptions{Backend: conn, Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	shown := new(pairing.Shown)
	// A short poll interval, so that the sync soon meets a revoked token.
	r, err := New(Deps{Clock: clock.Real{}, Sync: sync.Options{Clock: clock.Real{}, Backend: conn, MaxMediaBytes: 1, PollInterval: 300 * time.Millisecond},
		Cache: openCache(t), Shown: shown, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var wg gosync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Go(func() { login.Run(ctx) })
	done := make(chan error, 1)
	wg.Go(func() { done <- r.Run(ctx) })

	if login.Offered() {
		t.Error("login offered before the screen is paired")
	}
	sb.approve(t, ctx, waitCode(t, shown, done, "the first pairing code"))
	wait.Until(t, "login offered once the runner has paired the screen", login.Offered)
	first := conn.Token()
	if _, err := login.LoginPIN(ctx, karen, karenPIN); err != nil {
		t.Fatalf("login after pairing: %v", err)
	}
	login.Logout(ctx, sync.EndLogout)
	if got := sb.tokens(0, "/sessions"); len(got) == 0 || got[0] != first {
		t.Errorf("the login was sent with tokens %q, want the one from pairing", got)
	}

	// The backend stops accepting the token: the sync meets it, and the
	// runner pairs the screen again.
	sb.revoke(first)
	code := waitCode(t, shown, done, "a new pairing code after the backend refused the token")
	from := sb.count()
	if login.Offered() {
		t.Error("login offered with the token the backend refused")
	}
	if _, err := login.LoginPIN(ctx, karen, karenPIN); !errors.Is(err, sync.ErrConfig) {
		t.Errorf("login while the screen waits to be paired again: %v, want ErrConfig (no token)", err)
	}
	if got := sb.tokens(from, "/sessions"); len(got) != 0 {
		t.Errorf("a login was sent while the screen waits to be paired again, with tokens %q", got)
	}
	sb.approve(t, ctx, code)
	wait.Until(t, "login offered again after the new pairing", login.Offered)
	second := conn.Token()
	if second == "" || second == first {
		t.Fatalf("token after pairing again = %q (the first was %q)", second, first)
	}
	if _, err := login.LoginPIN(ctx, karen, karenPIN); err != nil {
		t.Fatalf("login after pairing again: %v", err)
	}
	login.Logout(ctx, sync.EndLogout)
	if got := sb.tokens(from, "/sessions"); len(got) == 0 || got[0] != second {
		t.Errorf("after pairing again the login was sent with tokens %q, want the new one", got)
	}
	if slices.Contains(sb.tokens(from, ""), first) {
		t.Error("a request carried the refused token after the screen went back to pairing")
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}
}

// TestOneConnectionToTheBackend: pairing, the sync (its event stream
// included) and the personal login reach the backend over one connection
// (HTTP/2 over TLS, as a screen's backend usually answers): they share one
// pool of connections, and one TLS session.
func TestOneConnectionToTheBackend(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sb := startScreenBackend(t)
	c := openCache(t)
	conn, err := sync.NewBackend(sb.URL, sb.CAFile, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	// The login's requests come from this test, after the first sync.
	login, err := sync.NewLogin(sync.LoginOptions{Backend: conn, Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	shown := new(pairing.Shown)
	r, err := New(Deps{Clock: clock.Real{}, Sync: sync.Options{Clock: clock.Real{}, Backend: conn, MaxMediaBytes: 1}, Cache: c, Shown: shown, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	sb.approve(t, ctx, waitCode(t, shown, done, "a pairing code"))
	wait.Until(t, "the first sync", func() bool {
		m, err := c.Meta()
		if err != nil {
			t.Fatal(err)
		}
		return !m.LastSync.IsZero() && m.LastError == ""
	})
	if _, err := login.LoginPIN(ctx, karen, karenPIN); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, err := login.Page(ctx); err != nil {
		t.Fatalf("Min side: %v", err)
	}
	login.Logout(ctx, sync.EndLogout)
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}

	for _, p := range []string{pairing.TokenPath, "/api/screen/v1/events", "/api/screen/v1/board", "/api/screen/v1/sessions"} {
		if len(sb.from(p)) == 0 {
			t.Errorf("no request to %s", p)
		}
	}
	if !sb.allHTTP2() {
		t.Fatal("requests came over HTTP/1: the screen's client should speak HTTP/2 to a TLS backend that offers it")
	}
	if all := sb.from(""); len(all) != 1 {
		t.Errorf("the screen reached its backend over %d connections, want 1:", len(all))
		for addr, paths := range all {
			t.Logf("  %s: %s", addr, strings.Join(paths, ", "))
		}
	}
}

// screenBackend is the demo reference backend behind an HTTP/2 TLS server
// that notes every Screen API request and can refuse a token as a revoked
// one.
type screenBackend struct {
	URL    string // https://127.0.0.1:port
	CAFile string // the server's certificate, for NewBackend
	admin  backend.Admin

	mu      gosync.Mutex
	seen    []seenRequest
	revoked map[string]bool
}

type seenRequest struct {
	path, token, remote string
	http2               bool
}

func startScreenBackend(t *testing.T) *screenBackend {
	t.Helper()
	srv, err := backend.New(backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Demo: true, PollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sb := &screenBackend{revoked: map[string]bool{}}
	api := srv.Handler()
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/screen/v1/") {
			tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			sb.mu.Lock()
			refused := tok != "" && sb.revoked[tok]
			sb.seen = append(sb.seen, seenRequest{path: r.URL.Path, token: tok, remote: r.RemoteAddr, http2: r.ProtoMajor == 2})
			sb.mu.Unlock()
			if refused {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"error":"unauthorized","message":"the token was revoked"}`)
				return
			}
		}
		api.ServeHTTP(w, r)
	}))
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(ts.Close)
	t.Cleanup(func() { srv.Close() }) // first: it ends the event streams ts.Close waits for
	sb.URL = ts.URL
	sb.CAFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(sb.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	sb.admin = backend.Admin{BaseURL: ts.URL, HTTP: ts.Client()}
	return sb
}

// waitCode waits until the screen shows a pairing code and returns it.
func waitCode(t *testing.T, shown *pairing.Shown, done <-chan error, what string) string {
	t.Helper()
	var code string
	wait.Until(t, what, func() bool {
		select {
		case err := <-done:
			t.Fatalf("runner stopped: %v", err)
		default:
		}
		code, _, _ = shown.Code()
		return code != ""
	})
	return code
}

// approve approves a pairing code for the demo department, as staff do in
// the Manager.
func (sb *screenBackend) approve(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	if err := sb.admin.ApprovePairing(ctx, code, "d1"); err != nil {
		t.Fatal(err)
	}
}

// revoke makes the backend refuse tok from now on.
func (sb *screenBackend) revoke(tok string) {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.revoked[tok] = true
}

// count is how many Screen API requests have come so far.
func (sb *screenBackend) count() int {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return len(sb.seen)
}

// tokens are the tokens of the requests from the from-th on whose path ends
// in suffix.
func (sb *screenBackend) tokens(from int, suffix string) []string {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	var out []string
	for _, r := range sb.seen[from:] {
		if strings.HasSuffix(r.path, suffix) {
			out = append(out, r.token)
		}
	}
	return out
}

// from is the paths asked on each connection (by its remote address),
// of the requests whose path starts with prefix.
func (sb *screenBackend) from(prefix string) map[string][]string {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	out := map[string][]string{}
	for _, r := range sb.seen {
		if strings.HasPrefix(r.path, prefix) {
			out[r.remote] = append(out[r.remote], r.path)
		}
	}
	return out
}

// allHTTP2 reports whether every Screen API request came over HTTP/2.
func (sb *screenBackend) allHTTP2() bool {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	for _, r := range sb.seen {
		if !r.http2 {
			return false
		}
	}
	return true
}

// openCache opens an empty cache in a folder of its own, closed when the
// test ends.
func openCache(t *testing.T) *cache.Cache {
	t.Helper()
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
