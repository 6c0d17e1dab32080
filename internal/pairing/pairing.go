// Package pairing binds a screen to a department once, when it is set up,
// and keeps the device token it gets.
//
// # Basics
//
// [Pair] runs the OAuth 2.0 device authorization grant (RFC 8628) against
// the backend's Screen API: it asks for a code, hands the short user code to
// a show callback (the screen draws it in large digits, `skaerm pair` prints
// it), and polls until staff enter the code in the Manager. A code that
// expires is replaced by a new one, and a backend that says slow_down is
// polled less often. [SaveToken] and [LoadToken] keep the token in a file only
// the screen's user can read.
//
// # Caveats
//
// The polling interval is the backend's, in whole seconds, and is timed by
// golang.org/x/oauth2 with the machine's clock; only the wait after a network
// failure uses the injected clock. The request for a code does not follow
// ctx (the oauth2 package builds it without one), so give the HTTP client a
// Timeout. Logs never carry the token or the user code.
package pairing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"skaerm/internal/clock"
	"skaerm/sync"
)

// ErrDenied means staff refused the pairing in the Manager.
var ErrDenied = errors.New("pairing was refused in the Manager")

// ClientID is the OAuth client id every screen uses.
const ClientID = "skaerm"

// Paths of the device flow endpoints below the backend's base URL.
const (
	DeviceAuthPath = "/api/screen/v1/oauth/device"
	TokenPath      = "/api/screen/v1/oauth/token"
)

// retryDelay is how long to wait after the backend could not be reached
// before asking again.
const retryDelay = 10 * time.Second

// Flow is one pairing attempt's dependencies. [Pair] fills it for the usual
// case.
type Flow struct {
	// BaseURL is the backend's base URL, e.g. "https://manager.example.dk".
	BaseURL string
	// HTTPClient makes the requests: the backend's client from
	// sync.NewClient (the configured CA, no proxy, no redirect to another
	// origin); nil means that client without an extra CA. Give any other
	// client a Timeout: the request for a code ignores ctx.
	HTTPClient *http.Client
	// Show is called with each new code; it must not block for long.
	Show func(userCode, verificationURI string, expires time.Time)
	// Clock times the wait after a network failure; default clock.Real{}.
	Clock clock.Clock
	// Logger gets progress lines; default slog.Default().
	Logger *slog.Logger
}

// Pair runs the device flow until staff approve the screen, and returns its
// device token. show is called with the user code to display, again with a
// new code each time one expires. It returns ctx's error when ctx ends, an
// error wrapping [ErrDenied] when staff refuse, and other errors when the
// backend answers something the flow cannot continue from.
func Pair(ctx context.Context, baseURL string, httpClient *http.Client, show func(userCode, verificationURI string, expires time.Time)) (string, error) {
	f := &Flow{BaseURL: baseURL, HTTPClient: httpClient, Show: show}
	return f.Pair(ctx)
}

// Pair runs the flow; see the package function [Pair].
func (f *Flow) Pair(ctx context.Context) (string, error) {
	clk := f.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	log := f.Logger
	if log == nil {
		log = slog.Default()
	}
	base := strings.TrimRight(f.BaseURL, "/")
	conf := &oauth2.Config{
		ClientID: ClientID,
		Endpoint: oauth2.Endpoint{
			DeviceAuthURL: base + DeviceAuthPath,
			TokenURL:      base + TokenPath,
			AuthStyle:     oauth2.AuthStyleInParams,
		},
	}
	hc := f.HTTPClient
	if hc == nil {
		c, err := sync.NewClient(base, "")
		if err != nil {
			return "", fmt.Errorf("pairing: %w", err)
		}
		hc = c.HTTP()
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	wait := func() error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clk.After(retryDelay):
			return nil
		}
	}

	var da *oauth2.DeviceAuthResponse
	for {
		if da == nil {
			var err error
			da, err = conf.DeviceAuth(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return "", ctx.Err()
				}
				if !transient(err) {
					return "", fmt.Errorf("pairing: ask %s for a code: %w", base, err)
				}
				log.Warn("pairing: backend unreachable; retrying", "err", err, "retry_in", retryDelay)
				if err := wait(); err != nil {
					return "", err
				}
				continue
			}
			if da.UserCode == "" || da.DeviceCode == "" {
				return "", fmt.Errorf("pairing: %s answered without a code", base)
			}
			log.Info("pairing: showing a new code", "expires", da.Expiry)
			if f.Show != nil {
				f.Show(da.UserCode, da.VerificationURI, da.Expiry)
			}
		}

		tok, err := conf.DeviceAccessToken(ctx, da)
		if err == nil {
			if tok.AccessToken == "" || (tok.TokenType != "" && !strings.EqualFold(tok.TokenType, "bearer")) {
				return "", fmt.Errorf("pairing: %s answered with an unusable token (type %q)", base, tok.TokenType)
			}
			log.Info("pairing: approved")
			return tok.AccessToken, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		var re *oauth2.RetrieveError
		switch {
		case errors.Is(err, context.DeadlineExceeded),
			errors.As(err, &re) && re.ErrorCode == "expired_token":
			log.Info("pairing: code expired; asking for a new one")
			da = nil
		case errors.As(err, &re) && re.ErrorCode == "access_denied":
			return "", fmt.Errorf("pairing: %w", ErrDenied)
		case transient(err):
			log.Warn("pairing: backend unreachable while waiting for approval; retrying", "err", err, "retry_in", retryDelay)
			// An expired code ends the next poll at once and is replaced.
			if err := wait(); err != nil {
				return "", err
			}
		default:
			return "", fmt.Errorf("pairing: wait for approval at %s: %w", base, err)
		}
	}
}

// transient reports whether err is worth retrying: no answer at all, or a
// server error without an OAuth error code.
func transient(err error) bool {
	if errors.Is(err, sync.ErrForeignRedirect) {
		return false // the backend's set-up, not the network: waiting does not help
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode == "" && re.Response != nil &&
			(re.Response.StatusCode >= 500 || re.Response.StatusCode == http.StatusTooManyRequests)
	}
	var ue *url.Error
	return errors.As(err, &ue)
}
