package backend

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Pairing is the OAuth 2.0 device authorization grant (RFC 8628): a screen
// asks for a code, shows it, staff approve it for a department, and the
// screen's polling turns into a device token.

const (
	deviceClientID  = "skaerm"
	deviceCodeTTL   = 10 * time.Minute
	deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"
	// userCodeAlphabet has no vowels (no words), no look-alikes.
	userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"
)

// Pairing errors of the admin API.
var (
	ErrUnknownCode = errors.New("unknown pairing code")
	ErrCodeExpired = errors.New("pairing code expired")
)

type pairState int

const (
	pairPending pairState = iota
	pairApproved
	pairDenied
)

type pairing struct {
	deviceCode string
	userCode   string // normalised: 8 letters, no dash
	expires    time.Time
	interval   time.Duration
	lastPoll   time.Time
	fastPolls  int
	state      pairState
	department string
	token      string
}

type pairings struct {
	interval time.Duration
	mu       sync.Mutex
	byDevice map[string]*pairing
	byUser   map[string]*pairing
}

func newPairings(interval time.Duration) *pairings {
	return &pairings{interval: interval, byDevice: map[string]*pairing{}, byUser: map[string]*pairing{}}
}

// normalizeUserCode drops dashes and spaces and upper-cases, so staff may
// type "bcdf ghjk".
func normalizeUserCode(c string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(c) {
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func formatUserCode(c string) string {
	if len(c) != 8 {
		return c
	}
	return c[:4] + "-" + c[4:]
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomUserCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)]
	}
	return string(b)
}

// start makes a new device code; expired ones are forgotten on the way.
func (ps *pairings) start(now time.Time) *pairing {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for k, p := range ps.byDevice {
		if now.After(p.expires.Add(deviceCodeTTL)) {
			delete(ps.byDevice, k)
			delete(ps.byUser, p.userCode)
		}
	}
	p := &pairing{deviceCode: randomString(32), expires: now.Add(deviceCodeTTL), interval: ps.interval, lastPoll: now}
	for {
		p.userCode = randomUserCode()
		if _, taken := ps.byUser[p.userCode]; !taken {
			break
		}
	}
	ps.byDevice[p.deviceCode] = p
	ps.byUser[p.userCode] = p
	cp := *p
	return &cp
}

// decide approves or denies the code staff typed.
func (ps *pairings) decide(userCode, dept string, approve bool, now time.Time) error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.byUser[normalizeUserCode(userCode)]
	switch {
	case !ok:
		return ErrUnknownCode
	case now.After(p.expires):
		return ErrCodeExpired
	}
	if approve {
		p.state, p.department = pairApproved, dept
	} else {
		p.state = pairDenied
	}
	return nil
}

func (s *Server) handleDeviceAuth(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "unreadable form: "+err.Error())
		return
	}
	if id := clientID(r); id != deviceClientID {
		oauthError(w, http.StatusUnauthorized, "invalid_client", fmt.Sprintf("unknown client_id %q", id))
		return
	}
	p := s.pairing.start(s.clock.Now())
	base := baseURL(r)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":               p.deviceCode,
		"user_code":                 formatUserCode(p.userCode),
		"verification_uri":          base + "/pair",
		"verification_uri_complete": base + "/pair?code=" + formatUserCode(p.userCode),
		"expires_in":                int(deviceCodeTTL / time.Second),
		"interval":                  intervalSeconds(p.interval),
	})
	s.log.Info("pairing started", "expires_in_s", int(deviceCodeTTL/time.Second))
}

func intervalSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

func clientID(r *http.Request) string {
	if id := r.PostForm.Get("client_id"); id != "" {
		return id
	}
	id, _, _ := r.BasicAuth()
	return id
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// oauthError is an RFC 6749 error body; message repeats the description so
// it also reads as this server's usual error.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc, "message": desc})
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "unreadable form: "+err.Error())
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != deviceGrantType {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not %s", gt, deviceGrantType))
		return
	}
	if id := clientID(r); id != deviceClientID {
		oauthError(w, http.StatusUnauthorized, "invalid_client", fmt.Sprintf("unknown client_id %q", id))
		return
	}
	code, status, desc, token := s.poll(r.PostForm.Get("device_code"))
	if code != "" {
		oauthError(w, status, code, desc)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "token_type": "Bearer"})
}

