package display

import (
	"fmt"
	"runtime/metrics"
)

// Footprint is what the screen holds in memory, for the status report:
// the Go runtime's memory and the pictures the painter keeps as textures,
// by kind, at their drawn size (4 bytes a pixel; the GL driver may pad
// them, and Ebitengine's atlas pages and the screen itself come on top).
type Footprint struct {
	GoTotal, GoHeapLive, GoHeapFree, GoReleased uint64 // bytes
	Pictures, Faces, Text, Shapes               Textures
}

// Textures counts cached images of one kind.
type Textures struct {
	N     int
	Bytes uint64
}

// Footprint reads the Go runtime's memory now and the painter's textures
// as of its last paint; safe from any goroutine.
func (s *Screen) Footprint() Footprint {
	var f Footprint
	if t := s.textures.Load(); t != nil {
		f = *t
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	val := func(i int) uint64 {
		if samples[i].Value.Kind() == metrics.KindUint64 {
			return samples[i].Value.Uint64()
		}
		return 0
	}
	f.GoTotal, f.GoHeapLive, f.GoHeapFree, f.GoReleased = val(0), val(1), val(2), val(3)
	return f
}

// String is the status report's line.
func (f Footprint) String() string {
	mib := func(b uint64) float64 { return float64(b) / (1 << 20) }
	return fmt.Sprintf("Go %.1f MiB held (heap: %.1f in use, %.1f free; %.1f more given back); textures: pictures %.1f MiB (%d), faces %.1f MiB (%d), text %.1f MiB (%d), shapes %.1f MiB (%d)",
		mib(f.GoTotal-f.GoReleased), mib(f.GoHeapLive), mib(f.GoHeapFree), mib(f.GoReleased),
		mib(f.Pictures.Bytes), f.Pictures.N, mib(f.Faces.Bytes), f.Faces.N,
		mib(f.Text.Bytes), f.Text.N, mib(f.Shapes.Bytes), f.Shapes.N)
}

// textures counts the painter's cached images by kind.
func (p *painter) textures() *Footprint {
	var f Footprint
	add := func(t *Textures, w, h int) {
		t.N++
		t.Bytes += uint64(w) * uint64(h) * 4
	}
	for k := range p.scaled {
		if k.face {
			add(&f.Faces, k.w, k.h)
		} else {
			add(&f.Pictures, k.w, k.h)
		}
	}
	for _, c := range p.texts {
		b := c.img.Bounds()
		add(&f.Text, b.Dx(), b.Dy())
	}
	for k := range p.discs {
		add(&f.Shapes, k.d, k.d)
	}
	for k := range p.icons {
		add(&f.Shapes, k.s, k.s)
	}
	return &f
}
