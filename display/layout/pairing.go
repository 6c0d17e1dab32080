package layout

import (
	"math"
	"strings"

	"skaerm/words"
)

// pairing: the user code in huge letters and what to do, in words, in the
// middle of the screen.
func (b *builder) pairing() {
	full := Rect{0, 0, b.in.W, b.in.H}
	in := full.Inset(3 * b.margin())
	pg := b.in.Pairing
	if pg == nil {
		pg = &Pairing{}
	}
	titleF := Font{Size: 7 * b.u, Bold: true}
	stepF := Font{Size: b.fTitle.Size}
	var groups []string
	for _, g := range strings.Split(pg.Code, "-") {
		groups = append(groups, strings.Join(strings.Split(g, ""), " "))
	}
	code := strings.Join(groups, "  –  ")
	codeF := Font{Size: 22 * b.u, Bold: true}
	for codeF.Size > 6*b.u && b.m.Width(code, codeF) > in.W-4*b.u {
		codeF.Size -= b.u
	}
	codeH := b.lineH(codeF) + 4*b.u
	total := b.lineH(titleF) + 3*b.u + 2*(b.lineH(stepF)+b.u) + b.lineH(b.fTitle) + 2*b.u + codeH
	if pg.URI != "" {
		total += b.lineH(b.fBody) + b.u
	}
	rest := in
	if free := in.H - total - 8*b.u; free > 0 {
		rest.Y += free / 2
		rest.H -= free / 2
	}
	row, rest := rest.takeTop(b.lineH(titleF), 3*b.u)
	b.line(row, b.s.PairingTitle, titleF, Ink, Center)
	for _, s := range []string{b.s.PairingStep1, b.s.PairingStep2} {
		row, rest = rest.takeTop(b.lineH(stepF), b.u)
		b.line(row, s, stepF, Ink, Center)
	}
	if pg.URI != "" {
		row, rest = rest.takeTop(b.lineH(b.fBody), b.u)
		b.line(row, pg.URI, b.fBody, Accent, Center)
	}
	row, rest = rest.takeTop(b.lineH(b.fTitle), 2*b.u)
	b.line(row, b.s.PairingStep3, b.fTitle, Ink, Center)
	box, _ := rest.takeTop(math.Min(rest.H, codeH), 0)
	b.box(box, Card, Ink, 0.5*b.u, 2*b.u)
	b.line(box, code, codeF, Ink, Center)
	clockF := Font{Size: 5 * b.u, Bold: true}
	b.line(Rect{in.X, in.Bottom() - b.lineH(clockF), in.W, b.lineH(clockF)}, words.Clock(b.in.Now, b.in.Board.Location()), clockF, Muted, Center)
}

// waiting: before the first board there is still a clock and a word.
func (b *builder) waiting() {
	full := Rect{0, 0, b.in.W, b.in.H}
	in := full.Inset(3 * b.margin())
	rows := in.splitV(2*b.u, 1.2, 1, 1, 2)
	b.line(rows[0], words.Clock(b.in.Now, b.loc), Font{Size: 16 * b.u, Bold: true}, Accent, Center)
	b.line(rows[1], b.s.Date(b.in.Now, b.loc), Font{Size: 6 * b.u, Bold: true}, Ink, Center)
	b.line(rows[2], b.s.Waiting, b.fTitle, Ink, Center)
	b.para(Rect{rows[3].X + 10*b.u, rows[3].Y, rows[3].W - 20*b.u, rows[3].H}, b.s.WaitingHint, b.fBody, Muted, 3)
}
