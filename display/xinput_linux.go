//go:build linux && !android

package display

/*
#cgo LDFLAGS: -lX11 -lXi
#include <stdlib.h>
#include <unistd.h>
#include <poll.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <X11/extensions/XInput2.h>

// presses is a second connection to the X server that hears every press and
// release of the first button, and every touch of a touch screen, as
// XInput2 raw events, which X delivers in full however short the tap. A
// touch screen's finger is not a raw button event: the X server turns a
// touch into pointer events for the windows that do not ask for touches
// (pointer emulation), but reports it raw only as RawTouchBegin and
// RawTouchEnd (XInput 2.2).
typedef struct {
	Display *dpy;
	int opcode;
	int wake[2]; // written to by presses_close: the reader returns
	Atom pid;
	Window child, win; // the last top-level window pressed on, and ours in it
} presses;

static const char *presses_open(presses *p) {
	int ev, err, major = 2, minor = 2;
	unsigned char bits[XIMaskLen(XI_LASTEVENT)] = {0};
	XIEventMask mask;
	p->dpy = XOpenDisplay(NULL);
	if (p->dpy == NULL) {
		return "cannot open the X display";
	}
	if (!XQueryExtension(p->dpy, "XInputExtension", &p->opcode, &ev, &err) ||
		XIQueryVersion(p->dpy, &major, &minor) != Success) {
		XCloseDisplay(p->dpy);
		return "the X server has no XInput 2";
	}
	if (pipe(p->wake) != 0) {
		XCloseDisplay(p->dpy);
		return "cannot make a pipe";
	}
	XISetMask(bits, XI_RawButtonPress);
	XISetMask(bits, XI_RawButtonRelease);
	if (major > 2 || (major == 2 && minor >= 2)) {
		XISetMask(bits, XI_RawTouchBegin);
		XISetMask(bits, XI_RawTouchEnd);
	}
	mask.deviceid = XIAllMasterDevices;
	mask.mask_len = sizeof bits;
	mask.mask = bits;
	XISelectEvents(p->dpy, DefaultRootWindow(p->dpy), &mask, 1);
	p->pid = XInternAtom(p->dpy, "_NET_WM_PID", False);
	XFlush(p->dpy);
	return NULL;
}

// ours reports whether w (or one of its children: a window manager's
// frame) is a window of this process.
static Window ours(presses *p, Window w, int depth) {
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	Window root, parent, *kids = NULL, found = None;
	unsigned int nkids, i;
	if (w == None) {
		return None;
	}
	if (XGetWindowProperty(p->dpy, w, p->pid, 0, 1, False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success && data != NULL) {
		if (n == 1 && format == 32 && *(unsigned long *)data == (unsigned long)getpid()) {
			found = w;
		}
		XFree(data);
	}
	if (found != None || depth == 0) {
		return found;
	}
	if (XQueryTree(p->dpy, w, &root, &parent, &kids, &nkids)) {
		for (i = 0; i < nkids && found == None; i++) {
			found = ours(p, kids[i], depth - 1);
		}
		if (kids != NULL) {
			XFree(kids);
		}
	}
	return found;
}

// The kinds of event presses_next returns.
enum { PRESS_UP = 0, PRESS_DOWN = 1, TOUCH_BEGIN = 2, TOUCH_END = 3, PRESSES_CLOSED = -1 };

// presses_next waits for the next press or release of the first button, or
// the next touch beginning or ending (*touch is its id), on a window of this
// process and returns its kind and where, in the window's pixels (for a
// touch: where the X server's emulated pointer is, which follows the finger
// it emulates); PRESSES_CLOSED when presses_close was called or the
// connection broke.
static int presses_next(presses *p, int *x, int *y, unsigned int *touch) {
	XEvent ev;
	struct pollfd fds[2];
	for (;;) {
		while (!XPending(p->dpy)) {
			fds[0].fd = ConnectionNumber(p->dpy);
			fds[0].events = POLLIN;
			fds[1].fd = p->wake[0];
			fds[1].events = POLLIN;
			if (poll(fds, 2, -1) < 0) {
				continue;
			}
			if (fds[1].revents != 0 || (fds[0].revents & (POLLERR | POLLHUP)) != 0) {
				return PRESSES_CLOSED;
			}
		}
		XNextEvent(p->dpy, &ev);
		if (ev.xcookie.type != GenericEvent || ev.xcookie.extension != p->opcode || !XGetEventData(p->dpy, &ev.xcookie)) {
			continue;
		}
		int type = ev.xcookie.evtype;
		int detail = ((XIRawEvent *)ev.xcookie.data)->detail;
		XFreeEventData(p->dpy, &ev.xcookie);
		int kind;
		switch (type) {
		case XI_RawButtonPress:
		case XI_RawButtonRelease:
			if (detail != 1) {
				continue;
			}
			kind = type == XI_RawButtonPress ? PRESS_DOWN : PRESS_UP;
			break;
		case XI_RawTouchBegin:
		case XI_RawTouchEnd:
			kind = type == XI_RawTouchBegin ? TOUCH_BEGIN : TOUCH_END;
			*touch = (unsigned int)detail;
			break;
		default:
			continue;
		}
		Window root, child, win, c;
		int rx, ry, wx, wy;
		unsigned int state;
		if (!XQueryPointer(p->dpy, DefaultRootWindow(p->dpy), &root, &child, &rx, &ry, &wx, &wy, &state)) {
			continue;
		}
		// Asking whose the window is takes round trips to the X server,
		// which a tap waits for: ask once per window pressed on.
		if (child == None || child != p->child) {
			p->child = child;
			p->win = ours(p, child, 2);
		}
		win = p->win;
		if (win == None || !XTranslateCoordinates(p->dpy, root, win, rx, ry, x, y, &c)) {
			continue; // a press on another window, or outside any
		}
		return kind;
	}
}

static void presses_close(presses *p) {
	char b = 0;
	if (write(p->wake[1], &b, 1) < 0) {
	}
}

static void presses_free(presses *p) {
	XCloseDisplay(p->dpy);
	close(p->wake[0]);
	close(p->wake[1]);
}
*/
import "C"

