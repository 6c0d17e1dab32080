package backend

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	_ "time/tzdata" // departments name IANA zones; a bare system may lack the database

	bolt "go.etcd.io/bbolt"

	"skaerm/internal/clock"
)

// Options configure a Server.
type Options struct {
	DataDir    string      // the store is DataDir/backend.db, created if missing
	Tokens     []string    // fixed device tokens, bound to the first department
	AdminToken string      // required from non-loopback admin clients; loopback needs none
	Demo       bool        // seed the demo care home when the store is empty (or holds a stale demo)
	Clock      clock.Clock // nil: clock.Real{}
	Logger     *slog.Logger
	// PollInterval is the device flow's polling interval; 0 means 5 s. The
	// interval sent to screens is in whole seconds, at least 1.
	PollInterval time.Duration
	// PlainV1 answers as a Screen API v1 backend: no /capabilities, no
	// weather and no bookables on the board, no booking on the screen
	// (screens then show what they showed before v1.1).
	PlainV1 bool
}

// Body size limits.
const (
	maxJSONBody       = 64 << 10
	maxAdminBody      = 1 << 20
	maxMediaBody      = 32 << 20 // a 50 MP phone photo is 10 to 25 MB
	maxScreenshotBody = 8 << 20
)

// Server is the reference backend: the Screen API, the admin API, the staff
// preview and the pairing page, over one bbolt store.
type Server struct {
	opts  Options
	clock clock.Clock
	log   *slog.Logger
	db    *bolt.DB

	mu      sync.RWMutex
	st      *state
	boards  map[boardKey]renderedBoard
	seen    map[string]seenScreen // screen id -> last request
	weather weatherState
	logins  *logins // screen logins and sessions (memory only)

	screensMu sync.Mutex
	screens   map[string]ScreenStatus // persisted status posts

	hub      *hub
	pairing  *pairings
	faults   faultState
	fixed    map[string]bool // hashes of Options.Tokens
	tokensMu sync.RWMutex
	tokens   map[string]tokenRecord // hash -> issued token

	keepAlive time.Duration // SSE comment interval; tests shorten it
	quit      chan struct{}
	quitOnce  sync.Once
	closeOnce sync.Once
}

type seenScreen struct {
	at   time.Time
	addr string
	dept string
}

// New opens (or creates) the store in opts.DataDir and returns a server
// ready to serve.
func New(opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("backend: no data directory")
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", opts.DataDir, err)
	}
	s := &Server{
		opts:      opts,
		clock:     opts.Clock,
		log:       opts.Logger,
		boards:    map[boardKey]renderedBoard{},
		seen:      map[string]seenScreen{},
		weather:   weatherState{set: map[string]json.RawMessage{}, pressed: map[string]time.Time{}, presses: map[string]int{}},
		screens:   map[string]ScreenStatus{},
		hub:       newHub(),
		logins:    newLogins(),
		fixed:     map[string]bool{},
		tokens:    map[string]tokenRecord{},
		keepAlive: 25 * time.Second,
		quit:      make(chan struct{}),
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	interval := opts.PollInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	s.pairing = newPairings(interval)
	for _, t := range opts.Tokens {
		if t = strings.TrimSpace(t); t != "" {
			s.fixed[hashToken(t)] = true
		}
	}

	db, err := openDB(filepath.Join(opts.DataDir, "backend.db"))
	if err != nil {
		return nil, err
	}
	s.db = db
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// load reads the store, seeding it first when it is empty (with the demo
// when asked, else with one empty department to pair screens to).
func (s *Server) load() error {
	var demoDay string
	var edited bool
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		demoDay = string(meta.Get([]byte(metaDemoDay)))
		edited = meta.Get([]byte(metaUserContent)) != nil
		st, err := loadState(tx)
		if err != nil {
			return err
		}
		s.st = st
		return nil
	})
	if err != nil {
		return fmt.Errorf("load backend store: %w", err)
	}
	today := s.clock.Now().In(demoLocation()).Format(time.DateOnly)
	// Nothing but the placeholder department counts as empty; a demo of an
	// earlier day nobody edited is stale.
	empty := len(s.st.profiles.rows) == 0 && !edited
	// A demo seeded by a backend before bookables (Screen API v1.2) is
	// stale too.
	stale := demoDay != "" && (demoDay != today || len(s.st.bookables.rows) == 0) && !edited
	switch {
	case s.opts.Demo && (empty || stale):
		if err := s.seedDemo(today); err != nil {
			return err
		}
	case len(s.st.departments.rows) == 0:
		// A store with nothing in it still needs a department to pair to.
		st := newState()
		d := Department{ID: "d1", Name: "Afdelingen", Timezone: "Europe/Copenhagen", Locale: "da"}
		st.departments.rows[d.ID] = d
		st.changed[d.ID] = s.clock.Now().UTC().Truncate(time.Second)
		if err := s.db.Update(func(tx *bolt.Tx) error { return seed(tx, st, nil, "") }); err != nil {
			return fmt.Errorf("seed empty store: %w", err)
		}
		s.st = st
	}
	if s.opts.Demo {
		d, err := time.ParseInLocation(time.DateOnly, today, demoLocation())
		if err != nil {
			return err
		}
		if err := s.seedDemoLogins(d); err != nil {
			return err
		}
		for _, dl := range DemoLogins() {
			s.log.Info("demo screen login", "profile", dl.ProfileID, "name", dl.Name, "pin", dl.PIN, "tag", dl.Tag)
		}
	}
	return s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			var t tokenRecord
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("decode token record: %w", err)
			}
			s.tokens[string(k)] = t
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketScreens).ForEach(func(k, v []byte) error {
			var st ScreenStatus
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("decode screen %s: %w", k, err)
			}
			s.screens[string(k)] = st
			return nil
		})
	})
}

