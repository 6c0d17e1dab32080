package display

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync/atomic"
	"testing"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/personal"
)

// fakeLogin is a login client that stays as told.
type fakeLogin struct {
	st      atomic.Pointer[LoginState]
	touches atomic.Int64
}

func (f *fakeLogin) set(st LoginState) { f.st.Store(&st) }
func (f *fakeLogin) State() LoginState {
	if p := f.st.Load(); p != nil {
		return *p
	}
	return LoginState{}
}
func (f *fakeLogin) LoginPIN(context.Context, string, string) LoginResult {
	return LoginResult{Outcome: LoginFailed}
}
func (f *fakeLogin) Logout(string)     {}
func (f *fakeLogin) Touch()            { f.touches.Add(1) }
func (f *fakeLogin) SignupMade(string) {}
func (f *fakeLogin) Suggest(context.Context, string, string) LoginResult {
	return LoginResult{Outcome: SuggestSent}
}

// solidPNG is a w x h picture of one colour.
func solidPNG(t testing.TB, w, h int, c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:], []uint8{c.R, c.G, c.B, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var canaryRed = color.RGBA{0xE0, 0x10, 0x20, 0xFF}

// karensPage is a Min side for the demo's Karen (p1) with one picture of
// one colour, so it can be found in a screenshot, and the demo's tagged
// pictures from the cache.
func karensPage(t testing.TB, src *cache.Cache) *personal.Page {
	bd, err := src.Board()
	if err != nil {
		t.Fatal(err)
	}
	pg := &personal.Page{ProfileID: "p1", Name: "Karen",
		Shared: []personal.Item{
			{ID: "sh1", Kind: personal.Picture, Title: "Barnebarnet PRIVATCANARY-D1", Media: personal.Media{SHA256: strings.Repeat("ab", 32), ContentType: "image/png", Data: solidPNG(t, 320, 240, canaryRed)}},
			{ID: "sh2", Kind: personal.Document, Title: "Brev PRIVATCANARY-D2", Media: personal.Media{SHA256: strings.Repeat("cd", 32), ContentType: "image/png", Data: solidPNG(t, 240, 320, color.RGBA{0xF0, 0xF0, 0xF0, 0xFF})}},
		},
		Groups:      []personal.Group{{ID: "g1", Name: "Strikkeklubben"}, {ID: "g2", Name: "Havegruppen"}},
		Suggestions: []personal.Suggestion{{MeetingID: "m", Text: "Æbleskiver til julemødet"}},
	}
	if len(bd.Gallery) > 0 {
		pg.Tagged = []string{bd.Gallery[0].ID}
	}
	return pg
}

// TestScreenshotMasksMinSide: while someone is logged in, the screenshot
// the backend asks for covers what the page marks private; the screen
// itself shows it.
func TestScreenshotMasksMinSide(t *testing.T) {
	at := goldenAt(t)
	src := demoCache(t, at)
	fl := &fakeLogin{}
	handed := karensPage(t, src)
	fl.set(LoginState{Offered: true, Who: "p1", Name: "Karen", Page: handed})
	s := shownScreen(t, Options{Source: src, Clock: clock.NewFake(at), Login: fl})
	if !s.game.State().Page.Is(board.PageMe) {
		t.Fatalf("a session opened %s, want me", s.game.State().Page)
	}
	var pic layout.Item
	private := 0
	for _, it := range s.game.Page().Items {
		if it.Private {
			private++
		}
		if it.Kind == layout.Picture && it.Media == layout.PersonalKey(strings.Repeat("ab", 32)) {
			pic = it
		}
	}
	if pic.R.W == 0 || !pic.Private {
		t.Fatalf("the shared picture is not on Min side, or not private (%d private items)", private)
	}
	screen := readFrame(s.frame)
	cx, cy := int(pic.R.X+pic.R.W/2), int(pic.R.Y+pic.R.H/2)
	if got := screen.RGBAAt(cx, cy); got != canaryRed {
		t.Fatalf("the screen shows %v inside the shared picture, want its colour %v", got, canaryRed)
	}

	reply := make(chan shotReply, 1)
	s.shots <- shotRequest{reply: reply}
	s.serveShots(s.frame)
	rep := <-reply
	if rep.err != nil {
		t.Fatal(rep.err)
	}
	shot := rep.img
	reds := 0
	for i := 0; i < len(shot.Pix); i += 4 {
		if shot.Pix[i] == canaryRed.R && shot.Pix[i+1] == canaryRed.G && shot.Pix[i+2] == canaryRed.B {
			reds++
		}
	}
	if reds > 0 {
		t.Errorf("the screenshot shows %d pixels of the shared picture", reds)
	}
	for _, it := range s.game.Page().Items {
		if !it.Private {
			continue
		}
		x, y := int(it.R.X+it.R.W/2), int(it.R.Y+it.R.H/2)
		if got := shot.RGBAAt(x, y); got != layout.Chip {
			t.Errorf("private %v item at %v is not covered in the screenshot: %v", it.Kind, it.R, got)
		}
	}
	// What is not private is as on the screen: the navigation bar.
	nav := image.Rect(0, 1000, 1920, 1080)
	if !bytes.Equal(subPix(screen, nav), subPix(shot, nav)) {
		t.Error("the screenshot differs from the screen outside the private content")
	}

	// Logout: the session's pictures are dropped, the page goes home.
	fl.set(LoginState{Offered: true})
	s.step(at, nil)
	if !s.game.State().Page.Is(board.PageToday) {
		t.Errorf("after logout the screen shows %s", s.game.State().Page)
	}
	if s.login.stills != nil {
		t.Error("the session's pictures are kept after logout")
	}
	if handed.Name != "" || handed.Shared != nil {
		t.Error("the screen did not wipe the page it was handed")
	}
	for k := range s.paint.scaled {
		if layout.IsPersonalKey(k.hash) {
			t.Errorf("a scaled copy of %s is kept after logout", k.hash)
		}
	}
}

func subPix(img *image.RGBA, r image.Rectangle) []byte {
	var out []byte
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := img.PixOffset(r.Min.X, y)
		out = append(out, img.Pix[i:i+4*r.Dx()]...)
	}
	return out
}
