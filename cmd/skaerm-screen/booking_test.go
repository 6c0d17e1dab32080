package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"

	"skaerm/assets"
	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/wait"
	"skaerm/internal/testkit/xneed"
	skaermsync "skaerm/sync"
)

var races = flag.Int("races", 3, "TestBookingByTaps: races of the screen against a direct booking of the same slot, per screen size")

const laundry = "bk-d1-vask"

// TestBookingByTaps books the laundry on the real skaerm-screen, tapped
// through the X server as a finger does (press and release sent together),
// against the real skaerm-backend with the demo care home, in landscape and
// portrait: the Bookings page, the laundry's week grid, a free slot of
// tomorrow, a face, the confirmation, and the banner read back from the X
// screen. The booking reaches the backend once. Then, -races times, another
// screen (a direct POST with its own token) books the same slot at the moment
// of the confirmation: each race ends with exactly one booking at the
// backend, and the loser is told: the direct POST by a 409 "taken", the
// screen by the refusal in words over the grid (its red line in the header
// read back from the X screen).
func TestBookingByTaps(t *testing.T) {
	bin := screenBinaries(t, "the booking test")
	url, _ := startBackend(t, bin, "T", "U")

	for _, sz := range [][2]int{{1920, 1080}, {1080, 1920}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			bt := &bookingTaps{t: t, url: url, admin: backend.Admin{BaseURL: url}, w: sz[0], h: sz[1]}
			bt.start(bin)
			bt.run(*races)
		})
	}
}

type bookingTaps struct {
	t     *testing.T
	url   string
	admin backend.Admin
	w, h  int

	x    *xgb.Conn
	root xproto.Window
	log  *screenLog
	meas *layout.FontMeasurer
	own  *cache.Cache       // the test's copy of the board, synced with the other screen's token
	sync *skaermsync.Syncer // fills own
	bd   *board.Board
	// refused is what the screen's outbox holds refused: the grid shows
	// the last one in words above it, which moves the slots down.
	refused []board.Signup
	// clk is the clock the backend and the screen were started at (nil:
	// the real one); conf the screen's configuration file (empty: no
	// display schedule) and args more flags for its run.
	clk  clock.Clock
	conf string
	args []string
	// speaker routes the screen's sound to the file heard (soundtest).
	speaker bool
	heard   string
}

// start runs an Xvfb of the size, the screen on it and the test's own sync.
func (bt *bookingTaps) start(bin string) {
	t := bt.t
	if bt.clk == nil {
		bt.clk = clock.Real{}
	}
	if bt.conf == "" {
		// No display schedule: the default one darkens the screen from
		// 22:00, and a dark screen takes the first tap only to wake.
		bt.conf = "[power]\nschedule = []\n"
	}
	disp := startXvfb(t, bt.w, bt.h)
	var err error
	if bt.x, err = xgb.NewConnDisplay(disp); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bt.x.Close)
	if err := xtest.Init(bt.x); err != nil {
		t.Fatalf("XTest: %v", err)
	}
	bt.root = xproto.Setup(bt.x).DefaultScreen(bt.x).Root
	if bt.meas, err = layout.NewFontMeasurer(assets.FontRegular, assets.FontBold); err != nil {
		t.Fatal(err)
	}
	if bt.own, err = cache.Open(filepath.Join(t.TempDir(), "own.db"), cache.Options{Clock: bt.clk}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bt.own.Close() })
	if bt.sync, err = skaermsync.New(skaermsync.Options{BaseURL: bt.url, Token: "U", Cache: bt.own, Version: "test", Clock: bt.clk}); err != nil {
		t.Fatal(err)
	}

	home := t.TempDir()
	conf := filepath.Join(home, "config.toml")
	if err := os.WriteFile(conf, []byte(bt.conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if bt.speaker {
		if bt.heard, err = soundtest.WriteRC(home); err != nil {
			t.Fatal(err)
		}
	}
	args := append([]string{"run", "--config", conf, "--backend", bt.url, "--token", "T",
		"--cache", filepath.Join(home, "cache.db"), "--log-level", "debug"}, bt.args...)
	scr := exec.Command(filepath.Join(bin, "skaerm-screen"), args...)
	scr.Env = append(os.Environ(), "DISPLAY="+disp, "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "xdg"))
	pipe, err := scr.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	bt.log = &screenLog{}
	if err := scr.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); bt.log.read(pipe) }()
	t.Cleanup(func() {
		scr.Process.Kill()
		<-done
		scr.Wait()
		if t.Failed() {
			t.Logf("the screen's log:\n%s", bt.log.text())
		}
	})
	bt.log.await(t, 0, "the first sync", 60*time.Second, func(r record) bool { return r["msg"] == "synced" })
	wait.Until(t, "the screen's first frame", func() bool { return bt.pixel(bt.w/2, bt.h-4) != (color.RGBA{}) })
}

