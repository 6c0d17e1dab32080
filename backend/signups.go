package backend

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// errIDReused is a sign-up id sent again with a different item, profile or
// action: a client bug, answered 400.
var errIDReused = errors.New("sign-up id already used for a different sign-up")

func (req SignupRequest) check() error {
	switch {
	case req.ID == "" || len(req.ID) > 128:
		return invalid("id is required (at most 128 characters)")
	case req.ItemType != ItemActivity && req.ItemType != ItemMeal && req.ItemType != ItemMeeting:
		return invalid("item_type %q is not activity, meal or meeting", req.ItemType)
	case req.Action != ActionJoin && req.Action != ActionLeave:
		return invalid("action %q is not join or leave", req.Action)
	case req.ItemID == "" || req.ProfileID == "":
		return invalid("item_id and profile_id are required")
	}
	return nil
}

func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request, sc screen) {
	var req SignupRequest
	if !decodeJSON(w, r, maxJSONBody, &req, false) {
		return
	}
	if err := req.check(); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	by := s.sessionProfile(sc, req.Session)
	req.Session = ""
	rec, err := s.signup(sc, req, by)
	switch {
	case errors.Is(err, errIDReused):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	case err != nil:
		s.log.Error("sign-up", "id", req.ID, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the sign-up")
		return
	}
	s.log.Info("sign-up", "id", req.ID, "item", req.ItemID, "profile", req.ProfileID, "action", req.Action, "result", rec.Result, "received", rec.Received)
	switch rec.Result {
	case ResultApplied, ResultUnchanged:
		writeJSON(w, http.StatusOK, map[string]string{"id": rec.ID, "result": rec.Result})
	default:
		writeError(w, http.StatusConflict, rec.Result, signupMessages[rec.Result])
	}
}

var signupMessages = map[string]string{
	ResultFull:           "no free places",
	ResultClosed:         "sign-up is closed for this item",
	ResultUnknownItem:    "no such item in this department",
	ResultUnknownProfile: "no such person in this department",
}

// signup applies req once per id. A repeated id gets the first answer again
// and changes nothing.
func (s *Server) signup(sc screen, req SignupRequest, by string) (SignupRecord, error) {
	var rec SignupRecord
	err := s.update("signup", func(b *batch) error {
		now := s.clock.Now()
		if v := b.tx.Bucket(bucketSignups).Get([]byte(req.ID)); v != nil {
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode sign-up %s: %w", req.ID, err)
			}
			if rec.ItemType != req.ItemType || rec.ItemID != req.ItemID || rec.ProfileID != req.ProfileID || rec.Action != req.Action {
				return fmt.Errorf("%w: %s", errIDReused, req.ID)
			}
			rec.Received++
			rec.LastReceived = now
			return b.putJSON(bucketSignups, req.ID, rec)
		}
		rec = SignupRecord{SignupRequest: req, DepartmentID: sc.dept, ScreenID: sc.id, SessionOf: by, Received: 1, FirstReceived: now, LastReceived: now}
		result, err := s.applySignup(b, sc.dept, req, now)
		if err != nil {
			return err
		}
		rec.Result = result
		return b.putJSON(bucketSignups, req.ID, rec)
	})
	return rec, err
}

// applySignup changes the item's sign-up list and says what happened. The
// caller holds the state lock inside a write batch.
func (s *Server) applySignup(b *batch, dept string, req SignupRequest, now time.Time) (string, error) {
	st := s.st
	p, ok := st.profiles.rows[req.ProfileID]
	profileOK := ok && (p.Kind == KindExternal || p.DepartmentID == dept)

	// decide is shared by the three item types.
	decide := func(signups []string, capacity int, closed bool) (string, []string) {
		in := slices.Contains(signups, req.ProfileID)
		switch {
		case !profileOK:
			return ResultUnknownProfile, nil
		case req.Action == ActionJoin && in, req.Action == ActionLeave && !in:
			return ResultUnchanged, nil
		case closed:
			return ResultClosed, nil
		case req.Action == ActionJoin && capacity > 0 && len(signups) >= capacity:
			return ResultFull, nil
		case req.Action == ActionJoin:
			return ResultApplied, append(slices.Clone(signups), req.ProfileID)
		default:
			return ResultApplied, slices.DeleteFunc(slices.Clone(signups), func(id string) bool { return id == req.ProfileID })
		}
	}

	switch req.ItemType {
	case ItemActivity:
		a, ok := st.activities.rows[req.ItemID]
		if !ok || a.DepartmentID != dept {
			return ResultUnknownItem, nil
		}
		result, next := decide(a.Signups, a.Capacity, !a.SignupOpen || !now.Before(a.Start))
		if result == ResultApplied {
			a.Signups = next
			return result, put(b, st.activities, a)
		}
		return result, nil
	case ItemMeal:
		m, ok := st.meals.rows[req.ItemID]
		if !ok || m.DepartmentID != dept {
			return ResultUnknownItem, nil
		}
		closed := !now.Before(m.Start) || !m.SignupDeadline.IsZero() && now.After(m.SignupDeadline)
		result, next := decide(m.Signups, 0, closed)
		if result == ResultApplied {
			m.Signups = next
			return result, put(b, st.meals, m)
		}
		return result, nil
	default:
		m, ok := st.meetings.rows[req.ItemID]
		if !ok || m.DepartmentID != dept {
			return ResultUnknownItem, nil
		}
		result, next := decide(m.Signups, 0, !now.Before(m.Start))
		if result == ResultApplied {
			m.Signups = next
			return result, put(b, st.meetings, m)
		}
		return result, nil
	}
}

// signupRecords lists every sign-up received, oldest first.
func (s *Server) signupRecords() ([]SignupRecord, error) {
	var out []SignupRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSignups).ForEach(func(k, v []byte) error {
			var rec SignupRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode sign-up %s: %w", k, err)
			}
			out = append(out, rec)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b SignupRecord) int {
		if c := a.FirstReceived.Compare(b.FirstReceived); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, err
}
