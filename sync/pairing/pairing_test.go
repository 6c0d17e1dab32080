package pairing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/internal/clock"
)

// deviceServer is an RFC 8628 authorization server on loopback. answer
// decides each token poll: "" issues a token, "503" fails the request, any
// other text is returned as the OAuth error code.
type deviceServer struct {
	t         *testing.T
	interval  int
	expiresIn func(code int) int // default 600 s
	answer    func(code, poll int) string
	authFails int  // first this many code requests get a 503
	tls       bool // serve https with httptest's own certificate

	mu       sync.Mutex
	codes    int
	authReqs int
	polls    map[int][]time.Time
	srv      *httptest.Server
}

func newDeviceServer(t *testing.T, d *deviceServer) *deviceServer {
	d.t = t
	d.polls = map[int][]time.Time{}
	if d.interval == 0 {
		d.interval = 1
	}
	if d.expiresIn == nil {
		d.expiresIn = func(int) int { return 600 }
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+DeviceAuthPath, d.device)
	mux.HandleFunc("POST "+TokenPath, d.token)
	d.srv = httptest.NewUnstartedServer(mux)
	if d.tls {
		d.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
		d.srv.StartTLS()
	} else {
		d.srv.Start()
	}
	t.Cleanup(d.srv.Close)
	return d
}

func (d *deviceServer) device(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != "skaerm" {
		d.t.Errorf("device request client_id = %q", r.FormValue("client_id"))
	}
	d.mu.Lock()
	d.authReqs++
	if d.authReqs <= d.authFails {
		d.mu.Unlock()
		http.Error(w, "upstream down", http.StatusServiceUnavailable)
		return
	}
	d.codes++
	n := d.codes
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"device_code":      fmt.Sprintf("device-%d", n),
		"user_code":        fmt.Sprintf("%06d", 100000+n),
		"verification_uri": d.srv.URL + "/pair",
		"expires_in":       d.expiresIn(n),
		"interval":         d.interval,
	})
}

func (d *deviceServer) token(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != "skaerm" || r.FormValue("grant_type") != "urn:ietf:params:oauth:grant-type:device_code" {
		d.t.Errorf("token request form = %v", r.Form)
	}
	var n int
	if _, err := fmt.Sscanf(r.FormValue("device_code"), "device-%d", &n); err != nil {
		d.t.Errorf("device_code = %q", r.FormValue("device_code"))
	}
	d.mu.Lock()
	d.polls[n] = append(d.polls[n], time.Now())
	poll := len(d.polls[n])
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch a := d.answer(n, poll); a {
	case "":
		json.NewEncoder(w).Encode(map[string]string{"access_token": fmt.Sprintf("token-for-%d", n), "token_type": "Bearer"})
	case "503":
		w.WriteHeader(http.StatusServiceUnavailable)
	default:
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": a})
	}
}

func (d *deviceServer) pollTimes(code int) []time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]time.Time(nil), d.polls[code]...)
}

type shown struct {
	userCode, uri string
	expires       time.Time
}

type recorder struct {
	mu    sync.Mutex
	codes []shown
}

func (r *recorder) show(userCode, uri string, expires time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.codes = append(r.codes, shown{userCode, uri, expires})
}

func (r *recorder) shown() []shown {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]shown(nil), r.codes...)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// pair runs the flow like Pair, without log lines.
func pair(ctx context.Context, baseURL string, c *http.Client, show func(string, string, time.Time)) (string, error) {
	return (&Flow{Clock: clock.Real{}, BaseURL: baseURL, HTTPClient: c, Show: show, Logger: quiet()}).Pair(ctx)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPairApproved(t *testing.T) {
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{answer: func(code, poll int) string {
		if poll < 2 {
			return "authorization_pending"
		}
		return ""
	}})
	var rec recorder
	tok, err := Pair(testContext(t), d.srv.URL+"/", d.srv.Client(), rec.show)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "token-for-1" {
		t.Errorf("token = %q", tok)
	}
	s := rec.shown()
	if len(s) != 1 || s[0].userCode != "100001" || s[0].uri != d.srv.URL+"/pair" {
		t.Errorf("shown = %+v", s)
	}
	if until := time.Until(s[0].expires); until < 590*time.Second || until > 600*time.Second {
		t.Errorf("expires in %s, want about 600s", until)
	}
}

func TestPairRestartsWhenCodeExpires(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		expiresIn func(code int) int
		answer    func(code, poll int) string
	}{
		{"backend says expired_token", nil, func(code, poll int) string {
			if code == 1 {
				return "expired_token"
			}
			return ""
		}},
		{"expiry time passes", func(code int) int {
			if code == 1 {
				return 1
			}
			return 600
		}, func(code, poll int) string {
			if code == 1 {
				return "authorization_pending"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newDeviceServer(t, &deviceServer{expiresIn: tt.expiresIn, answer: tt.answer})
			var rec recorder
			tok, err := pair(testContext(t), d.srv.URL, d.srv.Client(), rec.show)
			if err != nil {
				t.Fatal(err)
			}
			if tok != "token-for-2" {
				t.Errorf("token = %q, want the second code's", tok)
			}
			s := rec.shown()
			if len(s) != 2 || s[0].userCode == s[1].userCode {
				t.Errorf("shown = %+v, want two different codes", s)
			}
		})
	}
}

