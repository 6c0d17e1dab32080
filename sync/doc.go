// Package sync brings the department's board from the backend to the screen
// and the screen's sign-ups back to the backend. It is the only part of the
// screen that talks to the network, and the place where the privacy policy is
// enforced: what the backend sends is decoded into types that only have the
// permitted fields, filtered (hidden profiles, anonymized profiles, external
// profiles, invisible news and photos) and only then handed to the cache,
// which keeps the days of its window (cache.Window) and nothing else: an
// external profile signed up to nothing in it is not stored either.
//
// # Basics
//
// Decode turns a board document into a board.Board; it is pure and is what
// the policy tests exercise. A Backend is the screen's connection to its
// backend: one Client (one pool of connections) and the one device token.
// The running screen's Syncer, personal Login and pairing share one: the
// token set on it after pairing is what each of them sends next, and once
// it is cleared (the backend refused it) none of them sends it again. A
// Syncer keeps the cache in step over its Backend:
// SyncOnce sends pending sign-ups, fetches the board with a conditional GET,
// fetches and checks missing media and posts the screen's status; Run does
// that in a loop, driven by the backend's event stream (/events), a jittered
// polling fallback, exponential backoff on errors and the cache's outbox.
//
// # Caveats
//
//   - Only the configured backend origin is ever contacted: redirects to
//     another scheme, host or port are refused, and plain http is accepted
//     only for a loopback backend. TLS verification cannot be switched off;
//     Options.CAFile adds a CA to the system pool. Proxy settings in the
//     environment are not used. NewClient is that client, and every
//     Backend has one: the running screen's pairing goes through its
//     Backend's, and `skaerm pair` and `skaerm doctor` make one of their
//     own, so they keep the same promises.
//   - A board that fails to decode leaves the cache untouched. Single items
//     that break the contract (no id, a time without offset, an unknown meal
//     or shift kind) are dropped and logged by id; the rest of the board is
//     kept.
//   - Media are re-encoded before they are stored (avatars as 256x256 PNG,
//     photos as JPEG within 1920x1080), which also drops any EXIF metadata.
//     The cache keys them by the hash of the bytes the backend sent. An
//     image whose decoding would cost more than its size pays for (too many
//     pixels, too few bytes for its pixels, a JPEG of more than 32 scans)
//     is refused before any pixel is decoded.
//   - The board's weather (Screen API v1.1) is read only from a backend
//     whose GET /capabilities offers it (asked again hourly; a 404 means
//     plain v1). Weather with a value out of bounds or an unknown symbol is
//     dropped whole with a note; the rest of the board is kept.
//   - Booking on the screen (Screen API v1.2) is used only with a backend
//     whose capabilities name "bookables": then the board's bookables are
//     read and a booking or cancellation in the outbox (item type booking)
//     goes to POST /bookings, the board fetched right after it. Otherwise
//     no bookables are stored, bookings stay plain (v1), and a booking in
//     the outbox is refused on the screen as unknown_resource without a
//     request; before the screen has heard the capabilities it asks, and a
//     booking waits while it cannot tell. A bookable that breaks the
//     contract (rules that contradict each other, more than 96 slots a
//     day) is dropped with a note, a bad slot time alone; of two bookings
//     of one bookable that overlap, the one starting first is kept.
//   - A 401 from the backend ends Run with ErrUnauthorized: the screen must
//     be paired again. The cache is kept.
//   - Decode is silent; the Syncer logs what the filter dropped, by id only.
//     Names never reach a log line or an error.
//   - SyncOnce fetches missing media one after the other; a screen's first
//     sync with many new pictures keeps the loop busy for a while (events
//     wait meanwhile, nothing is lost).
//   - The department's time zone comes from the embedded zone database
//     (time/tzdata), so a system without zoneinfo still shows local times.
package sync