// run books through the grid once alone, then races times against
// another screen.
func (bt *bookingTaps) run(races int) {
	t := bt.t
	bt.caughtUp()
	bt.tap(bt.target(layout.State{}, func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page == board.PageOf(board.PageBookings)
	}), layout.Open)
	bookings := layout.State{Page: board.PageOf(board.PageBookings)}
	grid := layout.ResourcePage(laundry)
	bt.tap(bt.target(bookings, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == grid }), layout.Open)
	var screenWon, otherWon int
	for round := range races + 1 {
		if won := bt.round(round, grid, round > 0); won {
			screenWon++
		} else {
			otherWon++
		}
	}
	t.Logf("%dx%d: %d races, the screen won %d, the other screen %d", bt.w, bt.h, races, screenWon-1, otherWon)
}

// round books tomorrow's first free slot: slot, face, confirmation. With
// rival, another screen books the same slot at the same moment. It checks
// the outcome at the backend and on the X screen, removes the booking
// again, and says whether the screen's booking was the one kept.
func (bt *bookingTaps) round(n int, grid board.PageID, rival bool) (screenWon bool) {
	t := bt.t
	loc := bt.bd.Location()
	y, m, d := bt.clk.Now().In(loc).Date()
	tomorrow := time.Date(y, m, d+1, 12, 0, 0, 0, loc)
	var slot layout.Intent
	at := bt.target(layout.State{Page: grid}, func(in layout.Intent) bool {
		if in.Kind == layout.Choose && in.Booking == "" && board.SameDay(in.Start, tomorrow, loc) {
			slot = in
			return true
		}
		return false
	})
	res, _ := bt.bd.Bookable(laundry)
	bt.tap(at, layout.Choose)
	st := layout.State{Page: grid, Slot: slot.Start, SlotEnd: slot.End}
	var who string
	bt.tap(bt.target(st, func(in layout.Intent) bool {
		if in.Kind == layout.Pick && !board.AtWeekLimit(bt.bd, bt.refused, res, in.Profile, slot.Start) {
			who = in.Profile
			return true
		}
		return false
	}), layout.Pick)
	st.Pick = who
	confirm := bt.target(st, func(in layout.Intent) bool { return in.Kind == layout.Confirm })

	// The other screen's resident: another one still free to book.
	other := ""
	for _, p := range bt.bd.Profiles {
		if p.Kind == board.Resident && p.ID != who && !board.AtWeekLimit(bt.bd, bt.refused, res, p.ID, slot.Start) {
			other = p.ID
			break
		}
	}
	baseline, _ := bt.log.last("board stored")
	mark := bt.log.mark()
	type answer struct {
		status int
		reason string
		err    error
	}
	rivalDone := make(chan answer, 1)
	tapped := bt.send(confirm)
	if rival {
		// The other screen's request leaves between at once and 40 ms
		// after the tap: the screen takes a frame to see the tap, writes
		// its booking to disk and sends it in about that time, so either
		// may come first.
		delay := time.Duration(rand.N(40)) * time.Millisecond
		go func() {
			time.Sleep(delay)
			status, reason, err := bt.book(fmt.Sprintf("race-%dx%d-%d", bt.w, bt.h, n), other, slot.Start, slot.End)
			rivalDone <- answer{status, reason, err}
		}()
	}
	bt.acted(confirm, tapped, layout.Confirm)
	enq := bt.log.await(t, mark, "the booking enqueued (the banner)", 10*time.Second, func(r record) bool {
		return r["msg"] == "sign-up enqueued" && r["item_type"] == string(board.BookingItem) && r["item"] == laundry
	})
	id := enq["id"]
	if !rival {
		bt.headerIs(layout.Good, "the banner")
	}
	out, outAt := bt.log.awaitAt(t, mark, "the booking sent or refused", 20*time.Second, func(r record) bool {
		return (r["msg"] == "booking sent" || r["msg"] == "booking refused") && r["id"] == id
	})
	screenWon = out["msg"] == "booking sent"
	if !rival && !screenWon {
		t.Fatalf("round %d: alone, the screen's booking was refused: %v", n, out)
	}
	if rival {
		a := <-rivalDone
		if a.err != nil {
			t.Fatalf("round %d: the other screen: %v", n, a.err)
		}
		switch {
		case screenWon && a.status == http.StatusOK:
			t.Fatalf("round %d: both screens were given %s", n, slot.Start)
		case !screenWon && a.status != http.StatusOK:
			t.Fatalf("round %d: neither screen was given %s (the screen: %v; the other: %d %s)", n, slot.Start, out, a.status, a.reason)
		case screenWon && (a.status != http.StatusConflict || a.reason != "taken"):
			t.Fatalf("round %d: the other screen was told %d %q, want 409 taken", n, a.status, a.reason)
		case !screenWon && out["reason"] != "taken":
			t.Fatalf("round %d: the screen was refused for %q, want taken", n, out["reason"])
		}
	}
	if !screenWon {
		// The screen tells its resident in words, over the grid.
		bt.log.await(t, mark, "the refusal shown", 10*time.Second, func(r record) bool {
			return r["msg"] == "refusal shown" && r["id"] == id && r["reason"] == "taken"
		})
		bt.headerIs(layout.Alarm, "the refusal")
		bt.refused = append(bt.refused, board.Signup{ID: id, ItemType: board.BookingItem, ItemID: laundry, ProfileID: who,
			Action: board.Book, Start: slot.Start, End: slot.End, State: board.Refused, Reason: "taken"})
	}

	// Exactly one booking of the slot at the backend, the winner's, and
	// the screen's request arrived once.
	ctx := context.Background()
	all, err := bt.admin.Bookings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kept []backend.Booking
	for _, b := range all {
		if b.ResourceID == laundry && b.Start.Before(slot.End) && slot.Start.Before(b.End) {
			kept = append(kept, b)
		}
	}
	want := who
	if !screenWon {
		want = other
	}
	if len(kept) != 1 || kept[0].ProfileID != want {
		t.Fatalf("round %d: the backend holds %+v for %s, want one booking for %s", n, kept, slot.Start, want)
	}
	reqs, err := bt.admin.BookingRequests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range reqs {
		if r.ID == id {
			found = true
			if r.Received != 1 {
				t.Errorf("round %d: the screen's booking %s arrived %d times", n, id, r.Received)
			}
		}
	}
	if !found {
		t.Errorf("round %d: the backend never heard of the screen's booking %s", n, id)
	}

	// The slot is free again for the next round, on both screens.
	if err := bt.admin.Delete(ctx, "bookings", kept[0].ID); err != nil {
		t.Fatal(err)
	}
	// The screen has the board as it was before the round when it has
	// stored a board since its booking was answered (the booked one) and
	// the last board it stored is as big as the one before the round.
	wait.Until(t, "the screen storing the board without the booking", func() bool {
		last, i := bt.log.last("board stored")
		return i > outAt && last["bytes"] == baseline["bytes"]
	})
	bt.caughtUp()
	return screenWon
}

