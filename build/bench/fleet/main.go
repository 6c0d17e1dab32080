// Command fleet runs N screens' sync loops (the real sync package, each with
// its own bbolt cache file and device token) against one reference backend
// process on loopback, and measures what the fleet costs that backend:
//
//  1. idle: requests/s, bytes/s and the backend's CPU over a quiet period;
//  2. an edit in the Manager (which pushes "sync" to every screen): the time
//     until every screen has the new board generation in its cache;
//  3. staff's urgent notices (each pushes "notice" to every screen): the
//     time from the admin's post until every screen has fetched the board
//     holding it, p50/p95/p99/max over the fleet and the rounds;
//  4. a backend restart (SIGTERM, optional downtime, start again on the same
//     port with the same data): when each screen's event stream reconnects,
//     as a histogram per second (no second should carry over 10%).
//
// The screens start from a copy of one synced cache file (a deployed fleet),
// so the run measures steady state, not 1000 first downloads. Every byte
// goes through a counting proxy in this process (build/bench/internal/wire);
// the backend runs as its own process so its CPU is its own.
//
//	go build -o /tmp/skaerm-bin/ ./cmd/skaerm-backend
//	go run ./build/bench/fleet -backend-bin /tmp/skaerm-bin/skaerm-backend -n 1000 -idle 10m
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"time"

	"skaerm/backend"
	"skaerm/build/bench/internal/proctree"
	"skaerm/build/bench/internal/wire"
	"skaerm/cache"
	"skaerm/sync"
)

type options struct {
	n          int
	backendBin string
	idle       time.Duration
	settle     time.Duration
	poll       time.Duration
	downtime   time.Duration
	restartFor time.Duration
	notices    int
	restart    bool
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 1000, "screens")
	flag.StringVar(&o.backendBin, "backend-bin", "", "the skaerm-backend binary (required)")
	flag.DurationVar(&o.idle, "idle", 10*time.Minute, "length of the idle measurement")
	flag.DurationVar(&o.settle, "settle", 30*time.Second, "wait after every stream is up, before the idle window")
	flag.DurationVar(&o.poll, "poll", 0, "poll interval of the screens (0: the default, 5 min)")
	flag.DurationVar(&o.downtime, "downtime", 0, "how long the backend stays down during the restart")
	flag.DurationVar(&o.restartFor, "restart-wait", 3*time.Minute, "how long to wait for every screen to reconnect")
	flag.IntVar(&o.notices, "notices", 3, "urgent notices posted one after the other (0: none)")
	flag.BoolVar(&o.restart, "restart", true, "measure a backend restart")
	flag.Parse()
	if o.backendBin == "" {
		log.Fatal("-backend-bin is required")
	}
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

// screen is one simulated screen.
type screen struct {
	cache *cache.Cache
	mu    gosync.Mutex
	conns []time.Time // when its event stream connected
}

func (s *screen) connectedAfter(t time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		if c.After(t) {
			return c, true
		}
	}
	return time.Time{}, false
}

// connLog is a slog handler that notes when the event stream connects.
type connLog struct{ s *screen }

func (h connLog) Enabled(context.Context, slog.Level) bool { return true }
func (h connLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "event stream connected" {
		h.s.mu.Lock()
		h.s.conns = append(h.s.conns, r.Time)
		h.s.mu.Unlock()
	}
	return nil
}
func (h connLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h connLog) WithGroup(string) slog.Handler      { return h }

type backendProc struct {
	cmd  *exec.Cmd
	addr string
}

func startBackend(o options, addr, data string, tokens []string) (*backendProc, error) {
	cmd := exec.Command(o.backendBin, "--demo", "--listen", addr, "--data", data, "--token", strings.Join(tokens, ","))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start backend: %w", err)
	}
	b := &backendProc{cmd: cmd, addr: addr}
	if err := waitHealthy("http://"+addr+"/healthz", 30*time.Second); err != nil {
		b.stop()
		return nil, err
	}
	return b, nil
}

func (b *backendProc) stop() {
	b.cmd.Process.Signal(syscall.SIGTERM)
	b.cmd.Wait()
}

