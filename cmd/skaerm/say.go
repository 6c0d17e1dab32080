package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"skaerm/cmd/internal/app"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
	"skaerm/words"
)

// cmdSay speaks a sentence through the configured loudspeaker: a speaker
// test for a technician, with the screen's own voice and volume.
func cmdSay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("say", `[--config FILE] [--locale `+strings.Join(words.Codes(), "|")+`] [--volume 0-100] [--device ALSA] "TEXT"`, stderr)
	configPath := fs.String("config", "", "configuration file (default /etc/skaerm/config.toml when it exists)")
	locale := fs.String("locale", "", "language of the voice (default [screen] locale, else da)")
	volume := fs.Int("volume", -1, "loudness 0-100 (default [audio] volume)")
	device := fs.String("device", "", "ALSA device (default [audio] device)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return app.ErrUsage
	}
	text := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if text == "" {
		fmt.Fprintln(stderr, "say what? e.g. skaerm say \"Godmorgen\"")
		fs.Usage()
		return app.ErrUsage
	}
	// A speaker test needs no backend, and a bad edit elsewhere in the
	// file does not stop it: the rejected keys keep their defaults, and
	// the technician is told.
	s, err := app.Flags{Config: *configPath}.ResolveUsable()
	if err != nil {
		return err
	}
	if s.Rejected != nil {
		fmt.Fprintf(stderr, "skaerm say: the configuration has rejected keys, their defaults apply:\n%v\n", s.Rejected)
	}
	a := s.Config.Audio
	if *device != "" {
		a.Device = *device
	}
	if *volume >= 0 {
		if *volume > 100 {
			return app.UsageError(fmt.Errorf("--volume %d is out of range (0 to 100)", *volume))
		}
		a.Volume = *volume
	}
	lang := *locale
	if lang == "" {
		lang = s.Config.Screen.Locale
	}
	if lang == "" {
		lang = "da"
	}
	if !words.Known(lang) {
		return app.UsageError(fmt.Errorf("--locale %q: use one of %s", lang, strings.Join(words.Codes(), ", ")))
	}
	audio, err := (&speech.Espeak{}).Synthesize(ctx, text, lang)
	if err != nil {
		return err
	}
	p := &sound.Player{Device: a.Device}
	if err := p.Play(ctx, audio, a.Volume); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "said %.1f s in %s on %s at volume %d\n", audio.Duration().Seconds(), lang, a.Device, a.Volume)
	return nil
}
