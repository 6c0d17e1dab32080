package backend

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"skaerm/internal/testkit/wait"
)

func TestEventsSyncScreenshotAndKeepAlive(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	stream := tb.events(t, testToken)

	if err := tb.admin.SyncNow(ctx, "d1"); err != nil {
		t.Fatal(err)
	}
	if block := stream.next(t); !strings.HasPrefix(block, "event: sync\ndata: ") {
		t.Fatalf("after SyncNow: %q, want a sync event", block)
	}

	if n, err := tb.admin.Push(ctx, "screenshot", "d2", ""); err != nil || n != 0 {
		t.Fatalf("push to d2: %d streams, %v; want 0", n, err)
	}
	if n, err := tb.admin.Push(ctx, "screenshot", "d1", ""); err != nil || n != 1 {
		t.Fatalf("push to d1: %d streams, %v; want 1", n, err)
	}
	if block := stream.next(t); !strings.HasPrefix(block, "event: screenshot\n") {
		t.Fatalf("got %q, want a screenshot event", block)
	}

	// A sign-up from another screen of the department is pushed too.
	putTestActivity(t, tb, Activity{ID: "a-ev", SignupOpen: true})
	if block := stream.next(t); !strings.HasPrefix(block, "event: sync\n") {
		t.Fatalf("after an admin edit: %q, want sync", block)
	}
	tb.postJSON(t, "/api/screen/v1/signups", SignupRequest{ID: "ev-1", ItemType: ItemActivity, ItemID: "a-ev", ProfileID: "p1", Action: ActionJoin})
	if block := stream.next(t); !strings.Contains(block, "event: sync\ndata: {\"reason\":\"signup\"}") {
		t.Fatalf("after a sign-up: %q, want sync", block)
	}

	// Keep-alive comments come every interval of the (fake) clock.
	for i := 0; i < 2; i++ {
		wait.Until(t, "the stream parked on the test clock", func() bool { return tb.clock.Waiters() > 0 })
		tb.clock.Advance(25 * time.Second)
		if block := stream.next(t); block != ": keep-alive\n" {
			t.Fatalf("keep-alive %d: %q", i, block)
		}
	}

	screens, err := tb.admin.Screens(ctx)
	if err != nil || len(screens) != 1 || screens[0].EventStreams != 1 || screens[0].DepartmentID != "d1" {
		t.Fatalf("screens %+v, %v; want one d1 screen with one stream", screens, err)
	}
}

func TestHubNeverBlocksOnASlowScreen(t *testing.T) {
	h := newHub()
	slow := h.add("d1", "screen-a")
	other := h.add("d2", "screen-b")
	for i := 0; i < 10000; i++ {
		h.publish("d1", "", event{name: "sync", data: fmt.Sprint(i)})
		h.publish("d1", "", event{name: "reload", data: "{}"})
	}
	h.publish("", "screen-b", event{name: "screenshot", data: "{}"})
	got := slow.take()
	if len(got) != 2 || got[0].name != "sync" || got[0].data != "9999" || got[1].name != "reload" {
		t.Fatalf("slow screen holds %+v, want the latest sync and one reload", got)
	}
	if got := other.take(); len(got) != 1 || got[0].name != "screenshot" {
		t.Fatalf("other screen holds %+v, want one screenshot", got)
	}
	h.remove(slow)
	if n := h.publish("d1", "", event{name: "sync"}); n != 0 {
		t.Errorf("removed subscriber still reached (%d)", n)
	}
}
