package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
)

// Defaults for the zero fields of Options.
const (
	DefaultPollInterval   = 5 * time.Minute
	DefaultMaxBoardBytes  = 8 << 20
	DefaultMaxMediaBytes  = 32 << 20
	DefaultMaxMediaPixels = 52_000_000
)

// Options configure a Syncer. Backend (or BaseURL and Token) and Cache are
// required.
type Options struct {
	// Backend is the screen's connection to its backend, shared with the
	// personal login and pairing: the Syncer sends the token it holds at
	// each request. Nil: a connection of the Syncer's own, made from
	// BaseURL, CAFile and Token (for tools that only sync); these three are
	// not read when Backend is set.
	Backend *Backend
	BaseURL string // the configured backend, e.g. https://manager.example.dk
	Token   string // the device token from pairing
	CAFile  string // optional extra CA (PEM) added to the system pool; verification is always on

	Cache   *cache.Cache
	Clock   clock.Clock  // nil: clock.Real{}
	Logger  *slog.Logger // nil: discard
	Version string       // for the User-Agent and status, e.g. "1.4.0"

	PollInterval   time.Duration // polling fallback, jittered ±20%; 0: DefaultPollInterval
	MaxBoardBytes  int64         // 0: DefaultMaxBoardBytes
	MaxMediaBytes  int64         // 0: DefaultMaxMediaBytes
	MaxMediaPixels int           // width*height; 0: DefaultMaxMediaPixels

	Status     func() StatusExtras                       // optional: facts other components know
	Screenshot func(ctx context.Context) ([]byte, error) // optional: a PNG of the screen, for the screenshot event
	OnReload   func()                                    // optional: called on the reload event
	OnDate     func(backend time.Time)                   // optional: the backend's clock, from each board answer's Date header
	OnMedia    func(stored int)                          // optional: called after a sync that stored new media, with how many
	Rand       *rand.Rand                                // optional: jitter source (tests make it deterministic)
	// Sessions tells which sign-ups were made while someone was logged in
	// (a *Login): they are sent with that session. Optional.
	Sessions interface{ SessionFor(signupID string) string }
}

// StatusExtras are facts from other parts of the screen reported with the
// status after each sync.
type StatusExtras struct {
	DisplayOn   bool
	SoCTempC    float64 // 0: unknown
	ClockSynced bool
}

// Result says what one SyncOnce did.
type Result struct {
	NotModified  bool   // the backend answered 304: the cached board is current
	Generation   uint64 // the cache's board generation after the sync
	ETag         string
	Dropped      int // board items the filter dropped for breaking the contract
	MediaFetched int // media fetched, checked and stored
	MediaFailed  int // media skipped (logged by hash; retried next sync)
	Sent         int // sign-ups the backend accepted
	Refused      int // sign-ups the backend refused for good
	Pending      int // sign-ups still waiting
}

// Syncer keeps one screen's cache in step with its backend.
type Syncer struct {
	opts    Options
	t       *Backend
	cache   *cache.Cache
	clock   clock.Clock
	log     *slog.Logger
	rand    *rand.Rand
	started time.Time

	mu    sync.Mutex      // one sync at a time; guards the fields below
	caps  capabilities    // what the backend offers beyond v1
	known map[string]bool // outbox entries the last flush left pending
}

