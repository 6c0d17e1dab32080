package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	gosync "sync"
	"time"

	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/pairing"
	"skaerm/internal/status"
	"skaerm/sync"
)

// statusEvery is how often the running screen refreshes the report kept
// beside its cache for `skaerm status`.
const statusEvery = 30 * time.Second

// pruneEvery is how often the running screen trims its cache to the window.
const pruneEvery = time.Hour

// Runner keeps a screen connected to its backend: it pairs the screen when it
// has no token, keeps the cache in step while it has one, and returns to
// pairing (keeping the cache) when the backend stops accepting the token.
type Runner struct {
	BackendURL string
	Token      string // "" starts with pairing
	TokenFile  string // where a token from pairing is saved ("" keeps it in memory only)
	CAFile     string
	Cache      *cache.Cache
	Sync       sync.Options // timing and limits; BaseURL, Token, Cache, Clock, Logger are set by the runner
	Clock      clock.Clock
	Logger     *slog.Logger
	Version    string
	// Extra adds lines to the status report (display power, clock trust).
	Extra func() map[string]string

	mu   gosync.Mutex
	code pairingCode

	reportMu  gosync.Mutex // guards collector: WriteReport may be called from any goroutine
	collector status.Collector
}

type pairingCode struct {
	user, uri string
	active    bool
}

// Pairing reports whether the screen waits to be paired and the code to show.
// It is safe to call from the renderer's goroutine.
func (r *Runner) Pairing() (userCode, verificationURI string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.code.user, r.code.uri, r.code.active
}

func (r *Runner) setPairing(c pairingCode) {
	r.mu.Lock()
	r.code = c
	r.mu.Unlock()
}

// Run pairs and syncs until ctx ends.
func (r *Runner) Run(ctx context.Context) error {
	if r.Clock == nil {
		r.Clock = clock.Real{}
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	done := make(chan struct{})
	defer func() { <-done }()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(done)
		r.reportLoop(ctx)
	}()

	token := r.Token
	for {
		if token == "" {
			t, err := r.pair(ctx)
			if err != nil {
				return err
			}
			token = t
		}
		opts := r.Sync
		opts.BaseURL, opts.Token, opts.CAFile = r.BackendURL, token, r.CAFile
		opts.Cache, opts.Clock, opts.Logger, opts.Version = r.Cache, r.Clock, r.Logger, r.Version
		s, err := sync.New(opts)
		if err != nil {
			return err
		}
		err = s.Run(ctx)
		if !errors.Is(err, sync.ErrUnauthorized) {
			return err
		}
		r.Logger.Warn("backend no longer accepts this screen's token: pairing again; the cached board stays on screen")
		token = ""
	}
}

// pair runs the device flow until staff approve the screen, retrying after
// failures, and saves the token.
func (r *Runner) pair(ctx context.Context) (string, error) {
	defer r.setPairing(pairingCode{})
	client, err := sync.NewClient(r.BackendURL, r.CAFile)
	if err != nil {
		return "", err
	}
	flow := &pairing.Flow{
		BaseURL:    client.BaseURL(),
		HTTPClient: client.HTTP(),
		Clock:      r.Clock,
		Logger:     r.Logger,
		Show: func(user, uri string, _ time.Time) {
			r.Logger.Info("waiting to be paired: type the code shown on screen into the Manager")
			r.setPairing(pairingCode{user: user, uri: uri, active: true})
		},
	}
	for attempt := 1; ; attempt++ {
		tok, err := flow.Pair(ctx)
		if err == nil {
			if r.TokenFile != "" {
				if err := pairing.SaveToken(r.TokenFile, tok); err != nil {
					return "", err
				}
			}
			r.Logger.Info("paired with the backend")
			return tok, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		wait := min(time.Duration(attempt)*10*time.Second, 5*time.Minute)
		r.Logger.Warn("pairing failed; trying again", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-r.Clock.After(wait):
		}
	}
}

// reportLoop keeps the status report beside the cache fresh (at once after
// each sync attempt, else every statusEvery, so `skaerm status` never shows
// the last sync of a previous run) and, every hour, applies the retention
// window to the cache: a screen offline for days still drops what is older
// than yesterday.
func (r *Runner) reportLoop(ctx context.Context) {
	changed, unsubscribe := r.Cache.Subscribe()
	defer unsubscribe()
	var pruned, written time.Time
	var seen cache.Meta
	for {
		now := r.Clock.Now()
		if now.Sub(pruned) >= pruneEvery || now.Before(pruned) {
			pruned = now
			if err := r.Cache.Prune(); err != nil {
				r.Logger.Warn("apply the retention window to the cache", "err", err)
			}
		}
		// Media and outbox changes come in bursts; a sync attempt is
		// what the report must not miss.
		m, err := r.Cache.Meta()
		synced := err == nil && (!m.LastAttempt.Equal(seen.LastAttempt) || m.Generation != seen.Generation)
		if synced || written.IsZero() || now.Sub(written) >= statusEvery || now.Before(written) {
			if err := r.WriteReport(); err != nil {
				r.Logger.Warn("write status report", "err", err)
			}
			written, seen = now, m
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-r.Clock.After(statusEvery):
		}
	}
}

// WriteReport saves the screen's current status beside its cache.
func (r *Runner) WriteReport() error {
	r.reportMu.Lock()
	rep, err := r.collector.Collect(r.Cache, r.Clock.Now(), r.Version)
	r.reportMu.Unlock()
	if err != nil {
		return err
	}
	if r.Extra != nil {
		rep.Extra = r.Extra()
	}
	if _, _, ok := r.Pairing(); ok {
		if rep.Extra == nil {
			rep.Extra = map[string]string{}
		}
		rep.Extra["pairing"] = "waiting for staff to type the code shown on screen into the Manager"
	}
	if err := status.Save(status.FilePath(r.Cache.Path()), rep); err != nil {
		return fmt.Errorf("status report: %w", err)
	}
	return nil
}
