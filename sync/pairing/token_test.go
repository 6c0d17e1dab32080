package pairing

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "skaerm")
	path := filepath.Join(dir, "token")
	if err := SaveToken(path, "first"); err != nil {
		t.Fatal(err)
	}
	if err := SaveToken(path, "second"); err != nil {
		t.Fatal(err)
	}
	got, err := LoadToken(path)
	if err != nil || got != "second" {
		t.Fatalf("LoadToken = %q, %v", got, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("token file mode %04o, want 0600", perm)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("new token folder mode %04o, want 0700", perm)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the token (no temp files)", len(entries))
	}
}

func TestSaveTokenKeepsExistingFolderMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "token")
	// A token file left readable by others is replaced by a private one.
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveToken(path, "new"); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadToken(path); err != nil || got != "new" {
		t.Errorf("LoadToken = %q, %v", got, err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o755 {
		t.Errorf("existing folder mode changed to %04o", di.Mode().Perm())
	}
}

func TestLoadTokenRefusesReadableFile(t *testing.T) {
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644, 0o660} {
		path := filepath.Join(t.TempDir(), "token")
		if err := os.WriteFile(path, []byte("secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadToken(path)
		if !errors.Is(err, ErrTokenMode) || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Errorf("mode %04o: err = %v, want ErrTokenMode saying chmod 600", mode, err)
		}
	}
}

func TestLoadTokenMissingOrEmpty(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadToken(filepath.Join(dir, "token")); !errors.Is(err, ErrNoToken) {
		t.Errorf("missing: err = %v, want ErrNoToken", err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadToken(empty); !errors.Is(err, ErrNoToken) {
		t.Errorf("empty: err = %v, want ErrNoToken", err)
	}
	if _, err := LoadToken(dir); err == nil || errors.Is(err, ErrNoToken) {
		t.Errorf("folder: err = %v, want a not-a-file error", err)
	}
}

func TestSaveTokenRefusesBadToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	for _, tok := range []string{"", "two words", "line\nbreak"} {
		if err := SaveToken(path, tok); err == nil {
			t.Errorf("SaveToken(%q) accepted", tok)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused token left a file: %v", err)
	}
}
