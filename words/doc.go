// Package words holds the words of every language the screen speaks: the
// one list of locales, the screen's words, how times, dates, spans and
// temperatures are written, and the parts of the day as people name them.
// It imports only board: the renderer's layout, the voice and the
// reference backend's preview all take their words from here.
package words