// New checks opts and returns a Syncer. It does not touch the network.
func New(opts Options) (*Syncer, error) {
	if opts.Cache == nil {
		return nil, fmt.Errorf("%w: no cache", ErrConfig)
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	t := opts.Backend
	if t == nil {
		var err error
		if t, err = NewBackend(opts.BaseURL, opts.CAFile, opts.Token, opts.Version); err != nil {
			return nil, err
		}
	}
	if !t.hasToken() {
		return nil, fmt.Errorf("%w: no device token (pair the screen first)", ErrConfig)
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.MaxBoardBytes <= 0 {
		opts.MaxBoardBytes = DefaultMaxBoardBytes
	}
	if opts.MaxMediaBytes <= 0 {
		opts.MaxMediaBytes = DefaultMaxMediaBytes
	}
	if opts.MaxMediaPixels <= 0 {
		opts.MaxMediaPixels = DefaultMaxMediaPixels
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	s := &Syncer{
		opts:    opts,
		t:       t,
		cache:   opts.Cache,
		clock:   opts.Clock,
		log:     opts.Logger,
		rand:    opts.Rand,
		started: opts.Clock.Now(),
		known:   map[string]bool{},
	}
	return s, nil
}

// SyncOnce sends pending sign-ups, then fetches the board (a conditional
// GET), the media it lacks, and posts the screen's status. Sign-ups go first
// so the board fetched after them shows their outcome.
//
// The error wraps ErrUnauthorized, ErrBackendUnreachable, ErrBackendFailed,
// ErrCertificate, ErrForeignRedirect, ErrTooLarge or ErrBadBoard; the cache
// keeps its board on any error. Media failures are not errors: they are
// counted in Result.MediaFailed and logged.
func (s *Syncer) SyncOnce(ctx context.Context) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var res Result
	if m, err := s.cache.Meta(); err == nil {
		res.Generation, res.ETag = m.Generation, m.ETag
	}
	outboxErr := s.flushOutbox(ctx, &res)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if errors.Is(outboxErr, ErrUnauthorized) || errors.Is(outboxErr, ErrBackendUnreachable) {
		// The board would fail the same way: no second wait for a timeout.
		s.record(outboxErr)
		return res, outboxErr
	}
	if err := s.pullBoard(ctx, &res); err != nil {
		return res, err
	}
	// The media and recordings the stored board refers to: the board is
	// read (decoded) once for both.
	if b, err := s.cache.Board(); err == nil {
		s.fetchMedia(ctx, b, &res)
		s.fetchRecordings(ctx, b, &res)
	}
	if res.MediaFetched > 0 && s.opts.OnMedia != nil {
		s.opts.OnMedia(res.MediaFetched)
	}
	s.postStatus(ctx, res.ETag)
	if outboxErr != nil {
		return res, outboxErr
	}
	return res, nil
}

// record notes a failed sync attempt in the cache.
func (s *Syncer) record(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	if rerr := s.cache.RecordAttempt(err); rerr != nil {
		s.log.Warn("record sync attempt", "err", rerr)
	}
}

// pullBoard fetches the board for the window around today and stores it if
// it changed. The cache is untouched unless a whole valid board arrived.
func (s *Syncer) pullBoard(ctx context.Context, res *Result) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("fetch board: %w", err)
			s.record(err)
		}
	}()
	meta, err := s.cache.Meta()
	if err != nil {
		return err
	}
	res.Generation, res.ETag = meta.Generation, meta.ETag
	if err := s.checkCapabilities(ctx); err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	// The window follows the backend's clock. When the first answer shows
	// the screen's clock is off by enough to change the dates (a Pi that
	// booted in the past), ask again for the right days.
	var resp *http.Response
	for try := 0; ; try++ {
		q, err := s.window()
		if err != nil {
			return err
		}
		req, err := s.t.newRequest(ctx, http.MethodGet, "/board", q, nil, "")
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		if meta.ETag != "" {
			req.Header.Set("If-None-Match", meta.ETag)
		}
		if resp, err = s.t.do(s.t.http, req); err != nil {
			return err
		}
		s.measureClock(resp, &meta)
		again, err := s.window()
		if err != nil {
			drain(resp)
			return err
		}
		if try > 0 || again.Encode() == q.Encode() {
			break
		}
		drain(resp)
	}
	defer drain(resp)

	switch resp.StatusCode {
	case http.StatusNotModified:
		res.NotModified = true
		if err := s.cache.RecordAttempt(nil); err != nil {
			return fmt.Errorf("record sync: %w", err)
		}
		return nil
	case http.StatusOK:
	default:
		return fmt.Errorf("%w: %s", ErrBackendFailed, resp.Status)
	}
	if mt := mediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return fmt.Errorf("%w: the answer is a web page, not a board (a captive portal or a proxy in the way?)", ErrBadBoard)
	}
	body, err := readLimited(resp.Body, s.opts.MaxBoardBytes, "board")
	if err != nil {
		return err
	}
	b, notes, stats, err := decodeWith(bytes.NewReader(body), decodeOptions{
		Weather:   s.caps.offers(featureWeather),
		Audio:     s.caps.offers(featureAudio),
		Bookables: s.caps.offers(featureBookables),
		Notices:   s.caps.offers(featureNotices),
	})
	if err != nil {
		return err
	}
	for _, n := range notes {
		s.log.Info("board item dropped or repaired", "kind", n.Kind, "id", n.ID, "reason", n.Reason)
	}
	// What the policy filter kept out; the cache logs what it stores.
	s.log.Info("board filtered", "hidden_profiles", stats.HiddenProfiles, "hidden_signups", stats.HiddenSignups,
		"dropped", stats.DroppedItems)
	res.Dropped = stats.DroppedItems
	etag := resp.Header.Get("ETag")
	if err := s.cache.ReplaceBoard(b, etag); err != nil {
		return fmt.Errorf("store board: %w", err)
	}
	if m, err := s.cache.Meta(); err == nil {
		res.Generation = m.Generation
	}
	res.ETag = etag
	return nil
}

// window is the query for the days the cache keeps (cache.Window):
// yesterday to today+DaysAhead in the department's zone.
func (s *Syncer) window() (url.Values, error) {
	w, err := s.cache.Window()
	if err != nil {
		return nil, err
	}
	return url.Values{
		"from": {w.From.Format(time.DateOnly)},
		"to":   {w.To.AddDate(0, 0, -1).Format(time.DateOnly)},
	}, nil
}

