package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

func TestBoardRoundTrip(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if _, err := c.Board(); !errors.Is(err, ErrNoBoard) {
		t.Fatalf("Board on a new cache: got %v, want ErrNoBoard", err)
	}
	want := testBoard(clk.Now(), 1, 1)
	if err := c.ReplaceBoard(want, `"etag-1"`); err != nil {
		t.Fatal(err)
	}
	got, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	// The board was already inside the window: trimming keeps all of it.
	trimmed := want.Trim(board.WindowAt(clk.Now(), want.Location()))
	if !boardsEqual(got, trimmed) {
		t.Fatalf("Board() differs from what was stored")
	}
	if len(got.Activities) != len(want.Activities) || len(got.Profiles) != len(want.Profiles) {
		t.Fatalf("stored %d activities and %d profiles, read %d and %d",
			len(want.Activities), len(want.Profiles), len(got.Activities), len(got.Profiles))
	}
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.ETag != `"etag-1"` || m.Generation != 1 || !m.LastSync.Equal(clk.Now()) || m.LastError != "" || m.BoardBytes == 0 || m.FileBytes == 0 {
		t.Fatalf("meta after first board: %+v", m)
	}

	// Changing what Board returned must not change the cache.
	got.Profiles[0].Name = "changed"
	again, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	if again.Profiles[0].Name == "changed" {
		t.Fatal("Board returned memory shared with the cache")
	}

	// It all survives Close and Open.
	c = reopen(t, c, Options{Clock: clk})
	got, err = c.Board()
	if err != nil {
		t.Fatal(err)
	}
	if !boardsEqual(got, trimmed) {
		t.Fatal("board differs after reopening")
	}
}

// boardsEqual compares boards as the JSON they are stored as.
func boardsEqual(a, b *board.Board) bool {
	ja, err := json.Marshal(a)
	if err != nil {
		panic(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		panic(err)
	}
	return bytes.Equal(ja, jb)
}

func TestReplaceBoardTrimsToWindow(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	b := testBoard(clk.Now(), 1, 1)
	old := b.Activities[0]
	old.ID, old.Start, old.End = "ancient", clk.Now().AddDate(0, 0, -5), clk.Now().AddDate(0, 0, -5).Add(time.Hour)
	far := b.Activities[0]
	far.ID, far.Start, far.End = "far", clk.Now().AddDate(0, 0, 30), clk.Now().AddDate(0, 0, 30).Add(time.Hour)
	b.Activities = append(b.Activities, old, far)
	if err := c.ReplaceBoard(b, "e"); err != nil {
		t.Fatal(err)
	}
	got, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got.Activities {
		if a.ID == "ancient" || a.ID == "far" {
			t.Errorf("activity %s outside the window was stored", a.ID)
		}
	}
	if len(got.Activities) != len(b.Activities)-2 {
		t.Errorf("stored %d activities, want %d", len(got.Activities), len(b.Activities)-2)
	}
}

func TestReadersSeeWholeGenerations(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	const generations = 25
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last, reads := 0, 0
			for {
				select {
				case <-done:
					if reads == 0 {
						errs <- fmt.Errorf("reader %d never read", r)
					}
					return
				default:
				}
				b, err := c.Board()
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				gen, nameGen, err := generationOf(b)
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				if gen != nameGen {
					errs <- fmt.Errorf("reader %d: activities of generation %d, names of %d", r, gen, nameGen)
					return
				}
				if gen < last {
					errs <- fmt.Errorf("reader %d: generation went back from %d to %d", r, last, gen)
					return
				}
				last = gen
				reads++
				if _, err := c.Meta(); err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
			}
		}()
	}
	for gen := 2; gen <= generations; gen++ {
		// Every generation renames everyone, so every store also compacts:
		// readers race the file being swapped as well.
		if err := c.ReplaceBoard(testBoard(clk.Now(), gen, gen), fmt.Sprint("e", gen)); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.Generation != generations {
		t.Errorf("Generation = %d, want %d", m.Generation, generations)
	}
}

