package main

import (
	"context"
	"errors"
	"testing"
)

// TestPartsFirstFailureStopsAll: a part that fails ends the others' context
// and is what stop reports; a renderer's own error comes first.
func TestPartsFirstFailureStopsAll(t *testing.T) {
	boom := errors.New("boom")
	p := newParts(context.Background())
	stopped := make(chan struct{})
	p.start("waiter", func(ctx context.Context) error {
		<-ctx.Done()
		close(stopped)
		return ctx.Err()
	})
	p.start("breaker", func(context.Context) error { return boom })
	<-stopped // the waiter was stopped by the breaker's failure
	if err := p.stop(nil); !errors.Is(err, boom) {
		t.Errorf("stop = %v, want the breaker's error", err)
	}

	drawErr := errors.New("window lost")
	q := newParts(context.Background())
	q.start("breaker", func(context.Context) error { return boom })
	<-q.ctx.Done()
	if err := q.stop(drawErr); !errors.Is(err, drawErr) {
		t.Errorf("stop = %v, want the renderer's error", err)
	}

	r := newParts(context.Background())
	r.start("quiet", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	if err := r.stop(context.Canceled); err != nil {
		t.Errorf("stop after a clean end = %v, want nil", err)
	}
}
