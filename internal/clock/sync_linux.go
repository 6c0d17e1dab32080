//go:build linux

package clock

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// timesyncFlag is the file systemd-timesyncd creates once it has
// synchronised the clock; it stands in for adjtimex where the service's
// sandbox (ProtectClock=) refuses even a read-only adjtimex.
const timesyncFlag = "/run/systemd/timesync/synchronized"

// maxSyncedError is the kernel's maximum error (in µs) past which a clock no
// longer counts as synchronised: the kernel's own limit, 16 s.
const maxSyncedError = 16_000_000

// KernelSynced asks the kernel (adjtimex, read-only, no privileges needed)
// whether an NTP client such as systemd-timesyncd keeps the clock in sync,
// as `timedatectl` does. Where the sandbox refuses adjtimex, it asks
// systemd-timesyncd's flag file instead.
func KernelSynced() (bool, error) {
	var tx unix.Timex // Modes 0: read only
	state, err := unix.Adjtimex(&tx)
	if errors.Is(err, unix.EPERM) {
		_, serr := os.Stat(timesyncFlag)
		if serr == nil {
			return true, nil
		}
		if errors.Is(serr, os.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("adjtimex refused, and %s: %w", timesyncFlag, serr)
	}
	if err != nil {
		return false, fmt.Errorf("adjtimex: %w", err)
	}
	synced := state != unix.TIME_ERROR && tx.Status&unix.STA_UNSYNC == 0 && tx.Maxerror < maxSyncedError
	return synced, nil
}

// Uptime is the time since boot (CLOCK_BOOTTIME): it counts on however the
// wall clock is set, so a kept clock offset can tell a step of the wall
// clock from time passing. 0 when the kernel does not say.
func Uptime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
