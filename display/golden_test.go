package display

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/words"
)

var goldenSizes = [][2]int{{1920, 1080}, {1080, 1920}, {1280, 720}}

// goldenPages are the pages that stand alone and one activity, meal and
// meeting of today (or the first ones) on the board.
func goldenPages(b *board.Board, at time.Time) []board.PageID {
	var out []board.PageID
	for _, k := range board.Pages {
		if k != board.PageNight { // TestGoldenNight draws it at night
			out = append(out, board.PageOf(k))
		}
	}
	out = append(out, board.PINPage("p1"), board.PageID{Kind: board.PageMe, ID: "keyboard"}, layout.SharedPage("sh1"))
	return append(out, detailPages(b, at)...)
}

// detailPages names one activity, meal and meeting of today (or the first
// ones) on the board.
func detailPages(b *board.Board, at time.Time) []board.PageID {
	var out []board.PageID
	pick := func(kind board.PageKind, id string) {
		if id != "" {
			out = append(out, board.PageID{Kind: kind, ID: id})
		}
	}
	first := func(ids []string, starts []time.Time) string {
		best := ""
		for i, id := range ids {
			if !starts[i].Before(at) && best == "" {
				best = id
			}
		}
		if best == "" && len(ids) > 0 {
			best = ids[0]
		}
		return best
	}
	var ids []string
	var starts []time.Time
	for _, a := range b.Activities {
		ids, starts = append(ids, a.ID), append(starts, a.Start)
	}
	pick(board.PageActivity, first(ids, starts))
	ids, starts = nil, nil
	for _, m := range b.Meals {
		ids, starts = append(ids, m.ID), append(starts, m.Start)
	}
	pick(board.PageMeal, first(ids, starts))
	ids, starts = nil, nil
	for _, m := range b.Meetings {
		ids, starts = append(ids, m.ID), append(starts, m.Start)
	}
	pick(board.PageMeeting, first(ids, starts))
	return out
}

// TestGolden renders every page at three sizes on the fixture board at the
// fixed instant and compares with testdata/golden (go test -update rewrites).
func TestGolden(t *testing.T) {
	at := goldenAt(t)
	src := demoCache(t, at)
	bd, err := src.Board()
	if err != nil {
		t.Fatal(err)
	}
	pages := goldenPages(bd, at)
	// One screen for all: its painter keeps glyphs and faces between pages,
	// as a running screen does. It is pairing while the pairing page is drawn.
	pairing := false
	// The login pages are drawn with login offered, Min side for Karen; the
	// others as on a screen without a session.
	fl := &fakeLogin{}
	karen := karensPage(t, src)
	s, err := newSnapshotScreen(src, at, Options{Clock: clock.NewFake(at), Pairing: func() (string, string, bool) { return "WDJB-MJHT", "", pairing }, Login: fl})
	if err != nil {
		t.Fatal(err)
	}
	defer s.dispose()
	for _, sz := range goldenSizes {
		for _, page := range pages {
			base := string(page.Kind)
			if page.PINProfile() != "" {
				base = "login-pin"
			}
			if page.ID == "keyboard" {
				base = "me-keyboard"
			}
			if page == layout.SharedPage("sh1") {
				base = "me-shared"
			}
			name := fmt.Sprintf("%s_%dx%d.png", base, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				pairing = page.Is(board.PagePairing)
				switch {
				case page.Is(board.PageMe):
					fl.set(LoginState{Offered: true, Who: "p1", Name: "Karen", Page: karen.Clone()}) // the screen wipes the page it is done with
				case page.Is(board.PageLogin):
					fl.set(LoginState{Offered: true})
				default:
					fl.set(LoginState{})
				}
				img, err := s.render(page, sz[0], sz[1])
				if err != nil {
					t.Fatal(err)
				}
				compareGolden(t, filepath.Join("testdata", "golden", name), img)
			})
		}
	}
}