import (
	"context"
	"errors"
	"sync"
)

// xPresses reads the X server's raw button and touch events: Ebitengine
// samples the button once per tick (and GLFW's sticky buttons are off in the mode that
// lets the loop sleep), so a press and release that arrive between two
// ticks would be lost. X delivers each of them here, in order.
type xPresses struct {
	p C.presses
}

// openPresses connects to the X display; the error says why the screen
// falls back to Ebitengine's sampled mouse state.
func openPresses() (*xPresses, error) {
	x := &xPresses{}
	if msg := C.presses_open(&x.p); msg != nil {
		return nil, errors.New(C.GoString(msg))
	}
	return x, nil
}

// run calls fn with every press (down) and release (up) on this process's
// window, in window pixels, until ctx ends; then it closes the connection.
func (x *xPresses) run(ctx context.Context, fn func(down bool, px, py int)) {
	var mu sync.Mutex
	freed := false
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !freed {
			C.presses_close(&x.p)
		}
	})
	defer func() {
		stop()
		mu.Lock()
		defer mu.Unlock()
		freed = true
		C.presses_free(&x.p)
	}()
	var finger touchPointer
	for {
		var px, py C.int
		var id C.uint
		switch C.presses_next(&x.p, &px, &py, &id) {
		case C.PRESSES_CLOSED:
			return
		case C.PRESS_DOWN:
			fn(true, int(px), int(py))
		case C.PRESS_UP:
			fn(false, int(px), int(py))
		case C.TOUCH_BEGIN:
			if finger.begin(uint32(id)) {
				fn(true, int(px), int(py))
			}
		case C.TOUCH_END:
			if finger.end(uint32(id)) {
				fn(false, int(px), int(py))
			}
		}
	}
}
