package cache

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"skaerm/internal/clock"
)

// filledCache writes a cache with a board, media and three outbox entries
// and closes it.
func filledCache(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.db")
	clk := newFakeClock()
	c, err := Open(path, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	b := testBoard(clk.Now(), 1, 1)
	for i, h := range b.MediaHashes()[:8] {
		if err := c.PutMedia(h, bytes.Repeat([]byte{byte(i)}, 8000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.ReplaceBoard(b, "e1"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"s1", "s2", "s3"} {
		if err := c.Enqueue(signup(id, "a1-0")); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCorruptFileMovedAside(t *testing.T) {
	t.Parallel()
	page := os.Getpagesize()
	cases := []struct {
		name    string
		corrupt func(t *testing.T, path string)
		// What must be salvaged; partial: whatever could be read, as long
		// as it is whole.
		board   bool
		outbox  []string
		partial bool
	}{
		{"random bytes", func(t *testing.T, path string) {
			write(t, path, junk(1, 64<<10))
		}, false, nil, false},
		{"truncated", func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}, false, nil, true},
		{"truncated to less than its meta pages", func(t *testing.T, path string) {
			if err := os.Truncate(path, int64(page)+100); err != nil {
				t.Fatal(err)
			}
		}, false, nil, false},
		{"both meta pages zeroed", func(t *testing.T, path string) {
			data := read(t, path)
			clear(data[:2*page])
			write(t, path, data)
		}, false, nil, false},
		{"newest meta page zeroed", func(t *testing.T, path string) {
			// A torn write of the last commit's meta page: bbolt falls back
			// to the commit before, the third Enqueue is lost, the rest kept.
			data := read(t, path)
			newest := lastTxID(t, path) % 2 // commit n goes to meta page n%2
			clear(data[newest*page : (newest+1)*page])
			write(t, path, data)
		}, true, []string{"s1", "s2"}, false},
		{"data pages garbled", func(t *testing.T, path string) {
			data := read(t, path)
			copy(data[2*page:], junk(2, len(data)-2*page))
			write(t, path, data)
		}, false, nil, false},
		{"board does not decode", func(t *testing.T, path string) {
			rawPut(t, path, bucketBoard, keyBoard, []byte(`{"profiles": [`))
		}, false, []string{"s1", "s2", "s3"}, false},
		{"outbox entry does not decode", func(t *testing.T, path string) {
			rawPut(t, path, bucketOutbox, []byte{0, 0, 0, 0, 0, 0, 0, 2}, []byte(`garbage`))
		}, true, []string{"s1", "s3"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filledCache(t)
			tc.corrupt(t, path)
			corrupted := read(t, path)

			// A reader only reports it.
			if _, err := Open(path, Options{Clock: clock.Real{}, ReadOnly: true}); !errors.Is(err, ErrCorrupt) {
				t.Errorf("read-only Open: %v, want ErrCorrupt", err)
			}
			if !bytes.Equal(read(t, path), corrupted) || len(leftovers(t, path)) != 0 {
				t.Fatal("a read-only Open touched the corrupt file")
			}

			clk := newFakeClock()
			c, err := Open(path, Options{Clock: clk, Logger: testLogger(t)})
			if err != nil {
				t.Fatalf("Open of a corrupt file: %v", err)
			}
			defer c.Close()
			m, err := c.Meta()
			if err != nil {
				t.Fatal(err)
			}
			wantAside := path + ".corrupt-" + t0.UTC().Format("20060102T150405Z")
			if m.Recovered != wantAside {
				t.Errorf("Meta.Recovered = %q, want %q", m.Recovered, wantAside)
			}
			if !bytes.Equal(read(t, wantAside), corrupted) {
				t.Error("the file moved aside is not the corrupt file as it was")
			}
			b, err := c.Board()
			switch {
			case err == nil:
				if gen, _, err := generationOf(b); err != nil || gen != 1 {
					t.Errorf("salvaged board: generation %d, %v", gen, err)
				}
				if !tc.board && !tc.partial {
					t.Error("a board was salvaged from a file that had none to give")
				}
				if m.ETag != "" || m.Generation != 1 {
					t.Errorf("salvaged board with ETag %q, generation %d; want no ETag, the old generation", m.ETag, m.Generation)
				}
			case errors.Is(err, ErrNoBoard):
				if tc.board {
					t.Error("the board was not salvaged")
				}
			default:
				t.Fatal(err)
			}
			if m.MediaCount != 0 {
				t.Errorf("%d media salvaged from a corrupt file", m.MediaCount)
			}
			ids := outboxIDs(t, c)
			if tc.partial {
				if !inOrderSubset(ids, []string{"s1", "s2", "s3"}) {
					t.Errorf("outbox after recovery = %v, want some of s1 s2 s3 in order", ids)
				}
			} else if fmt.Sprint(ids) != fmt.Sprint(tc.outbox) {
				t.Errorf("outbox after recovery = %v, want %v", ids, tc.outbox)
			}
			// The fresh cache works and keeps working after a reopen.
			if err := c.ReplaceBoard(testBoard(clk.Now(), 7, 7), "e7"); err != nil {
				t.Fatal(err)
			}
			c = reopen(t, c, Options{Clock: clk})
			b, err = c.Board()
			if err != nil {
				t.Fatal(err)
			}
			if gen, _, err := generationOf(b); err != nil || gen != 7 {
				t.Errorf("board after recovery and reopen: generation %d, %v", gen, err)
			}
			if m, _ := c.Meta(); m.Recovered != wantAside {
				t.Errorf("Recovered lost on reopen: %q", m.Recovered)
			}
		})
	}
}

func TestCorruptTwiceInOneSecond(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cache.db")
	clk := newFakeClock()
	var asides []string
	for range 2 {
		write(t, path, []byte("this is not a bbolt file, and it is long enough to have pages? no."))
		c, err := Open(path, Options{Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		m, err := c.Meta()
		if err != nil {
			t.Fatal(err)
		}
		asides = append(asides, m.Recovered)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if asides[0] == asides[1] {
		t.Fatalf("both corrupt files moved to %s", asides[0])
	}
	for _, a := range asides {
		if _, err := os.Stat(a); err != nil {
			t.Errorf("moved-aside file: %v", err)
		}
	}
}

func TestEmptyFileStartsFresh(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cache.db")
	write(t, path, nil) // what a power cut during the very first Open leaves
	c, err := Open(path, Options{Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.Recovered != "" || len(leftovers(t, path)) != 0 {
		t.Errorf("an empty file was treated as corrupt: %q, %v", m.Recovered, leftovers(t, path))
	}
	if err := c.Enqueue(signup("s1", "a1-0")); err != nil {
		t.Fatal(err)
	}
}

// lastTxID returns the id of the last commit in the file at path.
func lastTxID(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int
	if err := db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

func inOrderSubset(got, all []string) bool {
	i := 0
	for _, g := range got {
		for i < len(all) && all[i] != g {
			i++
		}
		if i == len(all) {
			return false
		}
		i++
	}
	return true
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rawPut writes a value straight into the file, past the cache's checks.
func rawPut(t *testing.T, path string, bucket, key, value []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, value) }); err != nil {
		t.Fatal(err)
	}
}

// junk returns n bytes of noise, the same for the same seed.
func junk(seed int64, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// TestOldCorruptFilesGo: a corrupt file moved aside holds names like any
// cache; after a week it is removed, a recent one is kept for a technician.
func TestOldCorruptFilesGo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.db")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	old := path + ".corrupt-" + now.Add(-8*24*time.Hour).Format("20060102T150405Z")
	oldTwin := old + "-2"
	recent := path + ".corrupt-" + now.Add(-2*24*time.Hour).Format("20060102T150405Z")
	for _, p := range []string{old, oldTwin, recent} {
		if err := os.WriteFile(p, []byte("Zacharias"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Open(path, Options{Clock: clock.NewFake(now)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, p := range []string{old, oldTwin} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is more than a week old and still there", filepath.Base(p))
		}
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("a corrupt file from two days ago is gone: %v", err)
	}
}
