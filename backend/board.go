package backend

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxWindowDays bounds how much one board request may ask for.
const maxWindowDays = 62

type boardKey struct{ dept, from, to, weather string }

type renderedBoard struct {
	body []byte
	etag string
	gz   []byte // body gzipped, for screens that accept it
}

// gzipETag is the entity tag of the gzipped board: another representation
// of the same content, so a strong tag of its own.
func (rb renderedBoard) gzipETag() string { return strings.TrimSuffix(rb.etag, `"`) + `-gzip"` }

// window is [from, to) in the department's zone.
type window struct{ from, to time.Time }

// defaultWindow is yesterday 00:00 to the end of today+14, as a screen asks.
func defaultWindow(now time.Time, loc *time.Location) window {
	t := now.In(loc)
	y, m, d := t.Date()
	return window{from: time.Date(y, m, d-1, 0, 0, 0, 0, loc), to: time.Date(y, m, d+15, 0, 0, 0, 0, loc)}
}

// parseWindow reads from= and to= (YYYY-MM-DD, both days included).
func parseWindow(q map[string][]string, now time.Time, loc *time.Location) (window, error) {
	w := defaultWindow(now, loc)
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if f := get("from"); f != "" {
		t, err := time.ParseInLocation(time.DateOnly, f, loc)
		if err != nil {
			return w, fmt.Errorf("from=%q is not a date (YYYY-MM-DD)", f)
		}
		w.from = t
	}
	if to := get("to"); to != "" {
		t, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return w, fmt.Errorf("to=%q is not a date (YYYY-MM-DD)", to)
		}
		y, m, d := t.Date()
		w.to = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	if !w.to.After(w.from) {
		return w, fmt.Errorf("to is before from")
	}
	if w.to.Sub(w.from) > maxWindowDays*25*time.Hour {
		return w, fmt.Errorf("window longer than %d days", maxWindowDays)
	}
	return w, nil
}

// overlaps matches board.Window: an item touches [from, to) when it ends at
// or after from and starts before to.
func (w window) overlaps(start, end time.Time) bool {
	if end.Before(start) {
		end = start
	}
	return !end.Before(w.from) && start.Before(w.to)
}

