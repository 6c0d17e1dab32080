package pairing

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
	"skaerm/sync"
)

// TestPairTrustsTheConfiguredCA: pairing with the backend's client reaches
// a backend whose certificate only the configured CA file vouches for, and
// without that file never gets a code from it.
func TestPairTrustsTheConfiguredCA(t *testing.T) {
	t.Parallel()
	d := newDeviceServer(t, &deviceServer{tls: true, answer: func(code, poll int) string { return "" }})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	der := d.srv.Certificate().Raw
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}

	withCA, err := sync.NewClient(d.srv.URL, caFile)
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	tok, err := pair(testContext(t), d.srv.URL, withCA.HTTP(), rec.show)
	if err != nil {
		t.Fatalf("pairing with the CA file: %v", err)
	}
	if tok != "token-for-1" {
		t.Errorf("token = %q", tok)
	}

	// Without the CA the handshake fails: the flow waits to try again and
	// the backend never answered a request.
	withoutCA, err := sync.NewClient(d.srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	var none recorder
	go func() {
		_, err := (&Flow{BaseURL: d.srv.URL, HTTPClient: withoutCA.HTTP(), Show: none.show, Clock: fake, Logger: quiet()}).Pair(ctx)
		done <- err
	}()
	wait.Until(t, "the flow waiting to retry after the refused certificate", func() bool { return fake.Waiters() > 0 })
	d.mu.Lock()
	reqs := d.authReqs
	d.mu.Unlock()
	if reqs != 1 || len(none.shown()) != 0 {
		t.Errorf("without the CA: %d code requests answered, %d codes shown; want 1 (the first pairing) and 0", reqs, len(none.shown()))
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Pair = %v, want context.Canceled", err)
	}
}

// TestPairRefusesForeignRedirect: a backend that redirects the request for
// a code to another origin gets an error naming the redirect, and the other
// origin never sees the request, with the backend's client and with the
// default one.
func TestPairRefusesForeignRedirect(t *testing.T) {
	t.Parallel()
	var foreignHits atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"device_code":"d","user_code":"123456","verification_uri":"https://evil.example/pair","expires_in":600,"interval":1}`))
	}))
	t.Cleanup(foreign.Close)
	back := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(back.Close)

	client, err := sync.NewClient(back.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, hc := range map[string]*http.Client{"backend client": client.HTTP(), "default": nil} {
		var rec recorder
		_, err := pair(testContext(t), back.URL, hc, rec.show)
		if !errors.Is(err, sync.ErrForeignRedirect) {
			t.Errorf("%s: Pair = %v, want ErrForeignRedirect", name, err)
		}
		if len(rec.shown()) != 0 {
			t.Errorf("%s: a code from the other origin was shown", name)
		}
	}
	if n := foreignHits.Load(); n != 0 {
		t.Errorf("the other origin got %d requests", n)
	}
}