// caughtUp syncs the test's copy of the board and waits until the screen
// has the same board (the status it reports to the backend names the
// board's ETag) and has drawn it.
func (bt *bookingTaps) caughtUp() {
	t := bt.t
	t.Helper()
	var etag string
	var screens []backend.ScreenStatus
	ok := wait.For(func() bool {
		res, err := bt.sync.SyncOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if screens, err = bt.admin.Screens(context.Background()); err != nil {
			t.Fatal(err)
		}
		etag = res.ETag
		for _, sc := range screens {
			if sc.DepartmentID == "d1" && (sc.Status == nil || sc.Status.BoardETag != etag) {
				return false
			}
		}
		return true
	}, 20*time.Second)
	if !ok {
		t.Fatalf("the screen did not sync the board %s: %+v", etag, screens)
	}
	bd, err := bt.own.Board()
	if err != nil {
		t.Fatal(err)
	}
	bt.bd = bd
	time.Sleep(100 * time.Millisecond) // the screen reads its cache as it changes, and draws the next frame
}

// book asks for the slot as another screen (its own token) would.
func (bt *bookingTaps) book(id, profile string, start, end time.Time) (int, string, error) {
	body, err := json.Marshal(map[string]any{"id": id, "action": "book", "resource_id": laundry, "profile_id": profile,
		"start": start, "end": end, "at": time.Now()})
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequest(http.MethodPost, bt.url+"/api/screen/v1/bookings", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer U")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var e struct {
		Error string `json:"error"`
	}
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &e)
	return resp.StatusCode, e.Error, nil
}

