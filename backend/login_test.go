package backend

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects log output from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (tb *testBackend) login(t *testing.T, req SessionRequest) response {
	t.Helper()
	return tb.postJSON(t, "/api/screen/v1/sessions", req)
}

func (tb *testBackend) loginOK(t *testing.T, req SessionRequest) SessionAnswer {
	t.Helper()
	r := tb.login(t, req)
	if r.status != http.StatusCreated {
		t.Fatalf("login %s: %d %s", req.Method, r.status, r.body)
	}
	var a SessionAnswer
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	if a.Session == "" || a.ExpiresIn != 300 {
		t.Fatalf("login answer %+v", a)
	}
	return a
}

func (tb *testBackend) me(t *testing.T, sess string) (Me, response) {
	t.Helper()
	r := tb.get(t, "/api/screen/v1/me", sessionHeader, sess)
	var me Me
	if r.status == http.StatusOK {
		if err := json.Unmarshal(r.body, &me); err != nil {
			t.Fatal(err)
		}
	}
	return me, r
}

func errBody(t *testing.T, r response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return m
}

func TestLoginByPINAndMe(t *testing.T) {
	var logs lockedBuffer
	tb := startBackend(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	a := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	if a.ProfileID != "p1" || a.Name != "Karen" {
		t.Errorf("session for %s %q, want p1 Karen", a.ProfileID, a.Name)
	}
	me, r := tb.me(t, a.Session)
	if r.status != http.StatusOK {
		t.Fatalf("me: %d %s", r.status, r.body)
	}
	if me.Name != "Karen" || len(me.Shared) != 4 || len(me.Groups) != 2 {
		t.Errorf("me %+v: want Karen with 4 shared items and 2 groups", me)
	}
	for _, it := range me.Shared {
		if !strings.Contains(it.Title, "PRIVATCANARY") || it.Media.SHA256 == "" {
			t.Errorf("shared item %+v: want a canary title and media", it)
		}
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("me Cache-Control %q, want no-store", cc)
	}
	board, _ := tb.board(t)
	tagged := map[string]bool{}
	for _, g := range board.Gallery {
		for _, p := range g.Tagged {
			if p == "p1" && g.VisibleOnScreen {
				tagged[g.ID] = true
			}
		}
	}
	if len(me.Tagged) != len(tagged) {
		t.Errorf("tagged %v, want the visible gallery items tagged with p1 %v", me.Tagged, tagged)
	}

	// Shared media only through the session.
	sha := me.Shared[0].Media.SHA256
	if r := tb.get(t, "/api/screen/v1/me/media/"+sha, sessionHeader, a.Session); r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "image/") {
		t.Errorf("me/media: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if r := tb.get(t, "/api/screen/v1/me/media/"+sha); r.status != http.StatusUnauthorized {
		t.Errorf("me/media without a session: %d, want 401", r.status)
	}
	if r := tb.get(t, "/api/screen/v1/media/"+sha); r.status != http.StatusNotFound {
		t.Errorf("shared medium on the public media endpoint: %d, want 404", r.status)
	}
	// Someone else's session does not reach Karen's media.
	other := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p3", PIN: "1357"})
	if r := tb.get(t, "/api/screen/v1/me/media/"+sha, sessionHeader, other.Session); r.status != http.StatusNotFound {
		t.Errorf("Karen's medium with Inger's session: %d, want 404", r.status)
	}

	// Logout ends the session.
	if r := do(t, http.MethodDelete, tb.URL+"/api/screen/v1/sessions/current", testToken, nil, sessionHeader, a.Session); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if _, r := tb.me(t, a.Session); r.status != http.StatusUnauthorized {
		t.Errorf("me after logout: %d, want 401", r.status)
	}
	if strings.Contains(logs.String(), a.Session) {
		t.Error("the backend logged a session id")
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "demo screen login") {
			continue // the demo prints its PINs on purpose
		}
		if strings.Contains(line, "2580") || strings.Contains(line, "1357") {
			t.Errorf("a PIN in the log: %s", line)
		}
	}
}

