package sync

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"skaerm/internal/clock"
	"skaerm/personal"
)

// Personal login (Screen API v1.1). A resident logs in with a tag or with
// their picture and PIN; the session and everything fetched with it lives in
// this process's memory only and is wiped at logout, after the idle timeout,
// when the backend no longer knows the session, and on shutdown. Tags and
// PINs go to the backend once and are never logged, kept or reported.

// Defaults of LoginOptions.
const (
	DefaultIdleTimeout     = personal.IdleTimeout // without a touch: the question, then its answer time
	DefaultMaxPersonalSize = 10 << 20             // bytes of one shared medium
	maxMeBytes             = 1 << 20
	sessionHeaderName      = "Screen-Session"
	suggestionRetry        = 30 * time.Second
)

// Reasons a session ends, as the log says them.
const (
	EndLogout       = "logout"        // the resident pressed "Log ud"
	EndIdle         = "idle"          // no touch for the idle timeout
	EndTagAgain     = "tag_again"     // the same tag was shown again
	EndReplaced     = "replaced"      // another resident logged in
	EndBackendEnded = "backend_ended" // the backend answered 401 for the session
	EndShutdown     = "shutdown"      // the screen is stopping
)

// Login errors a caller can branch on with errors.Is, besides the
// connection's ErrBackendUnreachable (offline: no login without the backend).
var (
	ErrNoSession     = errors.New("no session: log in first")
	ErrWrongPIN      = errors.New("wrong PIN")
	ErrPINLocked     = errors.New("the PIN is locked for a while")
	ErrNoLogin       = errors.New("this profile has no screen login")
	ErrUnknownTag    = errors.New("the tag is not known")
	ErrUnknownPerson = errors.New("the profile is not known to the backend")
	ErrNoSessions    = errors.New("the backend offers no personal login")
)

// LoginError is a refused login with what the backend said about it. It
// never holds the tag or the PIN.
type LoginError struct {
	Err        error         // one of the Err* above
	TriesLeft  int           // ErrWrongPIN: tries before the lock; -1 unknown
	RetryAfter time.Duration // ErrPINLocked: how long the lock lasts
}

func (e *LoginError) Error() string {
	switch {
	case errors.Is(e.Err, ErrWrongPIN) && e.TriesLeft >= 0:
		return fmt.Sprintf("login: %v (%d tries left)", e.Err, e.TriesLeft)
	case errors.Is(e.Err, ErrPINLocked):
		return fmt.Sprintf("login: %v (%s)", e.Err, e.RetryAfter)
	}
	return "login: " + e.Err.Error()
}

func (e *LoginError) Unwrap() error { return e.Err }

// Who is the logged-in resident, as the header shows them.
type Who struct {
	ProfileID string
	Name      string
	Number    string // the random session number the logs use
}

// LoginOptions configure a Login.
type LoginOptions struct {
	// Backend is the screen's connection to its backend, shared with the
	// sync and pairing: the login sends the token it holds at each request,
	// and offers login while it holds one. Nil: a connection of the
	// login's own, made from BaseURL, CAFile, Token and Version (for a
	// login on its own, as the snapshot's); these are not read when
	// Backend is set.
	Backend                         *Backend
	BaseURL, Token, CAFile, Version string
	Clock                           clock.Clock  // nil: clock.Real{}
	Logger                          *slog.Logger // nil: discard
	IdleTimeout                     time.Duration
	MaxMediaBytes                   int64
	// OnChange is called (from the goroutine that caused it) when a session
	// starts or ends, so the display can follow.
	OnChange func()
}

// Login is the screen's login client: one session at a time.
type Login struct {
	opts  LoginOptions
	t     *Backend
	clock clock.Clock
	log   *slog.Logger
	wake  chan struct{}

	offer       atomic.Int32 // 0 not asked yet, offerYes, offerNo
	unreachable atomic.Bool  // the last request found no backend

	mu       gosync.Mutex
	cur      *liveSession
	bySignup map[string]*liveSession // sign-ups made in a session -> that session
}

const (
	offerYes = 1
	offerNo  = 2
)

