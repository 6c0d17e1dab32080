// Package runner keeps a screen connected to its backend: it pairs the
// screen when it has no token, keeps the cache in step with the backend
// while it has one, returns to pairing (keeping the cache) when the backend
// stops accepting the token, and keeps the status report beside the cache
// fresh for `skaerm status`.
//
// # Basics
//
// The runner works on the screen's one connection to its backend
// ([sync.Backend], Deps.Sync.Backend), which the personal login shares:
// pairing goes through its HTTP client, the token from pairing is set on
// it, and a token the backend refused is cleared on it. The login follows
// from its next request on, and offers login only while there is a token;
// nobody needs to be told.
//
// # Caveats
//
// The runner is the only goroutine that pairs or syncs, and the only one
// that sets the connection's token; the code it shows while pairing is read
// by the renderer through [pairing.Shown]. The token from pairing is saved
// to Deps.TokenFile (mode 0600) before it is used.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	gosync "sync"
	"time"

	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/status"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// ReportEvery is how often the running screen refreshes the report kept
// beside its cache for `skaerm status`.
const ReportEvery = 30 * time.Second

// Deps are what a Runner works with.
type Deps struct {
	// Sync is how to reach the backend and sync: app.Settings.SyncOptions
	// and the hooks of the screen's other parts. Sync.Backend is the
	// screen's connection to its backend, shared with the personal login;
	// its token at the start ("" for a screen not paired yet) is where the
	// runner starts. Nil: one made from Sync.BaseURL, Sync.CAFile and
	// Sync.Token. The runner sets its Cache, Clock, Logger and Version.
	Sync      sync.Options
	TokenFile string // where a token from pairing is saved ("" keeps it in memory only)
	Cache     *cache.Cache
	// Shown receives the pairing code while the screen waits to be paired;
	// nil keeps it to the runner (the status report still says so).
	Shown   *pairing.Shown
	Clock   clock.Clock  // nil: clock.Real{}
	Logger  *slog.Logger // nil: discard
	Version string
	// Extra adds lines to the status report (display power, clock trust).
	Extra func() map[string]string
}

// Runner pairs and syncs one screen; see the package doc.
type Runner struct {
	d Deps

	reportMu  gosync.Mutex // guards collector: WriteReport may be called from any goroutine
	collector status.Collector
}

// New checks d and returns a Runner. It touches neither the network nor the
// cache.
func New(d Deps) (*Runner, error) {
	if d.Cache == nil {
		return nil, errors.New("runner: no cache")
	}
	if d.Sync.Backend == nil {
		b, err := sync.NewBackend(d.Sync.BaseURL, d.Sync.CAFile, d.Sync.Token, d.Version)
		if err != nil {
			return nil, fmt.Errorf("runner: %w", err)
		}
		d.Sync.Backend = b
	}
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Shown == nil {
		d.Shown = new(pairing.Shown)
	}
	return &Runner{d: d}, nil
}

// Run pairs and syncs until ctx ends, refreshing the status report
// meanwhile.
func (r *Runner) Run(ctx context.Context) error {
	done := make(chan struct{})
	defer func() { <-done }()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(done)
		r.reportLoop(ctx)
	}()

	conn := r.d.Sync.Backend
	for {
		if conn.Token() == "" {
			tok, err := r.pair(ctx)
			if err != nil {
				return err
			}
			conn.SetToken(tok) // the sync and the login send it from now on
		}
		opts := r.d.Sync
		opts.Cache, opts.Clock, opts.Logger, opts.Version = r.d.Cache, r.d.Clock, r.d.Logger, r.d.Version
		s, err := sync.New(opts)
		if err != nil {
			return err
		}
		err = s.Run(ctx)
		if !errors.Is(err, sync.ErrUnauthorized) {
			return err
		}
		r.d.Logger.Warn("backend no longer accepts this screen's token: pairing again; the cached board stays on screen")
		// Nobody sends the refused token again: the login offers nothing
		// until the screen is paired.
		conn.SetToken("")
	}
}

// TokenPoll is how often a screen that waits to be paired looks at its
// token file, so that a technician's `skaerm pair` on a terminal takes
// effect without a restart.
const TokenPoll = 3 * time.Second

