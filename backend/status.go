package backend

import (
	"bytes"
	"errors"
	"image/png"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Screens report how they are (status) and, when asked, what they show
// (screenshot). The admin API lists both.

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, sc screen) {
	var rep StatusReport
	if !decodeJSON(w, r, maxJSONBody, &rep, false) {
		return
	}
	now := s.clock.Now().UTC()
	s.screensMu.Lock()
	st := s.screens[sc.id]
	st.ScreenID, st.DepartmentID, st.RemoteAddr = sc.id, sc.dept, r.RemoteAddr
	st.StatusAt, st.Status = now, &rep
	s.screens[sc.id] = st
	err := s.db.Update(func(tx *bolt.Tx) error { return (&batch{tx: tx}).putJSON(bucketScreens, sc.id, st) })
	s.screensMu.Unlock()
	if err != nil {
		s.log.Error("store status", "screen", sc.id, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the status")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleScreenshot(w http.ResponseWriter, r *http.Request, sc screen) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "image/png" {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send image/png")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxScreenshotBody))
	if err != nil {
		if tooLarge(err) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", "screenshot over 8 MiB")
			return
		}
		writeError(w, http.StatusBadRequest, "bad_request", "could not read the screenshot")
		return
	}
	if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
		writeError(w, http.StatusBadRequest, "bad_image", "not a PNG: "+err.Error())
		return
	}
	now := s.clock.Now().UTC()
	s.screensMu.Lock()
	st := s.screens[sc.id]
	st.ScreenID, st.DepartmentID, st.RemoteAddr = sc.id, sc.dept, r.RemoteAddr
	st.HasScreenshot, st.ScreenshotAt = true, now
	s.screens[sc.id] = st
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := &batch{tx: tx}
		if err := tx.Bucket(bucketScreenshots).Put([]byte(sc.id), data); err != nil {
			return err
		}
		return b.putJSON(bucketScreens, sc.id, st)
	})
	s.screensMu.Unlock()
	if err != nil {
		s.log.Error("store screenshot", "screen", sc.id, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the screenshot")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// screenList merges stored status with what the server saw since it started.
func (s *Server) screenList() []ScreenStatus {
	s.screensMu.Lock()
	all := maps.Clone(s.screens)
	s.screensMu.Unlock()
	s.mu.RLock()
	for id, seen := range s.seen {
		st := all[id]
		st.ScreenID, st.DepartmentID, st.RemoteAddr, st.LastSeen = id, seen.dept, seen.addr, seen.at.UTC()
		all[id] = st
	}
	s.mu.RUnlock()
	streams := s.hub.streams()
	out := make([]ScreenStatus, 0, len(all))
	for _, id := range slices.Sorted(maps.Keys(all)) {
		st := all[id]
		st.EventStreams = streams[id]
		out = append(out, st)
	}
	return out
}

var errNoScreenshot = errors.New("no screenshot from this screen")

func (s *Server) screenshot(id string) ([]byte, error) {
	var data []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketScreenshots).Get([]byte(id))
		if v == nil {
			return errNoScreenshot
		}
		data = bytes.Clone(v)
		return nil
	})
	return data, err
}
