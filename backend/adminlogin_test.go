package backend

import (
	"net/http"
	"strings"
	"testing"
)

// TestAdminSetsLogins: staff give a person a screen login (PIN, tag),
// change it, unlock a PIN locked by wrong tries, and take the login away,
// which ends the person's sessions.
func TestAdminSetsLogins(t *testing.T) {
	tb := startBackend(t)
	put := func(profile, body string) response {
		t.Helper()
		return do(t, http.MethodPut, tb.URL+"/admin/v1/logins/"+profile, "", strings.NewReader(body), "Content-Type", "application/json")
	}
	// p2 has no login in the demo.
	wantJSONError(t, tb.login(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "4321"}), http.StatusForbidden, "no_login")
	if r := put("p2", `{"pin":"4321","tags":["0A0B0C0D"]}`); r.status != http.StatusNoContent {
		t.Fatalf("put login: %d %s", r.status, r.body)
	}
	tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "4321"})
	a := tb.loginOK(t, SessionRequest{Method: "tag", Tag: "0a0b0c0d"})
	if a.ProfileID != "p2" {
		t.Fatalf("the new tag logged in %s", a.ProfileID)
	}

	// Three wrong tries lock the PIN; a new PIN from staff unlocks it and
	// the old one no longer works.
	for range 3 {
		tb.login(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "0000"})
	}
	wantJSONError(t, tb.login(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "4321"}), http.StatusTooManyRequests, "locked")
	if r := put("p2", `{"pin":"9876","tags":["0A0B0C0D"]}`); r.status != http.StatusNoContent {
		t.Fatalf("change PIN: %d %s", r.status, r.body)
	}
	wantJSONError(t, tb.login(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "4321"}), http.StatusUnauthorized, "wrong_pin")
	tb.loginOK(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "9876"})

	// Refused: a PIN that is not 4 digits, nothing to log in with, a tag
	// someone else has (Karen's), an unknown profile, unknown fields.
	wantJSONError(t, put("p2", `{"pin":"12a4"}`), http.StatusBadRequest, "bad_pin")
	wantJSONError(t, put("p2", `{}`), http.StatusBadRequest, "no_way_in")
	wantJSONError(t, put("p2", `{"tags":["04a1b2c3d4e5f6"]}`), http.StatusConflict, "tag_in_use")
	wantJSONError(t, put("p999", `{"pin":"1234"}`), http.StatusNotFound, "unknown_profile")
	if r := put("p2", `{"pin":"1234","cpr":"010101-1234"}`); r.status != http.StatusBadRequest {
		t.Errorf("a setting with an unknown field: %d, want 400", r.status)
	}

	// Taken away: the session ends, the tag and the PIN stop working.
	if r := do(t, http.MethodDelete, tb.URL+"/admin/v1/logins/p2", "", nil); r.status != http.StatusNoContent {
		t.Fatalf("delete login: %d %s", r.status, r.body)
	}
	_, r := tb.me(t, a.Session)
	wantJSONError(t, r, http.StatusUnauthorized, "no_session")
	wantJSONError(t, tb.login(t, SessionRequest{Method: "tag", Tag: "0a0b0c0d"}), http.StatusNotFound, "unknown_tag")
	wantJSONError(t, tb.login(t, SessionRequest{Method: "pin", ProfileID: "p2", PIN: "9876"}), http.StatusForbidden, "no_login")
	wantJSONError(t, do(t, http.MethodDelete, tb.URL+"/admin/v1/logins/p2", "", nil), http.StatusNotFound, "no_login")
}
