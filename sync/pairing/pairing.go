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
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"skaerm/internal/clock"
	"skaerm/sync"
)

// Errors a caller branches on.
var (
	// ErrDenied means staff refused the pairing in the Manager.
	ErrDenied = errors.New("pairing was refused in the Manager")
	// ErrWrongBackend means the configured backend cannot be the right one
	// and waiting will not change that: its name does not resolve (after
	// NoSuchHostTries attempts), or the address answers but has no device
	// endpoint (404: a wrong path). Check [backend] url.
	ErrWrongBackend = errors.New("wrong backend address")
)

// NoSuchHostTries is how often a name that does not resolve is tried before
// Pair gives up: a screen that has just booted may not have its DNS yet.
const NoSuchHostTries = 3

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
	// origin), or the running screen's sync.Backend's, which the sync and
	// the login share; nil means a client of the flow's own without an
	// extra CA. Give any other client a Timeout: the request for a code
	// ignores ctx.
	HTTPClient *http.Client
	// Show is called with each new code; it must not block for long.
	Show func(userCode, verificationURI string, expires time.Time)
	// Clock times the wait after a network failure; default clock.Real{}.
	Clock clock.Clock
	// Logger gets progress lines; default slog.Default().
	Logger *slog.Logger
	// Retrying, if set, is told in one sentence what went wrong each time
	// the flow waits to try again (for a person at a terminal).
	Retrying func(problem string, in time.Duration)
}

// Pair runs the device flow until staff approve the screen, and returns its
// device token. show is called with the user code to display, again with a
// new code each time one expires. It returns ctx's error when ctx ends, an
// error wrapping [ErrDenied] when staff refuse, one matching
// [ErrWrongBackend] when the address cannot be right (its name does not
// resolve, or it has no device endpoint), and other errors when the
// backend answers something the flow cannot continue from. Errors that can
// heal (no connection, a timeout, a 5xx) are retried, each told to
// Flow.Retrying in one sentence.
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
	noHost := 0
	// retry decides about an error: nil to try again after the delay, or
	// the error to give up with.
	retry := func(doing string, err error) error {
		problem := Explain(base, err)
		switch {
		case isNoSuchHost(err):
			noHost++
			if noHost >= NoSuchHostTries {
				return wrongBackend(fmt.Sprintf("%s (tried %d times)", problem, noHost))
			}
		case isNotFound(err):
			return wrongBackend(problem)
		case !transient(err):
			return fmt.Errorf("pairing: %s at %s: %w", doing, base, err)
		default:
			noHost = 0
		}
		log.Warn("pairing: "+doing+" failed; retrying", "problem", problem, "retry_in", retryDelay)
		if f.Retrying != nil {
			f.Retrying(problem, retryDelay)
		}
		return nil
	}
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
				if err := retry("ask for a code", err); err != nil {
					return "", err
				}
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
		default:
			if err := retry("wait for approval", err); err != nil {
				return "", err
			}
			// An expired code ends the next poll at once and is replaced.
			if err := wait(); err != nil {
				return "", err
			}
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

// wrongBackend is an ErrWrongBackend that reads as the one sentence
// Explain made.
type wrongBackend string

func (w wrongBackend) Error() string        { return string(w) }
func (w wrongBackend) Is(target error) bool { return target == ErrWrongBackend }

// isNoSuchHost reports whether err says the backend's name does not resolve.
func isNoSuchHost(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// isNotFound reports whether the backend answered 404: the address has no
// device endpoint (the endpoint answers its own errors with 400).
func isNotFound(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusNotFound
}

// Explain says in one sentence for a person what a pairing error means and
// what to check: "manager.invalid: no such host: check [backend] url".
func Explain(base string, err error) string {
	host := base
	if u, perr := url.Parse(base); perr == nil && u.Host != "" {
		host = u.Host
	}
	var re *oauth2.RetrieveError
	var ne net.Error
	switch {
	case isNoSuchHost(err):
		return host + ": no such host: check [backend] url"
	case isNotFound(err):
		return fmt.Sprintf("%s answers, but has no Screen API at %s (404): check the path in [backend] url", host, base)
	case errors.Is(err, syscall.ECONNREFUSED):
		return host + " refuses connections: the backend is not running there (yet)"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return host + " does not answer (timed out): check the network"
	case errors.Is(err, sync.ErrForeignRedirect):
		return host + " redirects to another address: set [backend] url to the address it redirects to"
	case errors.As(err, &re) && re.Response != nil && re.ErrorCode == "":
		return fmt.Sprintf("%s answered %s: the backend has a problem; it may pass", host, re.Response.Status)
	case errors.As(err, &re) && re.ErrorCode != "":
		return fmt.Sprintf("%s refused: %s", host, re.ErrorCode)
	}
	return fmt.Sprintf("%s: %v", host, err)
}
