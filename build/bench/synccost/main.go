// Command synccost measures what one screen costs the network: a first full
// sync of the demo board with its media, an idle period (event-stream
// keep-alives plus conditional polls) extrapolated to a day at the default
// poll interval, and a one-field edit in the Manager: the bytes it moves and
// the time until the new board is in the screen's cache.
//
// The reference backend runs in this process behind a counting TCP proxy
// (build/bench/internal/wire); the screen is the real sync package with a
// real bbolt cache.
//
//	go run ./build/bench/synccost -idle 10m -poll 30s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"skaerm/backend"
	"skaerm/build/bench/internal/wire"
	"skaerm/cache"
	"skaerm/sync"
)

func main() {
	idle := flag.Duration("idle", 10*time.Minute, "length of the idle period")
	poll := flag.Duration("poll", 30*time.Second, "poll interval during the idle period (shortened to see many polls)")
	edits := flag.Int("edits", 5, "one-field edits to time (the median is reported)")
	flag.Parse()
	if err := run(*idle, *poll, *edits); err != nil {
		log.Fatal(err)
	}
}

func run(idle, poll time.Duration, edits int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "skaerm-synccost-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	srv, err := backend.New(backend.Options{DataDir: filepath.Join(dir, "backend"), Tokens: []string{"T"}, Demo: true})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	defer hs.Close()
	direct := "http://" + ln.Addr().String()
	px, err := wire.Listen(ln.Addr().String())
	if err != nil {
		return err
	}
	defer px.Close()
	admin := backend.Admin{BaseURL: direct}

	c, err := cache.Open(filepath.Join(dir, "cache.db"), cache.Options{})
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := sync.New(sync.Options{BaseURL: "http://" + px.Addr, Token: "T", Cache: c, Version: "bench", PollInterval: poll})
	if err != nil {
		return err
	}

	// 1. First full sync of an empty cache.
	c0, t0 := px.Counts(), time.Now()
	res, err := s.SyncOnce(ctx)
	if err != nil {
		return fmt.Errorf("first sync: %w", err)
	}
	first, firstTime := px.Counts().Sub(c0), time.Since(t0)
	m, _ := c.Meta()
	fmt.Printf("first full sync: %d bytes, %d requests, %.2f s (board %d bytes stored, %d media fetched, %d failed; cache file %d bytes)\n  %s\n",
		first.Total(), first.Requests(), firstTime.Seconds(), m.BoardBytes, res.MediaFetched, res.MediaFailed, m.FileBytes, first)

	// 2. Idle: the loop with its event stream and polls.
	runErr := make(chan error, 1)
	go func() { runErr <- s.Run(ctx) }()
	time.Sleep(5 * time.Second) // the loop's first (304) sync and the stream's connect
	c1, t1 := px.Counts(), time.Now()
	fmt.Printf("idle for %s, poll interval %s ...\n", idle, poll)
	time.Sleep(idle)
	idleC, idleT := px.Counts().Sub(c1), time.Since(t1)
	polls := idleC.Routes["GET /api/screen/v1/board"]
	fmt.Printf("idle: %d bytes on the event stream, %d bytes in %d polls (%d requests) over %.0f s\n  %s\n",
		idleC.StreamBytes, idleC.OtherBytes, polls, idleC.Requests(), idleT.Seconds(), idleC)
	if polls > 0 {
		perPoll := float64(idleC.OtherBytes) / float64(polls)
		perPollReq := float64(idleC.Requests()) / float64(polls)
		streamPerDay := float64(idleC.StreamBytes) / idleT.Seconds() * 86400
		pollsPerDay := 86400 / sync.DefaultPollInterval.Seconds()
		fmt.Printf("per idle day at the default %s poll interval: %.0f polls x %.0f bytes = %.0f bytes of polls (%.0f requests) + %.0f bytes of keep-alives on one stream = %.1f KiB/day, %.0f requests/day\n",
			sync.DefaultPollInterval, pollsPerDay, perPoll, pollsPerDay*perPoll, pollsPerDay*perPollReq, streamPerDay,
			(pollsPerDay*perPoll+streamPerDay)/1024, pollsPerDay*perPollReq)
	}

	// 3. One-field edits: a resident's first name, as staff would fix a typo.
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
	if p.ID == "" {
		return errors.New("no visible resident in d1")
	}
	notify, unsub := c.Subscribe()
	defer unsub()
	var lat, syncNow []time.Duration
	var bytes, reqs []int64
	for i := 0; i < edits; i++ {
		m0, _ := c.Meta()
		time.Sleep(2 * time.Second) // let the previous round's status post finish
		drain(notify)
		cb, tb := px.Counts(), time.Now()
		name := fmt.Sprintf("%s%d", p.FirstName, i)
		if err := admin.UpdateProfile(ctx, p.ID, map[string]any{"first_name": name}); err != nil {
			return err
		}
		if err := waitFor(notify, 30*time.Second, func() bool { m, _ := c.Meta(); return m.Generation > m0.Generation }); err != nil {
			return fmt.Errorf("edit %d: %w", i, err)
		}
		lat = append(lat, time.Since(tb))
		time.Sleep(time.Second) // the status post after the board
		d := px.Counts().Sub(cb)
		bytes = append(bytes, d.Total())
		reqs = append(reqs, d.Requests())
		if i == 0 {
			fmt.Printf("one-field edit: %s\n", d)
		}

		// "Sync now" with nothing changed: the round trip to a 304.
		m1, _ := c.Meta()
		time.Sleep(1500 * time.Millisecond)
		drain(notify)
		ts := time.Now()
		if err := admin.SyncNow(ctx, "d1"); err != nil {
			return err
		}
		if err := waitFor(notify, 30*time.Second, func() bool { m, _ := c.Meta(); return m.LastSync.After(m1.LastSync) }); err != nil {
			return fmt.Errorf("sync now %d: %w", i, err)
		}
		syncNow = append(syncNow, time.Since(ts))
	}
	fmt.Printf("one-field edit -> new board in the cache: median %s (runs %v); %d bytes, %d requests on the wire (median; runs %v)\n",
		median(lat).Round(time.Millisecond), rounded(lat), median(bytes), median(reqs), bytes)
	fmt.Printf("sync now, nothing changed -> 304 recorded in the cache: median %s (runs %v)\n",
		median(syncNow).Round(time.Millisecond), rounded(syncNow))
	cancel()
	if err := <-runErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	slog.Debug("done")
	return nil
}

func drain(ch <-chan struct{}) {
	select {
	case <-ch:
	default:
	}
}

// waitFor waits on the cache's wake-ups until ok holds.
func waitFor(notify <-chan struct{}, limit time.Duration, ok func() bool) error {
	deadline := time.After(limit)
	for !ok() {
		select {
		case <-notify:
		case <-deadline:
			return fmt.Errorf("not within %s", limit)
		}
	}
	return nil
}

func median[T int64 | time.Duration](v []T) T {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func rounded(v []time.Duration) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, d := range v {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}
