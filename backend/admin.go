package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// The admin API stands in for the Manager: staff edit content, approve
// screens and ask screens to sync. Loopback clients need no token; others
// need Options.AdminToken.

var errNotFound = errors.New("not found")

func (s *Server) adminRoutes(mux *http.ServeMux) {
	a := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, s.adminAuth(h)) }
	adminTable(s, a, "departments", false, func(st *state) *table[Department] { return st.departments })
	adminTable(s, a, "profiles", false, func(st *state) *table[Profile] { return st.profiles })
	adminTable(s, a, "activities", true, func(st *state) *table[Activity] { return st.activities })
	adminTable(s, a, "meals", true, func(st *state) *table[Meal] { return st.meals })
	adminTable(s, a, "meetings", true, func(st *state) *table[Meeting] { return st.meetings })
	adminTable(s, a, "bookings", true, func(st *state) *table[Booking] { return st.bookings })
	adminTable(s, a, "bookables", true, func(st *state) *table[Bookable] { return st.bookables })
	adminTable(s, a, "notices", true, func(st *state) *table[Notice] { return st.notices })
	adminTable(s, a, "roster", true, func(st *state) *table[RosterEntry] { return st.roster })
	adminTable(s, a, "news", true, func(st *state) *table[News] { return st.news })
	adminTable(s, a, "gallery", true, func(st *state) *table[GalleryItem] { return st.gallery })
	a("PATCH /admin/v1/profiles/{id}", s.adminPatchProfile)
	a("DELETE /admin/v1/profiles/{id}", s.adminDeleteProfile)
	a("POST /admin/v1/media", s.adminPutMedia)
	a("POST /admin/v1/pairings/{code}/approve", s.adminPairing(true))
	a("POST /admin/v1/pairings/{code}/deny", s.adminPairing(false))
	a("POST /admin/v1/tokens", s.adminIssueToken)
	a("POST /admin/v1/sync", s.adminSync)
	a("PUT /admin/v1/weather/{dept}", s.adminPutWeather)
	a("DELETE /admin/v1/weather/{dept}", s.adminDeleteWeather)
	a("PUT /admin/v1/logins/{profile}", s.adminPutLogin)
	a("DELETE /admin/v1/logins/{profile}", s.adminDeleteLogin)
	a("POST /admin/v1/events", s.adminPush)
	a("GET /admin/v1/screens", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.screenList()) })
	a("GET /admin/v1/screens/{id}/screenshot", s.adminScreenshot)
	a("GET /admin/v1/signups", s.adminSignups)
	a("GET /admin/v1/booking-requests", s.adminBookingRequests)
	a("GET /admin/v1/fault", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.faults.get()) })
	a("PUT /admin/v1/fault", s.adminSetFault)
	a("DELETE /admin/v1/fault", func(w http.ResponseWriter, r *http.Request) {
		s.faults.set(Fault{})
		w.WriteHeader(http.StatusNoContent)
	})
}