func TestPairHonoursSlowDown(t *testing.T) {
	if testing.Short() {
		t.Skip("waits the 6 s that slow_down asks for")
	}
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{answer: func(code, poll int) string {
		if poll == 1 {
			return "slow_down"
		}
		return ""
	}})
	if _, err := pair(testContext(t), d.srv.URL, d.srv.Client(), nil); err != nil {
		t.Fatal(err)
	}
	p := d.pollTimes(1)
	// RFC 8628 3.5: after slow_down the interval grows by 5 s (1 s -> 6 s).
	if len(p) != 2 || p[1].Sub(p[0]) < 6*time.Second {
		t.Errorf("polls %v: second poll came %s after slow_down, want at least 6s", p, p[1].Sub(p[0]))
	}
}

func TestPairDenied(t *testing.T) {
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{answer: func(code, poll int) string { return "access_denied" }})
	_, err := pair(testContext(t), d.srv.URL, d.srv.Client(), nil)
	if !errors.Is(err, ErrDenied) {
		t.Errorf("err = %v, want ErrDenied", err)
	}
}

func TestPairFatalError(t *testing.T) {
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{answer: func(code, poll int) string { return "invalid_client" }})
	_, err := pair(testContext(t), d.srv.URL, d.srv.Client(), nil)
	if err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("err = %v, want one naming invalid_client", err)
	}
}

func TestPairRetriesWhenBackendFails(t *testing.T) {
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{authFails: 1, answer: func(code, poll int) string {
		if poll == 1 {
			return "503"
		}
		return ""
	}})
	fake := clock.NewFake(time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	go skipRetryDelays(ctx, fake)
	f := &Flow{BaseURL: d.srv.URL, HTTPClient: d.srv.Client(), Clock: fake, Logger: quiet()}
	tok, err := f.Pair(ctx)
	if err != nil || tok != "token-for-1" {
		t.Fatalf("Pair = %q, %v", tok, err)
	}
	if got := fake.Now().Sub(time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)); got != 2*retryDelay {
		t.Errorf("waited %s on the clock, want two retry delays", got)
	}
}

func TestPairStopsWithContext(t *testing.T) {
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{answer: func(code, poll int) string { return "authorization_pending" }})
	ctx, cancel := context.WithCancel(testContext(t))
	show := func(string, string, time.Time) { cancel() }
	_, err := pair(ctx, d.srv.URL, d.srv.Client(), show)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestPairRefusesOddToken(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+DeviceAuthPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"device_code":"d","user_code":"123456","verification_uri":"x","expires_in":60,"interval":1}`)
	})
	mux.HandleFunc("POST "+TokenPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"abc","token_type":"mac"}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	_, err := pair(testContext(t), srv.URL, srv.Client(), nil)
	if err == nil || !strings.Contains(err.Error(), "unusable token") {
		t.Errorf("err = %v", err)
	}
}

// TestPairGivesUpOnWrongAddress: a name that does not resolve is tried
// NoSuchHostTries times and then given up, a 404 at once; each says in one
// sentence what to check. Errors that can heal (a 503) are retried.
func TestPairGivesUpOnWrongAddress(t *testing.T) {
	t.Parallel()
	var de *net.DNSError
	if _, err := net.LookupHost("manager.invalid"); !errors.As(err, &de) || !de.IsNotFound {
		t.Skipf("this machine's resolver does not answer NXDOMAIN for .invalid: %v", err)
	}
	fake := clock.NewFake(time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	go skipRetryDelays(ctx, fake)
	var said []string
	f := &Flow{BaseURL: "https://manager.invalid", Clock: fake, Logger: quiet(),
		Retrying: func(problem string, in time.Duration) { said = append(said, problem) }}
	_, err := f.Pair(ctx)
	if !errors.Is(err, ErrWrongBackend) || err.Error() != "manager.invalid: no such host: check [backend] url (tried 3 times)" {
		t.Errorf("Pair(manager.invalid) = %v", err)
	}
	if len(said) != NoSuchHostTries-1 || said[0] != "manager.invalid: no such host: check [backend] url" {
		t.Errorf("said while retrying: %q", said)
	}

	d := newDeviceServer(t, &deviceServer{})
	_, err = (&Flow{BaseURL: d.srv.URL + "/manager", HTTPClient: d.srv.Client(), Clock: fake, Logger: quiet()}).Pair(ctx)
	if !errors.Is(err, ErrWrongBackend) || !strings.Contains(err.Error(), "has no Screen API at "+d.srv.URL+"/manager (404): check the path in [backend] url") {
		t.Errorf("Pair(wrong path) = %v", err)
	}
}

func TestExplainConnectionRefused(t *testing.T) {
	d := newDeviceServer(t, &deviceServer{})
	url := d.srv.URL
	d.srv.Close()
	_, err := d.srv.Client().Post(url+DeviceAuthPath, "text/plain", nil)
	if got := Explain(url, err); !strings.HasSuffix(got, " refuses connections: the backend is not running there (yet)") || !transient(err) {
		t.Errorf("Explain = %q, transient %v", got, transient(err))
	}
}

// skipRetryDelays moves the fake clock past each retry delay Pair waits on,
// until ctx ends: each failure parks Pair on the clock.
func skipRetryDelays(ctx context.Context, fake *clock.Fake) {
	for ctx.Err() == nil {
		if fake.Waiters() > 0 {
			fake.Advance(retryDelay)
		}
		time.Sleep(time.Millisecond)
	}
}
