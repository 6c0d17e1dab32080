package sync

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
)

func signup(id, item, profile string, action board.Action) board.Signup {
	return board.Signup{ID: id, ItemType: board.ActivityItem, ItemID: item, ProfileID: profile, Action: action}
}

// sentIDs lists the sign-up ids the fake backend received, in order.
func sentIDs(t testing.TB, f *fakeBackend) []string {
	var ids []string
	for _, r := range f.reqs("/signups") {
		ids = append(ids, decodeJSON(t, r.Body)["id"].(string))
	}
	return ids
}

// TestOutboxOrder checks entries go out in order, and one that fails for
// now holds back the later ones for the same item and profile only.
func TestOutboxOrder(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	for _, s := range []board.Signup{
		signup("u1", "a1", "p1", board.Join),
		signup("u2", "a1", "p1", board.Leave),
		signup("u3", "a2", "p1", board.Join),
		signup("u4", "a1", "p2", board.Join),
	} {
		if err := c.Enqueue(s); err != nil {
			t.Fatal(err)
		}
	}
	fail := true
	f.signup = func(body []byte) (int, string) {
		if fail && strings.Contains(string(body), `"u1"`) {
			return http.StatusServiceUnavailable, ""
		}
		return http.StatusOK, `{"result": "applied"}`
	}
	s := newSyncer(t, f.URL, c, clk)
	res, err := s.SyncOnce(context.Background())
	if !errors.Is(err, ErrBackendFailed) {
		t.Fatalf("SyncOnce = %v, want ErrBackendFailed for u1", err)
	}
	if res.Sent != 2 || res.Pending != 2 {
		t.Errorf("sent %d, pending %d; want 2 and 2", res.Sent, res.Pending)
	}
	if got := strings.Join(sentIDs(t, f), ","); got != "u1,u3,u4" {
		t.Errorf("sent %s, want u1,u3,u4 (u2 waits behind u1)", got)
	}
	out, _ := c.Outbox()
	if len(out) != 2 || out[0].ID != "u1" || out[0].Attempts != 1 || out[1].ID != "u2" || out[1].Attempts != 0 {
		t.Errorf("outbox = %+v", out)
	}
	if b, err := c.Board(); err != nil || len(b.Activities) != 1 {
		t.Errorf("a sign-up failure must not stop the board: %v", err)
	}

	f.mu.Lock()
	fail = false
	f.mu.Unlock()
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sentIDs(t, f), ","); got != "u1,u3,u4,u1,u2" {
		t.Errorf("sent %s, want u1 then u2 on the retry", got)
	}
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
	body := decodeJSON(t, f.reqs("/signups")[0].Body)
	for _, k := range []string{"id", "item_type", "item_id", "profile_id", "action", "at"} {
		if _, ok := body[k]; !ok {
			t.Errorf("sign-up body lacks %s: %v", k, body)
		}
	}
	if len(body) != 6 {
		t.Errorf("sign-up body carries more than the API's fields: %v", body)
	}
}

// TestOutboxRefused checks a definitive no marks the entry refused with
// the backend's reason, and it is never sent again.
func TestOutboxRefused(t *testing.T) {
	tests := []struct {
		status     int
		answer     string
		wantReason string
	}{
		{http.StatusConflict, `{"error": "full"}`, "full"},
		{http.StatusConflict, `{"error": "closed"}`, "closed"},
		{http.StatusConflict, `{"error": "unknown_profile"}`, "unknown_profile"},
		{http.StatusConflict, `not json`, "refused"},
		{http.StatusConflict, `{"error": "<script>Karen Jensen</script>"}`, "refused"},
		{http.StatusBadRequest, ``, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.wantReason+"/"+tt.answer, func(t *testing.T) {
			clk := clock.NewFake(testNow)
			f := newFakeBackend(t, clk)
			f.setBoard(simpleBoard("Banko"), `"v1"`)
			f.signup = func([]byte) (int, string) { return tt.status, tt.answer }
			c := openCache(t, "", clk)
			if err := c.Enqueue(signup("u1", "a1", "p1", board.Join)); err != nil {
				t.Fatal(err)
			}
			s := newSyncer(t, f.URL, c, clk)
			res, err := s.SyncOnce(context.Background())
			if err != nil || res.Refused != 1 {
				t.Fatalf("SyncOnce = %+v, %v; want one refused", res, err)
			}
			out, _ := c.Outbox()
			if len(out) != 1 || out[0].State != board.Refused || out[0].Reason != tt.wantReason {
				t.Fatalf("outbox = %+v, want refused with %q", out, tt.wantReason)
			}
			clk.Advance(time.Hour)
			if _, err := s.SyncOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := len(f.reqs("/signups")); n != 1 {
				t.Errorf("sent %d times, want once", n)
			}
		})
	}
}

// TestOutboxUnauthorized checks a revoked token stops the flush and keeps
// the entry for after pairing.
func TestOutboxUnauthorized(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	c := openCache(t, "", clk)
	c.Enqueue(signup("u1", "a1", "p1", board.Join))
	s := newSyncer(t, f.URL, c, clk, func(o *Options) { o.Token = "revoked" })
	if _, err := s.SyncOnce(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("SyncOnce = %v, want ErrUnauthorized", err)
	}
	if out, _ := c.Outbox(); len(out) != 1 || out[0].State != board.Pending {
		t.Errorf("outbox = %+v", out)
	}
}