// Offered reports whether login can be offered: false while the screen
// has no device token (not paired yet, or its token was refused), and
// once the backend said it has no personal login (a plain v1 backend, or
// v1.1 without "sessions").
func (l *Login) Offered() bool { return l.t.hasToken() && l.offer.Load() != offerNo }

// Unreachable reports whether the last request to the backend found none.
func (l *Login) Unreachable() bool { return l.unreachable.Load() }

// watchOffer asks the backend what it offers now, every hour, and at once
// when the screen's token changes (a screen that started unpaired, or was
// paired again, offers login without a restart).
func (l *Login) watchOffer(ctx context.Context) {
	for {
		changed := l.t.TokenChanged()
		if l.t.hasToken() {
			c, err := fetchCapabilities(ctx, l.t)
			switch {
			case err == nil && c.offers(featureSessions):
				l.offer.Store(offerYes)
			case err == nil:
				l.offer.Store(offerNo)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
			l.offer.Store(0) // what the backend said was for the old token
		case <-l.clock.After(capsEvery):
		}
	}
}

// liveSession is the one session: in memory, never encoded.
type liveSession struct {
	token     string // the backend's session id: only in the request header
	tagSum    [32]byte
	tagSalt   [16]byte
	hasTag    bool
	who       Who
	lastTouch time.Time
	page      *personal.Page
	pending   []suggestion // suggestions not yet accepted by the backend
}

type suggestion struct{ ID, MeetingID, Text string }

// NewLogin checks opts and returns a Login; it does not touch the network.
// Without a device token (a screen not paired yet) login is not offered
// until one is set on the Backend (Backend.SetToken).
func NewLogin(opts LoginOptions) (*Login, error) {
	t := opts.Backend
	if t == nil {
		var err error
		if t, err = NewBackend(opts.BaseURL, opts.CAFile, opts.Token, opts.Version); err != nil {
			return nil, err
		}
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxMediaBytes <= 0 {
		opts.MaxMediaBytes = DefaultMaxPersonalSize
	}
	return &Login{opts: opts, t: t, clock: opts.Clock, log: opts.Logger, wake: make(chan struct{}, 1), bySignup: map[string]*liveSession{}}, nil
}

// Current returns who is logged in.
func (l *Login) Current() (Who, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return Who{}, false
	}
	return l.cur.who, true
}

// LoginPIN logs profileID in with pin. A session already running ends
// first (replaced).
func (l *Login) LoginPIN(ctx context.Context, profileID, pin string) (Who, error) {
	body, err := json.Marshal(map[string]string{"method": "pin", "profile_id": profileID, "pin": pin})
	if err != nil {
		return Who{}, err
	}
	return l.start(ctx, "pin", body, nil)
}

// LoginTag logs in with a tag read by a reader. The tag of the running
// session logs out instead (ended is true); another tag replaces it.
func (l *Login) LoginTag(ctx context.Context, tag string) (who Who, ended bool, err error) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if tag == "" {
		return Who{}, false, &LoginError{Err: ErrUnknownTag, TriesLeft: -1}
	}
	l.mu.Lock()
	same := l.cur != nil && l.cur.hasTag && l.cur.tagMatches(tag)
	l.mu.Unlock()
	if same {
		l.Logout(ctx, EndTagAgain)
		return Who{}, true, nil
	}
	body, err := json.Marshal(map[string]string{"method": "tag", "tag": tag})
	if err != nil {
		return Who{}, false, err
	}
	who, err = l.start(ctx, "tag", body, []byte(tag))
	return who, false, err
}

func (s *liveSession) tagMatches(tag string) bool {
	sum := sha256.Sum256(append(s.tagSalt[:], tag...))
	return subtle.ConstantTimeCompare(sum[:], s.tagSum[:]) == 1
}