// TestGoldenLanguages renders today, Min side and its keyboard in every
// language but Danish (TestGolden draws Danish) at the three sizes:
// testdata/golden/<code>/ holds them, so a language added to words gets
// its pictures with -update and is looked at before it lands.
func TestGoldenLanguages(t *testing.T) {
	at := goldenAt(t)
	src := demoCache(t, at)
	fl := &fakeLogin{}
	karen := karensPage(t, src)
	pages := []board.PageID{board.PageOf(board.PageToday), board.PageOf(board.PageMe), {Kind: board.PageMe, ID: "keyboard"}}
	for _, code := range words.Codes()[1:] {
		s, err := newSnapshotScreen(src, at, Options{Clock: clock.NewFake(at), Locale: code, Login: fl})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join("testdata", "golden", code), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, sz := range goldenSizes {
			for _, page := range pages {
				base := string(page.Kind)
				if page.ID == "keyboard" {
					base = "me-keyboard"
				}
				name := fmt.Sprintf("%s/%s_%dx%d.png", code, base, sz[0], sz[1])
				t.Run(name, func(t *testing.T) {
					fl.set(LoginState{})
					if page.Is(board.PageMe) {
						fl.set(LoginState{Offered: true, Who: "p1", Name: "Karen", Page: karen.Clone()})
					}
					img, err := s.render(page, sz[0], sz[1])
					if err != nil {
						t.Fatal(err)
					}
					compareGolden(t, filepath.Join("testdata", "golden", name), img)
				})
			}
		}
		s.dispose()
	}
}

// TestGoldenBooking renders the laundry's week grid in every language at
// the three sizes, the booking sheet and the grid after a refusal
// (testdata/golden/booking/).
func TestGoldenBooking(t *testing.T) {
	at := goldenAt(t)
	src := demoCache(t, at)
	if err := os.MkdirAll(filepath.Join("testdata", "golden", "booking"), 0o755); err != nil {
		t.Fatal(err)
	}
	page := layout.ResourcePage("bk-d1-vask")
	for _, code := range words.Codes() {
		s, err := newSnapshotScreen(src, at, Options{Clock: clock.NewFake(at), Locale: code})
		if err != nil {
			t.Fatal(err)
		}
		// The sheet for tomorrow 09-11: who books, then the confirmation.
		loc := time.FixedZone("", 0)
		if bd, err := src.Board(); err == nil {
			loc = bd.Location()
		}
		y, m, d := at.In(loc).Date()
		slot := time.Date(y, m, d+1, 9, 0, 0, 0, loc)
		for _, sheet := range []struct {
			name string
			st   layout.State
		}{
			{"who", layout.State{Page: page, Slot: slot, SlotEnd: slot.Add(2 * time.Hour)}},
			{"confirm", layout.State{Page: page, Slot: slot, SlotEnd: slot.Add(2 * time.Hour), Pick: "p1"}},
		} {
			for _, sz := range goldenSizes[:2] {
				name := fmt.Sprintf("booking/%s-%s_%dx%d.png", code, sheet.name, sz[0], sz[1])
				t.Run(name, func(t *testing.T) {
					img, err := s.renderState(sheet.st, sz[0], sz[1])
					if err != nil {
						t.Fatal(err)
					}
					compareGolden(t, filepath.Join("testdata", "golden", name), img)
				})
			}
		}
		s.dispose()
		// The grid after the backend refused Karen's booking of tomorrow
		// 13-15: the line in words above the grid.
		refused := demoCache(t, at)
		sg := board.Signup{ID: "r-" + code, ItemType: board.BookingItem, ItemID: "bk-d1-vask", ProfileID: "p1", Action: board.Book,
			Start: slot.Add(4 * time.Hour), End: slot.Add(6 * time.Hour), At: at, State: board.Pending}
		if err := refused.Enqueue(sg); err != nil {
			t.Fatal(err)
		}
		sg.State, sg.Reason = board.Refused, "taken"
		if err := refused.UpdateSignup(sg); err != nil {
			t.Fatal(err)
		}
		rs, err := newSnapshotScreen(refused, at, Options{Clock: clock.NewFake(at), Locale: code})
		if err != nil {
			t.Fatal(err)
		}
		compareSizes(t, rs, page, "booking/"+code+"-refused", goldenSizes[:2])
		rs.dispose()
		if s, err = newSnapshotScreen(src, at, Options{Clock: clock.NewFake(at), Locale: code}); err != nil {
			t.Fatal(err)
		}
		compareSizes(t, s, page, "booking/"+code+"-laundry", goldenSizes)
		s.dispose()
	}
}

