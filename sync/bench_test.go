package sync

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"skaerm/backend"
)

// BenchmarkDecode decodes and filters the demo department's board.
func BenchmarkDecode(b *testing.B) {
	day := time.Now()
	data, err := backend.DemoBoard(day, "d1")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// countingConn counts the bytes a connection carries both ways.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// BenchmarkSyncNotModified is the cost of a poll when nothing changed: a
// 304 for the board and the status post. It reports the bytes on the wire
// per poll, which is what a screen on a metered line pays every 5 minutes.
func BenchmarkSyncNotModified(b *testing.B) {
	clk := backendClock()
	rb := startBackend(b, clk, "", "")
	c := openCache(b, "", clk)
	s := newSyncer(b, rb.URL, c, clk)
	var wire atomic.Int64
	rt := s.t.http.Transport.(*http.Transport).Clone()
	dial := rt.DialContext
	rt.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{conn, &wire}, nil
	}
	s.t.http.Transport = rt
	ctx := context.Background()
	if _, err := s.SyncOnce(ctx); err != nil {
		b.Fatal(err)
	}
	wire.Store(0)
	b.ResetTimer()
	for b.Loop() {
		res, err := s.SyncOnce(ctx)
		if err != nil || !res.NotModified {
			b.Fatalf("SyncOnce = %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(wire.Load())/float64(b.N), "wire-bytes/op")
}

// BenchmarkPreparePhoto checks, scales and re-encodes a 1600x1200 photo.
func BenchmarkPreparePhoto(b *testing.B) {
	data := jpegBytes(b, 1600, 1200)
	h := hashOf(data)
	for b.Loop() {
		if _, err := prepareMedia(h, "image/jpeg", data, photoMedia, DefaultMaxMediaPixels); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareAvatar checks, crops and re-encodes a 512x512 avatar.
func BenchmarkPrepareAvatar(b *testing.B) {
	data := pngBytes(b, 512, 512)
	h := hashOf(data)
	for b.Loop() {
		if _, err := prepareMedia(h, "image/png", data, avatarMedia, DefaultMaxMediaPixels); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare12MP checks, scales and re-encodes a phone's 12 MP
// photo (4032x3024) for the screen; SKAERM_PHOTO names a real one to use
// instead of the gradient.
func BenchmarkPrepare12MP(b *testing.B) {
	data := jpegBytes(b, 4032, 3024)
	if f := os.Getenv("SKAERM_PHOTO"); f != "" {
		var err error
		if data, err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	h := hashOf(data)
	for b.Loop() {
		if _, err := prepareMedia(h, "image/jpeg", data, photoMedia, DefaultMaxMediaPixels); err != nil {
			b.Fatal(err)
		}
	}
}
