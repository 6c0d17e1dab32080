// Package benchenv holds what the benchmark programs need around the thing
// they measure: a free X display number, waiting for a file or a web
// server to appear, and the machine's load to print beside a figure.
package benchenv

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// FreeDisplay is the first X display number from n on that no X server
// holds (no lock file, no socket): another Xvfb on the machine must not be
// measured instead of the bench's own.
func FreeDisplay(n int) int {
	for ; ; n++ {
		_, lockErr := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n))
		_, sockErr := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
		if os.IsNotExist(lockErr) && os.IsNotExist(sockErr) {
			return n
		}
	}
}

// WaitFile waits until path exists, at most limit.
func WaitFile(path string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s did not appear in %s", path, limit)
}

// WaitHTTP waits until url answers 200 OK, at most limit.
func WaitHTTP(url string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("wait for %s: %w", url, err)
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer in %s", url, limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// LoadAvg is the machine's load average over 1, 5 and 15 minutes, "?" where
// it cannot be read.
func LoadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
