package sync

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"
)

// apiPrefix is where the Screen API lives under the backend's address.
const apiPrefix = "/api/screen/v1"

// Network timeouts. They are real time (the network does not follow the
// injected clock): connecting, getting the response headers, and the whole
// exchange including the body.
const (
	connectTimeout = 10 * time.Second
	headerTimeout  = 20 * time.Second
	requestTimeout = 60 * time.Second
	maxRedirects   = 5
	maxErrorBody   = 4 << 10 // bytes of an error answer read for its reason
)

// Client is the screen's HTTP client to its backend, for the sync, the
// personal login, pairing and the technician's checks alike (the running
// screen's parts share one, in a Backend). It talks to the configured
// origin only: redirects to another scheme, host or port are refused
// (ErrForeignRedirect), proxy settings in the environment are not used, TLS
// verification is always on and a CA file (PEM) is added to the system's
// roots. Plain http is accepted only for a backend on this machine.
// A certificate that is not yet valid by the screen's clock is accepted (see
// verifyPeer): a Pi has no real-time clock.
type Client struct {
	base *url.URL // scheme://host[:port] plus any path prefix, without the API prefix
	// http bounds each exchange by requestTimeout; stream has no overall
	// timeout (the event stream stays open). Both go through one
	// http.Transport: one pool of connections.
	http, stream *http.Client
}

// NewClient checks the backend address and the CA file and returns the
// client; it does not touch the network. Errors wrap ErrConfig.
func NewClient(baseURL, caFile string) (*Client, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	var ca []byte
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("%w: read CA file: %v", ErrConfig, err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: CA file %s holds no PEM certificate", ErrConfig, caFile)
		}
		ca = pem
	}
	// The system's roots are read at the first TLS handshake, not here:
	// reading and parsing some 150 certificates is the slowest part of the
	// screen's start before its first frame (about 12 ms on a PC, several
	// times that on a Pi), and a screen on plain http never needs them.
	roots := gosync.OnceValue(func() *x509.CertPool {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if ca != nil {
			pool.AppendCertsFromPEM(ca)
		}
		return pool
	})
	rt := &http.Transport{
		Proxy:       nil, // the screen talks to its backend directly
		DialContext: (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12,
			// Verified below, as Go would, except for a clock behind.
			InsecureSkipVerify: true, //nolint:gosec // VerifyConnection verifies
			VerifyConnection: func(cs tls.ConnectionState) error {
				// real clock: certificates are checked against the system clock, as Go checks them; verifyPeer forgives a clock behind.
				return verifyPeer(cs, roots(), base.Hostname(), time.Now())
			}},
		TLSHandshakeTimeout:   connectTimeout,
		ResponseHeaderTimeout: headerTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          4,
		MaxIdleConnsPerHost:   mediaWorkers, // one per avatar worker
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	c := &Client{base: base}
	c.http = &http.Client{Transport: rt, Timeout: requestTimeout, CheckRedirect: c.checkRedirect}
	c.stream = &http.Client{Transport: rt, CheckRedirect: c.checkRedirect}
	return c, nil
}

// HTTP is the client for single requests (60 s for the whole exchange), for
// code outside this package that talks to the backend: pairing and checks.
// It shares the Client's connections.
func (c *Client) HTTP() *http.Client { return c.http }

// BaseURL is the backend's address as checked, without a trailing slash or
// the Screen API's prefix.
func (c *Client) BaseURL() string { return strings.TrimRight(c.base.String(), "/") }

// Backend is the screen's connection to its backend: one Client (one
// http.Transport, so one pool of connections and one cache of TLS
// sessions), the User-Agent, and the one device token every request
// carries. The running screen makes one and hands it to the sync
// (Options.Backend), the personal login (LoginOptions.Backend) and the
// runner's pairing (HTTP): a token set here is carried by the next request
// of each of them, and once it is cleared none of them sends it again.
type Backend struct {
	*Client
	agent string

	token   atomic.Pointer[string] // "" while the screen is not paired
	mu      gosync.Mutex           // guards changed, and orders SetTokens
	changed chan struct{}          // closed (and replaced) by SetToken
}

// NewBackend checks the backend address and the CA file (NewClient) and
// returns the connection with the device token ("" for a screen not paired
// yet) and version for the User-Agent ("" is "dev"). It does not touch the
// network. Errors wrap ErrConfig.
func NewBackend(baseURL, caFile, token, version string) (*Backend, error) {
	c, err := NewClient(baseURL, caFile)
	if err != nil {
		return nil, err
	}
	if version == "" {
		version = "dev"
	}
	b := &Backend{Client: c, agent: "skaerm/" + version, changed: make(chan struct{})}
	b.token.Store(&token)
	return b, nil
}

// Token is the device token requests carry now; "" while the screen is not
// paired (requests then fail with ErrConfig and login is not offered).
func (b *Backend) Token() string {
	if p := b.token.Load(); p != nil {
		return *p
	}
	return ""
}

// SetToken changes the device token every later request carries, of the
// sync, the login and any other user of b; "" clears it. Whoever waits on
// TokenChanged learns of it.
func (b *Backend) SetToken(tok string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.token.Store(&tok)
	close(b.changed)
	b.changed = make(chan struct{})
}