// target is the centre of the first target matching on the page the screen
// lays out for st now.
func (bt *bookingTaps) target(st layout.State, match func(layout.Intent) bool) point {
	bt.t.Helper()
	p := layout.Build(bt.meas, layout.Input{Board: bt.bd, Now: bt.clk.Now(), W: float64(bt.w), H: float64(bt.h), State: st,
		Outbox: bt.refused, Login: &layout.LoginView{Offered: true}})
	for _, tg := range p.Targets {
		if match(tg.Intent) {
			return point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}
		}
	}
	bt.t.Fatalf("no such target on %s at %dx%d", p.ID, bt.w, bt.h)
	return point{}
}

type point struct{ X, Y int }

// tap sends an instant tap at p and waits for the screen to say it acted
// on it as intent, once.
func (bt *bookingTaps) tap(p point, intent layout.IntentKind) {
	bt.t.Helper()
	bt.acted(p, bt.send(p), intent)
}

// send sends an instant tap at p: a motion there, a press and a release
// of the first button with nothing between them. It returns the log's mark
// from just before.
func (bt *bookingTaps) send(p point) int {
	mark := bt.log.mark()
	xtest.FakeInput(bt.x, xproto.MotionNotify, 0, 0, bt.root, int16(p.X), int16(p.Y), 0)
	xtest.FakeInput(bt.x, xproto.ButtonPress, 1, 0, bt.root, int16(p.X), int16(p.Y), 0)
	xtest.FakeInput(bt.x, xproto.ButtonRelease, 1, 0, bt.root, int16(p.X), int16(p.Y), 0)
	bt.x.Sync()
	return mark
}

// acted waits for the screen to say it acted on the tap at p sent at mark
// as intent, once.
func (bt *bookingTaps) acted(p point, mark int, intent layout.IntentKind) {
	bt.t.Helper()
	if !wait.For(func() bool { return bt.log.count(mark, "tap") > 0 }, 10*time.Second) {
		bt.t.Fatalf("the tap at %v was lost (the X screen then: %s)", p, bt.shot())
	}
	r := bt.log.await(bt.t, mark, fmt.Sprintf("the tap at %v", p), time.Second, func(r record) bool { return r["msg"] == "tap" })
	if r["intent"] != intent.String() {
		bt.t.Fatalf("the tap at %v acted as %q on %s, want %q", p, r["intent"], r["on"], intent)
	}
	time.Sleep(450 * time.Millisecond) // the next tap comes after the bounce time
	if n := bt.log.count(mark, "tap"); n != 1 {
		bt.t.Fatalf("the tap at %v acted %d times", p, n)
	}
}

// headerIs waits until the header's left edge, where a banner or a
// refusal is written on its colour, shows c on the X screen.
func (bt *bookingTaps) headerIs(c color.RGBA, what string) {
	bt.t.Helper()
	var got color.RGBA
	if !wait.For(func() bool { got = bt.pixel(3, 3); return got == c }, 5*time.Second) {
		bt.t.Fatalf("%s: the header is %v on the X screen, want %v", what, got, c)
	}
}