func location(d Department) *time.Location {
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// renderBoard builds the board of dept for w. Items are sorted by start then
// id, news and gallery newest first, profiles by id, so equal content gives
// equal bytes. The caller holds the state lock.
func (st *state) renderBoard(deptID string, w window) (*Board, error) {
	dept, ok := st.departments.rows[deptID]
	if !ok {
		return nil, fmt.Errorf("unknown department %s", deptID)
	}
	b := &Board{
		GeneratedAt: st.changed[deptID].UTC(),
		Department:  dept,
		Profiles:    []Profile{},
		Activities:  []Activity{},
		Meals:       []Meal{},
		Meetings:    []Meeting{},
		Bookings:    []Booking{},
		Roster:      []RosterEntry{},
		News:        []News{},
		Gallery:     []GalleryItem{},
	}
	referenced := map[string]bool{}
	ref := func(ids ...string) {
		for _, id := range ids {
			referenced[id] = true
		}
	}
	for _, a := range st.activities.rows {
		if a.DepartmentID == deptID && w.overlaps(a.Start, a.End) {
			a.DepartmentID = ""
			a.Signups = nonNil(a.Signups)
			ref(a.Signups...)
			b.Activities = append(b.Activities, a)
		}
	}
	for _, m := range st.meals.rows {
		if m.DepartmentID == deptID && w.overlaps(m.Start, m.End) {
			m.DepartmentID = ""
			m.Signups = nonNil(m.Signups)
			ref(m.Signups...)
			b.Meals = append(b.Meals, m)
		}
	}
	for _, m := range st.meetings.rows {
		if m.DepartmentID == deptID && w.overlaps(m.Start, m.End) {
			m.DepartmentID = ""
			m.Signups = nonNil(m.Signups)
			m.Suggestions = nonNil(m.Suggestions)
			ref(m.Signups...)
			for _, s := range m.Suggestions {
				ref(s.ProfileID)
			}
			b.Meetings = append(b.Meetings, m)
		}
	}
	for _, x := range st.bookings.rows {
		if x.DepartmentID == deptID && w.overlaps(x.Start, x.End) {
			x = st.resolved(x)
			x.DepartmentID = ""
			ref(x.ProfileID)
			b.Bookings = append(b.Bookings, x)
		}
	}
	for _, x := range st.bookables.sorted() {
		if x.DepartmentID == deptID {
			x.DepartmentID = ""
			x.SlotTimes = nonNil(x.SlotTimes)
			b.Bookables = append(b.Bookables, x)
		}
	}
	for _, n := range st.notices.sorted() {
		if n.DepartmentID == deptID && w.overlaps(n.From, n.Until) {
			n.DepartmentID = ""
			b.Notices = append(b.Notices, n)
		}
	}
	for _, r := range st.roster.rows {
		if r.DepartmentID == deptID && w.overlaps(r.Start, r.End) {
			r.DepartmentID = ""
			ref(r.ProfileID)
			b.Roster = append(b.Roster, r)
		}
	}
	for _, n := range st.news.rows {
		if n.DepartmentID == deptID {
			n.DepartmentID = ""
			b.News = append(b.News, n)
		}
	}
	for _, g := range st.gallery.rows {
		if g.DepartmentID == deptID {
			g.DepartmentID = ""
			g.Tagged = nonNil(g.Tagged)
			b.Gallery = append(b.Gallery, g)
		}
	}
	for _, p := range st.profiles.rows {
		own := p.DepartmentID == deptID && p.Kind != KindExternal
		if own || p.Kind == KindExternal && referenced[p.ID] {
			p.DepartmentID = ""
			b.Profiles = append(b.Profiles, p)
		}
	}

	byStart := func(s1, s2 time.Time, id1, id2 string) int {
		if c := s1.Compare(s2); c != 0 {
			return c
		}
		return cmp.Compare(id1, id2)
	}
	slices.SortFunc(b.Profiles, func(x, y Profile) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.Activities, func(x, y Activity) int { return byStart(x.Start, y.Start, x.ID, y.ID) })
	slices.SortFunc(b.Meals, func(x, y Meal) int { return byStart(x.Start, y.Start, x.ID, y.ID) })
	slices.SortFunc(b.Meetings, func(x, y Meeting) int { return byStart(x.Start, y.Start, x.ID, y.ID) })
	slices.SortFunc(b.Bookings, func(x, y Booking) int { return byStart(x.Start, y.Start, x.ID, y.ID) })
	slices.SortFunc(b.Roster, func(x, y RosterEntry) int { return byStart(x.Start, y.Start, x.ID, y.ID) })
	slices.SortFunc(b.News, func(x, y News) int { return byStart(y.Published, x.Published, x.ID, y.ID) })
	slices.SortFunc(b.Gallery, func(x, y GalleryItem) int { return byStart(y.Taken, x.Taken, x.ID, y.ID) })
	return b, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// encodeBoard marshals a board and names its strong ETag.
func encodeBoard(b *Board) (renderedBoard, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return renderedBoard{}, fmt.Errorf("encode board: %w", err)
	}
	sum := sha256.Sum256(body)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(body); err != nil {
		return renderedBoard{}, fmt.Errorf("compress board: %w", err)
	}
	if err := zw.Close(); err != nil {
		return renderedBoard{}, fmt.Errorf("compress board: %w", err)
	}
	return renderedBoard{body: body, etag: `"` + hex.EncodeToString(sum[:]) + `"`, gz: gz.Bytes()}, nil
}

// board returns the rendered board of dept for the query, from the cache
// when nothing changed since it was made.
func (s *Server) board(dept string, q map[string][]string) (renderedBoard, error) {
	s.mu.RLock()
	d, ok := s.st.departments.rows[dept]
	s.mu.RUnlock()
	if !ok {
		return renderedBoard{}, fmt.Errorf("unknown department %s", dept)
	}
	w, err := parseWindow(q, s.clock.Now(), location(d))
	if err != nil {
		return renderedBoard{}, invalid("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	weather, wkey := s.weatherFor(d, s.clock.Now())
	key := boardKey{dept, w.from.Format(time.DateOnly), w.to.Format(time.DateOnly), wkey}
	if rb, ok := s.boards[key]; ok {
		return rb, nil
	}
	b, err := s.st.renderBoard(dept, w)
	if err != nil {
		return renderedBoard{}, err
	}
	b.Weather = weather
	if s.opts.PlainV1 {
		// A v1 board: no bookables, bookings by name only, no notices.
		b.Bookables = nil
		b.Notices = nil
		for i := range b.Bookings {
			b.Bookings[i].ResourceID = ""
		}
	}
	rb, err := encodeBoard(b)
	if err != nil {
		return renderedBoard{}, err
	}
	if len(s.boards) > 256 {
		clear(s.boards)
	}
	s.boards[key] = rb
	return rb, nil
}

func (s *Server) handleBoard(w http.ResponseWriter, r *http.Request, sc screen) {
	rb, err := s.board(sc.dept, r.URL.Query())
	if err != nil {
		if isInvalid(err) {
			writeError(w, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		s.log.Error("render board", "department", sc.dept, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not render the board")
		return
	}
	// The board compresses about 6x; a screen that accepts gzip gets it.
	body, etag := rb.body, rb.etag
	zipped := acceptsGzip(r.Header.Get("Accept-Encoding"))
	if zipped {
		body, etag = rb.gz, rb.gzipETag()
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.Header().Set("Vary", "Accept-Encoding")
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	inm := r.Header.Get("If-None-Match")
	if etagMatches(inm, rb.etag) || etagMatches(inm, rb.gzipETag()) {
		w.Header().Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsGzip reads Accept-Encoding: gzip listed and not refused with q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// etagMatches applies If-None-Match (weak comparison, as RFC 9110 asks).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// media returns the stored picture with hash sha.
func (s *Server) media(sha string) (blob, bool, error) {
	var b blob
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMedia).Get([]byte(sha)); v != nil {
			b, found = decodeBlob(sha, v)
		}
		return nil
	})
	return b, found, err
}

func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request, _ screen) {
	s.serveMedia(w, r, r.PathValue("sha256"))
}

func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, sha string) {
	if !shaPattern.MatchString(sha) {
		writeError(w, http.StatusNotFound, "not_found", "media ids are lowercase hex sha256")
		return
	}
	b, ok, err := s.media(sha)
	if err != nil {
		s.log.Error("read media", "sha256", sha, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not read media")
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no media with this hash")
		return
	}
	etag := `"` + sha + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", b.ContentType)
	w.Header().Set("Content-Length", fmt.Sprint(len(b.Data)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Data)
}
