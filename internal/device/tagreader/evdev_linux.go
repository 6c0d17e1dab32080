//go:build linux

package tagreader

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// eviocgrab is EVIOCGRAB, _IOW('E', 0x90, int): while grabbed, the device's
// events go to this file only, not to X or a console.
const eviocgrab = 0x40044590

// Evdev is a grabbed keyboard-wedge reader.
type Evdev struct {
	f    *os.File
	path string
}

// OpenEvdev opens the input device at path (e.g.
// /dev/input/by-id/usb-...-event-kbd) and grabs it.
func OpenEvdev(path string) (*Evdev, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open tag reader %s: %w", path, err)
	}
	if err := unix.IoctlSetInt(fd, eviocgrab, 1); err != nil {
		unix.Close(fd)
		if errors.Is(err, unix.EBUSY) {
			return nil, fmt.Errorf("grab tag reader %s: another program holds it: %w", path, err)
		}
		return nil, fmt.Errorf("grab tag reader %s (is it an input event device?): %w", path, err)
	}
	// A non-blocking descriptor joins Go's poller, so Close ends a Read.
	return &Evdev{f: os.NewFile(uintptr(fd), path), path: path}, nil
}

// Close releases the grab and the device.
func (d *Evdev) Close() error { return d.f.Close() }

// Run hands every tag id the reader types to onTag until ctx ends or the
// device goes away (unplugged: the error says so).
func (d *Evdev) Run(ctx context.Context, onTag func(string)) error {
	stop := context.AfterFunc(ctx, func() { d.f.Close() })
	defer stop()
	err := ReadTags(d.f, onTag)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, unix.ENODEV) {
		return fmt.Errorf("tag reader %s was unplugged: %w", d.path, err)
	}
	return fmt.Errorf("read tag reader %s: %w", d.path, err)
}