func TestLoginPINLock(t *testing.T) {
	tb := startBackend(t)
	wrong := SessionRequest{Method: "pin", ProfileID: "p3", PIN: "0000"}
	for _, want := range []float64{2, 1} {
		r := tb.login(t, wrong)
		wantJSONError(t, r, http.StatusUnauthorized, "wrong_pin")
		if got := errBody(t, r)["tries_left"]; got != want {
			t.Errorf("tries_left %v, want %v", got, want)
		}
	}
	r := tb.login(t, wrong)
	if r.status != http.StatusTooManyRequests || errBody(t, r)["error"] != "locked" || errBody(t, r)["retry_after"] != float64(300) {
		t.Fatalf("third wrong PIN: %d %s, want 429 locked retry_after 300", r.status, r.body)
	}
	// Locked: even the right PIN is refused until the lock runs out.
	right := SessionRequest{Method: "pin", ProfileID: "p3", PIN: "1357"}
	tb.clock.Advance(time.Minute)
	r = tb.login(t, right)
	if r.status != http.StatusTooManyRequests || errBody(t, r)["retry_after"] != float64(240) {
		t.Errorf("right PIN while locked: %d %s, want 429 retry_after 240", r.status, r.body)
	}
	// Another profile is not affected.
	tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	tb.clock.Advance(4 * time.Minute)
	tb.loginOK(t, right)
	// The count starts again after a good login.
	wantJSONError(t, tb.login(t, wrong), http.StatusUnauthorized, "wrong_pin")
	if got := errBody(t, tb.login(t, wrong))["tries_left"]; got != float64(1) {
		t.Errorf("tries_left %v after two new wrong tries, want 1", got)
	}
}

