package xdisplay

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeXauthority writes one local MIT-MAGIC-COOKIE-1 entry for display num.
func writeXauthority(t *testing.T, path, num string, secret []byte) {
	t.Helper()
	host, _ := os.Hostname()
	var b bytes.Buffer
	put := func(s []byte) {
		binary.Write(&b, binary.BigEndian, uint16(len(s)))
		b.Write(s)
	}
	binary.Write(&b, binary.BigEndian, uint16(familyLocal))
	put([]byte(host))
	put([]byte(num))
	put([]byte(cookieName))
	put(secret)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// startXvfb starts a real X server that wants the cookie in authFile and
// returns its display name.
func startXvfb(t *testing.T, authFile string) string {
	t.Helper()
	bin, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("Xvfb is not installed (build/deps.sh --display installs it)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// -noreset: Xvfb otherwise resets when its last client leaves, and a
	// connection made during that reset is dropped.
	cmd := exec.Command(bin, "-displayfd", "3", "-auth", authFile, "-noreset", "-nolisten", "tcp", "-screen", "0", "320x240x24")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb did not say its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// TestOpenRealServer: a real X server accepts the right cookie and refuses
// a missing one, and Open tells the two apart.
func TestOpenRealServer(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "server-auth")
	secret := []byte("0123456789abcdef")
	// Xvfb reads its -auth file at start; the display number is not known
	// yet, so the entry names none (it matches any).
	writeXauthority(t, auth, "", secret)
	name := startXvfb(t, auth)
	if err := Open(Options{Display: name, Xauthority: auth}); err != nil {
		t.Fatalf("Open(%s) with the cookie: %v", name, err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := Open(Options{Display: name, Xauthority: empty})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "display "+name) {
		t.Fatalf("Open(%s) without a cookie = %v, want refused", name, err)
	}
	wrong := filepath.Join(dir, "wrong")
	writeXauthority(t, wrong, strings.TrimPrefix(name, ":"), []byte("fedcba9876543210"))
	if err := Open(Options{Display: name, Xauthority: wrong}); !errors.Is(err, ErrRefused) {
		t.Fatalf("Open(%s) with a wrong cookie = %v, want refused", name, err)
	}
}

func TestOpenNothingThere(t *testing.T) {
	t.Setenv("DISPLAY", "")
	if err := Open(Options{}); !errors.Is(err, ErrNoDisplay) {
		t.Errorf("Open without DISPLAY = %v", err)
	}
	if err := Open(Options{Display: ":4711"}); !errors.Is(err, ErrNoServer) || !strings.Contains(err.Error(), "display :4711") {
		t.Errorf("Open(:4711) = %v", err)
	}
	for _, bad := range []string{"nonsense", ":x", "host:"} {
		if err := Open(Options{Display: bad}); err == nil || errors.Is(err, ErrNoServer) {
			t.Errorf("Open(%q) = %v, want a parse error", bad, err)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Display{
		":0":           {Name: ":0", Number: "0"},
		":99.0":        {Name: ":99.0", Number: "99"},
		"unix:1":       {Name: "unix:1", Host: "unix", Number: "1"},
		"kiosk.lan:10": {Name: "kiosk.lan:10", Host: "kiosk.lan", Number: "10"},
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}