// adminTable registers list, get, put and (when withDelete) delete for one
// kind of row.
func adminTable[T row, P rowPtr[T]](s *Server, a func(string, http.HandlerFunc), name string, withDelete bool, get func(*state) *table[T]) {
	base := "/admin/v1/" + name
	a("GET "+base, func(w http.ResponseWriter, r *http.Request) {
		dept := r.URL.Query().Get("department")
		s.mu.RLock()
		rows := get(s.st).sorted()
		s.mu.RUnlock()
		out := make([]T, 0, len(rows))
		for _, x := range rows {
			if dept == "" || x.rowDept() == dept {
				out = append(out, x)
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
	a("GET "+base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.RLock()
		x, ok := get(s.st).rows[r.PathValue("id")]
		s.mu.RUnlock()
		if !ok {
			writeError(w, http.StatusNotFound, "not_found", "no "+name+" with this id")
			return
		}
		writeJSON(w, http.StatusOK, x)
	})
	a("PUT "+base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		var v T
		if !decodeJSON(w, r, maxAdminBody, &v, true) {
			return
		}
		id := r.PathValue("id")
		switch {
		case v.rowID() == "":
			P(&v).setID(id)
		case v.rowID() != id:
			writeError(w, http.StatusBadRequest, "bad_request", "the id in the body differs from the path")
			return
		}
		s.adminWrite(w, func(b *batch) error {
			t := get(s.st)
			if v.rowDept() == "" && !isExternal(v) {
				P(&v).setDept(s.st.firstDepartment())
			}
			if err := v.validate(); err != nil {
				return err
			}
			if _, ok := s.st.departments.rows[v.rowDept()]; !ok && !isExternal(v) && !isDepartment(v) {
				return invalid("unknown department %q", v.rowDept())
			}
			if old, ok := t.rows[v.rowID()]; ok {
				b.touch(old.rowDept())
				b.all = b.all || isExternal(old)
			}
			b.all = b.all || isExternal(v)
			return put(b, t, v)
		})
	})
	if withDelete {
		a("DELETE "+base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
			s.adminWrite(w, func(b *batch) error {
				t := get(s.st)
				if _, ok := t.rows[r.PathValue("id")]; !ok {
					return errNotFound
				}
				return del(b, t, r.PathValue("id"))
			})
		})
	}
}

func isExternal(v any) bool {
	p, ok := v.(Profile)
	return ok && p.Kind == KindExternal
}

func isDepartment(v any) bool {
	_, ok := v.(Department)
	return ok
}

// adminWrite runs an admin change and answers 204, 400 or 404.
func (s *Server) adminWrite(w http.ResponseWriter, fn func(b *batch) error) {
	err := s.update("admin", func(b *batch) error {
		if err := fn(b); err != nil {
			return err
		}
		return b.tx.Bucket(bucketMeta).Put([]byte(metaUserContent), []byte("1"))
	})
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, errNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case isInvalid(err):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
	default:
		s.log.Error("admin write", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the change")
	}
}

// adminPatchProfile merges a JSON object into a profile, for instance
// {"visible_on_screen": false} or {"anonymized": true, "alias": "K"}.
func (s *Server) adminPatchProfile(w http.ResponseWriter, r *http.Request) {
	var patch map[string]json.RawMessage
	if !decodeJSON(w, r, maxAdminBody, &patch, false) {
		return
	}
	id := r.PathValue("id")
	s.adminWrite(w, func(b *batch) error {
		cur, ok := s.st.profiles.rows[id]
		if !ok {
			return fmt.Errorf("profile %s: %w", id, errNotFound)
		}
		merged := map[string]json.RawMessage{}
		data, _ := json.Marshal(cur)
		if err := json.Unmarshal(data, &merged); err != nil {
			return fmt.Errorf("profile %s: %w", id, err)
		}
		for k, v := range patch {
			if k == "id" && string(v) != `"`+id+`"` {
				return invalid("the id of a profile cannot change")
			}
			merged[k] = v
		}
		data, _ = json.Marshal(merged)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var next Profile
		if err := dec.Decode(&next); err != nil {
			return invalid("patch: %v", err)
		}
		if err := next.validate(); err != nil {
			return err
		}
		b.touch(cur.DepartmentID)
		b.all = cur.Kind == KindExternal || next.Kind == KindExternal
		return put(b, s.st.profiles, next)
	})
}

// adminDeleteProfile removes a profile and every trace of it: sign-ups,
// suggestions, bookings, shifts and gallery tags.
func (s *Server) adminDeleteProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.adminWrite(w, func(b *batch) error {
		st := s.st
		p, ok := st.profiles.rows[id]
		if !ok {
			return fmt.Errorf("profile %s: %w", id, errNotFound)
		}
		without := func(ids []string) ([]string, bool) {
			if !slices.Contains(ids, id) {
				return ids, false
			}
			return slices.DeleteFunc(slices.Clone(ids), func(x string) bool { return x == id }), true
		}
		for _, a := range st.activities.sorted() {
			if next, changed := without(a.Signups); changed {
				a.Signups = next
				if err := put(b, st.activities, a); err != nil {
					return err
				}
			}
		}
		for _, m := range st.meals.sorted() {
			if next, changed := without(m.Signups); changed {
				m.Signups = next
				if err := put(b, st.meals, m); err != nil {
					return err
				}
			}
		}
		for _, m := range st.meetings.sorted() {
			next, changed := without(m.Signups)
			sugg := slices.DeleteFunc(slices.Clone(m.Suggestions), func(x Suggestion) bool { return x.ProfileID == id })
			if changed || len(sugg) != len(m.Suggestions) {
				m.Signups, m.Suggestions = next, sugg
				if err := put(b, st.meetings, m); err != nil {
					return err
				}
			}
		}
		for _, x := range st.bookings.sorted() {
			if x.ProfileID == id {
				if err := del(b, st.bookings, x.ID); err != nil {
					return err
				}
			}
		}
		for _, x := range st.roster.sorted() {
			if x.ProfileID == id {
				if err := del(b, st.roster, x.ID); err != nil {
					return err
				}
			}
		}
		for _, g := range st.gallery.sorted() {
			if next, changed := without(g.Tagged); changed {
				g.Tagged = next
				if err := put(b, st.gallery, g); err != nil {
					return err
				}
			}
		}
		b.all = p.Kind == KindExternal
		return del(b, st.profiles, id)
	})
}