func (l *Login) start(ctx context.Context, method string, body, tag []byte) (Who, error) {
	defer clear(body)
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := l.t.newRequest(ctx, http.MethodPost, "/sessions", nil, body, "application/json")
	if err != nil {
		return Who{}, err
	}
	resp, err := l.send(req)
	if err != nil {
		return Who{}, fmt.Errorf("login: %w", err)
	}
	l.offer.CompareAndSwap(0, offerYes)
	defer drain(resp)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return Who{}, loginRefusal(resp)
	}
	raw, err := readLimited(resp.Body, maxErrorBody, "session answer")
	if err != nil {
		return Who{}, fmt.Errorf("login: %w", err)
	}
	var ans struct {
		Session   string `json:"session"`
		ProfileID string `json:"profile_id"`
		Name      string `json:"name"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil || ans.Session == "" || ans.ProfileID == "" {
		return Who{}, fmt.Errorf("login: %w: the session answer is not usable", ErrBackendFailed)
	}
	s := &liveSession{token: ans.Session, lastTouch: l.clock.Now(),
		who: Who{ProfileID: cleanToken(ans.ProfileID, 64), Name: cleanLine(ans.Name, 60), Number: sessionNumber()}}
	if tag != nil {
		rand.Read(s.tagSalt[:])
		s.tagSum = sha256.Sum256(append(s.tagSalt[:], tag...))
		s.hasTag = true
	}
	l.mu.Lock()
	old := l.cur
	l.cur = s
	l.mu.Unlock()
	if old != nil {
		l.end(ctx, old, EndReplaced)
	}
	l.log.Info("session started", "session", s.who.Number, "method", method)
	l.poke()
	l.changed()
	return s.who, nil
}

// send does one request; unlike the sync's it hands 401, 403, 404, 409 and
// 429 answers back to the caller, which reads the reason.
func (l *Login) send(req *http.Request) (*http.Response, error) {
	resp, err := l.t.http.Do(req)
	if err != nil {
		err = classify(err)
		l.unreachable.Store(errors.Is(err, ErrBackendUnreachable))
		return nil, err
	}
	l.unreachable.Store(false)
	if resp.StatusCode >= 500 || resp.StatusCode >= 300 && resp.StatusCode < 400 {
		drain(resp)
		return nil, fmt.Errorf("%w: %s", ErrBackendFailed, resp.Status)
	}
	return resp, nil
}

// loginRefusal turns a refused login into a LoginError (or the device token
// being refused into ErrUnauthorized).
func loginRefusal(resp *http.Response) error {
	var ans struct {
		Error      string `json:"error"`
		TriesLeft  *int   `json:"tries_left"`
		RetryAfter *int   `json:"retry_after"`
	}
	_ = json.Unmarshal(readReason(resp.Body), &ans)
	e := &LoginError{TriesLeft: -1}
	switch ans.Error {
	case "wrong_pin":
		e.Err = ErrWrongPIN
		if ans.TriesLeft != nil {
			e.TriesLeft = *ans.TriesLeft
		}
	case "locked":
		e.Err = ErrPINLocked
		if ans.RetryAfter != nil {
			e.RetryAfter = time.Duration(*ans.RetryAfter) * time.Second
		}
	case "no_login":
		e.Err = ErrNoLogin
	case "unknown_tag":
		e.Err = ErrUnknownTag
	case "unknown_profile":
		e.Err = ErrUnknownPerson
	default:
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("login: %w", ErrUnauthorized)
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			e.Err = ErrNoSessions
		default:
			return fmt.Errorf("login: %w: %s", ErrBackendFailed, resp.Status)
		}
	}
	return e
}

// sessionNumber is a random number for the logs, so one session's lines can
// be followed without a name.
func sessionNumber() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Touch notes that the resident used the screen: the idle timeout starts
// again.
func (l *Login) Touch() {
	l.mu.Lock()
	if l.cur != nil {
		l.cur.lastTouch = l.clock.Now()
	}
	l.mu.Unlock()
	l.poke()
}

func (l *Login) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *Login) changed() {
	if l.opts.OnChange != nil {
		l.opts.OnChange()
	}
}

// Logout ends the session (if any) for reason: the backend is told (best
// effort) and everything of the session is wiped.
func (l *Login) Logout(ctx context.Context, reason string) {
	l.mu.Lock()
	s := l.cur
	l.cur = nil
	l.mu.Unlock()
	if s != nil {
		l.end(ctx, s, reason)
		l.changed()
	}
}

// end tells the backend (unless it ended the session itself) and wipes s.
func (l *Login) end(ctx context.Context, s *liveSession, reason string) {
	if reason != EndBackendEnded {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		if req, err := l.t.newRequest(ctx, http.MethodDelete, "/sessions/current", nil, nil, ""); err == nil {
			req.Header.Set(sessionHeaderName, s.token)
			if resp, err := l.send(req); err == nil {
				drain(resp)
			}
		}
		cancel()
	}
	l.mu.Lock()
	for id, owner := range l.bySignup {
		if owner == s {
			delete(l.bySignup, id)
		}
	}
	dropped := len(s.pending)
	s.page.Wipe()
	s.page = nil
	for i := range s.pending {
		s.pending[i] = suggestion{}
	}
	s.pending = nil
	s.token = ""
	clear(s.tagSum[:])
	l.mu.Unlock()
	args := []any{"session", s.who.Number, "reason", reason}
	if dropped > 0 {
		args = append(args, "suggestions_unsent", dropped)
	}
	l.log.Info("session ended", args...)
}

// session returns the current session's token, or ErrNoSession.
func (l *Login) session() (*liveSession, string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return nil, "", ErrNoSession
	}
	return l.cur, l.cur.token, nil
}

// sessionRequest sends a request with the session; a 401 for the session
// ends it (backend_ended) and returns ErrNoSession.
func (l *Login) sessionRequest(ctx context.Context, s *liveSession, token, method, path string, body []byte) (*http.Response, error) {
	ct := ""
	if body != nil {
		ct = "application/json"
	}
	req, err := l.t.newRequest(ctx, method, path, nil, body, ct)
	if err != nil {
		return nil, err
	}
	req.Header.Set(sessionHeaderName, token)
	resp, err := l.send(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		var ans struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(readReason(resp.Body), &ans)
		resp.Body.Close()
		if ans.Error == "unauthorized" {
			return nil, ErrUnauthorized
		}
		l.mu.Lock()
		mine := l.cur == s
		if mine {
			l.cur = nil
		}
		l.mu.Unlock()
		if mine {
			l.end(ctx, s, EndBackendEnded)
			l.changed()
		}
		return nil, ErrNoSession
	}
	return resp, nil
}

// Page fetches Min side: GET /me, then every shared medium, all into
// memory. The page belongs to the session and is wiped with it; callers
// must not keep it past the next OnChange.
func (l *Login) Page(ctx context.Context) (*personal.Page, error) {
	s, token, err := l.session()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := l.sessionRequest(ctx, s, token, http.MethodGet, "/me", nil)
	if err != nil {
		return nil, fmt.Errorf("min side: %w", err)
	}
	raw, err := readLimited(resp.Body, maxMeBytes, "personal page")
	drain(resp)
	if err != nil {
		return nil, fmt.Errorf("min side: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("min side: %w: %s", ErrBackendFailed, resp.Status)
	}
	page, err := decodeMe(raw)
	clear(raw)
	if err != nil {
		return nil, fmt.Errorf("min side: %w", err)
	}
	for i := range page.Shared {
		m := &page.Shared[i].Media
		if !drawable(m.ContentType) {
			continue // a video or a PDF: the screen shows where to see it instead
		}
		data, err := l.fetchPersonal(ctx, s, token, m.SHA256)
		if err != nil {
			if errors.Is(err, ErrNoSession) || errors.Is(err, ErrBackendUnreachable) || ctx.Err() != nil {
				page.Wipe()
				return nil, fmt.Errorf("min side: %w", err)
			}
			l.log.Warn("shared item not fetched", "session", s.who.Number, "item", page.Shared[i].ID, "err", err)
			continue
		}
		m.Data = data
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur != s {
		page.Wipe()
		return nil, fmt.Errorf("min side: %w", ErrNoSession)
	}
	s.page.Wipe()
	s.page = page
	return page, nil
}

func decodeMe(raw []byte) (*personal.Page, error) {
	var w struct {
		ProfileID string `json:"profile_id"`
		Name      string `json:"name"`
		Shared    []struct {
			ID       string    `json:"id"`
			Kind     string    `json:"kind"`
			Title    string    `json:"title"`
			SharedAt time.Time `json:"shared_at"`
			Media    struct {
				SHA256      string `json:"sha256"`
				ContentType string `json:"content_type"`
				Width       int    `json:"width"`
				Height      int    `json:"height"`
			} `json:"media"`
		} `json:"shared"`
		Tagged []string `json:"tagged"`
		Groups []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"groups"`
		Suggestions []struct {
			MeetingID string `json:"meeting_id"`
			Text      string `json:"text"`
		} `json:"suggestions"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBackendFailed, jsonProblem(err))
	}
	p := &personal.Page{ProfileID: cleanToken(w.ProfileID, 64), Name: cleanLine(w.Name, 60)}
	for _, it := range w.Shared {
		sha := strings.ToLower(it.Media.SHA256)
		if !isSHA256(sha) {
			continue
		}
		switch it.Kind {
		case personal.Picture, personal.Document, personal.Video:
		default:
			continue
		}
		p.Shared = append(p.Shared, personal.Item{ID: cleanToken(it.ID, 64), Kind: it.Kind, Title: cleanLine(it.Title, 200), SharedAt: it.SharedAt,
			Media: personal.Media{SHA256: sha, ContentType: cleanLine(it.Media.ContentType, 60), Width: it.Media.Width, Height: it.Media.Height}})
	}
	for _, g := range w.Tagged {
		if g = cleanToken(g, 64); g != "" {
			p.Tagged = append(p.Tagged, g)
		}
	}
	for _, g := range w.Groups {
		p.Groups = append(p.Groups, personal.Group{ID: cleanToken(g.ID, 64), Name: cleanLine(g.Name, 80)})
	}
	for _, s := range w.Suggestions {
		p.Suggestions = append(p.Suggestions, personal.Suggestion{MeetingID: cleanToken(s.MeetingID, 64), Text: cleanLine(s.Text, 4*personal.MaxSuggestion)})
	}
	return p, nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// fetchPersonal reads one shared medium into memory and checks its hash.
func (l *Login) fetchPersonal(ctx context.Context, s *liveSession, token, sha string) ([]byte, error) {
	resp, err := l.sessionRequest(ctx, s, token, http.MethodGet, "/me/media/"+sha, nil)
	if err != nil {
		return nil, err
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s", ErrBackendFailed, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, l.opts.MaxMediaBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBackendUnreachable, err)
	}
	if int64(len(data)) > l.opts.MaxMediaBytes {
		clear(data)
		return nil, fmt.Errorf("%w: over %d bytes", ErrBadMedia, l.opts.MaxMediaBytes)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		clear(data)
		return nil, fmt.Errorf("%w: hash mismatch", ErrBadMedia)
	}
	return data, nil
}

// SignupMade notes that the sign-up with id was made during the current
// session, so it is sent with the session (SessionFor). Only this memory
// knows it; the outbox entry in the cache carries no trace of the session.
func (l *Login) SignupMade(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur != nil {
		l.bySignup[id] = l.cur
	}
}

// SessionFor returns the session a sign-up was made in, "" when none (or
// the session has ended). The sync calls it when it sends the sign-up.
func (l *Login) SessionFor(signupID string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.bySignup[signupID]; s != nil && s == l.cur {
		return s.token
	}
	return ""
}

// Suggest sends a suggestion for a meeting with the session. It waits in
// the session's memory until the backend has it (retried while the
// session lasts; a suggestion needs the session, so it cannot outlive it).
// A refusal (closed, too long, unknown meeting) comes back as an error.
func (l *Login) Suggest(ctx context.Context, id, meetingID, text string) error {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > personal.MaxSuggestion {
		return fmt.Errorf("suggestion: %w: between 1 and %d characters", ErrConfig, personal.MaxSuggestion)
	}
	l.mu.Lock()
	if l.cur == nil {
		l.mu.Unlock()
		return ErrNoSession
	}
	l.cur.pending = append(l.cur.pending, suggestion{ID: id, MeetingID: meetingID, Text: text})
	l.mu.Unlock()
	return l.flushSuggestions(ctx)
}

// PendingSuggestions counts suggestions still waiting to be sent.
func (l *Login) PendingSuggestions() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return 0
	}
	return len(l.cur.pending)
}

func (l *Login) flushSuggestions(ctx context.Context) error {
	for {
		l.mu.Lock()
		s := l.cur
		if s == nil || len(s.pending) == 0 {
			l.mu.Unlock()
			return nil
		}
		sg, token := s.pending[0], s.token
		l.mu.Unlock()
		err := l.sendSuggestion(ctx, s, token, sg)
		var no refusal
		if err != nil && !errors.As(err, &no) {
			l.log.Warn("suggestion not sent, will retry", "session", s.who.Number, "id", sg.ID, "err", err)
			return fmt.Errorf("suggestion: %w", err)
		}
		l.mu.Lock()
		if l.cur == s && len(s.pending) > 0 && s.pending[0].ID == sg.ID {
			s.pending[0] = suggestion{}
			s.pending = s.pending[1:]
		}
		l.mu.Unlock()
		if err != nil {
			l.log.Info("suggestion refused", "session", s.who.Number, "id", sg.ID, "reason", no.reason)
			return fmt.Errorf("suggestion: %w", err)
		}
		l.log.Info("suggestion sent", "session", s.who.Number, "id", sg.ID, "meeting", sg.MeetingID)
	}
}

func (l *Login) sendSuggestion(ctx context.Context, s *liveSession, token string, sg suggestion) error {
	body, err := json.Marshal(map[string]string{"id": sg.ID, "meeting_id": sg.MeetingID, "text": sg.Text})
	if err != nil {
		return err
	}
	defer clear(body)
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := l.sessionRequest(ctx, s, token, http.MethodPost, "/suggestions", body)
	if err != nil {
		return err
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated, http.StatusNoContent:
		return nil
	case http.StatusConflict, http.StatusBadRequest:
		var ans struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(readReason(resp.Body), &ans)
		reason := cleanToken(ans.Error, 40)
		if reason == "" {
			reason = "refused"
		}
		return refusal{reason}
	}
	return fmt.Errorf("%w: %s", ErrBackendFailed, resp.Status)
}

// Run ends the session after the idle timeout, retries waiting suggestions,
// and logs out when ctx ends (shutdown). It returns when ctx ends.
func (l *Login) Run(ctx context.Context) {
	var offers gosync.WaitGroup
	offers.Go(func() { l.watchOffer(ctx) })
	defer offers.Wait()
	defer l.Logout(ctx, EndShutdown)
	for {
		wait := time.Duration(-1)
		l.mu.Lock()
		s := l.cur
		if s != nil {
			wait = s.lastTouch.Add(l.opts.IdleTimeout).Sub(l.clock.Now())
			if len(s.pending) > 0 && wait > suggestionRetry {
				wait = suggestionRetry
			}
		}
		l.mu.Unlock()
		if s != nil && wait <= 0 {
			l.mu.Lock()
			idle := l.cur == s && !l.clock.Now().Before(s.lastTouch.Add(l.opts.IdleTimeout))
			if idle {
				l.cur = nil
			}
			l.mu.Unlock()
			if idle {
				l.end(ctx, s, EndIdle)
				l.changed()
			}
			continue
		}
		var timer <-chan time.Time
		if s != nil {
			timer = l.clock.After(wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		case <-timer:
			if l.PendingSuggestions() > 0 {
				_ = l.flushSuggestions(ctx)
			}
		}
	}
}

// IdleLeft is how long until the idle timeout; false when nobody is
// logged in.
func (l *Login) IdleLeft() (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return 0, false
	}
	return l.cur.lastTouch.Add(l.opts.IdleTimeout).Sub(l.clock.Now()), true
}

// SuggestionRefused reports whether err is the backend's definitive no to
// a suggestion, and its reason ("closed", "too_long", "unknown_meeting").
func SuggestionRefused(err error) (string, bool) {
	var no refusal
	if errors.As(err, &no) {
		return no.reason, true
	}
	return "", false
}

// drawable reports whether the screen draws media of this type itself:
// pictures (a document's pages come as pictures). Videos and PDFs are not
// fetched.
func drawable(contentType string) bool {
	switch mediaType(contentType) {
	case "image/jpeg", "image/png", "image/webp":
		return true
	}
	return false
}