func run(o options) error {
	raiseFileLimit()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "skaerm-fleet-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	tokens := make([]string, o.n)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("screen-%04d", i)
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	data := filepath.Join(dir, "backend")
	be, err := startBackend(o, addr, data, tokens)
	if err != nil {
		return err
	}
	defer func() { be.stop() }()
	px, err := wire.Listen(addr)
	if err != nil {
		return err
	}
	defer px.Close()
	admin := backend.Admin{BaseURL: "http://" + addr}

	// A deployed fleet: every screen starts from a copy of one synced cache.
	tmpl := filepath.Join(dir, "template.db")
	if err := syncTemplate(ctx, tmpl, "http://"+px.Addr, tokens[0]); err != nil {
		return err
	}
	raw, err := os.ReadFile(tmpl)
	if err != nil {
		return err
	}
	screens := make([]*screen, o.n)
	for i := range screens {
		path := filepath.Join(dir, fmt.Sprintf("screen-%04d.db", i))
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return err
		}
		c, err := cache.Open(path, cache.Options{})
		if err != nil {
			return fmt.Errorf("open cache %d: %w", i, err)
		}
		defer c.Close()
		screens[i] = &screen{cache: c}
	}
	log.Printf("%d screens, cache copy of %d bytes each, backend pid %d on %s", o.n, len(raw), be.cmd.Process.Pid, addr)

	var wg gosync.WaitGroup
	var unauthorized atomic.Int64
	t0 := time.Now()
	for i, sc := range screens {
		s, err := sync.New(sync.Options{BaseURL: "http://" + px.Addr, Token: tokens[i], Cache: sc.cache,
			Logger: slog.New(connLog{sc}), Version: "fleet", PollInterval: o.poll})
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				unauthorized.Add(1)
				log.Printf("screen %d stopped: %v", i, err)
			}
		}()
	}
	defer wg.Wait()
	defer cancel()
	if err := waitAll(screens, t0, 3*time.Minute); err != nil {
		return err
	}
	log.Printf("all %d event streams up after %.1f s", o.n, time.Since(t0).Seconds())
	time.Sleep(o.settle)

	// 1. Idle.
	if o.idle > 0 {
		c0, cpu0, w0 := px.Counts(), proctree.CPU(be.cmd.Process.Pid), time.Now()
		time.Sleep(o.idle)
		idle, cpu1, w1 := px.Counts().Sub(c0), proctree.CPU(be.cmd.Process.Pid), time.Now()
		secs := w1.Sub(w0).Seconds()
		fmt.Printf("\n## idle: %d screens for %s (poll interval %s)\n", o.n, w1.Sub(w0).Round(time.Second), pollText(o.poll))
		fmt.Printf("requests: %d = %.2f/s (%s)\n", idle.Requests(), float64(idle.Requests())/secs, idle)
		fmt.Printf("bytes: %d = %.0f B/s (%d on event streams, %d in polls); new TCP connections %d\n",
			idle.Total(), float64(idle.Total())/secs, idle.StreamBytes, idle.OtherBytes, idle.Conns)
		fmt.Printf("backend CPU: %.2f%% of one core; backend PSS %.1f MiB\n", 100*(cpu1-cpu0).Seconds()/secs, float64(proctree.PSS(be.cmd.Process.Pid))/(1<<20))
	}

	// 2. An edit pushes "sync" to every screen.
	if err := editAndWait(ctx, admin, px, be, screens); err != nil {
		return err
	}

	// 3. Urgent notices push "notice" to every screen.
	if o.notices > 0 {
		if err := noticesAndWait(ctx, admin, px, be, screens, o.notices); err != nil {
			return err
		}
	}
	if !o.restart {
		return nil
	}

	// 4. Restart the backend.
	fmt.Printf("\n## backend restart (SIGTERM, %s down, same port and data)\n", o.downtime)
	tStop := time.Now()
	be.stop()
	tDown := time.Now()
	time.Sleep(o.downtime)
	be, err = startBackend(o, addr, data, tokens)
	if err != nil {
		return err
	}
	tUp := time.Now()
	fmt.Printf("stop took %s, backend answering again %s after the stop\n", tDown.Sub(tStop).Round(time.Millisecond), tUp.Sub(tStop).Round(time.Millisecond))
	var series []int64
	last := px.Counts()
	deadline := time.Now().Add(o.restartFor)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		now := px.Counts()
		series = append(series, now.Requests()-last.Requests())
		last = now
		if countAfter(screens, tStop) == o.n && len(series) >= 10 {
			break
		}
	}
	var at []time.Duration
	for _, sc := range screens {
		if t, ok := sc.connectedAfter(tStop); ok {
			at = append(at, t.Sub(tStop))
		}
	}
	slices.Sort(at)
	fmt.Printf("reconnected: %d of %d; first %s, median %s, p90 %s, last %s after the stop\n", len(at), o.n,
		pick(at, 0), pick(at, 0.5), pick(at, 0.9), pick(at, 1))
	hist := map[int]int{}
	maxSec, maxN := 0, 0
	for _, d := range at {
		s := int(d / time.Second)
		hist[s]++
		if hist[s] > maxN {
			maxSec, maxN = s, hist[s]
		}
	}
	fmt.Printf("busiest second: %d-%d s after the stop with %d reconnects = %.1f%% of the fleet (target: at most 10%%)\n",
		maxSec, maxSec+1, maxN, 100*float64(maxN)/float64(o.n))
	fmt.Println("reconnects per second after the stop (second: count):")
	var secsList []int
	for s := range hist {
		secsList = append(secsList, s)
	}
	slices.Sort(secsList)
	for _, s := range secsList {
		fmt.Printf("  %3d: %4d %s\n", s, hist[s], strings.Repeat("#", (hist[s]*60+o.n-1)/o.n))
	}
	fmt.Printf("requests per second at the proxy from the restart on: %v\n", series)
	if n := unauthorized.Load(); n > 0 {
		fmt.Printf("%d screens stopped with an error\n", n)
	}
	return nil
}

