package backend

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestNotices: staff post a notice through the admin API (which refuses
// one that cannot be shown), the department's screens are told at once
// with the event notice (its data the id) and find it on the board; a v1
// backend has none; staff end it by deleting it.
func TestNotices(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	n := Notice{ID: "u1", Level: NoticeUrgent, Title: "Vandet er lukket", Body: "Der er ingen vand i Solsikken i dag fra 10 til 12.",
		From: local(0, 10, 0), Until: local(0, 12, 0), Wake: true, DepartmentID: "d1"}
	for _, bad := range []func(*Notice){
		func(x *Notice) { x.Level = "critical" },
		func(x *Notice) { x.Title, x.Body = " ", "" },
		func(x *Notice) { x.Until = time.Time{} },
		func(x *Notice) { x.Until = x.From },
		func(x *Notice) { x.Until = x.From.Add(-time.Hour) },
		func(x *Notice) { x.Body = strings.Repeat("ø", maxNoticeBody+1) },
		func(x *Notice) { x.DepartmentID = "d9" },
	} {
		x := n
		bad(&x)
		err := tb.admin.Put(ctx, "notices", x.ID, x)
		var ae *APIError
		if !asAPIError(err, &ae) || ae.Status != http.StatusBadRequest {
			t.Errorf("put %+v: %v, want 400", x, err)
		}
	}
	ev := tb.events(t, testToken)
	if err := tb.admin.Put(ctx, "notices", n.ID, n); err != nil {
		t.Fatal(err)
	}
	saw := map[string]bool{}
	for range 2 {
		block := ev.next(t)
		switch {
		case strings.Contains(block, "event: notice") && strings.Contains(block, "data: u1"):
			saw["notice"] = true
		case strings.Contains(block, "event: sync"):
			saw["sync"] = true
		}
	}
	if !saw["notice"] || !saw["sync"] {
		t.Errorf("events after the post: %v, want notice (data u1) and sync", saw)
	}
	b, _ := tb.board(t)
	i := slices.IndexFunc(b.Notices, func(x Notice) bool { return x.ID == "u1" })
	if i < 0 || b.Notices[i].Title != n.Title || !b.Notices[i].Wake || b.Notices[i].DepartmentID != "" || !b.Notices[i].Until.Equal(n.Until) {
		t.Fatalf("notices on the board: %+v", b.Notices)
	}
	if err := tb.admin.Delete(ctx, "notices", "u1"); err != nil {
		t.Fatal(err)
	}
	if b, _ = tb.board(t); len(b.Notices) != 0 {
		t.Errorf("a deleted notice is still on the board: %+v", b.Notices)
	}

	v1 := startBackend(t, func(o *Options) { o.PlainV1 = true })
	if err := v1.admin.Put(ctx, "notices", n.ID, n); err != nil {
		t.Fatal(err)
	}
	if b, _ := v1.board(t); len(b.Notices) != 0 {
		t.Errorf("a v1 backend's board has notices: %+v", b.Notices)
	}
}
