package display

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"skaerm/internal/testkit/xneed"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/golden")

// testGame runs the tests inside Ebitengine's loop, as Ebitengine's own
// internal/testing does: pixels can only be read while a game runs, and only
// one game can run per process.
type testGame struct {
	m    *testing.M
	code int
}

func (g *testGame) Update() error {
	g.code = g.m.Run()
	return ebiten.Termination
}

func (*testGame) Draw(*ebiten.Image)         {}
func (*testGame) Layout(int, int) (int, int) { return 320, 240 }

func TestMain(m *testing.M) {
	xneed.Display("display tests")
	ebiten.SetWindowSize(320, 240)
	g := &testGame{m: m, code: 1}
	if err := ebiten.RunGame(g); err != nil {
		fmt.Fprintln(os.Stderr, "run test game:", err)
		os.Exit(1)
	}
	os.Exit(g.code)
}
