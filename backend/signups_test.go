package backend

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// putTestActivity adds an activity in d1 starting in two hours.
func putTestActivity(t *testing.T, tb *testBackend, a Activity) {
	t.Helper()
	if a.Start.IsZero() {
		a.Start, a.End = testDay.Add(2*time.Hour), testDay.Add(3*time.Hour)
	}
	a.DepartmentID = "d1"
	if a.Title == "" {
		a.Title = "Banko"
	}
	if err := tb.admin.PutActivity(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func activityOnBoard(t *testing.T, tb *testBackend, id string) Activity {
	t.Helper()
	b, _ := tb.board(t)
	for _, a := range b.Activities {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("activity %s not on the board", id)
	return Activity{}
}

func TestSignupIsAppliedExactlyOnce(t *testing.T) {
	tb := startBackend(t)
	putTestActivity(t, tb, Activity{ID: "a-once", Capacity: 10, SignupOpen: true, Signups: []string{"p2"}})
	_, etag0 := tb.board(t)

	req := SignupRequest{ID: "3f1c2a9e-0000-4000-8000-000000000001", ItemType: ItemActivity, ItemID: "a-once", ProfileID: "p1", Action: ActionJoin, At: testDay}
	var etags []string
	for i := 0; i < 3; i++ {
		tb.clock.Advance(time.Second)
		r := tb.postJSON(t, "/api/screen/v1/signups", req)
		if r.status != http.StatusOK {
			t.Fatalf("attempt %d: %d %s", i+1, r.status, r.body)
		}
		_, e := tb.board(t)
		etags = append(etags, e)
	}
	if etags[0] == etag0 {
		t.Error("ETag unchanged after a sign-up")
	}
	if etags[1] != etags[0] || etags[2] != etags[0] {
		t.Error("a repeated sign-up changed the board")
	}
	a := activityOnBoard(t, tb, "a-once")
	if !slices.Equal(a.Signups, []string{"p2", "p1"}) {
		t.Errorf("signups %v, want [p2 p1]", a.Signups)
	}

	recs, err := tb.admin.Signups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ID != req.ID || recs[0].Received != 3 || recs[0].Result != ResultApplied || recs[0].DepartmentID != "d1" {
		t.Fatalf("records %+v, want one applied record received 3 times", recs)
	}

	// Leaving with a new id applies; the same id reused for something else
	// is refused.
	leave := req
	leave.ID, leave.Action = "3f1c2a9e-0000-4000-8000-000000000002", ActionLeave
	if r := tb.postJSON(t, "/api/screen/v1/signups", leave); r.status != http.StatusOK {
		t.Fatalf("leave: %d %s", r.status, r.body)
	}
	if a := activityOnBoard(t, tb, "a-once"); !slices.Equal(a.Signups, []string{"p2"}) {
		t.Errorf("after leave: %v, want [p2]", a.Signups)
	}
	reused := req
	reused.ItemID = "a-other"
	wantJSONError(t, tb.postJSON(t, "/api/screen/v1/signups", reused), http.StatusBadRequest, "bad_request")
}

func TestSignupConflicts(t *testing.T) {
	tb := startBackend(t)
	putTestActivity(t, tb, Activity{ID: "a-full", Capacity: 2, SignupOpen: true, Signups: []string{"p2", "p3"}})
	putTestActivity(t, tb, Activity{ID: "a-closed", Capacity: 10, SignupOpen: false})
	putTestActivity(t, tb, Activity{ID: "a-begun", SignupOpen: true, Start: testDay.Add(-time.Hour), End: testDay.Add(time.Hour)})
	putTestActivity(t, tb, Activity{ID: "a-open", Capacity: 2, SignupOpen: true, Signups: []string{"p2"}})
	err := tb.admin.Put(context.Background(), "meals", "m-late", Meal{Kind: MealLunch, Start: testDay.Add(2 * time.Hour), End: testDay.Add(3 * time.Hour),
		Menu: "Boller i karry", SignupDeadline: testDay.Add(-time.Minute), DepartmentID: "d1"})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, itemType, item, profile, action string
		status                                int
		want                                  string
	}{
		{"full", ItemActivity, "a-full", "p1", ActionJoin, http.StatusConflict, ResultFull},
		{"leaving a full one", ItemActivity, "a-full", "p2", ActionLeave, http.StatusOK, ResultApplied},
		{"closed", ItemActivity, "a-closed", "p1", ActionJoin, http.StatusConflict, ResultClosed},
		{"already begun", ItemActivity, "a-begun", "p1", ActionJoin, http.StatusConflict, ResultClosed},
		{"meal past its deadline", ItemMeal, "m-late", "p1", ActionJoin, http.StatusConflict, ResultClosed},
		{"unknown item", ItemActivity, "a-nope", "p1", ActionJoin, http.StatusConflict, ResultUnknownItem},
		{"wrong item type", ItemMeeting, "a-open", "p1", ActionJoin, http.StatusConflict, ResultUnknownItem},
		{"other department's item", ItemActivity, "a-d2-20261124-1", "p1", ActionJoin, http.StatusConflict, ResultUnknownItem},
		{"unknown profile", ItemActivity, "a-open", "p999", ActionJoin, http.StatusConflict, ResultUnknownProfile},
		{"other department's profile", ItemActivity, "a-open", "p30", ActionJoin, http.StatusConflict, ResultUnknownProfile},
		{"external profile", ItemActivity, "a-open", "x1", ActionJoin, http.StatusOK, ResultApplied},
		{"already joined", ItemActivity, "a-open", "x1", ActionJoin, http.StatusOK, ResultUnchanged},
		{"leave when not joined", ItemActivity, "a-open", "p5", ActionLeave, http.StatusOK, ResultUnchanged},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := SignupRequest{ID: "id-" + strings.ReplaceAll(tt.name, " ", "-"), ItemType: tt.itemType, ItemID: tt.item, ProfileID: tt.profile, Action: tt.action, At: testDay}
			r := tb.postJSON(t, "/api/screen/v1/signups", req)
			if r.status != tt.status {
				t.Fatalf("case %d: %d %s, want %d", i, r.status, r.body, tt.status)
			}
			if tt.status == http.StatusConflict {
				wantJSONError(t, r, http.StatusConflict, tt.want)
				return
			}
			var ok struct{ ID, Result string }
			if err := json.Unmarshal(r.body, &ok); err != nil || ok.Result != tt.want || ok.ID != req.ID {
				t.Errorf("answer %s, want result %s", r.body, tt.want)
			}
		})
	}
}

func TestSignupBadRequests(t *testing.T) {
	tb := startBackend(t)
	for _, body := range []string{
		`{"item_type":"activity","item_id":"a","profile_id":"p1","action":"join"}`,
		`{"id":"x","item_type":"party","item_id":"a","profile_id":"p1","action":"join"}`,
		`{"id":"x","item_type":"activity","item_id":"a","profile_id":"p1","action":"dance"}`,
		`{"id":"x","item_type":"activity","profile_id":"p1","action":"join"}`,
		`{"id":"x","item_type":"activity","item_id":"a","profile_id":"p1","action":"join","at":"yesterday"}`,
		`{"id":`,
		`[]`,
		`{"id":"x"} {"id":"y"}`,
	} {
		r := do(t, http.MethodPost, tb.URL+"/api/screen/v1/signups", testToken, strings.NewReader(body), "Content-Type", "application/json")
		wantJSONError(t, r, http.StatusBadRequest, "")
	}
	if recs, _ := tb.admin.Signups(context.Background()); len(recs) != 0 {
		t.Errorf("bad requests were recorded: %+v", recs)
	}
}
