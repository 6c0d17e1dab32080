package backend

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"skaerm/display/layout"
)

// TestPreviewSlideshow: the slideshow page shows the slides the screen's
// idle slideshow shows, in its order and at its pace: the gallery photos
// visible on screens, then the news visible on screens that have a
// picture; nothing hidden from screens, every picture loads, and a tap
// anywhere leads to the board page, which links back.
func TestPreviewSlideshow(t *testing.T) {
	tb := startBackend(t)
	r := tb.get(t, "/preview/slideshow?department=d1")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("slideshow: %d %s", r.status, r.header.Get("Content-Type"))
	}
	page := string(r.body)

	b, _ := tb.board(t)
	var want []string // the slides' pictures, in the screen's order
	var hidden []string
	for _, g := range b.Gallery {
		if g.VisibleOnScreen && g.Image != nil {
			want = append(want, g.Image.SHA256)
		} else {
			hidden = append(hidden, g.Caption)
			if g.Image != nil {
				hidden = append(hidden, g.Image.SHA256)
			}
		}
	}
	photos := len(want)
	for _, n := range b.News {
		switch {
		case n.VisibleOnScreen && n.Image != nil:
			want = append(want, n.Image.SHA256)
		case !n.VisibleOnScreen:
			hidden = append(hidden, n.Title)
			if n.Image != nil {
				hidden = append(hidden, n.Image.SHA256)
			}
		default:
			hidden = append(hidden, n.Title) // no picture: not a slide
		}
	}
	if photos == 0 || len(want) == photos || len(hidden) == 0 {
		t.Fatalf("the demo should have visible photos (%d), news with pictures (%d) and items hidden from screens (%v)", photos, len(want)-photos, hidden)
	}
	// The slide list is the script's JSON: unescape to compare.
	script := html.UnescapeString(page)
	var got []string
	for _, m := range regexp.MustCompile(`/preview/media/([0-9a-f]{64})`).FindAllStringSubmatch(script, -1) {
		got = append(got, m[1])
	}
	// The first slide is also the page's first picture (before the script).
	if len(got) != len(want)+1 || got[0] != want[0] || strings.Join(got[1:], ",") != strings.Join(want, ",") {
		t.Errorf("slides %v, want %v (the first twice)", got, want)
	}
	for _, h := range hidden {
		if strings.Contains(script, h) || strings.Contains(page, h) {
			t.Errorf("the slideshow shows %q, which is not on the screen's slideshow", h)
		}
	}
	every := regexp.MustCompile(`every=\s*(\d+)\s*,`).FindStringSubmatch(page)
	if every == nil || every[1] != fmt.Sprint(layout.SlideFor.Milliseconds()) {
		t.Errorf("the slideshow's pace %v ms is not the screen's (%s)", every, layout.SlideFor)
	}
	for _, sha := range want {
		if r := tb.get(t, "/preview/media/"+sha); r.status != http.StatusOK {
			t.Errorf("slide %s: %d", sha, r.status)
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("the slideshow page loads something from elsewhere")
	}
	if !strings.Contains(page, `href="/preview/board?department=d1"`) {
		t.Error("a tap on the slideshow does not lead to the board page")
	}
	if board := string(tb.get(t, "/preview/board?department=d1").body); !strings.Contains(board, `href="/preview/slideshow?department=d1"`) {
		t.Error("the board page does not link the slideshow")
	}
	// An admin token a browser came with stays on every link.
	tok := string(tb.get(t, "/preview/slideshow?department=d1&token=abc").body)
	if !strings.Contains(tok, `href="/preview/board?department=d1&amp;token=abc"`) {
		t.Error("the board link lost the browser's token")
	}
}
