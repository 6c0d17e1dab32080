package backend

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// Personal login (Screen API v1.1, "Min side"): a resident logs in on a
// screen with a tag or with their picture and a PIN, and the screen may then
// fetch what is shared to them. The reference backend keeps the logins of
// the demo and every session in memory; a restart ends all sessions.

// Login timings and limits.
const (
	sessionTTL     = 5 * time.Minute // a session lasts this long after its last use
	maxPINTries    = 3               // wrong PINs in a row before the profile's PIN locks
	pinLockFor     = 5 * time.Minute // how long a PIN lock lasts
	maxSuggestion  = 280             // characters of a suggestion
	sessionHeader  = "Screen-Session"
	sessionIDBytes = 24
)

// Shared item kinds.
const (
	SharedPicture  = "picture"
	SharedDocument = "document"
	SharedVideo    = "video"
)

// SharedItem is something shared to one profile: visible on a screen only
// while that person is logged in.
type SharedItem struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	Media    Image     `json:"media"`
	SharedAt time.Time `json:"shared_at"`
}

// Group is a group a profile belongs to.
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// MySuggestion is a suggestion the logged-in person wrote.
type MySuggestion struct {
	MeetingID string `json:"meeting_id"`
	Text      string `json:"text"`
}

// Me is the answer of GET /api/screen/v1/me.
type Me struct {
	ProfileID   string         `json:"profile_id"`
	Name        string         `json:"name"`
	Shared      []SharedItem   `json:"shared"`
	Tagged      []string       `json:"tagged"`
	Groups      []Group        `json:"groups"`
	Suggestions []MySuggestion `json:"suggestions"`
}

// SessionRequest is the body of POST /api/screen/v1/sessions.
type SessionRequest struct {
	Method    string `json:"method"` // tag | pin
	Tag       string `json:"tag,omitempty"`
	ProfileID string `json:"profile_id,omitempty"`
	PIN       string `json:"pin,omitempty"`
}

// SessionAnswer is the 201 answer of POST /api/screen/v1/sessions.
type SessionAnswer struct {
	Session   string `json:"session"`
	ExpiresIn int    `json:"expires_in"`
	ProfileID string `json:"profile_id"`
	Name      string `json:"name"`
}

// SuggestionRequest is the body of POST /api/screen/v1/suggestions.
type SuggestionRequest struct {
	ID        string `json:"id"`
	MeetingID string `json:"meeting_id"`
	Text      string `json:"text"`
}

// Account is one profile's screen login.
type Account struct {
	ProfileID string
	PIN       string   // 4 digits; "" means login by tag only
	Tags      []string // tag ids as readers type them (lower-case hex or digits)
	Locked    bool     // locked by staff at start: every PIN try answers locked
	Groups    []Group
	Shared    []SharedItem
}

// logins holds the accounts, PIN failures and sessions.
type logins struct {
	mu       sync.Mutex
	accounts map[string]*Account // profile id -> account
	tags     map[string]string   // tag -> profile id
	fails    map[string]int      // profile id -> wrong PINs in a row
	lockedTo map[string]time.Time
	sessions map[string]*session // session id -> session
	media    map[string]blob     // sha256 -> shared media, served only to sessions
}

type session struct {
	id        string
	profileID string
	dept      string
	screen    string
	lastUse   time.Time
}

func newLogins() *logins {
	return &logins{
		accounts: map[string]*Account{},
		tags:     map[string]string{},
		fails:    map[string]int{},
		lockedTo: map[string]time.Time{},
		sessions: map[string]*session{},
		media:    map[string]blob{},
	}
}

// addAccount registers a screen login. Media of its shared items must be
// added with addSharedMedia.
func (l *logins) addAccount(a Account) {
	l.mu.Lock()
	defer l.mu.Unlock()
	acc := a
	l.accounts[a.ProfileID] = &acc
	for _, t := range a.Tags {
		l.tags[normalTag(t)] = a.ProfileID
	}
}

