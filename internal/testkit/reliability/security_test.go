package reliability

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"skaerm/internal/clock"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/cache"
	"skaerm/internal/testkit/wait"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// TestTokenFileMode: the device token is written 0600, also over a file
// that was readable by others.
func TestTokenFileMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "token")
	if err := pairing.SaveToken(path, "first-token"); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := pairing.SaveToken(path, "second-token"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, err := os.Stat(dir); err != nil || di.Mode().Perm()&0o077 != 0 {
		t.Errorf("token folder mode %v (%v), want no access for group or others", di.Mode().Perm(), err)
	}
	if tok, err := pairing.LoadToken(path); err != nil || tok != "second-token" {
		t.Errorf("LoadToken = %q, %v", tok, err)
	}
}

// minimalBoard is the smallest board a screen accepts.
const minimalBoard = `{"generated_at":"2026-11-23T06:00:00Z","department":{"id":"d1","name":"Solsikken","timezone":"Europe/Copenhagen","locale":"da"}}`

// boardServer answers /board with body and counts every request with its
// Authorization header.
type boardServer struct {
	mu       gosync.Mutex
	requests []string // "METHOD path auth"
}

func (b *boardServer) record(r *http.Request) {
	b.mu.Lock()
	b.requests = append(b.requests, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
	b.mu.Unlock()
}

func (b *boardServer) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.requests)
}

func newSyncer(t *testing.T, baseURL, caFile string, logger recorder) *sync.Syncer {
	t.Helper()
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.Real{}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: baseURL, Token: "secret-device-token", CAFile: caFile, Cache: c, Logger: slogOf(logger), Version: "sec"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTLSVerificationAlwaysOn: a backend with a certificate the screen does
// not trust fails with ErrCertificate (there is no option to skip the
// check), and succeeds once its CA is given as CAFile. Proxy variables in
// the environment are not followed either.
func TestTLSVerificationAlwaysOn(t *testing.T) {
	var seen boardServer
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.record(r)
		if r.URL.Path == "/api/screen/v1/board" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(minimalBoard))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	defer srv.Close()
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:9")
	t.Setenv("https_proxy", "http://127.0.0.1:9")

	_, err := newSyncer(t, srv.URL, "", newRecorder()).SyncOnce(context.Background())
	if !errors.Is(err, sync.ErrCertificate) {
		t.Fatalf("untrusted certificate: %v, want ErrCertificate", err)
	}
	t.Logf("untrusted certificate: %v", err)

	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := newSyncer(t, srv.URL, ca, newRecorder()).SyncOnce(context.Background()); err != nil {
		t.Fatalf("with the CA file: %v", err)
	}
	if seen.count() == 0 {
		t.Fatal("the trusted sync never reached the server")
	}
}

// TestRedirectsStayHome: a redirect to another origin is refused before
// anything is sent there, so the device token never leaves; a redirect
// within the backend's origin is followed.
func TestRedirectsStayHome(t *testing.T) {
	var foreign boardServer
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreign.record(r)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(minimalBoard))
	}))
	defer other.Close()
	pic := picture(t, 1, 32, 32)
	sum := sha256.Sum256(pic)
	hash := hex.EncodeToString(sum[:])
	var home boardServer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		home.record(r)
		switch r.URL.Path {
		case "/api/screen/v1/board":
			http.Redirect(w, r, other.URL+"/api/screen/v1/board", http.StatusFound)
		case "/api/screen/v1/board-moved":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(fmt.Sprintf(`{"generated_at":"2026-11-23T06:00:00Z","department":{"id":"d1","name":"S","timezone":"Europe/Copenhagen"},
				"news":[{"id":"n1","title":"Nyt","published":"2026-11-23T06:00:00Z","visible_on_screen":true,"image":{"sha256":"%s","url":"%s/evil.png"}}]}`, hash, other.URL)))
		case "/api/screen/v1/media/" + hash:
			http.Redirect(w, r, other.URL+"/media/"+hash, http.StatusTemporaryRedirect)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()

	_, err := newSyncer(t, srv.URL, "", newRecorder()).SyncOnce(context.Background())
	if !errors.Is(err, sync.ErrForeignRedirect) {
		t.Errorf("redirect to another origin: %v, want ErrForeignRedirect", err)
	}
	t.Logf("board redirected away: %v", err)

	// Same origin: the board moved within the backend; its picture then
	// redirects away (refused), and its "url" field is never used.
	home2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/screen/v1/board" {
			http.Redirect(w, r, "/api/screen/v1/board-moved", http.StatusFound)
			return
		}
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer home2.Close()
	rec := newRecorder()
	res, err := newSyncer(t, home2.URL, "", rec).SyncOnce(context.Background())
	if err != nil {
		t.Fatalf("redirect within the origin: %v", err)
	}
	if res.MediaFailed != 1 {
		t.Errorf("picture redirected away: %d failed, want 1", res.MediaFailed)
	}
	if errs := rec.errs("media skipped"); len(errs) != 1 || !errors.Is(errs[0], sync.ErrForeignRedirect) {
		t.Errorf("picture redirected away logged %v, want ErrForeignRedirect", errs)
	}
	if n := foreign.count(); n != 0 {
		t.Errorf("the other origin got %d requests: %v", n, foreign.requests)
	}
}