func pollText(d time.Duration) string {
	if d == 0 {
		return sync.DefaultPollInterval.String() + " (default)"
	}
	return d.String()
}

// editAndWait changes one field of a profile in the Manager and waits until
// every screen holds the new board generation.
func editAndWait(ctx context.Context, admin backend.Admin, px *wire.Proxy, be *backendProc, screens []*screen) error {
	profiles, err := admin.Profiles(ctx)
	if err != nil {
		return err
	}
	var p backend.Profile
	for _, x := range profiles {
		if x.Kind == "resident" && x.VisibleOnScreen && !x.Anonymized && x.DepartmentID == "d1" {
			p = x
			break
		}
	}
	c0, cpu0 := px.Counts(), proctree.CPU(be.cmd.Process.Pid)
	ok, all, err := untilAllHaveIt(screens, func() error {
		return admin.UpdateProfile(ctx, p.ID, map[string]any{"first_name": p.FirstName + "x"})
	})
	if err != nil {
		return err
	}
	time.Sleep(2 * time.Second) // status posts
	d, cpu1 := px.Counts().Sub(c0), proctree.CPU(be.cmd.Process.Pid)
	fmt.Printf("\n## one edit in the Manager (pushes \"sync\" to all %d screens)\n", len(screens))
	fmt.Printf("new generation in the cache: %d of %d screens; median %s, p90 %s, last %s (all within %s)\n",
		len(ok), len(screens), pick(ok, 0.5), pick(ok, 0.9), pick(ok, 1), all.Round(time.Millisecond))
	fmt.Printf("wire: %d requests, %.1f MiB (%s); backend CPU %.1f s\n", d.Requests(), float64(d.Total())/(1<<20), d, (cpu1 - cpu0).Seconds())
	return nil
}

