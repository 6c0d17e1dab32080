package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
	"skaerm/personal"
)

// The demo backend's logins (backend/login.go).
const (
	karenPIN = "2580"
	karenTag = "04a1b2c3d4e5f6"
	ingerTag = "04c0ffee123480"
)

// captureLog keeps every record at every level, attributes included.
type captureLog struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (c *captureLog) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

func (c *captureLog) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

func (c *captureLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(c, &slog.HandlerOptions{Level: slog.LevelDebug - 8}))
}

// lines returns the log lines with msg.
func (c *captureLog) lines(msg string) []string {
	var out []string
	for _, l := range strings.Split(c.String(), "\n") {
		if strings.Contains(l, `msg="`+msg+`"`) {
			out = append(out, l)
		}
	}
	return out
}

// noSecrets fails when the log holds a PIN, a tag, a name, a session token
// or a canary.
func noSecrets(t *testing.T, log *captureLog, extra ...string) {
	t.Helper()
	s := strings.ToLower(log.String())
	for _, secret := range append([]string{karenPIN, "9731", karenTag, ingerTag, "karen", "inger", "privatcanary", "strikkeklubben"}, extra...) {
		if secret != "" && strings.Contains(s, strings.ToLower(secret)) {
			t.Errorf("the log holds %q:\n%s", secret, log.String())
		}
	}
}

type loginRig struct {
	rb    *refBackend
	login *Login
	log   *captureLog
	clk   *clock.Fake
	bclk  *clock.Fake
}

