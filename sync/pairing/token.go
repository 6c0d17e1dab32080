package pairing

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"skaerm/cache"
)

// Errors a caller branches on.
var (
	// ErrNoToken means the screen has no device token yet (or the file is
	// empty): it must be paired.
	ErrNoToken = errors.New("no device token: pair this screen with `skaerm pair`")
	// ErrTokenMode means the token file can be read by other users; the
	// screen refuses to use a token that may have leaked.
	ErrTokenMode = errors.New("token file is readable by group or others")
)

// maxTokenBytes bounds what LoadToken reads; device tokens are short.
const maxTokenBytes = 16 << 10

// SaveToken stores token at path so that a crash at any moment leaves
// either the old file or the new one (cache.WriteFile, durable, mode 0600).
// A missing folder is created with mode 0700.
func SaveToken(path, token string) error {
	if token == "" || bytes.ContainsAny([]byte(token), " \t\r\n") {
		return fmt.Errorf("save token %s: token is empty or contains white space", path)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	if err := cache.WriteFile(path, []byte(token+"\n"), 0o600, true); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	return nil
}

// LoadToken reads the device token at path. It returns an error wrapping
// [ErrNoToken] when the file is missing or empty, and one wrapping
// [ErrTokenMode] when group or others may read it.
func LoadToken(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w (%s does not exist)", ErrNoToken, path)
	}
	if err != nil {
		return "", fmt.Errorf("load token: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("load token: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("load token: %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("%w: %s has mode %04o; run: chmod 600 %s", ErrTokenMode, path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTokenBytes+1))
	if err != nil {
		return "", fmt.Errorf("load token %s: %w", path, err)
	}
	if len(data) > maxTokenBytes {
		return "", fmt.Errorf("load token: %s is larger than %d bytes; it is not a device token", path, maxTokenBytes)
	}
	tok := string(bytes.TrimSpace(data))
	if tok == "" {
		return "", fmt.Errorf("%w (%s is empty)", ErrNoToken, path)
	}
	return tok, nil
}
