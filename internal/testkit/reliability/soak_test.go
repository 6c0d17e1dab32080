package reliability

import (
	"context"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/sync"
)

// soakSample is one hourly measurement.
type soakSample struct {
	hour       int
	at         time.Time
	heapAlloc  uint64
	heapInuse  uint64
	goroutines int
	fds        int
	cacheBytes int64
	generation uint64
	activities int
	outbox     int
	syncs      int
}

// TestSoak runs the real sync, cache and backend in one process on a shared
// fake clock for days of simulated time: steps of 5-60 minutes, a sync per
// step, staff edits, new activities and pictures, sign-ups and
// cancellations, and every midnight the window moving on. After every sync
// the cache must hold only yesterday to today+14. Every simulated hour it
// samples the live heap, goroutines and open files; after a warm-up, the
// mean of the last quarter may not exceed the first quarter's beyond a
// tolerance. Quick: 2 days; SKAERM_LONG=1: 30 days (SKAERM_SOAK_DAYS
// overrides). The samples go to soak.csv.
func TestSoak(t *testing.T) {
	days := 2
	if longRun {
		days = 30
	}
	if n, err := strconv.Atoi(os.Getenv("SKAERM_SOAK_DAYS")); err == nil && n > 0 {
		days = n
	}
	if os.Getenv("SKAERM_SOAK_HEAPPROFILE") != "" {
		runtime.MemProfileRate = 4096
	}
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("SKAERM_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("soak: %d simulated days, seed %d (SKAERM_SEED=%d replays it)", days, seed, seed)
	rng := rand.New(rand.NewPCG(seed, 7))

	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 23, 5, 30, 0, 0, loc)
	fake := clock.NewFake(start)
	run, admin := startBackend(t, func(o *backend.Options) { o.Clock = fake })

	// The backend's Date header is real time; the front stamps the fake
	// clock's instead, so the screen's clock correction follows the fake.
	u, _ := url.Parse(run.URL)
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	proxy.ModifyResponse = func(r *http.Response) error {
		r.Header.Set("Date", fake.Now().UTC().Format(http.TimeFormat))
		return nil
	}
	front := httptest.NewServer(proxy)
	defer front.Close()

	dir := t.TempDir()
	c, err := cache.Open(filepath.Join(dir, "cache.db"), cache.Options{Timeout: time.Second, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := sync.New(sync.Options{BaseURL: front.URL, Token: "T", Cache: c, Clock: fake, Version: "soak",
		Rand: rand.New(rand.NewPCG(seed, 8))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatalf("first sync: %v", err)
	}

	st := &soakWorld{t: t, admin: admin, rng: rng, c: c, loc: loc}
	var samples []soakSample
	syncs := 0
	end := start.Add(time.Duration(days) * 24 * time.Hour)
	nextHour := start.Add(time.Hour)
	for hour := 1; fake.Now().Before(end); {
		fake.Advance(time.Duration(5+rng.IntN(56)) * time.Minute)
		st.act(fake.Now())
		if _, err := s.SyncOnce(ctx); err != nil {
			t.Fatalf("sync at %s: %v", fake.Now().Format(time.DateTime), err)
		}
		syncs++
		st.checkWindow(fake.Now())
		for !fake.Now().Before(nextHour) {
			samples = append(samples, sample(t, hour, fake.Now(), c, syncs))
			hour++
			nextHour = nextHour.Add(time.Hour)
		}
	}

	if path := os.Getenv("SKAERM_SOAK_HEAPPROFILE"); path != "" {
		writeHeapProfile(t, path)
	}

	// Everything made on the screen has reached the backend: nothing is
	// left pending, and what the backend refused is listed by reason.
	outbox, err := c.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, e := range outbox {
		if e.State == board.Pending {
			t.Errorf("soak: sign-up %s still pending after the last sync", e.ID)
		}
		reasons[string(e.State)+":"+e.Reason]++
	}
	t.Logf("outbox at the end: %d entries %v", len(outbox), reasons)

	// CSV for the script.
	var csv strings.Builder
	csv.WriteString("hour,sim_time,heap_alloc,heap_inuse,goroutines,fds,cache_bytes,generation,activities,outbox,syncs\n")
	for _, x := range samples {
		fmt.Fprintf(&csv, "%d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", x.hour, x.at.Format("2006-01-02T15:04"), x.heapAlloc, x.heapInuse,
			x.goroutines, x.fds, x.cacheBytes, x.generation, x.activities, x.outbox, x.syncs)
	}
	writeOut(t, "soak.csv", csv.String())

	// Trend: skip the first 6 hours (first pictures, connection pools),
	// then compare the last quarter with the first.
	warm := samples
	if len(warm) > 6 {
		warm = warm[6:]
	}
	q := max(len(warm)/4, 1)
	first, last := warm[:q], warm[len(warm)-q:]
	mean := func(xs []soakSample, f func(soakSample) float64) float64 {
		sum := 0.0
		for _, x := range xs {
			sum += f(x)
		}
		return sum / float64(len(xs))
	}
	type metric struct {
		name      string
		f         func(soakSample) float64
		tolerance func(first float64) float64 // allowed growth
	}
	metrics := []metric{
		{"heap_alloc", func(x soakSample) float64 { return float64(x.heapAlloc) }, func(f float64) float64 { return max(0.25*f, 4<<20) }},
		{"heap_inuse", func(x soakSample) float64 { return float64(x.heapInuse) }, func(f float64) float64 { return max(0.25*f, 4<<20) }},
		{"goroutines", func(x soakSample) float64 { return float64(x.goroutines) }, func(float64) float64 { return 3 }},
		{"fds", func(x soakSample) float64 { return float64(x.fds) }, func(float64) float64 { return 3 }},
		{"cache_bytes", func(x soakSample) float64 { return float64(x.cacheBytes) }, func(f float64) float64 { return max(0.5*f, 1<<20) }},
		{"outbox", func(x soakSample) float64 { return float64(x.outbox) }, func(float64) float64 { return 20 }},
	}
	var rows [][]string
	for _, m := range metrics {
		f, l := mean(first, m.f), mean(last, m.f)
		verdict := "ok"
		if l-f > m.tolerance(f) {
			verdict = "GROWS"
			t.Errorf("soak: %s grows from %.0f (first quarter) to %.0f (last quarter), beyond %.0f", m.name, f, l, m.tolerance(f))
		}
		rows = append(rows, []string{m.name, fmt.Sprintf("%.0f", f), fmt.Sprintf("%.0f", l), fmt.Sprintf("%+.1f%%", 100*(l-f)/max(f, 1)), verdict})
	}
	summary := fmt.Sprintf("soak: %d simulated days, %d syncs, %d samples, %d edits, %d sign-ups (%d cancellations), %d midnights, window checked after every sync\n",
		days, syncs, len(samples), st.edits, st.signups, st.cancels, days) +
		table([]string{"metric", "first quarter", "last quarter", "change", "verdict"}, rows)
	t.Log("\n" + summary)
	writeOut(t, "soak.txt", summary)
}

func sample(t *testing.T, hour int, at time.Time, c *cache.Cache, syncs int) soakSample {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fds, err := OpenFDs(0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Board()
	out, _ := c.Outbox()
	x := soakSample{hour: hour, at: at, heapAlloc: ms.HeapAlloc, heapInuse: ms.HeapInuse, goroutines: runtime.NumGoroutine(),
		fds: fds, cacheBytes: m.FileBytes, generation: m.Generation, outbox: len(out), syncs: syncs}
	if b != nil {
		x.activities = len(b.Activities)
	}
	return x
}

// soakWorld is the staff and residents of the soak: edits in the Manager
// and sign-ups on the screen.
type soakWorld struct {
	t     *testing.T
	admin backend.Admin
	rng   *rand.Rand
	c     *cache.Cache
	loc   *time.Location

	n, edits, signups, cancels int
	pictureDay                 string
	joined                     []board.Signup
}

// act does what staff and residents might do in one step.
func (w *soakWorld) act(now time.Time) {
	t := w.t
	// One context per step, released at its end: a per-call ctxFor would
	// pile up cleanups for the whole soak and show up as heap growth.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	day := now.In(w.loc).Format(time.DateOnly)
	if w.rng.IntN(3) == 0 { // a new activity some day ahead
		w.n++
		w.edits++
		d := now.In(w.loc).AddDate(0, 0, w.rng.IntN(board.DaysAhead+1))
		y, m, dd := d.Date()
		startAt := time.Date(y, m, dd, 10+w.rng.IntN(8), 0, 0, 0, w.loc)
		a := backend.Activity{ID: fmt.Sprintf("soak-%d", w.n), Title: fmt.Sprintf("Aktivitet %d", w.n),
			Description: strings.Repeat("Hyggeligt samvær. ", 1+w.rng.IntN(10)), Location: "Fælleshuset",
			Start: startAt, End: startAt.Add(time.Hour), Capacity: 20, SignupOpen: true, Pictogram: "games"}
		if w.pictureDay != day { // one new picture a day
			w.pictureDay = day
			img, err := w.admin.PutMedia(ctx, "image/png", picture(t, w.n, 120, 90))
			if err != nil {
				t.Fatal(err)
			}
			a.Image = &img
		}
		if err := w.admin.PutActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if w.rng.IntN(6) == 0 { // a rename
		w.edits++
		profiles, err := w.admin.Profiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p := profiles[w.rng.IntN(len(profiles))]
		if err := w.admin.UpdateProfile(ctx, p.ID, map[string]any{"alias": fmt.Sprintf("Kaldenavn%d", w.rng.IntN(1000))}); err != nil {
			t.Fatal(err)
		}
	}
	if w.rng.IntN(8) == 0 { // tidy away soak activities long past
		acts, err := w.admin.Activities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range acts {
			if strings.HasPrefix(a.ID, "soak-") && a.End.Before(now.Add(-72*time.Hour)) {
				w.edits++
				if err := w.admin.DeleteActivity(ctx, a.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// A resident signs up on the screen, or cancels an earlier sign-up.
	b, err := w.c.Board()
	if err != nil || w.rng.IntN(2) == 0 {
		return
	}
	if len(w.joined) > 0 && w.rng.IntN(3) == 0 {
		j := w.joined[0]
		w.joined = w.joined[1:]
		j.ID, j.Action, j.At = uuid.NewString(), board.Leave, time.Time{}
		if err := w.c.Enqueue(j); err != nil {
			t.Fatal(err)
		}
		w.cancels++
		return
	}
	var open []board.Activity
	for _, a := range b.Activities {
		if a.SignupOpen && a.Start.After(now) && !a.Full() {
			open = append(open, a)
		}
	}
	var residents []string
	for _, p := range b.Profiles {
		if p.Kind == board.Resident {
			residents = append(residents, p.ID)
		}
	}
	if len(open) == 0 || len(residents) == 0 {
		return
	}
	s := board.Signup{ID: uuid.NewString(), ItemType: board.ActivityItem, ItemID: open[w.rng.IntN(len(open))].ID,
		ProfileID: residents[w.rng.IntN(len(residents))], Action: board.Join}
	if err := w.c.Enqueue(s); err != nil {
		t.Fatal(err)
	}
	w.signups++
	w.joined = append(w.joined, s)
}

// checkWindow asserts the cached board holds nothing outside yesterday to
// today+DaysAhead.
func (w *soakWorld) checkWindow(now time.Time) {
	t := w.t
	t.Helper()
	b, err := w.c.Board()
	if err != nil {
		t.Fatalf("board at %s: %v", now.Format(time.DateTime), err)
	}
	win := board.WindowAt(now, w.loc)
	in := func(kind, id string, start, end time.Time) {
		if end.Before(start) {
			end = start
		}
		if end.Before(win.From) || !start.Before(win.To) {
			t.Fatalf("at %s the cache holds %s %s (%s-%s), outside %s..%s", now.In(w.loc).Format(time.DateTime), kind, id,
				start.In(w.loc).Format(time.DateTime), end.In(w.loc).Format(time.DateTime),
				win.From.Format(time.DateOnly), win.To.Format(time.DateOnly))
		}
	}
	for _, a := range b.Activities {
		in("activity", a.ID, a.Start, a.End)
	}
	for _, m := range b.Meals {
		in("meal", m.ID, m.Start, m.End)
	}
	for _, m := range b.Meetings {
		in("meeting", m.ID, m.Start, m.End)
	}
	for _, x := range b.Bookings {
		in("booking", x.ID, x.Start, x.End)
	}
	for _, r := range b.Roster {
		in("shift", r.ID, r.Start, r.End)
	}
}

// writeHeapProfile saves the live heap while everything still runs, for
// `go tool pprof -inuse_space` when a trend needs explaining.
func writeHeapProfile(t *testing.T, path string) {
	t.Helper()
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		t.Fatal(err)
	}
}