// TestAdminAPILoopbackOnly: the reference backend's admin API, preview and
// pairing page answer loopback clients, and others only with the admin
// token; a forwarded-for header does not make a client local.
func TestAdminAPILoopbackOnly(t *testing.T) {
	for _, adminToken := range []string{"", "admin-secret"} {
		s, err := backend.New(backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true, AdminToken: adminToken})
		if err != nil {
			t.Fatal(err)
		}
		h := s.Handler()
		tests := []struct {
			remote, auth, forwarded string
			want                    int
		}{
			{"127.0.0.1:40000", "", "", http.StatusOK},
			{"[::1]:40000", "", "", http.StatusOK},
			{"203.0.113.7:40000", "", "", http.StatusForbidden},
			{"203.0.113.7:40000", "", "127.0.0.1", http.StatusForbidden},
			{"203.0.113.7:40000", "Bearer wrong", "", http.StatusForbidden},
			{"203.0.113.7:40000", "Bearer T", "", http.StatusForbidden}, // a device token is not an admin token
			{"203.0.113.7:40000", "Bearer admin-secret", "", map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[adminToken != ""]},
		}
		for _, path := range []string{"/admin/v1/profiles", "/admin/v1/signups", "/preview", "/pair"} {
			for _, tt := range tests {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.RemoteAddr = tt.remote
				if tt.auth != "" {
					req.Header.Set("Authorization", tt.auth)
				}
				if tt.forwarded != "" {
					req.Header.Set("X-Forwarded-For", tt.forwarded)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != tt.want {
					t.Errorf("admin token %q: GET %s from %s auth %q xff %q = %d, want %d", adminToken, path, tt.remote, tt.auth, tt.forwarded, w.Code, tt.want)
				}
			}
		}
		s.Close()
	}
}

// TestNoListeningPort runs the long-running `skaerm sync` until it has
// synced, posted its status and opened the event stream, and checks through
// /proc that the process owns no listening TCP socket. The same check finds
// the test's own backend listener, so it does look.
func TestNoListeningPort(t *testing.T) {
	bin := skaermBinary(t)
	run, admin := startBackend(t)
	path := filepath.Join(t.TempDir(), "cache.db")
	cmd := exec.Command(bin, "sync", "--backend", run.URL, "--token", "T", "--cache", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("skaerm sync did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Error("skaerm sync ignored SIGTERM")
		}
	}()
	wait.Until(t, "the screen synced, posted its status and opened its event stream", func() bool {
		screens, err := admin.Screens(context.Background())
		if err != nil {
			return false
		}
		for _, s := range screens {
			if s.Status != nil && s.EventStreams > 0 {
				return true
			}
		}
		return false
	})
	socks, err := ListeningSockets(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(socks) != 0 {
		t.Errorf("skaerm sync listens on %d sockets: %+v", len(socks), socks)
	}
	own, err := ListeningSockets(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if len(own) == 0 {
		t.Fatal("control: the test's own backend listener was not found, so the check proves nothing")
	}
	fds, _ := OpenFDs(cmd.Process.Pid)
	t.Logf("skaerm sync (pid %d): %d open files, %d listening sockets; this test process listens on ports %v",
		cmd.Process.Pid, fds, len(socks), ports(own))
}

func ports(ss []Socket) []int {
	out := make([]int, len(ss))
	for i, s := range ss {
		out[i] = s.Port()
	}
	return out
}
