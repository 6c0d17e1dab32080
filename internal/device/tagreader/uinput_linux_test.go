//go:build linux

package tagreader

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"skaerm/internal/testkit/wait"
)

// uinput ioctls (linux/uinput.h).
const (
	uiSetEvBit   = 0x40045564 // _IOW('U', 100, int)
	uiSetKeyBit  = 0x40045565 // _IOW('U', 101, int)
	uiDevSetup   = 0x405c5503 // _IOW('U', 3, struct uinput_setup)
	uiDevCreate  = 0x5501     // _IO('U', 1)
	uiDevDestroy = 0x5502     // _IO('U', 2)
)

// uiGetSysname is UI_GET_SYSNAME(len): _IOC(_IOC_READ, 'U', 44, len).
func uiGetSysname(n int) uint { return 2<<30 | uint(n)<<16 | 'U'<<8 | 44 }

type uinputSetup struct {
	bustype, vendor, product, version uint16
	name                              [80]byte
	ffEffectsMax                      uint32
}

// virtualReader makes a keyboard through uinput and returns its uinput
// descriptor and its event device, or skips the test saying why.
func virtualReader(t *testing.T) (int, string) {
	t.Helper()
	if _, err := os.Stat("/dev/uinput"); err != nil {
		t.Skipf("no uinput device to fake a tag reader with (%v): the kernel lacks the uinput module or the container hides it", err)
	}
	fd, err := unix.Open("/dev/uinput", unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("cannot open /dev/uinput (%v): a virtual tag reader needs write access to it", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	must := func(what string, err error) {
		if err != nil {
			t.Skipf("uinput %s: %v", what, err)
		}
	}
	must("EV_KEY", unix.IoctlSetInt(fd, uiSetEvBit, evKey))
	for code := range keyChars {
		must("key", unix.IoctlSetInt(fd, uiSetKeyBit, int(code)))
	}
	must("enter", unix.IoctlSetInt(fd, uiSetKeyBit, keyEnter))
	setup := uinputSetup{bustype: 0x03, vendor: 0xffff, product: 0x0035, version: 1}
	copy(setup.name[:], "skaerm test tag reader")
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uiDevSetup, uintptr(unsafe.Pointer(&setup)))
	if errno != 0 {
		must("setup", errno)
	}
	_, _, errno = unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uiDevCreate, 0)
	if errno != 0 {
		must("create", errno)
	}
	t.Cleanup(func() { unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uiDevDestroy, 0) })
	var name [64]byte
	_, _, errno = unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(uiGetSysname(len(name))), uintptr(unsafe.Pointer(&name[0])))
	if errno != 0 {
		must("sysname", errno)
	}
	sys := filepath.Join("/sys/devices/virtual/input", strings.TrimRight(string(name[:]), "\x00"))
	var dev string
	ok := wait.For(func() bool {
		m, _ := filepath.Glob(filepath.Join(sys, "event*"))
		if len(m) == 0 {
			return false
		}
		dev = filepath.Join("/dev/input", filepath.Base(m[0]))
		_, err := os.Stat(dev)
		return err == nil
	}, 10*time.Second)
	if !ok {
		t.Skipf("the virtual reader %s got no /dev/input node within 10 s (no devtmpfs or udev here)", sys)
	}
	return fd, dev
}

// TestEvdevUinput types two ids on a virtual keyboard and reads them from
// the grabbed device; a second grab of the same device is refused.
func TestEvdevUinput(t *testing.T) {
	ufd, dev := virtualReader(t)
	r, err := OpenEvdev(dev)
	if errors.Is(err, os.ErrPermission) {
		t.Skipf("the virtual reader %s cannot be opened by this user: %v", dev, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if again, err := OpenEvdev(dev); err == nil {
		again.Close()
		t.Error("a second grab of the reader succeeded: the first did not grab it")
	} else if !errors.Is(err, unix.EBUSY) {
		t.Errorf("second grab: %v, want EBUSY", err)
	}

	tags := make(chan string, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, func(tag string) { tags <- tag }) }()
	for _, id := range []string{"0008123456", "04A1B2C3D4E5F6"} {
		var b []byte
		now := time.Duration(time.Now().UnixNano())
		for _, e := range typed(now, id) {
			if e.Type == evMsc || e.Code == keyLShift {
				continue // the virtual keyboard has neither
			}
			b = AppendEvent(b, e)
		}
		if _, err := unix.Write(ufd, b); err != nil {
			t.Fatalf("write to uinput: %v", err)
		}
		select {
		case got := <-tags:
			if got != strings.ToLower(id) {
				t.Errorf("read %q, want %q", got, strings.ToLower(id))
			}
		case <-time.After(wait.Limit):
			t.Fatalf("no tag read for %s", id)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel: %v", err)
	}
}
