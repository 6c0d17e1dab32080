//go:build linux

package clock

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// maxSyncedError is the kernel's maximum error (in µs) past which a clock no
// longer counts as synchronised: the kernel's own limit, 16 s.
const maxSyncedError = 16_000_000

// KernelSynced asks the kernel (adjtimex, read-only, no privileges needed)
// whether an NTP client such as systemd-timesyncd keeps the clock in sync,
// as `timedatectl` does.
func KernelSynced() (bool, error) {
	var tx unix.Timex // Modes 0: read only
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		return false, fmt.Errorf("adjtimex: %w", err)
	}
	synced := state != unix.TIME_ERROR && tx.Status&unix.STA_UNSYNC == 0 && tx.Maxerror < maxSyncedError
	return synced, nil
}
