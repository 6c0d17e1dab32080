// Package backend is skaerm's reference backend: a real HTTP server that
// speaks the Screen API (docs/screen-api-v1.md) to screens, an
// admin API that stands in for the Manager, a pairing page, and a staff
// preview of the day's board as a web page. cmd/skaerm-backend runs it; the
// project's tests start it in-process on loopback with Start.
//
// # Basics
//
// New opens a bbolt store in Options.DataDir (backend.db). With
// Options.Demo an empty store is seeded with a demo care home: two
// departments (d1 Solsikken, d2 Havblik) in Europe/Copenhagen, about forty
// residents and sixteen staff with drawn avatars, and fifteen days of
// activities, meals, shifts, bookings, a house meeting, news and photos,
// with three resources to book on the screen (the laundry, the minibus and
// the guest room). The demo is a pure function of the day: DemoBoard
// returns the same bytes a fresh demo server serves, and Board.Secrets
// lists what a screen must never keep. Every profile carries the private fields a screen must drop (last
// name, e-mail, phone, CPR, birthday, notes) and a few the contract does not
// name; some profiles are hidden, some anonymized, one is external.
//
// Screens authenticate with a bearer device token: one of Options.Tokens
// (bound to the first department) or one issued by the RFC 8628 device flow
// after staff approve the code (Admin.ApprovePairing or the /pair page).
// The board's ETag is the SHA-256 of its exact bytes, and generated_at is
// the time of the department's last change, so an unchanged board keeps its
// ETag. Sign-ups are idempotent by id and every arrival is recorded
// (Admin.Signups). Bookings made on a screen (Screen API v1.2, POST
// /bookings) are checked against their Bookable's rules in the
// department's time zone and stored in the same write that checked them,
// so two screens asking for one time get one booking; they are idempotent
// by the screen's id too (Admin.BookingRequests). A change pushes a sync
// event down /events.
//
// Admin requests from loopback need no token; others need
// Options.AdminToken. Admin.SetFault makes the Screen API fail on purpose
// (refused connections, 503s, truncated or huge bodies, stalled streams).
//
// # Caveats
//
// A demo store is reseeded at start when its day has passed and no admin
// edit touched it since, so sign-ups made on an old demo day are dropped; a
// long-running demo server shows a shrinking window until restarted. Demo
// pictures are drawn once per process and shared by every server in it.
// Pairing codes live in memory only; issued tokens are stored.
package backend