func TestLoginRefusals(t *testing.T) {
	tb := startBackend(t)
	for _, c := range []struct {
		name   string
		req    SessionRequest
		status int
		code   string
	}{
		{"no screen login", SessionRequest{Method: "pin", ProfileID: "p2", PIN: "1234"}, http.StatusForbidden, "no_login"},
		{"locked by staff", SessionRequest{Method: "pin", ProfileID: "p5", PIN: "4680"}, http.StatusTooManyRequests, "locked"},
		{"unknown profile", SessionRequest{Method: "pin", ProfileID: "p999", PIN: "1234"}, http.StatusNotFound, "unknown_profile"},
		{"another department", SessionRequest{Method: "pin", ProfileID: "p21", PIN: "1111"}, http.StatusNotFound, "unknown_profile"},
		{"hidden profile", SessionRequest{Method: "pin", ProfileID: "p13", PIN: "1234"}, http.StatusNotFound, "unknown_profile"},
		{"unknown tag", SessionRequest{Method: "tag", Tag: "0499999999"}, http.StatusNotFound, "unknown_tag"},
		{"short pin", SessionRequest{Method: "pin", ProfileID: "p1", PIN: "12"}, http.StatusBadRequest, "bad_request"},
		{"no method", SessionRequest{}, http.StatusBadRequest, "bad_request"},
	} {
		t.Run(c.name, func(t *testing.T) { wantJSONError(t, tb.login(t, c.req), c.status, c.code) })
	}
	if r := do(t, http.MethodPost, tb.URL+"/api/screen/v1/sessions", "", strings.NewReader(`{"method":"pin","profile_id":"p1","pin":"2580"}`)); r.status != http.StatusUnauthorized {
		t.Errorf("login without a device token: %d, want 401", r.status)
	}
	plain := startBackend(t, func(o *Options) { o.PlainV1 = true })
	wantJSONError(t, plain.login(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"}), http.StatusNotFound, "not_found")
}

func TestLoginByTagAndExpiry(t *testing.T) {
	tb := startBackend(t)
	a := tb.loginOK(t, SessionRequest{Method: "tag", Tag: "04A1B2C3D4E5F6"})
	if a.ProfileID != "p1" {
		t.Fatalf("tag logged in %s, want p1", a.ProfileID)
	}
	// Every use keeps the session alive for five more minutes.
	tb.clock.Advance(4 * time.Minute)
	if _, r := tb.me(t, a.Session); r.status != http.StatusOK {
		t.Fatalf("me after 4 min: %d", r.status)
	}
	tb.clock.Advance(4 * time.Minute)
	if _, r := tb.me(t, a.Session); r.status != http.StatusOK {
		t.Fatalf("me 4 min after the last use: %d", r.status)
	}
	tb.clock.Advance(5 * time.Minute)
	_, r := tb.me(t, a.Session)
	wantJSONError(t, r, http.StatusUnauthorized, "no_session")
	_, r = tb.me(t, "made-up")
	wantJSONError(t, r, http.StatusUnauthorized, "no_session")
}

func TestSuggestionsWithSession(t *testing.T) {
	tb := startBackend(t)
	a := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	board, _ := tb.board(t)
	meeting := board.Meetings[0].ID
	post := func(sess string, req SuggestionRequest) response {
		data, _ := json.Marshal(req)
		return do(t, http.MethodPost, tb.URL+"/api/screen/v1/suggestions", testToken, bytes.NewReader(data), "Content-Type", "application/json", sessionHeader, sess)
	}
	req := SuggestionRequest{ID: "6b1f0c1e-1", MeetingID: meeting, Text: "Æbleskiver til julemødet"}
	if r := post(a.Session, req); r.status != http.StatusOK || errBody(t, r)["result"] != ResultApplied {
		t.Fatalf("suggestion: %d %s", r.status, r.body)
	}
	if r := post(a.Session, req); r.status != http.StatusOK || errBody(t, r)["result"] != ResultUnchanged {
		t.Errorf("suggestion again: %d %s, want 200 unchanged", r.status, r.body)
	}
	board, _ = tb.board(t)
	var found bool
	for _, s := range board.Meetings[0].Suggestions {
		found = found || s.ID == req.ID && s.ProfileID == "p1" && s.Text == req.Text
	}
	if !found {
		t.Errorf("the suggestion is not on the board: %+v", board.Meetings[0].Suggestions)
	}
	me, _ := tb.me(t, a.Session)
	if len(me.Suggestions) != 1 || me.Suggestions[0].Text != req.Text {
		t.Errorf("my suggestions %+v", me.Suggestions)
	}
	wantJSONError(t, post(a.Session, SuggestionRequest{ID: "x2", MeetingID: meeting, Text: strings.Repeat("æ", 281)}), http.StatusConflict, "too_long")
	if r := post(a.Session, SuggestionRequest{ID: "x3", MeetingID: meeting, Text: strings.Repeat("æ", 280)}); r.status != http.StatusOK {
		t.Errorf("280 characters: %d %s", r.status, r.body)
	}
	wantJSONError(t, post(a.Session, SuggestionRequest{ID: "x4", MeetingID: "mt-nope", Text: "Hej"}), http.StatusConflict, "unknown_meeting")
	wantJSONError(t, post("", SuggestionRequest{ID: "x5", MeetingID: meeting, Text: "Hej"}), http.StatusUnauthorized, "no_session")
	tb.clock.Set(board.Meetings[0].Start)
	b := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	wantJSONError(t, post(b.Session, SuggestionRequest{ID: "x6", MeetingID: meeting, Text: "For sent"}), http.StatusConflict, "closed")
}

func TestSignupRecordsTheSession(t *testing.T) {
	tb := startBackend(t)
	a := tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p1", PIN: "2580"})
	board, _ := tb.board(t)
	var act string
	for _, x := range board.Activities {
		if x.SignupOpen && x.Start.After(testDay) {
			act = x.ID
			break
		}
	}
	r := tb.postJSON(t, "/api/screen/v1/signups", SignupRequest{ID: "su-1", ItemType: ItemActivity, ItemID: act, ProfileID: "p1", Action: ActionJoin, Session: a.Session})
	if r.status != http.StatusOK {
		t.Fatalf("sign-up: %d %s", r.status, r.body)
	}
	recs, err := tb.Server.signupRecords()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].SessionOf != "p1" || recs[0].Session != "" {
		t.Errorf("records %+v: want one made in p1's session, without the session id", recs)
	}
}
