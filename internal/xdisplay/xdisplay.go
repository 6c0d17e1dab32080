// Package xdisplay says whether an X display can be opened, without a
// graphics library: it connects to the X server named by DISPLAY, offers the
// cookie from XAUTHORITY as the X libraries do, and reads the server's
// answer to the connection setup. skaerm asks it before handing `run` and
// `snapshot` over to skaerm-screen, whose graphics library cannot even start
// without a display, so a technician gets one plain sentence instead.
//
// # Caveats
//
// Only MIT-MAGIC-COOKIE-1 (what X servers, xvfb-run and display managers
// use) is offered; a server that wants another scheme refuses, and Open
// says so. A connection that is accepted is closed at once.
package xdisplay

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Errors a caller branches on.
var (
	// ErrNoDisplay means DISPLAY is not set.
	ErrNoDisplay = errors.New("DISPLAY is not set")
	// ErrNoServer means nothing listens where the display should be.
	ErrNoServer = errors.New("no X server")
	// ErrRefused means the X server answered but refused the connection
	// (usually a missing or wrong XAUTHORITY cookie).
	ErrRefused = errors.New("the X server refused the connection")
)

// Display is a parsed DISPLAY value such as ":0", ":99.0" or "host:10".
type Display struct {
	Name   string // as given
	Host   string // "" or "unix" for the local socket
	Number string // the display number, "0"
}

// Parse reads a DISPLAY value.
func Parse(name string) (Display, error) {
	i := strings.LastIndex(name, ":")
	if i < 0 {
		return Display{}, fmt.Errorf("DISPLAY %q is not [host]:number[.screen]", name)
	}
	num, _, _ := strings.Cut(name[i+1:], ".")
	if _, err := strconv.Atoi(num); err != nil {
		return Display{}, fmt.Errorf("DISPLAY %q is not [host]:number[.screen]", name)
	}
	host := name[:i]
	if strings.HasPrefix(host, "/") { // launchd-style socket paths
		host = ""
	}
	return Display{Name: name, Host: host, Number: num}, nil
}

// Local reports whether the display is on this machine's socket.
func (d Display) Local() bool { return d.Host == "" || d.Host == "unix" }

// Socket is the local socket path of the display.
func (d Display) Socket() string { return "/tmp/.X11-unix/X" + d.Number }

// Options are where Open looks; the zero value reads the environment.
type Options struct {
	Display    string // "" reads $DISPLAY
	Xauthority string // "" reads $XAUTHORITY, else ~/.Xauthority
	Timeout    time.Duration
}

// Open connects to the display and completes the X connection setup. It
// returns nil when the server accepts the connection; else an error that
// says which display it tried, wrapping ErrNoDisplay, ErrNoServer or
// ErrRefused.
func Open(o Options) error {
	name := o.Display
	if name == "" {
		name = os.Getenv("DISPLAY")
	}
	if name == "" {
		return ErrNoDisplay
	}
	d, err := Parse(name)
	if err != nil {
		return err
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	conn, err := dial(d, timeout)
	if err != nil {
		return fmt.Errorf("display %s: %w (%v)", d.Name, ErrNoServer, err)
	}
	defer conn.Close()
	// real clock: a socket deadline.
	_ = conn.SetDeadline(time.Now().Add(timeout))
	authName, authData := cookie(xauthority(o.Xauthority), d)
	if _, err := conn.Write(setupRequest(authName, authData)); err != nil {
		return fmt.Errorf("display %s: %w (%v)", d.Name, ErrNoServer, err)
	}
	return readSetupReply(conn, d)
}

func dial(d Display, timeout time.Duration) (net.Conn, error) {
	if !d.Local() {
		n, _ := strconv.Atoi(d.Number)
		return net.DialTimeout("tcp", net.JoinHostPort(d.Host, strconv.Itoa(6000+n)), timeout)
	}
	conn, err := net.DialTimeout("unix", d.Socket(), timeout)
	if err == nil {
		return conn, nil
	}
	// Linux X servers also listen on the abstract socket of the same name.
	if c, aerr := net.DialTimeout("unix", "@"+d.Socket(), timeout); aerr == nil {
		return c, nil
	}
	return nil, err
}

func xauthority(path string) string {
	if path == "" {
		path = os.Getenv("XAUTHORITY")
	}
	if path == "" {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, ".Xauthority")
		}
	}
	return path
}

const cookieName = "MIT-MAGIC-COOKIE-1"

// Xauthority families that match a local display.
const (
	familyLocal = 256
	familyWild  = 65535
)

// cookie finds the MIT-MAGIC-COOKIE-1 for d in the Xauthority file; none
// when there is no file or no entry (the server may not want one).
func cookie(path string, d Display) (string, []byte) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil
	}
	host, _ := os.Hostname()
	r := bytes.NewReader(data)
	for {
		var family uint16
		if err := binary.Read(r, binary.BigEndian, &family); err != nil {
			return "", nil
		}
		addr, err1 := field(r)
		num, err2 := field(r)
		name, err3 := field(r)
		secret, err4 := field(r)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return "", nil
		}
		if string(name) != cookieName || (len(num) > 0 && string(num) != d.Number) {
			continue
		}
		local := family == familyWild || family == familyLocal && (string(addr) == host || d.Local())
		if d.Local() && !local {
			continue
		}
		return cookieName, secret
	}
}

func field(r io.Reader) ([]byte, error) {
	var n uint16
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

// setupRequest is the X11 connection setup, little-endian, protocol 11.0.
func setupRequest(authName string, authData []byte) []byte {
	pad := func(n int) int { return (4 - n%4) % 4 }
	b := make([]byte, 12, 12+len(authName)+pad(len(authName))+len(authData)+pad(len(authData)))
	b[0] = 'l'
	binary.LittleEndian.PutUint16(b[2:], 11)
	binary.LittleEndian.PutUint16(b[4:], 0)
	binary.LittleEndian.PutUint16(b[6:], uint16(len(authName)))
	binary.LittleEndian.PutUint16(b[8:], uint16(len(authData)))
	b = append(b, authName...)
	b = append(b, make([]byte, pad(len(authName)))...)
	b = append(b, authData...)
	b = append(b, make([]byte, pad(len(authData)))...)
	return b
}

// readSetupReply reads the server's answer: 1 success, 0 failed with a
// reason, 2 "authenticate" (another scheme wanted).
func readSetupReply(r io.Reader, d Display) error {
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return fmt.Errorf("display %s: %w (no answer to the connection setup: %v)", d.Name, ErrNoServer, err)
	}
	switch head[0] {
	case 1:
		return nil
	case 0:
		reason := make([]byte, head[1])
		_, _ = io.ReadFull(r, reason)
		return fmt.Errorf("display %s: %w: %s", d.Name, ErrRefused, strings.TrimSpace(string(reason)))
	default:
		return fmt.Errorf("display %s: %w: it wants an authentication scheme other than %s", d.Name, ErrRefused, cookieName)
	}
}