// noticesAndWait posts rounds urgent notices through the admin API, one
// after the other, and after each waits until every screen has fetched the
// board holding it (a new generation in its cache).
func noticesAndWait(ctx context.Context, admin backend.Admin, px *wire.Proxy, be *backendProc, screens []*screen, rounds int) error {
	var all []time.Duration
	c0, cpu0, self0, w0 := px.Counts(), proctree.CPU(be.cmd.Process.Pid), proctree.CPU(os.Getpid()), time.Now()
	for i := range rounds {
		id := fmt.Sprintf("fleet-n%d", i)
		now := time.Now()
		n := backend.Notice{ID: id, Level: backend.NoticeUrgent, Title: "Vandet er lukket", Body: "Der er ingen vand i Solsikken i dag fra 10 til 12.",
			From: now.Add(-time.Second), Until: now.Add(time.Hour), Wake: true, DepartmentID: "d1"}
		ok, _, err := untilAllHaveIt(screens, func() error { return admin.Put(ctx, "notices", id, n) })
		if err != nil {
			return err
		}
		if len(ok) < len(screens) {
			return fmt.Errorf("notice %s: %d of %d screens fetched it within 5 minutes", id, len(ok), len(screens))
		}
		all = append(all, ok...)
		log.Printf("notice %d: on every screen's cache after %s (p50 %s)", i+1, pick(ok, 1), pick(ok, 0.5))
		time.Sleep(2 * time.Second) // status posts settle before the next
	}
	d, cpu1, self1, w1 := px.Counts().Sub(c0), proctree.CPU(be.cmd.Process.Pid), proctree.CPU(os.Getpid()), time.Now()
	slices.Sort(all)
	fmt.Printf("\n## %d urgent notices (each pushes \"notice\" to all %d screens)\n", rounds, len(screens))
	fmt.Printf("post to board in the cache, over %d screen-notices: p50 %s, p95 %s, p99 %s, max %s (goal: p99 at most 5 s)\n",
		len(all), pick(all, 0.5), pick(all, 0.95), pick(all, 0.99), pick(all, 1))
	fmt.Printf("wire: %d requests, %.1f MiB (%s); backend CPU %.1f s (%.0f ms a notice); the simulated screens' CPU (this process and the proxy in it, the backend's taken off) %.1f s = %.1f ms a screen and notice, in %.1f s of wall time on %d cores\n",
		d.Requests(), float64(d.Total())/(1<<20), d, (cpu1 - cpu0).Seconds(), 1000*(cpu1-cpu0).Seconds()/float64(rounds),
		(self1 - self0 - (cpu1 - cpu0)).Seconds(), 1000*(self1-self0-(cpu1-cpu0)).Seconds()/float64(len(all)), w1.Sub(w0).Seconds(), runtime.NumCPU())
	return nil
}

// untilAllHaveIt does act and waits until every screen holds a board
// generation newer than before it; it returns how long each took (sorted,
// the screens that did not within 5 minutes left out) and the whole.
func untilAllHaveIt(screens []*screen, act func() error) ([]time.Duration, time.Duration, error) {
	gens := make([]uint64, len(screens))
	for i, sc := range screens {
		m, err := sc.cache.Meta()
		if err != nil {
			return nil, 0, err
		}
		gens[i] = m.Generation
	}
	done := make([]time.Duration, len(screens))
	var wg gosync.WaitGroup
	var starts []chan time.Time
	for i, sc := range screens {
		ch := make(chan time.Time, 1)
		starts = append(starts, ch)
		notify, unsub := sc.cache.Subscribe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer unsub()
			t0 := <-ch
			deadline := time.After(5 * time.Minute)
			for {
				if m, err := sc.cache.Meta(); err == nil && m.Generation > gens[i] {
					done[i] = time.Since(t0)
					return
				}
				select {
				case <-notify:
				case <-deadline:
					done[i] = -1
					return
				}
			}
		}()
	}
	t0 := time.Now()
	for _, ch := range starts {
		ch <- t0
	}
	if err := act(); err != nil {
		for i := range done {
			done[i] = -1
		}
		return nil, 0, err
	}
	wg.Wait()
	all := time.Since(t0)
	var ok []time.Duration
	for _, x := range done {
		if x >= 0 {
			ok = append(ok, x)
		}
	}
	slices.Sort(ok)
	return ok, all, nil
}

func pick(v []time.Duration, q float64) time.Duration {
	if len(v) == 0 {
		return 0
	}
	i := int(q * float64(len(v)-1))
	return v[i].Round(time.Millisecond)
}

func countAfter(screens []*screen, t time.Time) int {
	n := 0
	for _, sc := range screens {
		if _, ok := sc.connectedAfter(t); ok {
			n++
		}
	}
	return n
}

func waitAll(screens []*screen, t time.Time, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if n := countAfter(screens, t); n == len(screens) {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("only %d of %d event streams connected within %s", countAfter(screens, t), len(screens), limit)
}

// syncTemplate makes one synced cache file to copy for every screen.
func syncTemplate(ctx context.Context, path, url, token string) error {
	c, err := cache.Open(path, cache.Options{})
	if err != nil {
		return err
	}
	s, err := sync.New(sync.Options{BaseURL: url, Token: token, Cache: c, Version: "fleet"})
	if err != nil {
		c.Close()
		return err
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		c.Close()
		return fmt.Errorf("template sync: %w", err)
	}
	return c.Close()
}

func raiseFileLimit() {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	log.Printf("open files limit %d", l.Cur)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("backend at %s not healthy within %s", url, limit)
}