func normalTag(t string) string {
	b := []byte(t)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func newSessionID() (string, error) {
	b := make([]byte, sessionIDBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// loginError is a refused login: status and body.
type loginError struct {
	status int
	body   map[string]any
}

func (s *Server) handleSessionStart(w http.ResponseWriter, r *http.Request, sc screen) {
	var req SessionRequest
	if !decodeJSON(w, r, maxJSONBody, &req, false) {
		return
	}
	ans, lerr, err := s.login(sc, req)
	switch {
	case err != nil:
		s.log.Error("login", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not start a session")
	case lerr != nil:
		writeJSON(w, lerr.status, lerr.body)
	default:
		writeJSON(w, http.StatusCreated, ans)
	}
}

// login checks a tag or a PIN and starts a session. Tags and PINs are never
// logged.
func (s *Server) login(sc screen, req SessionRequest) (SessionAnswer, *loginError, error) {
	refuse := func(status int, code string, extra ...any) *loginError {
		body := map[string]any{"error": code, "message": loginMessages[code]}
		for i := 0; i+1 < len(extra); i += 2 {
			body[extra[i].(string)] = extra[i+1]
		}
		return &loginError{status, body}
	}
	l := s.logins
	now := s.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var pid string
	switch req.Method {
	case "tag":
		if req.Tag == "" || len(req.Tag) > 64 {
			return SessionAnswer{}, refuse(http.StatusBadRequest, "bad_request", "message", "tag is required (at most 64 characters)"), nil
		}
		id, ok := l.tags[normalTag(req.Tag)]
		if !ok {
			s.log.Info("login refused", "method", "tag", "reason", "unknown_tag", "screen", sc.id)
			return SessionAnswer{}, refuse(http.StatusNotFound, "unknown_tag"), nil
		}
		pid = id
	case "pin":
		if req.ProfileID == "" || len(req.PIN) != 4 || !allDigits(req.PIN) {
			return SessionAnswer{}, refuse(http.StatusBadRequest, "bad_request", "message", "profile_id and a 4-digit pin are required"), nil
		}
		pid = req.ProfileID
	default:
		return SessionAnswer{}, refuse(http.StatusBadRequest, "bad_request", "message", "method must be tag or pin"), nil
	}

	s.mu.RLock()
	p, known := s.st.profiles.rows[pid]
	s.mu.RUnlock()
	if !known || p.DepartmentID != sc.dept || !p.VisibleOnScreen {
		if req.Method == "tag" {
			return SessionAnswer{}, refuse(http.StatusNotFound, "unknown_tag"), nil
		}
		return SessionAnswer{}, refuse(http.StatusNotFound, "unknown_profile"), nil
	}
	acc := l.accounts[pid]
	if acc == nil || req.Method == "pin" && acc.PIN == "" {
		s.log.Info("login refused", "method", req.Method, "profile", pid, "reason", "no_login", "screen", sc.id)
		return SessionAnswer{}, refuse(http.StatusForbidden, "no_login"), nil
	}
	if req.Method == "pin" {
		if acc.Locked {
			return SessionAnswer{}, refuse(http.StatusTooManyRequests, "locked", "retry_after", int(pinLockFor.Seconds())), nil
		}
		if until, ok := l.lockedTo[pid]; ok {
			if now.Before(until) {
				left := int(until.Sub(now).Seconds() + 0.999)
				return SessionAnswer{}, refuse(http.StatusTooManyRequests, "locked", "retry_after", left), nil
			}
			delete(l.lockedTo, pid)
		}
		if subtle.ConstantTimeCompare([]byte(req.PIN), []byte(acc.PIN)) != 1 {
			l.fails[pid]++
			if l.fails[pid] >= maxPINTries {
				delete(l.fails, pid)
				l.lockedTo[pid] = now.Add(pinLockFor)
				s.log.Info("login refused", "method", "pin", "profile", pid, "reason", "locked", "screen", sc.id)
				return SessionAnswer{}, refuse(http.StatusTooManyRequests, "locked", "retry_after", int(pinLockFor.Seconds())), nil
			}
			s.log.Info("login refused", "method", "pin", "profile", pid, "reason", "wrong_pin", "screen", sc.id)
			return SessionAnswer{}, refuse(http.StatusUnauthorized, "wrong_pin", "tries_left", maxPINTries-l.fails[pid]), nil
		}
		delete(l.fails, pid)
	}
	id, err := newSessionID()
	if err != nil {
		return SessionAnswer{}, nil, err
	}
	l.sessions[id] = &session{id: id, profileID: pid, dept: sc.dept, screen: sc.id, lastUse: now}
	s.log.Info("session started", "method", req.Method, "profile", pid, "screen", sc.id)
	return SessionAnswer{Session: id, ExpiresIn: int(sessionTTL.Seconds()), ProfileID: pid, Name: displayName(p)}, nil, nil
}

var loginMessages = map[string]string{
	"unknown_tag":     "no profile has this tag",
	"unknown_profile": "no such person in this department",
	"no_login":        "this person has no screen login",
	"wrong_pin":       "wrong PIN",
	"locked":          "the PIN is locked; try again later",
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// withSession checks the Screen-Session header on top of the device token:
// the session must be live and started on this screen. Every use extends it.
func (s *Server) withSession(h func(http.ResponseWriter, *http.Request, screen, session)) func(http.ResponseWriter, *http.Request, screen) {
	return func(w http.ResponseWriter, r *http.Request, sc screen) {
		sess, ok := s.useSession(sc, r.Header.Get(sessionHeader))
		if !ok {
			writeError(w, http.StatusUnauthorized, "no_session", "the session is unknown or has expired; log in again")
			return
		}
		h(w, r, sc, sess)
	}
}

func (s *Server) useSession(sc screen, id string) (session, bool) {
	if id == "" {
		return session{}, false
	}
	l := s.logins
	now := s.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	sess, ok := l.sessions[id]
	if !ok || sess.screen != sc.id || sess.dept != sc.dept {
		return session{}, false
	}
	if now.Sub(sess.lastUse) >= sessionTTL {
		delete(l.sessions, id)
		s.log.Info("session ended", "profile", sess.profileID, "reason", "expired", "screen", sc.id)
		return session{}, false
	}
	sess.lastUse = now
	return *sess, true
}

func (s *Server) handleSessionEnd(w http.ResponseWriter, r *http.Request, sc screen, sess session) {
	l := s.logins
	l.mu.Lock()
	delete(l.sessions, sess.id)
	l.mu.Unlock()
	s.log.Info("session ended", "profile", sess.profileID, "reason", "logout", "screen", sc.id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, sc screen, sess session) {
	me := Me{ProfileID: sess.profileID, Shared: []SharedItem{}, Tagged: []string{}, Groups: []Group{}, Suggestions: []MySuggestion{}}
	s.logins.mu.Lock()
	if acc := s.logins.accounts[sess.profileID]; acc != nil {
		me.Shared = append(me.Shared, acc.Shared...)
		me.Groups = append(me.Groups, acc.Groups...)
	}
	s.logins.mu.Unlock()
	s.mu.RLock()
	me.Name = displayName(s.st.profiles.rows[sess.profileID])
	for _, g := range s.st.gallery.sorted() {
		if g.DepartmentID == sc.dept && g.VisibleOnScreen && slices.Contains(g.Tagged, sess.profileID) {
			me.Tagged = append(me.Tagged, g.ID)
		}
	}
	for _, m := range s.st.meetings.sorted() {
		if m.DepartmentID != sc.dept {
			continue
		}
		for _, sg := range m.Suggestions {
			if sg.ProfileID == sess.profileID {
				me.Suggestions = append(me.Suggestions, MySuggestion{MeetingID: m.ID, Text: sg.Text})
			}
		}
	}
	s.mu.RUnlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, me)
}

func (s *Server) handleMeMedia(w http.ResponseWriter, r *http.Request, sc screen, sess session) {
	sha := r.PathValue("sha256")
	l := s.logins
	l.mu.Lock()
	var mine bool
	if acc := l.accounts[sess.profileID]; acc != nil {
		mine = slices.ContainsFunc(acc.Shared, func(it SharedItem) bool { return it.Media.SHA256 == sha })
	}
	b, ok := l.media[sha]
	l.mu.Unlock()
	if !mine || !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such medium for this session")
		return
	}
	w.Header().Set("Content-Type", b.ContentType)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", fmt.Sprint(len(b.Data)))
	w.WriteHeader(http.StatusOK)
	w.Write(b.Data)
}

var errSuggestionReused = errors.New("suggestion id already used for another text")

func (s *Server) handleSuggestion(w http.ResponseWriter, r *http.Request, sc screen, sess session) {
	var req SuggestionRequest
	if !decodeJSON(w, r, maxJSONBody, &req, false) {
		return
	}
	switch {
	case req.ID == "" || len(req.ID) > 128 || req.MeetingID == "":
		writeError(w, http.StatusBadRequest, "bad_request", "id and meeting_id are required")
		return
	case req.Text == "":
		writeError(w, http.StatusBadRequest, "bad_request", "text is required")
		return
	case utf8.RuneCountInString(req.Text) > maxSuggestion:
		writeError(w, http.StatusConflict, "too_long", fmt.Sprintf("at most %d characters", maxSuggestion))
		return
	}
	var result string
	err := s.update("suggestion", func(b *batch) error {
		m, ok := s.st.meetings.rows[req.MeetingID]
		if !ok || m.DepartmentID != sc.dept {
			result = "unknown_meeting"
			return nil
		}
		for _, sg := range m.Suggestions {
			if sg.ID == req.ID {
				if sg.Text != req.Text || sg.ProfileID != sess.profileID {
					return errSuggestionReused
				}
				result = ResultUnchanged
				return nil
			}
		}
		if !s.clock.Now().Before(m.Start) {
			result = ResultClosed
			return nil
		}
		m.Suggestions = append(slices.Clone(m.Suggestions), Suggestion{ID: req.ID, ProfileID: sess.profileID, Text: req.Text})
		result = ResultApplied
		return put(b, s.st.meetings, m)
	})
	switch {
	case errors.Is(err, errSuggestionReused):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	case err != nil:
		s.log.Error("suggestion", "id", req.ID, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the suggestion")
		return
	}
	s.log.Info("suggestion", "id", req.ID, "meeting", req.MeetingID, "profile", sess.profileID, "result", result)
	switch result {
	case ResultApplied, ResultUnchanged:
		writeJSON(w, http.StatusOK, map[string]string{"id": req.ID, "result": result})
	default:
		writeError(w, http.StatusConflict, result, map[string]string{"unknown_meeting": "no such meeting in this department", ResultClosed: "the meeting has started"}[result])
	}
}

// sessionProfile returns the profile of a live session of sc, "" if id is
// not one (sign-ups record who made them).
func (s *Server) sessionProfile(sc screen, id string) string {
	if id == "" {
		return ""
	}
	sess, ok := s.useSession(sc, id)
	if !ok {
		return ""
	}
	return sess.profileID
}

// The demo's screen logins (department Solsikken unless noted): Karen logs
// in by PIN or key fob, Inger by PIN, Birthe's PIN is locked by staff,
// Kirsten (Havblik) by PIN; everyone else has no screen login. Their shared
// items carry "PRIVATCANARY" in the title, so a screen that writes one down
// is caught by a plain search of its files.
var demoAccounts = []Account{
	{ProfileID: "p1", PIN: "2580", Tags: []string{"04a1b2c3d4e5f6", "0008123456"},
		Groups: []Group{{ID: "grp-strik", Name: "Strikkeklubben"}, {ID: "grp-have", Name: "Havegruppen"}}},
	{ProfileID: "p3", PIN: "1357", Tags: []string{"04c0ffee123480"},
		Groups: []Group{{ID: "grp-sang", Name: "Sangkoret"}}},
	{ProfileID: "p5", PIN: "4680", Locked: true},
	{ProfileID: "p21", PIN: "1111", Groups: []Group{{ID: "grp-bog", Name: "Læsekredsen"}}},
}

type demoShare struct {
	profile, kind, title, scene string
	daysAgo                     int
}

var demoShares = []demoShare{
	{"p1", SharedPicture, "Barnebarnet Sofie til dimission PRIVATCANARY-K1", sceneParty, 2},
	{"p1", SharedPicture, "Sommerhuset i Vejers PRIVATCANARY-K2", sceneBeach, 9},
	{"p1", SharedDocument, "Brev fra datteren PRIVATCANARY-K3", "", 4},
	{"p1", SharedVideo, "Barnebarnet synger PRIVATCANARY-K4", "", 1},
	{"p3", SharedPicture, "Familien i haven PRIVATCANARY-I1", sceneGarden, 5},
	{"p21", SharedPicture, "Havnen i Esbjerg PRIVATCANARY-H1", sceneHarbour, 3},
}

// DemoLogin is a demo resident's PIN, for the demo's log.
type DemoLogin struct{ ProfileID, Name, PIN, Tag string }

// DemoLogins lists the demo residents who can log in with a PIN.
func DemoLogins() []DemoLogin {
	var out []DemoLogin
	for _, a := range demoAccounts {
		if a.Locked || a.PIN == "" {
			continue
		}
		var idx int
		fmt.Sscanf(a.ProfileID, "p%d", &idx)
		dl := DemoLogin{ProfileID: a.ProfileID, Name: demoResidents[idx-1].first, PIN: a.PIN}
		if len(a.Tags) > 0 {
			dl.Tag = a.Tags[0]
		}
		out = append(out, dl)
	}
	return out
}

// seedDemoLogins draws the shared media and registers the demo accounts.
func (s *Server) seedDemoLogins(day time.Time) error {
	l := newLogins()
	for _, a := range demoAccounts {
		for i, sh := range demoShares {
			if sh.profile != a.ProfileID {
				continue
			}
			var b blob
			var err error
			if sh.kind == SharedVideo {
				b = demoVideo(i)
			} else if sh.kind == SharedDocument {
				b, err = drawn(fmt.Sprintf("share/doc/%d", i), func() (image.Image, string) { return drawPage(1240, 1754, uint64(i)), "png" })
			} else {
				b, err = drawn(fmt.Sprintf("share/%s/%d", sh.scene, i), func() (image.Image, string) {
					return drawScene(sh.scene, 1600, 1200, uint64(7000+i)), "jpeg"
				})
			}
			if err != nil {
				return fmt.Errorf("draw shared item %d: %w", i, err)
			}
			l.media[b.SHA256] = b
			a.Shared = append(a.Shared, SharedItem{
				ID: fmt.Sprintf("sh-%s-%d", a.ProfileID, i+1), Kind: sh.kind, Title: sh.title,
				Media: b.Image, SharedAt: day.AddDate(0, 0, -sh.daysAgo).Add(11 * time.Hour).UTC(),
			})
		}
		l.addAccount(a)
	}
	s.logins = l
	return nil
}

// drawPage paints a letter: a white page with lines of grey "text".
func drawPage(w, h int, seed uint64) image.Image {
	p := newPainter(w, h)
	W, H := float32(w), float32(h)
	p.box(0, 0, W, H, rgb(0xFBFAF6))
	y := H * 0.1
	n := int(seed)
	for y < H*0.85 {
		n = (n*1103515245 + 12345) & 0x7fffffff
		width := W * (0.55 + 0.25*float32(n%100)/100)
		p.box(W*0.1, y, W*0.1+width, y+H*0.012, rgb(0x8A8A8A))
		y += H * 0.035
		if n%7 == 0 {
			y += H * 0.03
		}
	}
	return p.dst
}

// demoVideo is a stand-in for an MP4 file: the start of an ISO media file
// (an ftyp box) and some bytes. Screens do not play it; they say where to
// see it.
func demoVideo(seed int) blob {
	data := []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
	for i := 0; i < 4096; i++ {
		data = append(data, byte(i*31+seed))
	}
	sum := sha256.Sum256(data)
	return blob{Image: Image{SHA256: hex.EncodeToString(sum[:]), ContentType: "video/mp4"}, Data: data}
}
