//go:build !linux

package clock

import "errors"

// KernelSynced is not available off Linux: the clock is never NTP-trusted
// there, only corrected by the backend.
func KernelSynced() (bool, error) {
	return false, errors.New("kernel clock state: only available on Linux")
}
