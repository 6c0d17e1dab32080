package pairing

import (
	"net/http"
	"path/filepath"
	"skaerm/internal/clock"
	"testing"
	"time"

	"skaerm/backend"
)

// TestPairWithReferenceBackend pairs against the real reference backend:
// staff approve the shown code through the admin API, and the token the
// screen gets (kept in a token file) opens the board.
func TestPairWithReferenceBackend(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	r, err := backend.Start(ctx, "127.0.0.1:0", backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Demo: true, PollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	var approveErr error
	codes := 0
	show := func(userCode, uri string, expires time.Time) {
		codes++
		approveErr = backend.Admin{BaseURL: r.URL}.ApprovePairing(ctx, userCode, "d1")
	}
	tok, err := pair(ctx, r.URL, http.DefaultClient, show)
	if err != nil {
		t.Fatal(err)
	}
	if approveErr != nil || codes != 1 {
		t.Fatalf("approve: %v (%d codes shown)", approveErr, codes)
	}

	path := filepath.Join(t.TempDir(), "token")
	if err := SaveToken(path, tok); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadToken(path)
	if err != nil {
		t.Fatal(err)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL+"/api/screen/v1/board", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+loaded)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET board with the paired token: %s", resp.Status)
	}

	// Without the token the board stays closed.
	resp, err = http.Get(r.URL + "/api/screen/v1/board")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET board without a token: %s, want 401", resp.Status)
	}
}
