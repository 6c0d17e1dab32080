package cache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	for _, durable := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "cache.db.status.json")
		if err := WriteFile(path, []byte("one"), 0o600, durable); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(path, []byte("two"), 0o600, durable); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != "two" {
			t.Fatalf("durable %v: read %q, %v", durable, b, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("durable %v: mode %v, %v", durable, fi.Mode(), err)
		}
		if got := entries(t, dir); len(got) != 1 {
			t.Errorf("durable %v: the folder holds %v, want the one file", durable, got)
		}
	}
}

// A write that cannot finish keeps the old content and leaves nothing
// behind: here the rename fails because a folder stands where the file
// goes.
func TestWriteFileFailsWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new"), 0o600, true); err == nil {
		t.Fatal("a write over a folder succeeded")
	}
	if got := entries(t, dir); len(got) != 1 || got[0] != "token" {
		t.Errorf("the folder holds %v after a failed write, want only token", got)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x"), nil, 0o600, false); err == nil {
		t.Error("a write into a missing folder succeeded")
	}
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