// TokenChanged returns a channel that is closed at the next SetToken. Take
// it before reading Token, so that no change is missed in between.
func (b *Backend) TokenChanged() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.changed
}

// hasToken reports whether requests carry a device token.
func (b *Backend) hasToken() bool { return b.Token() != "" }

// parseBase checks the configured backend address. https is required except
// for a backend on the screen itself (loopback), where plain http is allowed.
func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: backend address %q is not a URL like https://manager.example.dk", ErrConfig, raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: backend address must not carry a user, query or fragment", ErrConfig)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%w: backend address %s must use https (plain http only for a backend on this machine)", ErrConfig, u.Host)
		}
	default:
		return nil, fmt.Errorf("%w: backend address must start with https://", ErrConfig)
	}
	u.Path = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), apiPrefix)
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin compares scheme, host and port (default ports made explicit).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if !sameOrigin(req.URL, c.base) {
		return fmt.Errorf("%w (to %s://%s)", ErrForeignRedirect, req.URL.Scheme, req.URL.Host)
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrBackendFailed, maxRedirects)
	}
	return nil
}

// url builds the address of an API path such as "/board".
func (b *Backend) url(path string, q url.Values) string {
	u := *b.base
	u.Path = strings.TrimRight(u.Path, "/") + apiPrefix + path
	if q != nil {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// newRequest makes a request to the backend with the token and User-Agent.
func (b *Backend) newRequest(ctx context.Context, method, path string, q url.Values, body []byte, contentType string) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	tok := b.Token() // read once: the token checked is the token sent
	if tok == "" {
		return nil, fmt.Errorf("%s %s: %w: no device token (pair the screen first)", method, path, ErrConfig)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.url(path, q), r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("User-Agent", b.agent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// do sends req and classifies failures into the package's named errors. A
// non-nil response has a 2xx, 304 or 409 status, or another 4xx the caller
// handles; 401 becomes ErrUnauthorized and 5xx/429 ErrBackendFailed.
func (b *Backend) do(c *http.Client, req *http.Request) (*http.Response, error) {
	op := req.Method + " " + strings.TrimPrefix(req.URL.Path, b.base.Path+apiPrefix)
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, classify(err))
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		drain(resp)
		return nil, fmt.Errorf("%s: %w", op, ErrUnauthorized)
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout:
		drain(resp)
		return nil, fmt.Errorf("%s: %w: %s", op, ErrBackendFailed, resp.Status)
	case resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.StatusCode != http.StatusNotModified:
		drain(resp)
		return nil, fmt.Errorf("%s: %w: %s without a usable Location", op, ErrBackendFailed, resp.Status)
	}
	return resp, nil
}

// classify maps a client error to a named error, keeping the detail.
func classify(err error) error {
	var cert *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	switch {
	case errors.Is(err, ErrForeignRedirect):
		return ErrForeignRedirect
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &cert), errors.As(err, &unknownAuth), errors.As(err, &invalid), errors.As(err, &hostname):
		return fmt.Errorf("%w: %v", ErrCertificate, err)
	case errors.Is(err, ErrBackendFailed):
		return err
	}
	return fmt.Errorf("%w: %v", ErrBackendUnreachable, unwrapURL(err))
}

// unwrapURL drops the *url.Error wrapper, whose text repeats the method and
// the whole address, query included.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readLimited reads a whole body, failing with ErrTooLarge past limit bytes.
func readLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w: %v", what, ErrBackendUnreachable, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: the %s is over %d bytes (raise the limit or shrink it at the backend)", ErrTooLarge, what, limit)
	}
	return b, nil
}

// drain reads a little of an unwanted body so the connection can be reused,
// and closes it.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}

// mediaType returns the media type of a Content-Type header, lower case and
// without parameters.
func mediaType(h string) string {
	mt, _, err := mime.ParseMediaType(h)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(h))
	}
	return mt
}

// serverOffset is the backend's clock minus ours, from its Date header.
func serverOffset(resp *http.Response, local time.Time) (time.Duration, bool) {
	d := resp.Header.Get("Date")
	if d == "" {
		return 0, false
	}
	t, err := http.ParseTime(d)
	if err != nil {
		return 0, false
	}
	return t.Sub(local), true
}

// verifyPeer verifies the backend's certificate chain as crypto/tls would
// (to a trusted authority, for host, not expired), with one difference: a
// certificate not yet valid by the local clock is accepted. A Pi has no
// real-time clock: it boots behind, in 1970 without a saved time, and the
// screen learns the time from the backend's Date header, which needs this
// very connection first (found in the field lab: a screen booted without
// NTP never reached its backend). So the chain is checked at now or at the
// latest NotBefore of the certificates the backend sent, whichever is
// later: a certificate that has expired by the screen's clock is still
// refused, and since that clock can only be behind, so is one expired by
// the real time as far as the screen can know. host is the backend's: the
// client talks to its own origin only (checkRedirect).
func verifyPeer(cs tls.ConnectionState, roots *x509.CertPool, host string, now time.Time) error {
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		return errors.New("tls: the backend sent no certificate")
	}
	at := now
	inter := x509.NewCertPool()
	for i, c := range certs {
		if i > 0 {
			inter.AddCert(c)
		}
		if c.NotBefore.After(at) {
			at = c.NotBefore
		}
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: host, CurrentTime: at})
	if err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}
