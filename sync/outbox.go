package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"skaerm/board"
)

// wireSignup is what POST /signups carries: no state, no attempts.
type wireSignup struct {
	ID        string `json:"id"`
	ItemType  string `json:"item_type"`
	ItemID    string `json:"item_id"`
	ProfileID string `json:"profile_id"`
	Action    string `json:"action"`
	At        string `json:"at"`
	Session   string `json:"session,omitempty"` // v1.1: the session it was made in (memory only)
}

// wireBookingRequest is what POST /bookings carries (v1.2): to book,
// resource_id, start and end; to cancel, booking_id.
type wireBookingRequest struct {
	ID         string `json:"id"`
	Action     string `json:"action"`
	ResourceID string `json:"resource_id,omitempty"`
	BookingID  string `json:"booking_id,omitempty"`
	ProfileID  string `json:"profile_id"`
	Start      string `json:"start,omitempty"`
	End        string `json:"end,omitempty"`
	At         string `json:"at"`
	Session    string `json:"session,omitempty"` // the session it was made in (memory only)
}

// bookingRefusals are the reasons POST /bookings gives for a 409. Another
// word is kept as "refused": the screen words only these.
var bookingRefusals = map[string]bool{
	"taken": true, "outside_hours": true, "too_many": true, "too_far_ahead": true, "too_late_to_cancel": true,
	"login_required": true, "unknown_resource": true, "unknown_booking": true, "not_yours": true, "closed": true,
}

// refusal is a definitive no from the backend: the entry is marked Refused
// with Reason and never sent again.
type refusal struct{ reason string }

func (r refusal) Error() string { return "refused by the backend: " + r.reason }

// flushOutbox sends pending sign-ups in the order they were made. Entries
// for the same item and profile keep their order: once one fails for now,
// the later ones for that pair wait for the next flush. An unreachable
// backend ends the flush at once. The returned error is the first one that
// left an entry pending.
func (s *Syncer) flushOutbox(ctx context.Context, res *Result) error {
	entries, err := s.cache.Outbox()
	if err != nil {
		return err
	}
	type pair struct {
		item      board.ItemType
		id, actor string
	}
	blocked := map[pair]bool{}
	pending := map[string]bool{}
	var first error
	stop := false
	for _, e := range entries {
		if e.State != board.Pending {
			continue
		}
		k := pair{e.ItemType, e.ItemID, e.ProfileID}
		if stop || blocked[k] {
			pending[e.ID] = true
			continue
		}
		what := "sign-up"
		if e.ItemType == board.BookingItem {
			what = "booking"
		}
		err := e.Validate()
		switch {
		case err != nil:
			err = refusal{"invalid"}
		case e.ItemType == board.BookingItem:
			err = s.sendBooking(ctx, e)
		default:
			err = s.sendSignup(ctx, e)
		}
		var no refusal
		switch {
		case err == nil:
			if err := s.cache.RemoveSignup(e.ID); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
			res.Sent++
			s.log.Info(what+" sent", "id", e.ID, "item", e.ItemID, "action", e.Action)
		case errors.As(err, &no):
			e.State, e.Reason = board.Refused, no.reason
			if err := s.cache.UpdateSignup(e); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
			res.Refused++
			s.log.Info(what+" refused", "id", e.ID, "item", e.ItemID, "reason", no.reason)
		case errors.Is(err, ErrUnauthorized) || ctx.Err() != nil:
			s.rememberPending(entries, pending)
			return err
		default:
			e.Attempts++
			if uerr := s.cache.UpdateSignup(e); uerr != nil {
				return fmt.Errorf("outbox: %w", uerr)
			}
			s.log.Warn(what+" not sent, will retry", "id", e.ID, "attempts", e.Attempts, "err", err)
			blocked[k] = true
			pending[e.ID] = true
			if first == nil {
				first = fmt.Errorf("send %s %s: %w", what, e.ID, err)
			}
			stop = errors.Is(err, ErrBackendUnreachable)
		}
	}
	res.Pending = len(pending)
	s.known = pending
	return first
}

