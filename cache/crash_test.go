package cache

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"skaerm/board"
)

const crashEnv = "SKAERM_CACHE_CRASH_PATH"

// crashGenerations bounds one writer's run, so a writer nobody kills ends.
const crashGenerations = 400

// TestHelperWriter is the writer process of TestCrashDuringWrites: it keeps
// storing generations into the cache named by $SKAERM_CACHE_CRASH_PATH until
// it is killed. Each round queues sign-up s-<gen> (before the board, so a
// crash between the two repeats it: a duplicate), stores media and board
// generation <gen>, trims the outbox and, every third generation, renames
// everyone, which compacts the file.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("only runs as the child of TestCrashDuringWrites")
	}
	c, err := Open(path, Options{Clock: newFakeClock()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	m, err := c.Meta()
	if err != nil {
		fmt.Fprintln(os.Stderr, "meta:", err)
		os.Exit(2)
	}
	must := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	for gen := int(m.Generation) + 1; gen <= int(m.Generation)+crashGenerations; gen++ {
		nameGen := gen / 3
		must(c.Enqueue(board.Signup{ID: fmt.Sprintf("s-%06d", gen), ItemType: board.MealItem, ItemID: "m1-1",
			ProfileID: "r01", Action: board.Join, At: t0}))
		b := testBoard(t0, gen, nameGen)
		for _, h := range b.MediaHashes() {
			must(c.PutMedia(h, []byte("image "+h)))
		}
		must(c.ReplaceBoard(b, strconv.Itoa(gen)))
		out, err := c.Outbox()
		must(err)
		if len(out) > 6 {
			must(c.RemoveSignup(out[0].ID))
			s := out[1]
			s.Attempts++
			must(c.UpdateSignup(s))
		}
		fmt.Println("gen", gen)
	}
	must(c.Close())
}

// TestCrashDuringWrites kills a writer process at random moments, again
// and again, and checks after each kill that the file opens without being
// taken for corrupt, holds one whole board generation with its media, and
// an outbox in order with nothing lost but what the writer removed.
func TestCrashDuringWrites(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the writer process")
	}
	t.Parallel()
	rounds := 20
	if testing.Short() {
		rounds = 5
	}
	path := filepath.Join(t.TempDir(), "cache.db")
	rng := rand.New(rand.NewSource(1))
	landed := map[string]int{}
	for round := range rounds {
		waitFor := 1 + rng.Intn(8) // generations to let pass before the kill
		var stderr strings.Builder
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stdout)
		seen := 0
		for seen < waitFor && lines.Scan() {
			if strings.HasPrefix(lines.Text(), "gen ") {
				seen++
			}
		}
		// Land the kill somewhere inside the next generation's writes.
		time.Sleep(time.Duration(rng.Intn(20000)) * time.Microsecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 2 {
				t.Fatalf("round %d: writer failed on its own (%v): %s", round, err, stderr.String())
			}
		}
		if _, err := os.Stat(path + ".compact"); err == nil {
			landed["while a compaction was being written"]++
		}
		if compactionOwed(t, path) {
			landed["after a removal, before its compaction finished"]++
		}
		checkAfterCrash(t, path, round)
	}
	// Where the kills fell depends on timing; it is reported, not asserted.
	t.Logf("%d kills, of which %v", rounds, landed)
}

// compactionOwed reports whether the file records a compaction not done.
func compactionOwed(t *testing.T, path string) bool {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owed := false
	err = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			owed = b.Get(keyCompact) != nil
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return owed
}

func checkAfterCrash(t *testing.T, path string, round int) {
	t.Helper()
	c, err := Open(path, Options{Clock: newFakeClock(), Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("round %d: Open after a crash: %v", round, err)
	}
	defer c.Close()
	m, err := c.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.Recovered != "" {
		t.Fatalf("round %d: a crash was taken for corruption: %s", round, m.Recovered)
	}
	if got := leftovers(t, path); len(got) != 0 {
		t.Fatalf("round %d: files left beside the cache after Open: %v", round, got)
	}

	b, err := c.Board()
	switch {
	case errors.Is(err, ErrNoBoard) && m.Generation == 0:
	case err != nil:
		t.Fatalf("round %d: %v", round, err)
	default:
		gen, nameGen, err := generationOf(b)
		if err != nil {
			t.Fatalf("round %d: board mixes generations: %v", round, err)
		}
		if uint64(gen) != m.Generation || nameGen != gen/3 || m.ETag != strconv.Itoa(gen) {
			t.Fatalf("round %d: board generation %d (names %d), meta generation %d etag %q",
				round, gen, nameGen, m.Generation, m.ETag)
		}
		for _, h := range b.MediaHashes() {
			if ok, err := c.HasMedia(h); err != nil || !ok {
				t.Fatalf("round %d: media %.12s of the board missing: %v", round, h, err)
			}
		}
	}

	out, err := c.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	// s-<n> for consecutive n, ending at the stored generation or the one
	// queued just before a crash.
	for i, s := range out {
		if err := s.Validate(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		n, err := strconv.Atoi(strings.TrimPrefix(s.ID, "s-"))
		if err != nil {
			t.Fatalf("round %d: outbox entry %q", round, s.ID)
		}
		if i > 0 {
			prev, _ := strconv.Atoi(strings.TrimPrefix(out[i-1].ID, "s-"))
			if n != prev+1 {
				t.Fatalf("round %d: outbox %s follows %s: an entry was lost or reordered", round, s.ID, out[i-1].ID)
			}
		}
	}
	if m.Generation > 0 {
		last, _ := strconv.Atoi(strings.TrimPrefix(out[len(out)-1].ID, "s-"))
		if uint64(last) != m.Generation && uint64(last) != m.Generation+1 {
			t.Fatalf("round %d: last outbox entry %d for generation %d", round, last, m.Generation)
		}
	}
}
