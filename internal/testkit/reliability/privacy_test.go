package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/sync"
)

// TestPrivacyAudit runs a whole screen life against the demo care home:
// a first sync with every picture, a sync with nothing new, a rename and a
// deletion (which must compact the old name out of the file), and a sync
// by the skaerm binary itself. It captures every log line at debug level,
// the status the screen posted to the backend, the command's output, the
// cache file and every file beside it, and looks for each string the demo
// marks secret (Board.Secrets, strings of 4 bytes or more) and for the
// deleted profile's name. None may appear anywhere. The screen reaches the
// backend through bookingDesk, which adds bookable resources (Screen API
// v1.2) to the demo's board, each bookable and booking with fields a screen
// must drop, and a booking by a profile hidden from screens.
func TestPrivacyAudit(t *testing.T) {
	run, admin := startBackend(t)
	demo, err := backend.DemoBoardValue(time.Now(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	booker := ""
	for _, p := range demo.Profiles {
		if p.Kind == backend.KindResident && p.VisibleOnScreen && !p.Anonymized {
			booker = p.ID // the last one: the first is renamed and deleted below
		}
	}
	desk := bookingDesk(t, run.URL, booker)
	var secrets []string
	for _, s := range demo.Secrets() {
		if len(s) >= 4 {
			secrets = append(secrets, s)
		}
	}
	if len(secrets) < 50 {
		t.Fatalf("only %d secrets in the demo: the audit would prove little", len(secrets))
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "cache.db")
	var logs lockedBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := cache.Open(path, cache.Options{Clock: clock.Real{}, Timeout: time.Second, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sync.New(sync.Options{Clock: clock.Real{}, BaseURL: desk.URL, Token: "T", Cache: c, Logger: logger, Version: "audit",
		Status: func() sync.StatusExtras { return sync.StatusExtras{DisplayOn: true, SoCTempC: 48.5, ClockSynced: true} }})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce := func(what string) {
		t.Helper()
		if _, err := s.SyncOnce(context.Background()); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	syncOnce("first sync")
	syncOnce("sync with nothing new")
	// Control: the screen did read the bookables and their bookings.
	b, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Bookable("r-audit"); !ok {
		t.Fatal("the audit's bookable is not on the stored board: the search would prove nothing")
	}
	if x := board.BookingsOf(b, "r-audit"); len(x) != 2 || x[0].ProfileID != booker || x[1].ProfileID != "" {
		t.Fatalf("bookings of the audit's bookable = %+v: want the visible resident's, then one by nobody named", x)
	}

	// Karen logs in by her key fob, opens everything on Min side (the
	// shared pictures and the letter are fetched into memory), the screen
	// syncs and posts its status meanwhile, and she logs out.
	login, err := sync.NewLogin(sync.LoginOptions{Clock: clock.Real{}, BaseURL: run.URL, Token: "T", Logger: logger, Version: "audit"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := login.LoginTag(context.Background(), personalTag); err != nil {
		t.Fatal(err)
	}
	page, err := login.Page(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Shared) == 0 || !strings.Contains(page.Shared[0].Title, personalCanary) || len(page.Shared[0].Media.Data) == 0 {
		t.Fatal("Min side holds no canary: the search would prove nothing")
	}
	syncOnce("sync while logged in")
	login.Logout(context.Background(), sync.EndLogout)

	// A visible resident gets a name found nowhere else, is synced, then
	// deleted: the name must leave the file.
	const gone = "Forsvundetnavn"
	victim := ""
	for _, p := range demo.Profiles {
		if p.Kind == backend.KindResident && p.VisibleOnScreen && !p.Anonymized {
			victim = p.ID
			break
		}
	}
	if err := admin.UpdateProfile(ctxFor(t), victim, map[string]any{"first_name": gone}); err != nil {
		t.Fatal(err)
	}
	syncOnce("sync after the rename")
	if data, _ := os.ReadFile(path); !bytes.Contains(data, []byte(gone)) {
		t.Fatal("the renamed resident is not in the cache file: the search would prove nothing")
	}
	if err := admin.DeleteProfile(ctxFor(t), victim); err != nil {
		t.Fatal(err)
	}
	syncOnce("sync after the deletion")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// The command's own run: its log lines, its output, its status file.
	out, err := exec.Command(skaermBinary(t), "sync", "--once", "--backend", desk.URL, "--token", "T",
		"--cache", path, "--log-level", "debug").CombinedOutput()
	if err != nil {
		t.Fatalf("skaerm sync --once: %v\n%s", err, out)
	}

	screens, err := admin.Screens(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	posted, _ := json.Marshal(screens)
	if !bytes.Contains(posted, []byte(`"status"`)) {
		t.Fatalf("no status reached the backend: %s", posted)
	}
	haystacks := map[string][]byte{
		"log lines (library)":   []byte(logs.String()),
		"skaerm sync output":    out,
		"status at the backend": posted,
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		haystacks["file "+f.Name()] = data
	}
	// Control: the cache does hold what a screen may show.
	shown := 0
	for _, p := range demo.Profiles {
		if p.VisibleOnScreen && !p.Anonymized && bytes.Contains(haystacks["file cache.db"], []byte(p.FirstName)) {
			shown++
		}
	}
	if shown < 10 {
		t.Fatalf("only %d visible first names found in the cache file: the search is not looking at the board", shown)
	}

	leaks := 0
	secrets = append(secrets, personalCanary, personalTag, "Strikkeklubben", "Havegruppen", hiddenBooker, "Canarybookable")
	for _, secret := range append(secrets, gone) {
		for where, data := range haystacks {
			if bytes.Contains(data, []byte(secret)) {
				leaks++
				t.Errorf("secret %q found in %s", secret, where)
			}
		}
	}
	names := sortedKeys(haystacks)
	sort.Strings(names)
	sizes := make([]string, len(names))
	for i, n := range names {
		sizes[i] = n + " (" + byteCount(len(haystacks[n])) + ")"
	}
	summary := "privacy audit: " + itoa(len(secrets)+1) + " secrets searched in " + strings.Join(sizes, ", ") +
		": " + itoa(leaks) + " found\n"
	t.Log(summary)
	writeOut(t, "privacy.txt", summary)
}

// What the demo shares to Karen (p1) and her key fob: a screen keeps none
// of it anywhere.
const (
	personalCanary = "PRIVATCANARY"
	personalTag    = "04a1b2c3d4e5f6"
)

// hiddenBooker is the first name of the profile bookingDesk adds, hidden
// from screens, who booked the laundry.
const hiddenBooker = "Skjultbookernavn"

// bookingDesk is a proxy in front of the reference backend at target that
// offers what a v1.2 backend does: "bookables" in its capabilities, and on
// the board a laundry (r-audit) with two bookings tomorrow, one by booker
// and one by a profile hidden from screens. The bookable and both bookings
// carry fields that are in no contract (notes, names, comments), each
// holding personalCanary or another secret. Everything else passes
// through as the backend answered it.
func bookingDesk(t *testing.T, target, booker string) *httptest.Server {
	t.Helper()
	to, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().In(loc).AddDate(0, 0, 1).Date()
	at := func(h int) string { return time.Date(y, m, d, h, 0, 0, 0, loc).Format(time.RFC3339) }
	bookables := []map[string]any{{
		"id": "r-audit", "name": "Vaskeriet", "pictogram": "laundry", "slots": "fixed",
		"slot_times": []string{"07:00-09:00", "09:00-11:00", "11:00-13:00"}, "open": "07:00-22:00",
		"max_ahead_days": 14, "max_per_week": 2, "cancel_until_minutes": 60, "login_required": false,
		"notes":    personalCanary + "-bookable: Karens tøj vaskes for sig",
		"managers": []map[string]any{{"first_name": "Canarybookable", "phone": "+45 " + personalCanary}},
	}}
	bookings := []map[string]any{{
		"id": "bk-audit-1", "resource": "Vaskeriet", "resource_id": "r-audit", "start": at(7), "end": at(9),
		"profile_id": booker, "comment": personalCanary + "-booking: husk poser",
	}, {
		"id": "bk-audit-2", "resource": "Vaskeriet", "resource_id": "r-audit", "start": at(9), "end": at(11),
		"profile_id": "hid-" + personalCanary, "booked_by": hiddenBooker,
	}}
	hidden := map[string]any{"id": "hid-" + personalCanary, "kind": "resident", "first_name": hiddenBooker,
		"visible_on_screen": false, "notes": personalCanary + "-hidden"}

	proxy := httputil.NewSingleHostReverseProxy(to)
	direct := proxy.Director
	proxy.Director = func(r *http.Request) {
		direct(r)
		r.Header.Set("Accept-Encoding", "identity") // the board is edited as plain JSON
	}
	proxy.ModifyResponse = func(resp *http.Response) error {
		path := resp.Request.URL.Path
		if resp.StatusCode != http.StatusOK || !strings.HasSuffix(path, "/board") && !strings.HasSuffix(path, "/capabilities") {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			return fmt.Errorf("booking desk: %s: %w", path, err)
		}
		if strings.HasSuffix(path, "/capabilities") {
			features, _ := doc["features"].([]any)
			doc["features"] = append(features, "bookables")
		} else {
			list := func(k string) []any { l, _ := doc[k].([]any); return l }
			for _, x := range bookables {
				doc["bookables"] = append(list("bookables"), x)
			}
			for _, x := range bookings {
				doc["bookings"] = append(list("bookings"), x)
			}
			doc["profiles"] = append(list("profiles"), hidden)
		}
		if body, err = json.Marshal(doc); err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv
}