func (s *Server) seedDemo(day string) error {
	d, err := time.ParseInLocation(time.DateOnly, day, demoLocation())
	if err != nil {
		return err
	}
	st, media, err := buildDemo(d)
	if err != nil {
		return fmt.Errorf("build demo: %w", err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return seed(tx, st, media, day) }); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	s.st = st
	s.log.Info("seeded demo care home", "day", day, "departments", len(st.departments.rows), "profiles", len(st.profiles.rows), "media", len(media))
	return nil
}

// Close ends event streams and closes the store. It is safe to call twice.
func (s *Server) Close() error {
	s.stopStreams()
	var err error
	s.closeOnce.Do(func() { err = s.db.Close() })
	return err
}

// stopStreams ends event streams (and stalled requests) without closing the
// store, so a graceful HTTP shutdown does not wait on them.
func (s *Server) stopStreams() {
	s.quitOnce.Do(func() { close(s.quit) })
}

// update runs fn in one write transaction with the state locked, then
// updates memory, stamps the changed departments and tells their screens.
func (s *Server) update(reason string, fn func(b *batch) error) error {
	s.mu.Lock()
	b := &batch{touched: map[string]bool{}}
	now := s.clock.Now().UTC().Truncate(time.Second)
	err := s.db.Update(func(tx *bolt.Tx) error {
		b.tx = tx
		if err := fn(b); err != nil {
			return err
		}
		if b.all {
			for id := range s.st.departments.rows {
				b.touched[id] = true
			}
		}
		meta := tx.Bucket(bucketMeta)
		for dept := range b.touched {
			if err := meta.Put([]byte(metaChangedPrefix+dept), []byte(now.Format(time.RFC3339Nano))); err != nil {
				return fmt.Errorf("write change time: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		s.mu.Unlock()
		return err
	}
	for _, op := range b.ops {
		op()
	}
	for dept := range b.touched {
		s.st.changed[dept] = now
	}
	if len(b.touched) > 0 {
		clear(s.boards)
	}
	s.mu.Unlock()
	for dept := range b.touched {
		s.hub.publish(dept, "", event{name: "sync", data: fmt.Sprintf(`{"reason":%q}`, reason)})
	}
	if !s.opts.PlainV1 {
		for _, n := range b.notices {
			s.hub.publish(n.dept, "", event{name: "notice", data: n.id})
		}
	}
	return nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.HandleFunc("GET /api/screen/v1/board", s.screenAuth(s.handleBoard))
	api.HandleFunc("GET /api/screen/v1/media/{sha256}", s.screenAuth(s.handleMedia))
	api.HandleFunc("POST /api/screen/v1/signups", s.screenAuth(s.handleSignup))
	api.HandleFunc("GET /api/screen/v1/events", s.screenAuth(s.handleEvents))
	api.HandleFunc("POST /api/screen/v1/status", s.screenAuth(s.handleStatus))
	api.HandleFunc("POST /api/screen/v1/screenshot", s.screenAuth(s.handleScreenshot))
	api.HandleFunc("POST /api/screen/v1/oauth/device", s.handleDeviceAuth)
	api.HandleFunc("POST /api/screen/v1/oauth/token", s.handleToken)
	if !s.opts.PlainV1 {
		api.HandleFunc("GET /api/screen/v1/capabilities", s.screenAuth(s.handleCapabilities))
		api.HandleFunc("POST /api/screen/v1/sessions", s.screenAuth(s.handleSessionStart))
		api.HandleFunc("DELETE /api/screen/v1/sessions/current", s.screenAuth(s.withSession(s.handleSessionEnd)))
		api.HandleFunc("GET /api/screen/v1/me", s.screenAuth(s.withSession(s.handleMe)))
		api.HandleFunc("GET /api/screen/v1/me/media/{sha256}", s.screenAuth(s.withSession(s.handleMeMedia)))
		api.HandleFunc("POST /api/screen/v1/suggestions", s.screenAuth(s.withSession(s.handleSuggestion)))
		api.HandleFunc("POST /api/screen/v1/bookings", s.screenAuth(s.handleBooking))
	}
	mux.Handle("/api/screen/v1/", s.withFaults(jsonErrors(api)))

	s.adminRoutes(mux)
	mux.HandleFunc("GET /preview", s.adminAuth(s.handlePreview))
	mux.HandleFunc("GET /preview/board", s.adminAuth(s.handlePreviewBoard))
	mux.HandleFunc("GET /preview/slideshow", s.adminAuth(s.handlePreviewSlideshow))
	mux.HandleFunc("POST /preview/screenshot", s.adminAuth(s.handlePreviewAsk))
	mux.HandleFunc("GET /preview/screens/{id}/screenshot", s.adminAuth(s.handlePreviewScreenshot))
	mux.HandleFunc("GET /preview/media/{sha256}", s.adminAuth(s.handlePreviewMedia))
	mux.HandleFunc("GET /pair", s.adminAuth(s.handlePairPage))
	mux.HandleFunc("POST /pair", s.adminAuth(s.handlePairPage))
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/preview", http.StatusFound)
	})
	return s.recoverer(jsonErrors(mux))
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	n := len(s.st.departments.rows)
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "departments": n, "time": s.clock.Now().UTC().Format(time.RFC3339)})
}