func TestDeletedProfileLeavesNoBytes(t *testing.T) {
	t.Parallel()
	const name = "Zacharias"
	canary := bytes.Repeat([]byte("AVATAR-CANARY-8c1f"), 200)
	avatar := hashOf("avatar-zacharias")

	withZacharias := func() *board.Board {
		b := testBoard(t0, 1, 1)
		b.Profiles = append(b.Profiles, board.Profile{ID: "rz", Kind: board.Resident, Name: name, Avatar: avatar})
		b.Activities[3].Signups.IDs = append(b.Activities[3].Signups.IDs, "rz")
		return b
	}
	without := testBoard(t0, 2, 1)

	store := func(t *testing.T, c *Cache) {
		t.Helper()
		if err := c.PutMedia(avatar, canary); err != nil {
			t.Fatal(err)
		}
		if err := c.ReplaceBoard(withZacharias(), "e1"); err != nil {
			t.Fatal(err)
		}
		// The search finds them while they are stored.
		if !fileHas(t, c.Path(), []byte(name)) || !fileHas(t, c.Path(), canary) {
			t.Fatal("stored name or avatar not found in the file: the search cannot see them")
		}
		if err := c.ReplaceBoard(without, "e2"); err != nil {
			t.Fatal(err)
		}
		if ok, err := c.HasMedia(avatar); err != nil || ok {
			t.Fatalf("HasMedia(removed avatar) = %v, %v", ok, err)
		}
	}

	t.Run("without compaction the bytes stay", func(t *testing.T) {
		c, _ := openTest(t)
		c.autoCompact = false
		store(t, c)
		if !fileHas(t, c.Path(), []byte(name)) || !fileHas(t, c.Path(), canary) {
			t.Fatal("deleted bytes vanished without compaction; this test would not notice if compaction stopped working")
		}
		if err := c.Compact(); err != nil {
			t.Fatal(err)
		}
		if fileHas(t, c.Path(), []byte(name)) || fileHas(t, c.Path(), canary) {
			t.Fatal("Compact left the deleted bytes in the file")
		}
	})

	t.Run("ReplaceBoard removes them", func(t *testing.T) {
		c, clk := openTest(t)
		store(t, c)
		if fileHas(t, c.Path(), []byte(name)) {
			t.Errorf("the removed profile's name is still in %s", c.Path())
		}
		if fileHas(t, c.Path(), canary) {
			t.Errorf("the removed avatar's bytes are still in %s", c.Path())
		}
		if got := leftovers(t, c.Path()); len(got) != 0 {
			t.Errorf("files left beside the cache: %v", got)
		}
		// The compacted file is a working cache holding the new board.
		c = reopen(t, c, Options{Clock: clk})
		b, err := c.Board()
		if err != nil {
			t.Fatal(err)
		}
		if gen, _, err := generationOf(b); err != nil || gen != 2 {
			t.Fatalf("after compaction: generation %d, %v", gen, err)
		}
	})

	t.Run("a compaction owed at a crash happens on Open", func(t *testing.T) {
		c, clk := openTest(t)
		c.autoCompact = false // as if the power went right after the commit
		store(t, c)
		c = reopen(t, c, Options{Clock: clk})
		if fileHas(t, c.Path(), []byte(name)) || fileHas(t, c.Path(), canary) {
			t.Fatal("Open did not finish the compaction the last removal owed")
		}
	})
}

func TestUnchangedTextDoesNotCompact(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	// Same words, new numbers and times, one text added: nothing to scrub,
	// no rewrite.
	b := testBoard(clk.Now(), 2, 1)
	b.Meals[4].Menu = "Rødgrød med fløde"
	if err := c.ReplaceBoard(b, "e2"); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("the file was rewritten though nothing was removed")
	}
	// That menu changed back is text gone: the file is rewritten.
	if err := c.ReplaceBoard(testBoard(clk.Now(), 3, 1), "e3"); err != nil {
		t.Fatal(err)
	}
	edited, err := os.Stat(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(after, edited) {
		t.Error("an edited menu did not compact the file")
	}
}