// pair runs the device flow until staff approve the screen, retrying after
// failures, and saves the token. A new token that appears in the token file
// meanwhile (`skaerm pair` on a terminal) ends the flow and is used.
func (r *Runner) pair(ctx context.Context) (string, error) {
	defer r.d.Shown.Clear()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fromFile := make(chan string, 1)
	if r.d.TokenFile != "" {
		// The token in the file now is the one refused (or none): only a
		// different one counts.
		refused, _ := pairing.LoadToken(r.d.TokenFile)
		watched := make(chan struct{})
		defer func() { <-watched }()
		go func() {
			defer close(watched)
			if tok := r.watchToken(ctx, refused); tok != "" {
				fromFile <- tok
				cancel()
			}
		}()
	}
	tok, err := r.pairFlow(ctx)
	if err == nil {
		return tok, nil
	}
	// The watcher sends before it cancels the flow.
	select {
	case tok := <-fromFile:
		r.d.Logger.Info("paired on a terminal: using the token saved in the token file")
		return tok, nil
	default:
		return "", err
	}
}

// watchToken returns the first token in the token file that differs from
// refused, or "" when ctx ends first.
func (r *Runner) watchToken(ctx context.Context, refused string) string {
	for {
		select {
		case <-ctx.Done():
			return ""
		case <-r.d.Clock.After(TokenPoll):
		}
		if tok, err := pairing.LoadToken(r.d.TokenFile); err == nil && tok != refused {
			return tok
		}
	}
}

// pairFlow runs the device flow until staff approve the screen or ctx ends,
// retrying after failures, and saves the token.
func (r *Runner) pairFlow(ctx context.Context) (string, error) {
	conn := r.d.Sync.Backend // the connections the sync and the login use
	flow := &pairing.Flow{
		BaseURL:    conn.BaseURL(),
		HTTPClient: conn.HTTP(),
		Clock:      r.d.Clock,
		Logger:     r.d.Logger,
		Show: func(user, uri string, _ time.Time) {
			r.d.Logger.Info("waiting to be paired: type the code shown on screen into the Manager")
			r.d.Shown.Set(user, uri)
		},
	}
	for attempt := 1; ; attempt++ {
		tok, err := flow.Pair(ctx)
		if err == nil {
			if r.d.TokenFile != "" {
				if err := pairing.SaveToken(r.d.TokenFile, tok); err != nil {
					return "", err
				}
			}
			r.d.Logger.Info("paired with the backend")
			return tok, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		wait := min(time.Duration(attempt)*10*time.Second, 5*time.Minute)
		r.d.Logger.Warn("pairing failed; trying again", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-r.d.Clock.After(wait):
		}
	}
}

// reportLoop keeps the status report beside the cache fresh: at once after
// each sync attempt, else every ReportEvery, so `skaerm status` never shows
// the last sync of a previous run.
func (r *Runner) reportLoop(ctx context.Context) {
	changed, unsubscribe := r.d.Cache.Subscribe()
	defer unsubscribe()
	var written time.Time
	var seen cache.Meta
	for {
		now := r.d.Clock.Now()
		// Media and outbox changes come in bursts; a sync attempt is
		// what the report must not miss.
		m, err := r.d.Cache.Meta()
		synced := err == nil && (!m.LastAttempt.Equal(seen.LastAttempt) || m.Generation != seen.Generation)
		if synced || written.IsZero() || now.Sub(written) >= ReportEvery || now.Before(written) {
			if err := r.WriteReport(); err != nil {
				r.d.Logger.Warn("write status report", "err", err)
			}
			written, seen = now, m
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-r.d.Clock.After(ReportEvery):
		}
	}
}

// WriteReport saves the screen's current status beside its cache.
func (r *Runner) WriteReport() error {
	r.reportMu.Lock()
	rep, err := r.collector.Collect(r.d.Cache, r.d.Clock.Now(), r.d.Version)
	r.reportMu.Unlock()
	if err != nil {
		return err
	}
	if r.d.Extra != nil {
		rep.Extra = r.d.Extra()
	}
	if _, _, ok := r.d.Shown.Code(); ok {
		if rep.Extra == nil {
			rep.Extra = map[string]string{}
		}
		rep.Extra["pairing"] = "waiting for staff to type the code shown on screen into the Manager"
	}
	if err := status.Save(status.FilePath(r.d.Cache.Path()), rep); err != nil {
		return fmt.Errorf("status report: %w", err)
	}
	return nil
}
