package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// parts runs the screen's parts beside the renderer, one goroutine each,
// until ctx ends; the first part to fail stops them all (and so the
// renderer, which runs with ctx).
type parts struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	err error // the first part's failure
}

func newParts(ctx context.Context) *parts {
	p := &parts{}
	p.ctx, p.cancel = context.WithCancel(ctx)
	return p
}

// start runs run(ctx) in a goroutine of its own.
func (p *parts) start(name string, run func(context.Context) error) {
	p.wg.Go(func() {
		err := run(p.ctx)
		if err == nil || errors.Is(err, context.Canceled) {
			return
		}
		p.mu.Lock()
		if p.err == nil {
			p.err = fmt.Errorf("%s: %w", name, err)
		}
		p.mu.Unlock()
		p.cancel()
	})
}

// stop ends every part, waits for them, and returns the renderer's error
// drawErr, else the first part's failure.
func (p *parts) stop(drawErr error) error {
	p.cancel()
	p.wg.Wait()
	if drawErr != nil && !errors.Is(drawErr, context.Canceled) {
		return drawErr
	}
	return p.err
}