// rememberPending notes every still-pending entry as known, so the outbox
// watcher does not resend them before the next scheduled sync.
func (s *Syncer) rememberPending(entries []board.Signup, pending map[string]bool) {
	for _, e := range entries {
		if e.State == board.Pending {
			pending[e.ID] = true
		}
	}
	s.known = pending
}

// sendSignup posts one entry. nil means the backend has it (applied now or
// before: the backend is idempotent on the id); a refusal means it never
// will; anything else is worth retrying.
func (s *Syncer) sendSignup(ctx context.Context, e board.Signup) error {
	body, err := json.Marshal(wireSignup{
		ID: e.ID, ItemType: string(e.ItemType), ItemID: e.ItemID, ProfileID: e.ProfileID,
		Action: string(e.Action), At: e.At.Format(time.RFC3339Nano), Session: s.sessionFor(e.ID),
	})
	if err != nil {
		return err
	}
	return s.postEntry(ctx, "/signups", body, nil)
}

// sendBooking posts one booking or cancellation to POST /bookings (v1.2),
// with the answers of sendSignup. A backend that has said it does not offer
// bookables has no such endpoint: the entry is refused as unknown_resource
// without a request. When the screen has not yet heard what the backend
// offers (the first flush after a start), it asks first.
func (s *Syncer) sendBooking(ctx context.Context, e board.Signup) error {
	if s.caps.At.IsZero() {
		if err := s.checkCapabilities(ctx); err != nil {
			return err
		}
		if s.caps.At.IsZero() {
			return fmt.Errorf("%w: what the backend offers is not known yet, the booking waits", ErrBackendFailed)
		}
	}
	if !s.caps.offers(featureBookables) {
		s.log.Warn("booking not sent: the backend does not offer bookables (Screen API v1.2), refused on the screen",
			"id", e.ID, "api", s.caps.API)
		return refusal{"unknown_resource"}
	}
	w := wireBookingRequest{
		ID: e.ID, Action: string(e.Action), ProfileID: e.ProfileID,
		At: e.At.Format(time.RFC3339Nano), Session: s.sessionFor(e.ID),
	}
	if e.Action == board.Book {
		w.ResourceID, w.Start, w.End = e.ItemID, e.Start.Format(time.RFC3339Nano), e.End.Format(time.RFC3339Nano)
	} else {
		w.BookingID = e.ItemID
	}
	body, err := json.Marshal(w)
	if err != nil {
		return fmt.Errorf("booking %s: %w", e.ID, err)
	}
	return s.postEntry(ctx, "/bookings", body, bookingRefusals)
}

// postEntry posts an outbox entry's body to path and reads the answer: nil
// when the backend has it, a refusal when it never will, else an error
// worth retrying. A 409's reason is the backend's word when known holds it
// (any short word when known is nil), else "refused".
func (s *Syncer) postEntry(ctx context.Context, path string, body []byte, known map[string]bool) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := s.post(ctx, path, "application/json", body)
	if err != nil {
		return err
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNoContent:
		return nil
	case http.StatusConflict, http.StatusBadRequest, http.StatusUnprocessableEntity:
		var answer struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(readReason(resp.Body), &answer)
		reason := cleanToken(answer.Error, 40)
		if known != nil && !known[reason] {
			reason = ""
		}
		if reason == "" {
			reason = "refused"
			if resp.StatusCode != http.StatusConflict {
				reason = "invalid"
			}
		}
		return refusal{reason}
	}
	return fmt.Errorf("%w: %s %s", ErrBackendFailed, path, resp.Status)
}

// sessionFor is the session a sign-up was made in, from Options.Sessions.
func (s *Syncer) sessionFor(id string) string {
	if s.opts.Sessions == nil {
		return ""
	}
	return s.opts.Sessions.SessionFor(id)
}

// newPending reports whether the outbox holds a pending entry the last
// flush has not seen, i.e. one just made on the screen.
func (s *Syncer) newPending() bool {
	entries, err := s.cache.Outbox()
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		if e.State == board.Pending && !s.known[e.ID] {
			return true
		}
	}
	return false
}

// flushNow sends pending sign-ups now, without fetching the board.
func (s *Syncer) flushNow(ctx context.Context) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var res Result
	err := s.flushOutbox(ctx, &res)
	return res, err
}
