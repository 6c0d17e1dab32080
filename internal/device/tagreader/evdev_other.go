//go:build !linux

package tagreader

import (
	"context"
	"errors"
)

// Evdev is a keyboard-wedge reader; only Linux has evdev.
type Evdev struct{}

// OpenEvdev fails: only Linux has evdev.
func OpenEvdev(path string) (*Evdev, error) { return nil, errors.New("tag readers need Linux evdev") }

// Close does nothing.
func (d *Evdev) Close() error { return nil }

// Run fails.
func (d *Evdev) Run(ctx context.Context, onTag func(string)) error {
	return errors.New("tag readers need Linux evdev")
}
