package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"skaerm/internal/clock"
	"testing"
	"time"

	"skaerm/cache"
)

// TestRestartKeepsBackendClock: the screen started again in the same boot
// goes on with the clock offset its cache file holds; an offset kept in
// another boot is not used.
func TestRestartKeepsBackendClock(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range []struct {
		name string
		boot string // the boot id the offset was stamped with; "" is this boot's
		kept bool
	}{
		{"same boot", "", true},
		{"another boot", "a-boot-before-this-one", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			c, err := cache.Open(path, cache.Options{Clock: clock.Real{}, BootID: tt.boot})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.SetClockOffset(72 * time.Hour); err != nil {
				t.Fatal(err)
			}
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			c, err = cache.Open(path, cache.Options{Clock: clock.Real{}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			trusted := newTrusted(c, log)
			if got := trusted.Dropped() == ""; got != tt.kept {
				t.Fatalf("offset kept = %t (dropped: %q), want %t", got, trusted.Dropped(), tt.kept)
			}
		})
	}
}
