package layout

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Font is a face at a size in pixels.
type Font struct {
	Size float64
	Bold bool
}

// Metrics are a font's vertical extents in pixels at its size.
type Metrics struct {
	Ascent, Descent float64
}

// Height is the height of one line box (ascent plus descent).
func (m Metrics) Height() float64 { return m.Ascent + m.Descent }

// Measurer measures text as the display will draw it.
type Measurer interface {
	// Width is the advance of s on one line.
	Width(s string, f Font) float64
	// Metrics are the line extents of f.
	Metrics(f Font) Metrics
}

// FontMeasurer measures with go-text/typesetting's HarfBuzz shaper, the one
// Ebitengine's text/v2 draws with, from the same font files. It is safe for
// concurrent use and caches widths.
type FontMeasurer struct {
	faces  [2]*font.Face // regular, bold
	mu     sync.Mutex
	shaper shaping.HarfbuzzShaper
	widths map[measureKey]float64
}

type measureKey struct {
	s    string
	size float64
	bold bool
}

// NewFontMeasurer parses the regular and bold font files (TTF, OTF or WOFF).
func NewFontMeasurer(regular, bold []byte) (*FontMeasurer, error) {
	m := &FontMeasurer{widths: map[measureKey]float64{}}
	for i, data := range [][]byte{regular, bold} {
		f, err := font.ParseTTF(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("parse font %d: %w", i, err)
		}
		m.faces[i] = f
	}
	return m, nil
}

func (m *FontMeasurer) face(f Font) *font.Face {
	if f.Bold {
		return m.faces[1]
	}
	return m.faces[0]
}

// Width implements Measurer.
func (m *FontMeasurer) Width(s string, f Font) float64 {
	if s == "" {
		return 0
	}
	k := measureKey{s, f.Size, f.Bold}
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.widths[k]; ok {
		return w
	}
	runes := []rune(s)
	in := shaping.Input{
		Text:      runes,
		RunEnd:    len(runes),
		Direction: di.DirectionLTR,
		Face:      m.face(f),
		Size:      fixed.Int26_6(f.Size * 64),
		Script:    language.Latin,
		Language:  language.NewLanguage("da"),
	}
	out := m.shaper.Shape(in)
	w := float64(out.Advance) / 64
	if len(m.widths) > 20000 {
		clear(m.widths)
	}
	m.widths[k] = w
	return w
}

// Metrics implements Measurer.
func (m *FontMeasurer) Metrics(f Font) Metrics {
	face := m.face(f)
	scale := f.Size / float64(face.Upem())
	h, _ := face.FontHExtents()
	return Metrics{Ascent: float64(h.Ascender) * scale, Descent: float64(-h.Descender) * scale}
}

// HasGlyphs reports whether the font has a glyph for every letter of s.
func (m *FontMeasurer) HasGlyphs(s string, bold bool) bool {
	face := m.face(Font{Bold: bold})
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if _, ok := face.Cmap.Lookup(r); !ok {
			return false
		}
	}
	return true
}

// Ellipsis ends a truncated line.
const Ellipsis = "…"

// fitSlack absorbs the rounding of a width computed from a measured one (a
// tag sized to its word, less its padding): a hundredth of a pixel.
const fitSlack = 0.01

// Fit returns s as it fits on one line of width w: whole, or cut at a word
// (or, for one long word, a letter) and ended with "…". Newlines become spaces.
func Fit(m Measurer, s string, f Font, w float64) string {
	s = strings.Join(strings.Fields(s), " ")
	w += fitSlack
	if m.Width(s, f) <= w {
		return s
	}
	if m.Width(Ellipsis, f) > w {
		return ""
	}
	runes := []rune(s)
	// The longest prefix that fits with the ellipsis, by binary search.
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.Width(strings.TrimRight(string(runes[:mid]), " ")+Ellipsis, f) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	cut := string(runes[:lo])
	// Prefer a word boundary when it keeps most of the line.
	if i := strings.LastIndex(cut, " "); i > 0 && len([]rune(cut[:i])) > lo*2/3 {
		cut = cut[:i]
	}
	return strings.TrimRight(strings.TrimRight(cut, " "), ",.;:-–") + Ellipsis
}

// Wrap breaks s into at most maxLines lines no wider than w; the last line is
// ended with "…" when text is left over. Blank lines in s start new paragraphs.
func Wrap(m Measurer, s string, f Font, w float64, maxLines int) []string {
	if maxLines <= 0 {
		return nil
	}
	var lines []string
	paras := strings.Split(strings.ReplaceAll(s, "\r", ""), "\n")
	for pi, para := range paras {
		words := strings.Fields(para)
		if len(words) == 0 {
			continue
		}
		line := ""
		for i := 0; i < len(words); i++ {
			try := words[i]
			if line != "" {
				try = line + " " + words[i]
			}
			if m.Width(try, f) <= w {
				line = try
				continue
			}
			if line == "" { // one word wider than the line
				line = words[i]
				i++
			}
			lines = append(lines, Fit(m, line, f, w))
			if len(lines) == maxLines {
				if i < len(words) || moreText(paras[pi+1:]) {
					lines[maxLines-1] = endWithEllipsis(m, line, f, w)
				}
				return lines
			}
			line = ""
			i--
		}
		if line != "" {
			lines = append(lines, Fit(m, line, f, w))
			if len(lines) == maxLines {
				if moreText(paras[pi+1:]) {
					lines[maxLines-1] = endWithEllipsis(m, line, f, w)
				}
				return lines
			}
		}
	}
	return lines
}

func moreText(paras []string) bool {
	for _, p := range paras {
		if strings.TrimSpace(p) != "" {
			return true
		}
	}
	return false
}

// endWithEllipsis marks a line that has more text after it: "…" is appended,
// dropping letters from the end until it fits.
func endWithEllipsis(m Measurer, line string, f Font, w float64) string {
	line = strings.TrimSuffix(line, Ellipsis)
	if t := line + Ellipsis; m.Width(t, f) <= w {
		return t
	}
	return Fit(m, line+" "+line, f, w)
}
