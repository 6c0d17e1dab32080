package sync

import "errors"

// Errors a caller can branch on with errors.Is. Each is wrapped with the
// operation and the detail that helps a technician on site.
var (
	// ErrUnauthorized means the backend refused the device token (401). The
	// screen must be paired again; the cached board stays on screen meanwhile.
	ErrUnauthorized = errors.New("the backend does not accept this screen's token: pair the screen again")

	// ErrBackendUnreachable means no answer came back: no network, DNS
	// failure, connection refused or a timeout. Check the network and the
	// backend address.
	ErrBackendUnreachable = errors.New("the backend cannot be reached: check the network and the backend address")

	// ErrBackendFailed means the backend answered with an error status
	// (5xx, 429 or another unexpected one). It is retried with backoff.
	ErrBackendFailed = errors.New("the backend answered with an error")

	// ErrCertificate means the backend's TLS certificate is not trusted or
	// not valid now (check the screen's clock, or give the CA with CAFile).
	ErrCertificate = errors.New("the backend's certificate is not trusted: check the screen's clock and the CA file")

	// ErrTooLarge means a response was larger than the configured limit.
	ErrTooLarge = errors.New("the backend's answer is larger than the screen accepts")

	// ErrBadBoard means the board document could not be decoded; the cached
	// board is kept.
	ErrBadBoard = errors.New("the backend sent a board the screen cannot read")

	// ErrBadMedia means an image failed a check (type, size, hash or
	// dimensions) or could not be decoded. It is skipped and retried on the
	// next sync; the screen shows initials or no picture meanwhile.
	ErrBadMedia = errors.New("the backend sent an image the screen does not accept")

	// ErrForeignRedirect means the backend redirected to another origin
	// (scheme, host or port). The screen never follows such a redirect, so
	// its token is never sent anywhere but the configured backend.
	ErrForeignRedirect = errors.New("the backend redirected to another address, which the screen does not follow")

	// ErrConfig means the Options given to New are not usable.
	ErrConfig = errors.New("sync configuration is not usable")
)

// errSSELineTooLong means an event-stream line or event exceeded the
// parser's limit; the stream is dropped and reconnected.
var errSSELineTooLong = errors.New("event stream line too long")
