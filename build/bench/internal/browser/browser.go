// Package browser runs the browser kiosk the screen is measured against:
// Debian's chromium, fullscreen on an X display, on a fresh profile, with
// the flags a closed network needs (no calls home that would be refused
// and retried), and optionally a DevTools connection over a pipe, through
// which a bench asks the page where a link is or sends it to another page.
package browser

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Flags are the flags of a kiosk showing url at w x h. Without a window
// manager Chromium does not cover the screen by itself, so the window is
// placed explicitly; --lang with the profile's preferences (Prepare) keep
// a "translate?" bubble off the Danish pages.
func Flags(profile, url string, w, h int) []string {
	return []string{
		"--kiosk", "--no-first-run", "--noerrdialogs", "--disable-infobars",
		"--disable-session-crashed-bubble", "--no-sandbox", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-quic",
		"--user-data-dir=" + profile,
		"--window-position=0,0", fmt.Sprintf("--window-size=%d,%d", w, h), "--lang=da",
		url,
	}
}

// Prepare makes a fresh profile whose preferences switch translation off,
// as a Danish kiosk has it.
func Prepare(profile string) error {
	if err := os.MkdirAll(filepath.Join(profile, "Default"), 0o700); err != nil {
		return err
	}
	prefs := `{"translate":{"enabled":false},"translate_blocked_languages":["da"]}`
	return os.WriteFile(filepath.Join(profile, "Default", "Preferences"), []byte(prefs), 0o600)
}

// Kiosk is a running browser kiosk.
type Kiosk struct {
	Cmd  *exec.Cmd
	done chan struct{}

	// DevTools over the pipe (fd 3 in, fd 4 out, as Chromium sees them).
	toBrowser   *os.File
	fromBrowser *bufio.Reader
	mu          sync.Mutex
	nextID      int
}

// Start starts chromium on display disp with a fresh profile in dir,
// showing url at w x h, its output to logw. devtools opens the DevTools
// pipe (Eval); without it the browser runs as a kiosk would.
func Start(chromium, dir, disp, url string, w, h int, devtools bool, logw io.Writer) (*Kiosk, error) {
	profile := filepath.Join(dir, "profile")
	if err := Prepare(profile); err != nil {
		return nil, err
	}
	args := Flags(profile, url, w, h)
	k := &Kiosk{done: make(chan struct{})}
	var theirs []*os.File
	if devtools {
		inR, inW, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		outR, outW, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		theirs = []*os.File{inR, outW}
		k.toBrowser, k.fromBrowser = inW, bufio.NewReaderSize(outR, 1<<20)
		args = append([]string{"--remote-debugging-pipe"}, args...)
	}
	cmd := exec.Command(chromium, args...)
	// The pages' clocks are the care home's, as the screen's.
	cmd.Env = append(os.Environ(), "DISPLAY="+disp, "TZ=Europe/Copenhagen")
	cmd.Stdout, cmd.Stderr = logw, logw
	cmd.ExtraFiles = theirs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", chromium, err)
	}
	for _, f := range theirs {
		f.Close()
	}
	k.Cmd = cmd
	go func() { cmd.Wait(); close(k.done) }()
	return k, nil
}

// Pid is the browser's main process (the root of its tree).
func (k *Kiosk) Pid() int { return k.Cmd.Process.Pid }

// Done is closed when the browser has exited.
func (k *Kiosk) Done() <-chan struct{} { return k.done }

// Stop ends the browser and every process of its group.
func (k *Kiosk) Stop() {
	syscall.Kill(-k.Cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-k.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-k.Cmd.Process.Pid, syscall.SIGKILL)
		<-k.done
	}
	if k.toBrowser != nil {
		k.toBrowser.Close()
	}
}

// call sends one DevTools command and waits for its answer (events that
// come meanwhile are skipped).
func (k *Kiosk) call(session, method string, params any, out any) error {
	if k.toBrowser == nil {
		return errors.New("started without DevTools")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.nextID++
	id := k.nextID
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := k.toBrowser.Write(append(data, 0)); err != nil {
		return fmt.Errorf("devtools %s: %w", method, err)
	}
	for {
		line, err := k.fromBrowser.ReadBytes(0)
		if err != nil {
			return fmt.Errorf("devtools %s: %w", method, err)
		}
		var ans struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(line[:len(line)-1], &ans); err != nil {
			return fmt.Errorf("devtools %s: %w", method, err)
		}
		if ans.ID != id {
			continue // an event
		}
		if ans.Error != nil {
			return fmt.Errorf("devtools %s: %s", method, ans.Error.Message)
		}
		if out != nil {
			return json.Unmarshal(ans.Result, out)
		}
		return nil
	}
}

// Eval evaluates a JavaScript expression in the page and returns its value
// as JSON text. It attaches to the page for the call and detaches after,
// so nothing of DevTools stays active while the bench measures.
func (k *Kiosk) Eval(expr string) (string, error) {
	var targets struct {
		TargetInfos []struct {
			TargetID string `json:"targetId"`
			Type     string `json:"type"`
			URL      string `json:"url"`
		} `json:"targetInfos"`
	}
	if err := k.call("", "Target.getTargets", map[string]any{}, &targets); err != nil {
		return "", err
	}
	target := ""
	for _, t := range targets.TargetInfos {
		if t.Type == "page" && !strings.HasPrefix(t.URL, "chrome") {
			target = t.TargetID
			break
		}
	}
	if target == "" {
		return "", errors.New("no page in the browser")
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := k.call("", "Target.attachToTarget", map[string]any{"targetId": target, "flatten": true}, &att); err != nil {
		return "", err
	}
	defer k.call("", "Target.detachFromTarget", map[string]any{"sessionId": att.SessionID}, nil)
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := k.call(att.SessionID, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res); err != nil {
		return "", err
	}
	if res.ExceptionDetails != nil {
		return "", fmt.Errorf("evaluate %q: %s", expr, res.ExceptionDetails.Text)
	}
	return string(res.Result.Value), nil
}

// Center is the centre of the first element matching a CSS selector, in
// the page's pixels (the kiosk's window is at 0,0 and unscaled, so these
// are the screen's too).
func (k *Kiosk) Center(selector string) (x, y int, err error) {
	q, _ := json.Marshal(selector)
	v, err := k.Eval(`(function(){var e=document.querySelector(` + string(q) + `);if(!e)return null;var r=e.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];})()`)
	if err != nil {
		return 0, 0, err
	}
	var xy []float64
	if err := json.Unmarshal([]byte(v), &xy); err != nil || len(xy) != 2 {
		return 0, 0, fmt.Errorf("no %s on the page (%s)", selector, v)
	}
	return int(xy[0]), int(xy[1]), nil
}