// apiError is every error body.
type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"internal","message":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(len(data)+1))
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, apiError{Error: code, Message: message})
}

// decodeJSON reads one JSON value of at most limit bytes into v and answers
// the client itself when that fails.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any, strict bool) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON value")
	}
	if err != nil {
		if tooLarge(err) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("body over %d bytes", limit))
		} else {
			writeError(w, http.StatusBadRequest, "bad_json", err.Error())
		}
		return false
	}
	return true
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// jsonErrors turns the mux's own 404 and 405 answers into JSON.
func jsonErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path)
		default:
			writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path)
		}
	})
}

// headerRecorder swallows a response, keeping its status and headers.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *headerRecorder) Write(p []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return len(p), nil
}

// recoverer answers 500 instead of letting a panic drop the connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !tw.wrote {
				writeError(tw, http.StatusInternalServerError, "internal", "internal error")
			}
		}()
		next.ServeHTTP(tw, r)
	})
}

type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(p)
}

func (t *trackingWriter) Flush() {
	t.wrote = true
	http.NewResponseController(t.ResponseWriter).Flush()
}

func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// screen is the authenticated caller of the Screen API.
type screen struct {
	id   string // short hash of its token; never the token itself
	dept string
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// screenAuth checks the bearer token and passes the screen on.
func (s *Server) screenAuth(h func(http.ResponseWriter, *http.Request, screen)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="skaerm"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing bearer token")
			return
		}
		hash := hashToken(tok)
		sc := screen{id: hash[:12]}
		s.mu.RLock()
		first := s.st.firstDepartment()
		s.mu.RUnlock()
		s.tokensMu.RLock()
		rec, issued := s.tokens[hash]
		s.tokensMu.RUnlock()
		switch {
		case s.fixed[hash]:
			sc.dept = first
		case issued:
			sc.dept = rec.DepartmentID
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="skaerm", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "unknown device token; pair the screen again")
			return
		}
		s.mu.Lock()
		_, deptOK := s.st.departments.rows[sc.dept]
		if deptOK {
			s.seen[sc.id] = seenScreen{at: s.clock.Now(), addr: r.RemoteAddr, dept: sc.dept}
		}
		s.mu.Unlock()
		if !deptOK {
			writeError(w, http.StatusUnauthorized, "unauthorized", "the screen's department no longer exists; pair it again")
			return
		}
		h(w, r, sc)
	}
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// adminAuth lets loopback clients in and asks others for the admin token
// (as a bearer token or a token query parameter, for browsers).
func (s *Server) adminAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.adminAllowed(r) {
			writeError(w, http.StatusForbidden, "forbidden", "the admin API answers loopback clients, or others with the admin token")
			return
		}
		h(w, r)
	}
}

func (s *Server) adminAllowed(r *http.Request) bool {
	if isLoopback(r.RemoteAddr) {
		return true
	}
	if s.opts.AdminToken == "" {
		return false
	}
	tok, ok := bearer(r)
	if !ok {
		tok = r.URL.Query().Get("token")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.AdminToken)) == 1
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
