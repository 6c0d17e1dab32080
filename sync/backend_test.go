package sync

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

// These tests run the screen against the reference backend on loopback,
// with its demo care home.

type refBackend struct {
	*backend.Running
	admin backend.Admin
	dir   string
	addr  string
}

// startBackend starts the reference backend on dataDir (a new temporary
// directory when "") and addr ("" for any loopback port).
func startBackend(t testing.TB, clk clock.Clock, dataDir, addr string) *refBackend {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var r *backend.Running
	var err error
	for i := 0; i < 100; i++ { // a port just closed may take a moment to be free
		r, err = backend.Start(context.Background(), addr, backend.Options{
			DataDir: dataDir, Tokens: []string{"T"}, Demo: true, Clock: clk, Logger: testLogger(t),
		})
		if err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("start backend: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return &refBackend{Running: r, admin: backend.Admin{BaseURL: r.URL}, dir: dataDir, addr: strings.TrimPrefix(r.URL, "http://")}
}

// noMedia refuses every medium from its Content-Length, before a byte of
// it is read: for tests about something else, the demo's pictures only
// cost time.
func noMedia(o *Options) { o.MaxMediaBytes = 1 }

// backendClock is a test clock at the real time: the backend's Date header
// is real time, and the screen follows it.
func backendClock() *clock.Fake {
	return clock.NewFake(time.Now().Truncate(time.Second))
}

// cacheBytes closes c and returns every file in its directory, concatenated.
func cacheBytes(t testing.TB, c *cache.Cache) []byte {
	t.Helper()
	dir := filepath.Dir(c.Path())
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestBackendCanary syncs the demo board and searches the cache file for
// every secret the backend says a screen must never keep.
func TestBackendCanary(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	dir := t.TempDir()
	c := openCache(t, dir, clk)
	s := newSyncer(t, rb.URL, c, clk)
	res, err := s.SyncOnce(context.Background())
	if err != nil || res.MediaFailed != 0 || res.MediaFetched == 0 {
		t.Fatalf("SyncOnce = %+v, %v", res, err)
	}
	demo, err := backend.DemoBoardValue(clk.Now(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	// A secret may also be text the screen shows (the other care home's
	// name in an activity's description): those are not secrets here.
	shown := shownText(demo)
	var secrets []string
	for _, secret := range demo.Secrets() {
		if strings.Contains(shown, secret) {
			t.Logf("%q is also shown text, not searched for", secret)
			continue
		}
		secrets = append(secrets, secret)
	}
	if len(secrets) < 20 {
		t.Fatalf("only %d secrets: the demo should carry many", len(secrets))
	}
	var stored []byte
	b, _ := c.Board()
	for _, h := range b.MediaHashes() {
		m, err := c.Media(h)
		if err != nil {
			t.Fatalf("media %s: %v", h[:8], err)
		}
		stored = append(stored, m...)
	}
	file := cacheBytes(t, c)
	for _, secret := range secrets {
		if bytes.Contains(file, []byte(secret)) {
			t.Errorf("secret %q is in the cache file", secret)
		}
		if bytes.Contains(stored, []byte(secret)) {
			t.Errorf("secret %q is in a stored medium", secret)
		}
	}
}

// shownText joins the text of a backend board that a screen may show,
// read from the backend's own value, not through the filter under test.
func shownText(b *backend.Board) string {
	var parts []string
	parts = append(parts, b.Department.Name)
	for _, a := range b.Activities {
		parts = append(parts, a.Title, a.Description, a.Location)
	}
	for _, m := range b.Meals {
		parts = append(parts, m.Menu)
	}
	for _, m := range b.Meetings {
		parts = append(parts, m.Title, m.Location)
		for _, s := range m.Suggestions {
			parts = append(parts, s.Text)
		}
	}
	for _, x := range b.Bookings {
		parts = append(parts, x.Resource)
	}
	for _, r := range b.Roster {
		parts = append(parts, r.Role)
	}
	return strings.Join(parts, "\n")
}

// TestBackendETag checks the second sync with nothing changed is a 304 and
// a change through the admin API brings a new board.
func TestBackendETag(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia)
	ctx := context.Background()
	first, err := s.SyncOnce(ctx)
	if err != nil || first.NotModified {
		t.Fatalf("first sync = %+v, %v", first, err)
	}
	second, err := s.SyncOnce(ctx)
	if err != nil || !second.NotModified || second.Generation != first.Generation {
		t.Fatalf("second sync = %+v, %v; want 304", second, err)
	}

	p := visibleResident(t, c)
	if err := rb.admin.UpdateProfile(ctx, p.ID, map[string]any{"alias": "Solstrålen"}); err != nil {
		t.Fatal(err)
	}
	third, err := s.SyncOnce(ctx)
	if err != nil || third.NotModified || third.Generation <= first.Generation || third.ETag == first.ETag {
		t.Fatalf("third sync = %+v, %v; want a new board", third, err)
	}
	b, _ := c.Board()
	if got, _ := b.Profile(p.ID); got.Name != "Solstrålen" {
		t.Errorf("name = %q, want the new alias", got.Name)
	}
}

// visibleResident returns a resident on the cached board with an avatar.
func visibleResident(t testing.TB, c *cache.Cache) board.Profile {
	t.Helper()
	b, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Profiles {
		if p.Kind == board.Resident && p.Avatar != "" && !p.Anonymized {
			return p
		}
	}
	t.Fatal("no visible resident with an avatar on the demo board")
	return board.Profile{}
}

// TestBackendDeleteThenSync checks a profile deleted in the Manager leaves
// no byte of its name or avatar in the cache file after the next sync.
func TestBackendDeleteThenSync(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	p := visibleResident(t, c)
	const name = "Zebulonsdatter" // a name nothing else on the board carries
	if err := rb.admin.UpdateProfile(ctx, p.ID, map[string]any{"first_name": name, "alias": ""}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	avatar, err := c.Media(p.Avatar)
	if err != nil {
		t.Fatalf("the avatar was not stored: %v", err)
	}
	// Prove the search below can find them while they are there.
	before := cacheBytes(t, c)
	for _, v := range [][]byte{[]byte(name), []byte(p.Avatar), avatar} {
		if !bytes.Contains(before, v) {
			t.Fatalf("%.20q not in the cache file before the delete", v)
		}
	}

	c = openCache(t, filepath.Dir(c.Path()), clk)
	s = newSyncer(t, rb.URL, c, clk)
	if err := rb.admin.DeleteProfile(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	res, err := s.SyncOnce(ctx)
	if err != nil || res.NotModified {
		t.Fatalf("SyncOnce = %+v, %v", res, err)
	}
	after := cacheBytes(t, c)
	if bytes.Contains(after, []byte(name)) {
		t.Error("the deleted profile's name is still in the cache file")
	}
	if bytes.Contains(after, []byte(p.Avatar)) {
		t.Error("the deleted profile's avatar hash is still in the cache file")
	}
	if bytes.Contains(after, avatar[len(avatar)/2:len(avatar)/2+64]) {
		t.Error("the deleted profile's avatar bytes are still in the cache file")
	}
}

// TestBackendStopped checks a stopped backend gives a clear error and
// leaves the cached board as it was, and a restarted one syncs again.
func TestBackendStopped(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	gen := generation(t, c)
	rb.Close()

	_, err := s.SyncOnce(ctx)
	if !errors.Is(err, ErrBackendUnreachable) {
		t.Fatalf("err = %v, want ErrBackendUnreachable", err)
	}
	t.Logf("the technician reads: %v", err)
	if g := generation(t, c); g != gen {
		t.Errorf("generation %d -> %d", gen, g)
	}
	if b, err := c.Board(); err != nil || len(b.Profiles) == 0 {
		t.Errorf("cached board lost: %v", err)
	}
	if m, _ := c.Meta(); m.LastError == "" {
		t.Error("the failure was not recorded")
	}

	startBackend(t, clk, rb.dir, rb.addr)
	res, err := s.SyncOnce(ctx)
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if !res.NotModified {
		t.Errorf("after restart = %+v, want 304 (same store, same board)", res)
	}
	if m, _ := c.Meta(); m.LastError != "" {
		t.Errorf("LastError = %q after a good sync", m.LastError)
	}
}

// openActivity returns an activity on the cached board that is still to
// come, takes sign-ups and has room, and a visible resident not signed up.
func openActivity(t testing.TB, c *cache.Cache, now time.Time) (board.Activity, board.Profile) {
	t.Helper()
	b, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range b.Activities {
		if !a.SignupOpen || a.Full() || a.Start.Before(now.Add(time.Hour)) {
			continue
		}
		for _, p := range b.Profiles {
			if p.Kind == board.Resident && !a.Signups.Has(p.ID) {
				return a, p
			}
		}
	}
	t.Fatal("no open activity on the demo board")
	return board.Activity{}, board.Profile{}
}

// TestBackendOutboxSurvivesRestart checks a sign-up made while the backend
// is down survives closing the cache and a new Syncer, and reaches the
// backend exactly once when it is back.
func TestBackendOutboxSurvivesRestart(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	dir := t.TempDir()
	c := openCache(t, dir, clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	a, p := openActivity(t, c, clk.Now())
	rb.Close()

	su := board.Signup{ID: "0b5e7c1e-8d4c-4c55-9a61-6f2f1c2d9e01", ItemType: board.ActivityItem, ItemID: a.ID, ProfileID: p.ID, Action: board.Join}
	if err := c.Enqueue(su); err != nil {
		t.Fatal(err)
	}
	res, err := s.SyncOnce(ctx)
	if !errors.Is(err, ErrBackendUnreachable) || res.Pending != 1 {
		t.Fatalf("offline sync = %+v, %v", res, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// The screen restarts; so does the backend.
	c = openCache(t, dir, clk)
	out, _ := c.Outbox()
	if len(out) != 1 || out[0].ID != su.ID || out[0].State != board.Pending || out[0].Attempts != 1 {
		t.Fatalf("outbox after restart = %+v", out)
	}
	rb = startBackend(t, clk, rb.dir, rb.addr)
	s = newSyncer(t, rb.URL, c, clk, noMedia)
	res, err = s.SyncOnce(ctx)
	if err != nil || res.Sent != 1 {
		t.Fatalf("sync after restart = %+v, %v", res, err)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	recs, err := rb.admin.Signups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []backend.SignupRecord
	for _, r := range recs {
		if r.ID == su.ID {
			got = append(got, r)
		}
	}
	if len(got) != 1 || got[0].Received != 1 || got[0].Result != backend.ResultApplied {
		t.Fatalf("backend records = %+v, want one applied arrival", got)
	}
	if out, _ := c.Outbox(); len(out) != 0 {
		t.Errorf("outbox = %+v, want empty", out)
	}
	b, _ := c.Board()
	for _, x := range b.Activities {
		if x.ID == a.ID && !x.Signups.Has(p.ID) {
			t.Error("the board fetched after the send does not show the sign-up")
		}
	}
}

// TestBackendRefusedFull checks a 409 full marks the sign-up refused.
func TestBackendRefusedFull(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	_, p := openActivity(t, c, clk.Now())
	start := clk.Now().Add(2 * time.Hour).Truncate(time.Hour)
	if err := rb.admin.PutActivity(ctx, backend.Activity{
		ID: "full-one", Title: "Fodbad", Start: start, End: start.Add(time.Hour),
		Capacity: 1, SignupOpen: true, Signups: []string{"someone-else"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.Enqueue(board.Signup{ID: "1d1f5f0e-0c77-4bd6-8c36-0d6f0f0a7b21", ItemType: board.ActivityItem, ItemID: "full-one", ProfileID: p.ID, Action: board.Join}); err != nil {
		t.Fatal(err)
	}
	res, err := s.SyncOnce(ctx)
	if err != nil || res.Refused != 1 {
		t.Fatalf("SyncOnce = %+v, %v", res, err)
	}
	out, _ := c.Outbox()
	if len(out) != 1 || out[0].State != board.Refused || out[0].Reason != "full" {
		t.Errorf("outbox = %+v, want refused: full", out)
	}
}

// TestBackendFaults runs the backend's fault modes through SyncOnce: each
// gives its named error and leaves the cached board alone.
func TestBackendFaults(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia, func(o *Options) { o.MaxBoardBytes = 1 << 20 })
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	gen := generation(t, c)
	p := visibleResident(t, c)
	for _, tt := range []struct {
		fault backend.Fault
		want  error
	}{
		{backend.Fault{Mode: "status:503", Path: apiPrefix + "/board"}, ErrBackendFailed},
		{backend.Fault{Mode: backend.FaultRefuse, Path: apiPrefix + "/board"}, ErrBackendUnreachable},
		{backend.Fault{Mode: backend.FaultInvalidJSON, Path: apiPrefix + "/board"}, ErrBadBoard},
		{backend.Fault{Mode: backend.FaultWrongContentType, Path: apiPrefix + "/board"}, ErrBadBoard},
		{backend.Fault{Mode: backend.FaultHuge, Path: apiPrefix + "/board", Size: 4 << 20}, ErrTooLarge},
		{backend.Fault{Mode: backend.FaultTruncate, Path: apiPrefix + "/board"}, ErrBackendUnreachable},
	} {
		t.Run(tt.fault.Mode, func(t *testing.T) {
			if err := rb.admin.SetFault(ctx, tt.fault); err != nil {
				t.Fatal(err)
			}
			defer rb.admin.SetFault(ctx, backend.Fault{})
			// A change, so the fetch is not a 304.
			if err := rb.admin.UpdateProfile(ctx, p.ID, map[string]any{"alias": tt.fault.Mode}); err != nil {
				t.Fatal(err)
			}
			_, err := s.SyncOnce(ctx)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			t.Logf("%s: %v", tt.fault.Mode, err)
			if g := generation(t, c); g != gen {
				t.Errorf("generation %d -> %d", gen, g)
			}
		})
	}
}

// TestBackendCorruptMedia checks media with a flipped byte are refused by
// hash and fetched once they are right again.
func TestBackendCorruptMedia(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	ctx := context.Background()
	if err := rb.admin.SetFault(ctx, backend.Fault{Mode: backend.FaultCorruptMedia}); err != nil {
		t.Fatal(err)
	}
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk)
	res, err := s.SyncOnce(ctx)
	if err != nil || res.MediaFetched != 0 || res.MediaFailed == 0 || res.Generation == 0 {
		t.Fatalf("SyncOnce = %+v, %v; want the board stored and every medium refused", res, err)
	}
	if m, _ := c.Meta(); m.MediaCount != 0 {
		t.Errorf("%d media stored", m.MediaCount)
	}
	rb.admin.SetFault(ctx, backend.Fault{})
	res2, err := s.SyncOnce(ctx)
	if err != nil || res2.MediaFetched != res.MediaFailed || res2.MediaFailed != 0 {
		t.Errorf("retry = %+v, %v; want all %d fetched", res2, err, res.MediaFailed)
	}
}

// TestBackendRunSyncNow runs the whole loop with the real clock: a change in
// the Manager and "sync now" bring the new board within a couple of seconds.
func TestBackendRunSyncNow(t *testing.T) {
	rb := startBackend(t, clock.Real{}, "", "")
	c := openCache(t, "", clock.Real{})
	s := newSyncer(t, rb.URL, c, clock.Real{}, noMedia)
	runSyncer(t, s)
	ctx := context.Background()
	waitBoard := func(what string, ok func(*board.Board) bool) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		ch, cancel := c.Subscribe()
		defer cancel()
		for {
			if b, err := c.Board(); err == nil && ok(b) {
				return
			}
			select {
			case <-ch:
			case <-deadline:
				t.Fatalf("%s: the board did not arrive in time", what)
			}
		}
	}
	waitBoard("first board", func(*board.Board) bool { return true })
	wait.Until(t, "first sync done, stream open", func() bool {
		screens, err := rb.admin.Screens(ctx)
		return err == nil && len(screens) > 0 && screens[0].Status != nil && screens[0].EventStreams > 0
	})
	p := visibleResident(t, c)
	if err := rb.admin.UpdateProfile(ctx, p.ID, map[string]any{"alias": "Morgenfrisk"}); err != nil {
		t.Fatal(err)
	}
	if err := rb.admin.SyncNow(ctx, ""); err != nil {
		t.Fatal(err)
	}
	waitBoard("after sync now", func(b *board.Board) bool {
		got, _ := b.Profile(p.ID)
		return got.Name == "Morgenfrisk"
	})
}

// TestBackendDeletedBookerLeavesNoBytes: a profile deleted in the Manager
// takes its bookings along, and after the next sync neither its bookings'
// ids nor its profile id are left in the cache file.
func TestBackendDeletedBookerLeavesNoBytes(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia)
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	bd, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	var x board.Booking
	for _, b := range bd.Bookings {
		if b.ProfileID != "" && b.ResourceID != "" {
			x = b
			break
		}
	}
	if x.ID == "" {
		t.Fatal("no booking of a bookable by a visible profile on the demo board")
	}
	var mine []string
	for _, b := range bd.Bookings {
		if b.ProfileID == x.ProfileID {
			mine = append(mine, b.ID)
		}
	}
	before := cacheBytes(t, c)
	for _, id := range mine {
		if !bytes.Contains(before, []byte(id)) {
			t.Fatalf("booking %s not in the cache file before the delete", id)
		}
	}
	c = openCache(t, filepath.Dir(c.Path()), clk)
	s = newSyncer(t, rb.URL, c, clk, noMedia)
	if err := rb.admin.DeleteProfile(ctx, x.ProfileID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	bd, err = c.Board()
	if err != nil {
		t.Fatal(err)
	}
	after := cacheBytes(t, c)
	for _, id := range mine {
		if bytes.Contains(after, []byte(id)) {
			t.Errorf("the deleted profile's booking %s is still in the cache file", id)
		}
	}
	for _, b := range bd.Bookings {
		if b.ProfileID == x.ProfileID {
			t.Errorf("booking %s of the deleted profile is still on the board", b.ID)
		}
	}
	if _, ok := bd.Bookable(x.ResourceID); !ok {
		t.Errorf("the resource %s went with its booker", x.ResourceID)
	}
}