func TestPruneRetention(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	const guest = "Datter Lene-1" // external, signed up only to today's banko
	b := testBoard(clk.Now(), 1, 1)
	if err := c.PutMedia(hashOf("avatar-e0"), []byte("guest avatar")); err != nil {
		t.Fatal(err)
	}
	if err := c.PutMedia(hashOf("avatar-r01"), []byte("resident avatar")); err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceBoard(b, "e1"); err != nil {
		t.Fatal(err)
	}
	if err := c.PutMedia("orphan", []byte("referred to by nothing")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []board.Signup{signup("old-refused", "a1-0"), signup("old-pending", "a1-1"), signup("new-refused", "a5-0")} {
		if err := c.Enqueue(s); err != nil {
			t.Fatal(err)
		}
	}
	refuse := func(id string, at time.Time) {
		s := signup(id, "x")
		s.At, s.State, s.Reason = at, board.Refused, "full"
		if err := c.UpdateSignup(s); err != nil {
			t.Fatal(err)
		}
	}
	refuse("old-refused", t0)
	refuse("new-refused", t0.AddDate(0, 0, 3))

	// Nothing is due yet.
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	if m, _ := c.Meta(); m.Generation != 1 {
		t.Fatalf("Prune with nothing due changed the generation to %d", m.Generation)
	}

	// Three days offline.
	clk.Advance(3 * 24 * time.Hour)
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	got, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	w := board.WindowAt(clk.Now(), copenhagen)
	kept := map[string]bool{}
	for _, a := range got.Activities {
		kept[a.ID] = true
		if a.End.Before(w.From) {
			t.Errorf("activity %s ended %s, before yesterday", a.ID, a.End)
		}
	}
	for _, a := range b.Activities {
		if !a.End.Before(w.From) && !kept[a.ID] {
			t.Errorf("activity %s (ends %s) is within the window but was dropped", a.ID, a.End)
		}
	}
	for _, x := range got.Meals {
		if x.End.Before(w.From) {
			t.Errorf("meal %s is older than yesterday", x.ID)
		}
	}
	for _, x := range got.Roster {
		if x.End.Before(w.From) {
			t.Errorf("shift %s is older than yesterday", x.ID)
		}
	}
	if _, ok := got.Profile("e0"); ok {
		t.Error("the external guest is still stored though no longer signed up to anything")
	}
	if _, ok := got.Profile("e1"); !ok {
		t.Error("the external volunteer, still signed up, was dropped")
	}
	if _, ok := got.Profile("r01"); !ok {
		t.Error("a resident was dropped")
	}
	for hash, want := range map[string]bool{hashOf("avatar-e0"): false, "orphan": false, hashOf("avatar-r01"): true} {
		if ok, err := c.HasMedia(hash); err != nil || ok != want {
			t.Errorf("HasMedia(%.12s) = %v, %v; want %v", hash, ok, err, want)
		}
	}
	ids := outboxIDs(t, c)
	if strings.Join(ids, ",") != "old-pending,new-refused" {
		t.Errorf("outbox after Prune = %v, want the pending entry and the recent refusal", ids)
	}
	if fileHas(t, c.Path(), []byte(guest)) {
		t.Error("the pruned guest's name is still in the file")
	}
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.Generation != 2 || m.ETag != "e1" {
		t.Errorf("after Prune: generation %d etag %q, want 2 and the old etag", m.Generation, m.ETag)
	}
}

// TestRetainPrunesOnItsClock: Retain keeps applying the window while the
// screen is offline: after three days on the cache's clock yesterday's
// activities are gone without any new board.
func TestRetainPrunesOnItsClock(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	b := testBoard(clk.Now(), 1, 1)
	if err := c.ReplaceBoard(b, "e1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Retain(ctx) }()
	wait.Until(t, "Retain waiting for its next round", func() bool { return clk.Waiters() > 0 })
	if m, _ := c.Meta(); m.Generation != 1 {
		t.Fatalf("the first round with nothing due changed the generation to %d", m.Generation)
	}

	clk.Advance(3 * 24 * time.Hour)
	wait.Until(t, "the board trimmed to the window three days on", func() bool {
		m, err := c.Meta()
		return err == nil && m.Generation == 2
	})
	got, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	// What Prune keeps is tested with Prune; here: the same as Prune at the
	// clock's new time, and less than before.
	want := b.Trim(board.WindowAt(t0, copenhagen)).Trim(board.WindowAt(clk.Now(), copenhagen))
	if len(got.Activities) != len(want.Activities) || len(got.Roster) != len(want.Roster) || len(want.Activities) >= len(b.Activities) {
		t.Errorf("after three days: %d activities and %d shifts, want %d and %d (of %d activities)",
			len(got.Activities), len(got.Roster), len(want.Activities), len(want.Roster), len(b.Activities))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Retain = %v, want nil when stopped", err)
	}
}

func TestPruneTrustsBoardOverClockBehind(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	before, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	// A Pi without a real-time clock boots in 1970 and no network corrects it.
	clk.Set(time.Unix(0, 0))
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	after, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	if !boardsEqual(before, after) {
		t.Error("a clock behind the board made Prune cut the board")
	}
}

func TestOutbox(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	ids := []string{"c3", "a1", "b2", "e5", "d4"} // not sorted: order is enqueue order
	for i, id := range ids {
		s := signup(id, fmt.Sprint("a1-", i))
		s.State, s.Attempts = board.Refused, 9 // a new entry starts pending whatever it says
		if err := c.Enqueue(s); err != nil {
			t.Fatal(err)
		}
	}
	// A duplicate id is ignored, even with other content.
	dup := signup("a1", "something-else")
	if err := c.Enqueue(dup); err != nil {
		t.Fatalf("duplicate Enqueue: %v", err)
	}
	invalid := []board.Signup{
		{},
		{ID: "x", ItemType: "party", ItemID: "a1", ProfileID: "r1", Action: board.Join},
		{ID: "x", ItemType: board.MealItem, ItemID: "m1", Action: board.Join},
		{ID: "x", ItemType: board.MealItem, ItemID: "m1", ProfileID: "r1", Action: "maybe"},
	}
	for _, s := range invalid {
		err := c.Enqueue(s)
		if err == nil || !strings.HasPrefix(err.Error(), "enqueue: signup") {
			t.Errorf("Enqueue(%+v) = %v, want a validation error", s, err)
		}
	}
	noAt := signup("f6", "a1-9")
	noAt.At = time.Time{}
	if err := c.Enqueue(noAt); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, "f6")

	check := func(c *Cache, want []string) []board.Signup {
		t.Helper()
		out, err := c.Outbox()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range out {
			got = append(got, s.ID)
			if s.State != board.Pending && s.State != board.Refused {
				t.Errorf("entry %s in state %q", s.ID, s.State)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("outbox = %v, want %v", got, want)
		}
		return out
	}
	out := check(c, ids)
	for _, s := range out {
		if s.State != board.Pending || s.Attempts != 0 {
			t.Errorf("new entry %s is %q after %d attempts, want pending and none", s.ID, s.State, s.Attempts)
		}
	}
	if out[1].ItemID != "a1-1" {
		t.Errorf("duplicate Enqueue replaced the entry: item %s", out[1].ItemID)
	}
	if !out[5].At.Equal(clk.Now()) {
		t.Errorf("entry without a time got %s, want now", out[5].At)
	}

	c = reopen(t, c, Options{Clock: clk})
	out = check(c, ids)

	// Update keeps the place in the queue.
	u := out[2]
	u.Attempts, u.State, u.Reason = 3, board.Refused, "full"
	if err := c.UpdateSignup(u); err != nil {
		t.Fatal(err)
	}
	out = check(c, ids)
	if out[2].Attempts != 3 || out[2].State != board.Refused || out[2].Reason != "full" {
		t.Errorf("after UpdateSignup: %+v", out[2])
	}
	unknown := signup("nope", "a")
	unknown.State = board.Pending
	if err := c.UpdateSignup(unknown); !errors.Is(err, ErrNoSignup) {
		t.Errorf("UpdateSignup of an unknown id: %v, want ErrNoSignup", err)
	}
	bad := out[0]
	bad.State = "lost"
	if err := c.UpdateSignup(bad); err == nil {
		t.Error("UpdateSignup accepted an unknown state")
	}

	if err := c.RemoveSignup("a1"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveSignup("a1"); err != nil {
		t.Errorf("removing twice: %v", err)
	}
	// A removed id may be queued again, at the end.
	if err := c.Enqueue(signup("a1", "a1-1")); err != nil {
		t.Fatal(err)
	}
	check(c, []string{"c3", "b2", "e5", "d4", "f6", "a1"})
}

func TestLocked(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Enqueue(signup("s1", "a1-0")); err != nil {
		t.Fatal(err)
	}
	sum := func() [32]byte {
		data, err := os.ReadFile(c.Path())
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(data)
	}
	before := sum()
	for _, ro := range []bool{false, true} {
		c2, err := Open(c.Path(), Options{Timeout: 50 * time.Millisecond, Clock: clk, ReadOnly: ro})
		if err == nil {
			c2.Close()
			t.Fatalf("second Open (read-only %v) succeeded while the file is held", ro)
		}
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another skaerm process holds the file") {
			t.Errorf("second Open (read-only %v): %v, want ErrLocked saying another process holds it", ro, err)
		}
	}
	if sum() != before {
		t.Error("a locked-out Open changed the file")
	}
	if got := leftovers(t, c.Path()); len(got) != 0 {
		t.Errorf("a locked-out Open left files: %v", got)
	}
	if _, err := c.Board(); err != nil {
		t.Errorf("the holder lost its board: %v", err)
	}
}

func TestReadOnly(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if _, err := Open(filepath.Join(t.TempDir(), "none.db"), Options{Clock: clk, ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open of a missing file: %v, want not-exist", err)
	}
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(c.Path(), Options{Clock: clk, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Two readers may look at once.
	r2, err := Open(c.Path(), Options{Clock: clk, ReadOnly: true, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	r2.Close()
	if _, err := r.Board(); err != nil {
		t.Fatal(err)
	}
	if m, err := r.Meta(); err != nil || m.Generation != 1 {
		t.Fatalf("Meta = %+v, %v", m, err)
	}
	writes := map[string]func() error{
		"ReplaceBoard":  func() error { return r.ReplaceBoard(testBoard(t0, 2, 2), "e2") },
		"Prune":         r.Prune,
		"Compact":       r.Compact,
		"RecordAttempt": func() error { return r.RecordAttempt(nil) },
		"PutMedia":      func() error { return r.PutMedia("h", []byte{1}) },
		"Enqueue":       func() error { return r.Enqueue(signup("s", "a")) },
		"RemoveSignup":  func() error { return r.RemoveSignup("s") },
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only cache: %v, want ErrReadOnly", name, err)
		}
	}
}

func TestClosed(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := c.Board(); !errors.Is(err, ErrClosed) {
		t.Errorf("Board after Close: %v", err)
	}
	if err := c.Enqueue(signup("s", "a")); !errors.Is(err, ErrClosed) {
		t.Errorf("Enqueue after Close: %v", err)
	}
	if err := c.Compact(); !errors.Is(err, ErrClosed) {
		t.Errorf("Compact after Close: %v", err)
	}
}

func TestMedia(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t)
	h := hashOf("photo")
	if _, err := c.Media(h); !errors.Is(err, ErrNoMedia) {
		t.Fatalf("Media of a missing hash: %v, want ErrNoMedia", err)
	}
	data := []byte("jpeg bytes")
	if err := c.PutMedia(h, data); err != nil {
		t.Fatal(err)
	}
	data[0] = 'X' // the cache keeps its own copy
	got, err := c.Media(h)
	if err != nil || string(got) != "jpeg bytes" {
		t.Fatalf("Media = %q, %v", got, err)
	}
	got[0] = 'Y' // and hands out copies
	if again, _ := c.Media(h); string(again) != "jpeg bytes" {
		t.Fatalf("Media handed out shared memory")
	}
	if ok, err := c.HasMedia(h); !ok || err != nil {
		t.Fatalf("HasMedia = %v, %v", ok, err)
	}
	for _, bad := range []struct {
		hash string
		data []byte
	}{{"", []byte{1}}, {strings.Repeat("a", 200), []byte{1}}, {h + "x", nil}} {
		if err := c.PutMedia(bad.hash, bad.data); err == nil {
			t.Errorf("PutMedia(%.10q, %d bytes) accepted", bad.hash, len(bad.data))
		}
	}
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaCount != 1 || m.MediaBytes != int64(len("jpeg bytes")) {
		t.Errorf("Meta media = %d items, %d bytes", m.MediaCount, m.MediaBytes)
	}
}

func TestMetaAttempts(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1"); err != nil {
		t.Fatal(err)
	}
	synced := clk.Now()
	clk.Advance(time.Minute)
	if err := c.RecordAttempt(errors.New("backend: 503")); err != nil {
		t.Fatal(err)
	}
	m, _ := c.Meta()
	if !m.LastSync.Equal(synced) || !m.LastAttempt.Equal(clk.Now()) || m.LastError != "backend: 503" {
		t.Fatalf("after a failure: %+v", m)
	}
	clk.Advance(time.Minute)
	if err := c.RecordAttempt(nil); err != nil {
		t.Fatal(err)
	}
	m, _ = c.Meta()
	if !m.LastSync.Equal(clk.Now()) || !m.LastAttempt.Equal(clk.Now()) || m.LastError != "" || m.Generation != 1 {
		t.Fatalf("after a 304: %+v", m)
	}
	if err := c.SetClockOffset(-90 * time.Second); err != nil {
		t.Fatal(err)
	}
	c = reopen(t, c, Options{Clock: clk})
	m, _ = c.Meta()
	if m.ClockOffset != -90*time.Second || !m.ClockOffsetAt.Equal(clk.Now()) || m.ETag != "e1" {
		t.Fatalf("after reopening: %+v", m)
	}
	if m.ClockBootID != c.BootID() || m.ClockBootID != clock.BootID() {
		t.Fatalf("boot id kept %q, want this boot's %q", m.ClockBootID, clock.BootID())
	}
}

// TestClockOffsetStamped checks the offset is kept with the boot and the
// time since boot it was measured at, which is what lets a restarted screen
// go on with it.
func TestClockOffsetStamped(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "cache.db")
	c, err := Open(path, Options{Clock: clk, BootID: "boot-a", Uptime: func() time.Duration { return 42 * time.Minute }})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetClockOffset(72 * time.Hour); err != nil {
		t.Fatal(err)
	}
	c = reopen(t, c, Options{Clock: clk})
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.ClockBootID != "boot-a" || m.ClockUptime != 42*time.Minute || m.ClockOffset != 72*time.Hour {
		t.Fatalf("kept %+v", m)
	}
}

func TestSubscribers(t *testing.T) {
	t.Parallel()
	c, clk := openTest(t)
	a, cancelA := c.Subscribe()
	b, cancelB := c.Subscribe()
	defer cancelB()
	woke := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	ops := []struct {
		name string
		op   func() error
	}{
		{"ReplaceBoard", func() error { return c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e1") }},
		{"Enqueue", func() error { return c.Enqueue(signup("s1", "a1-0")) }},
		{"UpdateSignup", func() error {
			s := signup("s1", "a1-0")
			s.State, s.Attempts = board.Pending, 1
			return c.UpdateSignup(s)
		}},
		{"RemoveSignup", func() error { return c.RemoveSignup("s1") }},
		{"PutMedia", func() error { return c.PutMedia("h1", []byte{1}) }},
		{"RecordAttempt", func() error { return c.RecordAttempt(nil) }},
	}
	for _, o := range ops {
		if err := o.op(); err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
		if !woke(a) || !woke(b) {
			t.Errorf("%s did not wake both subscribers", o.name)
		}
	}
	// No change, no wake-up.
	if err := c.Enqueue(signup("s2", "a1-0")); err != nil {
		t.Fatal(err)
	}
	woke(a)
	woke(b)
	if err := c.Enqueue(signup("s2", "a1-0")); err != nil {
		t.Fatal(err)
	}
	if woke(a) {
		t.Error("a duplicate Enqueue woke a subscriber")
	}
	// Many changes to a reader that does not read: one wake-up waits.
	for i := range 5 {
		if err := c.Enqueue(signup(fmt.Sprint("burst", i), "a1-0")); err != nil {
			t.Fatal(err)
		}
	}
	if len(a) != 1 || !woke(a) || woke(a) {
		t.Error("a burst of changes did not coalesce into one wake-up")
	}
	cancelA()
	cancelA()
	if err := c.Enqueue(signup("after", "a1-0")); err != nil {
		t.Fatal(err)
	}
	if woke(a) {
		t.Error("a cancelled subscriber was woken")
	}
	if !woke(b) {
		t.Error("cancelling one subscriber silenced another")
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.db")
	keep := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(keep, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("not a cache"), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	c, err := Open(path, Options{Clock: clk}) // moves the garbage aside
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceBoard(testBoard(clk.Now(), 1, 1), "e"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".compact", []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(leftovers(t, path)) != 2 {
		t.Fatalf("want a .corrupt and a .compact file, have %v", leftovers(t, path))
	}

	if err := Purge(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("Purge while open: %v, want ErrLocked", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Purge while open removed the file: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Purge(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cache file still there: %v", err)
	}
	if got := leftovers(t, path); len(got) != 0 {
		t.Errorf("Purge left %v", got)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("Purge removed another file: %v", err)
	}
	if err := Purge(path); err != nil {
		t.Errorf("Purge of nothing: %v", err)
	}
}

func TestFilePermissions(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t)
	fi, err := os.Stat(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(c.Path()))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v, want 0700", di.Mode().Perm())
	}
}

// The window follows the backend's clock by the screen's own rule
// (clock.Offset.Carried): an offset measured in this boot holds for as long
// as the local clock runs on with the time since boot, however long that
// is; after a reboot it does not, however soon.
func TestWindowFollowsTheCarriedOffset(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	start := clk.Now()
	up := func() time.Duration { return 42*time.Minute + clk.Now().Sub(start) } // the time since boot runs with the clock
	path := filepath.Join(t.TempDir(), "cache.db")
	c, err := Open(path, Options{Clock: clk, BootID: "boot-a", Uptime: up})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetClockOffset(72 * time.Hour); err != nil { // the backend is three days ahead
		t.Fatal(err)
	}
	from := func(c *Cache) string {
		t.Helper()
		w, err := c.Window()
		if err != nil {
			t.Fatal(err)
		}
		return w.From.Format(time.DateOnly)
	}
	clk.Advance(3 * time.Hour)
	if got := from(c); got != "2026-11-25" {
		t.Errorf("3 h later in the same boot the window starts %s, want 2026-11-25 (the backend's yesterday)", got)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = Open(path, Options{Clock: clk, BootID: "boot-b", Uptime: func() time.Duration { return time.Minute }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := from(c); got != "2026-11-22" {
		t.Errorf("after a reboot the window starts %s, want 2026-11-22 (the local clock's yesterday)", got)
	}
}
