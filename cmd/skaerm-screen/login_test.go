package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"skaerm/internal/clock"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/cache"
	"skaerm/display"
	"skaerm/internal/testkit/wait"
	skaermsync "skaerm/sync"
)

type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestScreenLoginWiring runs the screen's login against the reference
// backend: the keypad's outcomes, Min side fetched after a login, a tag
// from a reader, a suggestion, and the session ended on shutdown; the
// log, at every level, names no PIN, tag or name.
func TestScreenLoginWiring(t *testing.T) {
	rb, err := backend.Start(context.Background(), "127.0.0.1:0", backend.Options{Clock: clock.Real{}, DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var logs lockedLog
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug - 8}))
	conn, err := skaermsync.NewBackend(rb.URL, "", "T", "test")
	if err != nil {
		t.Fatal(err)
	}
	sl := newScreenLogin(conn, c, 15*time.Minute, log)
	if sl == nil {
		t.Fatal("no login client with a token")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sl.run(ctx) }()

	if res := sl.LoginPIN(ctx, "p1", "9731"); res.Outcome != display.LoginWrongPIN || res.TriesLeft != 2 {
		t.Errorf("wrong PIN: %+v", res)
	}
	if res := sl.LoginPIN(ctx, "p5", "4680"); res.Outcome != display.LoginLocked || res.RetryAfter != 5*time.Minute {
		t.Errorf("locked profile: %+v", res)
	}
	if res := sl.LoginPIN(ctx, "p2", "1234"); res.Outcome != display.LoginNoLogin {
		t.Errorf("profile without login: %+v", res)
	}
	if res := sl.LoginPIN(ctx, "p1", "2580"); res.Outcome != display.LoginOK {
		t.Fatalf("right PIN: %+v", res)
	}
	wait.Until(t, "Min side fetched", func() bool { st := sl.State(); return st.Page != nil && st.Who == "p1" })
	if st := sl.State(); !st.Offered || st.Name != "Karen" || len(st.Page.Shared) != 4 {
		t.Errorf("state %+v", st)
	}
	board, err := backend.DemoBoardValue(time.Now(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	var meeting string
	for _, m := range board.Meetings {
		meeting = m.ID
	}
	if res := sl.Suggest(ctx, meeting, "Flere æbleskiver"); res.Outcome != display.SuggestSent {
		t.Errorf("suggestion: %+v", res)
	}

	// A reader's tag: Inger's session replaces Karen's.
	sl.tag("04C0FFEE123480")
	wait.Until(t, "Inger logged in by her tag", func() bool { st := sl.State(); return st.Who == "p3" && st.Page != nil })
	// The same tag again logs out.
	sl.tag("04c0ffee123480")
	wait.Until(t, "logged out by the tag", func() bool { return sl.State().Who == "" })

	sl.LoginPIN(ctx, "p1", "2580")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "reason=shutdown") || !strings.Contains(out, "reason=replaced") || !strings.Contains(out, "reason=tag_again") {
		t.Errorf("the log lacks a session's end:\n%s", out)
	}
	for _, secret := range []string{"2580", "9731", "4680", "04c0ffee", "Karen", "Inger", "PRIVATCANARY", "æbleskiver"} {
		if strings.Contains(strings.ToLower(out), strings.ToLower(secret)) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}
