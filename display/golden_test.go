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
)

var goldenSizes = [][2]int{{1920, 1080}, {1080, 1920}, {1280, 720}}

// goldenPages are the pages that stand alone and one activity, meal and
// meeting of today (or the first ones) on the board.
func goldenPages(b *board.Board, at time.Time) []layout.PageID {
	var out []layout.PageID
	for _, k := range layout.Pages {
		out = append(out, layout.Of(k))
	}
	return append(out, detailPages(b, at)...)
}

// detailPages names one activity, meal and meeting of today (or the first
// ones) on the board.
func detailPages(b *board.Board, at time.Time) []layout.PageID {
	var out []layout.PageID
	pick := func(kind layout.PageKind, id string) {
		if id != "" {
			out = append(out, layout.PageID{Kind: kind, ID: id})
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
	pick(layout.PageActivity, first(ids, starts))
	ids, starts = nil, nil
	for _, m := range b.Meals {
		ids, starts = append(ids, m.ID), append(starts, m.Start)
	}
	pick(layout.PageMeal, first(ids, starts))
	ids, starts = nil, nil
	for _, m := range b.Meetings {
		ids, starts = append(ids, m.ID), append(starts, m.Start)
	}
	pick(layout.PageMeeting, first(ids, starts))
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
	s, err := newSnapshotScreen(src, at, Options{Pairing: func() (string, string, bool) { return "WDJB-MJHT", "", pairing }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.dispose()
	for _, sz := range goldenSizes {
		for _, page := range pages {
			name := fmt.Sprintf("%s_%dx%d.png", page.Kind, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				pairing = page.Is(layout.PagePairing)
				img, err := s.render(page, sz[0], sz[1])
				if err != nil {
					t.Fatal(err)
				}
				compareGolden(t, filepath.Join("testdata", "golden", name), img)
			})
		}
	}
}

// compareGolden fails when more than 0.3% of the pixels differ by more than
// a little (software GL may round a glyph edge differently).
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
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no golden (run with -update): %v", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds().Size() != got.Bounds().Size() {
		t.Fatalf("size %v, golden %v", got.Bounds().Size(), want.Bounds().Size())
	}
	g, w := toRGBA(got), toRGBA(want)
	diff, total := 0, len(g.Pix)/4
	for i := 0; i < len(g.Pix); i += 4 {
		if far(g.Pix[i], w.Pix[i]) || far(g.Pix[i+1], w.Pix[i+1]) || far(g.Pix[i+2], w.Pix[i+2]) {
			diff++
		}
	}
	if float64(diff) > 0.003*float64(total) {
		out := strings.TrimSuffix(path, ".png") + ".got.png"
		var buf bytes.Buffer
		png.Encode(&buf, got)
		os.WriteFile(filepath.Join(os.TempDir(), filepath.Base(out)), buf.Bytes(), 0o644)
		t.Errorf("%d of %d pixels differ from %s (got written to %s)", diff, total, path, filepath.Join(os.TempDir(), filepath.Base(out)))
	}
}

func far(a, b uint8) bool {
	const tol = 24
	if a > b {
		return a-b > tol
	}
	return b-a > tol
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