// compareSizes compares page drawn by s at each size with its golden,
// testdata/golden/NAME_WxH.png.
func compareSizes(t *testing.T, s *Screen, page board.PageID, name string, sizes [][2]int) {
	for _, sz := range sizes {
		file := fmt.Sprintf("%s_%dx%d.png", name, sz[0], sz[1])
		t.Run(file, func(t *testing.T) {
			img, err := s.render(page, sz[0], sz[1])
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join("testdata", "golden", file), img)
		})
	}
}

// Golden pictures must match closely: the software renderer draws the same
// page the same way run after run (measured: not one channel off), so a pixel
// counts as different when a channel is off by more than pixelTol, and a
// page fails when more than maxOffPixels pixels differ. A word changed on
// the smallest page changes several hundred pixels.
const (
	pixelTol     = 8
	maxOffPixels = 40
)

// compareGolden fails when got differs from the golden at path (or writes
// it with -update).
func compareGolden(t *testing.T, path string, got image.Image) {
	t.Helper()
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readGolden(t, path)
	if want.Bounds().Size() != got.Bounds().Size() {
		t.Fatalf("size %v, golden %v", got.Bounds().Size(), want.Bounds().Size())
	}
	if diff := offPixels(got, want, pixelTol); diff > maxOffPixels {
		out := filepath.Join(os.TempDir(), strings.TrimSuffix(filepath.Base(path), ".png")+".got.png")
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err == nil {
			err = os.WriteFile(out, buf.Bytes(), 0o644)
		}
		t.Errorf("%d pixels differ from %s by more than %d (at most %d may); got written to %s", diff, path, pixelTol, maxOffPixels, out)
	}
}

