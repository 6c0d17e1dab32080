// Package reliability proves, with figures, that a screen survives what a
// wall in a care home does to it for years: power cuts at any moment, a
// backend having a bad day, a full or read-only SD card, days of running
// without a restart, and that it keeps residents' private data to itself.
//
// # Basics
//
// The package is mostly tests, run against the real parts: the skaerm binary
// built into a temporary directory, the reference backend started in-process
// on loopback, real bbolt cache files. Each test has a quick form that runs
// in the default `go test ./...` and a long form enabled with SKAERM_LONG=1
// (build/reliability.sh runs the long forms and prints a summary):
//
//   - TestCrashSafety SIGKILLs `skaerm sync` at random moments and checks the
//     cache after each kill (one whole generation, no sign-up lost, none
//     applied twice).
//   - TestBackendFaults runs every fault of the reference backend and a set
//     of malformed answers against a cache that holds a good board.
//   - TestDiskFull and TestDiskReadOnly put the cache on a 1 MiB tmpfs and a
//     read-only bind mount.
//   - TestPrivacyAudit searches logs, status posts and every file beside the
//     cache for the demo's secrets.
//   - The security tests check the token file mode, TLS verification,
//     redirects, the admin API's loopback rule and that the screen opens no
//     listening port.
//   - TestSoak runs days of simulated time against a fake clock and samples
//     heap, goroutines and open files every simulated hour.
//
// With SKAERM_RELIABILITY_OUT set to a directory, the tests also write their
// tables there (crash.txt, faults.txt, disk.txt, privacy.txt, soak.txt and
// the hourly samples in soak.csv) for the script's summary. SKAERM_KILLS,
// SKAERM_SEED and SKAERM_SOAK_DAYS override the harness's kill count, random
// seed and simulated days; SKAERM_SOAK_HEAPPROFILE names a file for a heap
// profile taken at the end of the soak, while everything still runs.
//
// The non-test helpers read /proc: ListeningSockets finds the TCP sockets a
// process listens on, OpenFDs counts a process's open files.
//
// # Caveats
//
// Linux only (/proc, mount, SIGKILL). The disk tests mount a tmpfs and a bind
// mount and skip, saying so, where the sandbox forbids mounting. A SIGKILL is
// not a power cut: the kernel still writes out the page cache, so the crash
// test proves the cache's transaction and rename discipline, not the SD
// card's own behaviour when power drops mid-write.
package reliability
