package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/status"
	"skaerm/internal/testkit/wait"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// TestUnauthorizedReturnsToPairing: a screen whose token the backend no
// longer accepts shows a pairing code, keeps its cached board meanwhile, and
// syncs again with the new token once staff approve the code.
func TestUnauthorizedReturnsToPairing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, c, dir := backendAndCache(t, ctx, "old")
	noMedia := sync.Options{Clock: clock.Real{}, BaseURL: b.URL, Token: "revoked", MaxMediaBytes: 1}

	// A first sync with the token that works fills the cache.
	first, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: b.URL, Token: "old", Cache: c, MaxMediaBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}

	tokenFile := filepath.Join(dir, "token")
	shown := new(pairing.Shown)
	r, err := New(Deps{Clock: clock.Real{}, Sync: noMedia, TokenFile: tokenFile, Cache: c, Shown: shown, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	var code string
	wait.Until(t, "a pairing code shown after the backend refused the token", func() bool {
		select {
		case err := <-done:
			t.Fatalf("runner stopped: %v", err)
		default:
		}
		code, _, _ = shown.Code()
		return code != ""
	})
	if _, err := c.Board(); err != nil {
		t.Fatalf("the cached board is gone while pairing: %v", err)
	}
	if err := r.WriteReport(); err != nil {
		t.Fatal(err)
	}
	if err := (backend.Admin{BaseURL: b.URL}).ApprovePairing(ctx, code, "d1"); err != nil {
		t.Fatal(err)
	}
	// The new token is saved with mode 0600 and the screen syncs with it.
	wait.Until(t, "the token saved after approval", func() bool {
		tok, err := pairing.LoadToken(tokenFile)
		if err != nil && !errors.Is(err, pairing.ErrNoToken) {
			t.Fatal(err)
		}
		return tok != ""
	})
	fi, err := os.Stat(tokenFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode: %v %v", fi.Mode(), err)
	}
	wait.Until(t, "a sync with the new token", func() bool {
		m, err := c.Meta()
		if err != nil {
			t.Fatal(err)
		}
		return m.LastSync.After(before.LastSync) && m.LastError == ""
	})
	if _, _, ok := shown.Code(); ok {
		t.Error("still showing a pairing code after pairing")
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run: %v", err)
	}
}

// TestReportFollowsSync: the report beside the cache shows a sync at once,
// not at the next 30 s refresh, so `skaerm status` never shows an older
// sync than the screen has made (the clock here never moves).
func TestReportFollowsSync(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := backend.Start(ctx, "127.0.0.1:0", backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	clk := clock.NewFake(time.Now())
	r, err := New(Deps{Sync: sync.Options{Clock: clk, BaseURL: b.URL, Token: "T", MaxMediaBytes: 1}, Cache: c, Clock: clk, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	meta := func() cache.Meta {
		m, err := c.Meta()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	reported := func() status.Report {
		rep, _ := status.Load(status.FilePath(c.Path()))
		return rep
	}
	wait.Until(t, "the first sync", func() bool { return meta().Generation == 1 })
	wait.Until(t, "the first sync in the report", func() bool { return reported().Generation == 1 })

	// A failed attempt (as when the network drops) shows at once too.
	if err := c.RecordAttempt(errors.New("backend cannot be reached")); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "the failed attempt in the report", func() bool { return reported().LastError == "backend cannot be reached" })
	cancel()
	<-done
}

// TestTokenFromTerminalEndsPairing: while the screen shows its pairing code,
// a technician pairs on a terminal (`skaerm pair` saves a token to the same
// file); the screen takes that token and syncs without a restart.
func TestTokenFromTerminalEndsPairing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, c, dir := backendAndCache(t, ctx, "from-terminal")
	tokenFile := filepath.Join(dir, "token")
	shown := new(pairing.Shown)
	conn, err := sync.NewBackend(b.URL, "", "", "test")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Deps{Clock: clock.Real{}, Sync: sync.Options{Clock: clock.Real{}, Backend: conn, MaxMediaBytes: 1}, TokenFile: tokenFile, Cache: c, Shown: shown, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	wait.Until(t, "a pairing code on the screen", func() bool {
		_, _, ok := shown.Code()
		return ok
	})
	if err := pairing.SaveToken(tokenFile, "from-terminal"); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "a sync with the token from the terminal", func() bool {
		m, err := c.Meta()
		if err != nil {
			t.Fatal(err)
		}
		return !m.LastSync.IsZero() && m.LastError == ""
	})
	if _, _, ok := shown.Code(); ok {
		t.Error("the pairing code is still shown")
	}
	if tok := conn.Token(); tok != "from-terminal" {
		t.Errorf("the screen's connection holds token %q, want the one from the terminal", tok)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run: %v", err)
	}
}

// backendAndCache starts the demo reference backend on loopback, taking
// token, and opens an empty cache in a folder of its own (returned, for the
// token file); both are closed when the test ends.
func backendAndCache(t *testing.T, ctx context.Context, token string) (*backend.Running, *cache.Cache, string) {
	t.Helper()
	b, err := backend.Start(ctx, "127.0.0.1:0", backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Tokens: []string{token}, Demo: true, PollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	dir := t.TempDir()
	c, err := cache.Open(filepath.Join(dir, "cache.db"), cache.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return b, c, dir
}
