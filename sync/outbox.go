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
		err := e.Validate()
		if err != nil {
			err = refusal{"invalid"}
		} else {
			err = s.sendSignup(ctx, e)
		}
		var no refusal
		switch {
		case err == nil:
			if err := s.cache.RemoveSignup(e.ID); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
			res.Sent++
			s.log.Info("sign-up sent", "id", e.ID, "item", e.ItemID, "action", e.Action)
		case errors.As(err, &no):
			e.State, e.Reason = board.Refused, no.reason
			if err := s.cache.UpdateSignup(e); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
			res.Refused++
			s.log.Info("sign-up refused", "id", e.ID, "item", e.ItemID, "reason", no.reason)
		case errors.Is(err, ErrUnauthorized) || ctx.Err() != nil:
			s.rememberPending(entries, pending)
			return err
		default:
			e.Attempts++
			if uerr := s.cache.UpdateSignup(e); uerr != nil {
				return fmt.Errorf("outbox: %w", uerr)
			}
			s.log.Warn("sign-up not sent, will retry", "id", e.ID, "attempts", e.Attempts, "err", err)
			blocked[k] = true
			pending[e.ID] = true
			if first == nil {
				first = fmt.Errorf("send sign-up: %w", err)
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
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := s.post(ctx, "/signups", "application/json", body)
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
		if reason == "" {
			reason = "refused"
			if resp.StatusCode != http.StatusConflict {
				reason = "invalid"
			}
		}
		return refusal{reason}
	}
	return fmt.Errorf("%w: %s", ErrBackendFailed, resp.Status)
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
