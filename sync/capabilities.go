package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// capsEvery is how often a screen asks its backend again what it offers: a
// backend upgraded to v1.1 is noticed within the hour.
const capsEvery = time.Hour

// maxCapsBytes bounds the capabilities answer.
const maxCapsBytes = 16 << 10

// Features a backend may offer (Screen API v1.1 and v1.2). The screen uses
// weather, audio (recorded readings and announcements), bookables and
// notices so far.
const (
	featureWeather  = "weather"
	featureAudio    = "audio"
	featureSessions = "sessions"
	// featureBookables (v1.2): the board's bookables are read and bookings
	// made on the screen are sent to POST /bookings. A backend that does
	// not name it has no such endpoint: its board's bookables (if any) are
	// not stored, and a booking made on the screen is refused there.
	featureBookables = "bookables"
	// featureNotices (v1.2): the board's urgent notices are read; a
	// backend that does not name it has none for the screen to show.
	featureNotices = "notices"
)

// capabilities is what the backend said it offers. A plain v1 backend
// answers 404 and offers nothing beyond v1.
type capabilities struct {
	API      string
	Features map[string]bool
	At       time.Time // when it was asked (the local clock); zero: never
}

// offers reports whether the backend offers feature.
func (c capabilities) offers(feature string) bool { return c.Features[feature] }

// checkCapabilities asks GET /capabilities when the last answer is older
// than capsEvery. A backend that cannot be reached or refuses the token
// returns the error (the board would fail the same way); a backend error
// keeps what was known before.
func (s *Syncer) checkCapabilities(ctx context.Context) error {
	now := s.clock.Now()
	if !s.caps.At.IsZero() && now.Sub(s.caps.At) < capsEvery && now.After(s.caps.At) {
		return nil
	}
	c, err := s.fetchCapabilities(ctx)
	switch {
	case errors.Is(err, ErrBackendUnreachable), errors.Is(err, ErrUnauthorized), errors.Is(err, ErrCertificate),
		errors.Is(err, ErrForeignRedirect), errors.Is(err, context.Canceled):
		return fmt.Errorf("fetch capabilities: %w", err)
	case err != nil:
		s.log.Warn("capabilities not read, keeping what was known", "err", err)
		return nil
	}
	c.At = now
	if c.API != s.caps.API || len(c.Features) != len(s.caps.Features) || s.caps.At.IsZero() {
		features := make([]string, 0, len(c.Features))
		for f := range c.Features {
			features = append(features, f)
		}
		s.log.Info("backend capabilities", "api", c.API, "features", features)
	}
	s.caps = c
	return nil
}

func (s *Syncer) fetchCapabilities(ctx context.Context) (capabilities, error) {
	return fetchCapabilities(ctx, s.t)
}

func fetchCapabilities(ctx context.Context, t *Backend) (capabilities, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := t.newRequest(ctx, http.MethodGet, "/capabilities", nil, nil, "")
	if err != nil {
		return capabilities{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := t.do(t.http, req)
	if err != nil {
		return capabilities{}, err
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return capabilities{API: "1.0"}, nil // plain v1
	default:
		return capabilities{}, fmt.Errorf("%w: capabilities: %s", ErrBackendFailed, resp.Status)
	}
	body, err := readLimited(resp.Body, maxCapsBytes, "capabilities")
	if err != nil {
		return capabilities{}, err
	}
	return decodeCapabilities(body)
}

// decodeCapabilities reads {"api": "1.1", "features": [...]}. Unknown
// features are kept as words; they switch nothing on.
func decodeCapabilities(body []byte) (capabilities, error) {
	var w struct {
		API      string   `json:"api"`
		Features []string `json:"features"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return capabilities{}, fmt.Errorf("%w: capabilities: %s", ErrBackendFailed, jsonProblem(err))
	}
	c := capabilities{API: cleanLine(w.API, 16), Features: map[string]bool{}}
	for _, f := range w.Features {
		if f = cleanToken(f, 40); f != "" {
			c.Features[f] = true
		}
	}
	return c, nil
}