func newLoginRig(t *testing.T) *loginRig {
	t.Helper()
	bclk := backendClock()
	rb := startBackend(t, bclk, "", "")
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	log := &captureLog{}
	l, err := NewLogin(LoginOptions{BaseURL: rb.URL, Token: "T", Clock: clk, Logger: log.logger(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return &loginRig{rb: rb, login: l, log: log, clk: clk, bclk: bclk}
}

func TestLoginPINPageLogout(t *testing.T) {
	r := newLoginRig(t)
	ctx := context.Background()

	_, err := r.login.LoginPIN(ctx, "p1", "9731")
	var le *LoginError
	if !errors.As(err, &le) || !errors.Is(err, ErrWrongPIN) || le.TriesLeft != 2 {
		t.Fatalf("wrong PIN: %v, want ErrWrongPIN with 2 tries left", err)
	}
	who, err := r.login.LoginPIN(ctx, "p1", karenPIN)
	if err != nil || who.ProfileID != "p1" || who.Name != "Karen" || len(who.Number) != 8 {
		t.Fatalf("login = %+v, %v", who, err)
	}
	page, err := r.login.Page(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if page.Name != "Karen" || len(page.Shared) != 4 || len(page.Groups) != 2 || len(page.Tagged) == 0 {
		t.Fatalf("page: %d shared, %d groups, %d tagged", len(page.Shared), len(page.Groups), len(page.Tagged))
	}
	for _, it := range page.Shared {
		// Pictures and a document's pages are fetched; the video is not.
		fetched := len(it.Media.Data) > 0
		if !strings.Contains(it.Title, "PRIVATCANARY") || fetched != (it.Kind != personal.Video) {
			t.Errorf("shared %s %s: title canary %v, %d bytes", it.Kind, it.ID, strings.Contains(it.Title, "PRIVATCANARY"), len(it.Media.Data))
		}
	}
	data := page.Shared[0].Media.Data
	token := r.login.cur.token

	r.login.Logout(ctx, EndLogout)
	if _, ok := r.login.Current(); ok {
		t.Error("still logged in after logout")
	}
	if page.Name != "" || page.Shared != nil || bytes.Count(data, []byte{0}) != len(data) {
		t.Error("logout left the page in memory")
	}
	if _, err := r.login.Page(ctx); !errors.Is(err, ErrNoSession) {
		t.Errorf("page after logout: %v, want ErrNoSession", err)
	}
	// The backend has ended the session too.
	s := &liveSession{token: token}
	r.login.cur = s
	if _, err := r.login.Page(ctx); !errors.Is(err, ErrNoSession) {
		t.Errorf("the old session after logout: %v, want ErrNoSession from the backend", err)
	}

	started, ended := r.log.lines("session started"), r.log.lines("session ended")
	if len(started) != 1 || len(ended) < 1 || !strings.Contains(ended[0], "reason="+EndLogout) || !strings.Contains(ended[0], "session="+who.Number) {
		t.Errorf("log lines: started %q, ended %q", started, ended)
	}
	noSecrets(t, r.log, token)
}

func TestLoginTagAgainAndReplaced(t *testing.T) {
	r := newLoginRig(t)
	ctx := context.Background()
	who, ended, err := r.login.LoginTag(ctx, strings.ToUpper(karenTag))
	if err != nil || ended || who.ProfileID != "p1" {
		t.Fatalf("tag login = %+v %v %v", who, ended, err)
	}
	// Another tag replaces the session.
	who2, ended, err := r.login.LoginTag(ctx, ingerTag)
	if err != nil || ended || who2.ProfileID != "p3" {
		t.Fatalf("second tag = %+v %v %v", who2, ended, err)
	}
	if l := r.log.lines("session ended"); len(l) != 1 || !strings.Contains(l[0], "reason="+EndReplaced) || !strings.Contains(l[0], who.Number) {
		t.Errorf("replaced: %q", l)
	}
	// The same tag again logs out.
	if _, ended, err := r.login.LoginTag(ctx, ingerTag); err != nil || !ended {
		t.Fatalf("same tag again: ended %v, %v", ended, err)
	}
	if _, ok := r.login.Current(); ok {
		t.Error("still logged in after the same tag")
	}
	if l := r.log.lines("session ended"); len(l) != 2 || !strings.Contains(l[1], "reason="+EndTagAgain) {
		t.Errorf("tag again: %q", l)
	}
	if _, _, err := r.login.LoginTag(ctx, "0499999999"); !errors.Is(err, ErrUnknownTag) {
		t.Errorf("unknown tag: %v", err)
	}
	noSecrets(t, r.log, "0499999999")
}

func TestLoginRefusalsAndOffline(t *testing.T) {
	r := newLoginRig(t)
	ctx := context.Background()
	for _, c := range []struct {
		profile, pin string
		want         error
	}{{"p2", "1234", ErrNoLogin}, {"p5", "4680", ErrPINLocked}, {"p999", "1234", ErrUnknownPerson}} {
		if _, err := r.login.LoginPIN(ctx, c.profile, c.pin); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.profile, err, c.want)
		}
	}
	var le *LoginError
	for i := 0; i < 3; i++ {
		_, err := r.login.LoginPIN(ctx, "p3", "9731")
		errors.As(err, &le)
	}
	if !errors.Is(le, ErrPINLocked) || le.RetryAfter != 5*time.Minute {
		t.Errorf("third wrong PIN: %v", le)
	}

	// A backend that cannot be reached: no login.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	off, err := NewLogin(LoginOptions{Clock: clock.Real{}, BaseURL: "http://" + addr, Token: "T"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.LoginPIN(ctx, "p1", karenPIN); !errors.Is(err, ErrBackendUnreachable) {
		t.Errorf("offline login: %v, want ErrBackendUnreachable", err)
	}
	if _, err := off.LoginPIN(ctx, "p1", karenPIN); err != nil && strings.Contains(err.Error(), karenPIN) {
		t.Errorf("the error shows the PIN: %v", err)
	}
	noSecrets(t, r.log)
}

func TestLoginIdleTimeoutAndShutdown(t *testing.T) {
	r := newLoginRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.login.Run(ctx) }()
	defer func() { cancel(); <-done }()

	if _, err := r.login.LoginPIN(ctx, "p1", karenPIN); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "the idle timer", func() bool { return r.clk.Waiters() > 0 })
	r.clk.Advance(50 * time.Second)
	r.login.Touch()
	wait.Until(t, "the idle timer after the touch", func() bool { return r.clk.Waiters() > 0 })
	r.clk.Advance(50 * time.Second) // 100 s after login, 50 s after the touch
	if _, ok := r.login.Current(); !ok {
		t.Fatal("logged out although touched 50 s ago")
	}
	wait.Until(t, "the idle timer", func() bool { return r.clk.Waiters() > 0 })
	r.clk.Advance(DefaultIdleTimeout)
	wait.Until(t, "the idle logout", func() bool { return len(r.log.lines("session ended")) == 1 })
	if l := r.log.lines("session ended"); len(l) != 1 || !strings.Contains(l[0], "reason="+EndIdle) {
		t.Errorf("idle: %q", l)
	}

	// Shutdown ends a running session and tells the backend.
	if _, err := r.login.LoginPIN(ctx, "p1", karenPIN); err != nil {
		t.Fatal(err)
	}
	token := r.login.cur.token
	cancel()
	<-done
	if l := r.log.lines("session ended"); len(l) != 2 || !strings.Contains(l[1], "reason="+EndShutdown) {
		t.Errorf("shutdown: %q", l)
	}
	r.login.cur = &liveSession{token: token}
	if _, err := r.login.Page(context.Background()); !errors.Is(err, ErrNoSession) {
		t.Errorf("the session after shutdown: %v, want ErrNoSession from the backend", err)
	}
	noSecrets(t, r.log, token)
}

