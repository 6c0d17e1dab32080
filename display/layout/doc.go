// Package layout decides what the screen shows and where, in plain Go: it
// turns a board, the time, the screen size and the touch state into a Page,
// a flat list of boxes (rectangles, fitted lines of text, faces, pictograms,
// pictures) and the touch targets on them. The display package only paints
// what a Page says, so everything that can be got wrong about reading from
// two metres away (type sizes, truncation, contrast, which faces to show,
// which shift is on now, Danish dates, DST) is tested here without a display.
//
// # Basics
//
// All sizes come from one unit, a hundredth of the screen's short side, so
// one description serves 1280x720 up to 3840x2160 and portrait 1080x1920.
// Text is measured through a Measurer; FontMeasurer shapes with the same font
// files and the same shaper (go-text/typesetting) that Ebitengine draws with,
// so a line fitted here fits when drawn.
//
// # Caveats
//
// Build is pure: it reads the board and never changes it. Times are shown in
// the department's time zone (board.Location), never the machine's. The
// package must not import ebiten: a program that does panics at start-up
// without an X display, and these tests run without one.
package layout