// shot writes the X screen to a PNG beside the test's temporary files and
// returns its path, for a failure's message.
func (bt *bookingTaps) shot() string {
	img, err := xproto.GetImage(bt.x, xproto.ImageFormatZPixmap, xproto.Drawable(bt.root), 0, 0, uint16(bt.w), uint16(bt.h), 0xffffffff).Reply()
	if err != nil {
		return err.Error()
	}
	out := image.NewRGBA(image.Rect(0, 0, bt.w, bt.h))
	for i := 0; i+3 < len(img.Data) && i/4*4+3 < len(out.Pix); i += 4 {
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = img.Data[i+2], img.Data[i+1], img.Data[i], 0xFF
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("skaerm-booking-%dx%d.png", bt.w, bt.h))
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		return err.Error()
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err.Error()
	}
	return path
}

// pixel reads one pixel of the X screen.
func (bt *bookingTaps) pixel(x, y int) color.RGBA {
	img, err := xproto.GetImage(bt.x, xproto.ImageFormatZPixmap, xproto.Drawable(bt.root), int16(x), int16(y), 1, 1, 0xffffffff).Reply()
	if err != nil || len(img.Data) < 3 {
		return color.RGBA{}
	}
	return color.RGBA{img.Data[2], img.Data[1], img.Data[0], 0xFF} // BGRX
}

// startXvfb starts an X server of the size on a display it picks itself.
func startXvfb(t *testing.T, w, h int) string {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{wr}
	if err := x.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	wr.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	n, cerr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || cerr != nil {
		t.Fatalf("Xvfb named no display (%q): %v %v", line, err, cerr)
	}
	return fmt.Sprintf(":%d", n)
}

// A record is one line of the screen's log (slog's text form), by key.
type record map[string]string

// screenLog keeps every record the screen logged, in order.
type screenLog struct {
	mu   gosync.Mutex
	recs []record
	raw  bytes.Buffer
}

func (l *screenLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		rec := parseRecord(sc.Text())
		l.mu.Lock()
		l.raw.WriteString(sc.Text() + "\n")
		l.recs = append(l.recs, rec)
		l.mu.Unlock()
	}
}

func (l *screenLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recs)
}

func (l *screenLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.raw.String()
}

// since is a copy of the records from from on.
func (l *screenLog) since(from int) []record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]record(nil), l.recs[from:]...)
}

// last is the last record of msg and its place in the log (-1: none).
func (l *screenLog) last(msg string) (record, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.recs) - 1; i >= 0; i-- {
		if l.recs[i]["msg"] == msg {
			return l.recs[i], i
		}
	}
	return nil, -1
}

func (l *screenLog) count(from int, msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.recs[from:] {
		if r["msg"] == msg {
			n++
		}
	}
	return n
}

// await returns the first record since from that match takes.
func (l *screenLog) await(t *testing.T, from int, what string, limit time.Duration, match func(record) bool) record {
	t.Helper()
	r, _ := l.awaitAt(t, from, what, limit, match)
	return r
}

// awaitAt is await that also says where in the log the record is.
func (l *screenLog) awaitAt(t *testing.T, from int, what string, limit time.Duration, match func(record) bool) (record, int) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		l.mu.Lock()
		for i, r := range l.recs[from:] {
			if match(r) {
				l.mu.Unlock()
				return r, from + i
			}
		}
		l.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("%s: not in the screen's log after %s", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// parseRecord reads key=value pairs; a value in quotes is unquoted.
func parseRecord(line string) record {
	rec := record{}
	for line != "" {
		line = strings.TrimLeft(line, " ")
		eq := strings.IndexByte(line, '=')
		if eq <= 0 {
			break
		}
		key, rest := line[:eq], line[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				break
			}
			val, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else if sp := strings.IndexByte(rest, ' '); sp >= 0 {
			val, rest = rest[:sp], rest[sp:]
		} else {
			val, rest = rest, ""
		}
		rec[key] = val
		line = rest
	}
	return rec
}

// screenBinaries skips (or under CI fails) a test of the real screen on
// an X display of its own when the machine cannot run one, and builds
// skaerm-screen and skaerm-backend into a folder it returns.
func screenBinaries(t *testing.T, what string) string {
	t.Helper()
	if msg := xneed.Missing(what); msg != "" {
		if xneed.CI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("Xvfb"); err != nil {
		if xneed.CI() {
			t.Fatal(what + " needs Xvfb")
		}
		t.Skip(what + " needs Xvfb")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+"/", "skaerm/cmd/skaerm-screen", "skaerm/cmd/skaerm-backend")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}