func TestLoginBackendEndsSession(t *testing.T) {
	r := newLoginRig(t)
	ctx := context.Background()
	if _, err := r.login.LoginPIN(ctx, "p1", karenPIN); err != nil {
		t.Fatal(err)
	}
	if _, err := r.login.Page(ctx); err != nil {
		t.Fatal(err)
	}
	page := r.login.cur.page
	r.bclk.Advance(6 * time.Minute) // the backend's session expires
	if _, err := r.login.Page(ctx); !errors.Is(err, ErrNoSession) {
		t.Fatalf("page after the backend's expiry: %v", err)
	}
	if _, ok := r.login.Current(); ok || page.Name != "" {
		t.Error("a 401 for the session left it in memory")
	}
	if l := r.log.lines("session ended"); len(l) != 1 || !strings.Contains(l[0], "reason="+EndBackendEnded) {
		t.Errorf("backend ended: %q", l)
	}
	noSecrets(t, r.log)
}

func TestLoginSignupAndSuggestionCarryTheSession(t *testing.T) {
	r := newLoginRig(t)
	ctx := context.Background()
	c := openCache(t, "", r.bclk)
	s := newSyncer(t, r.rb.URL, c, r.bclk, noMedia, func(o *Options) { o.Sessions = r.login })
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	who, err := r.login.LoginPIN(ctx, "p1", karenPIN)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := openActivity(t, c, r.bclk.Now())
	su := board.Signup{ID: "6f0c3a8e-2b7d-4d1e-9c5a-1e2f3a4b5c6d", ItemType: board.ActivityItem, ItemID: a.ID, ProfileID: who.ProfileID, Action: board.Join, At: r.bclk.Now()}
	if err := c.Enqueue(su); err != nil {
		t.Fatal(err)
	}
	r.login.SignupMade(su.ID)
	if res, err := s.SyncOnce(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("sync = %+v, %v", res, err)
	}
	recs, err := r.rb.admin.Signups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].SessionOf != "p1" {
		t.Errorf("sign-up records %+v: want one made in p1's session", recs)
	}

	var meeting string
	for _, m := range mustBoard(t, c).Meetings {
		if m.Start.After(r.bclk.Now()) {
			meeting = m.ID
		}
	}
	text := "Flere æbleskiver PRIVATCANARY-S"
	if err := r.login.Suggest(ctx, "c3d4e5f6-0000-4000-8000-000000000001", meeting, text); err != nil {
		t.Fatal(err)
	}
	if err := r.login.Suggest(ctx, "c3d4e5f6-0000-4000-8000-000000000002", meeting, strings.Repeat("ø", 281)); err == nil {
		t.Error("a suggestion of 281 characters was accepted")
	}
	page, err := r.login.Page(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Suggestions) != 1 || page.Suggestions[0].Text != text {
		t.Errorf("my suggestions: %d", len(page.Suggestions))
	}
	noSecrets(t, r.log)
}

