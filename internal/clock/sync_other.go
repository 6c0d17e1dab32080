//go:build !linux

package clock

import (
	"errors"
	"time"
)

// KernelSynced is not available off Linux: the clock is never NTP-trusted
// there, only corrected by the backend.
func KernelSynced() (bool, error) {
	return false, errors.New("kernel clock state: only available on Linux")
}

// Uptime is unknown off Linux: a kept clock offset is not carried past a
// restart there.
func Uptime() time.Duration { return 0 }
