package backend

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"skaerm/internal/clock"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func deviceConfig(base string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: "skaerm",
		Endpoint: oauth2.Endpoint{
			DeviceAuthURL: base + "/api/screen/v1/oauth/device",
			TokenURL:      base + "/api/screen/v1/oauth/token",
		},
	}
}

var userCodePattern = regexp.MustCompile(`^[` + userCodeAlphabet + `]{4}-[` + userCodeAlphabet + `]{4}$`)

// TestDeviceFlowWithOAuth2 pairs a screen with golang.org/x/oauth2, the
// library a screen uses, on the real clock with a one-second interval.
func TestDeviceFlowWithOAuth2(t *testing.T) {
	tb := startBackend(t, func(o *Options) { o.Clock = nil; o.PollInterval = time.Second })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := deviceConfig(tb.URL)

	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		t.Fatalf("device auth: %v", err)
	}
	if !userCodePattern.MatchString(da.UserCode) {
		t.Errorf("user code %q is not two groups of four consonants", da.UserCode)
	}
	if da.VerificationURI != tb.URL+"/pair" || da.Interval != 1 || time.Until(da.Expiry) < 9*time.Minute {
		t.Errorf("device auth %+v: want /pair, interval 1, ten minutes", da)
	}

	// Staff type the code the way people do.
	typed := strings.ToLower(strings.ReplaceAll(da.UserCode, "-", " "))
	if err := tb.admin.ApprovePairing(ctx, typed, "d2"); err != nil {
		t.Fatalf("approve: %v", err)
	}
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("device access token: %v", err)
	}
	if tok.AccessToken == "" || !strings.EqualFold(tok.TokenType, "Bearer") {
		t.Fatalf("token %+v", tok)
	}
	r := do(t, http.MethodGet, tb.URL+"/api/screen/v1/board", tok.AccessToken, nil)
	var b Board
	if err := json.Unmarshal(r.body, &b); err != nil || b.Department.ID != "d2" {
		t.Fatalf("board with the paired token: %d, department %q, %v", r.status, b.Department.ID, err)
	}

	// The token is stored: a restarted backend still knows it.
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Start(ctx, "127.0.0.1:0", Options{Clock: clock.Real{}, DataDir: tb.dir, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if r := do(t, http.MethodGet, again.URL+"/api/screen/v1/board", tok.AccessToken, nil); r.status != http.StatusOK {
		t.Fatalf("token after restart: %d %s", r.status, r.body)
	}
}

// poll posts one token request and returns the OAuth error code ("" for a
// token) and the token.
func poll(t *testing.T, base, deviceCode, clientID string) (string, string) {
	t.Helper()
	form := url.Values{"grant_type": {deviceGrantType}, "device_code": {deviceCode}, "client_id": {clientID}}
	r := do(t, http.MethodPost, base+"/api/screen/v1/oauth/token", "", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	var out struct {
		Error       string `json:"error"`
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("token answer %q: %v", r.body, err)
	}
	if out.Error == "" && (r.status != http.StatusOK || out.TokenType != "Bearer") {
		t.Fatalf("token answer %d %s", r.status, r.body)
	}
	if out.Error != "" && r.status < 400 {
		t.Fatalf("error %s with status %d", out.Error, r.status)
	}
	return out.Error, out.AccessToken
}

func startPairing(t *testing.T, base string) (deviceCode, userCode string) {
	t.Helper()
	r := do(t, http.MethodPost, base+"/api/screen/v1/oauth/device", "", strings.NewReader("client_id=skaerm"), "Content-Type", "application/x-www-form-urlencoded")
	var out struct {
		DeviceCode string `json:"device_code"`
		UserCode   string `json:"user_code"`
		Interval   int    `json:"interval"`
		ExpiresIn  int    `json:"expires_in"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil || r.status != http.StatusOK {
		t.Fatalf("device: %d %s", r.status, r.body)
	}
	if out.Interval != 5 || out.ExpiresIn != 600 {
		t.Errorf("interval %d, expires_in %d; want 5 and 600", out.Interval, out.ExpiresIn)
	}
	return out.DeviceCode, out.UserCode
}

// TestDeviceFlowErrors walks the RFC 8628 answers on a fake clock.
func TestDeviceFlowErrors(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	step := 5 * time.Second

	dc, uc := startPairing(t, tb.URL)
	tb.clock.Advance(step)
	if code, _ := poll(t, tb.URL, dc, "skaerm"); code != "authorization_pending" {
		t.Fatalf("first poll: %q, want authorization_pending", code)
	}
	// One early poll is forgiven (x/oauth2 probes twice); two are not.
	if code, _ := poll(t, tb.URL, dc, "skaerm"); code != "authorization_pending" {
		t.Fatalf("second, early poll: %q, want authorization_pending", code)
	}
	if code, _ := poll(t, tb.URL, dc, "skaerm"); code != "slow_down" {
		t.Fatalf("third, early poll: %q, want slow_down", code)
	}
	// slow_down adds five seconds to the interval.
	tb.clock.Advance(step)
	poll(t, tb.URL, dc, "skaerm")
	if code, _ := poll(t, tb.URL, dc, "skaerm"); code != "slow_down" {
		t.Fatalf("polling every 5 s after slow_down: %q, want slow_down", code)
	}
	tb.clock.Advance(2 * step)

	if code, _ := poll(t, tb.URL, dc, "other-client"); code != "invalid_client" {
		t.Errorf("other client: %q", code)
	}
	if code, _ := poll(t, tb.URL, "no-such-code", "skaerm"); code != "invalid_grant" {
		t.Errorf("unknown device code: %q", code)
	}

	if err := tb.admin.ApprovePairing(ctx, uc, "d1"); err != nil {
		t.Fatal(err)
	}
	tb.clock.Advance(2 * step)
	code, tok := poll(t, tb.URL, dc, "skaerm")
	if code != "" || tok == "" {
		t.Fatalf("after approval: %q", code)
	}
	tb.clock.Advance(2 * step)
	if _, again := poll(t, tb.URL, dc, "skaerm"); again != tok {
		t.Error("a repeated poll after success gave another token")
	}

	// Denied.
	dc2, uc2 := startPairing(t, tb.URL)
	if err := tb.admin.DenyPairing(ctx, uc2); err != nil {
		t.Fatal(err)
	}
	tb.clock.Advance(step)
	if code, _ := poll(t, tb.URL, dc2, "skaerm"); code != "access_denied" {
		t.Errorf("denied: %q", code)
	}

	// Expired.
	dc3, uc3 := startPairing(t, tb.URL)
	tb.clock.Advance(deviceCodeTTL + time.Second)
	if code, _ := poll(t, tb.URL, dc3, "skaerm"); code != "expired_token" {
		t.Errorf("expired: %q", code)
	}
	var apiErr *APIError
	if err := tb.admin.ApprovePairing(ctx, uc3, "d1"); !asAPIError(err, &apiErr) || apiErr.Status != http.StatusGone {
		t.Errorf("approving an expired code: %v, want 410", err)
	}
	if err := tb.admin.ApprovePairing(ctx, "BBBB-BBBB", "d1"); !asAPIError(err, &apiErr) || apiErr.Status != http.StatusNotFound {
		t.Errorf("approving an unknown code: %v, want 404", err)
	}

	// Wrong grant type and client at the device endpoint.
	form := url.Values{"grant_type": {"password"}, "client_id": {"skaerm"}}
	r := do(t, http.MethodPost, tb.URL+"/api/screen/v1/oauth/token", "", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	wantJSONError(t, r, http.StatusBadRequest, "unsupported_grant_type")
	r = do(t, http.MethodPost, tb.URL+"/api/screen/v1/oauth/device", "", strings.NewReader("client_id=browser"), "Content-Type", "application/x-www-form-urlencoded")
	wantJSONError(t, r, http.StatusUnauthorized, "invalid_client")
}

func TestPairPage(t *testing.T) {
	tb := startBackend(t)
	dc, uc := startPairing(t, tb.URL)
	if r := do(t, http.MethodGet, tb.URL+"/pair?code="+uc, "", nil); r.status != http.StatusOK || !strings.Contains(string(r.body), "Havblik") {
		t.Fatalf("pair page: %d", r.status)
	}
	form := url.Values{"code": {uc}, "department": {"d2"}}
	r := do(t, http.MethodPost, tb.URL+"/pair", "", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "tilknyttet") {
		t.Fatalf("approve on the page: %d %s", r.status, r.body)
	}
	tb.clock.Advance(5 * time.Second)
	code, tok := poll(t, tb.URL, dc, "skaerm")
	if code != "" {
		t.Fatalf("after the page approved: %q", code)
	}
	var b Board
	json.Unmarshal(do(t, http.MethodGet, tb.URL+"/api/screen/v1/board", tok, nil).body, &b)
	if b.Department.ID != "d2" {
		t.Errorf("paired to %q, want d2", b.Department.ID)
	}
	form.Set("code", "ZZZZ-ZZZZ")
	if r := do(t, http.MethodPost, tb.URL+"/pair", "", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded"); r.status != http.StatusNotFound {
		t.Errorf("unknown code on the page: %d", r.status)
	}
}