func (s *Server) adminPutMedia(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMediaBody))
	if err != nil {
		if tooLarge(err) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", "media over 32 MiB")
			return
		}
		writeError(w, http.StatusBadRequest, "bad_request", "could not read the body")
		return
	}
	b, err := newBlob(data)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_image", err.Error())
		return
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMedia).Put([]byte(b.SHA256), b.encode()) })
	if err != nil {
		s.log.Error("store media", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the media")
		return
	}
	writeJSON(w, http.StatusOK, b.Image)
}

type departmentBody struct {
	DepartmentID string `json:"department_id"`
}

// decodeOptional reads a JSON body when there is one.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) bool {
	if r.ContentLength == 0 {
		return true
	}
	return decodeJSON(w, r, maxAdminBody, v, true)
}

func (s *Server) adminPairing(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body departmentBody
		if !decodeOptional(w, r, &body) {
			return
		}
		dept, ok := s.resolveDepartment(body.DepartmentID)
		if !ok {
			writeError(w, http.StatusNotFound, "unknown_department", fmt.Sprintf("no department %q", body.DepartmentID))
			return
		}
		err := s.pairing.decide(r.PathValue("code"), dept, approve, s.clock.Now())
		switch {
		case errors.Is(err, ErrUnknownCode):
			writeError(w, http.StatusNotFound, "unknown_code", err.Error())
		case errors.Is(err, ErrCodeExpired):
			writeError(w, http.StatusGone, "expired", err.Error())
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

func (s *Server) adminIssueToken(w http.ResponseWriter, r *http.Request) {
	var body departmentBody
	if !decodeOptional(w, r, &body) {
		return
	}
	dept, ok := s.resolveDepartment(body.DepartmentID)
	if !ok {
		writeError(w, http.StatusNotFound, "unknown_department", fmt.Sprintf("no department %q", body.DepartmentID))
		return
	}
	tok, err := s.issueToken(dept)
	if err != nil {
		s.log.Error("issue token", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the token")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"access_token": tok, "department_id": dept, "screen_id": hashToken(tok)[:12]})
}

type pushBody struct {
	DepartmentID string `json:"department_id"`
	ScreenID     string `json:"screen_id"`
	Event        string `json:"event"`
}

func (s *Server) adminSync(w http.ResponseWriter, r *http.Request) {
	var body pushBody
	if !decodeOptional(w, r, &body) {
		return
	}
	body.Event = "sync"
	// "Sync now" also fetches new weather, as a Manager does.
	if dept, ok := s.resolveDepartment(body.DepartmentID); ok || body.DepartmentID == "" {
		s.renewWeather(dept)
	}
	s.push(w, body)
}

func (s *Server) adminPush(w http.ResponseWriter, r *http.Request) {
	var body pushBody
	if !decodeJSON(w, r, maxAdminBody, &body, true) {
		return
	}
	s.push(w, body)
}

// push sends an event to screens and answers how many streams got it.
func (s *Server) push(w http.ResponseWriter, body pushBody) {
	switch body.Event {
	case "sync", "screenshot", "reload":
	default:
		writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("event %q is not sync, screenshot or reload", body.Event))
		return
	}
	if body.DepartmentID != "" {
		if _, ok := s.resolveDepartment(body.DepartmentID); !ok {
			writeError(w, http.StatusNotFound, "unknown_department", fmt.Sprintf("no department %q", body.DepartmentID))
			return
		}
	}
	n := s.hub.publish(body.DepartmentID, body.ScreenID, event{name: body.Event, data: `{"reason":"admin"}`})
	writeJSON(w, http.StatusOK, map[string]int{"streams": n})
}

func (s *Server) adminScreenshot(w http.ResponseWriter, r *http.Request) {
	data, err := s.screenshot(r.PathValue("id"))
	switch {
	case errors.Is(err, errNoScreenshot):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, "internal", "could not read the screenshot")
	default:
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.Write(data)
	}
}

func (s *Server) adminSignups(w http.ResponseWriter, r *http.Request) {
	recs, err := s.signupRecords()
	if err != nil {
		s.log.Error("list sign-ups", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not read sign-ups")
		return
	}
	if recs == nil {
		recs = []SignupRecord{}
	}
	writeJSON(w, http.StatusOK, recs)
}

func (s *Server) adminSetFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if !decodeJSON(w, r, maxAdminBody, &f, true) {
		return
	}
	if err := f.check(); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	s.faults.set(f)
	s.log.Warn("fault set", "mode", f.Mode, "path", f.Path, "count", f.Count)
	w.WriteHeader(http.StatusNoContent)
}
