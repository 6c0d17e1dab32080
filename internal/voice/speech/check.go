package speech

import (
	"context"
	"errors"
	"fmt"
	"time"

	"skaerm/internal/device/sysinfo"
	"skaerm/words"
)

// Check has the engine say a short greeting in locale and reports whether
// it gave sound: the screen's voice for reading aloud and announcements.
func Check(ctx context.Context, e *Espeak, locale string) sysinfo.Finding {
	f := sysinfo.Finding{Check: "speech"}
	lang := words.Lookup(locale)
	locale, text := lang.Code, lang.Greeting
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	a, err := e.Synthesize(ctx, text, locale)
	switch {
	case errors.Is(err, ErrNoEngine):
		f.Status, f.Detail, f.Fix = sysinfo.Fail, "espeak-ng is not installed: the screen cannot read aloud", "sudo apt install espeak-ng"
	case err != nil:
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "reinstall the voice: sudo apt install --reinstall espeak-ng espeak-ng-data"
	case a.RMS() < 100:
		f.Status, f.Detail = sysinfo.Fail, fmt.Sprintf("espeak-ng's %s voice gave silence", locale)
		f.Fix = "reinstall the voice: sudo apt install --reinstall espeak-ng espeak-ng-data"
	default:
		f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("espeak-ng speaks %s (%.1f s for %q)", locale, a.Duration().Seconds(), text)
	}
	return f
}
