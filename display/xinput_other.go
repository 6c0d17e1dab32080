//go:build !linux || android

package display

import (
	"context"
	"errors"
)

// xPresses is X11 only; elsewhere taps come from Ebitengine's input state.
type xPresses struct{}

func openPresses() (*xPresses, error) { return nil, errors.New("not an X11 system") }

func (*xPresses) run(context.Context, func(down bool, px, py int)) {}
