package backend

import (
	"fmt"
	"net/http"
)

// LoginSetting is the body of PUT /admin/v1/logins/{profile}: how a person
// logs in on the screens. The Manager sets it; the reference backend keeps
// it in memory, as it keeps the sessions.
type LoginSetting struct {
	PIN    string   `json:"pin,omitempty"`  // 4 digits; "" for tags only
	Tags   []string `json:"tags,omitempty"` // key fob or card ids as readers type them
	Locked bool     `json:"locked,omitempty"`
}

// maxTagLen bounds a tag id, as a screen may send it.
const maxTagLen = 64

// adminPutLogin gives a profile a screen login, or changes it: a new PIN or
// lock clears the count of wrong tries and any lock from them; what is
// shared to the person and their groups stay. Answers 404 for an unknown
// profile, 400 for a PIN that is not 4 digits or a bad tag, 409 for a tag
// another person has.
func (s *Server) adminPutLogin(w http.ResponseWriter, r *http.Request) {
	pid := r.PathValue("profile")
	var set LoginSetting
	if !decodeJSON(w, r, maxAdminBody, &set, true) {
		return
	}
	if set.PIN != "" && (len(set.PIN) != 4 || !allDigits(set.PIN)) {
		writeError(w, http.StatusBadRequest, "bad_pin", "the PIN must be 4 digits")
		return
	}
	if set.PIN == "" && len(set.Tags) == 0 {
		writeError(w, http.StatusBadRequest, "no_way_in", "give a PIN, a tag or both (DELETE removes the login)")
		return
	}
	for _, t := range set.Tags {
		if t == "" || len(t) > maxTagLen {
			writeError(w, http.StatusBadRequest, "bad_tag", fmt.Sprintf("a tag is 1 to %d characters", maxTagLen))
			return
		}
	}
	s.mu.RLock()
	_, known := s.st.profiles.rows[pid]
	s.mu.RUnlock()
	if !known {
		writeError(w, http.StatusNotFound, "unknown_profile", fmt.Sprintf("no profile %q", pid))
		return
	}
	l := s.logins
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range set.Tags {
		if other, ok := l.tags[normalTag(t)]; ok && other != pid {
			writeError(w, http.StatusConflict, "tag_in_use", "another profile has this tag")
			return
		}
	}
	acc := Account{ProfileID: pid}
	if old := l.accounts[pid]; old != nil {
		acc = *old
		for _, t := range old.Tags {
			delete(l.tags, normalTag(t))
		}
	}
	acc.PIN, acc.Tags, acc.Locked = set.PIN, append([]string(nil), set.Tags...), set.Locked
	l.accounts[pid] = &acc
	for _, t := range acc.Tags {
		l.tags[normalTag(t)] = pid
	}
	delete(l.fails, pid)
	delete(l.lockedTo, pid)
	w.WriteHeader(http.StatusNoContent)
}

// adminDeleteLogin takes a profile's screen login away and ends its
// sessions on every screen.
func (s *Server) adminDeleteLogin(w http.ResponseWriter, r *http.Request) {
	pid := r.PathValue("profile")
	l := s.logins
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.accounts[pid]
	if old == nil {
		writeError(w, http.StatusNotFound, "no_login", fmt.Sprintf("profile %q has no screen login", pid))
		return
	}
	for _, t := range old.Tags {
		delete(l.tags, normalTag(t))
	}
	delete(l.accounts, pid)
	delete(l.fails, pid)
	delete(l.lockedTo, pid)
	for id, sess := range l.sessions {
		if sess.profileID == pid {
			delete(l.sessions, id)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
