// Package assets embeds the files the screen needs at run time, so the binary
// carries everything it draws with and never fetches a font.
//
// # Fonts
//
// Atkinson Hyperlegible (Braille Institute of America, SIL Open Font License
// 1.1, see fonts/OFL.txt), designed for readers with low vision: letters that
// are easy to tell apart (Il1, O0) at a distance. Only the latin subset is
// shipped, regular (400) and bold (700), as WOFF. It covers Danish,
// Norwegian, German and English, the ellipsis "…" and the euro sign.
//
// # Caveats
//
// The byte slices are shared: callers must not modify them.
package assets

import _ "embed"

// FontRegular is Atkinson Hyperlegible Regular (latin subset, WOFF).
//
//go:embed fonts/AtkinsonHyperlegible-Regular.woff
var FontRegular []byte

// FontBold is Atkinson Hyperlegible Bold (latin subset, WOFF).
//
//go:embed fonts/AtkinsonHyperlegible-Bold.woff
var FontBold []byte

// FontLicense is the SIL Open Font License the fonts are shipped under.
//
//go:embed fonts/OFL.txt
var FontLicense string
