package reliability

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"skaerm/internal/clock"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
)

// TestCrashSafety runs the long-running `skaerm sync` as a child process
// over and over and SIGKILLs it at a random moment (0-800 ms after start,
// from a seeded RNG that is logged: SKAERM_SEED replays a run). Between runs
// it enqueues sign-ups into the cache's outbox and changes the world through
// the admin API (renames, deletions, new pictures, activity edits, sync
// events), so that downloads, decodes, commits, media writes, compactions and
// outbox sends are all in flight at some kill. After every kill the cache
// must open clean (never moved aside), hold one whole generation, and every
// sign-up ever enqueued must be in the outbox or recorded by the backend,
// none recorded twice. Quick: 10 kills; SKAERM_LONG=1: 200 (SKAERM_KILLS
// overrides both).
func TestCrashSafety(t *testing.T) {
	kills := 10
	if longRun {
		kills = 200
	}
	if n, err := strconv.Atoi(os.Getenv("SKAERM_KILLS")); err == nil && n > 0 {
		kills = n
	}
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("SKAERM_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("crash harness: %d kills, seed %d (SKAERM_SEED=%d replays the delays)", kills, seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))

	bin := skaermBinary(t)
	run, admin := startBackend(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.db")
	w := &world{t: t, admin: admin, rng: rng}

	h := &crashState{enqueued: map[string]board.Signup{}, phases: map[string]int{}}
	for i := 0; i < kills; i++ {
		h.enqueue(t, path, rng)
		for n := rng.IntN(3); n >= 0; n-- {
			w.change()
		}

		logPath := filepath.Join(dir, fmt.Sprintf("run-%03d.log", i))
		logf, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "sync", "--backend", run.URL, "--token", "T", "--cache", path, "--log-level", "debug")
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(800*time.Millisecond) + 1))
		// Half the runs get an edit and a sync event while the child runs,
		// so an event-driven sync can be under way when the kill lands.
		if rng.IntN(2) == 0 {
			first := time.Duration(rng.Int64N(int64(delay) + 1))
			time.Sleep(first)
			w.change()
			w.syncNow()
			delay -= first
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		state, _ := cmd.Process.Wait()
		logf.Close()
		if state != nil && state.Exited() {
			data, _ := os.ReadFile(logPath)
			t.Fatalf("run %d: skaerm sync exited by itself (%v) before the kill:\n%s", i, state, tail(string(data), 20))
		}
		phase := phaseOf(logPath)
		h.phases[phase]++
		h.check(t, i, path, admin)
		if os.Getenv("SKAERM_KEEP_LOGS") == "" {
			os.Remove(logPath)
		} else {
			data, _ := os.ReadFile(logPath)
			t.Logf("run %d (%s):\n%s", i, delay, tail(string(data), 8))
		}
	}

	// Let one last sync deliver what is left: nothing may stay pending.
	for try := 0; try < 3; try++ {
		out, err := exec.Command(bin, "sync", "--once", "--backend", run.URL, "--token", "T", "--cache", path).CombinedOutput()
		if err != nil {
			t.Fatalf("final sync: %v\n%s", err, out)
		}
		if h.pending(t, path) == 0 {
			break
		}
	}
	h.check(t, kills, path, admin)
	if n := h.pending(t, path); n != 0 {
		t.Errorf("%d sign-ups still pending after the final sync", n)
	}

	rows := [][]string{}
	for _, p := range sortedKeys(h.phases) {
		rows = append(rows, []string{p, strconv.Itoa(h.phases[p])})
	}
	summary := fmt.Sprintf("crash safety: %d SIGKILLs, seed %d\n", kills, seed) +
		fmt.Sprintf("sign-ups enqueued %d, recorded by the backend %d (of which re-sent after a kill %d), refused %d, lost 0, applied twice 0\n",
			len(h.enqueued), h.recorded, h.resent, h.refused) +
		fmt.Sprintf("board generations seen: up to %d; world changes: %d; corrupt opens: 0\n", h.lastGen, w.changes) +
		"kills by the phase the child was likely in (from its last log line):\n" +
		table([]string{"phase", "kills"}, rows)
	t.Log("\n" + summary)
	writeOut(t, "crash.txt", summary)
}

// crashState is what the harness knows across kills.
type crashState struct {
	enqueued map[string]board.Signup
	phases   map[string]int
	lastGen  uint64

	recorded, resent, refused int
}