// measureClock stores the backend's clock minus ours when it moved by more
// than a couple of seconds, an hour has passed or the stored one is from
// another boot (the Date header has one-second resolution, and every write
// wears the SD card; a restarted screen goes on with an offset of its own
// boot, see clock.Offset).
func (s *Syncer) measureClock(resp *http.Response, meta *cache.Meta) {
	local := s.clock.Now()
	d, ok := serverOffset(resp, local)
	if !ok {
		return
	}
	if s.opts.OnDate != nil {
		s.opts.OnDate(local.Add(d))
	}
	diff := d - meta.ClockOffset
	if diff < 0 {
		diff = -diff
	}
	if diff <= 2*time.Second && local.Sub(meta.ClockOffsetAt) < time.Hour && !meta.ClockOffsetAt.IsZero() &&
		meta.ClockBootID == s.cache.BootID() && meta.ClockUptime > 0 {
		return
	}
	if err := s.cache.SetClockOffset(d); err != nil {
		s.log.Warn("store clock offset", "err", err)
		return
	}
	meta.ClockOffset, meta.ClockOffsetAt = d, local
}

// mediaWorkers is how many avatars are fetched and prepared at once. A
// picture costs more CPU (decode, scale, encode) than network, so a few in
// parallel use the cores while one waits for the backend. Photos (news, the
// slideshow) follow one at a time: they are not on the first page, and a
// screen drawing that page at start-up needs a core of its own meanwhile.
const mediaWorkers = 3

// fetchMedia fetches every medium the cached board b refers to and the cache
// lacks: avatars first, several at once (the Today page shows faces), then
// photos one by one. One failing medium is logged by hash and skipped; an
// unreachable backend or a refused token ends the round.
func (s *Syncer) fetchMedia(ctx context.Context, b *board.Board, res *Result) {
	avatars, photos := map[string]bool{}, map[string]bool{}
	for _, p := range b.Profiles {
		if p.Avatar != "" {
			avatars[p.Avatar] = true
		}
	}
	for _, h := range b.MediaHashes() {
		if !avatars[h] {
			photos[h] = true
		}
	}
	var faces, others []mediaJob
	for _, h := range b.MediaHashes() {
		if ok, err := s.cache.HasMedia(h); err != nil || ok {
			continue
		}
		if avatars[h] && !photos[h] {
			faces = append(faces, mediaJob{h, avatarMedia})
		} else {
			others = append(others, mediaJob{h, photoMedia})
		}
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	s.fetchAll(ctx, stop, faces, mediaWorkers, res)
	s.fetchAll(ctx, stop, others, 1, res)
}

type mediaJob struct {
	hash string
	kind mediaKind
}

// fetchAll fetches jobs with n workers and counts the outcome in res. An
// unreachable backend or a refused token calls stop, which ends the round.
func (s *Syncer) fetchAll(ctx context.Context, stop func(), jobs []mediaJob, n int, res *Result) {
	if len(jobs) == 0 || ctx.Err() != nil {
		return
	}
	next := make(chan mediaJob)
	var mu sync.Mutex // guards res
	var wg sync.WaitGroup
	for range min(n, len(jobs)) {
		wg.Go(func() {
			for j := range next {
				err := s.fetchOne(ctx, j.hash, j.kind)
				mu.Lock()
				switch {
				case err == nil:
					res.MediaFetched++
				case ctx.Err() != nil:
					// Ended with the round, not by this medium.
				default:
					res.MediaFailed++
					s.log.Warn("media skipped", "hash", j.hash, "err", err)
					if errors.Is(err, ErrBackendUnreachable) || errors.Is(err, ErrUnauthorized) {
						stop()
					}
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
}

func (s *Syncer) fetchOne(ctx context.Context, hash string, kind mediaKind) error {
	data, contentType, err := s.getMedia(ctx, hash, "media")
	if err != nil {
		return err
	}
	out, err := prepareMedia(hash, contentType, data, kind, s.opts.MaxMediaPixels)
	if err != nil {
		return err
	}
	if err := s.cache.PutMedia(hash, out); err != nil {
		return fmt.Errorf("store media: %w", err)
	}
	return nil
}

// getMedia reads one file of the media endpoint, at most MaxMediaBytes,
// and its content type; what names it in errors ("media", "recording").
func (s *Syncer) getMedia(ctx context.Context, hash, what string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := s.t.newRequest(ctx, http.MethodGet, "/media/"+hash, nil, nil, "")
	if err != nil {
		return nil, "", err
	}
	resp, err := s.t.do(s.t.http, req)
	if err != nil {
		return nil, "", err
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%w: %s", ErrBackendFailed, resp.Status)
	}
	if resp.ContentLength > s.opts.MaxMediaBytes {
		return nil, "", fmt.Errorf("%s: %w (%d bytes, over %d)", what, ErrTooLarge, resp.ContentLength, s.opts.MaxMediaBytes)
	}
	data, err := readLimited(resp.Body, s.opts.MaxMediaBytes, what)
	if err != nil {
		return nil, "", err
	}
	return data, resp.Header.Get("Content-Type"), nil
}

// post sends a small body and returns the response for the caller to read.
func (s *Syncer) post(ctx context.Context, path, contentType string, body []byte) (*http.Response, error) {
	req, err := s.t.newRequest(ctx, http.MethodPost, path, nil, body, contentType)
	if err != nil {
		return nil, err
	}
	return s.t.do(s.t.http, req)
}

// readReason reads a short error answer's body.
func readReason(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, maxErrorBody))
	return b
}
