package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/damage"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"
)

// framebuffer is Xvfb's screen as the X server holds it: the file Xvfb
// keeps its framebuffer in (-fbdir, XWD format), mapped into memory, so a
// frame is read without a request to the X server.
type framebuffer struct {
	mem    []byte
	pixels []byte // mem past the XWD header and colour map
	w, h   int
}

func openFramebuffer(path string) (*framebuffer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	if len(mem) < 100 {
		return nil, errors.New("framebuffer file too short")
	}
	be := binary.BigEndian
	header := int(be.Uint32(mem[0:]))
	w, h := int(be.Uint32(mem[16:])), int(be.Uint32(mem[20:]))
	bpl := int(be.Uint32(mem[48:]))
	ncolors := int(be.Uint32(mem[76:]))
	off := header + 12*ncolors
	if off+bpl*h > len(mem) {
		return nil, fmt.Errorf("framebuffer %dx%d does not fit its file", w, h)
	}
	return &framebuffer{mem: mem, pixels: mem[off : off+bpl*h], w: w, h: h}, nil
}

func (fb *framebuffer) close() { syscall.Munmap(fb.mem) }

// copyInto copies the current picture into buf (grown as needed).
func (fb *framebuffer) copyInto(buf []byte) []byte {
	buf = append(buf[:0], fb.pixels...)
	return buf
}

// equal reports whether the screen now shows the picture in buf.
func (fb *framebuffer) equal(buf []byte) bool { return string(fb.pixels) == string(buf) }

// damages reports each batch of X Damage on the root window: whenever the X
// server has changed any part of the screen. Every event is read, so a
// batch is what was queued when the reader looked.
type damages struct {
	conn *xgb.Conn
	c    chan time.Time
	area atomic.Int64 // pixels damaged so far: a whole frame presented adds the screen's
}

func watchDamage(disp string) (*damages, error) {
	conn, err := xgb.NewConnDisplay(disp)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", disp, err)
	}
	if err := xfixes.Init(conn); err != nil {
		conn.Close()
		return nil, fmt.Errorf("XFixes: %w", err)
	}
	if _, err := xfixes.QueryVersion(conn, 5, 0).Reply(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("XFixes version: %w", err)
	}
	if err := damage.Init(conn); err != nil {
		conn.Close()
		return nil, fmt.Errorf("Damage: %w", err)
	}
	if _, err := damage.QueryVersion(conn, 1, 1).Reply(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("Damage version: %w", err)
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	id, err := damage.NewDamageId(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := damage.CreateChecked(conn, id, xproto.Drawable(root), damage.ReportLevelRawRectangles).Check(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("damage on the root window: %w", err)
	}
	d := &damages{conn: conn, c: make(chan time.Time, 1)}
	go func() {
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				close(d.c)
				return
			}
			n, ok := ev.(damage.NotifyEvent)
			if !ok {
				continue
			}
			d.area.Add(int64(n.Area.Width) * int64(n.Area.Height))
			// Coalesce: the watcher only needs to know that something
			// changed since it last looked.
			select {
			case d.c <- time.Now():
			default:
			}
		}
	}()
	return d, nil
}

func (d *damages) close() { d.conn.Close() }