// enqueue opens the cache while no child holds it and adds 0-3 sign-ups
// for items and residents on the cached board (or unknown ones before the
// first board, which the backend refuses).
func (h *crashState) enqueue(t *testing.T, path string, rng *rand.Rand) {
	t.Helper()
	c, err := cache.Open(path, cache.Options{Clock: clock.Real{}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open cache to enqueue: %v", err)
	}
	defer c.Close()
	var items []board.Activity
	var people []string
	if b, err := c.Board(); err == nil {
		for _, a := range b.Activities {
			if a.SignupOpen {
				items = append(items, a)
			}
		}
		for _, p := range b.Profiles {
			if p.Kind == board.Resident {
				people = append(people, p.ID)
			}
		}
	}
	for n := rng.IntN(4); n > 0; n-- {
		s := board.Signup{ID: uuid.NewString(), ItemType: board.ActivityItem, ItemID: "a-none", ProfileID: "p-none", Action: board.Join}
		if len(items) > 0 && len(people) > 0 {
			s.ItemID = items[rng.IntN(len(items))].ID
			s.ProfileID = people[rng.IntN(len(people))]
		}
		if rng.IntN(3) == 0 {
			s.Action = board.Leave
		}
		if err := c.Enqueue(s); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		h.enqueued[s.ID] = s
	}
}

// pending counts the outbox entries still waiting.
func (h *crashState) pending(t *testing.T, path string) int {
	t.Helper()
	c, err := cache.Open(path, cache.Options{Clock: clock.Real{}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open cache: %v", err)
	}
	defer c.Close()
	out, err := c.Outbox()
	if err != nil {
		t.Fatalf("outbox: %v", err)
	}
	n := 0
	for _, s := range out {
		if s.State == board.Pending {
			n++
		}
	}
	return n
}

// check opens the cache after a kill and checks everything a power cut
// must not break.
func (h *crashState) check(t *testing.T, run int, path string, admin backend.Admin) {
	t.Helper()
	c, err := cache.Open(path, cache.Options{Clock: clock.Real{}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("kill %d: cache does not open: %v", run, err)
	}
	defer c.Close()
	m, err := c.Meta()
	if err != nil {
		t.Fatalf("kill %d: meta: %v", run, err)
	}
	if m.Recovered != "" {
		t.Fatalf("kill %d: the cache file was found corrupt and moved to %s", run, m.Recovered)
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) > 0 {
		t.Fatalf("kill %d: corrupt files beside the cache: %v", run, aside)
	}
	b, err := c.Board()
	switch {
	case errors.Is(err, cache.ErrNoBoard):
		if m.Generation != 0 {
			t.Fatalf("kill %d: generation %d but no board", run, m.Generation)
		}
	case err != nil:
		t.Fatalf("kill %d: board does not decode: %v", run, err)
	default:
		if m.Generation == 0 || m.ETag == "" {
			t.Fatalf("kill %d: a board without a generation (%d) or ETag (%q)", run, m.Generation, m.ETag)
		}
		if b.Department.ID != "d1" || len(b.Profiles) == 0 {
			t.Fatalf("kill %d: board is not a whole department: %q with %d profiles", run, b.Department.ID, len(b.Profiles))
		}
		// One generation: the media held are exactly media this board
		// refers to (ReplaceBoard drops the rest in the same transaction).
		held := 0
		for _, hash := range b.StoredHashes() {
			if ok, err := c.HasMedia(hash); err != nil {
				t.Fatalf("kill %d: media %s: %v", run, hash, err)
			} else if ok {
				held++
			}
		}
		if held != m.MediaCount {
			t.Fatalf("kill %d: %d media held but the board refers to %d of them", run, m.MediaCount, held)
		}
		for _, a := range b.Activities {
			for _, id := range a.Signups.IDs {
				if _, ok := b.Profile(id); !ok {
					t.Fatalf("kill %d: activity %s names profile %s, not on the board", run, a.ID, id)
				}
			}
		}
	}
	if m.Generation < h.lastGen {
		t.Fatalf("kill %d: generation went back from %d to %d", run, h.lastGen, m.Generation)
	}
	h.lastGen = m.Generation

	outbox, err := c.Outbox()
	if err != nil {
		t.Fatalf("kill %d: outbox: %v", run, err)
	}
	inOutbox := map[string]board.Signup{}
	for _, s := range outbox {
		inOutbox[s.ID] = s
	}
	records, err := admin.Signups(ctxFor(t))
	if err != nil {
		t.Fatalf("kill %d: signups: %v", run, err)
	}
	recorded := map[string]backend.SignupRecord{}
	h.resent = 0
	for _, r := range records {
		if _, dup := recorded[r.ID]; dup {
			t.Fatalf("kill %d: the backend holds sign-up %s twice", run, r.ID)
		}
		if _, ours := h.enqueued[r.ID]; !ours {
			t.Fatalf("kill %d: the backend recorded sign-up %s that was never enqueued", run, r.ID)
		}
		recorded[r.ID] = r
		if r.Received > 1 {
			h.resent++
		}
	}
	h.recorded = len(recorded)
	h.refused = 0
	for id := range h.enqueued {
		s, queued := inOutbox[id]
		_, sent := recorded[id]
		if !queued && !sent {
			t.Fatalf("kill %d: sign-up %s is neither in the outbox nor at the backend: lost", run, id)
		}
		if queued && s.State == board.Refused {
			h.refused++
		}
	}
	// Applied at most once: no profile appears twice on an activity.
	acts, err := admin.Activities(ctxFor(t))
	if err != nil {
		t.Fatalf("kill %d: activities: %v", run, err)
	}
	for _, a := range acts {
		seen := map[string]bool{}
		for _, p := range a.Signups {
			if seen[p] {
				t.Fatalf("kill %d: profile %s signed up twice to %s", run, p, a.ID)
			}
			seen[p] = true
		}
	}
}

// phaseOf guesses what the child was doing when it died from the last line
// it logged: each phase of a sync logs when it ends, so the last line says
// which phase came next.
func phaseOf(logPath string) string {
	data, err := os.ReadFile(logPath)
	if err != nil {
		return "unknown"
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	last := lines[len(lines)-1]
	switch {
	case strings.TrimSpace(string(data)) == "":
		return "start-up: open cache, first requests"
	case strings.Contains(last, `msg="event stream connected"`), strings.Contains(last, `msg="sign-up queued"`):
		return "outbox send or board download/decode"
	case strings.Contains(last, `msg="sign-up sent"`), strings.Contains(last, `msg="sign-up removed"`),
		strings.Contains(last, `msg="sign-up refused"`), strings.Contains(last, `msg="sign-up updated"`):
		return "outbox send or board download/decode"
	case strings.Contains(last, `msg="board stored"`) && strings.Contains(last, "text_dropped=true"),
		strings.Contains(last, `msg="board stored"`) && strings.Contains(last, "media_dropped=") && !strings.Contains(last, "media_dropped=0"):
		return "compaction after a board commit"
	case strings.Contains(last, `msg="board stored"`), strings.Contains(last, `msg="cache compacted"`),
		strings.Contains(last, `msg="media stored"`), strings.Contains(last, `msg="media skipped"`):
		return "media download/decode/write"
	case strings.Contains(last, `msg=synced`), strings.Contains(last, `msg="event ignored"`):
		return "idle between syncs"
	case strings.Contains(last, `msg="sync failed"`), strings.Contains(last, `msg="event stream closed"`):
		return "backing off after an error"
	case strings.Contains(last, `msg="board item dropped or repaired"`):
		return "board commit"
	}
	msg := last
	if i := strings.Index(last, "msg="); i >= 0 {
		msg = last[i:]
		if len(msg) > 40 {
			msg = msg[:40]
		}
	}
	return "after " + msg
}

// world changes the backend's data through the admin API.
type world struct {
	t       *testing.T
	admin   backend.Admin
	rng     *rand.Rand
	changes int
	pics    int
	deleted int
}

func (w *world) change() {
	t := w.t
	t.Helper()
	ctx := ctxFor(t)
	profiles, err := w.admin.Profiles(ctx)
	if err != nil {
		t.Fatalf("profiles: %v", err)
	}
	var residents []backend.Profile
	for _, p := range profiles {
		if p.Kind == backend.KindResident && p.DepartmentID == "d1" {
			residents = append(residents, p)
		}
	}
	pick := func() backend.Profile { return residents[w.rng.IntN(len(residents))] }
	w.changes++
	switch op := w.rng.IntN(5); {
	case op == 0 && len(residents) > 10: // delete a resident: a compaction must remove them
		p := pick()
		if err := w.admin.DeleteProfile(ctx, p.ID); err != nil {
			t.Fatalf("delete profile: %v", err)
		}
		w.deleted++
	case op == 1: // a new resident with a new picture: media download and write
		w.pics++
		img, err := w.admin.PutMedia(ctx, "image/png", picture(t, w.pics, 96, 96))
		if err != nil {
			t.Fatalf("put media: %v", err)
		}
		p := pick()
		p.ID = fmt.Sprintf("crash-%d", w.pics)
		p.FirstName = fmt.Sprintf("Ny%d", w.pics)
		p.Avatar = &img
		if err := w.admin.PutProfile(ctx, p); err != nil {
			t.Fatalf("put profile: %v", err)
		}
	case op == 2: // rename: old text must leave the file
		p := pick()
		name := fmt.Sprintf("Navn%d", w.rng.IntN(1_000_000))
		if err := w.admin.UpdateProfile(ctx, p.ID, map[string]any{"first_name": name}); err != nil {
			t.Fatalf("rename: %v", err)
		}
	case op == 3: // an activity edit
		acts, err := w.admin.Activities(ctx)
		if err != nil || len(acts) == 0 {
			t.Fatalf("activities: %v (%d)", err, len(acts))
		}
		a := acts[w.rng.IntN(len(acts))]
		a.Title = fmt.Sprintf("Aktivitet %d", w.rng.IntN(1_000_000))
		a.Description = strings.Repeat("Tekst ", w.rng.IntN(200))
		if err := w.admin.PutActivity(ctx, a); err != nil {
			t.Fatalf("put activity: %v", err)
		}
	default:
		w.syncNow()
	}
}

func (w *world) syncNow() {
	if err := w.admin.SyncNow(ctxFor(w.t), ""); err != nil {
		w.t.Fatalf("sync now: %v", err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