// poll answers one token request: an OAuth error code, or the token.
//
// A poll sooner than the interval is slow_down, but one early poll in a row
// is forgiven: golang.org/x/oauth2 probes the client authentication style by
// sending the same request twice at once.
func (s *Server) poll(deviceCode string) (code string, status int, desc, token string) {
	now := s.clock.Now()
	ps := s.pairing
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.byDevice[deviceCode]
	if !ok {
		return "invalid_grant", http.StatusBadRequest, "unknown device_code", ""
	}
	if now.After(p.expires) {
		return "expired_token", http.StatusBadRequest, "the code expired; start pairing again", ""
	}
	early := now.Sub(p.lastPoll) < p.interval*4/5
	p.lastPoll = now
	if early {
		p.fastPolls++
	} else {
		p.fastPolls = 0
	}
	switch p.state {
	case pairDenied:
		return "access_denied", http.StatusBadRequest, "staff refused this screen", ""
	case pairPending:
		if p.fastPolls > 1 {
			p.interval += 5 * time.Second
			return "slow_down", http.StatusBadRequest, fmt.Sprintf("poll at most every %d s", intervalSeconds(p.interval)), ""
		}
		return "authorization_pending", http.StatusBadRequest, "waiting for staff to enter the code", ""
	}
	if p.token == "" {
		tok := randomString(32)
		if err := s.saveToken(tok, p.department); err != nil {
			s.log.Error("save device token", "err", err)
			return "server_error", http.StatusInternalServerError, "could not store the token", ""
		}
		p.token = tok
		s.log.Info("screen paired", "department", p.department, "screen", hashToken(tok)[:12])
	}
	return "", http.StatusOK, "", p.token
}

// saveToken persists a device token bound to dept.
func (s *Server) saveToken(tok, dept string) error {
	hash := hashToken(tok)
	rec := tokenRecord{DepartmentID: dept, ScreenID: hash[:12], IssuedAt: s.clock.Now().UTC()}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := &batch{tx: tx}
		return b.putJSON(bucketTokens, hash, rec)
	})
	if err != nil {
		return err
	}
	s.tokensMu.Lock()
	s.tokens[hash] = rec
	s.tokensMu.Unlock()
	return nil
}

// issueToken makes a device token for dept directly (admin API).
func (s *Server) issueToken(dept string) (string, error) {
	tok := randomString(32)
	return tok, s.saveToken(tok, dept)
}

// resolveDepartment maps "" to the first department and checks the rest.
func (s *Server) resolveDepartment(id string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id == "" {
		id = s.st.firstDepartment()
	}
	_, ok := s.st.departments.rows[id]
	return id, ok
}

var pairPage = template.Must(template.New("pair").Parse(`<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Tilknyt skærm</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Atkinson Hyperlegible","Noto Sans",sans-serif;background:#f5efe6;color:#222;margin:0;display:flex;justify-content:center}
main{background:#fff;border-radius:24px;padding:48px;margin-top:64px;box-shadow:0 4px 24px rgba(0,0,0,.08);min-width:520px}
h1{margin-top:0;font-size:40px}label{display:block;font-size:24px;margin:24px 0 8px}
input,select,button{font-size:32px;padding:12px;border-radius:12px;border:2px solid #bbb;width:100%;box-sizing:border-box}
input{letter-spacing:.2em;text-transform:uppercase}button{background:#2f5d62;color:#fff;border:none;margin-top:32px;cursor:pointer}
.ok{color:#1f6b3a;font-size:28px}.err{color:#a12a2a;font-size:28px}
</style></head><body><main>
<h1>Tilknyt en skærm</h1>
{{if .Message}}<p class="{{.Class}}">{{.Message}}</p>{{end}}
<form method="post" action="/pair{{.TokenQuery}}">
<label for="code">Koden fra skærmen</label>
<input id="code" name="code" value="{{.Code}}" placeholder="BCDF-GHJK" autocomplete="off" autofocus>
<label for="department">Afdeling</label>
<select id="department" name="department">{{range .Departments}}<option value="{{.ID}}">{{.Name}}</option>{{end}}</select>
<button type="submit">Tilknyt</button>
</form></main></body></html>
`))

// handlePairPage is the page staff type a screen's code into.
func (s *Server) handlePairPage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "unreadable form")
		return
	}
	s.mu.RLock()
	var depts []Department
	for _, k := range slices.Sorted(maps.Keys(s.st.departments.rows)) {
		depts = append(depts, s.st.departments.rows[k])
	}
	s.mu.RUnlock()
	data := struct {
		Code, Message, Class string
		TokenQuery           string
		Departments          []Department
	}{Code: r.Form.Get("code"), Departments: depts}
	if t := r.URL.Query().Get("token"); t != "" {
		data.TokenQuery = "?token=" + url.QueryEscape(t)
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		dept, ok := s.resolveDepartment(r.PostForm.Get("department"))
		err := ErrUnknownCode
		if ok {
			err = s.pairing.decide(r.PostForm.Get("code"), dept, true, s.clock.Now())
		}
		switch {
		case !ok:
			data.Message, data.Class, status = "Ukendt afdeling.", "err", http.StatusBadRequest
		case errors.Is(err, ErrCodeExpired):
			data.Message, data.Class, status = "Koden er udløbet. Start forfra på skærmen.", "err", http.StatusGone
		case err != nil:
			data.Message, data.Class, status = "Koden findes ikke. Tjek den på skærmen.", "err", http.StatusNotFound
		default:
			data.Message, data.Class, data.Code = "Skærmen er tilknyttet. Den går i gang om et øjeblik.", "ok", ""
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	pairPage.Execute(w, data)
}