func readGolden(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no golden (run with -update): %v", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// offPixels counts the pixels where a colour channel of a and b differs by
// more than tol. The images must be the same size.
func offPixels(a, b image.Image, tol uint8) int {
	g, w := toRGBA(a), toRGBA(b)
	far := func(x, y uint8) bool { return max(x, y)-min(x, y) > tol }
	diff := 0
	for i := 0; i < len(g.Pix); i += 4 {
		if far(g.Pix[i], w.Pix[i]) || far(g.Pix[i+1], w.Pix[i+1]) || far(g.Pix[i+2], w.Pix[i+2]) {
			diff++
		}
	}
	return diff
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Bounds().Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

// TestGoldenCatchesOneWord changes one word on the today page at the
// smallest size and expects the golden comparison to fail, while the page
// drawn again as it was still passes.
func TestGoldenCatchesOneWord(t *testing.T) {
	const w, h = 1280, 720
	at := goldenAt(t)
	src := demoCache(t, at)
	want := readGolden(t, filepath.Join("testdata", "golden", fmt.Sprintf("today_%dx%d.png", w, h)))
	render := func(src Source) image.Image {
		t.Helper()
		s, err := newSnapshotScreen(src, at, Options{Clock: clock.NewFake(at)})
		if err != nil {
			t.Fatal(err)
		}
		defer s.dispose()
		img, err := s.render(board.PageOf(board.PageToday), w, h)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	if n := offPixels(render(src), want, pixelTol); n > maxOffPixels {
		t.Fatalf("the unchanged page is %d pixels off its golden", n)
	}

	bd, err := src.Board()
	if err != nil {
		t.Fatal(err)
	}
	first := board.TodayActivities(bd, at)
	if len(first) == 0 {
		t.Fatal("no activity on today's page")
	}
	media := map[string][]byte{}
	for _, hash := range bd.MediaHashes() {
		if data, err := src.Media(hash); err == nil {
			media[hash] = data
		}
	}
	changed := *bd
	changed.Activities = append([]board.Activity(nil), bd.Activities...)
	for i, a := range changed.Activities {
		if a.ID == first[0].ID {
			words := strings.Fields(a.Title)
			was := words[0]
			words[0] = "Sang"
			if was == "Sang" {
				words[0] = "Dans"
			}
			changed.Activities[i].Title = strings.Join(words, " ")
			t.Logf("%q -> %q", a.Title, changed.Activities[i].Title)
		}
	}
	img := render(boardCache(t, clock.NewFake(at), &changed, media))
	n := offPixels(img, want, pixelTol)
	if n <= maxOffPixels {
		t.Fatalf("one word changed, and only %d pixels differ: the comparison would pass it", n)
	}
	t.Logf("one word changed: %d pixels off (the comparison allows %d; a rule of 0.3%% off by more than 24 would have allowed %d and seen %d)",
		n, maxOffPixels, w*h*3/1000, offPixels(img, want, 24))
}

// TestGoldenNotices renders the Today page and the slideshow with an urgent
// notice and an info one, in Danish and English (testdata/golden/notices/).
func TestGoldenNotices(t *testing.T) {
	at := goldenAt(t)
	src := demoCache(t, at)
	bd, err := src.Board()
	if err != nil {
		t.Fatal(err)
	}
	bd.Notices = []board.Notice{
		{ID: "u1", Level: board.NoticeUrgent, Title: "Vandet er lukket", Body: "Der er ingen vand i Solsikken i dag fra 10 til 12. Brug flaskerne i køkkenet.",
			From: at.Add(-time.Hour), Until: at.Add(2 * time.Hour), Wake: true},
		{ID: "u2", Level: board.NoticeInfo, Title: "Frisøren er syg i dag", From: at.Add(-time.Hour), Until: at.Add(8 * time.Hour)},
	}
	if err := src.ReplaceBoard(bd, `"notices"`); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join("testdata", "golden", "notices"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"da", "en"} {
		s, err := newSnapshotScreen(src, at, Options{Clock: clock.NewFake(at), Locale: code})
		if err != nil {
			t.Fatal(err)
		}
		compareSizes(t, s, board.PageOf(board.PageToday), "notices/"+code+"-today", goldenSizes)
		compareSizes(t, s, board.PageOf(board.PageIdle), "notices/"+code+"-idle", goldenSizes[:1])
		s.dispose()
	}
}

// TestGoldenNight renders the night page in every language at the three
// sizes, at 03:10 in the night before the fixed instant's morning, and at
// 22:40 the evening before with a notice over it (testdata/golden/night/).
func TestGoldenNight(t *testing.T) {
	at := goldenAt(t)
	src := demoCache(t, at)
	bd, err := src.Board()
	if err != nil {
		t.Fatal(err)
	}
	loc := bd.Location()
	day := at.In(loc)
	night := time.Date(day.Year(), day.Month(), day.Day(), 3, 10, 0, 0, loc)
	evening := time.Date(day.Year(), day.Month(), day.Day()-1, 22, 40, 0, 0, loc)
	if _, ok := board.FirstInMorning(bd, night); !ok {
		t.Fatalf("the fixture board has nothing on the morning of %s", night)
	}
	if err := os.MkdirAll(filepath.Join("testdata", "golden", "night"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, code := range words.Codes() {
		s, err := newSnapshotScreen(src, night, Options{Clock: clock.NewFake(night), Locale: code})
		if err != nil {
			t.Fatal(err)
		}
		compareSizes(t, s, board.PageOf(board.PageNight), "night/"+code, goldenSizes)
		s.dispose()
	}
	bd.Notices = []board.Notice{{ID: "u1", Level: board.NoticeUrgent, Title: "Brandalarmen prøves kl. 23", From: evening.Add(-time.Hour), Until: evening.Add(time.Hour), Wake: true}}
	if err := src.ReplaceBoard(bd, `"notices"`); err != nil {
		t.Fatal(err)
	}
	s, err := newSnapshotScreen(src, evening, Options{Clock: clock.NewFake(evening)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.dispose()
	compareSizes(t, s, board.PageOf(board.PageNight), "night/da-evening-notice", goldenSizes[:2])
}