func mustBoard(t *testing.T, c interface {
	Board() (*board.Board, error)
}) *board.Board {
	t.Helper()
	b, err := c.Board()
	if err != nil || b == nil {
		t.Fatalf("board: %v", err)
	}
	return b
}

// TestLoginLeavesCacheAlone: log in, fetch everything of Min side (the
// shared pictures and documents too), sync meanwhile, log out: the cache's
// board and outbox are as before, and no byte of its file holds a personal
// canary, the PIN, the tag or the session.
func TestLoginLeavesCacheAlone(t *testing.T) {
	r := newLoginRig(t)
	ctx := context.Background()
	c := openCache(t, "", r.bclk)
	s := newSyncer(t, r.rb.URL, c, r.bclk, func(o *Options) { o.Sessions = r.login })
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	boardBefore, _ := json.Marshal(mustBoard(t, c))
	outboxBefore, _ := c.Outbox()

	if _, _, err := r.login.LoginTag(ctx, karenTag); err != nil {
		t.Fatal(err)
	}
	page, err := r.login.Page(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fetched := 0
	for _, it := range page.Shared {
		if len(it.Media.Data) > 0 {
			fetched++
		}
	}
	if fetched != len(page.Shared)-1 || fetched == 0 { // all but the video
		t.Fatalf("%d of %d shared items fetched", fetched, len(page.Shared))
	}
	token := r.login.cur.token
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	r.login.Logout(ctx, EndLogout)
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	boardAfter, _ := json.Marshal(mustBoard(t, c))
	outboxAfter, _ := c.Outbox()
	if !bytes.Equal(boardBefore, boardAfter) || len(outboxBefore) != len(outboxAfter) {
		t.Error("the board or the outbox changed while logged in")
	}
	raw := cacheBytes(t, c)
	for _, secret := range []string{"PRIVATCANARY", karenPIN, karenTag, token, "Strikkeklubben", "Havegruppen"} {
		if bytes.Contains(bytes.ToLower(raw), bytes.ToLower([]byte(secret))) {
			t.Errorf("the cache directory holds %q", secret)
		}
	}
	noSecrets(t, r.log, token)
}

// TestLoginWaitsForPairing: a screen that starts unpaired offers no login
// and sends nothing; once it is paired (its connection gets a token) it
// asks the backend what it offers and a resident can log in, without a
// restart.
func TestLoginWaitsForPairing(t *testing.T) {
	rb := startBackend(t, backendClock(), "", "")
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	conn, err := NewBackend(rb.URL, "", "", "test")
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLogin(LoginOptions{Backend: conn, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); l.Run(ctx) }()
	defer func() { cancel(); <-done }()

	if l.Offered() {
		t.Error("login offered before the screen is paired")
	}
	if _, err := l.LoginPIN(ctx, "p1", karenPIN); !errors.Is(err, ErrConfig) {
		t.Errorf("login before pairing: %v, want ErrConfig", err)
	}
	conn.SetToken("T")
	wait.Until(t, "login offered after pairing", l.Offered)
	who, err := l.LoginPIN(ctx, "p1", karenPIN)
	if err != nil || who.ProfileID != "p1" {
		t.Fatalf("login after pairing = %+v, %v", who, err)
	}
}
